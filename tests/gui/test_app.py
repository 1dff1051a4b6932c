"""The composition root: arguments, window construction, extensions."""

from __future__ import annotations

from lantern import app


def test_parse_args_data_dir(tmp_path):
    args = app.parse_args(["--data-dir", str(tmp_path)])
    assert args.data_dir == str(tmp_path)
    assert app.parse_args([]).data_dir is None


def test_build_window_applies_extensions(qtbot, tmp_path):
    seen = []
    window = app.build_window(data_dir=tmp_path, extensions=[seen.append])
    qtbot.addWidget(window)
    assert seen == [window]
    assert window.pages.currentIndex() == 0
    assert not window.lock_action.isEnabled()      # nothing to lock yet
    window.runner.shutdown()


def test_first_start_opens_create_dialog(qtbot, tmp_path):
    window = app.build_window(data_dir=tmp_path)
    qtbot.addWidget(window)
    window.show()
    window.start()
    qtbot.waitUntil(lambda: window._create_dialog is not None, timeout=60_000)
    assert window._create_dialog.isVisible()
    window._create_dialog.reject()            # cancelled on first start: the app closes
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=60_000)
    window.runner.shutdown()
