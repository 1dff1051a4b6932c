"""The language layer's vocabularies as validated data (``resources/language``).

- ``cues.toml``: negation, uncertainty, past, hypothetical and scope cues (read by ``tokens``);
- ``drugs.toml``: drug names and their aliases, and words that are not drugs (``drugs``);
- ``medication_terms.toml``: dose units, frequencies and routes (``medications``);
- ``wording.toml``: filler phrases a summary drops, sides of the body with the parts
  they attach to, what a plan orders (tests, imaging, referral, admission, procedures),
  whose history a line tells, and the ways of writing one thing (``meaning``, the
  summary's wording checks), how soon a line orders it (urgency), the words of a
  threshold ("above 38", "38℃以上") and of a urine dipstick (analytes, the grade scale).

The format is in ``resources/language/README.md``. As with the knowledge base, a
reader never raises for content problems: it returns them (file and field named),
:func:`validate_vocabulary` lists them all, and the cached loaders the code uses
raise :class:`KnowledgeBaseError` so that a broken file stops the app at start,
never in front of a patient.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from lantern.clinical.language.answers import read_answers
from lantern.clinical.parsed_cache import read_toml
from lantern.domain.errors import KnowledgeBaseError
from lantern.paths import resources_dir

CUES_FILE, DRUGS_FILE, TERMS_FILE = "cues.toml", "drugs.toml", "medication_terms.toml"
WORDING_FILE = "wording.toml"
FILLER_LISTS = ("filler_en", "filler_en_anywhere", "filler_zh", "filler_zh_anywhere")
SIDES = ("left", "right", "both")
CUE_LISTS = ("neg_pre_strong", "neg_pre_weak", "neg_post", "pseudo_negation", "positive",
             "past_pre", "past_post", "other_pre", "other_person", "other_person_bare", "other_verb",
             "other_report", "other_resume", "hypothetical", "hypothetical_post", "if_open", "advice_lead", "request_pre",
             "conjunctions")
DEGREES = ("probable", "possible")          # how sure a hedge says the writer is
CUE_SETS = ("if_words", "advice_words", "narrated_return", "hard_terminators", "commas", "list_continue", "copulas",
            "value_links")


def vocabulary_dir() -> Path:
    return resources_dir() / "language"


@dataclass(frozen=True)
class Cues:
    lists: dict[str, tuple[str, ...]]          # CUE_LISTS and "uncertain" (the finding cues), in file order
    sets: dict[str, frozenset[str]]            # CUE_SETS
    advice_window: int
    speaker: dict[str, tuple[str, ...]] = field(default_factory=dict)   # he -> (i,), his -> (my,)
    degrees: dict[str, tuple[str, ...]] = field(default_factory=dict)   # DEGREES -> the hedges of that degree
    families: tuple[tuple[str, ...], ...] = ()   # words that stand for one another inside a finding phrase


@dataclass(frozen=True)
class DrugTable:
    drugs: dict[str, tuple[str, ...]]          # canonical id -> aliases, in file order
    not_drugs: frozenset[str]


@dataclass(frozen=True)
class Term:
    canonical: str
    zh: str
    pattern: str                               # the patterns as one alternation
    short: str = ""                            # the clinician's abbreviation ("BD"), for compact text


@dataclass(frozen=True)
class MedicationTerms:
    unit_pattern: str
    unit_aliases: dict[str, str]
    frequencies: tuple[Term, ...]
    routes: tuple[Term, ...]


# [subject] of wording.toml: the patient's own words, the words that make a relative the
# one who tells (after it, before it), the staff who act on the patient, and the words of
# speaking to a relative ("spoke to daughter", "advice to mum")
SUBJECT_KEYS = ("patient", "teller_after", "teller_before", "staff", "spoken_to")


@dataclass(frozen=True)
class WordingTerms:
    fillers: dict[str, tuple[str, ...]]        # FILLER_LISTS
    sides: dict[str, tuple[str, ...]]          # SIDES -> how each is written
    body_parts: dict[str, tuple[str, ...]]     # part key -> how it is written
    orders: dict[str, tuple[str, ...]] = field(default_factory=dict)      # test, imaging, referral... -> wordings
    relations: dict[str, tuple[str, ...]] = field(default_factory=dict)   # whose history: relative -> wordings
    subjects: dict[str, tuple[str, ...]] = field(default_factory=dict)    # the patient's words, a teller's words
    time_points: dict[str, tuple[str, ...]] = field(default_factory=dict)  # "day-1:evening" -> "last night", 昨晚
    sequence: dict[str, tuple[str, ...]] = field(default_factory=dict)    # "before" / "after" -> wordings
    urgency: dict[str, tuple[str, ...]] = field(default_factory=dict)     # how soon: "urgent" -> wordings
    pending: dict[str, tuple[str, ...]] = field(default_factory=dict)     # "awaited" -> "pending", 待回报
    trend: dict[str, tuple[str, ...]] = field(default_factory=dict)       # "improving" -> "getting better", 好转
    severity: dict[str, tuple[str, ...]] = field(default_factory=dict)    # "moderate" -> "moderate", 中度
    sided_parts: dict[str, tuple[str, str]] = field(default_factory=dict)  # "rif" -> ("right", "lower_abdomen")
    same_words: dict[str, tuple[str, ...]] = field(default_factory=dict)  # ways of writing one thing
    thresholds: dict[str, tuple[str, ...]] = field(default_factory=dict)  # "above" -> ">", "over", 超过
    thresholds_after: dict[str, tuple[str, ...]] = field(default_factory=dict)  # "above" -> "or more", 以上
    threshold_subjects: dict[str, tuple[str, ...]] = field(default_factory=dict)  # "temperature" -> "fever", 体温
    dipstick: dict[str, tuple[str, ...]] = field(default_factory=dict)    # analyte -> "protein", 尿蛋白
    dipstick_grades: dict[str, tuple[str, ...]] = field(default_factory=dict)  # "0" -> "negative", 阴性
    dipstick_context: dict[str, tuple[str, ...]] = field(default_factory=dict)  # "urine" -> 尿; "everyday" -> "blood"
    unit_words: dict[str, tuple[str, ...]] = field(default_factory=dict)  # "°C" -> "degrees celsius", 摄氏度
    drug_kinds: dict[str, tuple[str, ...]] = field(default_factory=dict)  # "insulin:basal" -> "glargine", 甘精
    activities: dict[str, tuple[str, ...]] = field(default_factory=dict)  # what a plan continues or stops
                                                                          # besides a drug: "breastfeeding", 哺乳
    destinations: dict[str, tuple[str, ...]] = field(default_factory=dict)  # where a referral goes: "cardiology", 心内科


# --- checks shared by the files ---------------------------------------------------

def _strings(raw: dict, key: str, where: str, problems: list[str]) -> tuple[str, ...]:
    """A required, non-empty list of non-empty strings without repeats."""
    if key not in raw:
        problems.append(f"{where}: missing field {key!r}")
        return ()
    values = raw[key]
    if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
        problems.append(f"{where}: {key} must be a list of non-empty strings")
        return ()
    if not values:
        problems.append(f"{where}: {key} is empty")
    for v in sorted({v for v in values if values.count(v) > 1}):
        problems.append(f"{where}: {key} lists {v!r} twice")
    return tuple(values)


def _text(raw: dict, key: str, where: str, problems: list[str]) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}: missing field {key!r}")
        return ""
    return value


def _pattern(patterns: tuple[str, ...], where: str, problems: list[str]) -> str:
    joined = "|".join(patterns)
    try:
        re.compile(joined, re.IGNORECASE)
    except re.error as exc:
        problems.append(f"{where}: patterns are not a valid regular expression ({exc})")
    return joined


def _read(root: Path, name: str, problems: list[str]) -> dict:
    path = root / name
    if not path.exists():
        problems.append(f"{name} is missing")
        return {}
    raw = read_toml(path, problems)
    _text(raw, "source", name, problems)
    return raw


# --- the three files ------------------------------------------------------------------------

def read_cues(root: Path, problems: list[str]) -> Cues:
    raw = _read(root, CUES_FILE, problems)
    lists = {key: _strings(raw, key, CUES_FILE, problems) for key in CUE_LISTS}
    sets = {key: frozenset(_strings(raw, key, CUES_FILE, problems)) for key in CUE_SETS}
    window = raw.get("advice_window")
    if isinstance(window, bool) or not isinstance(window, int) or window < 1:
        problems.append(f"{CUES_FILE}: advice_window must be a positive whole number")
        window = 1
    cue_words, degrees = _uncertainty(raw, problems)
    lists["uncertain"] = cue_words
    return Cues(lists=lists, sets=sets, advice_window=window, speaker=_speaker(raw, problems), degrees=degrees,
                families=_families(raw, problems))


def _families(raw: dict, problems: list[str]) -> tuple[tuple[str, ...], ...]:
    """The ``[phrase_families]`` table: groups of two or more lower-case wordings, each
    wording in one group only."""
    table = raw.get("phrase_families")
    where = f"{CUES_FILE}: phrase_families"
    if not isinstance(table, dict) or not table:
        problems.append(f"{where} must be a table of name = [wordings]")
        return ()
    out: list[tuple[str, ...]] = []
    owner: dict[str, str] = {}
    for name in table:
        members = _strings(table, name, where, problems)
        if len(members) < 2:
            problems.append(f"{where}: {name!r} needs two wordings or more")
        for member in members:
            if member != member.lower():
                problems.append(f"{where}: {name!r}: {member!r} must be lower case")
            if owner.setdefault(member, name) != name:
                problems.append(f"{where}: {member!r} is in {owner[member]!r} and {name!r}")
        out.append(members)
    return tuple(out)


def _uncertainty(raw: dict, problems: list[str]) -> tuple[tuple[str, ...], dict[str, tuple[str, ...]]]:
    """The ``[uncertainty]`` table: the finding cues (``probable``, ``possible``, ``unrated``)
    and the words of each degree (the cues of that degree and ``[uncertainty.degree_only]``).
    A word sits in one list only."""
    table = raw.get("uncertainty")
    where = f"{CUES_FILE}: uncertainty"
    if not isinstance(table, dict):
        problems.append(f"{where} must be a table")
        return (), {d: () for d in DEGREES}
    only = table.get("degree_only")
    if not isinstance(only, dict):
        problems.append(f"{where}.degree_only must be a table")
        only = {}
    cues = {key: _strings(table, key, where, problems) for key in (*DEGREES, "unrated")}
    extra = {key: _strings(only, key, f"{where}.degree_only", problems) for key in DEGREES}
    seen: dict[str, str] = {}
    for name, words in [*cues.items(), *((f"degree_only.{k}", v) for k, v in extra.items())]:
        for word in words:
            if seen.setdefault(word, name) != name:
                problems.append(f"{where}: {word!r} is in {seen[word]} and {name}")
    cue_words = tuple(w for key in (*DEGREES, "unrated") for w in cues[key])
    return cue_words, {key: cues[key] + extra[key] for key in DEGREES}


def _speaker(raw: dict, problems: list[str]) -> dict[str, tuple[str, ...]]:
    """The ``[speaker]`` table: a third-person word of a lexicon phrase -> how the patient
    says it of themself (lower-case single words, at least one each)."""
    table = raw.get("speaker")
    where = f"{CUES_FILE}: speaker"
    if not isinstance(table, dict) or not table:
        problems.append(f"{where} must be a table of word = [first-person words]")
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for word, forms in table.items():
        ok = isinstance(forms, list) and forms and all(
            isinstance(f, str) and f and f == f.lower() and " " not in f for f in forms)
        if word != word.lower() or " " in word or not ok:
            problems.append(f"{where}: {word!r} must map a lower-case word to a list of lower-case words")
            continue
        out[word] = tuple(forms)
    return out


def read_drugs(root: Path, problems: list[str]) -> DrugTable:
    raw = _read(root, DRUGS_FILE, problems)
    drugs: dict[str, tuple[str, ...]] = {}
    owner: dict[str, str] = {}
    for n, entry in enumerate(raw.get("drug", []), 1):
        did = entry.get("id")
        if not isinstance(did, str) or not did.strip():
            problems.append(f"{DRUGS_FILE}: drug #{n}: missing field 'id'")
            continue
        where = f"{DRUGS_FILE}: drug {did!r}"
        if did in drugs:
            problems.append(f"{where}: listed twice")
            continue
        aliases = _strings(entry, "aliases", where, problems)
        for alias in aliases:
            if alias != alias.lower():
                problems.append(f"{where}: alias {alias!r} must be lower case")
            if owner.get(alias, did) != did:
                problems.append(f"{DRUGS_FILE}: alias {alias!r} maps to two drugs, "
                                f"{owner[alias]!r} and {did!r}")
            owner.setdefault(alias, did)
        drugs[did] = aliases
    if not drugs:
        problems.append(f"{DRUGS_FILE}: no [[drug]] entries")
    not_drugs = frozenset(_strings(raw, "not_drugs", DRUGS_FILE, problems))
    _formulary_names(root.parent / "formulary", drugs, owner, read_english_words(root, []) | not_drugs)
    return DrugTable(drugs=drugs, not_drugs=not_drugs)


# A formulary name is read as a drug's name when it is long enough not to be an ordinary
# word or another abbreviation ("SP", "HR", "AL", "NS" stay with drugs.toml's own context).
_FORMULARY_NAME = re.compile(r"[a-z][a-z -]{4,}|[\u4e00-\u9fff]{2,}")


def _formulary_names(formulary: Path, drugs: dict[str, tuple[str, ...]], owner: dict[str, str],
                     english: frozenset[str]) -> None:
    """Add the formulary's names of each drug (its English and approved Chinese name,
    ``resources/formulary/drugs_*.toml``) to the drug table: one drug has one
    key whichever name a note or a rewording writes ("文拉法辛" and "venlafaxine"). A drug
    drugs.toml already lists keeps its key; a name another drug owns is left to it, and so is
    a plain English word or a word drugs.toml says is no drug ("potassium" in "potassium 5.8" is
    the blood result, "dextrose" is read with its strength). The formulary
    validates its own files; what cannot be read here is skipped."""
    for path in sorted(formulary.glob("drugs_*.toml")) if formulary.is_dir() else ():
        for entry in read_toml(path, []).get("drug", []):
            if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
                continue
            # (its aliases stay the formulary's: misspellings such as "glucos" would read the
            # word "glucose" as a drug through the one-edit match)
            names = [entry["id"].replace("_", " "), entry.get("name_en"), entry.get("name_zh")]
            written = [n.strip().lower() for n in names if isinstance(n, str)]
            written = list(dict.fromkeys(n for n in written if _FORMULARY_NAME.fullmatch(n) and n not in english))
            key = next((owner[n] for n in written if n in owner), entry["id"])
            added = tuple(n for n in written if n not in owner)
            if added:
                drugs[key] = drugs.get(key, ()) + added
                owner.update(dict.fromkeys(added, key))


def _terms(raw: dict, key: str, problems: list[str]) -> tuple[Term, ...]:
    terms: list[Term] = []
    seen: set[str] = set()
    entries = raw.get(key, [])
    if not entries:
        problems.append(f"{TERMS_FILE}: no [[{key}]] entries")
    for n, entry in enumerate(entries, 1):
        canonical = _text(entry, "canonical", f"{TERMS_FILE}: {key} #{n}", problems)
        where = f"{TERMS_FILE}: {key} {canonical or '#' + str(n)!r}"
        if canonical in seen:
            problems.append(f"{where}: listed twice")
        seen.add(canonical)
        zh = _text(entry, "zh", where, problems)
        pattern = _pattern(_strings(entry, "patterns", where, problems), where, problems)
        short = entry.get("short", "")
        if not isinstance(short, str):
            problems.append(f"{where}: 'short' must be text")
            short = ""
        terms.append(Term(canonical=canonical, zh=zh, pattern=pattern, short=short))
    return tuple(terms)


def read_medication_terms(root: Path, problems: list[str]) -> MedicationTerms:
    raw = _read(root, TERMS_FILE, problems)
    unit_pattern = _pattern(_strings(raw, "unit_patterns", TERMS_FILE, problems),
                            f"{TERMS_FILE}: unit_patterns", problems)
    aliases = raw.get("unit_aliases")
    if not isinstance(aliases, dict) or not aliases:
        problems.append(f"{TERMS_FILE}: missing field 'unit_aliases'")
        aliases = {}
    for written, shown in aliases.items():
        if written != written.lower():
            problems.append(f"{TERMS_FILE}: unit_aliases: {written!r} must be lower case")
        if not isinstance(shown, str) or not shown.strip():
            problems.append(f"{TERMS_FILE}: unit_aliases: {written!r} needs a unit to show")
    return MedicationTerms(unit_pattern=unit_pattern, unit_aliases=dict(aliases),
                           frequencies=_terms(raw, "frequency", problems),
                           routes=_terms(raw, "route", problems))


def _aliases(raw: dict, key: str, problems: list[str]) -> dict[str, tuple[str, ...]]:
    """A table of key -> lower-case aliases, each alias under one key only."""
    table = raw.get(key)
    if not isinstance(table, dict) or not table:
        problems.append(f"{WORDING_FILE}: missing table [{key}]")
        return {}
    out: dict[str, tuple[str, ...]] = {}
    owner: dict[str, str] = {}
    for name in table:
        values = _strings(table, name, f"{WORDING_FILE}: {key}", problems)
        for alias in values:
            if alias != alias.lower():
                problems.append(f"{WORDING_FILE}: {key} {name!r}: {alias!r} must be lower case")
            if owner.setdefault(alias, name) != name:
                problems.append(f"{WORDING_FILE}: {key}: {alias!r} is under {owner[alias]!r} and {name!r}")
        out[name] = values
    return out


def read_wording(root: Path, problems: list[str]) -> WordingTerms:
    raw = _read(root, WORDING_FILE, problems)
    fillers = {key: _strings(raw, key, WORDING_FILE, problems) for key in FILLER_LISTS}
    sides = _aliases(raw, "side", problems)
    for side in SIDES:
        if side not in sides:
            problems.append(f"{WORDING_FILE}: side: missing field {side!r}")
    subjects = _aliases(raw, "subject", problems)
    for key in SUBJECT_KEYS:
        if key not in subjects:
            problems.append(f"{WORDING_FILE}: subject: missing field {key!r}")
    return WordingTerms(fillers=fillers, sides=sides, body_parts=_aliases(raw, "body_part", problems),
                        orders=_aliases(raw, "order", problems), relations=_aliases(raw, "relation", problems),
                        subjects=subjects,
                        time_points=_aliases(raw, "time_point", problems),
                        sequence=_aliases(raw, "sequence", problems),
                        urgency=_aliases(raw, "urgency", problems),
                        pending=_aliases(raw, "pending", problems),
                        trend=_aliases(raw, "trend", problems),
                        severity=_aliases(raw, "severity", problems),
                        sided_parts=_sided_parts(raw, problems),
                        same_words=_aliases(raw, "same_words", problems),
                        thresholds=_aliases(raw, "threshold", problems),
                        thresholds_after=_aliases(raw, "threshold_after", problems),
                        threshold_subjects=_aliases(raw, "threshold_subject", problems),
                        dipstick=_aliases(raw, "dipstick", problems),
                        dipstick_grades=_dipstick_grades(raw, problems),
                        dipstick_context=_aliases(raw, "dipstick_context", problems),
                        unit_words=_aliases(raw, "unit_word", problems),
                        drug_kinds=_aliases(raw, "drug_kind", problems),
                        activities=_aliases(raw, "activity", problems),
                        destinations=_aliases(raw, "destination", problems))


def _dipstick_grades(raw: dict, problems: list[str]) -> dict[str, tuple[str, ...]]:
    """``[dipstick_grade]``: a grade of the dipstick scale (a number: "0", "0.5", "1") -> its words."""
    grades = _aliases(raw, "dipstick_grade", problems)
    for grade in grades:
        try:
            float(grade)
        except ValueError:
            problems.append(f"{WORDING_FILE}: dipstick_grade: {grade!r} is not a grade number")
    return grades


def _sided_parts(raw: dict, problems: list[str]) -> dict[str, tuple[str, str]]:
    """``[sided_part.<side>]``: short forms that write a side and a body part in one word."""
    table = raw.get("sided_part", {})
    parts = raw.get("body_part", {})
    out: dict[str, tuple[str, str]] = {}
    if not isinstance(table, dict):
        problems.append(f"{WORDING_FILE}: sided_part must be a table")
        return out
    for side, by_part in table.items():
        if side not in SIDES or not isinstance(by_part, dict):
            problems.append(f"{WORDING_FILE}: sided_part: {side!r} is not a table of one of {', '.join(SIDES)}")
            continue
        for part in by_part:
            if part not in parts:
                problems.append(f"{WORDING_FILE}: sided_part.{side}: {part!r} is not a [body_part] key")
            for form in _strings(by_part, part, f"{WORDING_FILE}: sided_part.{side}", problems):
                if form != form.lower() or out.setdefault(form, (side, part)) != (side, part):
                    problems.append(f"{WORDING_FILE}: sided_part: {form!r} must be lower case and listed once")
    return out


def read_english_words(root: Path, problems: list[str]) -> frozenset[str]:
    """``english_words.txt``: one lower-case word a line, comments after ``#``."""
    path = root / "english_words.txt"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        problems.append(f"english_words.txt: cannot read ({exc.strerror or exc})")
        return frozenset()
    words = frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))
    bad = sorted(w for w in words if not re.fullmatch(r"[a-z]{6,}", w))
    if bad:
        problems.append(f"english_words.txt: not a lower-case word of 6+ letters: {bad[0]!r}")
    if len(words) < 1000:
        problems.append(f"english_words.txt: only {len(words)} words (expected the whole word list)")
    return words


