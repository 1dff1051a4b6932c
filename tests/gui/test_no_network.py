"""No network during a whole GUI session with the real services.

The real main window is driven through create vault → lock → unlock → register a
patient → open an encounter and type the note → assess (Assessment panel) and
record the decision → summarize (Summary panel) and sign → back up the vault →
lock, while every Python-level way to reach the network is watched:
``socket.socket`` creation and ``connect``/``connect_ex``, ``socket.create_connection``
and ``socket.getaddrinfo``. Only AF_UNIX sockets (socketpairs some libraries use
between threads/processes) are allowed; no AF_INET/AF_INET6 socket may be created,
nothing may be resolved or connected, and ``huggingface_hub`` is never imported.
As a second, library-independent check, the process's open file descriptors (and
the model host's) are compared with the kernel's TCP/UDP/raw socket tables, which
also catches bound or connected sockets opened from C code (Qt, llama.cpp).

The ``model`` variant summarizes with the real default model in its child host
process (pipes only).
"""

from __future__ import annotations

import importlib.abc
import os
import socket
import sys
from pathlib import Path

import pytest

from lantern.domain.records import Sex
from lantern.gui.extensions import install_assessment, install_model_tools, install_summary
from lantern.services.assessment import AssessmentService
from lantern.services.generation import make_text_generator
from lantern.services.models import ModelService
from lantern.services.summaries import SummaryService

from .helpers import ADMIN, PASSPHRASE

NOTE = ("5 yo boy with cough and fever for 3 days. RR 44, no chest indrawing. "
        "Allergic to penicillin. Plan: paracetamol 250 mg TDS, review in 2 days.")
INET_FAMILIES = {socket.AF_INET, socket.AF_INET6}
FORBIDDEN_MODULES = ("huggingface_hub",)


class NetworkSpy(importlib.abc.MetaPathFinder):
    """Records every socket, connection, name lookup and forbidden import attempt."""

    def __init__(self) -> None:
        self.created: list[tuple[int, int]] = []
        self.connected: list[tuple[int, object]] = []
        self.lookups: list[tuple] = []
        self.imports: list[str] = []

    # importlib: record and let the normal finders decide
    def find_spec(self, fullname, path=None, target=None):
        if fullname.split(".")[0] in FORBIDDEN_MODULES:
            self.imports.append(fullname)
        return None

    @property
    def inet_created(self) -> list[tuple[int, int]]:
        return [c for c in self.created if c[0] in INET_FAMILIES]

    @property
    def non_unix_connects(self) -> list[tuple[int, object]]:
        return [c for c in self.connected if c[0] != socket.AF_UNIX]


@pytest.fixture
def spy(monkeypatch):
    spy = NetworkSpy()
    real_init = socket.socket.__init__
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def init(self, *args, **kwargs):
        real_init(self, *args, **kwargs)
        spy.created.append((self.family, self.type))

    def connect(self, address):
        spy.connected.append((self.family, address))
        return real_connect(self, address)

    def connect_ex(self, address):
        spy.connected.append((self.family, address))
        return real_connect_ex(self, address)

    def create_connection(address, *args, **kwargs):
        spy.connected.append((-1, address))
        raise OSError("network use is not allowed in this test")

    def getaddrinfo(*args, **kwargs):
        spy.lookups.append(args)
        raise socket.gaierror("name lookups are not allowed in this test")

    monkeypatch.setattr(socket.socket, "__init__", init)
    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(sys, "meta_path", [spy, *sys.meta_path])
    return spy


def inet_socket_fds(pid: int | str = "self") -> list[str]:
    """Open descriptors of ``pid`` that are bound or connected TCP/UDP/raw sockets
    (Linux /proc; a TCP socket is listed once listening or connected, UDP once bound)."""
    inodes: set[str] = set()
    for table in ("tcp", "tcp6", "udp", "udp6", "raw", "raw6", "udplite", "udplite6"):
        try:
            lines = Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]
        except OSError:
            continue
        inodes.update(line.split()[9] for line in lines if len(line.split()) > 9)
    found = []
    fd_dir = Path(f"/proc/{pid}/fd")
    for fd in fd_dir.iterdir() if fd_dir.exists() else []:
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:[") and target[8:-1] in inodes:
            found.append(f"{pid}:{fd.name}")
    return found


def _create_through_dialog(qtbot, window) -> None:
    window.show()
    window.start()
    qtbot.waitUntil(lambda: window._create_dialog is not None, timeout=60_000)
    dialog = window._create_dialog
    dialog.clinic.setText("Offline Clinic")
    dialog.username.setText(ADMIN)
    dialog.passphrase.setText(PASSPHRASE)
    dialog.confirm.setText(PASSPHRASE)
    dialog.create_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 2, timeout=60_000)
    dialog.written_down.setChecked(True)
    with qtbot.waitSignal(window.session_opened, timeout=60_000):
        dialog.continue_button.click()


