"""Vault benchmark: 10,000 patients and 100,000 notes.

Measures unlock time without the deliberate KDF, search index build, search
latency and note-save latency. The built vault is cached under
``$TMPDIR/lantern-bench-vault-v<schema>-s<key slot format>`` and copied for each run.

Run: ``PYTHONPATH=desktop python -m tests.benchmarks.bench_vault``
"""

from __future__ import annotations

import json
import os
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("LANTERN_KDF_PROFILE", "test")

from lantern.domain.records import NoteStatus, Vitals  # noqa: E402
from lantern.services.session import VaultSession  # noqa: E402
from lantern.vault.crypto import new_record_id  # noqa: E402
from lantern.vault.kdf import KdfParams, derive_key  # noqa: E402
from lantern.vault.keyslots import SLOT_FORMAT  # noqa: E402
from lantern.vault.schema import SCHEMA_VERSION  # noqa: E402
from lantern.vault.store import vault_path  # noqa: E402

PATIENTS = 10_000
NOTES = 100_000
PASSPHRASE = "benchmark passphrase"
SYLLABLES = ["a", "ka", "mi", "na", "ro", "su", "te", "wa", "yu", "zo", "ji", "ba", "le", "mo",
             "ng", "ki", "tu", "pe", "da", "shi"]
VILLAGES = [f"{a}{b}{c}".capitalize() for a, b, c in
            zip(SYLLABLES * 3, SYLLABLES[5:] + SYLLABLES[:5] * 3, SYLLABLES[10:] * 6, strict=False)][:60]
NOTE_WORDS = ("cough fever headache vomiting diarrhoea rash pain chest abdomen days weeks "
              "mother reports child adult examined stable referred advised review malaria "
              "negative positive tablets given fluids oral follow up").split()


def _name(rng: random.Random) -> str:
    def word() -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
    return f"{word()} {word()}"


def build(target_dir: Path, *, patients: int = PATIENTS, notes: int = NOTES) -> dict:
    session, _ = VaultSession.create(target_dir, clinic_name="Bench Clinic",
                                     admin_username="bench", passphrase=PASSPHRASE)
    fill(session, patients=patients, notes=notes)
    session.lock()
    return {"patients": patients, "notes": notes}


def fill(session: VaultSession, *, patients: int, notes: int) -> None:
    """Add ``patients`` patients and ``notes`` signed notes to an open vault with
    ``bulk_insert`` (one sync event per record, as any bulk insert)."""
    rng = random.Random(42)
    ids = [new_record_id("P", length=8) for _ in range(patients)]
    session.bulk_insert("patients", ({"id": pid, "payload": {
        "name": _name(rng), "sex": rng.choice(["male", "female"]), "birth_date": None,
        "birth_year": rng.randint(1940, 2025), "village": rng.choice(VILLAGES),
        "phone": f"07{rng.randint(10_000_000, 99_999_999)}", "caregiver_name": "",
        "caregiver_relation": "", "caregiver_phone": "", "merged_into": "",
        "merged_records": []}} for pid in ids))

    def notes_batch(count: int):
        for _ in range(count):
            text = " ".join(rng.choice(NOTE_WORDS) for _ in range(rng.randint(30, 120)))
            yield {"id": new_record_id("E"), "patient_id": rng.choice(ids), "payload": {
                "author": "bench", "note": text, "vitals": {"temp_c": 37.0}, "pregnant": False,
                "status": NoteStatus.SIGNED.value, "signed_by": "bench", "signed_at": None,
                "amendments": [], "holder": "bench", "handovers": [],
                "orders": [], "clinical_date": None}}

    for start in range(0, notes, 20_000):
        session.bulk_insert("encounters", notes_batch(min(20_000, notes - start)))


def cached_vault() -> Path:
    cache = Path(tempfile.gettempdir()) / f"lantern-bench-vault-v{SCHEMA_VERSION}-s{SLOT_FORMAT}"
    if not vault_path(cache).exists():
        shutil.rmtree(cache, ignore_errors=True)
        start = time.perf_counter()
        build(cache)
        print(f"built benchmark vault in {time.perf_counter() - start:.1f} s (cached in {cache})")
    return cache


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _ms(x: float) -> str:
    return f"{x * 1000:.1f} ms"


