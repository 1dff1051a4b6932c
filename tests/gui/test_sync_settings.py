"""Settings → Sync and the status-bar indicator against a real pouchdb-server:
"Sync now" runs in its own lane with progress and brings another laptop's records,
a dead server gives one clear line and the vault keeps working, and the Settings
dialog keeps the address, the credentials file and the device name."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from lantern.domain.records import Sex
from lantern.gui.sync_settings import SyncPrefs, SyncSettingsPage
from lantern.services.sync.couch import ServerAccount
from lantern.services.sync.server import sync_with_server, transport_for
from tests.couch_server import CouchServer, free_loopback_port, running_server

from .helpers import on_next_modal, outreach_laptop, show_and_unlock


@pytest.fixture(scope="module")
def couch(tmp_path_factory) -> Iterator[CouchServer]:
    with running_server(tmp_path_factory.mktemp("couch")) as server:
        yield server


class Clinic:
    def __init__(self, couch: CouchServer, tmp: Path, database: str) -> None:
        self.couch, self.tmp, self.database = couch, tmp, database
        self.logins = couch.create_clinic(database, ["gui", "outreach"])

    def credentials(self, device: str, *, url: str | None = None) -> str:
        login = self.logins[device]
        path = self.tmp / f"{device}-sync.toml"
        path.write_text(f'url = "{url or self.couch.url}"\ndatabase = "{self.database}"\n'
                        f'user = "{login.username}"\npassword = "{login.password}"\n')
        path.chmod(0o600)
        return str(path)


@pytest.fixture
def clinic(couch, vault_dir, tmp_path, monkeypatch) -> Clinic:
    """The GUI's vault (laptop A, with one patient) and an outreach laptop (a backup
    of it with its own device id) that already sent a new patient to the server."""
    clinic = Clinic(couch, tmp_path, f"clinic-gui-{tmp_path.name[-10:].lower()}")
    with outreach_laptop(vault_dir, tmp_path, monkeypatch) as b:
        login = clinic.logins["outreach"]
        account = ServerAccount(url=couch.url, database=clinic.database,
                                username=login.username, password=login.password)
        with transport_for(b.context, account) as transport:
            assert sync_with_server(b.context, transport).pushed > 0
    return clinic


def _unlocked(qtbot, window) -> None:
    show_and_unlock(qtbot, window)
    qtbot.waitUntil(lambda: window.sync.status is not None, timeout=60_000)


def test_sync_now_brings_the_other_laptops_records_with_progress(qtbot, main_window, clinic):
    w = main_window
    _unlocked(qtbot, w)
    w.bridge.session.records.add_patient(name="Typed Here", sex=Sex.FEMALE, birth_year=1999)
    with qtbot.waitSignal(w.sync.status_changed, timeout=60_000):
        w.sync.refresh()
    assert w.sync_indicator.isVisible()
    assert "never synced" in w.sync_indicator.text()
    pending = w.sync.status["server_pending_events"]
    assert pending > 1 and f"{pending} pending" in w.sync_indicator.text()

    page = SyncSettingsPage(controller=w.sync)
    qtbot.addWidget(page)
    page.show()
    assert page.last_sync.text() == "never" and page.pending.text() == str(pending)
    page.credentials.setText(clinic.credentials("gui"))
    progress: list[str] = []
    pids: list[int | None] = []
    w.sync.progressed.connect(progress.append)
    w.sync.progressed.connect(lambda _text: pids.append(w.sync.worker_pid))
    with qtbot.waitSignal(w.sync.records_changed, timeout=60_000), \
            qtbot.waitSignal(w.sync.finished, timeout=60_000) as done:
        qtbot.mouseClick(page.sync_button, Qt.MouseButton.LeftButton)
        assert not page.sync_button.isEnabled() and page.progress.isVisible()
    result = done.args[0]
    # the new patient is sent; the older events (this laptop's device key too, published
    # when it endorsed the outreach laptop before the copy) the outreach laptop sent already
    assert (result.pushed, result.applied) == (1, 1)
    assert any(p.startswith("Sending") for p in progress)
    # the sync ran in its own process (issue 18), not in this one
    assert pids and all(pid is not None and pid != os.getpid() for pid in pids)
    assert w.sync.worker_pid is None
    assert page.result_label.text().startswith("Sent 1, received")
    assert not page.error_label.isVisible() and page.sync_button.isEnabled()
    qtbot.waitUntil(lambda: page.pending.text() == "0", timeout=60_000)
    assert page.last_sync.text() != "never"
    assert "0 pending · last " in w.sync_indicator.text()
    # the other laptop's patient is found by search (the index took the applied events)
    assert [p.name for p in w.bridge.session.records.search_patients("Outreach")] == [
        "Outreach Visit"]
    # what the user typed is kept for the next time
    assert SyncPrefs(w.data_dir).credentials == page.credentials.text()


def test_a_dead_server_is_one_clear_line_and_the_vault_keeps_working(qtbot, main_window,
                                                                      clinic):
    w = main_window
    _unlocked(qtbot, w)
    w.sync.retries = 0
    page = SyncSettingsPage(controller=w.sync)
    qtbot.addWidget(page)
    page.show()
    page.credentials.setText(clinic.credentials(
        "gui", url=f"http://127.0.0.1:{free_loopback_port()}"))
    with qtbot.waitSignal(w.sync.failed, timeout=60_000) as failed:
        page.sync_button.click()
    assert failed.args[0].startswith("Cannot reach the sync server")
    assert page.error_label.isVisible() and page.error_label.text() == failed.args[0]
    assert page.sync_button.isEnabled()
    assert "Cannot reach" in w.sync_indicator.toolTip()
    w.bridge.session.records.add_patient(name="Still Working", sex=Sex.MALE, birth_year=1970)
    # a missing credentials file is named before anything is tried
    page.credentials.setText(str(clinic.tmp / "nowhere.toml"))
    with qtbot.waitSignal(w.sync.failed, timeout=60_000) as missing:
        page.sync_button.click()
    assert "No sync credentials file at" in missing.args[0]


def test_settings_dialog_has_a_sync_tab_that_keeps_its_fields(qtbot, main_window, clinic):
    from lantern.gui.settings_dialog import SettingsDialog

    w = main_window
    _unlocked(qtbot, w)
    credentials = clinic.credentials("gui")
    seen: list[str] = []

    def fill(dialog):
        assert isinstance(dialog, SettingsDialog)
        tabs = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
        seen.extend(tabs)
        page = dialog.findChild(SyncSettingsPage)
        page.server.setText(clinic.couch.url)
        page.credentials.setText(credentials)
        page.device_name.setText("  Triage   laptop ")
        dialog.accept()

    on_next_modal(fill)
    w.settings_action.trigger()
    assert "S&ync" in seen
    prefs = SyncPrefs(w.data_dir)
    assert (prefs.server, prefs.credentials) == (clinic.couch.url, credentials)
    qtbot.waitUntil(lambda: (w.sync.status or {}).get("device_name") == "Triage laptop",
                    timeout=60_000)


@pytest.fixture
def busy_clinic(couch, vault_dir, tmp_path, monkeypatch) -> Clinic:
    """As ``clinic``, with 2,500 patients from the outreach laptop: three pages to pull."""
    from tests.benchmarks.bench_vault import fill

    clinic = Clinic(couch, tmp_path, f"clinic-busy-{tmp_path.name[-10:].lower()}")
    with outreach_laptop(vault_dir, tmp_path, monkeypatch) as b:
        fill(b, patients=2500, notes=0)
        login = clinic.logins["outreach"]
        account = ServerAccount(url=couch.url, database=clinic.database,
                                username=login.username, password=login.password)
        with transport_for(b.context, account) as transport:
            assert sync_with_server(b.context, transport).pushed > 2500
    return clinic


def _start_sync(qtbot, w, clinic: Clinic) -> SyncSettingsPage:
    _unlocked(qtbot, w)
    page = SyncSettingsPage(controller=w.sync)
    qtbot.addWidget(page)
    page.show()
    page.credentials.setText(clinic.credentials("gui"))
    page.sync_button.click()
    qtbot.waitUntil(lambda: page.progress_label.text().startswith("Receiving")
                    and "… 0" not in page.progress_label.text(), timeout=60_000)
    return page


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    with open(f"/proc/{pid}/stat") as fh:
        return fh.read().split(") ", 1)[1][0] == "Z"


def test_locking_during_a_sync_ends_the_sync_process(qtbot, main_window, busy_clinic):
    w = main_window
    _start_sync(qtbot, w, busy_clinic)
    pid = w.sync.worker_pid
    assert pid is not None and pid != os.getpid()
    with qtbot.waitSignal(w.sync.failed, timeout=60_000) as failed:
        w.lock()
    assert failed.args[0].startswith("The sync stopped because the vault was locked")
    qtbot.waitUntil(lambda: _gone(pid), timeout=60_000)    # it held the keys: it is gone
    assert not w.sync.running


def test_a_killed_sync_process_is_one_clear_line_and_the_next_sync_completes(
        qtbot, main_window, busy_clinic):
    w = main_window
    page = _start_sync(qtbot, w, busy_clinic)
    pid = w.sync.worker_pid
    assert pid is not None
    with qtbot.waitSignal(w.sync.failed, timeout=60_000) as failed:
        os.kill(pid, signal.SIGKILL)
    assert failed.args[0].startswith("The sync process ended unexpectedly (exit code -9)")
    assert "nothing acknowledged is lost" in failed.args[0]
    assert page.error_label.isVisible() and page.sync_button.isEnabled()
    w.bridge.session.records.add_patient(name="Still Working", sex=Sex.MALE, birth_year=1970)
    with qtbot.waitSignal(w.sync.records_changed, timeout=120_000), \
            qtbot.waitSignal(w.sync.finished, timeout=120_000):
        page.sync_button.click()
    assert len(w.bridge.session.records.search_patients("Outreach Visit")) == 1