def _full_session(qtbot, w, tmp_path, *, models: ModelService, summary_timeout_ms: int,
                  model_pids: list[int]):
    _create_through_dialog(qtbot, w)
    w.lock_action.trigger()
    assert w.runner.wait_all(10)
    w.unlock_view.username.setText(ADMIN)
    w.unlock_view.passphrase.setText(PASSPHRASE)
    with qtbot.waitSignal(w.session_opened, timeout=60_000):
        w.unlock_view.unlock_button.click()

    w.submit_new_patient({"name": "Offline Patient", "sex": Sex.MALE, "birth_date": None,
                          "birth_year": 2021, "village": "Hill", "phone": ""})
    qtbot.waitUntil(lambda: w.chart.patient is not None, timeout=60_000)
    patient = w.chart.patient
    view = w.encounter_view
    with qtbot.waitSignal(w.encounter_changed, timeout=60_000):
        w.encounter_action.trigger()
    qtbot.keyClicks(view.vitals.edits["temp_c"], "38.4")
    qtbot.keyClicks(view.note, NOTE)
    with qtbot.waitSignal(view.saved, timeout=60_000):
        view.save_now()

    assessment = w.assessment_panel
    qtbot.waitUntil(lambda: assessment._input.get("note") == NOTE, timeout=60_000)
    with qtbot.waitSignal(assessment.assessed, timeout=60_000):
        assessment.run_assessment()
    assessment.differential.setCurrentRow(0)
    with qtbot.waitSignal(assessment.decision_made, timeout=60_000):
        assessment.accept_button.click()
    qtbot.waitUntil(lambda: len(w.bridge.session.records.list_assessments(patient.id)) == 1,
                    timeout=60_000)

    summary = w.summary_panel
    with qtbot.waitSignal(summary.summary_ready, timeout=summary_timeout_ms) as blocker:
        summary.start()
    assert "penicillin" in summary.editor.toPlainText().lower()
    if models.client.pid is not None:
        model_pids.append(models.client.pid)
    summary.sign()
    qtbot.waitUntil(lambda: len(w.bridge.session.records.list_summaries(patient.id)) == 1,
                    timeout=60_000)

    w.backup.choose_target = lambda parent: str(tmp_path / "usb")
    (tmp_path / "usb").mkdir()
    w.backup_action.trigger()
    with qtbot.waitSignal(w.backup.task.finished, timeout=60_000):
        pass

    # Kernel view, from C code too: no TCP/UDP/raw socket open in this process or the host.
    assert inet_socket_fds() == []
    for pid in model_pids:
        assert inet_socket_fds(pid) == []

    w.lock()
    assert w.runner.wait_all(15)
    assert w.pages.currentIndex() == 0
    return blocker.args[0]


def _assert_no_network(spy: NetworkSpy, imported_before: bool) -> None:
    assert spy.inet_created == [], f"AF_INET/AF_INET6 sockets created: {spy.inet_created}"
    assert spy.non_unix_connects == [], f"network connections: {spy.non_unix_connects}"
    assert spy.lookups == [], f"name lookups: {spy.lookups}"
    assert {c[0] for c in spy.created} <= {socket.AF_UNIX}
    assert spy.imports == [], f"forbidden imports attempted: {spy.imports}"
    if not imported_before:
        assert "huggingface_hub" not in sys.modules


@pytest.fixture
def offline_window(main_window):
    main_window.assessment_panel = install_assessment(main_window,
                                                      assessment=AssessmentService())
    return main_window


def test_spy_sees_an_inet_socket(spy):
    """The guard itself works: a TCP socket and a lookup would be caught."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        assert inet_socket_fds() == []      # listed once listening or connected
        s.bind(("127.0.0.1", 0))            # loopback only
        s.listen()
        assert inet_socket_fds() != []
    finally:
        s.close()
    with pytest.raises(OSError):
        socket.create_connection(("example.org", 80), timeout=0.01)
    with pytest.raises(socket.gaierror):
        socket.getaddrinfo("example.org", 80)
    a, b = socket.socketpair()
    a.close()
    b.close()
    assert spy.inet_created and spy.lookups and spy.non_unix_connects
    assert (socket.AF_UNIX, socket.SOCK_STREAM) in spy.created


def test_full_gui_session_opens_no_socket(qtbot, spy, offline_window, tmp_path):
    imported_before = "huggingface_hub" in sys.modules
    w = offline_window
    models = ModelService()          # the real service: the model host is never started here
    install_model_tools(w, models=models)
    w.summary_panel = install_summary(w, summaries=SummaryService())
    summary = _full_session(qtbot, w, tmp_path, models=models, summary_timeout_ms=60_000,
                            model_pids=[])
    assert not summary.llm_used
    assert models.client.pid is None
    _assert_no_network(spy, imported_before)


@pytest.mark.model
@pytest.mark.slow
def test_full_gui_session_with_the_real_model_opens_no_socket(qtbot, spy, offline_window,
                                                               tmp_path):
    imported_before = "huggingface_hub" in sys.modules
    w = offline_window
    models = ModelService(n_threads=2)   # default store under the test's data dir
    install_model_tools(w, models=models)
    w.summary_panel = install_summary(
        w, summaries=SummaryService(generator=make_text_generator(models)))
    pids: list[int] = []
    try:
        summary = _full_session(qtbot, w, tmp_path, models=models, summary_timeout_ms=300_000,
                                model_pids=pids)
    finally:
        models.close()
    assert summary.llm_used and pids, "the summary should have used the model host"
    _assert_no_network(spy, imported_before)
