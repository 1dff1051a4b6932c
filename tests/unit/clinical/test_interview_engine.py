"""The next-question engine (issue 15) through its API: screens first, nothing asked
twice, answers applied over the note, stop when settled."""

from __future__ import annotations

import pytest

from lantern.clinical.interview import Answer, Interview, next_questions
from lantern.clinical.interview.engine import EARLY_GAIN, NOWHERE_P, complaint_points_nowhere
from lantern.clinical.interview.groups import load_groups
from lantern.clinical.interview.screens import load_screens
from lantern.clinical.knowledge import load_knowledge
from lantern.clinical.pipeline import assess, parse_case
from lantern.domain.errors import ValidationError

IMCI = {"unable_to_drink", "vomits_everything", "convulsions", "altered_consciousness"}


# every grouped screen question answered "unknown": the screens' signs are asked one by
# one, the order these tests check (test_interview_groups16.py checks the groups themselves)
ONE_BY_ONE = [Answer(g.id, "unknown") for g in load_groups()]


def _ask(answers: list[Answer] | None = None, limit: int = 5, **case) -> Interview:
    return next_questions(case=parse_case(case), answers=[*ONE_BY_ONE, *(answers or [])],
                          limit=limit)


def _asked_or_held(fid: str, asked: list[str]) -> bool:
    """``fid`` is asked, or a broader sign of it is asked (its "no" answers both; after a
    "yes" the narrower sign is asked on its own)."""
    return fid in asked or any(b in asked for b in load_knowledge().broader.get(fid, ()))


def _screen(screen_id: str) -> tuple[str, ...]:
    return next(s for s in load_screens() if s.id == screen_id).findings


def test_general_danger_signs_come_first_for_a_child_under_five():
    iv = _ask(note="Cough for three days.", age_years=2, sex="male")
    head = iv.questions[:4]
    assert {q.finding for q in head} == IMCI == set(_screen("imci_general_danger_signs"))
    assert all(q.danger_sign and q.screen == "imci_general_danger_signs" for q in head)
    by_id = {q.finding: q for q in head}
    assert by_id["unable_to_drink"].text_en == "Is the child unable to drink or breastfeed?"
    assert by_id["unable_to_drink"].kind == "ask" and by_id["altered_consciousness"].kind == "look"
    # then chest indrawing, the IMCI step for a child with cough
    assert iv.questions[4].finding == "chest_indrawing"


def test_lethargic_or_unconscious_is_one_question_a_no_answers_both():
    """IMCI checks 'lethargic or unconscious' as one general danger sign: the broader
    finding is asked, and its "no" answers both narrower ones (findings_broader.toml)."""
    iv = _ask([Answer("altered_consciousness", "no")], note="Cough for three days.",
              age_years=2, limit=20)
    asked = [q.finding for q in iv.questions]
    assert "lethargic" not in asked and "unconscious" not in asked
    yes = _ask([Answer("altered_consciousness", "yes")], note="Cough for three days.", age_years=2)
    assert yes.assessment.triage.level == "emergency"     # one "yes" settles the level


def test_a_screen_asks_first_the_danger_sign_the_complaint_makes_likely():
    """Within a screen the danger sign whose "yes" is likeliest to raise the triage level
    comes first: after a fit, the level of consciousness before breathing and shock."""
    quick = set(_screen("imai_quick_check"))
    fit = [q.finding for q in _ask(note="Had a fit at the market an hour ago.", age_years=23,
                                   sex="male", limit=15).questions if q.finding in quick]
    assert fit.index("altered_consciousness") < fit.index("severe_respiratory_distress")
    # a broader finding goes before its narrower one, whatever their value: the narrower
    # one waits while the broader is asked (a "no" answers both), and comes after a "yes"
    assert "lethargic" not in fit
    after = [q.finding for q in _ask(note="Had a fit at the market an hour ago.", age_years=23,
                                     sex="male", limit=15,
                                     answers=[Answer("altered_consciousness", "yes")]).questions]
    assert "lethargic" in after


