"""One complaint, many causes (issue 15, session 17): the bedside tests a rural clinic reads
positive or negative - a malaria RDT, the urine dipstick, a urine pregnancy test, a dengue
rapid test - are questions of the guided consultation. Each is a "measure" without a
vitals field, ranked by its gain like any question: asked when it splits the conditions
leading the differential, never for a condition that only sits in its tail. A test's
P(positive) comes from its own likelihood ratios (its sensitivity) where a condition names
it, and from a low false-positive rate where it does not."""

from __future__ import annotations

import io
import json

import pytest

from lantern.cli import main
from lantern.clinical.interview import Answer, next_questions
from lantern.clinical.interview.engine import sensitivity
from lantern.clinical.interview.simulation import answer_from_case
from lantern.clinical.interview.wording import answer_sentence, validate_wordings, wording
from lantern.clinical.knowledge import load_knowledge
from lantern.clinical.language.findings import extract_findings
from lantern.clinical.pipeline import Case, assess
from lantern.domain.records import Vitals

TESTS = ("malaria_rdt_positive", "urine_nitrite", "proteinuria", "ketonuria", "glycosuria",
         "pregnancy_test", "dengue_test_positive")
FEVER = {"en": "Fever for 3 days with chills and headache.", "zh": "发热3天，寒战，头痛。"}
RDT = "malaria_rdt_positive"


@pytest.fixture(scope="module")
def kb():
    return load_knowledge()


def _iv(note: str, answers: tuple[tuple[str, str], ...] = (), *, age: float = 25, sex: str = "male",
        limit: int = 40):
    case = Case(note=note, age_years=age, sex=sex, pregnant=None)
    return next_questions(case=case, answers=[Answer(f, a) for f, a in answers], limit=limit)


def _place(iv, fid: str) -> int | None:
    return next((i for i, q in enumerate(iv.questions) if q.finding == fid), None)


# ---- the question data ----------------------------------------------------------------

@pytest.mark.parametrize("fid", TESTS)
def test_a_bedside_test_is_a_measure_read_positive_or_negative(kb, fid):
    w = wording(fid, kb)
    assert w is not None and w.kind == "measure" and w.vital is None
    assert kb.findings[fid].kind == "test"
    for lang in ("en", "zh"):
        for answer, negated in (("yes", False), ("no", True)):
            sentence = answer_sentence(fid, answer, lang, kb=kb)
            got = {f.id: f for f in extract_findings(sentence, age_years=30.0, kb=kb).findings}
            assert fid in got and got[fid].negated is negated, (lang, answer, sentence)
        assert answer_sentence(fid, "unknown", lang, kb=kb) == ""


def test_only_a_test_may_be_a_measure_without_a_vitals_field(kb, tmp_path):
    path = tmp_path / "questions.toml"
    path.write_text('[[question]]\nfinding = "cough"\nkind = "measure"\nen = "x"\nzh = "x"\n\n'
                    '[[question]]\nfinding = "urine_nitrite"\nkind = "measure"\nen = "x"\nzh = "x"\n\n'
                    '[[question]]\nfinding = "ketonuria"\nkind = "measure"\nvital = "no_such"\n'
                    'en = "x"\nzh = "x"\n', encoding="utf-8")
    problems = validate_wordings(kb, path)
    assert any(p.startswith("questions.toml: 'cough': a measure without vital must be a bedside test")
               for p in problems)
    assert any(p.startswith("questions.toml: 'ketonuria': a measure's vital must be one of")
               for p in problems)
    assert not any("'urine_nitrite'" in p for p in problems)


def test_the_pregnancy_test_is_asked_in_the_reproductive_years_only(kb):
    w = wording("pregnancy_test", kb)
    assert w is not None and w.fits_age(25) and not w.fits_age(62) and not w.fits_age(6)


# ---- sensitivity from the two likelihood ratios -----------------------------------------

