"""Question wording and answer sentences, as data (``resources/interview/questions.toml``).

An entry gives a finding's kind ("ask": lay wording for a history question; "look",
"measure": clinical wording), its EN and ZH question, and for "measure" the Vitals field
to fill (none for a bedside test read positive / negative: a malaria RDT, a urine
dipstick, a pregnancy test; its answer is a finding like any other), and optionally the ages it is asked at (``age_min_years`` inclusive,
``age_max_years`` exclusive: a fontanelle only in an infant, never in an adult), and
``changes = true`` for a state that can change into an emergency (a hernia that went back
in and is now stuck): the note's "no" is then what it was, and the question is still asked
about now (the engine; an answer, not the note, settles it). A
finding without an entry gets a question generated from its label ("Is there
…?" / "有无…？") and the kind of its knowledge-base kind (sign: look, else ask).

The sentence an answer adds to the note is made from the finding's own lexicon
phrases (``resources/knowledge/findings*.toml``), and only from a phrase that the
language layer reads back as the same finding, present for "yes" and negated for "no":
the note stays the single record, and the next assessment reads the answer from it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lantern.clinical.interview.model import ANSWERS, KINDS
from lantern.clinical.interview.screens import interview_dir
from lantern.clinical.knowledge import KnowledgeBase, load_knowledge
from lantern.domain.errors import KnowledgeBaseError, ValidationError
from lantern.domain.records import Vitals

QUESTIONS_FILE = "questions.toml"
SENTENCE_KEYS = ("yes_en", "no_en", "yes_zh", "no_zh")
_ASKABLE_KINDS = frozenset({"symptom", "sign", "history", "context", "vital"})


@dataclass(frozen=True, slots=True)
class Wording:
    finding: str
    kind: str
    en: str
    zh: str
    vital: str | None = None
    generated: bool = False
    sentences: tuple[tuple[str, str], ...] = ()   # (("no_en", "Able to drink…"), …)
    age_min_years: float | None = None            # asked from this age (inclusive) ...
    age_max_years: float | None = None            # ... below this one; unknown age: asked
    changes: bool = False                         # a state that can change: asked again "now"
                                                  # after the note reads it absent

    def fits_age(self, age_years: float | None) -> bool:
        """Is the question asked at this age (an unknown age fits every question)?"""
        if age_years is None:
            return True
        return not ((self.age_min_years is not None and age_years < self.age_min_years)
                    or (self.age_max_years is not None and age_years >= self.age_max_years))

    def sentence(self, answer: str, lang: str) -> str | None:
        """The file's own sentence for this answer and language, if it gives one."""
        return dict(self.sentences).get(f"{answer}_{lang}")


def read_wordings(path: Path | None = None) -> dict[str, Wording]:
    path = path or interview_dir() / QUESTIONS_FILE
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    out: dict[str, Wording] = {}
    for item in raw.get("question", []):
        fid = str(item.get("finding", ""))
        out[fid] = Wording(finding=fid, kind=str(item.get("kind", "")), en=str(item.get("en", "")),
                           zh=str(item.get("zh", "")), vital=item.get("vital"),
                           sentences=tuple((k, str(item[k])) for k in SENTENCE_KEYS if k in item),
                           age_min_years=item.get("age_min_years"),
                           age_max_years=item.get("age_max_years"),
                           changes=bool(item.get("changes", False)))
    return out


def validate_wordings(kb: KnowledgeBase, path: Path | None = None) -> list[str]:
    """Problems of the questions file: unknown ids, duplicates, missing EN/ZH, bad kinds."""
    path = path or interview_dir() / QUESTIONS_FILE
    with path.open("rb") as fh:
        items = tomllib.load(fh).get("question", [])
    problems: list[str] = []
    seen: set[str] = set()
    for item in items:
        fid = item.get("finding")
        where = f"{QUESTIONS_FILE}: {fid!r}"
        if fid not in kb.findings:
            problems.append(f"{where}: not a knowledge-base finding")
        if fid in seen:
            problems.append(f"{where}: listed twice")
        seen.add(str(fid))
        for key in ("en", "zh"):
            if not str(item.get(key, "")).strip():
                problems.append(f"{where}: missing {key}")
        kind = item.get("kind")
        if kind not in KINDS:
            problems.append(f"{where}: kind {kind!r} not one of {list(KINDS)}")
        vital = item.get("vital")
        if kind == "measure" and vital is not None and vital not in Vitals.__slots__:
            problems.append(f"{where}: a measure's vital must be one of {list(Vitals.__slots__)}")
        if kind == "measure" and vital is None and fid in kb.findings and kb.findings[fid].kind != "test":
            problems.append(f"{where}: a measure without vital must be a bedside test (kind test)")
        if kind != "measure" and vital is not None:
            problems.append(f"{where}: only a measure has a vital field")
        problems += _age_problems(item, where)
        if not isinstance(item.get("changes", False), bool):
            problems.append(f"{where}: changes must be true or false")
        for key in SENTENCE_KEYS:
            if key in item and fid in kb.findings and not _reads_back(
                    str(item[key]), str(fid), key.split("_")[0], kb):
                problems.append(f"{where}: {key} {item[key]!r} does not read back as the "
                                f"finding {'present' if key.startswith('yes') else 'absent'}")
    return problems


