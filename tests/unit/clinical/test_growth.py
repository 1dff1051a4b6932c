"""WHO Child Growth Standards z-scores (lantern.clinical.growth) against WHO's own
numbers: the z-scores the WHO igrowup macro computed for its example survey, and the
SD columns of the WHO expanded tables; the restricted tail rule; the classification
thresholds; the findings that feed triage and the malnutrition conditions."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from lantern.clinical import growth
from lantern.clinical.pipeline import assess, parse_case

SURVEY = Path(__file__).parents[2] / "data" / "growth" / "who_igrowup_mysurvey_z.csv"


def _survey() -> list[dict]:
    with SURVEY.open(encoding="utf-8") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


def _who_length(row: dict, age: int) -> float:
    """WHO's rule: length lying under 731 days, height standing after; a measurement
    taken the other way is corrected by 0.7 cm (igrowup's clenhei)."""
    h = float(row["height_cm"])
    if row["measure"] == "l" and age >= growth.LENGTH_UNTIL_DAYS:
        return h - 0.7
    if row["measure"] == "h" and age < growth.LENGTH_UNTIL_DAYS:
        return h + 0.7
    return h


def test_every_z_score_of_the_who_example_survey_matches_to_two_decimals():
    checked = {"zlen": 0, "zwei": 0, "zwfl": 0}
    wrong = []
    for row in _survey():
        sex = {"1": "male", "2": "female"}.get(row["sex"])
        if sex is None or not row["age_days"]:
            continue
        age = int(float(row["age_days"]))
        weight = float(row["weight_kg"]) if row["weight_kg"] else None
        length = _who_length(row, age) if row["height_cm"] else None
        computed: list[tuple[str, float]] = []
        if length is not None and row["zlen"]:
            computed.append(("zlen", growth.zscore("lhfa", length, growth.table("lhfa", sex).at(age))))
        if weight is not None and row["zwei"]:
            computed.append(("zwei", growth.zscore("wfa", weight, growth.table("wfa", sex).at(age))))
        if weight is not None and length is not None and row["zwfl"]:
            ind = growth.length_indicator(age, length)
            computed.append(("zwfl", growth.zscore(ind, weight, growth.table(ind, sex).at(round(length, 2)))))
        for key, z in computed:
            checked[key] += 1
            if round(z, 2) != pytest.approx(float(row[key]), abs=0.001):
                wrong.append((row["id"], key, round(z, 3), row[key]))
    assert wrong == []
    # the survey's children with those measurements (a test that checked nothing fails)
    assert checked == {"zlen": 475, "zwei": 489, "zwfl": 467}


@pytest.mark.parametrize(("indicator", "sex", "x"), [
    ("wfa", "male", 0), ("wfa", "female", 365), ("wfa", "male", 1856),
    ("lhfa", "female", 0), ("lhfa", "male", 730), ("lhfa", "female", 731),
    ("wfl", "male", 45.0), ("wfl", "female", 80.0), ("wfh", "male", 92.6), ("wfh", "female", 120.0),
])
def test_table_points_the_median_is_zero_and_each_sd_column_is_that_sd(indicator, sex, x):
    t = growth.table(indicator, sex)
    row = t.rows[t.xs.index(x)]
    assert growth.zscore(indicator, row.m, row) == pytest.approx(0.0, abs=1e-9)
    for z, value in zip((-3, -2, -1, 0, 1, 2, 3), row.sd, strict=True):
        assert round(growth.zscore(indicator, value, row), 2) == pytest.approx(z, abs=0.005)
        assert growth.Lms(row.l, row.m, row.s).value_at(z) == pytest.approx(value, abs=0.0006)


def test_who_published_values_boys_weight_for_age_at_birth():
    """wfa_boys_z_exp.txt, day 0: L 0.3487, M 3.3464, S 0.14602; -2 SD 2.459, +2 SD 4.419."""
    row = growth.table("wfa", "male").at(0)
    assert (row.l, row.m, row.s) == (0.3487, 3.3464, 0.14602)
    assert f"{growth.zscore('wfa', 2.459, row):.2f}" == "-2.00"
    assert f"{growth.zscore('wfa', 4.419, row):.2f}" == "2.00"


def test_restricted_rule_beyond_three_sd_for_weight_but_not_for_length():
    row = growth.table("wfa", "male").at(0)
    sd2, sd3 = row.value_at(2), row.value_at(3)
    sd2n, sd3n = row.value_at(-2), row.value_at(-3)
    # WHO: z = 3 + (y - SD3) / (SD3 - SD2) above, z = -3 + (y - SD3neg) / (SD2neg - SD3neg) below
    y = sd3 + 0.5 * (sd3 - sd2)
    assert growth.zscore("wfa", y, row) == pytest.approx(3.5, abs=1e-9)
    y = sd3n - (sd2n - sd3n)
    assert growth.zscore("wfa", y, row) == pytest.approx(-4.0, abs=1e-9)
    lms_z = ((y / row.m) ** row.l - 1) / (row.l * row.s)
    assert abs(lms_z - -4.0) > 0.05                       # the plain LMS value differs
    # length/height (L = 1, symmetric) has no restriction: the LMS formula throughout
    lrow = growth.table("lhfa", "male").at(0)
    y = lrow.m * (1 - 4 * lrow.s)
    assert growth.zscore("lhfa", y, lrow) == pytest.approx(-4.0, abs=1e-9)


@pytest.mark.parametrize(("z", "severity"), [
    (-3.01, "severe"), (-3.0, "moderate"), (-2.99, "moderate"), (-2.01, "moderate"),
    (-2.0, ""), (-1.99, ""), (0.0, ""),
])
def test_z_classification_just_below_and_above_the_lines(z, severity):
    assert growth.classify_z(z) == severity


@pytest.mark.parametrize(("muac", "severity"), [
    (114, "severe"), (114.9, "severe"), (115, "moderate"), (124.9, "moderate"), (125, ""), (126, ""),
])
def test_muac_classification(muac, severity):
    assert growth.classify_muac(muac) == severity


def test_classification_names_in_english_and_chinese():
    score = growth.ZScore("wfh", -3.2)
    assert score.classification() == "Severe wasting" and score.classification("zh") == "重度消瘦"
    assert growth.ZScore("lhfa", -2.5).classification("zh") == "生长迟缓"
    assert growth.ZScore("wfa", -1.0).classification() == ""


def test_weight_out_of_range_for_age_is_refused_with_a_clear_message():
    # 40 kg at 6 months (a typo or a wrong unit), 0.9 kg at 2 years
    assert growth.measurement_problems(sex="female", age_days=183, weight_kg=40, height_cm=None) == [
        "The weight is out of range for the child's age (check the unit and the number)."]
    assert growth.measurement_problems(sex="male", age_days=730, weight_kg=0.9, height_cm=None)
    assert growth.measurement_problems(sex="male", age_days=400, weight_kg=9.5, height_cm=76) == []
    # an adult is no child: nothing to check against the standards
    assert growth.measurement_problems(sex="male", age_days=12000, weight_kg=150, height_cm=190) == []


def _findings(weight, height, age_years=1.5, sex="female"):
    return growth.growth_findings(sex=sex, age_years=age_years, weight_kg=weight, height_cm=height)


def test_findings_from_the_z_scores():
    # 18 months, 80 cm (girls: -3 SD 7.816 kg, -2 SD 8.487 kg): 7.0 kg severe, 8.2 kg moderate
    assert ("wfh_severe", False) in _findings(7.0, 80)
    assert ("wfa_severe", False) in _findings(7.0, 80)
    moderate = _findings(8.2, 80)
    assert ("wfh_moderate", False) in moderate and ("wfh_severe", True) in moderate
    assert ("wfh_severe", True) in _findings(10.5, 80) and ("wfh_moderate", False) not in _findings(10.5, 80)
    assert _findings(10.5, 80, age_years=30) == []          # an adult
    assert _findings(70, 80) == []                            # implausible: refused, never a finding


def test_severe_wasting_by_z_score_feeds_triage_and_the_differential():
    case = parse_case({"note": "cough for 3 days, not eating well", "age_years": 1.5, "sex": "female",
                       "vitals": {"weight_kg": 7.0, "height_cm": 80}})
    result = assess(case)
    assert "malnutrition" in [s.rule.id for s in result.triage.signs]
    assert result.differential[0].condition.id == "severe_acute_malnutrition"
    with_complication = assess(parse_case({"note": "lethargic, cough", "age_years": 1.5, "sex": "female",
                                           "vitals": {"weight_kg": 7.0, "height_cm": 80}}))
    assert with_complication.triage.level == "emergency"
    assert "imci_complicated_sam_whz" in [s.rule.id for s in with_complication.triage.signs]
    # a well-nourished child of the same length: no malnutrition sign
    well = assess(parse_case({"note": "cough for 3 days", "age_years": 1.5, "sex": "female",
                              "vitals": {"weight_kg": 10.5, "height_cm": 80}}))
    assert "malnutrition" not in [s.rule.id for s in well.triage.signs]


def test_growth_points_keep_the_children_measurements_in_order():
    pts = growth.growth_points([(400, 9.0, 75.0, None), (10, 3.4, None, None), (2000, 18, 110, None),
                                (50, None, None, None), (None, 9, 70, None), (400, 9.2, 75.5, 140)])
    assert [(p.age_days, p.weight_kg) for p in pts] == [(10, 3.4), (400, 9.2)]
