"""GUI test guards.

- A test fails if it leaves a runner task or a thread-pool job running.
- Message boxes never block: an unexpected dialog answers "OK" at once, and a
  test fails if the generic "something unexpected went wrong" dialog appeared
  (that is a bug, not a user-facing condition).
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QThreadPool

from lantern.gui import runner as runner_mod
from lantern.gui.errors import Button, MessageBox


@pytest.fixture(autouse=True)
def _no_leftover_work(qapp):
    MessageBox.clear()
    MessageBox.fallback_answer = Button.Ok
    yield
    leftovers = runner_mod.running_tasks()
    labels = [t.label or "<unlabelled>" for t in leftovers]
    for task in leftovers:
        task.cancel()
    for runner in list(runner_mod._ALL_RUNNERS):
        runner.wait_all(5)
    pool_busy = QThreadPool.globalInstance().activeThreadCount()
    unexpected = [t for t, _ in MessageBox.history if t == "Error"]
    MessageBox.clear()
    MessageBox.fallback_answer = None
    assert not labels, f"test left runner tasks running: {labels}"
    assert pool_busy == 0, "test left QThreadPool jobs running"
    assert not unexpected, "an unexpected-error dialog was shown"


@pytest.fixture
def vault_dir(tmp_path):
    path = tmp_path / "vault"
    path.mkdir()
    return path


@pytest.fixture
def main_window(qtbot, vault_dir):
    """A MainWindow over the real services and an empty temp data dir."""
    from lantern.gui.main_window import MainWindow
    from lantern.services.session import VaultSession

    window = MainWindow(data_dir=vault_dir, vault=VaultSession)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    yield window
    window.close()
    window.runner.shutdown()


@pytest.fixture
def zh_ui(qapp):
    """The Chinese UI: the compiled zh_CN translations installed (removed afterwards)."""
    from PySide6.QtCore import QTranslator

    from lantern import paths

    translator = QTranslator()
    assert translator.load(str(paths.resources_dir() / "translations" / "lantern_zh_CN.qm"))
    qapp.installTranslator(translator)
    yield translator
    qapp.removeTranslator(translator)
