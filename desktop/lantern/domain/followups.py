"""Follow-ups (issue 16): a return visit the clinician confirmed, and its tracing outcomes."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime


class Outcome(enum.StrEnum):
    """What tracing found. ``came``, ``moved`` and ``died`` close a follow-up; ``called``
    and ``not_reachable`` keep it on the list (the patient is still expected)."""
    CAME = "came"
    CALLED = "called"
    NOT_REACHABLE = "not_reachable"
    MOVED = "moved"
    DIED = "died"


CLOSING = frozenset({Outcome.CAME, Outcome.MOVED, Outcome.DIED})


class Window(enum.StrEnum):
    """Which follow-ups a list shows (by due date against today)."""
    TODAY = "today"
    OVERDUE = "overdue"
    WEEK = "week"        # due from today to six days ahead
    ALL = "all"          # every follow-up still open


@dataclass(frozen=True, slots=True)
class OutcomeEntry:
    outcome: Outcome
    by: str                     # user name, or "" when recorded automatically
    at: datetime
    auto: bool = False          # "came" set by a later encounter (record_visits)
    encounter_id: str = ""      # the encounter that showed the patient came (auto)


@dataclass(frozen=True, slots=True)
class Followup:
    id: str
    patient_id: str
    due: date
    programme: str = ""         # a programme id of resources/followup/schedules.toml, or ""
    reason: str = ""
    encounter_id: str | None = None
    visit_date: date | None = None
    source: str = "manual"      # "note", "schedule" or "manual"
    created_by: str = ""
    outcomes: tuple[OutcomeEntry, ...] = field(default_factory=tuple)
    version: int = 1

    @property
    def outcome(self) -> Outcome | None:
        return self.outcomes[-1].outcome if self.outcomes else None

    @property
    def open(self) -> bool:
        return self.outcome not in CLOSING


@dataclass(frozen=True, slots=True)
class FollowupRow:
    """One line of the start screen's list: the follow-up and how to reach the patient."""
    followup: Followup
    name: str
    village: str
    phone: str
    caregiver_phone: str
    overdue_days: int           # > 0: overdue by that many days; 0 due today; < 0 ahead
