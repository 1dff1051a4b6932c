"""Summaries say a fact once (issue 13, item 8): a plan sentence the follow-up line quotes,
apart from the words that report the instruction, is not repeated under Plan."""

from __future__ import annotations

from lantern.clinical.summarize.evaluate import fact_present
from lantern.clinical.summarize.skeleton import build_note_summary


def _texts(summary, key):
    return [ln.text for ln in summary.sections[key]]


def test_reported_instruction_said_once_in_follow_up():
    note = ("Home visit. 58M with known asthma, used salbutamol inhaler 4 times last night. Wheeze both sides, "
            "RR 24. Advised to come to the clinic tomorrow morning. Will visit again on Friday.")
    s = build_note_summary(note)
    follow = " ".join(_texts(s, "follow_up"))
    plan = " ".join(_texts(s, "plan"))
    assert fact_present("clinic tomorrow morning", follow)
    assert "clinic tomorrow" not in plan
    # the fact is still in the summary, once
    assert s.text.count("clinic tomorrow morning") == 1


def test_plan_clause_with_more_than_the_follow_up_is_kept():
    # "check his sugar" is an action the follow-up line does not say: the clause stays in Plan
    note = ("Known T2DM on metformin 500 mg BD. RBS 14.2. Plan: told to check his sugar at the health post "
            "and review in 2 weeks.")
    s = build_note_summary(note)
    assert fact_present("check his sugar", s.text)
    assert fact_present("review in 2 weeks", s.text)


def test_same_words_without_reporting_verb_kept_once():
    note = "Cough 3 days, no fever. T 36.8. Plan: salt water gargles. Return if fever or worse."
    s = build_note_summary(note)
    assert fact_present("salt water gargles", s.text)
    assert fact_present("Return if fever", s.text)


# ---- histories: an event or an open item the other sections say in full is not repeated

from lantern.clinical.summarize import summarize_history  # noqa: E402

HTN_VISITS = [
    {"date": "2025-02-03", "text": "Hypertension review. BP 162/98. On enalapril 10 mg od. NKDA. Review 4 weeks."},
    {"date": "2025-03-03", "text": "Dry cough since starting enalapril. BP 150/92. Enalapril stopped, changed to "
                                   "losartan 50 mg od. Review 1 month."},
    {"date": "2025-04-07", "text": "No cough. BP 134/84. Creatinine 91 umol/L. Continue losartan 50 mg od. "
                                   "Review 3 months."},
]


def test_switch_event_said_by_the_medication_lists_once():
    s = summarize_history(HTN_VISITS)
    events = " ".join(_texts(s, "events"))
    assert "changed to losartan" not in events
    assert fact_present("losartan 50 mg", " ".join(_texts(s, "current_medications")))
    # the stop keeps its words
    assert fact_present("Enalapril stopped", s.text)


def test_last_visit_reading_in_results_not_repeated_under_open():
    s = summarize_history(HTN_VISITS)
    assert fact_present("Creatinine 91 umol/L", " ".join(_texts(s, "results")))
    assert not fact_present("Creatinine 91", " ".join(_texts(s, "last_plan")))
    assert s.text.count("91") == 1


def test_event_with_more_than_the_lists_is_kept():
    visits = [
        {"date": "2025-01-06", "text": "Asthma. Salbutamol inhaler prn. PEF 250."},
        {"date": "2025-02-10", "text": "Night symptoms 3x/wk. Uncontrolled -> start beclometasone 100 mcg bd "
                                       "via spacer. PEF 280. Review 1 month."},
    ]
    s = summarize_history(visits)
    assert fact_present("via spacer", s.text)
    assert fact_present("Uncontrolled", s.text)


# ---- letters: a drug the treatment sentence says in the note's words is listed once

from lantern.clinical.summarize import referral_letter  # noqa: E402


def test_letter_treatment_drug_said_once():
    note = ("Referral - urgent. 4y boy, fever 3 days, stiff neck, drowsy. T 39.4, HR 150. "
            "Given: ceftriaxone 2 g IV slowly over 5 min at 09:20. IV access, kept warm. NKDA. "
            "Please admit and do LP.")
    s = referral_letter(note)
    given = [ln.text for ln in s.sections["treatment_given"]]
    assert sum("ceftriaxone" in t.lower() for t in given) == 1, given
    assert fact_present("over 5 min", " ".join(given))
    assert fact_present("09:20", " ".join(given))


def test_history_sentence_the_follow_up_line_quotes_is_said_once():
    note = "咳嗽随访。女，45岁，咳嗽减轻，无发热。建议多饮水。一个月后复查。"
    s = build_note_summary(note)
    assert fact_present("一个月后复查", " ".join(_texts(s, "follow_up")))
    assert s.text.count("一个月后复查") == 1, s.text
    assert fact_present("多饮水", s.text)