def main() -> dict:
    work = Path(tempfile.mkdtemp(prefix="lantern-bench-"))
    # every run starts from the same cached file: its rollback counter must not
    # persist between runs (or in the user's own state directory)
    os.environ["LANTERN_STATE_DIR"] = str(work / "seen-state")
    try:
        shutil.copytree(cached_vault(), work, dirs_exist_ok=True)
        from lantern.services.integrity import check_vault
        from lantern.vault import accounts
        from lantern.vault.audit import AuditChain
        from lantern.vault.crypto import RecordCipher
        from lantern.vault.keyslots import unwrap
        from lantern.vault.state import VaultState
        from lantern.vault.store import Store

        store = Store.open(vault_path(work))
        slot = accounts.get_slot(store.conn, accounts.user_slot_id("bench"))
        integrity_times = []
        for _ in range(3):   # the unlock's integrity check alone (sealed state, issue 12)
            cipher = RecordCipher(unwrap(slot, secret=PASSPHRASE))
            start = time.perf_counter()
            check = check_vault(store, VaultState(cipher), AuditChain(cipher))
            integrity_times.append(time.perf_counter() - start)
            cipher.close()
        store.close()
        if not check.ok:
            raise SystemExit(f"benchmark vault fails its integrity check: {check.lines()}")
        integrity_check = statistics.median(integrity_times)
        params = KdfParams.from_dict(json.loads(slot.kdf_json))
        kdf_times = []
        for _ in range(3):
            start = time.perf_counter()
            derive_key(PASSPHRASE, slot.salt, params)
            kdf_times.append(time.perf_counter() - start)
        kdf = statistics.median(kdf_times)

        start = time.perf_counter()
        session = VaultSession.unlock(work, username="bench", passphrase=PASSPHRASE)
        unlock_total = time.perf_counter() - start
        start = time.perf_counter()
        indexed = session.records.rebuild_index()
        index_build = time.perf_counter() - start

        rng = random.Random(7)
        sample = session.records.search_patients("", limit=PATIENTS)
        queries = []
        for _ in range(60):
            p = rng.choice(sample)
            queries += [p.name[: rng.randint(2, 5)].lower(), p.name.split()[-1].upper(),
                        p.village[:4], p.phone[-5:], p.id.lower()]
        queries += ["zz qq", "a", "ka mi", "Xyznothing"] * 5
        search_times = []
        for q in queries:
            start = time.perf_counter()
            session.records.search_patients(q)
            search_times.append(time.perf_counter() - start)

        pid = sample[0].id
        enc = session.records.new_encounter(pid)
        base = " ".join(rng.choice(NOTE_WORDS) for _ in range(400))
        save_times = []
        for i in range(200):
            start = time.perf_counter()
            session.records.save_draft(enc.id, note=base[: 500 + i * 10],
                                       vitals=Vitals(temp_c=38.0, heart_rate=100))
            save_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        encounters = session.records.list_encounters(pid)
        list_time = time.perf_counter() - start
        session.lock()

        results = {
            "patients": indexed, "kdf_s": kdf,
            "unlock_excluding_kdf_s": unlock_total - kdf, "index_build_s": index_build,
            "integrity_check_s": integrity_check,
            "search_median_s": statistics.median(search_times),
            "search_p95_s": _pct(search_times, 0.95), "search_queries": len(search_times),
            "save_median_s": statistics.median(save_times), "save_p95_s": _pct(save_times, 0.95),
            "list_encounters_s": list_time, "encounters_listed": len(encounters),
        }
        print(f"vault: {indexed} patients, {NOTES} notes (file {vault_path(work).stat().st_size / 1e6:.0f} MB)")
        print(f"  KDF (Argon2id {params.memory_kib // 1024} MiB, t={params.iterations}): {_ms(kdf)}"
              " (excluded below)")
        print(f"  unlock excluding KDF, index included: {_ms(results['unlock_excluding_kdf_s'])}"
              "  [target < 2000 ms]")
        print(f"  integrity check alone (sealed state over every row, before any write): "
              f"{_ms(integrity_check)}")
        print(f"  search index build alone: {_ms(index_build)}")
        print(f"  search over {len(search_times)} queries: median {_ms(results['search_median_s'])},"
              f" p95 {_ms(results['search_p95_s'])}  [target p95 < 30 ms]")
        print(f"  save_draft x{len(save_times)}: median {_ms(results['save_median_s'])},"
              f" p95 {_ms(results['save_p95_s'])}  [target p95 < 20 ms]")
        print(f"  list_encounters ({len(encounters)} notes): {_ms(list_time)}")

        from lantern.vault.kdf import DEFAULT_TARGET_S, calibrate

        start = time.perf_counter()
        calibrated = calibrate(DEFAULT_TARGET_S)
        calibration = time.perf_counter() - start
        start = time.perf_counter()
        derive_key(PASSPHRASE, slot.salt, calibrated)
        production_kdf = time.perf_counter() - start
        results.update(calibrated_kdf_s=production_kdf, calibration_s=calibration)
        print(f"  production KDF calibrated to {DEFAULT_TARGET_S} s here: Argon2id "
              f"{calibrated.memory_kib // 1024} MiB, t={calibrated.iterations} -> "
              f"{_ms(production_kdf)} per unlock (calibration took {calibration:.1f} s)")
        return results
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
