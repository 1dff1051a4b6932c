"""Read and validate the formulary (``resources/formulary``, format in its ``SCHEMA.md``).

:func:`read_formulary` never raises for content problems: they are in ``.problems``,
each naming the file and the field. :func:`load_formulary` is the cached, validated
formulary the checks use. Files are parsed through the shared parsed-TOML cache.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from lantern.clinical.knowledge import agreed_condition_names
from lantern.clinical.parsed_cache import read_toml, shared_cache
from lantern.clinical.prescribing.drug_parts import parse_drug, parse_egfr_needed
from lantern.clinical.prescribing.model import (
    SEVERITIES,
    AllergyClass,
    CrossReaction,
    Drug,
    Formulary,
    Interaction,
)
from lantern.clinical.prescribing.names import name_keys
from lantern.domain.errors import KnowledgeBaseError
from lantern.paths import resources_dir

_AGREED_RE = re.compile(r"([a-z0-9_]+) \(([^()]*)\)(?: \[([a-z0-9_, ]*)\])?")
_GROUP_RE = re.compile(r"^([a-z_]+)(?: \([^)]*\))?: (.*)$")


def formulary_dir() -> Path:
    return resources_dir() / "formulary"


def agreed_drugs(root: Path) -> tuple[dict[str, str], set[str], dict[str, tuple[str, ...]]]:
    """DRUGS.md: (drug and ingredient id -> English name, the ids of its classes line, id -> the
    therapeutic classes written after a medicine not written yet: "metoprolol (Metoprolol) [beta_blocker]")."""
    path = root / "DRUGS.md"
    names: dict[str, str] = {}
    classes: set[str] = set()
    member_of: dict[str, tuple[str, ...]] = {}
    if not path.exists():
        return names, classes, member_of
    for line in path.read_text(encoding="utf-8").splitlines():
        m = _GROUP_RE.match(line)
        if m is None:
            continue
        if m.group(1) == "classes":
            classes.update(c.strip() for c in m.group(2).split(",") if c.strip())
            continue
        for item in _AGREED_RE.finditer(m.group(2)):
            names[item.group(1)] = item.group(2).strip()
            if item.group(3):
                member_of[item.group(1)] = tuple(c.strip() for c in item.group(3).split(",") if c.strip())
    return names, classes, member_of


def _text(raw: dict, key: str) -> str:
    value = raw.get(key, "")
    return value.strip() if isinstance(value, str) else ""


def _words(raw: object) -> tuple[str, ...]:
    return tuple(str(t).strip().lower() for t in raw if str(t).strip()) if isinstance(raw, list) else ()


def _parse_class(raw: dict, where: str, problems: list[str]) -> AllergyClass | None:
    cid = raw.get("id")
    if not isinstance(cid, str) or not re.fullmatch(r"[a-z0-9_]+", cid):
        problems.append(f"{where}: class with bad id {cid!r}")
        return None
    where = f"{where}: class {cid}"
    for key in ("name_en", "name_zh", "source"):
        if not _text(raw, key):
            problems.append(f"{where}: missing {key}")
    terms = tuple(str(t).strip().lower() for t in [*raw.get("terms_en", []), *raw.get("terms_zh", [])]
                  if str(t).strip())
    crosses = []
    for cr in raw.get("cross_reactive", []):
        sev = cr.get("severity", "warn")
        if sev not in SEVERITIES:
            problems.append(f"{where}: cross_reactive severity {sev!r} not one of {list(SEVERITIES)}")
            sev = "warn"
        if _text(cr, "note_en") and not _text(cr, "note_zh"):
            problems.append(f"{where}: cross_reactive {cr.get('class')!r}: missing note_zh")
        crosses.append(CrossReaction(cls=str(cr.get("class", "")), severity=sev,
                                     source=_text(cr, "source") or _text(raw, "source"),
                                     note_en=_text(cr, "note_en"), note_zh=_text(cr, "note_zh"),
                                     except_reactions=_words(cr.get("except_reactions", []))))
    dup = raw.get("duplicate_therapy")
    if dup is not None and not isinstance(dup, bool):
        problems.append(f"{where}: duplicate_therapy must be true or false")
        dup = None
    need = raw.get("egfr_needed")
    return AllergyClass(id=cid, name_en=_text(raw, "name_en") or cid, name_zh=_text(raw, "name_zh"),
                        source=_text(raw, "source"), terms=terms, cross_reactive=tuple(crosses),
                        duplicate_therapy=dup, except_reactions=_words(raw.get("except_reactions", [])),
                        except_source=_text(raw, "except_source"),
                        egfr_needed=parse_egfr_needed(need, f"{where}: egfr_needed", _text(raw, "source"), problems)
                        if isinstance(need, dict) else None)


def _parse_interaction(raw: dict, where: str, problems: list[str]) -> Interaction | None:
    a, b = raw.get("a"), raw.get("b")
    if not isinstance(a, str) or not isinstance(b, str) or not a or not b:
        problems.append(f"{where}: interaction needs a and b")
        return None
    where = f"{where}: interaction {a} + {b}"
    sev = raw.get("severity")
    if sev not in SEVERITIES:
        problems.append(f"{where}: severity {sev!r} not one of {list(SEVERITIES)}")
        sev = "warn"
    for key in ("effect_en", "effect_zh", "source"):
        if not _text(raw, key):
            problems.append(f"{where}: missing {key}")
    if _text(raw, "advice_en") and not _text(raw, "advice_zh"):
        problems.append(f"{where}: missing advice_zh")
    return Interaction(a=a, b=b, severity=str(sev), source=_text(raw, "source"),
                       effect_en=_text(raw, "effect_en"), effect_zh=_text(raw, "effect_zh"),
                       advice_en=_text(raw, "advice_en"), advice_zh=_text(raw, "advice_zh"),
                       not_low_dose=raw.get("not_low_dose") is True)


def _check_references(f: Formulary, listed_classes: set[str], problems: list[str]) -> None:
    known_drugs = set(f.drugs) | set(f.agreed)
    known_classes = set(f.classes) | listed_classes | set(f.class_members)
    for drug_id, member_of in f.agreed_classes.items():
        for cls in member_of:
            if cls not in known_classes:
                problems.append(f"DRUGS.md: {drug_id} [{cls}]: class {cls!r} is not a class of the formulary")
    for d in f.drugs.values():
        for part in d.contains:
            if part not in known_drugs:
                problems.append(f"{d.file}: drug {d.id}: contains {part!r}, not a formulary drug nor listed in DRUGS.md")
        for rule in d.doses_beside:
            if rule.with_class is not None and rule.with_class not in known_classes:
                problems.append(f"{d.file}: drug {d.id}: dose with_class {rule.with_class!r} is not a class of the formulary")
        for form in d.forms:
            for comp in form.components:
                if comp.drug not in known_drugs:
                    problems.append(f"{d.file}: drug {d.id}: component {comp.drug!r} is not a formulary "
                                    "drug nor listed in DRUGS.md")
    for c in f.classes.values():
        for cr in c.cross_reactive:
            if cr.cls not in known_classes:
                problems.append(f"allergy_classes.toml: class {c.id}: cross_reactive class {cr.cls!r} unknown")
    seen: set[frozenset[str]] = set()
    for it in f.interactions:
        for side in (it.a, it.b):
            cls = side.removeprefix("class:")
            if side.startswith("class:") and cls not in known_classes:
                problems.append(f"interactions.toml: interaction {it.a} + {it.b}: class {cls!r} unknown")
            elif not side.startswith("class:") and side not in known_drugs:
                problems.append(f"interactions.toml: interaction {it.a} + {it.b}: {side!r} is not a "
                                "formulary drug nor listed in DRUGS.md")
        pair = frozenset((it.a, it.b))
        if pair in seen:
            problems.append(f"interactions.toml: interaction {it.a} + {it.b} listed twice")
        seen.add(pair)


def _check_names(f: Formulary, problems: list[str]) -> None:
    owner: dict[str, str] = {}
    shared = {key for d in f.drugs.values() for name in d.shared_aliases for key in name_keys(name)}
    agreed_keys = {key for did, name in f.agreed.items() if did not in f.drugs
                   for variant in name.split(" / ") for key in name_keys(variant)}
    for d in f.drugs.values():
        for name in d.shared_aliases:
            # a shared name is shared: another entry, or a medicine of DRUGS.md, has it too
            others = [o.id for o in f.drugs.values() if o.id != d.id
                      and set(name_keys(name)) & {k for n in (*o.aliases, *o.shared_aliases) for k in name_keys(n)}]
            if not others and not set(name_keys(name)) & agreed_keys:
                problems.append(f"{d.file}: drug {d.id}: shared alias {name!r} names no other medicine "
                                "(write it as an alias)")
    for d in f.drugs.values():
        for name in (d.id, d.name_en, d.name_zh, *d.aliases, *(n for f in d.forms for n in f.names)):
            for key in name_keys(name):
                if key in shared:
                    problems.append(f"{d.file}: drug {d.id}: {name!r} is a shared alias of another medicine")
                    continue
                other = owner.setdefault(key, d.id)
                if other != d.id:
                    problems.append(f"{d.file}: drug {d.id}: name or alias {name!r} clashes with drug {other}")


def read_formulary(root: Path | None = None, *, conditions: set[str] | None = None) -> Formulary:
    """Parse every file of the formulary; never raises for content problems."""
    root = root or formulary_dir()
    problems: list[str] = []
    notes: list[str] = []
    agreed, listed_classes, agreed_classes = agreed_drugs(root)
    if conditions is None:
        conditions = set(agreed_condition_names())
    drugs: dict[str, Drug] = {}
    for path in sorted(root.glob("drugs_*.toml")):
        for raw in read_toml(path, problems).get("drug", []):
            drug = parse_drug(raw, path.name, conditions, problems)
            if drug is None:
                continue
            if drug.id in drugs:
                problems.append(f"{path.name}: duplicate drug id {drug.id!r} (also in {drugs[drug.id].file})")
                continue
            if agreed and drug.id not in agreed:
                notes.append(f"{path.name}: drug {drug.id} is not in DRUGS.md")
            drugs[drug.id] = drug
    classes: dict[str, AllergyClass] = {}
    path = root / "allergy_classes.toml"
    if path.exists():
        for raw in read_toml(path, problems).get("class", []):
            cls = _parse_class(raw, path.name, problems)
            if cls is None:
                continue
            if cls.id in classes:
                problems.append(f"{path.name}: duplicate class id {cls.id!r}")
            classes[cls.id] = cls
    interactions = []
    path = root / "interactions.toml"
    if path.exists():
        for raw in read_toml(path, problems).get("interaction", []):
            it = _parse_interaction(raw, path.name, problems)
            if it is not None:
                interactions.append(it)
    members: dict[str, set[str]] = {}
    for d in drugs.values():
        for c in d.classes:
            members.setdefault(c, set()).add(d.id)
    pending = {k: v for k, v in agreed_classes.items() if k not in drugs}     # a written entry's own classes win
    f = Formulary(drugs=drugs, classes=classes, interactions=tuple(interactions), agreed=agreed,
                  class_members={k: frozenset(v) for k, v in members.items()}, agreed_classes=pending)
    _check_references(f, listed_classes, problems)
    _check_names(f, problems)
    shared_cache().save()
    return Formulary(drugs=drugs, classes=classes, interactions=f.interactions, agreed=agreed,
                     problems=tuple(problems), notes=tuple(notes), class_members=f.class_members,
                     agreed_classes=pending)


def validate_formulary(root: Path | None = None) -> list[str]:
    return list(read_formulary(root).problems)


@lru_cache(maxsize=4)
def _load_cached(root: str) -> Formulary:
    f = read_formulary(Path(root))
    if f.problems:
        raise KnowledgeBaseError(
            f"the formulary has {len(f.problems)} problem(s); first: {f.problems[0]}")
    return f


def load_formulary(root: Path | None = None) -> Formulary:
    """The validated formulary (cached per directory); raises if it has problems."""
    return _load_cached(str((root or formulary_dir()).resolve()))
