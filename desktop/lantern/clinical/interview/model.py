"""The interview's value types: an answer in, questions and the updated assessment out."""

from __future__ import annotations

from dataclasses import dataclass, field

from lantern.clinical.pipeline import Assessment

ANSWERS = ("yes", "no", "unknown")
KINDS = ("ask", "look", "measure")   # history question, examination step, measurement


@dataclass(frozen=True, slots=True)
class Answer:
    """The clinician's answer about one knowledge-base finding.

    ``yes``: the finding is present; ``no``: absent; ``unknown``: could not be told
    (the finding stays unknown and is not asked again while the answer is kept)."""

    finding: str
    answer: str


@dataclass(frozen=True, slots=True)
class Question:
    finding: str                 # knowledge-base finding id; a "yes" means it is present
    text_en: str
    text_zh: str
    kind: str                    # "ask" | "look" | "measure"
    danger_sign: bool            # part of a mandatory screen or of a triage rule
    gain: float                  # expected (danger-weighted) information gain, bits
    why: tuple[str, ...] = ()    # the condition ids it separates (best first)
    screen: str | None = None    # the mandatory screen it comes from ("imci_general_danger_signs")
    vital: str | None = None     # for "measure": the Vitals field to fill ("temp_c")
    members: tuple[str, ...] = ()   # a grouped screen question (``finding`` is the group id,
                                    # groups.toml): the member findings it asks together
    others_present: bool = False    # ... another sign of the group is already present

    @property
    def is_group(self) -> bool:
        return bool(self.members)

    def text(self, lang: str) -> str:
        """The wording in ``lang`` ("zh" gives Chinese, anything else English)."""
        return self.text_zh if lang == "zh" else self.text_en


@dataclass
class Interview:
    questions: list[Question]    # best first; empty when nothing is worth asking
    assessment: Assessment       # ``assess`` with the answers applied (diagnose shape)
    settled: bool                # the first condition is clear: no question would change it
    answered: dict[str, str] = field(default_factory=dict)   # finding -> last answer given
    groups: dict[str, str] = field(default_factory=dict)     # group id -> last answer given

    @property
    def lang(self) -> str:
        """The note's language: the language of ``Question.text``."""
        return self.assessment.lang

    def to_dict(self) -> dict:
        """The ``lantern interview --next`` object: exactly id, questions, triage, differential."""
        full = self.assessment.to_dict()
        return {
            "id": full["id"],
            "questions": [
                {"finding": q.finding, "text": q.text(self.lang), "kind": q.kind,
                 "danger_sign": q.danger_sign, "gain": round(q.gain, 4)}
                for q in self.questions
            ],
            "triage": full["triage"],
            "differential": full["differential"],
        }