def test_a_danger_sign_the_note_answers_is_not_asked_again():
    iv = _ask(note="Cough for three days. Able to drink, no convulsions.", age_years=2)
    asked = [q.finding for q in iv.questions]
    assert "convulsions" not in asked and "unable_to_drink" not in asked
    assert set(asked[:2]) == {"vomits_everything", "altered_consciousness"}


def test_obstetric_danger_signs_for_a_pregnant_woman_not_for_a_man():
    woman = _ask(note="Headache since yesterday. No fever.", age_years=26, sex="female",
                 pregnant=True, limit=20)
    screen = [f for f in _screen("obstetric_danger_signs") if f != "fever"]   # fever: in the note
    asked = [q.finding for q in woman.questions]
    # a headache in pregnancy: the blood pressure first (PCPNC rapid assessment) ...
    assert asked[0] == "severe_hypertension" and woman.questions[0].kind == "measure"
    assert woman.questions[0].screen == "obstetric_blood_pressure"
    # ... then the obstetric screen, all of it (the likeliest danger sign first)
    assert sorted(asked[1:len(screen) + 1]) == sorted(screen)
    assert all(q.screen == "obstetric_danger_signs" for q in woman.questions[1:len(screen) + 1])
    # the rest of the adult quick check is there too (convulsions was asked already;
    # severe respiratory distress waits behind the obstetric screen's difficult breathing)
    assert {"hypoxaemia", "hypotension", "altered_consciousness"} <= set(asked)
    assert _asked_or_held("severe_respiratory_distress", asked)
    man = _ask(note="Headache since yesterday.", age_years=26, sex="male", limit=12)
    assert "reduced_fetal_movements" not in [q.finding for q in man.questions]


def test_the_imai_quick_check_for_an_adult_early_but_after_a_stronger_question():
    iv = _ask(note="Cough for two weeks.", age_years=40, sex="male", limit=10)
    quick = list(_screen("imai_quick_check"))
    asked = [q.finding for q in iv.questions]
    assert all(_asked_or_held(f, asked) for f in quick)   # all of it
    last = max(asked.index(f) for f in quick if f in asked)
    before = [q for q in iv.questions[:last] if q.screen is None]
    assert all(q.gain >= EARLY_GAIN for q in before)          # only stronger questions first
    # by gain, but for a measurement that alone decides the level (measure first)
    others = [q for q in iv.questions if q.screen is None and q.kind != "measure"]
    assert others and others == sorted(others, key=lambda q: -q.gain)
    assert all(q.gain > 0 and q.why for q in others)   # each names the conditions it separates


def test_no_question_is_about_something_already_known():
    answers = [Answer(f, "no") for f in _screen("imai_quick_check")]
    iv = _ask(answers, note="Fever and headache for 3 days, no neck stiffness.", age_years=30,
              sex="female", vitals={"temp_c": 38.5, "resp_rate": 18})
    known = {f.id for f in iv.assessment.extraction.findings}
    for _ in range(6):
        for q in iv.questions:
            assert q.finding not in known and q.finding not in {a.finding for a in answers}
            assert q.vital not in ("temp_c", "resp_rate")    # measured already
        answers.append(Answer(iv.questions[0].finding, "unknown"))
        iv = _ask(answers, note="Fever and headache for 3 days, no neck stiffness.",
                  age_years=30, sex="female", vitals={"temp_c": 38.5, "resp_rate": 18})


def test_answers_are_findings_and_the_later_answer_wins():
    case = {"note": "Cough and fever for 2 days.", "age_years": 3, "sex": "female"}
    yes = _ask([Answer("chest_indrawing", "no"), Answer("chest_indrawing", "yes")], **case)
    assert yes.assessment.triage.level == "emergency"
    assert yes.assessment.extraction.present()["chest_indrawing"].source == "answer"
    assert yes.answered == {"chest_indrawing": "yes"}
    no = _ask([Answer("chest_indrawing", "yes"), Answer("chest_indrawing", "no")], **case)
    assert no.assessment.triage.level != "emergency"
    assert "chest_indrawing" in no.assessment.extraction.negated()


