"""Shared by the prescribing tests: the fixture formulary and the real CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

FIXTURE = Path(__file__).parent / "data"
DESKTOP = Path(__file__).resolve().parents[3] / "desktop"


def run_cli(*args: str, stdin: str = "", module: str = "lantern.cli") -> subprocess.CompletedProcess:
    """``lantern ARGS`` (or ``python -m MODULE ARGS``) in a child process, as a user runs it."""
    env = {**os.environ, "PYTHONPATH": str(DESKTOP)}
    return subprocess.run([sys.executable, "-m", module, *args], input=stdin, capture_output=True,
                          text=True, env=env, timeout=120, check=False)


def check_batch(cases: list[dict], *, formulary: Path = FIXTURE) -> dict:
    """Every case through ``lantern prescribe --check --batch``: id -> output object."""
    text = "\n".join(json.dumps(c, ensure_ascii=False) for c in cases) + "\n"
    proc = run_cli("prescribe", "--check", "--batch", "--formulary", str(formulary), "-", stdin=text)
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(out) == len(cases)
    return {o["id"]: o for o in out}


def patient(**kw) -> dict:
    """A 40-year-old woman, 60 kg, eGFR 90, no allergies or medicines, changed by ``kw``."""
    base = {"age_years": 40, "weight_kg": 60, "sex": "female", "pregnant": False, "gestation_weeks": None,
            "breastfeeding": False, "allergies": [], "egfr": 90, "current_medications": []}
    return {**base, **kw}


def order(drug, dose, unit="mg", route="oral", times=1, days=5) -> dict:
    return {"drug": drug, "dose": dose, "unit": unit, "route": route, "times_per_day": times, "days": days}


LOUD = ("warn", "stop")


def problems_with(tmp_path: Path, file: str, text: str) -> tuple[str, ...]:
    """The validator's problems for a copy of the fixture formulary with ``text`` appended to ``file``."""
    import shutil

    from lantern.clinical.prescribing import read_formulary

    root = tmp_path / "f"
    shutil.copytree(FIXTURE, root)
    with (root / file).open("a", encoding="utf-8") as fh:
        fh.write(text)
    return read_formulary(root).problems


def alerts(real, patient: dict, orders: list[dict]) -> list[dict]:
    """The alerts of one prescription on ``real`` (formulary, name index), as the CLI gives them."""
    from lantern.clinical.prescribing.request import check_request

    formulary, index = real
    return check_request({"id": "t", "patient": patient, "orders": orders}, formulary=formulary,
                         index=index)["alerts"]


def loud(real, patient: dict, orders: list[dict]) -> set[tuple[int, str]]:
    """(order, kind) of every warn or stop alert."""
    return {(a["order"], a["kind"]) for a in alerts(real, patient, orders) if a["severity"] in LOUD}
