"""The reports' own process (issue 17): the Reports window's month and its charts, and
the start screen's surveillance alerts (``lantern.gui.alert_banner.AlertCenter``), are
computed in a child process, so the GUI thread never waits for them.

Computed in a worker thread of the GUI's process, the report and the chart drawing
shared its interpreter lock: a long C call (decoding the sealed index of days of
care, freeing the 5 years of visits at the end, matplotlib drawing text) held it for
60-150 ms at a time, and the GUI thread, which needs the lock for every Python slot,
stalled as long. In a process of its own the work has its own lock; the GUI's worker
thread only waits on a pipe.

One child per window, and one for the alert center while the vault is open (``multiprocessing``, spawn: a fresh interpreter, nothing of the
parent's memory). The data keys go to it over the pipe only (never an argument,
a file or an environment variable), after it started (``lantern.services.child_keys``,
shared with the sync's process). It opens the vault file
read-only (SQLite ``mode=ro``, ``query_only``) with those keys and the session's user,
computes :func:`lantern.services.surveillance.month_report` and draws the charts as
PNG (and the PDF), and sends back results and images; an error comes back as its
class and, for Lantern's own errors (written to be shown), its message; any other as
its class name only, so no data reaches a message or the console. It ends when the
window is closed or the vault locked (:meth:`ReportProcess.stop`) and by itself when
its pipe closes (the GUI process gone).
"""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
from collections.abc import Callable
from datetime import date
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from lantern.domain import errors
from lantern.domain.records import User
from lantern.services.child_keys import error_of, error_reply, receive_cipher, send_cipher
from lantern.services.context import ServiceContext
from lantern.vault.store import Store

STOP_WAIT_S = 2.0


class ReportProcess:
    """The child process and its pipe; :meth:`call` from worker threads (one at a time:
    a lock serialises them), :meth:`stop` from the GUI thread, which it never blocks
    for long: it kills the child, and a call in progress ends (``Locked``) and cleans up."""

    def __init__(self) -> None:
        self._lock = threading.Lock()           # one call at a time on the pipe
        self._state = threading.Lock()          # the Process object (start, kill, reap)
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self._stopped = False

    @property
    def pid(self) -> int | None:
        with self._state:
            process = self._process
            return process.pid if process is not None and process.is_alive() else None

    def is_alive(self) -> bool:
        with self._state:
            return self._process is not None and self._process.is_alive()

    def call(self, ctx: ServiceContext | None, job: str, **kwargs: Any) -> Any:
        """Run ``job`` (a name of :data:`JOBS`) in the child and return its result,
        starting the child on ``ctx`` (the session's context: vault file, user, keys)
        when none runs. Blocks the calling thread (never the GUI thread) on the pipe."""
        with self._lock:
            if self._stopped:
                raise errors.Locked("The Reports window was closed.")
            try:
                if self._conn is None or not self.is_alive():
                    if ctx is None:
                        raise errors.Locked("The report process is not running.")
                    self._start(ctx)
                assert self._conn is not None
                self._conn.send((job, kwargs))
                status, value = self._conn.recv()
            except (EOFError, OSError) as exc:
                self._close()
                raise errors.Locked("The report process ended.") from exc
            finally:
                if self._stopped:       # stopped while this call ran: nothing stays behind
                    self._close()
        if status == "ok":
            return value
        raise _error_of(*value)

    def _start(self, ctx: ServiceContext) -> None:
        self._close()
        spawn = multiprocessing.get_context("spawn")
        parent, child = spawn.Pipe()
        process = spawn.Process(target=serve, args=(child,), name="lantern-reports", daemon=True)
        with self._state:
            if self._stopped:
                raise errors.Locked("The Reports window was closed.")
            process.start()
            self._process = process
        child.close()
        self._conn = parent
        send_cipher(parent, ctx.repo.cipher, {"path": str(ctx.store.path), "user": ctx.user})

    def stop(self) -> None:
        """End the child (it holds the keys) and never start another."""
        with self._state:
            self._stopped = True
            if self._process is not None and self._process.is_alive():
                self._process.terminate()
        if self._lock.acquire(blocking=False):   # else the call in progress cleans up
            try:
                self._close()
            finally:
                self._lock.release()

    def _close(self) -> None:
        """Close the pipe and reap the child (with ``_lock`` held)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        with self._state:
            process, self._process = self._process, None
            if process is None:
                return
            if self._stopped and process.is_alive():
                process.terminate()
            process.join(STOP_WAIT_S)       # it exits on its pipe's close, or was terminated
            if process.is_alive():
                process.kill()
                process.join(STOP_WAIT_S)
            process.close()


def _error_of(kind: str, message: str) -> Exception:
    return error_of(kind, message, otherwise="The report could not be computed ({kind}).")


# -- the child ---------------------------------------------------------------------
def _month(ctx: ServiceContext, *, start: date, end: date, clinic: str, list_name: str,
           lang: str, curve_ids: tuple[str, ...], month_weeks: set[str], disease: str,
           labels: Any) -> tuple[Any, dict[str, str], tuple[bytes, bytes, bytes]]:
    from lantern.gui.charts import to_png
    from lantern.gui.charts.reports import age_sex_figure, curve_figure, top_figure
    from lantern.services import surveillance

    report = surveillance.month_report(ctx, start=start, end=end, clinic=clinic,
                                       list_name=list_name)
    names = condition_names(report.monthly, lang)
    return report, names, (
        to_png(curve_figure(report.curve(curve_ids), month_weeks, disease=disease, labels=labels)),
        to_png(top_figure(top_items(report, names), labels=labels)),
        to_png(age_sex_figure(report.age_sex(), labels=labels)))


def _curve(_ctx: ServiceContext, *, curve: list[tuple[str, int]], month_weeks: set[str],
           disease: str, labels: Any) -> bytes:
    from lantern.gui.charts import to_png
    from lantern.gui.charts.reports import curve_figure

    return to_png(curve_figure(curve, month_weeks, disease=disease, labels=labels))


def _pdf(_ctx: ServiceContext, *, path: Path, **kwargs: Any) -> None:
    from lantern.gui.charts.reports import report_pdf

    report_pdf(path, **kwargs)


def _alerts(ctx: ServiceContext, *, today: date, list_name: str) -> list[Any]:
    """The start screen's current (unacknowledged) alerts (:class:`AlertCenter`)."""
    from lantern.services.alerts import AlertService

    return AlertService(ctx).current(today=today, list_name=list_name)


