"""Holds the open vault session for the window and runs service calls through
the runner.

Widgets never see SQL: they call ``bridge.call(lambda s: s.records..., ...)``.
The function runs in the runner's vault lane with the session; its result comes
back on the GUI thread. When the vault is locked, results of calls still in
flight are dropped, so a late search result can never put patient names back on
screen after a lock.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from lantern.domain.errors import Locked
from lantern.gui.errors import show_error
from lantern.gui.runner import Task, TaskRunner


class SessionBridge(QObject):
    opened = Signal()
    locked = Signal()
    key_rotated = Signal()   # the data key changed: re-encryption should run (gui/reencryption)

    def __init__(self, *, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self._session: Any = None
        self._generation = 0

    @property
    def session(self) -> Any:
        return self._session

    @property
    def is_open(self) -> bool:
        return self._session is not None

    @property
    def username(self) -> str:
        return self._session.user.username if self._session is not None else ""

    @property
    def clinic_name(self) -> str:
        return self._session.clinic_name if self._session is not None else ""

    def attach(self, session: Any) -> None:
        self._session = session
        self._generation += 1
        self.opened.emit()

    def call(
        self,
        fn: Callable[[Any], Any],
        *,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        label: str = "",
    ) -> Task | None:
        """Run ``fn(session)`` in the vault lane; ``None`` if the vault is locked."""
        session = self._session
        if session is None:
            return None
        generation = self._generation

        def work(ctx: Any) -> Any:
            if session.locked:
                raise Locked("The vault is locked.")
            return fn(session)

        def success(result: Any) -> None:
            if generation == self._generation and on_success is not None:
                on_success(result)

        def failure(exc: BaseException) -> None:
            if generation != self._generation:
                return
            if on_failure is not None:
                on_failure(exc)
            else:
                parent = self.parent()
                show_error(parent if isinstance(parent, QWidget) else None, exc)

        return self.runner.submit(work, on_success=success, on_failure=failure, label=label)

    def detach(self) -> Any:
        """Give the session away without locking it (a rebuilt window takes it);
        results still pending for this bridge are dropped."""
        session = self._session
        self._generation += 1
        self._session = None
        return session

    def lock(self) -> None:
        """Drop pending results and lock the session (the lock itself runs in
        the vault lane after anything already queued, e.g. a final draft save)."""
        session = self._session
        if session is None:
            return
        self._generation += 1
        self._session = None
        self.runner.submit(lambda ctx: session.lock(), on_failure=lambda exc: None,
                           label=self.tr("Locking…"))
        self.locked.emit()
