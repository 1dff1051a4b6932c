"""The evaluation sets stay as they were first scored (tests/data/SETS.toml, tests/data/README.md).

Every set file and first-run record is frozen by its sha256; every set file under
``tests/`` is in the manifest; a file's name says its kind and its status, so a set
used for fixing cannot pass for a blind one.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.benchmarks.eval_sets import DATA, KINDS, MANIFEST, STATUSES, manifest, sha256_of

TESTS = DATA.parent
ENTRIES = manifest()
RECORDS = [e for e in ENTRIES if e.first_run_record]
DIAGNOSIS_FLOOR_KEYS = {"top1", "top3", "triage_exact", "emergency_under_max"}
SUMMARY_FLOOR_KEYS = {"facts_found", "invented_max"}
MEANING_FLOOR_KEYS = {"changed_dropped", "faithful_kept"}
PRESCRIBING_FLOOR_KEYS = {"alerts_found", "false_alarms_max"}


def _ids(entries) -> list[str]:
    return [e.file for e in entries]


def _set_files_on_disk() -> set[str]:
    """Every JSONL file under tests/ (the saved vaults aside) and every first-run record."""
    found = {p for p in TESTS.rglob("*.jsonl") if "vaults" not in p.relative_to(TESTS).parts}
    found |= set(DATA.glob("*_firstrun.md"))
    outside = sorted(str(p.relative_to(TESTS)) for p in found if p.parent != DATA)
    assert outside == [], f"evaluation sets belong in tests/data/, not in {outside}"
    return {p.name for p in found}


def test_every_set_file_in_tests_is_in_the_manifest():
    listed = set(_ids(ENTRIES)) | {e.first_run_record for e in RECORDS}
    unlisted = sorted(_set_files_on_disk() - listed)
    assert unlisted == [], (
        f"{unlisted} not in {MANIFEST.name}: add each new set with its sha256 and status "
        "before its first run (tests/data/README.md)")


def test_every_listed_file_exists():
    missing = [name for name in _ids(ENTRIES) + [e.first_run_record for e in RECORDS]
               if not (DATA / name).is_file()]
    assert missing == []
    assert len(set(_ids(ENTRIES))) == len(ENTRIES)


@pytest.mark.parametrize("entry", ENTRIES, ids=_ids(ENTRIES))
def test_set_is_unchanged(entry):
    assert sha256_of(entry.path) == entry.sha256, (
        f"{entry.file} changed. A set is frozen as it was first scored: restore it from git "
        "and put new cases in a new set (tests/data/README.md).")


@pytest.mark.parametrize("entry", RECORDS, ids=[e.first_run_record for e in RECORDS])
def test_first_run_record_is_unchanged(entry):
    assert sha256_of(DATA / entry.first_run_record) == entry.first_run_record_sha256, (
        f"{entry.first_run_record} changed: first-run records are never edited.")


@pytest.mark.parametrize("entry", ENTRIES, ids=_ids(ENTRIES))
def test_file_name_says_kind_and_status(entry):
    assert entry.kind in KINDS and entry.status in STATUSES
    stem = Path(entry.file).stem
    if entry.status == "development":
        assert re.fullmatch(rf"{entry.kind}_dev_[a-z0-9_]+", stem), entry.file
    else:
        assert re.fullmatch(rf"{entry.kind}_blind\d+", stem), entry.file
    if entry.first_run_record:
        assert entry.first_run_record == f"{stem}_firstrun.md"


@pytest.mark.parametrize("entry", ENTRIES, ids=_ids(ENTRIES))
def test_item_count_and_ids(entry):
    items = entry.load()
    assert len(items) == entry.n
    assert len({i["id"] for i in items}) == len(items)


@pytest.mark.parametrize("entry", ENTRIES, ids=_ids(ENTRIES))
def test_first_run_figures_are_recorded_for_every_set_written_blind(entry):
    """A blind set is scored once before any fix; its figures are reported, never replaced.

    A blind set may wait for its first run (it is committed first); once used for fixing
    (development) it must have first-run figures."""
    if entry.origin == "blind" and entry.status == "development":
        assert entry.first_run, f"{entry.file}: used for fixing without first-run figures"
    if entry.first_run_record:
        assert entry.first_run, f"{entry.file}: a first-run record but no figures"
    if entry.origin != "blind":
        assert entry.status == "development" and not entry.first_run, entry.file


@pytest.mark.parametrize("entry", ENTRIES, ids=_ids(ENTRIES))
def test_floors_are_complete_and_possible(entry):
    if entry.status == "sealed":
        # not scored yet: no floor, no first run, nothing that could have been tuned on it
        assert not entry.floor and not entry.first_run and not entry.first_run_record, entry.file
        return
    if entry.kind == "prescribing" and not entry.floor:
        return     # development prescribing sets get floors once the formulary data is merged (issue 14)
    keys = {"diagnosis": DIAGNOSIS_FLOOR_KEYS, "summary": SUMMARY_FLOOR_KEYS,
            "meaning_change": MEANING_FLOOR_KEYS, "prescribing": PRESCRIBING_FLOOR_KEYS}[entry.kind]
    assert "all" in entry.floor
    for slice_name, floor in entry.floor.items():
        assert set(floor) == keys, (slice_name, floor)
        assert all(isinstance(v, int) and v >= 0 for v in floor.values())
    if entry.kind == "diagnosis":
        assert max(entry.floor["all"][k] for k in ("top1", "top3", "triage_exact")) <= entry.n
        assert entry.floor["all"]["top1"] <= entry.floor["all"]["top3"]
    if entry.kind == "meaning_change":
        items = entry.load()
        changed = sum(1 for i in items if i["changed"])
        assert entry.floor["all"]["changed_dropped"] <= changed
        assert entry.floor["all"]["faithful_kept"] <= len(items) - changed


@pytest.mark.parametrize("entry", ENTRIES, ids=_ids(ENTRIES))
def test_order_action_is_a_prescribing_sets_convention(entry):
    """``order_action``: only a prescribing set's, one of the contract's actions (new / renew / revise)."""
    from lantern.domain.records import ORDER_ACTIONS

    if entry.order_action:
        assert entry.kind == "prescribing" and entry.order_action in ORDER_ACTIONS, entry.file
