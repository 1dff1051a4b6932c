"""The registry of knowledge ids the code names is complete and truthful."""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

import lantern
from lantern.clinical import knowledge_ids
from lantern.clinical.knowledge import load_knowledge
from lantern.clinical.knowledge_ids import REGISTRY
from lantern.clinical.language.vitals import VitalReading, derive
from lantern.domain.records import Vitals

PACKAGE = Path(lantern.__file__).parent
# String literals equal to a knowledge id that are not uses of the id.
NOT_IDS = {
    ("clinical/language/findings.py", "asthma"),   # a word of the note ("known asthma"), not the condition
    # prescribing (issue 14): the alert kind and the patient field of the CLI contract, not the finding
    ("clinical/prescribing/checks.py", "breastfeeding"),
    ("clinical/prescribing/drug_parts.py", "breastfeeding"),
    ("clinical/prescribing/inputs.py", "breastfeeding"),
    ("clinical/prescribing/patient_checks.py", "breastfeeding"),
    ("gui/orders_panel.py", "breastfeeding"),    # the alert kind's Chinese label, not the finding
}


def _constant_names() -> dict[str, str]:
    return {value: name for name, value in vars(knowledge_ids).items()
            if name.isupper() and isinstance(value, str) and value in REGISTRY}


def _module_file(dotted: str) -> Path:
    """The source file of "lantern.a.b.function" or "lantern.a.b"."""
    parts = dotted.split(".")[1:]
    while parts:
        path = PACKAGE.joinpath(*parts).with_suffix(".py")
        if path.exists():
            return path
        parts.pop()
    raise AssertionError(f"no module in {dotted!r}")


def test_every_registered_id_has_a_constant_and_a_real_user():
    names = _constant_names()
    assert set(names) == set(REGISTRY)
    for kid, entry in REGISTRY.items():
        assert entry.kind in knowledge_ids.KINDS and entry.why and entry.used_by
        for user in entry.used_by:
            text = _module_file(user).read_text(encoding="utf-8")
            assert names[kid] in text or f'"{kid}"' in text, f"{user} does not name {kid}"


def test_code_names_no_knowledge_id_outside_the_registry():
    kb = load_knowledge()
    ids = set(kb.findings) | set(kb.conditions) | {r.id for r in kb.rules}
    unregistered = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in ids
                    and node.value not in REGISTRY and (rel, node.value) not in NOT_IDS):
                unregistered.append(f"{rel}:{node.lineno} {node.value!r}")
    assert not unregistered, "register these in lantern/clinical/knowledge_ids.py: " + ", ".join(unregistered)


def test_every_finding_derived_from_a_vital_sign_is_registered():
    """derive() over the whole plausible range of every vital, age band, sex and pregnancy."""
    names = [*Vitals.__slots__, "gcs", "crt_s"]
    values = [v / 2 for v in range(0, 901)]             # 0 .. 450 in steps of 0.5
    emitted: set[str] = set()
    for name, age, sex, pregnant in itertools.product(
            names, (None, 0.1, 0.5, 3, 8, 13, 30), (None, "male", "female"), (None, True)):
        for value in values:
            reading = VitalReading(name, value, None, "vitals")
            emitted.update(fid for fid, _ in derive(reading, age_years=age, sex=sex, pregnant=pregnant))
    assert emitted, "derive() emitted nothing"
    assert emitted <= set(REGISTRY), sorted(emitted - set(REGISTRY))
    assert "hypoxaemia" in emitted and "crt_prolonged" in emitted