@pytest.mark.parametrize(("sens", "spec"), [(0.95, 0.96), (0.56, 0.89), (0.7, 0.7)])
def test_sensitivity_recovers_the_test_it_came_from(sens, spec):
    lr_pos, lr_neg = sens / (1 - spec), (1 - sens) / spec
    assert sensitivity(lr_pos, lr_neg) == pytest.approx(sens)


# ---- the engine ----------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_fever_where_malaria_leads_asks_for_the_rdt_early(lang):
    iv = _iv(FEVER[lang])
    assert iv.assessment.differential[0].condition.id == "malaria_uncomplicated"
    at = _place(iv, RDT)
    assert at is not None and at < 3, [q.finding for q in iv.questions[:6]]
    q = iv.questions[at]
    assert q.kind == "measure" and q.vital is None and "malaria_uncomplicated" in q.why


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_rdt_answer_moves_malaria_and_is_not_asked_again(lang):
    def p_malaria(iv) -> float:
        return next(p for c, p in zip(iv.assessment.differential, iv.assessment.probabilities, strict=False)
                    if c.condition.id == "malaria_uncomplicated")

    before = _iv(FEVER[lang])
    pos, neg, unknown = (_iv(FEVER[lang], ((RDT, a),)) for a in ("yes", "no", "unknown"))
    assert p_malaria(pos) > p_malaria(before) > p_malaria(neg)
    assert neg.assessment.differential[0].condition.id != "malaria_uncomplicated"
    for iv in (pos, neg, unknown):
        assert _place(iv, RDT) is None


@pytest.mark.parametrize("note", ["Knee pain after a fall yesterday.", "昨天摔倒后膝关节痛。",
                                  "Vomiting since yesterday, cannot keep water down.",
                                  "从昨天开始呕吐，喝水也吐。"])
def test_no_test_is_asked_for_a_condition_only_in_the_tail(kb, note):
    iv = _iv(note, age=15, sex="female")
    asked = [q.finding for q in iv.questions]
    assert asked, note
    assert not [f for f in asked if f in kb.findings and kb.findings[f].kind == "test"], asked


@pytest.mark.parametrize(("note", "age"), [("Missed period, lower abdominal pain since this morning.", 24),
                                           ("停经，今晨开始下腹痛。", 24)])
def test_a_missed_period_with_pain_asks_for_the_pregnancy_test_by_age(note, age):
    young = _iv(note, age=age, sex="female")
    assert _place(young, "pregnancy_test") is not None
    assert _place(_iv(note, age=62, sex="female"), "pregnancy_test") is None


def test_a_test_p_positive_follows_its_sensitivity_not_the_symptom_base_rate(kb):
    """The urine dipstick is ranked for fever with dysuria and loin pain: with the symptom
    base rate (8% times LR+ 3 to 5) its "yes" looked too unlikely to be worth asking."""
    iv = _iv("发热两天，尿痛，右侧腰痛。", age=30, sex="female")
    assert _place(iv, "urine_nitrite") is not None
    q = iv.questions[_place(iv, "urine_nitrite")]
    assert q.gain > 0.05 and {"uti_cystitis", "pyelonephritis"} & set(q.why)


# ---- the simulation ------------------------------------------------------------------

@pytest.mark.parametrize(("note", "expected"), [
    ("Fever 3 days. Malaria RDT positive.", "yes"),
    ("Fever 3 days. RDT negative.", "no"),
    ("Fever 3 days, chills.", "unknown"),
    ("发热3天，疟疾快速检测阴性。", "no"),
    ("发热3天，寒战。", "unknown"),
])
def test_the_simulation_answers_a_test_the_case_never_reports_unknown(kb, note, expected):
    full = assess(Case(note=note, age_years=25, sex="male"), kb=kb)
    assert answer_from_case(RDT, full, None, kb) == expected


# ---- the CLI contract ------------------------------------------------------------------