def validate_vocabulary(root: Path | None = None) -> list[str]:
    """Every problem in the vocabulary files (empty when they are valid)."""
    root = root or vocabulary_dir()
    problems: list[str] = []
    read_cues(root, problems)
    read_drugs(root, problems)
    read_medication_terms(root, problems)
    read_wording(root, problems)
    read_english_words(root, problems)
    read_answers(root, problems)
    return problems


T = TypeVar("T")


def _checked(reader: Callable[[Path, list[str]], T], root: Path | None) -> T:
    problems: list[str] = []
    value = reader(root or vocabulary_dir(), problems)
    if problems:
        raise KnowledgeBaseError(
            f"the language vocabulary has {len(problems)} problem(s); first: {problems[0]}")
    return value


@lru_cache(maxsize=1)
def load_cues() -> Cues:
    return _checked(read_cues, None)


@lru_cache(maxsize=1)
def load_drugs() -> DrugTable:
    return _checked(read_drugs, None)


@lru_cache(maxsize=1)
def load_medication_terms() -> MedicationTerms:
    return _checked(read_medication_terms, None)


@lru_cache(maxsize=1)
def load_english_words() -> frozenset[str]:
    return _checked(read_english_words, None)


@lru_cache(maxsize=1)
def load_wording() -> WordingTerms:
    return _checked(read_wording, None)
