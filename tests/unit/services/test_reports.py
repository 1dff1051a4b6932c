"""The monthly morbidity report (issue 17): confirmed diagnoses only, counted on the
clinical date by age band and sex, through `lantern report`, which never changes the vault."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from tests.data_dir_snapshot import snapshot
from tests.unit.conftest import ADMIN_PASS

from lantern.cli import main
from lantern.domain.records import Vitals
from lantern.services import reports, surveillance


def refresh_dates() -> None:
    """The dates of today, taken again before each test by tests/conftest.py (a run that
    crosses midnight compares them with the code's own date.today())."""
    global TODAY, START, END
    TODAY = date.today()
    START = (TODAY.replace(day=1) - timedelta(days=1)).replace(day=1)   # last month
    END = TODAY.replace(day=1) - timedelta(days=1)


refresh_dates()


def _visit(session, pid, day, diagnoses=(), *, sign=True):
    rec = session.records
    enc = rec.new_encounter(pid, clinical_date=day)
    rec.save_draft(enc.id, note="Seen.", vitals=Vitals())
    if sign:
        rec.sign_encounter(enc.id)
    if diagnoses:
        rec.confirm_diagnoses(enc.id, list(diagnoses))
    return enc.id


def _letter(session, pid, enc_id, *, signed):
    payload = {"kind": "referral", "text": "Referred to the district hospital.",
               "status": "signed" if signed else "draft", "signed_by": "admin" if signed else None}
    if signed:
        session.records.save_summary(enc_id, pid, payload)
    else:
        session.records.save_summary_draft(enc_id, pid, payload)


@pytest.fixture
def clinic(session):
    rec = session.records
    age = {"child": TODAY.year - 2, "school": TODAY.year - 9, "adult": TODAY.year - 40}
    p = {f"{k}_{s}": rec.add_patient(name=f"Patient {k} {s}", sex=s, birth_year=y,
                                     village="Kisoro", confirmed_new=True).id
         for k, y in age.items() for s in ("male", "female")}
    mid = START + timedelta(days=10)
    referred = _visit(session, p["child_male"], mid, ["malaria_uncomplicated"])
    _letter(session, p["child_male"], referred, signed=True)            # referred in the month
    _letter(session, p["child_male"], referred, signed=True)            # the same referral twice
    _visit(session, p["child_male"], mid + timedelta(days=3), ["malaria_uncomplicated"])  # revisit
    _visit(session, p["child_female"], mid, ["malaria_uncomplicated", "pneumonia"])
    _visit(session, p["school_female"], START, ["malaria_uncomplicated"])        # first day
    _visit(session, p["adult_male"], END, ["dysentery"], sign=False)               # last day, draft
    unsigned = _visit(session, p["adult_female"], mid)                             # no diagnosis
    _letter(session, p["adult_female"], unsigned, signed=False)         # a draft letter: not referred
    _visit(session, p["adult_female"], START - timedelta(days=1), ["dysentery"])   # before
    after = _visit(session, p["school_male"], END + timedelta(days=1), ["pneumonia"])   # after
    _letter(session, p["school_male"], after, signed=True)              # referred after the month
    # a suggestion that was rejected is not a diagnosis
    enc = _visit(session, p["adult_male"], mid)
    session.records.save_encounter_assessment(enc, decisions=[
        {"condition_id": "typhoid", "name": "Typhoid", "origin": "suggested", "state": "rejected"}])
    session.lock()
    return p


def _report(capsys, monkeypatch, *extra):
    monkeypatch.setenv("LANTERN_PASSPHRASE", ADMIN_PASS)
    code = main(["report", "--user", "admin", "--kind", "monthly", "--from", START.isoformat(),
                 "--to", END.isoformat(), *extra])
    out, err = capsys.readouterr()
    return code, out, err


def _files(data_dir):
    return snapshot(data_dir)


def test_monthly_report_counts_confirmed_new_cases_by_band_and_sex(capsys, monkeypatch, clinic,
                                                                   data_dir):
    before = _files(data_dir)
    code, out, err = _report(capsys, monkeypatch)
    assert code == 0, err
    assert _files(data_dir) == before     # a read-only session: not even an audit entry
    report = json.loads(out)
    assert list(report) == ["kind", "from", "to", "clinic", "total_encounters", "no_diagnosis",
                            "by_condition"]
    assert (report["kind"], report["clinic"], report["from"], report["to"]) == \
        ("monthly", "Test Clinic", START.isoformat(), END.isoformat())
    assert report["total_encounters"] == 7 and report["no_diagnosis"] == 2
    zero = {"male": 0, "female": 0}
    assert report["by_condition"] == [
        {"condition_id": "malaria_uncomplicated", "name": "Uncomplicated malaria",
         "icd10": "B54", "under5": {"male": 1, "female": 1}, "age5to14": {"male": 0, "female": 1},
         "age15plus": zero, "total": 3},
        {"condition_id": "dysentery", "name": report["by_condition"][1]["name"], "icd10": "A03.9",
         "under5": zero, "age5to14": zero, "age15plus": {"male": 1, "female": 0}, "total": 1},
        {"condition_id": "pneumonia", "name": report["by_condition"][2]["name"], "icd10": "J18.9",
         "under5": {"male": 0, "female": 1}, "age5to14": zero, "age15plus": zero, "total": 1}]


def test_csv_and_small_cell_suppression(capsys, monkeypatch, clinic):
    code, out, err = _report(capsys, monkeypatch, "--format", "csv")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == ("condition_id,name,icd10,under5_male,under5_female,age5to14_male,"
                        "age5to14_female,age15plus_male,age15plus_female,total")
    assert lines[1].startswith("malaria_uncomplicated,") and lines[1].endswith(",1,1,0,1,0,0,3")
    assert lines[-4:] == ["total_encounters,,,,,,,,,7", "no_diagnosis,,,,,,,,,2",
                          "referrals,,,,,,,,,1", "deaths,,,,,,,,,0"]
    code, out, err = _report(capsys, monkeypatch, "--suppress-small")
    report = json.loads(out)
    assert report["total_encounters"] == 7 and report["no_diagnosis"] == "<5"
    assert report["by_condition"][0]["under5"] == {"male": "<5", "female": "<5"}
    assert report["by_condition"][0]["age15plus"] == {"male": 0, "female": 0}
    assert "Patient" not in out and not any(pid in out for pid in clinic.values())


@pytest.mark.parametrize(("argv", "message", "code"), [
    (["--kind", "monthly", "--from", "2026-03-31", "--to", "2026-03-01"], "is after --to", 2),
    (["--kind", "monthly", "--from", "2026-02-30", "--to", "2026-03-01"], "is not a date", 2),
    (["--kind", "weekly", "--from", "2026-03-01", "--to", "2026-03-31"], "invalid choice", 2),
])
def test_bad_input_is_one_clear_line(capsys, monkeypatch, session, argv, message, code):
    session.lock()
    monkeypatch.setenv("LANTERN_PASSPHRASE", ADMIN_PASS)
    try:
        got = main(["report", "--user", "admin", *argv])
    except SystemExit as exc:
        got = exc.code
    assert got == code and message in capsys.readouterr().err


def test_age_bands_are_data_and_must_tile(tmp_path):
    settings = reports.report_settings()
    assert [b.key for b in settings.age_bands] == ["under5", "age5to14", "age15plus"]
    assert reports.band_of(4.99, settings.age_bands) == "under5"
    assert reports.band_of(5.0, settings.age_bands) == "age5to14"
    assert reports.band_of(15.0, settings.age_bands) == "age15plus"
    bad = tmp_path / "r.toml"
    bad.write_text('[[age_band]]\nkey="a"\nmin_years=0\nmax_years=5\n'
                   '[[age_band]]\nkey="b"\nmin_years=6\nmax_years=9\n')
    with pytest.raises(ValueError, match="gap or overlap"):
        reports.report_settings(bad)


EXAMPLE_MAPPING = str(Path(__file__).resolve().parents[3] / "resources" / "reports"
                      / "dhis2_mapping.example.toml")


def test_dhis2_data_value_set_through_the_example_mapping(capsys, monkeypatch, clinic):
    code, out, err = _report(capsys, monkeypatch, "--format", "dhis2", "--mapping",
                             EXAMPLE_MAPPING)
    assert code == 0, err and err == ""
    doc = json.loads(out)
    period = f"{START.year}{START.month:02d}"
    assert (doc["dataSet"], doc["period"], doc["orgUnit"]) == ("OPDmorbid01", period, "OrgUnitUid1")
    values = {(v["dataElement"], v["categoryOptionCombo"]): v["value"] for v in doc["dataValues"]}
    assert values == {("DeMalaria01", "CocU5Male01"): "1", ("DeMalaria01", "CocU5Fema01"): "1",
                      ("DeMalaria01", "Coc514Fema1"): "1", ("DeDysent001", "Coc15pMale1"): "1",
                      ("DePneumo001", "CocU5Fema01"): "1", ("OpdAttend01", "HllvX50cXC0"): "7",
                      ("OpdNoDiag01", "HllvX50cXC0"): "2", ("OpdReferr01", "HllvX50cXC0"): "1"}
    assert all(v["period"] == period and v["orgUnit"] == "OrgUnitUid1" for v in doc["dataValues"])
    assert "Patient" not in out and not any(pid in out for pid in clinic.values())


def test_dhis2_lists_unmapped_conditions_instead_of_dropping_them(capsys, monkeypatch, clinic,
                                                                  tmp_path):
    text = open(EXAMPLE_MAPPING, encoding="utf-8").read().replace('pneumonia = "DePneumo001"\n', "")
    mapping = tmp_path / "m.toml"
    mapping.write_text(text, encoding="utf-8")
    code, out, err = _report(capsys, monkeypatch, "--format", "dhis2", "--mapping", str(mapping))
    assert code == 2 and out == "" and "no data element for: pneumonia" in err
    code, out, err = _report(capsys, monkeypatch, "--format", "dhis2", "--mapping", str(mapping),
                             "--allow-unmapped")
    assert code == 0 and "not in the DHIS2 export" in err and "pneumonia" in err
    assert "DePneumo001" not in out and "DeMalaria01" in out


@pytest.mark.parametrize(("extra", "message"), [
    (["--mapping", "/nonexistent/mapping.toml"], "does not exist"),
    ([], "needs --mapping FILE"),
    (["--mapping", EXAMPLE_MAPPING, "--suppress-small"], "exact counts"),
])
def test_dhis2_bad_input(capsys, monkeypatch, session, extra, message):
    session.lock()
    code, out, err = _report(capsys, monkeypatch, "--format", "dhis2", *extra)
    assert code == 2 and out == "" and message in err and err.count("\n") == 1


def test_dhis2_needs_one_calendar_month(capsys, monkeypatch, session):
    session.lock()
    monkeypatch.setenv("LANTERN_PASSPHRASE", ADMIN_PASS)
    code = main(["report", "--user", "admin", "--kind", "monthly", "--from", "2026-01-02",
                 "--to", "2026-01-31", "--format", "dhis2", "--mapping", EXAMPLE_MAPPING])
    assert code == 2 and "one calendar month" in capsys.readouterr().err


def test_month_report_curve_villages_and_age_sex_come_from_the_same_counts(session):
    """The Reports window's month (``month_report``): the same monthly report as the CLI,
    the epidemic curve from the IDSR weekly counts, villages with their alerts."""
    rec = session.records
    mid = START + timedelta(days=10)
    hill = [rec.add_patient(name=f"Hill {i}", sex="male", birth_year=TODAY.year - 3,
                            village="Hill", confirmed_new=True).id for i in range(3)]
    for pid in hill:
        _visit(session, pid, mid, ["dysentery"])
    adult = rec.add_patient(name="Adult", sex="female", birth_year=TODAY.year - 30,
                            village="", confirmed_new=True).id
    _visit(session, adult, mid, ["malaria_uncomplicated"])
    _visit(session, adult, mid + timedelta(days=2), ["malaria_uncomplicated"])   # revisit
    month = surveillance.month_report(session.context, start=START, end=END, clinic="Test Clinic")
    data = reports.read_visits(session.context, since=None)
    assert month.monthly == reports.monthly(data, start=START, end=END, clinic="Test Clinic")
    assert month.age_sex() == {"under5": {"male": 3, "female": 0},
                               "age5to14": {"male": 0, "female": 0},
                               "age15plus": {"male": 0, "female": 1}}
    assert month.unbanded() == 0
    assert [c["condition_id"] for c in month.top(1)] == ["dysentery"]
    assert sum(n for _w, n in month.curve(("dysentery",))) == 3
    assert month.villages == [
        {"village": "Hill", "cases": 3, "notifiable": 3, "alerts": ["village_cluster"]},
        {"village": "", "cases": 1, "notifiable": 1, "alerts": []}]
    assert [(a["condition_id"], a["rule"], a["village"]) for a in month.alerts] == \
        [("dysentery", "village_cluster", "Hill")]


def test_deaths_are_the_patients_whose_death_tracing_recorded_in_the_period(session, data_dir):
    from lantern.services import reports

    rec, fu = session.records, session.followups
    today = date.today()
    pids = [rec.add_patient(name=f"Traced {i}", sex="female", birth_year=1950, village="Kisoro",
                            confirmed_new=True).id for i in range(3)]
    for pid in pids[:2]:
        _visit(session, pid, today, ["hypertension"])
        item = fu.add(patient_id=pid, due=today + timedelta(days=7), reason="BP review")
        fu.record_outcome(item.id, "called")
    for _ in range(2):      # recorded on two follow-ups of the same patient: one death
        item = fu.add(patient_id=pids[0], due=today + timedelta(days=14), reason="again")
        fu.record_outcome(item.id, "died")
    data = reports.read_visits(session.context, since=today - timedelta(days=1))
    month = (today.replace(day=1), today)
    assert reports.outcomes(data, start=month[0], end=month[1])["deaths"] == 1
    last_month_end = today.replace(day=1) - timedelta(days=1)
    assert reports.outcomes(data, start=last_month_end.replace(day=1), end=last_month_end)["deaths"] == 0
