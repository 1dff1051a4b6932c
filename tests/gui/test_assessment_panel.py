"""AssessmentPanel: runs the assessment off the GUI thread, shows the banner,
differential with evidence, and emits the clinician's decision."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from lantern.clinical.knowledge import load_knowledge
from lantern.gui.assessment_panel import AssessmentPanel, highlight_note, percent
from lantern.gui.runner import TaskRunner
from lantern.services.assessment import AssessmentService


@pytest.fixture
def runner(qapp):
    r = TaskRunner()
    yield r
    r.wait_all(5)
    r.shutdown()


@pytest.fixture
def panel(qtbot, runner):
    kb = load_knowledge()
    conditions = sorted((c.id, c.name_en) for c in kb.conditions.values())
    p = AssessmentPanel(assess=AssessmentService(kb=kb), runner=runner, conditions=conditions,
                        finding_label=kb.label)
    qtbot.addWidget(p)
    return p


def _assess(qtbot, panel, **kw):
    panel.set_input(kw.get("note", ""), kw.get("vitals"), kw.get("age"), kw.get("sex"),
                    kw.get("pregnant"))
    with qtbot.waitSignal(panel.assessed, timeout=60_000) as blocker:
        qtbot.mouseClick(panel.assess_button, Qt.MouseButton.LeftButton)
    return blocker.args[0]


NOTE = "2yo c/o cough x3d, fever. chest indrawing. no vomiting."


def test_emergency_banner_and_differential(qtbot, panel):
    result = _assess(qtbot, panel, note=NOTE, vitals={"resp_rate": 52}, age=2)
    assert result.triage.level == "emergency"
    assert panel.banner.property("triage") == "emergency"
    assert "EMERGENCY" in panel.banner.text() and "Chest indrawing" in panel.banner.text()
    assert "#b71c1c" in panel.banner.styleSheet()
    assert panel.differential.count() == len(result.differential) > 0
    first = panel.differential.item(0).data(Qt.ItemDataRole.UserRole)
    assert first == "severe_pneumonia"
    html = panel.details.toHtml()
    assert "Next steps" in html and "Refer" in html and "WHO" in html
    assert result.kb_version in panel.kb_label.text()
    assert panel.disclaimer.text().startswith("Decision support only")


def test_routine_is_green_and_selecting_another_condition_updates_details(qtbot, panel):
    _assess(qtbot, panel, note="runny nose, sneezing, mild cough. no fever.", age=25)
    assert panel.banner.property("triage") == "routine"
    assert "#2e7d32" in panel.banner.styleSheet()
    panel.differential.setCurrentRow(1)
    second = panel.assessment.differential[1].condition.name_en
    assert second in panel.details.toPlainText()


def test_accept_reject_and_add_emit_the_decision(qtbot, panel):
    result = _assess(qtbot, panel, note="fever, chills, headache. RDT positive", age=30)
    with qtbot.waitSignal(panel.decision_made, timeout=60_000) as accepted:
        panel.accept_button.click()
    payload = accepted.args[0]
    assert payload["action"] == "accept"
    assert payload["condition_id"] == result.differential[0].condition.id == "malaria_uncomplicated"
    assert [s["condition_id"] for s in payload["suggested"]] == [c.condition.id for c in result.differential]
    assert payload["triage"] == "urgent" and payload["kb_version"] == result.kb_version
    with qtbot.waitSignal(panel.decision_made, timeout=60_000) as rejected:
        panel.reject_button.click()
    assert rejected.args[0]["action"] == "reject"
    panel.add_combo.setCurrentText("Typhoid fever")
    with qtbot.waitSignal(panel.decision_made, timeout=60_000) as added:
        panel.add_button.click()
    assert added.args[0]["action"] == "add" and added.args[0]["condition_id"] == "typhoid"


def test_failure_re_enables_the_button(qtbot, runner):
    from lantern.domain.errors import ValidationError

    def broken(**_):
        raise ValidationError("age_years must be a number")

    p = AssessmentPanel(assess=broken, runner=runner)
    qtbot.addWidget(p)
    with qtbot.waitSignal(p.failed, timeout=60_000):
        p.run_assessment()
    assert p.assess_button.isEnabled() and "failed" in p.banner.text()


def test_explanation_streams_into_the_panel(qtbot, runner):
    def explain(assessment, on_text, cancel_event):
        for word in ("Fever ", "and ", "chills."):
            on_text(word)
        return "Fever and chills."

    p = AssessmentPanel(assess=AssessmentService(), runner=runner, explain=explain)
    qtbot.addWidget(p)
    _assess(qtbot, p, note="fever, chills, RDT positive", age=30)
    assert p.explain_button.isEnabled()
    with qtbot.waitSignal(p.explanation.finished, timeout=60_000):
        p.explain_button.click()
    assert "Fever and chills." in p.explanation.plain_text()


def test_percent_reads_as_the_clinician_expects():
    assert [percent(p) for p in (0.0, 0.004, 0.2, 0.726, 0.996)] == ["<1%", "<1%", "20%", "73%",
                                                                     ">99%"]


def test_highlight_note_marks_spans_and_escapes():
    out = highlight_note("a <b> cough", [(6, 11)], [])
    assert "&lt;b&gt;" in out and ">cough</span>" in out


def test_knowledge_names_follow_a_chinese_note(qtbot, panel):
    result = _assess(qtbot, panel, note="患儿2岁，咳嗽3天，发热，胸凹陷，无呕吐。",
                     vitals={"resp_rate": 52}, age=2)
    top = result.differential[0].condition
    row = panel.differential.itemWidget(panel.differential.item(0))
    texts = [w.text() for w in row.findChildren(type(panel.kb_label))]
    assert any(top.name_zh in t for t in texts)
    assert any(s.rule.label_zh in panel.banner.text() for s in result.triage.signs)
    panel.differential.setCurrentRow(0)
    assert top.name_zh in panel.details.toPlainText()

    _assess(qtbot, panel, note=NOTE, vitals={"resp_rate": 52}, age=2)   # English note: English
    row = panel.differential.itemWidget(panel.differential.item(0))
    assert not any(top.name_zh in w.text() for w in row.findChildren(type(panel.kb_label)))


ZH_NOTE = "患儿2岁，咳嗽3天，发热，胸凹陷，无呕吐。"
ZH_HEADINGS = ("支持证据", "反对证据", "下一步处理", "转诊", "参考来源")
EN_HEADINGS = ("Evidence for", "Evidence against", "Next steps", "Referral", "Source")


def test_details_in_the_chinese_ui_with_a_chinese_note(qtbot, panel, zh_ui):
    result = _assess(qtbot, panel, note=ZH_NOTE, vitals={"resp_rate": 52}, age=2)
    top = result.differential[0].condition
    text = panel.details.toPlainText()
    assert all(h in text for h in ZH_HEADINGS), text
    assert not any(h in text for h in EN_HEADINGS), text
    assert top.next_steps_zh and all(step in text for step in top.next_steps_zh)
    assert not any(step in text for step in top.next_steps)
    assert top.refer_zh in text and top.refer not in text
    # the calibrated figure with its band in the UI language
    p = result.probabilities[0]
    assert f"{p:.0%}" in text
    assert {"likely": "可能性大", "possible": "有可能", "less likely": "可能性小"}[result.band(p)] in text
    # the evidence is listed with the knowledge base's Chinese finding names
    kb = load_knowledge()
    cand = result.differential[0]
    assert cand.evidence_for
    for e in cand.evidence_for:
        assert kb.findings[e.finding.id].label_zh in text
        assert kb.findings[e.finding.id].label_en not in text

    # Chinese UI, English note: Chinese headings, knowledge text in the note's language
    result = _assess(qtbot, panel, note=NOTE, vitals={"resp_rate": 52}, age=2)
    top = result.differential[0].condition
    text = panel.details.toPlainText()
    assert all(h in text for h in ZH_HEADINGS)
    assert all(step in text for step in top.next_steps) and top.refer in text
    assert not any(step in text for step in top.next_steps_zh)


def test_details_in_the_english_ui_with_an_english_note(qtbot, panel):
    result = _assess(qtbot, panel, note=NOTE, vitals={"resp_rate": 52}, age=2)
    top = result.differential[0].condition
    text = panel.details.toPlainText()
    assert all(h in text for h in EN_HEADINGS), text
    assert all(step in text for step in top.next_steps) and top.refer in text
    assert not any(step in text for step in top.next_steps_zh) and top.refer_zh not in text
    p = result.probabilities[0]
    assert f"{top.icd10} · {p:.0%} · {result.band(p)}" in text


def _flag_line(text: str, heading: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(heading + ":"))


def test_details_show_the_red_flags_of_the_selected_condition(qtbot, panel):
    """SCHEMA.md: a condition's red_flags are shown to the clinician ("Watch for: ..."),
    the ones the note already has marked."""
    kb = load_knowledge()
    result = _assess(qtbot, panel, note=NOTE, vitals={"resp_rate": 52}, age=2)
    top = result.differential[0].condition
    assert top.id == "severe_pneumonia" and top.red_flags
    line = _flag_line(panel.details.toPlainText(), "Watch for")
    for fid in top.red_flags:
        assert kb.label(fid) in line, (fid, line)
    assert f"{kb.label('chest_indrawing')} (in the note)" in line        # written in NOTE
    assert f"{kb.label('stridor')} (in the note)" not in line             # not written

    other = next(i for i, c in enumerate(result.differential)
                 if set(c.condition.red_flags) - set(top.red_flags))
    panel.differential.setCurrentRow(other)
    cond = result.differential[other].condition
    line = _flag_line(panel.details.toPlainText(), "Watch for")
    assert all(kb.label(fid) in line for fid in cond.red_flags)
    assert not any(kb.label(fid) in line for fid in set(top.red_flags) - set(cond.red_flags))


def test_red_flags_in_the_chinese_ui_follow_the_chinese_note(qtbot, panel, zh_ui):
    kb = load_knowledge()
    result = _assess(qtbot, panel, note=ZH_NOTE, vitals={"resp_rate": 52}, age=2)
    top = result.differential[0].condition
    line = _flag_line(panel.details.toPlainText().replace("：", ":"), "警惕")
    for fid in top.red_flags:
        assert kb.findings[fid].label_zh in line and kb.findings[fid].label_en not in line
    assert f"{kb.findings['chest_indrawing'].label_zh}（病历中已记录）" in line


# issue 11: honest limits. Myasthenic crisis is not in the knowledge base (written for the test).
OUT_OF_SCOPE = ("Drooping of both eyelids, worse in the evening, double vision, tires when "
                "chewing, arms weak after brushing hair. Now short of breath and cannot lift "
                "head. SpO2 86%.")
OUT_OF_SCOPE_ZH = "眼睑下垂，傍晚加重，视物重影，咀嚼无力，梳头后手臂无力。现在气短，抬头困难。"


def _rows(panel):
    return [panel.differential.itemWidget(panel.differential.item(i))
            for i in range(panel.differential.count())]


def test_no_confident_match_is_an_amber_line_above_the_differential(qtbot, panel):
    result = _assess(qtbot, panel, note=OUT_OF_SCOPE, age=34, sex="female")
    assert result.confidence.level == "low"
    line = panel.confidence
    assert not line.isHidden() and line.property("level") == "low"
    assert line.text() == result.confidence.message_en
    assert line.text().startswith("No confident match in the knowledge base")
    assert "#fff3cd" in line.styleSheet()
    layout = panel.layout()
    assert layout.indexOf(panel.banner) < layout.indexOf(line) < layout.indexOf(
        panel.differential.parentWidget())
    # the triage banner is the rules' and stays an emergency
    assert panel.banner.property("triage") == "emergency"
    # the rows show the calibrated figures with their bands, in order
    for row, p in zip(_rows(panel), result.probabilities, strict=True):
        assert row.bar.format() == percent(p) and row.bar.value() == round(p * 100)
        assert row.band.text() == result.band(p)


def test_the_line_follows_a_chinese_note_and_hides_for_a_confident_match(qtbot, panel, zh_ui):
    result = _assess(qtbot, panel, note=OUT_OF_SCOPE_ZH, age=34, sex="female")
    assert panel.confidence.text() == result.confidence.message_zh
    assert panel.confidence.text().startswith("知识库中没有可信的匹配")
    assert {r.band.text() for r in _rows(panel)} <= {"可能性大", "有可能", "可能性小"}

    result = _assess(qtbot, panel, note=ZH_NOTE, vitals={"resp_rate": 52}, age=2)
    assert result.confidence.level == "high"
    assert panel.confidence.isHidden() and panel.confidence.text() == ""
    assert _rows(panel)[0].band.text() == "可能性大"


def test_locking_clears_the_confidence_line(qtbot, panel):
    _assess(qtbot, panel, note=OUT_OF_SCOPE, age=34, sex="female")
    panel.clear_patient_data()
    assert panel.confidence.isHidden() and panel.confidence.text() == ""
