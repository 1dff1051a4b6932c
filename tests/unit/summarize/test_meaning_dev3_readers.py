"""Faithful rewordings the meaning check now keeps (issue 13, point 3; found on meaning-change
development set 3), each beside a real change of the same line that it must still drop:
a review is a return visit, a dose changed "from A to B" is B, insulin and sulphonylurea
names are those drugs, "visual symptoms" and "after the operation" are read as findings, and "no blood" outside a
urine line is no dipstick result."""

from __future__ import annotations

from tests.benchmarks.bench_meaning import judge

from lantern.clinical.language.meaning import meaning_of
from lantern.clinical.language.results import dipstick_grades


def _judge(source: str, candidate: str) -> list[str]:
    return judge({"source": source, "candidate": candidate})


def test_review_and_return_are_one_plan_and_sooner_is_earlier():
    src = "Review in 2 weeks, sooner if worse."
    assert _judge(src, "Return in a fortnight, or earlier if getting worse.") == []
    assert any("number" in r for r in _judge(src, "Return in three weeks, or earlier if getting worse."))
    assert any("orders" in r for r in _judge(src, "Refer in a fortnight, or earlier if getting worse."))


def test_an_insulin_or_sulphonylurea_named_alone_is_that_drug():
    src = "Insulin glargine 18 units at bedtime; continue."
    assert _judge(src, "Continue glargine 18 units nocte.") == []
    assert _judge(src, "Continue detemir 18 units nocte.") != []
    assert _judge(src, "Continue glargine 28 units nocte.") != []
    assert ("on_hypoglycaemic_drugs", False) in meaning_of("On glimepiride 2 mg od.").findings


def test_visual_symptoms_and_after_the_operation_are_findings():
    src = "Headache for 3 days, worse in mornings, no visual disturbance."
    assert _judge(src, "Three-day history of headaches that are worse in the morning; no visual symptoms.") == []
    assert any("negation" in r for r in _judge(
        src, "Three-day history of headaches that are worse in the morning, with visual symptoms."))
    wound = "Wound review day 5 post-op: clean, dry, no erythema."
    assert _judge(wound, "Five days after the operation the wound is clean and dry without redness.") == []
    assert _judge(wound, "Five days after the operation the wound is clean and dry but red.") != []


def test_no_blood_is_a_dipstick_result_only_in_a_urine_line():
    assert dipstick_grades("Vomiting since this morning, 4 episodes, no blood.") == []
    assert dipstick_grades("Diarrhoea x3/7, no blood in stool.") == []
    assert [(a, g) for a, g, _ in dipstick_grades("Urine dip: leucocytes ++, nitrites +, no blood.")] == [
        ("leucocytes", 2.0), ("nitrite", 1.0), ("blood", 0.0)]
    assert [(a, g) for a, g, _ in dipstick_grades("Negative for nitrites.")] == [("nitrite", 0.0)]
    # bloody vomiting is vomiting blood, never kept for "vomiting, no blood"
    assert _judge("Vomiting since this morning, 4 episodes, no blood.",
                  "Four episodes of bloody vomiting since this morning.") != []
    assert _judge("Urine dip: leucocytes ++, nitrites +, no blood.",
                  "Urinalysis shows leucocytes 2+ and positive nitrites, with blood.") != []


def test_a_dose_changed_from_one_to_another_is_the_new_dose():
    src = "Ramipril increased from 5 mg to 10 mg od; U&E in 2 weeks."
    assert meaning_of(src).doses == {("ramipril", ("10", "mg"))}
    assert meaning_of("氨氯地平由5mg加至10mg，每日一次。").doses == {("amlodipine", ("10", "mg"))}
    assert _judge(src, "Ramipril raised to 10 mg once daily (previously 5 mg); check urea and electrolytes "
                       "in two weeks.") == []
    # the change turned round keeps the old dose: dropped
    assert any("dose not given" in r for r in _judge(
        src, "Ramipril reduced to 5 mg once daily (previously 10 mg); check urea and electrolytes in two weeks."))
