"""The audit trail as seen by administrators, and events other services report."""

from __future__ import annotations

from lantern.domain.errors import ValidationError
from lantern.domain.records import AuditEntry
from lantern.services.context import ServiceContext
from lantern.services.roles import require
from lantern.vault.audit import AuditCheck

# actions the GUI or other services may record directly (the rest are written
# by the services that make the change)
EXTERNAL_ACTIONS = frozenset({"export", "print", "view summary", "view assessment", "view audit log"})


class AuditService:
    def __init__(self, ctx: ServiceContext) -> None:
        ctx.ensure_unlocked()
        self._ctx = ctx

    def entries(self, limit: int = 200, *, offset: int = 0) -> list[AuditEntry]:
        """Newest first. Admin only."""
        require(self._ctx.user, "audit.read")
        with self._ctx.reading() as conn:
            return self._ctx.audit_chain.entries(conn, limit=limit, offset=offset)

    def verify(self) -> AuditCheck:
        """Check the whole HMAC chain; ``first_bad_position`` names where it breaks."""
        require(self._ctx.user, "audit.read")
        with self._ctx.reading() as conn:
            return self._ctx.audit_chain.verify(conn)

    def record(self, action: str, *, patient_id: str | None = None,
               record_id: str | None = None) -> None:
        """Record an event such as an export or a print (no free text: no patient data)."""
        if action not in EXTERNAL_ACTIONS:
            raise ValidationError("Unknown audit action.")
        if action in ("export", "print"):
            require(self._ctx.user, "export")
        with self._ctx.viewing() as conn:  # a read-only session records nothing
            self._ctx.log_event(conn, action, patient_id=patient_id, record_id=record_id)
