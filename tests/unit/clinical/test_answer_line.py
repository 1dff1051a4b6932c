"""Where the guided consultation writes an answer (issue 15): above the line that opens the
note's assessment, plan or follow-up, so it stays with the history and examination; at the
end of a note without them. Notes written for this test."""

from __future__ import annotations

from lantern.services.interview import answer_edit, answer_line, apply_edit


def test_an_answer_goes_above_a_chinese_diagnosis_and_plan():
    note = "主诉：发热3天。\n查体：T 38.5℃，咽红。\n诊断：上呼吸道感染\n处理：对症治疗，3天复诊"
    edit = answer_edit(note, finding="convulsions", answer="no", lang="zh")
    assert edit is not None
    assert apply_edit(note, edit).split("\n")[2] == edit.append


def test_a_note_without_assessment_or_plan_gets_the_answer_at_the_end():
    note = "Fever for 2 days, cough.\nExam: alert."
    assert answer_line(note) is None
    edit = answer_edit(note, finding="convulsions", answer="no", lang="en")
    assert apply_edit(note, edit).endswith("\n" + edit.append)


def test_a_plan_named_inside_a_line_is_not_a_line_of_its_own():
    note = "Cough 3 days, no fever; plan: review if worse.\nExam: chest clear."
    assert answer_line(note) is None

