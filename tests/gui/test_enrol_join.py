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
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1, timeout=15_000)
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
        qtbot.waitUntil(lambda: other._create_dialog is not None, timeout=3000)
        other._create_dialog.join_button.click()
        join = other._join_dialog
        assert join is not None and not join.join_button.isEnabled()
        join.choose_source = lambda parent: str(package)
        join._browse()
        wrong = next(word for word in enrol_mod.words() if word.upper() not in shown)
        join.code.setText(" ".join([wrong] * enrol_mod.CODE_WORDS))
        join.join_button.click()
        qtbot.waitUntil(lambda: join.error_label.isVisible(), timeout=15_000)
        assert "not correct" in join.error_label.text()
        assert not vault_path(new_dir).exists()
        join.code.setText(code.lower())
        join.join_button.click()
        qtbot.waitUntil(lambda: other._create_dialog is None and other._join_dialog is None,
                        timeout=15_000)
        assert vault_path(new_dir).exists()
        other.unlock_view.username.setText(ADMIN)
        other.unlock_view.passphrase.setText(PASSPHRASE)
        with qtbot.waitSignal(other.session_opened, timeout=15_000):
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
    finally:
        enrol.deleteLater()
        join.deleteLater()
