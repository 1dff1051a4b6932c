"""What an unlock checks before it writes anything, and what follows a finding.

:func:`check_vault` compares the vault with its sealed state
(``lantern.vault.state``), validates the pending failed-login rows and compares
the state's generation with the newest one this OS user has seen
(``lantern.vault.seen``). It only reads. Any finding opens the vault read-only
(``docs/vault.md``, "When the integrity check fails"): records can be read,
nothing is written, the GUI shows a red banner and the CLI names each finding,
until an administrator reviews them and accepts the current state
(:func:`accept_findings`), which records them in the audit trail and seals the
state again.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from lantern.services import seen_states as seen
from lantern.vault import accounts
from lantern.vault.audit import AuditChain, check_pending
from lantern.vault.schema import RECORD_TABLES
from lantern.vault.state import UNSEALED, Finding, VaultState
from lantern.vault.store import Store

SEAL_ACTION = "seal vault state"
UPGRADE_ACTION = "upgrade vault schema"
ACCEPT_ACTION = "integrity alarm accepted"


@dataclass(frozen=True, slots=True)
class IntegrityCheck:
    findings: tuple[Finding, ...]
    generation: int  # the sealed state's generation (0 if none)
    vault_id: str
    unsealed: bool = False  # an older vault whose state is sealed now, at its first unlock
    # who may accept the findings: the active admins of the sealed state (None: no
    # authenticated state to ask, the current users table decides)
    sealed_admins: frozenset[str] | None = None
    # (sealed schema, current schema): this Lantern's migrations upgraded a sealed vault;
    # the unlock audits the upgrade and seals the state at the new schema
    upgraded: tuple[int, int] | None = None

    @property
    def ok(self) -> bool:
        return not self.findings

    def lines(self) -> list[str]:
        """One line per finding, naming table and id where known (no patient data)."""
        out = []
        for f in self.findings:
            where = f" [{f.table}{'/' + f.record_id if f.record_id else ''}]" if f.table else ""
            out.append(f"{f.kind}: {f.message}{where}")
        return out


def _first_seal_allowed(conn: sqlite3.Connection, chain: AuditChain) -> bool:
    """An older vault is sealed on trust at its first unlock, but only when nothing
    says it had been sealed before: no seal entry in an intact, non-empty audit
    chain, and no record blob of format 2."""
    if conn.execute("SELECT 1 FROM audit_log WHERE action = ? LIMIT 1", (SEAL_ACTION,)).fetchone():
        return False
    for table in RECORD_TABLES:
        if conn.execute(f"SELECT 1 FROM {table} WHERE substr(data, 1, 1) IN (x'02', x'82')"
                        " LIMIT 1").fetchone():
            return False
    check = chain.verify(conn)
    return check.ok and check.checked > 0


def check_vault(store: Store, state: VaultState, chain: AuditChain) -> IntegrityCheck:
    """Everything an unlock checks before it appends anything (read only)."""
    with store.reading() as conn:
        vault_id = accounts.get_meta(conn, "vault_id") or ""
        _doc, _mac, status = state.load(conn)
        upgraded = state.upgrade_of(conn, _doc)
        unsealed = False
        if _doc is None and status == UNSEALED and _first_seal_allowed(conn, chain):
            findings: list[Finding] = []
            generation = 0
            unsealed = True
        else:
            found, generation = state.verify(conn)
            findings = list(found)
        for row_id, reason in check_pending(conn).rejected:
            findings.append(Finding("failed-login row rejected", f"a pending failed-login row "
                                    f"was rejected: {reason}", table="pending_failures",
                                    record_id=str(row_id)))
    seen_generation = seen.last_seen(vault_id) if vault_id else None
    if seen_generation is not None and generation < seen_generation and not unsealed:
        findings.append(Finding("whole-file rollback", "this vault file is older than the last "
                                f"state this computer saw (state {generation}, seen "
                                f"{seen_generation}): an older copy may have been put back"))
    admins = None
    if findings:
        with store.reading() as conn:
            admins = state.sealed_admins(conn)
    return IntegrityCheck(tuple(findings), generation, vault_id, unsealed, admins,
                          upgraded if not unsealed else None)


def remember_generation(store: Store, state: VaultState) -> None:
    """Note the vault's current generation in this OS user's record of seen states."""
    with store.reading() as conn:
        doc, _mac, _status = state.load(conn)
        vault_id = accounts.get_meta(conn, "vault_id")
    if doc and vault_id and isinstance(doc.get("generation"), int):
        seen.remember(vault_id, doc["generation"])


def accept_findings(store: Store, state: VaultState, chain: AuditChain, check: IntegrityCheck,
                    *, username: str) -> int:
    """Record ``check``'s findings in the audit trail and seal the current state.

    The caller has checked the role. Returns the new generation."""
    summary = "; ".join(sorted({f"{f.kind}" + (f" {f.table}" if f.table else "")
                                for f in check.findings}))
    floor = max(check.generation, seen.last_seen(check.vault_id) or 0) if check.vault_id else 0
    with store.transaction() as conn:
        chain.fold_pending(conn, by=username)
        chain.append(conn, username=username, action=ACCEPT_ACTION,
                     detail=f"{len(check.findings)} finding(s): {summary}"[:500])
        generation = state.reseal(conn, generation=floor + 1)
    if check.vault_id:
        seen.remember(check.vault_id, generation)
    return generation
