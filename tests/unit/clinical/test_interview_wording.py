"""Question wording and screens as data (issue 15): every id a knowledge-base finding,
EN and ZH present, and every answer sentence read back by the language layer."""

from __future__ import annotations

import math
from collections import defaultdict

import pytest

from lantern.clinical.interview import answer_sentence
from lantern.clinical.interview.screens import load_screens, read_screens, validate_screens
from lantern.clinical.interview.wording import (
    load_wordings,
    read_wordings,
    validate_wordings,
    wording,
)
from lantern.clinical.knowledge import load_knowledge
from lantern.clinical.language.findings import extract_findings
from lantern.domain.errors import ValidationError
from lantern.domain.records import Vitals


@pytest.fixture(scope="module")
def kb():
    return load_knowledge()


def test_the_questions_file_is_valid(kb):
    assert validate_wordings(kb) == []
    for w in read_wordings().values():
        assert w.finding in kb.findings and w.en.strip() and w.zh.strip()
        assert w.kind in ("ask", "look", "measure")
        # a measure fills a vitals field, or is a bedside test read positive / negative
        bedside_test = w.vital is None and kb.findings[w.finding].kind == "test"
        assert (w.kind == "measure") == (w.vital in Vitals.__slots__ or bedside_test)


def test_a_bad_entry_is_reported(kb, tmp_path):
    path = tmp_path / "questions.toml"
    path.write_text('[[question]]\nfinding = "no_such"\nkind = "ask"\nen = "?"\nzh = ""\n\n'
                    '[[question]]\nfinding = "fever"\nkind = "measure"\nen = "x"\nzh = "x"\n\n'
                    '[[question]]\nfinding = "cough"\nkind = "ask"\nen = "x"\nzh = "x"\n'
                    'no_en = "Coughing."\n', encoding="utf-8")
    problems = validate_wordings(kb, path)
    assert "questions.toml: 'no_such': not a knowledge-base finding" in problems
    assert "questions.toml: 'no_such': missing zh" in problems
    assert any(p.startswith("questions.toml: 'fever': a measure without vital must be a bedside test") for p in problems)
    assert any("no_en 'Coughing.' does not read back as the finding absent" in p for p in problems)


def test_screens_cite_sources_and_name_kb_findings(kb):
    assert validate_screens(kb) == []
    ids = {s.id for s in read_screens()}
    assert {"imci_general_danger_signs", "etat_emergency_signs", "obstetric_danger_signs",
            "imai_quick_check"} <= ids
    assert all("WHO" in s.source for s in load_screens())


def test_danger_signs_and_the_heaviest_findings_have_written_wording(kb):
    written = load_wordings()
    for screen in load_screens():
        assert set(screen.findings) <= set(written), screen.id
    weight: dict[str, float] = defaultdict(float)
    for cond in kb.conditions.values():
        for w in cond.findings:
            weight[w.id] += abs(math.log(w.lr_pos)) + abs(math.log(w.lr_neg)) + abs(math.log(w.lr_absent))
    heaviest = [f for f in sorted(weight, key=lambda f: -weight[f])
                if kb.findings[f].kind != "test"][:150]
    missing = [f for f in heaviest if f not in written]
    assert missing == []


def test_a_finding_without_an_entry_gets_a_generated_question(kb):
    fid = next(f for f, d in kb.findings.items()
               if f not in load_wordings() and d.kind == "symptom")
    w = wording(fid, kb)
    label = kb.findings[fid]
    assert w is not None and w.generated and w.kind == "ask"
    assert w.en.startswith("Is there ") and w.en.endswith("?")
    assert w.zh == f"有无{label.label_zh}？"


@pytest.mark.parametrize("finding,answer,lang,sentence", [
    ("neck_stiffness", "no", "en", "No neck stiffness."),
    ("neck_stiffness", "no", "zh", "无颈项强直。"),
    ("neck_stiffness", "yes", "zh", "颈项强直。"),
    ("unable_to_drink", "no", "en", "Able to drink or breastfeed."),
    ("unable_to_drink", "yes", "zh", "不能喝水或吃奶。"),
    ("lethargic", "no", "en", "Not lethargic."),
    ("high_fever", "yes", "en", "temp_c"),        # a measurement: the field to fill
    ("fast_breathing", "no", "zh", "resp_rate"),
    ("cough", "unknown", "en", ""),               # nothing is written for "unknown"
])
def test_answer_sentences(finding, answer, lang, sentence):
    assert answer_sentence(finding, answer, lang) == sentence


def test_every_written_question_has_sentences_that_read_back(kb):
    for fid, w in load_wordings().items():
        if w.kind == "measure":
            continue
        for lang in ("en", "zh"):
            for answer in ("yes", "no"):
                text = answer_sentence(fid, answer, lang)
                got = {f.id: f for f in extract_findings(text, age_years=30.0, kb=kb).findings}
                assert fid in got and got[fid].negated == (answer == "no"), (fid, lang, text)


def test_bad_answer_sentence_input():
    with pytest.raises(ValidationError, match="unknown finding id 'nope'"):
        answer_sentence("nope", "yes", "en")
    with pytest.raises(ValidationError, match="answer must be one of yes, no, unknown"):
        answer_sentence("cough", "Y", "en")