def test_an_answer_overrides_the_note():
    iv = _ask([Answer("neck_stiffness", "yes")], note="Fever, headache. No neck stiffness.",
              age_years=30, sex="male")
    assert "neck_stiffness" in iv.assessment.extraction.present()
    plain = assess(parse_case({"note": "Fever, headache. Neck stiffness.", "age_years": 30,
                               "sex": "male"}))
    assert [c.condition.id for c in iv.assessment.differential] == \
        [c.condition.id for c in plain.differential]


def test_the_assessment_has_the_diagnose_shape():
    iv = _ask(note="Fever and cough.", age_years=30)
    out = iv.to_dict()
    assert list(out) == ["id", "questions", "triage", "differential"]
    assert out["differential"] == assess(parse_case({"note": "Fever and cough.",
                                                     "age_years": 30})).to_dict()["differential"]


def test_stops_when_settled():
    note = ("3 days fever with chills and rigors, headache, body aches. Malaria RDT positive. "
            "No cough, no diarrhoea, no rash, no neck stiffness.")
    answers = [Answer(f, "no") for f in _screen("imai_quick_check")]
    iv = _ask(answers, note=note, age_years=25, sex="male", limit=20)
    assert iv.assessment.differential[0].condition.id == "malaria_uncomplicated"
    assert iv.settled
    # settled: only questions whose "yes" would raise the triage level are left
    assert all(q.danger_sign for q in iv.questions)


def test_nothing_left_to_ask_gives_an_empty_list():
    case = {"note": "Cough.", "age_years": 30, "sex": "male"}
    answers: list[Answer] = []
    for _ in range(200):
        iv = _ask(answers, limit=20, **case)
        if not iv.questions:
            break
        answers += [Answer(q.finding, "no") for q in iv.questions]
    assert iv.questions == []
    assert iv.assessment.triage.level == "routine"


@pytest.mark.parametrize("bad,message", [
    (Answer("no_such_finding", "yes"), "unknown finding id 'no_such_finding'"),
    (Answer("fever", "maybe"), "answer must be one of yes, no, unknown"),
])
def test_bad_answers_name_the_item(bad, message):
    with pytest.raises(ValidationError, match=message):
        _ask([Answer("fever", "yes"), bad], note="Cough.", age_years=30)


def test_blood_pressure_is_not_asked_first_in_pregnancy_without_its_signs():
    iv = _ask(note="Cough for two days.", age_years=24, sex="female", pregnant=True, limit=3)
    assert iv.questions[0].screen == "obstetric_danger_signs"
    assert "severe_hypertension" not in [q.finding for q in iv.questions]


def test_a_baby_at_a_postnatal_visit_gets_the_child_screens_not_the_mothers():
    iv = _ask(note="Postnatal home visit: baby girl born at home 3 days ago, yellow eyes.", limit=6)
    asked = [q.finding for q in iv.questions]
    assert "vaginal_bleeding" not in asked and "severe_hypertension" not in asked
    # a newborn: the general danger signs but vomiting everything (no young-infant sign)
    assert set(asked[:3]) == IMCI - {"vomits_everything"} and "vomits_everything" not in asked


def test_a_patient_of_unknown_age_gets_the_adult_quick_check_not_the_child_screens():
    iv = _ask(note="Cough for two weeks.", limit=12)
    asked = [q.finding for q in iv.questions]
    assert all(_asked_or_held(f, asked) for f in _screen("imai_quick_check"))
    assert {q.screen for q in iv.questions if q.finding in _screen("imai_quick_check")} == {"imai_quick_check"}
    # IMCI, ETAT: need an age (cyanosis may still come by its gain: an adult emergency sign too)
    assert "unable_to_drink" not in asked
    assert not {q.screen for q in iv.questions} & {"imci_general_danger_signs", "etat_emergency_signs"}


def test_the_quick_checks_ask_for_lethargy_in_a_child_over_five_and_an_adult():
    for age in (9, 40):
        asked = [q.finding for q in _ask(note="Fever for three days.", age_years=age, limit=12).questions]
        assert _asked_or_held("lethargic", asked), age
        after = [q.finding for q in _ask(note="Fever for three days.", age_years=age, limit=12,
                                         answers=[Answer("altered_consciousness", "yes")]).questions]
        assert "lethargic" in after, age


