"""``lantern --self-test`` / ``lantern self-test``: prove an installation works, offline.

Opens a temporary vault, writes and reads back an encrypted note, loads the
default model and generates a few tokens, runs one diagnosis and one summary.
Everything happens in a temporary directory that is removed afterwards; the
user's own data directory is never touched. Exit 0 when every step passed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from lantern import __version__
from lantern.domain.errors import LanternError
from lantern.domain.records import Encounter

_NOTE = (
    "3 yo boy c/o cough and fever x3d. RR 52/min, chest indrawing present, "
    "no convulsions. T 38.9. Allergic to penicillin. Plan: amoxicillin 250 mg TDS x5d, "
    "review in 2 days."
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("self-test", help="run the offline self-test and exit (same as --self-test)")
    p.add_argument("--no-model", action="store_true",
                   help="skip the language-model step (for machines without the default model)")
    p.set_defaults(func=run_self_test)


def _step(name: str, fn: Callable[[], str], results: list[tuple[str, bool, str]]) -> bool:
    start = time.perf_counter()
    try:
        detail = fn()
        ok = True
    except LanternError as exc:
        ok, detail = False, str(exc)
    except Exception as exc:  # noqa: BLE001 - a self-test reports, it does not crash
        ok, detail = False, f"unexpected {type(exc).__name__}"
    elapsed = time.perf_counter() - start
    results.append((name, ok, detail))
    mark = "ok  " if ok else "FAIL"
    print(f"[{mark}] {name} ({elapsed:.2f} s){': ' + detail if detail else ''}", flush=True)
    return ok


def run_self_test(args: argparse.Namespace) -> int:
    print(f"Lantern {__version__} self-test (offline; temporary files only)", flush=True)
    results: list[tuple[str, bool, str]] = []
    tmp = Path(tempfile.mkdtemp(prefix="lantern-selftest-"))
    from lantern import paths

    saved_env = {k: os.environ.get(k)
                 for k in ("LANTERN_DATA_DIR", "LANTERN_KDF_PROFILE", "LANTERN_MODELS_DIR",
                           "LANTERN_STATE_DIR")}
    # The model store stays where it is (the default model is assembled once, not per run);
    # everything with patient data goes to the temporary directory.
    os.environ["LANTERN_MODELS_DIR"] = str(paths.models_dir())
    os.environ["LANTERN_DATA_DIR"] = str(tmp / "data")
    os.environ["LANTERN_STATE_DIR"] = str(tmp / "state")  # its vault's rollback counter too
    os.environ["LANTERN_KDF_PROFILE"] = "test"  # the self-test measures function, not KDF cost
    try:
        _vault_steps(tmp / "data", results)
        if not getattr(args, "no_model", False):
            _model_steps(results)
        _clinical_steps(results)
    finally:
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        shutil.rmtree(tmp, ignore_errors=True)
    failed = [name for name, ok, _ in results if not ok]
    print(f"self-test: {len(results) - len(failed)} passed, {len(failed)} failed", flush=True)
    return 1 if failed else 0


def _vault_steps(data_dir: Path, results: list) -> None:
    from lantern.domain.records import Vitals
    from lantern.services.session import VaultSession

    state: dict = {}

    def create() -> str:
        session, _recovery = VaultSession.create(
            data_dir, clinic_name="Self-test clinic", admin_username="selftest",
            passphrase="self-test passphrase")
        state["session"] = session
        return "vault created"

    def write_note() -> str:
        rec = state["session"].records
        patient = rec.add_patient(name="Self Test", sex="female", birth_year=1990)
        enc = rec.new_encounter(patient.id)
        rec.save_draft(enc.id, note=_NOTE, vitals=Vitals(temp_c=38.9, resp_rate=52))
        state["ids"] = (patient.id, enc.id)
        state["session"].lock()
        return "encrypted note written"

    def read_note() -> str:
        session = VaultSession.unlock(data_dir, username="selftest",
                                      passphrase="self-test passphrase")
        try:
            pid, eid = state["ids"]
            notes = [e.note for e in session.records.list_encounters(pid)
                     if isinstance(e, Encounter) and e.id == eid]
            if notes != [_NOTE]:
                raise LanternError("the note read back differs from the note written")
            raw = b"".join(p.read_bytes() for p in data_dir.rglob("*") if p.is_file())
            if b"amoxicillin" in raw or b"Self Test" in raw:
                raise LanternError("plaintext patient data found on disk")
        finally:
            session.lock()
        return "note decrypted after re-unlock; no plaintext on disk"

    if _step("vault: create", create, results) and _step("vault: write", write_note, results):
        _step("vault: read back", read_note, results)


def _model_steps(results: list) -> None:
    from lantern.services.models import ModelService

    def generate() -> str:
        models = ModelService()
        try:
            model = models.ensure_loaded()
            result = models.generate("The capital of Kenya is", max_tokens=8).run()
            if result.tokens <= 0:
                raise LanternError("the model produced no tokens")
            from lantern.llm.cpu_variant import ENV_SELECTED

            build = os.environ.get(ENV_SELECTED)
            where = f" (llama.cpp build: {build})" if build else ""
            return f"{model.file_name}: {result.tokens} tokens{where}"
        finally:
            models.close()

    _step("model: load and generate", generate, results)


def _clinical_steps(results: list) -> None:
    def diagnose() -> str:
        from lantern.services.assessment import AssessmentService

        result = AssessmentService(use_llm=False).assess(
            note=_NOTE, vitals={"temp_c": 38.9, "resp_rate": 52}, age_years=3, sex="male")
        top = result.differential[0].condition.id if result.differential else "none"
        if result.triage.level != "emergency":
            raise LanternError(f"expected emergency triage for chest indrawing, got {result.triage.level}")
        return f"triage {result.triage.level}, top condition {top}"

    def summarize() -> str:
        from lantern.services.summaries import SummaryService

        summary = SummaryService().summarize("note", {"note": _NOTE}, use_llm=False)
        text = summary.text
        for fact in ("penicillin", "250 mg"):
            if fact not in text.lower():
                raise LanternError(f"summary lost a required fact ({fact})")
        return f"{len(text)} characters, allergy and dose kept"

    _step("diagnosis", diagnose, results)
    _step("summary", summarize, results)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run_self_test(argparse.Namespace(no_model=False)))
