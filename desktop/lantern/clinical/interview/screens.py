"""The mandatory screens (``resources/interview/screens.toml``): findings asked first,
in the file's order, whenever the patient is in the screen's group and they are unknown.

A screen applies by age (``age_min_years`` <= age < ``age_max_years``; a case without
an age gets the screens of no age group and those marked ``unknown_age = true``: a
patient whose age is not known is quick-checked rather than not at all, as the triage
rules of both age groups apply to them), by pregnancy (``pregnancy = "required"``: a
pregnant or recently delivered woman, never a child under ``MIN_MOTHER_AGE_YEARS``;
``"excluded"``: not her) and, with ``when_any``, only when one of those
findings is present (the severe-dehydration signs when there is diarrhoea); with ``with_any``
as well, only when one of those is present too (a missed period *and* abdominal pain or
bleeding); with ``unless_any``, never when one of those is present (the fetal signs not
after delivery). The stage of a pregnancy (first trimester or a missed period, 22 weeks or
more, after delivery) picks its screen this way. ``sex`` limits a screen to patients known
(from the case or the note) to be of that sex.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lantern.clinical.knowledge import KnowledgeBase
from lantern.domain.errors import KnowledgeBaseError
from lantern.paths import resources_dir

SCREENS_FILE = "screens.toml"
PRIORITIES = ("first", "early")
# Below this age the pregnancy or delivery in a note is someone else's (a postnatal
# visit of the baby), so the obstetric screens do not apply to the patient.
MIN_MOTHER_AGE_YEARS = 9.0


@dataclass(frozen=True, slots=True)
class Screen:
    id: str
    label_en: str
    label_zh: str
    source: str
    findings: tuple[str, ...]
    age_min_years: float | None = None
    age_max_years: float | None = None
    pregnancy: str = "any"          # "any" | "required" | "excluded"
    when_any: tuple[str, ...] = ()  # applies only when one of these findings is present
    with_any: tuple[str, ...] = ()  # ... and one of these as well
    unless_any: tuple[str, ...] = ()  # never when one of these is present
    priority: str = "first"         # "first": before everything; "early": see screens.toml
    unknown_age: bool = False       # also applies when the age is not known
    sex: str = "any"                # "any" | "female" | "male": only a patient known to be of it
    vague: bool = False             # its when_any are vague words: see :meth:`only_vague`

    def only_vague(self, complaints: set[str]) -> bool:
        """A ``vague`` screen whose ``when_any`` words are the whole complaint (the symptoms
        and signs present; the screen applies, so one of them is present): 'off her legs',
        'muddled', 'not herself', 'gone off food', a fall with nothing else said, say nothing
        of the cause, so the screen's questions are the history (engine)."""
        return self.vague and complaints <= set(self.when_any)

    def applies(self, *, age_years: float | None, pregnant_context: bool,
                present: set[str], sex: str | None = None) -> bool:
        if self.sex != "any" and sex != self.sex:
            return False        # ... nor an unknown one (no "missed period?" for a man)
        if self.age_min_years is not None or self.age_max_years is not None:
            if age_years is None:
                if not self.unknown_age:
                    return False        # ... and one marked unknown_age checks the rest too
            elif self.age_min_years is not None and age_years < self.age_min_years:
                return False
            elif self.age_max_years is not None and age_years >= self.age_max_years:
                return False
        if self.pregnancy == "required" and (not pregnant_context or (
                age_years is not None and age_years < MIN_MOTHER_AGE_YEARS)):
            return False        # a baby in a postnatal visit is not the one who delivered
        if self.pregnancy == "excluded" and pregnant_context:
            return False        # a known pregnancy: its own screens ask
        if any(fid in present for fid in self.unless_any):
            return False
        return all(not group or any(fid in present for fid in group)
                   for group in (self.when_any, self.with_any))


def interview_dir() -> Path:
    return resources_dir() / "interview"


def read_screens(path: Path | None = None) -> tuple[Screen, ...]:
    path = path or interview_dir() / SCREENS_FILE
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    out = []
    for item in raw.get("screen", []):
        out.append(Screen(
            id=str(item["id"]), label_en=str(item["label_en"]), label_zh=str(item["label_zh"]),
            source=str(item["source"]), findings=tuple(item["findings"]),
            age_min_years=item.get("age_min_years"), age_max_years=item.get("age_max_years"),
            pregnancy=str(item.get("pregnancy", "any")), when_any=tuple(item.get("when_any", ())),
            with_any=tuple(item.get("with_any", ())), unless_any=tuple(item.get("unless_any", ())),
            priority=str(item.get("priority", "first")),
            unknown_age=bool(item.get("unknown_age", False)), sex=str(item.get("sex", "any")),
            vague=item.get("vague", False)))
    return tuple(out)


def validate_screens(kb: KnowledgeBase, screens: tuple[Screen, ...] | None = None) -> list[str]:
    """Problems: unknown finding ids, missing source, bad pregnancy value."""
    problems = []
    for s in screens if screens is not None else read_screens():
        for fid in s.findings + s.when_any + s.with_any + s.unless_any:
            if fid not in kb.findings:
                problems.append(f"{SCREENS_FILE}: screen {s.id}: unknown finding id {fid!r}")
        if not s.source.strip():
            problems.append(f"{SCREENS_FILE}: screen {s.id}: missing source")
        if s.pregnancy not in ("any", "required", "excluded"):
            problems.append(f"{SCREENS_FILE}: screen {s.id}: pregnancy must be any, required or excluded")
        if s.sex not in ("any", "female", "male"):
            problems.append(f"{SCREENS_FILE}: screen {s.id}: sex must be any, female or male")
        if s.with_any and not s.when_any:
            problems.append(f"{SCREENS_FILE}: screen {s.id}: with_any needs when_any")
        if not isinstance(s.vague, bool):
            problems.append(f"{SCREENS_FILE}: screen {s.id}: vague must be true or false")
        if s.vague and not s.when_any:
            problems.append(f"{SCREENS_FILE}: screen {s.id}: vague needs when_any")
        if s.priority not in PRIORITIES:
            problems.append(f"{SCREENS_FILE}: screen {s.id}: priority must be first or early")
    return problems


@cache
def load_screens() -> tuple[Screen, ...]:
    """The screens, validated against the knowledge base (KnowledgeBaseError otherwise)."""
    from lantern.clinical.knowledge import load_knowledge

    screens = read_screens()
    problems = validate_screens(load_knowledge(), screens)
    if problems:
        raise KnowledgeBaseError(f"{len(problems)} problem(s) in the interview screens; "
                                 f"first: {problems[0]}")
    return screens
