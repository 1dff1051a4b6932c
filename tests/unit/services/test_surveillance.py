"""Notifiable-disease surveillance (issue 17): the list is data whose every condition id
exists, and each alert rule fires just above its threshold and not just below."""

from __future__ import annotations

import json
from datetime import date, timedelta

from tests.data_dir_snapshot import snapshot
from tests.unit.conftest import ADMIN_PASS

from lantern.cli import main
from lantern.clinical.knowledge import load_knowledge
from lantern.services.reports import Visit
from lantern.services.surveillance import idsr as idsr_report
from lantern.services.surveillance import iso_week, surveillance_list

MONDAY = date(2026, 3, 2)          # ISO week 2026-W10
WEEK = iso_week(MONDAY)


def visit(n: int, cid: str, day: date, *, village: str = "Kisoro", patient: str | None = None):
    return Visit(encounter_id=f"E{n}", patient_id=patient or f"P{n}", day=day, sex="female",
                 age_years=30.0, village=village, diagnoses=(cid,), any_diagnosis=True)


def run(visits, start=MONDAY, end=MONDAY + timedelta(days=6)):
    return idsr_report(sorted(visits, key=lambda v: v.day), start=start, end=end, revisit_days=14)


def rules(report, cid):
    return [(a["rule"], a["count"], a["threshold"], a["village"])
            for a in report["alerts"] if a["condition_id"] == cid]


def test_every_listed_condition_exists_and_every_entry_cites_its_source():
    kb = load_knowledge()
    diseases = surveillance_list()
    assert {"cholera", "measles", "acute_flaccid_paralysis", "viral_haemorrhagic_fever",
            "yellow_fever", "bloody_diarrhoea", "meningitis", "malaria", "typhoid"} <= \
        {d.id for d in diseases}
    for d in diseases:
        assert all(cid in kb.conditions for cid in d.condition_ids), d.id
        assert "IDSR" in d.source and d.case_definition


def test_the_china_list_has_its_categories_and_deadlines_and_real_condition_ids():
    kb = load_knowledge()
    diseases = surveillance_list(name="china")
    assert {d.category for d in diseases} == {"甲类", "乙类", "丙类"}
    for d in diseases:
        assert all(cid in kb.conditions for cid in d.condition_ids), d.id
        assert d.report_within_hours == (2 if d.immediate else 24), d.id
        assert d.source and d.case_definition
    assert {d.id for d in diseases if d.category == "甲类"} == {"plague_cn", "cholera_cn"}
    report = idsr_report([visit(1, "plague", MONDAY)], start=MONDAY, end=MONDAY,
                         revisit_days=14, diseases=diseases)
    assert [(a["condition_id"], a["rule"]) for a in report["alerts"]] == [("plague", "single_case")]


def test_report_shape_and_zero_reporting():
    report = run([])
    assert list(report) == ["kind", "from", "to", "weeks", "alerts"]
    assert report["weeks"][0]["week"] == WEEK and report["alerts"] == []
    assert set(report["weeks"][0]["counts"]) >= {"cholera", "dysentery", "malaria_uncomplicated"}
    assert set(report["weeks"][0]["counts"].values()) == {0}


def test_single_case_of_an_immediately_notifiable_disease():
    assert rules(run([]), "cholera") == []
    report = run([visit(1, "cholera", MONDAY + timedelta(days=2))])
    assert report["weeks"][0]["counts"]["cholera"] == 1
    assert rules(report, "cholera") == [("single_case", 1, 1, "Kisoro")]
    assert report["alerts"][0]["source"].startswith("WHO AFRO IDSR")


def test_weekly_threshold_meningitis_two_in_a_week():
    one = [visit(1, "meningitis", MONDAY)]
    assert rules(run(one), "meningitis") == []
    two = [*one, visit(2, "meningitis", MONDAY + timedelta(days=6), village="Bukavu")]
    assert rules(run(two), "meningitis") == [("weekly_threshold", 2, 2, None)]


def test_village_cluster_three_bloody_diarrhoea_in_seven_days():
    # 3 cases from one village, but 7 days apart at the ends: no cluster
    spread = [visit(1, "dysentery", MONDAY - timedelta(days=3)), visit(2, "dysentery", MONDAY),
              visit(3, "dysentery", MONDAY + timedelta(days=4))]
    assert rules(run(spread), "dysentery") == []
    # two from the village and one elsewhere: no cluster either
    mixed = [visit(1, "dysentery", MONDAY), visit(2, "dysentery", MONDAY + timedelta(days=1)),
             visit(3, "dysentery", MONDAY + timedelta(days=2), village="Bukavu")]
    assert rules(run(mixed), "dysentery") == []
    close = [visit(1, "dysentery", MONDAY - timedelta(days=2)), visit(2, "dysentery", MONDAY),
             visit(3, "dysentery", MONDAY + timedelta(days=4))]
    assert rules(run(close), "dysentery") == [("village_cluster", 3, 3, "Kisoro")]


def test_weekly_threshold_bloody_diarrhoea_five_in_a_week():
    villages = ["A", "B", "C", "D", "E"]
    four = [visit(i, "dysentery", MONDAY + timedelta(days=i), village=villages[i]) for i in range(4)]
    assert rules(run(four), "dysentery") == []
    five = [*four, visit(9, "dysentery", MONDAY + timedelta(days=5), village="E")]
    assert rules(run(five), "dysentery") == [("weekly_threshold", 5, 5, None)]