def test_a_bleeding_pregnant_woman_is_asked_about_heavy_bleeding_first():
    iv = _ask(note="Vaginal bleeding since this morning.", age_years=26, sex="female",
              pregnant=True, limit=3)
    assert iv.questions[0].finding == "heavy_bleeding"
    assert iv.questions[0].screen == "obstetric_heavy_bleeding"
    dry = _ask(note="Cough for two days.", age_years=26, sex="female", pregnant=True, limit=12)
    assert "heavy_bleeding" not in [q.finding for q in dry.questions]


def test_a_child_with_cough_is_looked_at_for_chest_indrawing_after_the_danger_signs():
    iv = _ask(note="Cough for three days.", age_years=2, sex="male", limit=6)
    assert {q.finding for q in iv.questions[:4]} == IMCI
    assert iv.questions[4].finding == "chest_indrawing"
    assert iv.questions[4].screen == "imci_cough_difficult_breathing"
    loose = _ask(note="Diarrhoea for two days.", age_years=2, sex="male", limit=6)
    assert "chest_indrawing" not in [q.finding for q in loose.questions]


def test_a_screen_for_unknown_ages_still_needs_its_context():
    from lantern.clinical.interview.screens import Screen

    screen = Screen(id="s", label_en="s", label_zh="s", source="s", findings=("very_fast_breathing",),
                    age_min_years=15.0, unknown_age=True, when_any=("difficult_breathing",))
    assert screen.applies(age_years=None, pregnant_context=False, present={"difficult_breathing"})
    assert not screen.applies(age_years=None, pregnant_context=False, present={"diarrhoea"})
    assert not screen.applies(age_years=3, pregnant_context=False, present={"difficult_breathing"})
    assert screen.applies(age_years=40, pregnant_context=False, present={"difficult_breathing"})


def test_a_breathless_adult_has_the_breathing_rate_counted_early():
    breathless = _ask(note="Breathless at rest since yesterday.", age_years=45, sex="male", limit=8)
    asked = [q.finding for q in breathless.questions]
    # counted ahead of the quick check (only questions worth more come before)
    assert asked.index("very_fast_breathing") < asked.index("severe_respiratory_distress")
    assert breathless.questions[asked.index("very_fast_breathing")].screen == "breathing_rate_adult"
    other = _ask(note="Diarrhoea for two days.", age_years=45, sex="male", limit=8)
    assert "breathing_rate_adult" not in {q.screen for q in other.questions}


def test_a_complaint_pointing_nowhere_gets_the_quick_check_first():
    """'Feeling unwell', 'brought by family': the differential is flat, every question's
    gain is large, and the IMAI quick check's emergency signs come before all of them."""
    quick = set(_screen("imai_quick_check"))
    for note in ("Feeling unwell.", "Brought in by his family.", "他家里人送来的。"):
        iv = _ask(note=note, age_years=45, sex="male", limit=10)
        assert iv.assessment.probabilities[0] < NOWHERE_P and complaint_points_nowhere(iv.assessment)
        asked = [q.finding for q in iv.questions]
        k = len([f for f in asked if f in quick])
        assert k >= 4 and set(asked[:k]) <= quick, note      # the quick check, then the rest
    # a complaint that points somewhere (weakness: anaemia) keeps stronger questions first
    weak = _ask(note="Feels weak.", age_years=45, sex="male", limit=3)
    assert not complaint_points_nowhere(weak.assessment)
    assert weak.questions[0].screen is None and weak.questions[0].gain >= EARLY_GAIN


