"""Simplified Chinese UI: the .ts is complete and current, the .qm matches it,
key widgets show Chinese, the bundled CJK font covers every character, and the
language choice in Settings is kept for the next start."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics

from lantern import paths

ROOT = Path(__file__).resolve().parents[2]
TS = paths.resources_dir() / "translations" / "lantern_zh_CN.ts"
QM = TS.with_suffix(".qm")
LUPDATE = Path(sys.executable).with_name("pyside6-lupdate")
SOURCES = [ROOT / "desktop" / "lantern" / "gui", ROOT / "desktop" / "lantern" / "app.py"]
PLACEHOLDER = re.compile(r"%n|%\d|\{[^}]*\}")


def messages(ts: Path) -> list[tuple[str, str, ET.Element]]:
    out = []
    for ctx in ET.parse(ts).getroot().iter("context"):
        name = ctx.findtext("name")
        for msg in ctx.iter("message"):
            out.append((name, msg.findtext("source"), msg))
    return out


def translation_text(msg: ET.Element) -> str:
    el = msg.find("translation")
    forms = el.findall("numerusform")
    return forms[0].text or "" if forms else el.text or ""


def unfinished(ts: Path) -> list[str]:
    bad = []
    for ctx, source, msg in messages(ts):
        el = msg.find("translation")
        if el.get("type") in ("unfinished", "vanished", "obsolete") or not translation_text(msg):
            bad.append(f"{ctx}: {source!r}")
    return bad


def test_ts_is_complete_and_current(tmp_path):
    """Fails when a UI string was added without a translation: run `make translations`,
    translate what it marks unfinished, and commit the .ts and .qm."""
    assert not unfinished(TS), "unfinished translations in the .ts:\n" + "\n".join(unfinished(TS))
    if not LUPDATE.exists():
        pytest.skip("pyside6-lupdate not installed")
    fresh = tmp_path / TS.name
    shutil.copy(TS, fresh)
    subprocess.run([str(LUPDATE), "-silent", "-extensions", "py", "-locations", "none",
                    "-no-obsolete", *map(str, SOURCES), "-ts", str(fresh)],
                   check=True, capture_output=True, timeout=60)
    missing = unfinished(fresh)
    assert not missing, ("UI strings without a Chinese translation (run `make translations` "
                         "and translate them):\n" + "\n".join(missing))


def test_translations_keep_placeholders_and_shortcuts():
    for ctx, source, msg in messages(TS):
        text = translation_text(msg)
        assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(text)), \
            f"{ctx}: {source!r} -> {text!r}"
        has_key = re.search(r"&[^&\s]", source.replace("&&", ""))
        if has_key:
            assert re.search(r"&[^&\s]", text), f"{ctx}: shortcut lost in {text!r}"


def test_qm_is_compiled_from_current_ts():
    translator = QTranslator()
    assert translator.load(str(QM))
    stale = [f"{ctx}: {source!r}" for ctx, source, msg in messages(TS)
             if msg.get("numerus") != "yes"
             and translator.translate(ctx, source) != translation_text(msg)]
    assert not stale, "the .qm is older than the .ts; run `make translations`:\n" + \
        "\n".join(stale[:20])


@pytest.fixture
def chinese(qapp):
    from lantern.app import install_translations

    before = list(qapp.children())
    install_translations(qapp, "zh_CN")
    yield
    for name in ("_lantern_translator", "_lantern_qt_translator"):
        translator = getattr(qapp, name, None)
        if translator is not None and translator not in before:
            qapp.removeTranslator(translator)
            delattr(qapp, name)


def test_key_widgets_show_chinese(qtbot, vault_dir, chinese):
    from lantern.gui.main_window import MainWindow
    from lantern.gui.settings_dialog import SettingsDialog
    from lantern.gui.vitals_form import VitalsForm
    from lantern.services.session import VaultSession

    from .helpers import make_vault

    make_vault(vault_dir).lock()
    window = MainWindow(data_dir=vault_dir, vault=VaultSession)
    qtbot.addWidget(window)
    window.start()
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["文件(&F)", "患者(&P)", "视图(&V)", "工具(&T)", "帮助(&H)"]
    assert window.lock_action.text() == "锁定(&L)"
    assert window.users_action.text() == "用户管理(&U)…"
    assert window.unlock_view.subtitle.text() == "数据库已锁定。"
    assert window.unlock_view.forgot_button.text() == "忘记口令(&O)…"
    form = VitalsForm()
    qtbot.addWidget(form)
    from PySide6.QtWidgets import QLabel

    labels = {w.text() for w in form.findChildren(QLabel)}
    for text in ("体温(&A)", "脉搏(&U)", "呼吸频率", "血氧饱和度(&2)", "上臂围", "血糖",
                 "血红蛋白(&B)"):
        assert text in labels
    settings = SettingsDialog(minutes=5, language="zh_CN")
    qtbot.addWidget(settings)
    assert settings.windowTitle() == "设置"
    assert settings.language.currentText() == "简体中文"
    # Qt's own buttons (OK / Cancel) come from the bundled Qt translations
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
    window.close()
    window.runner.shutdown()


def test_bundled_font_covers_every_chinese_character(qapp):
    from lantern.app import install_fonts

    old = QFont(qapp.font())
    try:
        families = install_fonts(qapp)
        assert families == ["WenQuanYi Micro Hei"]
        assert families[0] in qapp.font().families()           # a fallback of the UI font
        assert families[0] in QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
        metrics = QFontMetrics(QFont(families[0]))
        text = "".join(translation_text(msg) for _c, _s, msg in messages(TS))
        cjk = {ch for ch in text if ord(ch) >= 0x2E80}
        assert len(cjk) > 300
        missing = sorted(ch for ch in cjk if not metrics.inFontUcs4(ord(ch)))
        assert not missing, f"characters the bundled font lacks: {''.join(missing)}"
    finally:
        qapp.setFont(old)


def test_language_choice_is_saved(qtbot, vault_dir):
    from lantern.app import saved_language
    from lantern.gui.settings_dialog import GuiSettings, SettingsDialog

    assert saved_language(vault_dir) is None                  # default: the system's
    dialog = SettingsDialog(minutes=5, language="")
    qtbot.addWidget(dialog)
    assert [dialog.language.itemData(i) for i in range(dialog.language.count())] == \
        ["", "en", "zh_CN"]
    assert "rebuilt in the new language" in dialog.language_note.text()
    settings = GuiSettings(vault_dir)
    settings.language = "zh_CN"
    assert saved_language(vault_dir) == "zh_CN"
    settings.language = "klingon"                             # unknown codes are ignored
    assert saved_language(vault_dir) is None