def _history(counts_per_year: list[int]):
    """Typhoid cases in weeks 9, 10, 11 of each earlier year (same weeks +- 1)."""
    out, n = [], 100
    for back, count in enumerate(counts_per_year, start=1):
        for week in (9, 10, 11):
            monday = date.fromisocalendar(2026 - back, week, 1)
            for _ in range(count):
                n += 1
                out.append(visit(n, "typhoid", monday, village=f"V{n}"))
    return out


def test_rise_above_the_historical_mean_plus_two_sd():
    history = _history([1, 2, 3])   # 9 weeks: mean 2, SD 0.866 -> threshold 3.73
    this_week = [visit(i, "typhoid", MONDAY, village=f"W{i}") for i in range(3)]
    assert rules(run(history + this_week), "typhoid") == []
    four = [*this_week, visit(9, "typhoid", MONDAY + timedelta(days=1), village="W9")]
    assert rules(run(history + four), "typhoid") == [("historical", 4, 3.73, None)]


def test_no_historical_alert_without_history():
    four = [visit(i, "typhoid", MONDAY, village=f"W{i}") for i in range(4)]
    assert rules(run(four), "typhoid") == []


def test_a_revisit_is_not_a_new_case():
    again = [visit(1, "meningitis", MONDAY, patient="P1"),
             visit(2, "meningitis", MONDAY + timedelta(days=3), patient="P1")]
    report = run(again)
    assert report["weeks"][0]["counts"]["meningitis"] == 1 and rules(report, "meningitis") == []


def test_idsr_through_the_cli_reads_the_vault_without_changing_it(capsys, monkeypatch, session,
                                                                  data_dir):
    rec = session.records
    pid = rec.add_patient(name="Asha", sex="female", birth_year=1990, village="Kisoro").id
    day = date.today() - timedelta(days=3)
    enc = rec.new_encounter(pid, clinical_date=day)
    rec.confirm_diagnoses(enc.id, ["cholera"])
    session.lock()
    files = snapshot(data_dir)
    monkeypatch.setenv("LANTERN_PASSPHRASE", ADMIN_PASS)
    code = main(["report", "--user", "admin", "--kind", "idsr", "--from", day.isoformat(),
                 "--to", day.isoformat()])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert snapshot(data_dir) == files
    report = json.loads(out)
    assert report["weeks"] == [{"week": iso_week(day), "counts": report["weeks"][0]["counts"]}]
    assert report["weeks"][0]["counts"]["cholera"] == 1
    assert [(a["condition_id"], a["rule"], a["village"]) for a in report["alerts"]] == \
        [("cholera", "single_case", "Kisoro")]
    assert "Asha" not in out and pid not in out
    code = main(["report", "--user", "admin", "--kind", "idsr", "--format", "csv",
                 "--from", day.isoformat(), "--to", day.isoformat()])
    out, err = capsys.readouterr()
    assert code == 0 and f"{iso_week(day)},cholera,1,single_case (Kisoro)" in out.splitlines()



def test_line_list_names_cases_for_clinicians_only_and_is_audited(capsys, monkeypatch, session,
                                                                  unlock):
    rec = session.records
    pid = rec.add_patient(name="Asha Mwangi", sex="female", birth_year=1990, village="Kisoro",
                          phone="0700 111 222").id
    other = rec.add_patient(name="Juma Ali", sex="male", birth_year=1980, village="Bukavu").id
    day = date.today() - timedelta(days=2)
    rec.confirm_diagnoses(rec.new_encounter(pid, clinical_date=day).id, ["cholera"])
    rec.confirm_diagnoses(rec.new_encounter(other, clinical_date=day).id, ["common_cold"])
    session.users.add_user(username="nurse", role="assistant", passphrase="nurse passphrase 1")
    session.lock()
    argv = ["report", "--kind", "linelist", "--from", day.isoformat(), "--to", day.isoformat()]
    monkeypatch.setenv("LANTERN_PASSPHRASE", "nurse passphrase 1")
    assert main([*argv, "--user", "nurse"]) == 4
    out, err = capsys.readouterr()
    assert out == "" and "may not produce a line list" in err
    monkeypatch.setenv("LANTERN_PASSPHRASE", ADMIN_PASS)
    assert main([*argv, "--user", "admin"]) == 0
    out, err = capsys.readouterr()
    cases = json.loads(out)["cases"]
    assert [(c["condition_id"], c["name"], c["village"], c["phone"]) for c in cases] == \
        [("cholera", "Asha Mwangi", "Kisoro", "0700 111 222")]
    s = unlock()
    try:
        entries = s.audit.entries(30)
    finally:
        s.lock()
    assert any(e.action == "line list" and e.detail.endswith("1 case(s)") for e in entries)
    assert any(e.action == "view patient" and e.patient_id == pid for e in entries)


def test_cases_after_the_end_of_the_period_are_not_counted():
    """A period that ends mid-week counts that week's cases up to its last day only."""
    end = MONDAY + timedelta(days=2)
    report = run([visit(1, "cholera", MONDAY + timedelta(days=4))], start=MONDAY, end=end)
    assert report["weeks"][0]["counts"]["cholera"] == 0 and report["alerts"] == []
    report = run([visit(1, "cholera", end)], start=MONDAY, end=end)
    assert report["weeks"][0]["counts"]["cholera"] == 1
