"""Broader / narrower findings (SCHEMA.md §2b): the relation is valid knowledge-base data,
the guided consultation never asks what it already answers, and the simulation answers
through it."""

from __future__ import annotations

import shutil

from lantern.clinical.broader import implied, narrower_of, read_broader
from lantern.clinical.interview import Answer, Interview, next_questions
from lantern.clinical.interview.simulation import answer_from_case
from lantern.clinical.knowledge import knowledge_dir, load_knowledge, read_knowledge
from lantern.clinical.pipeline import assess, parse_case

IDS = ["a", "b", "c", "d"]


def _read(*tables: dict) -> tuple[dict, list[str]]:
    problems: list[str] = []
    return read_broader([("findings_x.toml", t) for t in tables], IDS, problems), problems


def test_the_relation_is_transitive_and_its_inverse_too():
    rel, problems = _read({"id": "a", "family": "f", "narrower": ["b"]},
                          {"id": "b", "family": "f", "narrower": ["c", "d"]})
    assert problems == []
    assert rel == {"b": {"a"}, "c": {"a", "b"}, "d": {"a", "b"}}
    assert narrower_of(rel) == {"a": {"b", "c", "d"}, "b": {"c", "d"}}


def test_unknown_ids_missing_family_self_links_and_cycles_are_problems():
    _, problems = _read({"id": "zz", "family": "f", "narrower": ["a"]},
                        {"id": "a", "narrower": ["yy"]},
                        {"id": "b", "family": "f", "narrower": ["b"]},
                        {"id": "c", "family": "f", "narrower": []})
    assert any("broader 'zz': unknown finding id" in p for p in problems)
    assert any("missing family" in p for p in problems)
    assert any("unknown narrower finding id 'yy'" in p for p in problems)
    assert any("cannot be narrower than itself" in p for p in problems)
    assert any("non-empty list" in p for p in problems)
    _, cycle = _read({"id": "a", "family": "f", "narrower": ["b"]},
                     {"id": "b", "family": "f", "narrower": ["c"]},
                     {"id": "c", "family": "f", "narrower": ["a"]})
    assert any("cycle through" in p for p in cycle)


def test_a_cycle_in_the_shipped_files_fails_validation(tmp_path):
    dst = tmp_path / "knowledge"
    shutil.copytree(knowledge_dir(), dst)
    with (dst / "findings_broader.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[[broader]]\nid = "very_high_fever"\nfamily = "wrong way round"\n'
                 'narrower = ["fever"]\n')
    assert any("cycle through" in p for p in read_knowledge(dst).problems)


def test_the_shipped_relation_covers_the_families():
    kb = load_knowledge()
    for narrow, broad in [("rlq_pain", "abdominal_pain"), ("epigastric_pain", "abdominal_pain"),
                          ("hunger_pain", "abdominal_pain"), ("productive_cough", "cough"),
                          ("pink_frothy_sputum", "cough"), ("very_high_fever", "fever"),
                          ("thunderclap_headache", "headache"), ("nosebleed", "mucosal_bleeding"),
                          ("vaginal_spotting", "vaginal_bleeding"), ("petechiae", "rash"),
                          ("severe_respiratory_distress", "difficult_breathing"),
                          ("convulsing_now", "convulsions"), ("rice_water_stool", "diarrhoea")]:
        assert broad in kb.broader[narrow], (narrow, broad)
    assert {"productive_cough", "chronic_cough", "copious_sputum"} <= kb.narrower["cough"]
    # nothing is narrower than itself, through any chain
    assert all(fid not in bs for fid, bs in kb.broader.items())


def test_implied_keeps_what_is_said_of_a_narrower_finding():
    kb = load_knowledge()
    yes, no = implied({"rlq_pain"}, {"abdominal_pain", "cough"},
                      broader=kb.broader, narrower=kb.narrower)
    assert "abdominal_pain" in yes and "abdominal_pain" not in no
    assert {"productive_cough", "haemoptysis"} <= no


def _ask(answers: list[Answer], note: str, age: float = 30, sex: str = "female") -> Interview:
    return next_questions(case=parse_case({"note": note, "age_years": age, "sex": sex}),
                          answers=answers, limit=80)


def test_a_broader_finding_a_narrower_answer_implies_is_not_asked():
    # without the relation "abdominal pain?" came first after "lower abdominal pain: yes"
    iv = _ask([Answer("lower_abdominal_pain", "yes")], "Seen today.")
    asked = [q.finding for q in iv.questions]
    assert asked and "abdominal_pain" not in asked
    iv = _ask([Answer("convulsing_now", "yes")], "Brought in by the family.")
    assert "convulsions" not in [q.finding for q in iv.questions]


def test_a_no_to_the_broader_finding_removes_its_narrower_questions():
    note = "Abdominal pain? Seen today."
    narrower = set(load_knowledge().narrower["abdominal_pain"])
    # with the pain in the note, where it lies is asked ...
    assert narrower & {q.finding for q in _ask([], note).questions}
    # ... and with the pain answered "no", nothing about a kind of it is
    after_no = [q.finding for q in _ask([Answer("abdominal_pain", "no")], note).questions]
    assert after_no and not narrower & set(after_no)
    after_no = [q.finding for q in _ask([Answer("convulsions", "no")], "Brought in by the family.").questions]
    assert after_no and "convulsing_now" not in after_no


def test_a_barking_cough_is_a_cough_for_the_childrens_cough_screen():
    iv = next_questions(case=parse_case({"note": "Barky noisy breathing at night.", "age_years": 2}),
                        answers=[Answer("barking_cough", "yes")], limit=8)
    assert "chest_indrawing" in [q.finding for q in iv.questions]


def _full(note: str):
    return assess(parse_case({"note": note, "age_years": 30, "sex": "female"}))


def test_the_simulation_answers_through_the_relation():
    kb = load_knowledge()
    rlq = _full("Pain in the right iliac fossa since last night, tender at McBurney's point.")
    assert [f.id for f in rlq.extraction.findings] == ["rlq_pain"]
    assert answer_from_case("abdominal_pain", rlq, None, kb) == "yes"     # a narrower one is present
    no_cough = _full("Fever for two days. No cough.")
    assert answer_from_case("productive_cough", no_cough, None, kb) == "no"   # a broader one is negated
    cough = _full("Cough for three days.")
    assert [f.id for f in cough.extraction.findings] == ["cough"]
    assert answer_from_case("productive_cough", cough, None, kb) == "unknown"  # silent on the kind
    assert answer_from_case("cough", cough, None, kb) == "yes"
    assert answer_from_case("wheeze", cough, None, kb) == "no"            # unrelated, not written
    assert answer_from_case("fever", no_cough, None, kb) == "yes"