def _age_problems(item: dict, where: str) -> list[str]:
    """An age limit must be a number of years from 0 to 120, the minimum below the maximum."""
    out = []
    ages = {k: item.get(k) for k in ("age_min_years", "age_max_years") if k in item}
    for key, value in ages.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 120:
            out.append(f"{where}: {key} must be a number of years from 0 to 120")
    low, high = ages.get("age_min_years"), ages.get("age_max_years")
    if not out and low is not None and high is not None and low >= high:
        out.append(f"{where}: age_min_years must be below age_max_years")
    return out


@cache
def load_wordings() -> dict[str, Wording]:
    """The validated questions file (KnowledgeBaseError if it has problems)."""
    problems = validate_wordings(load_knowledge())
    if problems:
        raise KnowledgeBaseError(f"{len(problems)} problem(s) in the interview questions; "
                                 f"first: {problems[0]}")
    return read_wordings()


def _lower_first(label: str) -> str:
    return label[:1].lower() + label[1:] if label[1:2].islower() or len(label) < 2 else label


def wording(finding: str, kb: KnowledgeBase) -> Wording | None:
    """The question for ``finding``: its entry, else one generated from the label;
    None for what the interview does not ask (tests, vital findings without a field)."""
    entry = load_wordings().get(finding)
    if entry is not None:
        return entry
    fd = kb.findings[finding]
    if fd.kind not in _ASKABLE_KINDS or fd.kind == "vital":   # a test: only with an entry
        return None
    return Wording(finding=finding, kind="look" if fd.kind == "sign" else "ask",
                   en=f"Is there {_lower_first(fd.label_en)}?", zh=f"有无{fd.label_zh}？",
                   generated=True)


def _candidates(finding: str, lang: str, kb: KnowledgeBase) -> list[str]:
    fd = kb.findings[finding]
    phrases = list(fd.zh if lang == "zh" else fd.en)
    label = fd.label_zh if lang == "zh" else fd.label_en
    return phrases + [p.strip() for p in label.replace("（", "(").split("(")[0].split("/")]


_NO_FORMS = {"en": ("No {}.", "Denies {}."), "zh": ("无{}。", "未见{}。", "否认{}。")}
_YES_FORMS = {"en": ("{}.",), "zh": ("{}。", "有{}。")}


def _sentences(phrase: str, answer: str, lang: str) -> list[str]:
    forms = _YES_FORMS[lang] if answer == "yes" else _NO_FORMS[lang]
    out = [form.format(phrase) for form in forms]
    return [s[:1].upper() + s[1:] for s in out] if lang == "en" else out


def _reads_back(sentence: str, finding: str, answer: str, kb: KnowledgeBase) -> bool:
    from lantern.clinical.language.findings import extract_findings

    ex = extract_findings(sentence, age_years=30.0, kb=kb)
    got = {f.id: f for f in ex.findings}
    f = got.get(finding)
    return f is not None and f.negated == (answer == "no") and not f.uncertain


_SENTENCES: dict[tuple[str, str, str, str], str] = {}


def _verified_sentence(finding: str, answer: str, lang: str, kb: KnowledgeBase) -> str:
    key = (kb.version, finding, answer, lang)
    if key not in _SENTENCES:
        _SENTENCES[key] = _first_reading_back(finding, answer, lang, kb)
    return _SENTENCES[key]


def _first_reading_back(finding: str, answer: str, lang: str, kb: KnowledgeBase) -> str:
    candidates = _candidates(finding, lang, kb)
    for form in range(len(_YES_FORMS[lang] if answer == "yes" else _NO_FORMS[lang])):
        for phrase in candidates:
            sentence = _sentences(phrase, answer, lang)[form]
            if _reads_back(sentence, finding, answer, kb):
                return sentence
    return _sentences(candidates[-1], answer, lang)[0]   # the label: still readable by a person


def answer_sentence(finding: str, answer: str, lang: str, *,
                    kb: KnowledgeBase | None = None) -> str:
    """What an answer adds to the note, in ``lang`` ("en" | "zh").

    "yes" / "no": a short sentence the language layer reads back as the finding present
    / absent ("Neck stiffness." / "No neck stiffness.", "颈项强直。" / "无颈项强直。").
    "unknown": "" (nothing is written: an unknown finding is no finding). For a
    "measure" question, the Vitals field to fill ("temp_c") whatever the answer.
    ValidationError for an unknown finding id or answer."""
    kb = kb or load_knowledge()
    if finding not in kb.findings:
        raise ValidationError(f"unknown finding id {finding!r}")
    if answer not in ANSWERS:
        raise ValidationError(f'answer must be one of {", ".join(ANSWERS)}')
    w = wording(finding, kb)
    if w is not None and w.kind == "measure" and w.vital:
        return w.vital
    if answer == "unknown":
        return ""
    lang = "zh" if lang == "zh" else "en"
    own = w.sentence(answer, lang) if w is not None else None
    return own or _verified_sentence(finding, answer, lang, kb)
