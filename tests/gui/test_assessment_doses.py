"""The Assessment panel shows the dose for this patient of the medicines a condition's
next steps name (issue 14, item 2), from the formulary (here the test fixture)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from lantern.clinical.knowledge import load_knowledge
from lantern.clinical.prescribing import build_index, read_formulary
from lantern.clinical.prescribing import next_steps as next_steps_module
from lantern.gui.assessment_panel import AssessmentPanel
from lantern.gui.runner import TaskRunner
from lantern.services.assessment import AssessmentService
from tests.unit.prescribing.helpers import FIXTURE


@pytest.fixture
def panel(qtbot, qapp, monkeypatch):
    fixture = read_formulary(FIXTURE)
    monkeypatch.setattr(next_steps_module, "_shipped", lambda: (fixture, build_index(fixture, generic_only=True)))
    runner = TaskRunner()
    kb = load_knowledge()
    p = AssessmentPanel(assess=AssessmentService(kb=kb), runner=runner, finding_label=kb.label)
    qtbot.addWidget(p)
    yield p
    runner.wait_all(5)
    runner.shutdown()


def _show(qtbot, panel, condition_id: str, **kw) -> str:
    panel.set_input(kw["note"], kw.get("vitals"), kw["age"], kw.get("sex"), kw.get("pregnant"))
    with qtbot.waitSignal(panel.assessed, timeout=60_000):
        qtbot.mouseClick(panel.assess_button, Qt.MouseButton.LeftButton)
    rows = [panel.differential.item(i).data(Qt.ItemDataRole.UserRole) for i in range(panel.differential.count())]
    assert condition_id in rows, rows
    panel.differential.setCurrentRow(rows.index(condition_id))
    return panel.details.toPlainText()


NOTE = "2yo boy, cough x3d, fever, fast breathing. no chest indrawing, drinking well."


def test_the_childs_dose_by_weight_band(qtbot, panel):
    text = _show(qtbot, panel, "pneumonia", note=NOTE, vitals={"resp_rate": 48, "weight_kg": 11}, age=2)
    assert "Dose for this patient" in text
    assert ("Amoxicillin 500 mg (weight band 10-14 kg: 2 tablets) twice daily for 5 days: "
            "2 × 250 mg dispersible tablet") in text


def test_no_weight_says_what_is_needed(qtbot, panel):
    text = _show(qtbot, panel, "pneumonia", note=NOTE, vitals={"resp_rate": 48}, age=2)
    assert "Amoxicillin is dosed by weight: the weight is needed" in text
    assert "#8a5a00" in panel.details.toHtml()


def test_chinese_note_gives_the_chinese_dose_line(qtbot, panel):
    text = _show(qtbot, panel, "pneumonia", note="2岁男孩，咳嗽3天，发热，呼吸快。无胸凹陷，能喝水。",
                 vitals={"resp_rate": 48, "weight_kg": 11}, age=2)
    assert "阿莫西林 500 mg（体重段 10-14 kg: 2 片），每日2次，共5天" in text


def test_each_dose_names_its_source(qtbot, panel):
    text = _show(qtbot, panel, "pneumonia", note=NOTE, vitals={"resp_rate": 48, "weight_kg": 11}, age=2)
    assert "2 × 250 mg dispersible tablet (WHO IMCI Chart Booklet 2014: give oral amoxicillin)" in text
