"""Tools → "Enrol a laptop…" (admin) shows the one-time code large; on a new laptop
"Join clinic…" on the first-start screen joins with the file and the code, and the
unlock screen follows (issue 18 part 3, real services and vault files)."""

from __future__ import annotations

from lantern.gui.main_window import MainWindow
from lantern.services.session import VaultSession
from lantern.services.sync import enrol as enrol_mod
from lantern.vault.store import vault_path

from .helpers import ADMIN, PASSPHRASE, make_vault, show_and_unlock


def test_enrol_a_laptop_then_join_it_from_the_first_start_screen(qtbot, main_window, vault_dir,
                                                                   tmp_path, monkeypatch):
    make_vault(vault_dir).lock()
    w = main_window
    show_and_unlock(qtbot, w)
    assert w.enrol_action.isVisible() and w.enrol_action.isEnabled()
    w.enrol_action.trigger()
    dialog = w.enrol_dialog
    assert dialog is not None and dialog.isVisible()
    assert not dialog.create_button.isEnabled()
    package = tmp_path / "usb" / "outreach.enrol"
    package.parent.mkdir()
    dialog.choose_target = lambda parent: str(package)
    dialog.name.setText("outreach")
    dialog._browse()
    assert dialog.target.text() == str(package)
    dialog.create_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1, timeout=60_000)
    shown = dialog.code_label.text().split()
    assert len(shown) == enrol_mod.CODE_WORDS and all(s.isupper() for s in shown)
    assert dialog.code_label.font().pointSize() >= 22
    assert package.is_file() and "15 minutes" in dialog.expiry_label.text()
    code = " ".join(shown)
    dialog.accept()
    assert dialog.code_label.text() == ""          # forgotten with the dialog

    # the new laptop: another computer (its own state), an empty data dir
    monkeypatch.setenv("LANTERN_STATE_DIR", str(tmp_path / "state-new"))
    new_dir = tmp_path / "new-laptop"
    new_dir.mkdir()
    other = MainWindow(data_dir=new_dir, vault=VaultSession)
    qtbot.addWidget(other)
    try:
        other.show()
        other.start()
        qtbot.waitUntil(lambda: other._create_dialog is not None, timeout=60_000)
        other._create_dialog.join_button.click()
        join = other._join_dialog
        assert join is not None and not join.join_button.isEnabled()
        join.choose_source = lambda parent: str(package)
        join._browse()
        wrong = next(word for word in enrol_mod.words() if word.upper() not in shown)
        join.code.setText(" ".join([wrong] * enrol_mod.CODE_WORDS))
        join.join_button.click()
        qtbot.waitUntil(lambda: join.error_label.isVisible(), timeout=60_000)
        assert "not correct" in join.error_label.text()
        assert not vault_path(new_dir).exists()
        join.code.setText(code.lower())
        join.join_button.click()
        qtbot.waitUntil(lambda: other._create_dialog is None and other._join_dialog is None,
                        timeout=60_000)
        assert vault_path(new_dir).exists()
        other.unlock_view.username.setText(ADMIN)
        other.unlock_view.passphrase.setText(PASSPHRASE)
        with qtbot.waitSignal(other.session_opened, timeout=60_000):
            other.unlock_view.try_unlock()
    finally:
        other.close()
        other.runner.shutdown()


def test_join_and_enrol_dialogs_speak_chinese(qtbot, main_window, vault_dir, zh_ui):
    from lantern.gui.enrol_dialogs import EnrolDialog, JoinDialog

    make_vault(vault_dir).lock()
    show_and_unlock(qtbot, main_window)
    enrol = EnrolDialog(bridge=main_window.bridge, parent=main_window)
    join = JoinDialog(runner=main_window.runner, data_dir=vault_dir, parent=main_window)
    try:
        assert enrol.windowTitle() == "注册电脑" and "加入诊所" in join.windowTitle()
        assert enrol.create_button.text() == "创建注册(&C)"
        assert join.code.placeholderText() == "8 个单词"
        assert join.from_server.text() == "从诊所服务器(&S)"
        assert join.from_file.text() == "从文件(&L)"
    finally:
        enrol.deleteLater()
        join.deleteLater()


def test_join_clinic_from_the_clinics_server(qtbot, main_window, vault_dir, tmp_path,
                                             monkeypatch):
    """"Join clinic…" → "From the clinic's server": address, clinic database and code;
    a wrong code is one line and writes nothing; the right one joins, writes the sync
    credentials file and Settings → Sync offers it (a real pouchdb-server)."""
    from lantern.gui.enrol_dialogs import JoinDialog
    from lantern.gui.sync_settings import SyncPrefs
    from lantern.services.sync.couch import ServerAccount
    from lantern.services.sync.couch_credentials import default_path, load_account
    from lantern.services.sync.enrol_server import enrol_through_server
    from tests.couch_server import ADMIN as SERVER_ADMIN
    from tests.couch_server import running_server

    session = make_vault(vault_dir)
    with running_server(tmp_path / "couch") as couch:
        couch.create_clinic("clinic-gui-join", ["a"])
        admin = ServerAccount(url=couch.url, database="clinic-gui-join", username=SERVER_ADMIN,
                              password=couch.admin_password)
        try:
            made = enrol_through_server(session.context, admin, name="from server")
        finally:
            session.lock()
        monkeypatch.setenv("LANTERN_STATE_DIR", str(tmp_path / "state-new"))
        new_dir = tmp_path / "new-laptop"
        join = JoinDialog(runner=main_window.runner, data_dir=new_dir, parent=main_window)
        qtbot.addWidget(join)
        join.show()
        assert join.from_file.isChecked() and not join.server.isVisible()
        join.from_server.setChecked(True)
        assert join.server.isVisible() and join.database.isVisible()
        assert not join.source.isVisible() and not join.join_button.isEnabled()
        join.server.setText(couch.url)
        join.database.setText("clinic-gui-join")
        shown = made.enrolment.code.split()
        wrong = next(word for word in enrol_mod.words() if word not in shown)
        join.code.setText(" ".join([*shown[:-1], wrong]))
        assert join.join_button.isEnabled()
        join.join_button.click()
        qtbot.waitUntil(lambda: join.error_label.isVisible(), timeout=60_000)
        assert "No enrolment for this code is waiting" in join.error_label.text()
        assert not vault_path(new_dir).exists() and not default_path(new_dir).exists()
        join.code.setText(made.enrolment.code)
        with qtbot.waitSignal(join.accepted, timeout=60_000):
            join.join_button.click()
        assert vault_path(new_dir).exists() and join.joined.name == "from server"
        assert load_account(default_path(new_dir)).username == made.login
        assert SyncPrefs(new_dir).credentials == str(default_path(new_dir))
        couch.close_clients()