JOBS: dict[str, Callable[..., Any]] = {"month": _month, "curve": _curve, "pdf": _pdf,
                                       "alerts": _alerts}


def condition_names(monthly: dict, lang: str) -> dict[str, str]:
    """Condition id -> its name in the interface language (the knowledge base's Chinese
    name under a Chinese interface, else the report's English name)."""
    from lantern.clinical.knowledge import load_knowledge

    kb = load_knowledge()
    names = {}
    for c in monthly["by_condition"]:
        cond = kb.conditions.get(c["condition_id"])
        names[c["condition_id"]] = cond.name_zh if cond and lang.startswith("zh") else c["name"]
    return names


def top_items(report: Any, names: dict[str, str]) -> list[tuple[str, int]]:
    """The top 10 of the month as (name shown, new cases)."""
    return [(names.get(c["condition_id"], c["name"]), c["total"]) for c in report.top(10)]


def _open_readonly(path: Path) -> Store:
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True,
                           check_same_thread=False, timeout=15)
    conn.execute("PRAGMA query_only = ON")
    return Store(path, conn)


def serve(conn: Connection) -> None:
    """The child's main loop: open the vault with the keys read from ``conn``, then
    answer ``(job, kwargs)`` requests until the pipe closes."""
    try:
        opening = conn.recv()
        cipher = receive_cipher(conn, opening)
    except (EOFError, OSError):
        return
    user: User = opening["user"]
    store: Store | None = None
    ctx: ServiceContext | None = None
    try:
        while True:
            try:
                job, kwargs = conn.recv()
            except (EOFError, OSError):
                return
            try:
                if ctx is None:
                    store = _open_readonly(Path(opening["path"]))
                    ctx = ServiceContext(store=store, cipher=cipher, user=user, read_only=True)
                reply: tuple[str, Any] = ("ok", JOBS[job](ctx, **kwargs))
            except Exception as exc:  # noqa: BLE001 - every failure goes back, without data
                reply = ("error", error_reply(exc))
            try:
                conn.send(reply)
            except (EOFError, OSError):
                return
    finally:
        if ctx is not None:
            ctx.close()
        cipher.close()
        if store is not None:
            store.close()
