"""Nothing describing a patient reaches the disk or the logs in clear."""

from __future__ import annotations

import logging
from datetime import date

from lantern.domain.records import Vitals

MARKERS = {
    "name": "Zebulonmarker Quixotelli",
    "village": "Villagemarkerxyz",
    "phone": "0799123987",
    "note": "Notemarker cough with wheeze",
    "chinese": "咳嗽标记七天",
    "allergy": "Allergymarkercillin",
    "reaction": "Reactionmarker hives",
    "medication": "Medmarkerzole",
    "problem": "Problemmarker asthma",
    "amendment": "Amendmarker spo2 rechecked",
    "assessment": "Assessmarker pneumonia",
    "summary": "Summarymarker stable",
    "birth": "1987-06-05",
}


def _all_files(root):
    return [p for p in root.rglob("*") if p.is_file()]


def _leaks(root, secrets) -> list[tuple[str, str]]:
    found = []
    for path in _all_files(root):
        content = path.read_bytes()
        for label, text in secrets.items():
            for encoded in (text.encode("utf-8"), text.encode("utf-16-le")):
                if encoded in content:
                    found.append((path.name, label))
    return found


def test_markers_never_reach_disk_or_logs(created, data_dir, caplog, unlock):
    caplog.set_level(logging.DEBUG)
    session, recovery_key = created
    rec = session.records
    m = MARKERS
    p = rec.add_patient(name=m["name"], sex="female", birth_date=date.fromisoformat(m["birth"]),
                        village=m["village"], phone=m["phone"])
    rec.add_allergy(p.id, substance=m["allergy"], reaction=m["reaction"], severity="severe")
    rec.add_medication(p.id, name=m["medication"], dose="10 mg")
    rec.add_problem(p.id, description=m["problem"])
    enc = rec.new_encounter(p.id)
    rec.save_draft(enc.id, note=m["note"] + " " + m["chinese"], vitals=Vitals(temp_c=39.4, spo2=91))
    rec.sign_encounter(enc.id)
    rec.amend_encounter(enc.id, m["amendment"])
    rec.save_assessment(enc.id, {"diagnosis": m["assessment"]})
    rec.save_summary(enc.id, p.id, {"text": m["summary"]})
    rec.search_patients(m["village"][:8])
    secrets = {**m, "passphrase": "admin passphrase 1", "recovery": recovery_key}

    # the scan itself works: the clinic name is stored in clear on purpose
    assert _leaks(data_dir, {"clinic": "Test Clinic"})
    # while the vault is open (WAL and shared-memory files present)
    assert any(path.name.endswith("-wal") for path in _all_files(data_dir))
    assert _leaks(data_dir, secrets) == []
    session.lock()
    again = unlock()
    assert again.records.get_patient(p.id).name == m["name"]
    again.lock()
    # after lock and a checkpoint
    assert _leaks(data_dir, secrets) == []
    log_text = caplog.text + "".join(str(r.args) for r in caplog.records)
    assert not [label for label, text in secrets.items() if text in log_text]
