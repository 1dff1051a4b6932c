"""Drafts across colleagues: who may edit a draft, handing it over, taking it over.

A draft has one editor at a time (``Encounter.editor``: its holder, at first its
author). The editor may hand it over to a named clinician; a clinician or
administrator may take over a colleague's draft (the app asks to confirm first).
Both are audited ("hand over draft", "take over draft") and recorded in the
encrypted encounter with the note as it stood, so the note says who wrote what.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from enum import StrEnum

from lantern.domain.errors import PermissionDenied, ValidationError
from lantern.domain.records import DraftHandover, Encounter, NoteStatus, Role, User
from lantern.services import codec
from lantern.services.context import ServiceContext
from lantern.services.record_lists import now_utc
from lantern.services.roles import allowed, require

_MAY_HOLD = (Role.ADMIN, Role.CLINICIAN)


class DraftAccess(StrEnum):
    EDIT = "edit"                # the user holds the draft
    TAKE_OVER = "take_over"      # someone else holds it; the user may take it over
    READ_ONLY = "read_only"      # signed, or someone else's and the user may not take it over


def draft_access(user: User, encounter: Encounter) -> DraftAccess:
    """What ``user`` may do with ``encounter``, known before any typing starts."""
    if encounter.status is not NoteStatus.DRAFT or not allowed(user, "encounter.draft"):
        return DraftAccess.READ_ONLY
    if encounter.editor == user.username:
        return DraftAccess.EDIT
    return DraftAccess.TAKE_OVER if allowed(user, "encounter.take_over") else DraftAccess.READ_ONLY


def refusal(encounter: Encounter) -> str:
    return (f"This draft is being written by {encounter.editor}; a clinician may take it over, "
            "or its writer may hand it over.")


class DraftHandoverMixin:
    _ctx: ServiceContext
    _role_of: Callable[[str], Role | None]

    def _change_holder(self, encounter_id: str, *, kind: str, to: str | None = None) -> Encounter:
        me = self._ctx.user.username
        with self._ctx.writing() as conn:
            row = self._ctx.repo.get(conn, "encounters", encounter_id)
            enc = codec.encounter_from_row(row)
            if enc.status is not NoteStatus.DRAFT:
                raise ValidationError("This note is signed; there is no draft to hand over or take over.")
            if kind == "hand over":
                if enc.editor != me:
                    raise PermissionDenied("Only the clinician writing this draft may hand it over.")
                target = (to or "").strip().lower()
                if target == me:
                    raise ValidationError("Choose a colleague to hand the draft over to.")
                if self._role_of(target) not in _MAY_HOLD:
                    raise ValidationError("A draft is handed over to a clinician or administrator "
                                          "with an account here.")
            elif enc.editor == me:
                return enc           # handed to me meanwhile: nothing to take over
            else:
                target = me
            step = DraftHandover(kind=kind, from_user=enc.editor, to_user=target, at=now_utc(),
                                 note=enc.note)
            enc = dataclasses.replace(enc, holder=target, handovers=(*enc.handovers, step))
            row = self._ctx.repo.update(conn, "encounters", row=row, payload=codec.encounter_payload(enc))
            self._ctx.log_event(conn, f"{kind} draft", patient_id=enc.patient_id, record_id=encounter_id,
                                detail=f"{step.from_user} -> {target}")
        return codec.encounter_from_row(row)

    def hand_over_draft(self, encounter_id: str, *, to: str) -> Encounter:
        """The draft's writer hands it to a named clinician, who may then edit and sign it."""
        require(self._ctx.user, "encounter.draft")
        return self._change_holder(encounter_id, kind="hand over", to=to)

    def take_over_draft(self, encounter_id: str) -> Encounter:
        """A clinician or administrator continues a colleague's draft (ask first in a UI)."""
        require(self._ctx.user, "encounter.take_over")
        return self._change_holder(encounter_id, kind="take over")


def contributions(encounter: Encounter) -> list[tuple[str, int]]:
    """Who wrote what: ``(user, characters that user added)`` for each holder in turn,
    from the note kept at each hand-over and the note now."""
    import difflib

    out: list[tuple[str, int]] = []
    before, writer = "", encounter.author
    for step in (*encounter.handovers, None):
        after = step.note if step is not None else encounter.note
        added = sum(j2 - j1 for op, _i1, _i2, j1, j2 in
                    difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
                    if op in ("insert", "replace"))
        out.append((writer, added))
        if step is not None:
            before, writer = after, step.to_user
    return out
