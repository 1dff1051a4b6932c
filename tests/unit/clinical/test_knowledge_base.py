"""The knowledge base in resources/knowledge is valid, and the validator catches errors."""

from __future__ import annotations

import shutil

import pytest

from lantern.clinical.knowledge import (
    agreed_condition_names,
    knowledge_dir,
    load_knowledge,
    read_knowledge,
    validate_knowledge,
)
from lantern.domain.errors import KnowledgeBaseError


def test_shipped_knowledge_base_has_no_problems():
    assert validate_knowledge() == []


def test_shipped_knowledge_base_content():
    kb = load_knowledge()
    agreed = agreed_condition_names()
    assert len(agreed) >= 70
    assert len(kb.conditions) >= 60
    for cond in kb.conditions.values():
        assert cond.name_en == agreed[cond.id]
        assert cond.source.strip() and cond.next_steps and cond.refer
        assert any(w.lr_pos > 1 for w in cond.findings)
    for rule in kb.rules:
        assert rule.source.strip()
    assert kb.version.startswith("1.") and "+" in kb.version


@pytest.fixture()
def kb_copy(tmp_path):
    dst = tmp_path / "knowledge"
    shutil.copytree(knowledge_dir(), dst)
    return dst


def test_validator_rejects_unknown_finding_and_bad_lr(kb_copy):
    path = kb_copy / "conditions" / "pneumonia.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('id = "crackles"\nlr_pos = 5.0', 'id = "no_such_finding"\nlr_pos = 500.0', 1)
    text = text.replace('id = "cough"\nlr_pos = 2.0', 'id = "cough"\nlr_pos = 500.0', 1)
    path.write_text(text, encoding="utf-8")
    problems = validate_knowledge(kb_copy)
    assert any("unknown finding id 'no_such_finding'" in p for p in problems)
    assert any("lr_pos=500.0 out of range" in p for p in problems)
    with pytest.raises(KnowledgeBaseError):
        load_knowledge(kb_copy)


def test_validator_rejects_duplicate_finding_ids_across_lexicon_files(kb_copy):
    extra = kb_copy / "findings_extra.toml"
    with extra.open("a", encoding="utf-8") as fh:
        fh.write('\n[[finding]]\nid = "cough"\nkind = "symptom"\nlabel_en = "C"\nlabel_zh = "咳"\n')
    assert any("duplicate finding id 'cough'" in p for p in validate_knowledge(kb_copy))


def test_validator_rejects_missing_source_wrong_name_and_file_mismatch(kb_copy):
    path = kb_copy / "conditions" / "pneumonia.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('name_en = "Pneumonia"', 'name_en = "Lung thing"')
    text = "\n".join(line for line in text.splitlines() if not line.startswith("source ="))
    path.write_text(text, encoding="utf-8")
    (kb_copy / "conditions" / "other.toml").write_text(
        text.replace('id = "pneumonia"', 'id = "pneumonia2"'), encoding="utf-8")
    problems = validate_knowledge(kb_copy)
    assert any("pneumonia.toml: missing source" in p for p in problems)
    assert any("name_en must be 'Pneumonia'" in p for p in problems)
    assert any("other.toml: id 'pneumonia2' does not match" in p for p in problems)


def test_version_changes_when_content_changes(kb_copy):
    before = read_knowledge(kb_copy).version
    path = kb_copy / "conditions" / "pneumonia.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("prior = 0.05", "prior = 0.051"),
                    encoding="utf-8")
    assert read_knowledge(kb_copy).version != before


def test_triage_rule_with_unknown_finding_is_reported(kb_copy):
    with (kb_copy / "triage_rules.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[[rule]]\nid = "x"\nlevel = "urgent"\nlabel_en = "x"\nlabel_zh = "x"\n'
                 'all = ["nonexistent"]\nsource = "test"\n')
    assert any("rule 'x': unknown finding id 'nonexistent'" in p for p in validate_knowledge(kb_copy))