def _cli(monkeypatch, capsys, case: dict) -> dict:
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(case)))
    assert main(["interview", "--next"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(("lang", "word"), [("en", "malaria"), ("zh", "疟疾")])
def test_cli_lists_the_rdt_in_the_note_language_and_takes_its_answer(monkeypatch, capsys, lang, word):
    case = {"id": "t1", "age_years": 25, "sex": "male", "pregnant": False, "vitals": {},
            "note": FEVER[lang]}
    out = _cli(monkeypatch, capsys, case)
    rdt = [q for q in out["questions"] if q["finding"] == RDT]
    assert rdt and rdt[0]["kind"] == "measure" and word in rdt[0]["text"].lower()
    assert set(rdt[0]) == {"finding", "text", "kind", "danger_sign", "gain"}
    first = out["differential"][0]
    out = _cli(monkeypatch, capsys, {**case, "answers": [{"finding": RDT, "answer": "no"}]})
    assert not [q for q in out["questions"] if q["finding"] == RDT]
    assert out["differential"][0] != first


def test_a_finding_with_both_ratios_is_expected_at_its_sensitivity(kb):
    """Any finding a condition gives LR+ > 1 > LR- for, not only a test: P(yes | condition)
    in the gain is at least the sensitivity those ratios imply (the symptom base rate times
    LR+ put a sign present in most cases of the condition at a few per cent)."""
    from lantern.clinical.differential import rank
    from lantern.clinical.interview.engine import BASE_RATE, _lr_shifts

    ex = assess(Case(note="Fever for 2 days, burning when passing urine.", age_years=30, sex="female"),
                kb=kb).extraction
    ranked = rank(ex, kb, age_years=30, sex="female", pregnant_context=False, pregnant_flag=None)
    checked = 0
    for cand in ranked[:20]:
        for w in cand.condition.findings:
            if w.lr_neg < 1.0 < w.lr_pos and kb.findings[w.id].kind != "test":
                p_yes = _lr_shifts(w.id, cand.condition, kb)[2]
                assert p_yes >= min(0.95, sensitivity(w.lr_pos, w.lr_neg)) - 1e-9
                checked += sensitivity(w.lr_pos, w.lr_neg) > BASE_RATE * w.lr_pos
    assert checked, "no symptom or sign with both ratios among the conditions in play"


# ---- the glucose of a patient with altered consciousness or fits ------------------------

GLUCOSE_NOTES = [("Wife found him unrousable this morning, responds only to pain.", 58),
                 ("家人发现他早上叫不醒，只对疼痛有反应。", 58),
                 ("Fits for 10 minutes at home.", 3), ("在家抽搐10分钟。", 3)]


@pytest.mark.parametrize(("note", "age"), GLUCOSE_NOTES)
def test_altered_consciousness_or_fits_has_the_glucose_measured_first(note, age):
    """ETAT / IMAI: the glucose of anyone unconscious, confused or convulsing is checked at
    once: within the first two questions (a child's IMCI danger signs keep the head)."""
    iv = _iv(note, age=age, limit=6)
    at = _place(iv, "hypoglycaemia")
    assert at is not None and at < 2, [q.finding for q in iv.questions]
    assert iv.questions[at].screen == "glucose_altered_consciousness"
    assert iv.questions[at].vital == "glucose_mmol_l"


@pytest.mark.parametrize(("note", "age"), GLUCOSE_NOTES)
def test_a_glucose_taken_is_not_asked_again(note, age):
    case = Case(note=note, age_years=age, sex="male", pregnant=None,
                vitals=Vitals(glucose_mmol_l=6.1))
    iv = next_questions(case=case, answers=[], limit=10)
    assert _place(iv, "hypoglycaemia") is None


@pytest.mark.parametrize("note", ["Knee pain after a fall yesterday.", "咳嗽三天。"])
def test_no_glucose_screen_without_altered_consciousness_or_fits(note):
    iv = _iv(note, age=40, limit=40)
    assert not [q for q in iv.questions if q.screen == "glucose_altered_consciousness"]
