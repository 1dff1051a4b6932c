"""Load and validate the clinical knowledge base (``resources/knowledge``).

The format is documented in ``resources/knowledge/SCHEMA.md``. Loading is pure
data parsing; :func:`validate_knowledge` returns human-readable problems, and
:func:`load_knowledge` raises :class:`KnowledgeBaseError` if there are any.

Run ``python -m lantern.clinical.knowledge`` to check the files (and the language
vocabularies in ``resources/language``, see :mod:`lantern.clinical.language.vocabulary`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from lantern.clinical.broader import narrower_of, read_broader
from lantern.clinical.knowledge_ids import KnowledgeId, missing_ids
from lantern.clinical.parsed_cache import read_toml, shared_cache
from lantern.domain.errors import KnowledgeBaseError
from lantern.paths import resources_dir

FINDING_KINDS = frozenset({"symptom", "sign", "vital", "history", "test", "context"})
GROUPS = frozenset({
    "respiratory", "infection", "gastrointestinal", "nutrition_blood", "skin",
    "genitourinary", "obstetric", "cardiometabolic_neuro", "emergency", "benign",
})
SEXES = frozenset({"any", "male", "female"})
PREGNANCY = frozenset({"any", "required", "excluded"})
LEVELS = frozenset({"emergency", "urgent"})
LR_MIN, LR_MAX = 0.01, 100.0
_ID_RE = re.compile(r"^[a-z0-9_]+$")
_ICD_RE = re.compile(r"^[A-Z][0-9]{2}(\.[0-9A-Z]{1,2})?$")
_AGREED_RE = re.compile(r"([a-z0-9_]+) \(([^()]*(?:\([^()]*\))?[^()]*)\)")


@dataclass(frozen=True, slots=True)
class FindingDef:
    id: str
    kind: str
    label_en: str
    label_zh: str
    en: tuple[str, ...] = ()
    zh: tuple[str, ...] = ()
    long_after_days: float | None = None
    long_id: str | None = None
    negated: tuple[str, ...] = ()   # expressions meaning the finding is absent ("afebrile")
    # says when the symptom after it comes ("on exertion"): it takes that symptom's negation
    # ("干活走路时没有胸痛" - no chest pain on exertion; SCHEMA.md §1)
    qualifies: bool = False


@dataclass(frozen=True, slots=True)
class FindingWeight:
    id: str
    lr_pos: float
    lr_neg: float = 1.0
    lr_absent: float = 1.0


@dataclass(frozen=True, slots=True)
class Condition:
    id: str
    name_en: str
    name_zh: str
    icd10: str
    group: str
    prior: float
    source: str
    refer: str
    next_steps: tuple[str, ...]
    findings: tuple[FindingWeight, ...]
    red_flags: tuple[str, ...] = ()
    requires_any: tuple[str, ...] = ()
    age_min_years: float = 0.0
    age_max_years: float = 120.0
    sex: str = "any"
    pregnancy: str = "any"
    next_steps_zh: tuple[str, ...] = ()   # same items, same order as next_steps
    refer_zh: str = ""
    triage_floor: str | None = None   # "urgent": the least triage level when it leads (§3)

    def next_steps_for(self, lang: str = "en") -> tuple[str, ...]:
        """The next steps in ``lang`` ("zh" gives Chinese when written, else English)."""
        return self.next_steps_zh if lang == "zh" and self.next_steps_zh else self.next_steps

    def refer_for(self, lang: str = "en") -> str:
        """The referral advice in ``lang`` ("zh" gives Chinese when written, else English)."""
        return self.refer_zh if lang == "zh" and self.refer_zh else self.refer

    def weight(self, finding_id: str) -> FindingWeight | None:
        for w in self.findings:
            if w.id == finding_id:
                return w
        return None


@dataclass(frozen=True, slots=True)
class TriageRule:
    id: str
    level: str
    label_en: str
    label_zh: str
    source: str
    all: tuple[str, ...] = ()
    any: tuple[str, ...] = ()
    min_any: int = 1
    none: tuple[str, ...] = ()       # the rule does not fire if any of these is present
    age_min_years: float | None = None
    age_max_years: float | None = None
    sex: str = "any"
    pregnancy: str = "any"
    # an acute sign: a finding the note says has lasted this many days or more does not count
    acute_days: float | None = None
    # the findings the acute window tests (empty: all of them); "an injury in the last 2 weeks
    # in a patient on warfarin for years": the injury is timed, the medicine is not
    acute_of: tuple[str, ...] = ()


@dataclass(frozen=True)
class KnowledgeBase:
    version: str
    findings: dict[str, FindingDef]
    conditions: dict[str, Condition]
    rules: tuple[TriageRule, ...]
    unlisted_lr: float = 0.75
    requires_penalty: float = 0.03
    uncertain_weight: float = 0.5
    floor_probability: float = 0.5     # a leading condition's triage_floor applies from here
    problems: tuple[str, ...] = field(default=())
    chronic: frozenset[str] = frozenset()   # condition ids kept on a problem list (§3a)
    # findings only a woman's own pregnancy or delivery can give (SCHEMA.md §1b): read in a
    # child's or a man's note they are the mother's, and are not the patient's
    maternal: frozenset[str] = frozenset()
    # broader / narrower findings (SCHEMA.md §2b): finding -> every broader finding, and
    # finding -> every narrower one (both transitive)
    broader: dict[str, frozenset[str]] = field(default_factory=dict)
    narrower: dict[str, frozenset[str]] = field(default_factory=dict)

    def label(self, finding_id: str, lang: str = "en") -> str:
        f = self.findings.get(finding_id)
        if f is None:
            return finding_id
        return f.label_zh if lang == "zh" else f.label_en


CHRONIC_FILE = "chronic_conditions.toml"


def _chronic_ids(root: Path, conditions: dict[str, Condition], problems: list[str]) -> frozenset[str]:
    """The conditions a problem list keeps (SCHEMA.md §3a); every id must be a condition."""
    path = root / CHRONIC_FILE
    if not path.exists():
        return frozenset()
    ids = read_toml(path, problems).get("ids", [])
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        problems.append(f"{CHRONIC_FILE}: ids must be a list of condition ids")
        return frozenset()
    for cid in ids:
        if cid not in conditions:
            problems.append(f"{CHRONIC_FILE}: {cid!r} is not a condition")
    return frozenset(i for i in ids if i in conditions)


def knowledge_dir() -> Path:
    return resources_dir() / "knowledge"


def _findings_files(root: Path) -> list[str]:
    """The findings lexicon: findings.toml, then every findings_<part>.toml (one lexicon)."""
    return ["findings.toml"] + sorted(p.name for p in root.glob("findings_*.toml"))


def _rules_files(root: Path) -> list[str]:
    """The triage rules: triage_rules.toml, then every triage_rules_<part>.toml."""
    return ["triage_rules.toml"] + sorted(p.name for p in root.glob("triage_rules_*.toml"))


def _kb_files(root: Path) -> list[Path]:
    files = [root / "kb.toml"] + [root / n for n in _findings_files(root)] + [root / n for n in _rules_files(root)]
    files += sorted((root / "conditions").glob("*.toml")) + [root / CHRONIC_FILE]
    return [p for p in files if p.exists()]


def _content_hash(files: list[Path], root: Path) -> str:
    h = hashlib.sha256()
    for p in files:
        h.update(str(p.relative_to(root)).encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:8]


def agreed_condition_names(root: Path | None = None) -> dict[str, str]:
    """The agreed ids and English names, parsed from ``CONDITIONS.md``."""
    path = (root or knowledge_dir()) / "CONDITIONS.md"
    if not path.exists():
        return {}
    first = path.read_text(encoding="utf-8").split("Agreed triage policy")[0]
    names: dict[str, str] = {}
    for line in first.splitlines():
        if ":" not in line or "(" not in line:
            continue
        body = line.split(":", 1)[1]
        for m in _AGREED_RE.finditer(body):
            names[m.group(1)] = m.group(2).strip()
    return names


def _parse_finding(raw: dict, where: str, problems: list[str]) -> FindingDef | None:
    fid = raw.get("id")
    if not isinstance(fid, str) or not _ID_RE.match(fid):
        problems.append(f"{where}: finding with bad id {fid!r}")
        return None
    kind = raw.get("kind")
    if kind not in FINDING_KINDS:
        problems.append(f"{where}: finding {fid}: kind {kind!r} not one of {sorted(FINDING_KINDS)}")
    for key in ("label_en", "label_zh"):
        if not str(raw.get(key, "")).strip():
            problems.append(f"{where}: finding {fid}: missing {key}")
    en = tuple(str(e).lower().strip() for e in raw.get("en", []) if str(e).strip())
    zh = tuple(str(e).strip() for e in raw.get("zh", []) if str(e).strip())
    negated = tuple(str(e).lower().strip() for e in raw.get("en_negated", []) + raw.get("zh_negated", [])
                    if str(e).strip())
    return FindingDef(
        id=fid, kind=str(kind), label_en=str(raw.get("label_en", fid)),
        label_zh=str(raw.get("label_zh", fid)), en=en, zh=zh,
        long_after_days=raw.get("long_after_days"), long_id=raw.get("long_id"), negated=negated,
        qualifies=bool(raw.get("qualifies", False)),
    )


_SLOT = re.compile(r"\{([a-z_]+)\}")


def _compose(template: str, slots: dict[str, list[str]], where: str,
             problems: list[str]) -> list[str]:
    """Every expression a template names: each ``{slot}`` replaced by each of its words
    (an empty word drops the slot; spaces are then tidied)."""
    out = [""]
    pos = 0
    for m in _SLOT.finditer(template):
        words = slots.get(m.group(1))
        if words is None:
            problems.append(f"{where}: unknown slot {{{m.group(1)}}}")
            return []
        out = [o + template[pos:m.start()] + w for o in out for w in words]
        pos = m.end()
    out = [" ".join((o + template[pos:]).split()) for o in out]
    if any("{" in o or "}" in o for o in out):
        problems.append(f"{where}: template {template!r} has a slot name that is not [a-z_]+")
        return []
    return out


def _merge_lay(findings: dict[str, FindingDef], lay: list[tuple[str, dict]], problems: list[str],
               slots: dict[str, list[str]] | None = None) -> None:
    """Lay families (SCHEMA.md §2a): the words patients and families use for a finding that
    another file defines, added to its expressions. A family names an existing finding, says
    what its words have in common (``family``) and adds only expressions the finding lacks.
    ``compose_en`` / ``compose_zh`` templates name the family's word orders once, with slots
    (``[slots]``: "{pain} in {the} {right_lower} {belly}"); their expressions are added the
    same way, except that one the finding already has is skipped, not a problem."""
    for name, raw in lay:
        fid = raw.get("id")
        where = f"{name}: lay family {fid!r}"
        fd = findings.get(fid) if isinstance(fid, str) else None
        if fd is None:
            problems.append(f"{where}: unknown finding id")
            continue
        if not str(raw.get("family", "")).strip():
            problems.append(f"{where}: missing family (what the words have in common)")
        new: dict[str, tuple[str, ...]] = {}
        for key, have, lower in (("en", fd.en, True), ("zh", fd.zh, False),
                                 ("en_negated", fd.negated, True), ("zh_negated", fd.negated, False)):
            words = [str(e).strip() for e in raw.get(key, []) if str(e).strip()]
            if lower:
                words = [w.lower() for w in words]
            for w in words:
                if w in have or words.count(w) > 1:
                    problems.append(f"{where}: {key} expression {w!r} is already listed")
            new[key] = tuple(dict.fromkeys(w for w in words if w not in have))
        for key, have, lower in (("en", fd.en, True), ("zh", fd.zh, False)):
            composed = [w for t in raw.get(f"compose_{key}", [])
                        for w in _compose(str(t), slots or {}, where, problems)]
            taken = set(have) | set(new[key])
            new[key] += tuple(dict.fromkeys(
                w for w in (c.lower() if lower else c for c in composed) if w and w not in taken))
        if not any(new.values()):
            problems.append(f"{where}: no expressions")
            continue
        findings[fd.id] = replace(fd, en=fd.en + new["en"], zh=fd.zh + new["zh"],
                                  negated=fd.negated + new["en_negated"] + new["zh_negated"])


def _lr(raw: dict, key: str, default: float, where: str, problems: list[str]) -> float:
    value = raw.get(key, default)
    if not isinstance(value, int | float) or not (LR_MIN <= float(value) <= LR_MAX):
        problems.append(f"{where}: {key}={value!r} out of range {LR_MIN}..{LR_MAX}")
        return 1.0
    return float(value)


def _parse_condition(raw: dict, path: Path, findings: dict[str, FindingDef],
                     agreed: dict[str, str], problems: list[str]) -> Condition | None:
    where = f"conditions/{path.name}"
    cid = raw.get("id")
    if cid != path.stem:
        problems.append(f"{where}: id {cid!r} does not match the file name")
        return None
    if agreed and cid not in agreed:
        problems.append(f"{where}: id {cid!r} is not in the agreed list (CONDITIONS.md)")
    if agreed.get(cid) and raw.get("name_en") != agreed[cid]:
        problems.append(f"{where}: name_en must be {agreed[cid]!r}")
    for key in ("name_en", "name_zh", "source", "refer"):
        if not str(raw.get(key, "")).strip():
            problems.append(f"{where}: missing {key}")
    if not _ICD_RE.match(str(raw.get("icd10", ""))):
        problems.append(f"{where}: icd10 {raw.get('icd10')!r} is not a valid code")
    if raw.get("group") not in GROUPS:
        problems.append(f"{where}: group {raw.get('group')!r} not one of {sorted(GROUPS)}")
    prior = raw.get("prior")
    if not isinstance(prior, int | float) or not (0 < prior < 0.5):
        problems.append(f"{where}: prior {prior!r} must be in (0, 0.5)")
        prior = 0.01
    sex, preg = raw.get("sex", "any"), raw.get("pregnancy", "any")
    if sex not in SEXES:
        problems.append(f"{where}: sex {sex!r} not one of {sorted(SEXES)}")
    if preg not in PREGNANCY:
        problems.append(f"{where}: pregnancy {preg!r} not one of {sorted(PREGNANCY)}")
    amin, amax = float(raw.get("age_min_years", 0.0)), float(raw.get("age_max_years", 120.0))
    if not amin < amax:
        problems.append(f"{where}: age_min_years must be < age_max_years")
    steps = tuple(str(s) for s in raw.get("next_steps", []) if str(s).strip())
    if not steps:
        problems.append(f"{where}: next_steps is empty")
    steps_zh: tuple[str, ...] = ()
    if "next_steps_zh" in raw:
        raw_zh = raw["next_steps_zh"]
        if not isinstance(raw_zh, list) or not all(isinstance(s, str) and s.strip() for s in raw_zh):
            problems.append(f"{where}: next_steps_zh must be a list of non-empty strings")
        else:
            steps_zh = tuple(raw_zh)
            if len(steps_zh) != len(steps):
                problems.append(f"{where}: next_steps_zh has {len(steps_zh)} item(s), "
                                f"next_steps has {len(steps)}")
                steps_zh = ()
    refer_zh = raw.get("refer_zh", "")
    if "refer_zh" in raw and not (isinstance(refer_zh, str) and refer_zh.strip()):
        problems.append(f"{where}: refer_zh must be a non-empty string")
        refer_zh = ""
    floor = raw.get("triage_floor")
    if floor is not None and floor != "urgent":
        problems.append(f"{where}: triage_floor must be \"urgent\" (got {floor!r})")
        floor = None
    weights: list[FindingWeight] = []
    seen: set[str] = set()
    for fw in raw.get("findings", []):
        fid = fw.get("id")
        if fid not in findings:
            problems.append(f"{where}: unknown finding id {fid!r}")
            continue
        if fid in seen:
            problems.append(f"{where}: finding {fid} listed twice")
            continue
        seen.add(fid)
        fwhere = f"{where}: finding {fid}"
        weights.append(FindingWeight(
            id=fid, lr_pos=_lr(fw, "lr_pos", -1, fwhere, problems),
            lr_neg=_lr(fw, "lr_neg", 1.0, fwhere, problems),
            lr_absent=_lr(fw, "lr_absent", 1.0, fwhere, problems),
        ))
    if not weights:
        problems.append(f"{where}: no findings")
    for key in ("red_flags", "requires_any"):
        for fid in raw.get(key, []):
            if fid not in findings:
                problems.append(f"{where}: {key} has unknown finding id {fid!r}")
    return Condition(
        id=cid, name_en=str(raw.get("name_en", cid)), name_zh=str(raw.get("name_zh", cid)),
        icd10=str(raw.get("icd10", "")), group=str(raw.get("group", "")), prior=float(prior),
        source=str(raw.get("source", "")), refer=str(raw.get("refer", "")), next_steps=steps,
        findings=tuple(weights), red_flags=tuple(raw.get("red_flags", [])),
        requires_any=tuple(raw.get("requires_any", [])), age_min_years=amin,
        age_max_years=amax, sex=str(sex), pregnancy=str(preg),
        next_steps_zh=steps_zh, refer_zh=str(refer_zh), triage_floor=floor,
    )


def _parse_rule(raw: dict, findings: dict[str, FindingDef], problems: list[str], *,
                where: str = "triage_rules.toml") -> TriageRule | None:
    rid = raw.get("id")
    where = f"{where}: rule {rid!r}"
    if not isinstance(rid, str) or not _ID_RE.match(rid):
        problems.append(f"{where}: bad id")
        return None
    if raw.get("level") not in LEVELS:
        problems.append(f"{where}: level must be one of {sorted(LEVELS)}")
    for key in ("label_en", "label_zh", "source"):
        if not str(raw.get(key, "")).strip():
            problems.append(f"{where}: missing {key}")
    all_ids, any_ids = tuple(raw.get("all", [])), tuple(raw.get("any", []))
    none_ids = tuple(raw.get("none", []))
    acute_of = tuple(raw.get("acute_of", []))
    if acute_of and raw.get("acute_days") is None:
        problems.append(f"{where}: acute_of needs acute_days")
    if not set(acute_of) <= set(all_ids + any_ids):
        problems.append(f"{where}: acute_of names a finding not in 'all' or 'any'")
    if not all_ids and not any_ids:
        problems.append(f"{where}: needs 'all' or 'any'")
    for fid in all_ids + any_ids + none_ids:
        if fid not in findings:
            problems.append(f"{where}: unknown finding id {fid!r}")
    if raw.get("pregnancy", "any") not in PREGNANCY or raw.get("sex", "any") not in SEXES:
        problems.append(f"{where}: bad sex/pregnancy value")
    acute_days = raw.get("acute_days")
    if acute_days is not None and (isinstance(acute_days, bool)
                                   or not isinstance(acute_days, int | float) or acute_days <= 0):
        problems.append(f"{where}: acute_days must be a positive number of days")
        acute_days = None
    return TriageRule(
        id=rid, level=str(raw.get("level")), label_en=str(raw.get("label_en", rid)),
        label_zh=str(raw.get("label_zh", rid)), source=str(raw.get("source", "")),
        all=all_ids, any=any_ids, min_any=int(raw.get("min_any", 1)), none=none_ids,
        age_min_years=raw.get("age_min_years"), age_max_years=raw.get("age_max_years"),
        sex=str(raw.get("sex", "any")), pregnancy=str(raw.get("pregnancy", "any")),
        acute_days=float(acute_days) if acute_days is not None else None, acute_of=acute_of,
    )


def read_knowledge(root: Path | None = None, *,
                   registry: dict[str, KnowledgeId] | None = None) -> KnowledgeBase:
    """Parse every file; never raises for content problems (they are in ``.problems``).

    Every id the code names (``registry``, default :data:`lantern.clinical.knowledge_ids.REGISTRY`)
    must be defined: a missing one is a problem naming the file and the code that needs it."""
    root = root or knowledge_dir()
    problems: list[str] = []
    meta = read_toml(root / "kb.toml", problems)
    findings: dict[str, FindingDef] = {}
    lay: list[tuple[str, dict]] = []
    broader_tables: list[tuple[str, dict]] = []
    slots: dict[str, list[str]] = {}
    for name in _findings_files(root):
        path = root / name
        if not path.exists():
            if name == "findings.toml":
                problems.append("findings.toml is missing")
            continue
        table = read_toml(path, problems)
        for raw in table.get("finding", []):
            fd = _parse_finding(raw, name, problems)
            if fd is None:
                continue
            if fd.id in findings:
                problems.append(f"{name}: duplicate finding id {fd.id!r}")
                continue
            findings[fd.id] = fd
        lay += [(name, raw) for raw in table.get("lay", [])]
        broader_tables += [(name, raw) for raw in table.get("broader", [])]
        for slot, words in table.get("slots", {}).items():
            if slot in slots:
                problems.append(f"{name}: slot {slot!r} is defined twice")
            elif not isinstance(words, list) or not all(isinstance(w, str) for w in words):
                problems.append(f"{name}: slot {slot!r} must be a list of words")
            else:
                slots[slot] = [w.strip() for w in words]
    _merge_lay(findings, lay, problems, slots)
    broader = read_broader(broader_tables, findings, problems)
    for fd in findings.values():
        if fd.long_id is not None and fd.long_id not in findings:
            problems.append(f"finding {fd.id}: long_id {fd.long_id!r} is unknown")
    agreed = agreed_condition_names(root)
    conditions: dict[str, Condition] = {}
    for path in sorted((root / "conditions").glob("*.toml")):
        cond = _parse_condition(read_toml(path, problems), path, findings, agreed, problems)
        if cond is not None:
            conditions[cond.id] = cond
    rules = []
    for name in _rules_files(root):
        rules_path = root / name
        if not rules_path.exists():
            continue
        for raw in read_toml(rules_path, problems).get("rule", []):
            rule = _parse_rule(raw, findings, problems, where=name)
            if rule is not None:
                rules.append(rule)
    seen_rules: set[str] = set()
    for rule in rules:
        if rule.id in seen_rules:
            problems.append(f"triage rules: duplicate rule id {rule.id!r}")
        seen_rules.add(rule.id)
    problems += missing_ids(findings=set(findings), conditions=set(conditions),
                            rules=seen_rules, registry=registry)
    chronic = _chronic_ids(root, conditions, problems)
    shared_cache().save()
    version = f"{meta.get('version', '0')}+{_content_hash(_kb_files(root), root)}"
    return KnowledgeBase(
        version=version, findings=findings, conditions=conditions, rules=tuple(rules),
        unlisted_lr=float(meta.get("unlisted_lr", 0.75)),
        requires_penalty=float(meta.get("requires_penalty", 0.03)),
        uncertain_weight=float(meta.get("uncertain_weight", 0.5)),
        floor_probability=float(meta.get("floor_probability", 0.5)),
        chronic=chronic,
        maternal=_maternal_ids(meta, findings, problems),
        broader=broader, narrower=narrower_of(broader),
        problems=tuple(problems),
    )


def _maternal_ids(meta: dict, findings: dict[str, FindingDef], problems: list[str]) -> frozenset[str]:
    raw = meta.get("maternal_findings", {})
    ids = raw.get("ids", []) if isinstance(raw, dict) else None
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        problems.append("kb.toml: maternal_findings.ids must be a list of finding ids")
        return frozenset()
    if ids and not str(raw.get("source", "")).strip():
        problems.append("kb.toml: maternal_findings needs a source")
    for fid in ids:
        if fid not in findings:
            problems.append(f"kb.toml: maternal_findings names unknown finding {fid!r}")
    return frozenset(i for i in ids if i in findings)


def validate_knowledge(root: Path | None = None, *,
                       registry: dict[str, KnowledgeId] | None = None) -> list[str]:
    return list(read_knowledge(root, registry=registry).problems)


@lru_cache(maxsize=4)
def _load_cached(root: str) -> KnowledgeBase:
    kb = read_knowledge(Path(root))
    if kb.problems:
        raise KnowledgeBaseError(
            f"the knowledge base has {len(kb.problems)} problem(s); first: {kb.problems[0]}")
    return kb


def load_knowledge(root: Path | None = None) -> KnowledgeBase:
    """The validated knowledge base (cached per directory)."""
    return _load_cached(str((root or knowledge_dir()).resolve()))