def test_a_person_with_low_mood_is_asked_about_a_plan_or_act_of_self_harm():
    """mhGAP-IG 2.0 (SUI): low mood, loss of interest or disturbed sleep: ask about
    thoughts and a plan or an act of self-harm - a plan or act is imminent risk, an
    emergency; after a "yes" to the thoughts the plan is among the next (with agitation,
    psychosis or a poison: imminent risk too)."""
    for note in ("Low mood and no interest in anything for a month.", "两个月睡不着，吃不下。"):
        iv = _ask(note=note, age_years=34, limit=6)
        assert {q.finding for q in iv.questions[:2]} == {"suicide_plan_or_act", "suicidal_ideation"}, note
        assert {q.screen for q in iv.questions[:2]} == {"mhgap_self_harm"}
        thoughts = _ask([Answer("suicidal_ideation", "yes")], note=note, age_years=34, limit=6)
        assert "suicide_plan_or_act" in {q.finding for q in thoughts.questions[:4]}, note
    yes = _ask([Answer("suicide_plan_or_act", "yes")], note="Low mood for a month.", age_years=34)
    assert yes.assessment.triage.level == "emergency"
    child = _ask(note="Low mood for a month.", age_years=8, limit=20)
    assert "mhgap_self_harm" not in {q.screen for q in child.questions}
    cough = _ask(note="Cough for two weeks.", age_years=40, limit=20)
    assert "mhgap_self_harm" not in {q.screen for q in cough.questions}



def test_a_young_infant_is_checked_for_the_signs_of_very_severe_disease():
    """IMCI 2014, sick young infant up to 2 months: after the general danger signs, the
    signs of possible serious bacterial infection not yet asked; any "yes" is an emergency."""
    psbi = set(_screen("imci_young_infant_psbi"))
    assert {"not_feeding_well", "convulsions", "fast_breathing", "chest_indrawing", "fever",
            "hypothermia", "movement_only_stimulated"} == psbi
    iv = _ask(note="Baby not well since yesterday.", age_years=0.05, sex="female", limit=12)
    asked = [q.finding for q in iv.questions]
    signs = IMCI - {"vomits_everything"}       # not an IMCI sign below 2 months
    assert set(asked[:3]) == signs and "vomits_everything" not in asked
    infant = [q for q in iv.questions[3:] if q.screen == "imci_young_infant_psbi"]
    assert {q.finding for q in infant} == psbi - IMCI
    assert [q.finding for q in iv.questions[3:3 + len(infant)]] == [q.finding for q in infant]
    assert all(q.danger_sign for q in infant)
    by_id = {q.finding: q for q in infant}
    assert by_id["movement_only_stimulated"].kind == "look" and by_id["movement_only_stimulated"].text_zh
    assert by_id["hypothermia"].kind == "measure" and by_id["hypothermia"].vital == "temp_c"
    yes = _ask([Answer("movement_only_stimulated", "yes")], note="Baby not well since yesterday.",
               age_years=0.05, sex="female")
    assert yes.assessment.triage.level == "emergency"
    # not for a child of 2 months or more, who has the cough screen instead
    older = [q.finding for q in _ask(note="Baby not well since yesterday.", age_years=0.5,
                                     limit=15).questions]
    assert "movement_only_stimulated" not in older and "not_feeding_well" not in older[:6]


def test_a_child_with_cough_is_listened_to_for_stridor_after_chest_indrawing():
    iv = _ask(note="Cough for three days.", age_years=2, sex="male", limit=9)
    assert {q.finding for q in iv.questions[:4]} == IMCI
    breathing = [(q.finding, q.screen) for q in iv.questions[4:9]]
    assert breathing[0] == ("chest_indrawing", "imci_cough_difficult_breathing")
    assert {f for f, _ in breathing} == {"fast_breathing", "chest_indrawing", "hypoxaemia",
                                         "stridor", "nasal_flaring"}
    assert {s for _, s in breathing} == {"imci_cough_difficult_breathing"}
    yes = _ask([Answer("stridor", "yes")], note="Cough for three days.", age_years=2)
    assert yes.assessment.triage.level == "emergency"
    assert "stridor" not in [q.finding for q in _ask(note="Diarrhoea for two days.", age_years=2,
                                                      limit=8).questions]
    # a young infant with cough: the breathing signs right after the general danger signs,
    # before the young infant's other signs (test_interview_obstetric_surgical.py)
    infant = _ask(note="Cough for three days.", age_years=0.1, limit=12).questions
    assert {q.screen for q in infant if q.finding == "chest_indrawing"} == {"imci_cough_difficult_breathing"}
