#!/usr/bin/env python3
"""Screenshots of Settings → Sync after a real "Sync now" (issue 18), at 1366×768.

Usage: ``xvfb-run -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshots_sync.py
[--lang zh_CN] [--out DIR]`` (re-executes itself under xvfb-run when no DISPLAY is
set). A temporary vault (the fictional patients of ``scripts/screenshots.py``)
syncs with a real pouchdb-server on 127.0.0.1 (``tests/couch_server.py``; run
``make couch-deps`` once); writes ``sync_settings.png`` or ``zh_sync_settings.png``.
Also ``join_server.png`` (``zh_join_server.png``): Tools → Join clinic… on a new laptop with
"From the clinic's server" chosen and its fields typed in (not sent). And
``chart_conflict.png`` (``zh_chart_conflict.png``): the chart of a patient whose phone number
was changed on this laptop and on an outreach laptop before a USB bundle brought the
outreach laptop's change; the chart names the value that lost.
Kept apart from ``screenshots.py`` so it needs the sync server only for these shots.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import screenshots as shots  # noqa: E402  (the shared set-up: display, vault, size)


def _shoot_join(window, settle, data_dir: Path, prefix: str) -> None:
    """The Join clinic dialog with the server chosen and its fields typed (not sent)."""
    from lantern.gui.enrol_dialogs import JoinDialog

    dialog = JoinDialog(runner=window.runner, data_dir=data_dir, parent=window)
    dialog.from_server.setChecked(True)
    dialog.server.setText("https://sync.district.example")
    dialog.database.setText("clinic-mbala")
    dialog.code.setText("lamp river mango stone eagle cedar field moon")
    dialog.show()
    settle()
    path = shots.OUT / f"{prefix}join_server.png"
    dialog.grab().save(str(path))
    print("wrote", path)
    dialog.reject()


def _shoot_conflict(window, settle, page, tmp: Path, patient_id: str, prefix: str) -> None:
    """Two laptops change one patient's phone number; a USB bundle brings the other's."""
    import dataclasses

    from lantern.services.backup import restore_backup
    from lantern.services.session import VaultSession
    from lantern.services.sync.bundle import export_bundle
    from lantern.services.sync.enrol import endorse
    from lantern.services.sync.events import new_device_identity

    here = window.bridge.session
    endorsement = endorse(here.context)          # as `lantern device enrol` does
    restore_backup(here.backup_to(tmp / "copy.db"), tmp / "outreach")
    saved = os.environ.get("LANTERN_STATE_DIR")
    os.environ["LANTERN_STATE_DIR"] = str(tmp / "outreach-state")     # another computer
    other = VaultSession.unlock(tmp / "outreach", username="amina", passphrase=shots.PASSPHRASE,
                                sleep=lambda s: None)
    try:
        with other.context.writing() as conn:
            new_device_identity(conn, name="外展电脑" if prefix else "Outreach laptop",
                                cipher=other.context.repo.cipher, endorsement=endorsement)
        patient = other.records.get_patient(patient_id)
        other.records.update_patient(dataclasses.replace(patient, phone="+260 97 111 2233"))
        export_bundle(other.context, tmp / "from-outreach.bundle")
    finally:
        other.lock()
        if saved is None:
            os.environ.pop("LANTERN_STATE_DIR", None)
        else:
            os.environ["LANTERN_STATE_DIR"] = saved
    records = here.records
    records.update_patient(dataclasses.replace(records.get_patient(patient_id),
                                               phone="+260 96 444 5566"))
    page.import_from(tmp / "from-outreach.bundle")
    for _ in range(50):
        settle(200)
        if not window.sync.running:
            break
    window.open_patient(patient_id)
    for _ in range(25):
        settle(200)
        if not window.chart.conflict_label.isHidden():
            break
    path = shots.OUT / f"{prefix}chart_conflict.png"
    window.grab().save(str(path))
    print("wrote", path)


def main() -> int:
    shots._ensure_display()
    lang = shots._lang()
    prefix = "zh_" if lang and lang.startswith("zh") else ""
    os.environ.setdefault("LANTERN_KDF_PROFILE", "test")
    sys.path.insert(0, str(shots.ROOT / "desktop"))
    sys.path.insert(0, str(shots.ROOT))
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication
    from tests.couch_server import running_server

    from lantern.app import WindowHost, install_fonts, install_translations
    from lantern.gui.settings_dialog import SettingsDialog
    from lantern.gui.sync_settings import SyncSettingsPage
    from lantern.gui.theme import apply_theme

    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_theme(app)
    install_fonts(app)
    if lang:
        install_translations(app, lang)
    shots.OUT.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="lantern-sync-shots-"))
    try:
        with running_server(tmp / "couch") as couch:
            login = couch.create_clinic("clinic-mbala", ["triage"])["triage"]
            credentials = tmp / "triage-sync.toml"
            credentials.write_text(f'database = "clinic-mbala"\nuser = "{login.username}"\n'
                                   f'password = "{login.password}"\n')
            credentials.chmod(0o600)
            ids = shots._fill_vault(tmp / "vault", chinese=bool(prefix))
            host = WindowHost(app, data_dir=tmp / "vault", extensions=[])
            window = host.window
            window.resize(*shots.SIZE)
            window.show()
            window.start()

            def settle(ms: int = 250) -> None:
                window.runner.wait_all(30)
                loop = QEventLoop()
                QTimer.singleShot(ms, loop.quit)
                loop.exec()
                QCoreApplication.processEvents()

            window.unlock_view.username.setText("amina")
            window.unlock_view.passphrase.setText(shots.PASSPHRASE)
            window.unlock_view.try_unlock()
            settle()
            dialog = SettingsDialog(minutes=5, language=lang or "", parent=window)
            page = SyncSettingsPage(controller=window.sync, parent=dialog)
            dialog.tabs.addTab(page, page.title())
            dialog.tabs.setCurrentWidget(page)
            page.server.setText(couch.url)
            page.credentials.setText(str(credentials))
            page.device_name.setText("分诊电脑" if prefix else "Triage laptop")
            dialog.resize(760, 520)
            dialog.show()
            settle()
            page.sync_now()
            for _ in range(20):         # until the sync and the status refresh are done
                settle(200)
                if not window.sync.running and page.pending.text() == "0":
                    break
            settle()
            path = shots.OUT / f"{prefix}sync_settings.png"
            dialog.grab().save(str(path))
            print("wrote", path)
            window.grab().save(str(tmp / "window.png"))
            shutil.copy(tmp / "window.png", shots.OUT / f"{prefix}sync_status_bar.png")
            print("wrote", shots.OUT / f"{prefix}sync_status_bar.png")
            dialog.close()
            _shoot_conflict(window, settle, page, tmp, ids["Chanda Mwale"], prefix)
            _shoot_join(window, settle, tmp / "new-laptop", prefix)
            window.close()
            window.runner.shutdown()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
