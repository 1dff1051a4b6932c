"""The codec's payload formats: each upgrade step on its own, the current
version of every kind pinned by an example, and decoders that refuse a payload
that does not match its format."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime

import pytest

from lantern.domain.errors import MalformedPayload
from lantern.domain.followups import Outcome
from lantern.domain.records import Amendment, NoteStatus, Sex, Vitals
from lantern.services import codec
from lantern.services.codec import PAYLOAD_FORMATS
from lantern.vault.payload_format import VERSION_KEY
from lantern.vault.repo import Row

# One example of each kind in its current version, as the app stores it. If one of
# these has to change, the stored format changed: add an upgrade step instead.
CURRENT = {
    "patients": {"name": "Amina Yusuf", "sex": "female", "birth_date": "1990-02-03",
                 "birth_year": None, "village": "Kibera", "phone": "0712 345 678",
                 # version 3: caregiver, and what an admin merge moved (issue 16)
                 "caregiver_name": "Halima Yusuf", "caregiver_relation": "mother",
                 "caregiver_phone": "0712 000 111", "merged_into": "",
                 "merged_records": ["allergies/A1"]},
    "encounters": {"author": "nurse", "note": "Cough 3 days.", "vitals": {"temp_c": 38.2},
                   "pregnant": True, "status": "signed", "signed_by": "doc",
                   "signed_at": "2026-01-15T10:30:00+00:00",
                   "amendments": [{"author": "doc", "at": "2026-01-16T08:00:00+00:00",
                                   "text": "Review in 2 days."}],
                   # version 3: who holds the draft and how it changed hands
                   "holder": "doc",
                   "handovers": [{"kind": "take over", "from": "nurse", "to": "doc",
                                  "at": "2026-01-15T10:20:00+00:00", "note": "Cough."}],
                   # the step that adds orders (issue 14): drug orders with alerts and overrides
                   "orders": [{"drug": "amoxil", "drug_id": "amoxicillin", "dose": 437.5, "unit": "mg",
                               "route": "oral", "times_per_day": 2, "days": 5, "computed_from": "40 mg/kg",
                               # an order renewing a current medication (absent before: "new")
                               "action": "renew",
                               "alerts": [{"kind": "allergy", "severity": "stop", "message": "penicillin",
                                           "source": "chart"}],
                               "overrides": [{"alert": "allergy: penicillin", "kind": "allergy",
                                              "severity": "stop", "reason": "taken before",
                                              "reason_code": "tolerated_before", "by": "doc",
                                              "at": "2026-01-15T10:25:00+00:00"}]}],
                   # version 5: the day of care, when a paper register was back-entered (issue 17)
                   "clinical_date": "2026-01-12"},
    "allergies": {"substance": "penicillin", "reaction": "rash", "severity": "severe"},
    "medications": {"name": "amoxicillin", "dose": "500 mg", "route": "oral",
                    "frequency": "three times a day", "started": "2026-01-10", "stopped": None},
    "problems": {"description": "Hypertension", "icd10": "I10", "onset": "2025-06-01",
                 "resolved": None},
    "assessments": {"payload": {"action": "accept", "condition_id": "common_cold"},
                    "author": "doc"},
    "summaries": {"payload": {"schema": 1, "kind": "note", "text": "S: cough", "status": "draft"},
                  "author": "doc"},
    # version 1 (schema 5, issue 16): written with its format from the start
    "followups": {"due": "2026-01-22", "programme": "tb", "reason": "TB drugs refill in 1 month",
                  "visit_date": "2026-01-15", "source": "note", "created_by": "doc",
                  "outcomes": [{"outcome": "called", "by": "nurse",
                                "at": "2026-01-23T09:00:00+00:00", "auto": False,
                                "encounter_id": ""}]},
    "alert_acks": {"key": "cholera/2026-W03/single_case/v1", "condition_id": "cholera",
                   "week": "2026-W03", "rule": "single_case", "village": "Kisoro", "count": 1,
                   "acknowledged_by": "doc", "acknowledged_at": "2026-01-16T08:00:00+00:00"},
}


def row(table: str, payload: dict, *, row_id: str = "X1") -> Row:
    """A Row as the repository hands it out: upgraded to the current format."""
    return Row(id=row_id, version=1, created_at="2026-01-15T10:00:00+00:00",
               updated_at="2026-01-15T10:00:00+00:00", patient_id="P1",
               payload=PAYLOAD_FORMATS[table].read(payload, table=table, row_id=row_id))


def test_current_versions_are_pinned():
    """Bump a kind only with a new step, a new CURRENT example and docs/vault.md."""
    assert {t: f.current for t, f in PAYLOAD_FORMATS.items()} == {**dict.fromkeys(CURRENT, 2),
                                                                   "encounters": 5, "patients": 3,
                                                                   "followups": 1,
                                                                   "alert_acks": 1}


@pytest.mark.parametrize("table", CURRENT)
def test_a_current_payload_reads_back_unchanged(table):
    assert PAYLOAD_FORMATS[table].read({**CURRENT[table], VERSION_KEY: PAYLOAD_FORMATS[table].current},
                                       table=table, row_id="X1") == CURRENT[table]


@pytest.mark.parametrize(("table", "field"),
                         [(t, f) for t, fmt in PAYLOAD_FORMATS.items() for f in fmt.fields])
def test_a_current_payload_without_a_field_is_malformed(table, field):
    broken = {k: v for k, v in CURRENT[table].items() if k != field}
    with pytest.raises(MalformedPayload, match=f"{table}/X1"):
        PAYLOAD_FORMATS[table].read({**broken, VERSION_KEY: PAYLOAD_FORMATS[table].current},
                                    table=table, row_id="X1")


# -- the version 1 -> 2 steps, one by one --------------------------------------------------
STEPS = {t: f.steps[0] for t, f in PAYLOAD_FORMATS.items() if f.steps}


@pytest.mark.parametrize(("table", "old", "new"), [
    ("patients", {"name": "A", "sex": "male"},
     {"name": "A", "sex": "male", "birth_date": None, "birth_year": None, "village": "",
      "phone": ""}),
    ("encounters", {"author": "nurse"},
     {"author": "nurse", "note": "", "vitals": {}, "pregnant": False, "status": "draft",
      "signed_by": None, "signed_at": None, "amendments": []}),
    ("allergies", {"substance": "sulfa"}, {"substance": "sulfa", "reaction": "", "severity": ""}),
    ("medications", {"name": "ORS"},
     {"name": "ORS", "dose": "", "route": "", "frequency": "", "started": None,
      "stopped": None}),
    ("problems", {"description": "Asthma"},
     {"description": "Asthma", "icd10": "", "onset": None, "resolved": None}),
    ("assessments", {"payload": {"chosen": "x"}}, {"payload": {"chosen": "x"}, "author": ""}),
    ("summaries", {"payload": {"kind": "note"}, "author": "doc"},
     {"payload": {"kind": "note"}, "author": "doc"}),
])
def test_step_1_to_2_makes_the_old_defaults_explicit(table, old, new):
    before = copy.deepcopy(old)
    assert STEPS[table](old) == new
    assert old == before                                   # pure: the input is not changed


@pytest.mark.parametrize("table", STEPS)
def test_step_1_to_2_keeps_a_complete_payload_as_it_was(table):
    assert STEPS[table](copy.deepcopy(CURRENT[table])) == CURRENT[table]


def test_an_encounter_from_before_the_pregnancy_flag_is_not_pregnant():
    old = {k: v for k, v in CURRENT["encounters"].items() if k != "pregnant"}
    enc = codec.encounter_from_row(row("encounters", old))
    assert enc.pregnant is False and enc.status is NoteStatus.SIGNED
    assert STEPS["encounters"]({"author": "a", "pregnant": 1, "vitals": None})["pregnant"] is True
    assert STEPS["encounters"]({"author": "a", "vitals": None})["vitals"] == {}


def test_step_2_to_3_the_author_holds_a_draft_that_never_changed_hands():
    v2 = {k: v for k, v in CURRENT["encounters"].items() if k not in ("holder", "handovers")}
    enc = codec.encounter_from_row(row("encounters", {**v2, VERSION_KEY: 2}))
    assert (enc.holder, enc.editor, enc.handovers) == ("nurse", "nurse", ())
    assert PAYLOAD_FORMATS["encounters"].steps[1](copy.deepcopy(CURRENT["encounters"])) == CURRENT["encounters"]


def test_the_orders_step_gives_an_older_encounter_no_orders():
    v3 = {k: v for k, v in CURRENT["encounters"].items() if k != "orders"}
    before = copy.deepcopy(v3)
    enc = codec.encounter_from_row(row("encounters", {**v3, VERSION_KEY: 3}))
    assert enc.orders == () and enc.note == "Cough 3 days."
    step = PAYLOAD_FORMATS["encounters"].steps[2]
    assert step.__name__ == "_encounter_add_orders"
    assert step(copy.deepcopy(CURRENT["encounters"])) == CURRENT["encounters"]
    step(v3)
    assert v3 == before                                    # pure: the input is not changed


def test_a_stored_order_decodes_with_its_alert_and_override():
    e = codec.encounter_from_row(row("encounters", CURRENT["encounters"]))
    order = e.orders[0]
    assert (order.drug_id, order.dose, order.computed_from) == ("amoxicillin", 437.5, "40 mg/kg")
    assert order.override_of(order.alerts[0]).reason == "taken before" and order.open_stops == ()
    assert order.action == "renew"
    before_actions = copy.deepcopy(CURRENT["encounters"])
    del before_actions["orders"][0]["action"]
    assert codec.encounter_from_row(row("encounters", before_actions)).orders[0].action == "new"
    unknown = copy.deepcopy(CURRENT["encounters"])
    unknown["orders"][0]["action"] = "refill"
    with pytest.raises(MalformedPayload, match="encounters/X1"):
        codec.encounter_from_row(row("encounters", unknown))
    broken = copy.deepcopy(CURRENT["encounters"])
    broken["orders"][0]["dose"] = "a lot"
    with pytest.raises(MalformedPayload, match="encounters/X1"):
        codec.encounter_from_row(row("encounters", broken))


def test_patient_step_2_to_3_no_caregiver_and_never_merged():
    v2 = {k: v for k, v in CURRENT["patients"].items()
          if not k.startswith(("caregiver_", "merged_"))}
    before = copy.deepcopy(v2)
    p = codec.patient_from_row(row("patients", {**v2, VERSION_KEY: 2}))
    assert (bool(p.caregiver), p.caregiver.line(), p.merged_into, p.merged_records) == \
        (False, "", "", ())
    assert (p.name, p.village) == ("Amina Yusuf", "Kibera")
    assert PAYLOAD_FORMATS["patients"].steps[1](copy.deepcopy(CURRENT["patients"])) == CURRENT["patients"]
    PAYLOAD_FORMATS["patients"].steps[1](v2)
    assert v2 == before                                    # pure: the input is not changed


@pytest.mark.parametrize("table", ["assessments", "summaries"])
def test_a_flat_output_body_becomes_the_payload_of_an_envelope(table):
    flat = {"kind": "note", "text": "Cough. Plan: fluids.", "signed_by": "legacy"}
    assert STEPS[table](flat) == {"payload": flat, "author": ""}


# -- decoders over the current format --------------------------------------------------
def test_an_encounter_from_before_the_clinical_date_took_place_the_day_it_was_entered():
    v4 = {k: v for k, v in CURRENT["encounters"].items() if k != "clinical_date"}
    step = PAYLOAD_FORMATS["encounters"].steps[3]
    assert step.__name__ == "_encounter_add_clinical_date"
    assert step(copy.deepcopy(v4)) == {**v4, "clinical_date": None}
    e = codec.encounter_from_row(row("encounters", {**v4, VERSION_KEY: 4}))
    assert e.clinical_date == date(2026, 1, 15) == e.date_of_care   # the row's created_at
    assert codec.encounter_payload(e)["clinical_date"] == "2026-01-15"


def test_decoders_build_the_domain_objects():
    p = codec.patient_from_row(row("patients", {**CURRENT["patients"], VERSION_KEY: 3}))
    assert (p.name, p.sex, p.birth_date, p.village) == ("Amina Yusuf", Sex.FEMALE,
                                                        date(1990, 2, 3), "Kibera")
    assert p.caregiver.line() == "Halima Yusuf (mother), 0712 000 111"
    assert p.merged_records == ("allergies/A1",)
    e = codec.encounter_from_row(row("encounters", {**CURRENT["encounters"], VERSION_KEY: 5}))
    assert e.clinical_date == date(2026, 1, 12) and e.created_at.date() == date(2026, 1, 15)
    assert e.vitals == Vitals(temp_c=38.2) and e.pregnant and e.signed_by == "doc"
    assert (e.author, e.editor, [(h.kind, h.from_user, h.to_user, h.note) for h in e.handovers]) == \
        ("nurse", "doc", [("take over", "nurse", "doc", "Cough.")])
    assert e.amendments == (Amendment("doc", datetime(2026, 1, 16, 8, tzinfo=UTC),
                                      "Review in 2 days."),)
    a = codec.allergy_from_row(row("allergies", CURRENT["allergies"]))
    assert (a.substance, a.reaction, a.severity) == ("penicillin", "rash", "severe")
    m = codec.medication_from_row(row("medications", CURRENT["medications"]))
    assert (m.dose, m.started, m.active) == ("500 mg", date(2026, 1, 10), True)
    pr = codec.problem_from_row(row("problems", CURRENT["problems"]))
    assert (pr.icd10, pr.onset, pr.resolved) == ("I10", date(2025, 6, 1), None)


def test_encoders_write_the_current_example_back():
    p = codec.patient_from_row(row("patients", CURRENT["patients"]))
    e = codec.encounter_from_row(row("encounters", CURRENT["encounters"]))
    assert codec.patient_payload(p) == CURRENT["patients"]
    assert codec.encounter_payload(e) == CURRENT["encounters"]
    f = codec.followup_from_row(row("followups", CURRENT["followups"]))
    assert (f.due, f.programme, f.outcome, f.open) == (date(2026, 1, 22), "tb", Outcome.CALLED,
                                                       True)
    assert codec.followup_payload(f) == CURRENT["followups"]


@pytest.mark.parametrize(("table", "decode", "change"), [
    ("patients", codec.patient_from_row, {"sex": "unknown"}),
    ("patients", codec.patient_from_row, {"birth_date": "03/02/1990"}),
    ("encounters", codec.encounter_from_row, {"status": "archived"}),
    ("encounters", codec.encounter_from_row, {"amendments": [{"author": "doc"}]}),
    ("encounters", codec.encounter_from_row, {"vitals": {"temp_c": "hot"}}),
    ("medications", codec.medication_from_row, {"started": "soon"}),
    ("problems", codec.problem_from_row, {"onset": "2025-13-01"}),
    ("followups", codec.followup_from_row, {"due": "2026-02-30"}),
    ("followups", codec.followup_from_row, {"outcomes": [{"outcome": "vanished", "by": "x",
                                                          "at": "2026-01-23T09:00:00+00:00",
                                                          "auto": False, "encounter_id": ""}]}),
])
def test_a_value_the_domain_rejects_is_a_malformed_payload(table, decode, change):
    with pytest.raises(MalformedPayload, match=f"{table}/X1") as info:
        decode(row(table, {**CURRENT[table], **change}))
    assert info.value.__cause__ is None
    for value in change.values():
        assert str(value) not in str(info.value)       # nothing of the content is quoted
