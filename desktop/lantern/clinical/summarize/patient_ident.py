"""The patient identification line of a letter: name, sex, age, date of birth, id, the
caregiver of a child, village and phone, in the letter's language.

Values come from the caller (the chart's patient record or the CLI request's
``patient`` object, with the request's ``sex`` and ``age_years`` as fallback); the
line adds no fact of its own. Sex is shown in the letter's language: a Chinese letter
says 男 / 女, never "male"; a value it does not know is shown as given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from lantern.clinical.language.text import Span
from lantern.domain import ages

SEX_LABELS = {"male": ("Male", "男"), "female": ("Female", "女")}
_SEX_ALIASES = {"m": "male", "man": "male", "boy": "male", "男": "male", "男性": "male",
                "f": "female", "woman": "female", "girl": "female", "女": "female", "女性": "female"}

# "brought by her mother", "accompanied by the grandmother", "母亲陪同", "由奶奶带来就诊"
_CAREGIVER_EN = re.compile(
    r"\b(?:brought(?:\s+in)?|accompanied|escorted)\s+by\s+(?:(?:his|her|their|the)\s+)?"
    r"((?:grand)?(?:mother|father)|mum|mom|dad|aunt|uncle|(?:older\s+)?(?:sister|brother)|guardian|parents?|"
    r"caregiver|carer)\b", re.IGNORECASE)
_CAREGIVER_ZH = re.compile(r"(?:由)?(母亲|父亲|妈妈|爸爸|奶奶|爷爷|外婆|外公|姥姥|姥爷|家长|监护人|姐姐|哥哥)"
                           r"(?:陪同|带来|带其|抱来|代诉|送来)")
CHILD_MAX_YEARS = 18.0


@dataclass(frozen=True, slots=True)
class Caregiver:
    text: str
    span: Span | None      # where the note says it (doc 0), None when it came from the record


def sex_label(value: object, lang: str) -> str:
    """"male" → "Male" / "男"; a value it does not know is returned as given."""
    raw = str(value or "").strip()
    key = _SEX_ALIASES.get(raw.casefold(), raw.casefold())
    if key in SEX_LABELS:
        return SEX_LABELS[key][lang == "zh"]
    return raw


def age_text(years: float, lang: str) -> str:
    """34 → "34 years" / "34岁"; 0.6 → "7 months" / "7个月"; 3.2 → "38 months"; under 2
    months in days (``lantern.domain.ages``: the one rule for ages everywhere)."""
    return ages.age_text(age_years=years, lang=lang)


def _birth_date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def caregiver_in_note(note: str) -> Caregiver | None:
    """The caregiver the note names ("brought by her mother", "母亲陪同"), or None."""
    m = _CAREGIVER_EN.search(note) or _CAREGIVER_ZH.search(note)
    if m is None:
        return None
    return Caregiver(m.group(1), Span(m.start(1), m.end(1), doc=0))


def _age(patient: dict, age_years: float | None, lang: str) -> str:
    given = patient.get("age")
    if isinstance(given, str) and given.strip():
        return given.strip()                       # as the caller wrote it ("2 yr", "7个月")
    value = given if isinstance(given, (int, float)) and not isinstance(given, bool) else None
    if value is not None and float(value).is_integer() and value >= 1:
        # whole years as the caller gave them ("age": 3): the months are not known
        return ages.Age(int(value), "year").text(lang)
    if value is None:
        raw = patient.get("age_years")
        value = raw if isinstance(raw, (int, float)) and not isinstance(raw, bool) else age_years
        # the record's birth date or year says it exactly (days, months, or "about" years)
        year = patient.get("birth_year")
        exact = ages.age_text(birth_date=_birth_date(patient.get("birth_date")),
                              birth_year=year if isinstance(year, int) and not isinstance(year, bool) else None,
                              lang=lang)
        if exact:
            return exact
    return age_text(float(value), lang) if value is not None and value >= 0 else ""


def _birth(patient: dict, lang: str) -> str:
    zh = lang == "zh"
    if patient.get("birth_date"):
        return f"出生日期：{patient['birth_date']}" if zh else f"DOB: {patient['birth_date']}"
    if patient.get("birth_year"):
        return f"出生年份：{patient['birth_year']}" if zh else f"Born: {patient['birth_year']}"
    return ""


def patient_line(patient: dict | None, lang: str, *, sex: str | None = None,
                 age_years: float | None = None, caregiver: str = "") -> str:
    """The identification line; "" when nothing identifies the patient. ``sex`` and
    ``age_years`` (the request's case) fill in what ``patient`` does not say."""
    patient = dict(patient or {})
    zh = lang == "zh"
    parts: list[str] = []

    def put(label_en: str, label_zh: str, value: object) -> None:
        if value not in (None, ""):
            parts.append(f"{label_zh}：{value}" if zh else f"{label_en}: {value}")

    put("Name", "姓名", patient.get("name"))
    put("Sex", "性别", sex_label(patient.get("sex") or sex, lang))
    put("Age", "年龄", _age(patient, age_years, lang))
    if (birth := _birth(patient, lang)):
        parts.append(birth)
    put("ID", "编号", patient.get("id"))
    put("Caregiver", "陪同/监护人", patient.get("caregiver") or caregiver)
    put("Village", "村", patient.get("village"))
    put("Phone", "电话", patient.get("phone"))
    return ("；" if zh else "; ").join(parts)


def is_child(age_years: float | None) -> bool:
    return age_years is not None and age_years < CHILD_MAX_YEARS
