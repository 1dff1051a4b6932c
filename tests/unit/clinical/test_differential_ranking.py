"""Naive-Bayes differential: ranking, applicability, negation, scores."""

from __future__ import annotations

from lantern.clinical.differential import applicable, rank
from lantern.clinical.knowledge import load_knowledge
from lantern.clinical.language.findings import extract_findings


def _rank(note, *, age=30, sex=None, pregnant=None, vitals=None):
    kb = load_knowledge()
    ex = extract_findings(note, vitals=vitals, age_years=age, sex=sex, pregnant=pregnant, kb=kb)
    preg = bool(pregnant) or "pregnant" in ex.present()
    return rank(ex, kb, age_years=age, sex=sex, pregnant_context=preg, pregnant_flag=pregnant)


def _ids(cands, n=3):
    return [c.condition.id for c in cands[:n]]


def test_scores_are_probabilities_and_sorted():
    cands = _rank("cough, fever, crackles, RR 30")
    scores = [c.score for c in cands]
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert [c.log_odds for c in cands] == sorted((c.log_odds for c in cands), reverse=True)


def test_classic_presentations_rank_first():
    assert _ids(_rank("fever, chills, headache, mRDT positive"), 1) == ["malaria_uncomplicated"]
    assert _ids(_rank("cough 1 month, night sweats, weight loss, haemoptysis"), 1) == ["tuberculosis"]
    assert _ids(_rank("2yo cough, chest indrawing, RR 50", age=2), 1) == ["severe_pneumonia"]
    assert _ids(_rank("cough, fever, RR 46", age=2), 1) == ["pneumonia"]


def test_negated_finding_lowers_the_score():
    with_rdt = {c.condition.id: c.score for c in _rank("fever, chills, RDT positive")}
    without = {c.condition.id: c.score for c in _rank("fever, chills, RDT negative")}
    assert without["malaria_uncomplicated"] < with_rdt["malaria_uncomplicated"] / 5
    against = next(c for c in _rank("fever, chills, RDT negative")
                   if c.condition.id == "malaria_uncomplicated").evidence_against
    assert any(e.finding.id == "malaria_rdt_positive" and e.finding.negated for e in against)


def test_evidence_for_carries_note_spans():
    note = "fever, chills, RDT positive"
    top = _rank(note)[0]
    assert top.evidence_for
    for ev in top.evidence_for:
        assert note[ev.finding.span.start:ev.finding.span.end] == ev.finding.span.text
        assert ev.lr > 1


def test_applicability_by_age_sex_and_pregnancy():
    kb = load_knowledge()
    bronchiolitis, hypertension = kb.conditions["bronchiolitis"], kb.conditions["hypertension"]
    assert applicable(bronchiolitis, age_years=1, sex=None, pregnant_context=False, pregnant_flag=None)
    assert not applicable(bronchiolitis, age_years=30, sex=None, pregnant_context=False,
                          pregnant_flag=None)
    assert not applicable(hypertension, age_years=5, sex=None, pregnant_context=False,
                          pregnant_flag=None)
    # unknown age: everything age-limited still applies
    assert applicable(bronchiolitis, age_years=None, sex=None, pregnant_context=False,
                      pregnant_flag=None)
    ids = {c.condition.id for c in _rank("headache", age=30, sex="male")}
    assert not ids & {"pre_eclampsia", "ectopic_pregnancy", "postpartum_haemorrhage"}


def test_no_findings_means_low_scores():
    cands = _rank("", age=30)
    assert cands and max(c.score for c in cands) < 0.2
