"""The knowledge base in resources/knowledge is valid, and the validator catches errors."""

from __future__ import annotations

import dataclasses
import re
import shutil

import pytest

from lantern.clinical.knowledge import (
    agreed_condition_names,
    knowledge_dir,
    load_knowledge,
    read_knowledge,
    validate_knowledge,
)
from lantern.clinical.knowledge_ids import KnowledgeId
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


def test_triage_rule_with_a_bad_acute_days_is_reported(kb_copy):
    with (kb_copy / "triage_rules.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[[rule]]\nid = "x"\nlevel = "urgent"\nlabel_en = "x"\nlabel_zh = "x"\n'
                 'all = ["fever"]\nacute_days = -3\nsource = "test"\n')
    assert any("rule 'x': acute_days must be a positive number" in p for p in validate_knowledge(kb_copy))


_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _numbers(text: str) -> list[str]:
    return sorted(_NUMBER.findall(text))


def test_chinese_next_steps_and_referral():
    """Every condition has a Chinese translation of its next steps and referral, item by
    item, with the same numbers (doses, thresholds, durations) as the English."""
    problems = []
    for cond in load_knowledge().conditions.values():
        if len(cond.next_steps_zh) != len(cond.next_steps):
            problems.append(f"{cond.id}: {len(cond.next_steps_zh)} Chinese next steps for "
                            f"{len(cond.next_steps)} English")
            continue
        if not cond.refer_zh.strip():
            problems.append(f"{cond.id}: no refer_zh")
            continue
        pairs = list(zip(cond.next_steps, cond.next_steps_zh, strict=True))
        pairs.append((cond.refer, cond.refer_zh))
        for en, zh in pairs:
            if not _CJK.search(zh):
                problems.append(f"{cond.id}: not Chinese: {zh!r}")
            if _numbers(en) != _numbers(zh):
                problems.append(f"{cond.id}: numbers {_numbers(en)} in {en!r} but "
                                f"{_numbers(zh)} in {zh!r}")
    assert not problems, "\n".join(problems)


def test_language_accessors_fall_back_to_english():
    cond = load_knowledge().conditions["pneumonia"]
    assert cond.next_steps_for("zh") == cond.next_steps_zh != cond.next_steps
    assert cond.refer_for("zh") == cond.refer_zh != cond.refer
    assert cond.next_steps_for("en") == cond.next_steps_for() == cond.next_steps
    assert cond.refer_for("en") == cond.refer
    bare = dataclasses.replace(cond, next_steps_zh=(), refer_zh="")
    assert bare.next_steps_for("zh") == cond.next_steps and bare.refer_for("zh") == cond.refer


def test_validator_rejects_chinese_next_steps_of_another_length(kb_copy):
    path = kb_copy / "conditions" / "pneumonia.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index("next_steps_zh = [")
    first_item = text.index("\n  ", start)
    path.write_text(text[:first_item] + text[text.index("\n", first_item + 1):], encoding="utf-8")
    assert any("pneumonia.toml: next_steps_zh has 4 item(s), next_steps has 5" in p
               for p in validate_knowledge(kb_copy))
    with pytest.raises(KnowledgeBaseError):
        load_knowledge(kb_copy)


# --- ids the code names (lantern.clinical.knowledge_ids) ---------------------------------------

def _rename_everywhere(root, old: str, new: str) -> None:
    for path in [*root.glob("*.toml"), *(root / "conditions").glob("*.toml")]:
        text = path.read_text(encoding="utf-8")
        if old in text:
            path.write_text(text.replace(old, new), encoding="utf-8")


def test_renaming_a_finding_the_code_names_fails_validation(kb_copy):
    """Renamed consistently in the data, "hypoxaemia" is still valid data; but the code
    derives it from SpO2 < 90% (the ETAT emergency sign), so the validator must refuse."""
    _rename_everywhere(kb_copy, "hypoxaemia", "hypoxemia")
    kb = read_knowledge(kb_copy)
    assert "hypoxemia" in kb.findings and "hypoxaemia" not in kb.findings
    problems = [p for p in kb.problems if "'hypoxaemia'" in p]
    assert len(problems) == 1, kb.problems
    assert problems[0].startswith("findings.toml: finding id 'hypoxaemia' is missing")
    assert "lantern.clinical.language.vitals.derive" in problems[0]
    with pytest.raises(KnowledgeBaseError, match="hypoxaemia"):
        load_knowledge(kb_copy)


def test_deleting_a_finding_the_extractor_names_fails_validation(kb_copy):
    extra = kb_copy / "findings_extra.toml"
    text = extra.read_text(encoding="utf-8")
    start = text.index('[[finding]]\nid = "mild_pain"')
    end = text.find("[[finding]]", start + 1)
    extra.write_text(text[:start] + (text[end:] if end != -1 else ""), encoding="utf-8")
    problems = [p for p in validate_knowledge(kb_copy) if "the code needs it" in p]
    assert len(problems) == 1
    assert problems[0].startswith("findings_extra.toml: finding id 'mild_pain' is missing")
    assert "lantern.clinical.language.findings" in problems[0]


@pytest.mark.parametrize(("kind", "kid", "file"), [
    ("condition", "pneumonia", "conditions/pneumonia.toml"),
    ("rule", "etat_hypoxaemia", "triage_rules.toml"),
])
def test_deleting_a_condition_or_rule_the_code_names_fails_validation(kb_copy, kind, kid, file):
    """The code names no condition or triage rule today (only findings); the same check
    covers them the day it does. Deleting either passes the validator without a registry."""
    registry = {kid: KnowledgeId(id=kid, kind=kind, file=file, used_by=("lantern.example",),
                                 why="named by the example")}
    if kind == "condition":
        (kb_copy / file).unlink()
    else:
        rules = kb_copy / file
        text = rules.read_text(encoding="utf-8")
        start = text.index(f'[[rule]]\nid = "{kid}"')
        end = text.find("[[rule]]", start + 1)
        rules.write_text(text[:start] + (text[end:] if end != -1 else ""), encoding="utf-8")
    assert validate_knowledge(kb_copy, registry={}) == []
    assert validate_knowledge(kb_copy, registry=registry) == [
        f"{file}: {kind} id {kid!r} is missing, but the code needs it "
        "(lantern.example: named by the example)"]


def test_every_red_flag_has_a_chinese_name():
    """red_flags are finding ids; the Assessment panel shows them ("Watch for: ...") with the
    finding's label in the note's language, so every one needs a Chinese label."""
    kb = load_knowledge()
    flagged = {fid for cond in kb.conditions.values() for fid in cond.red_flags}
    assert sum(1 for cond in kb.conditions.values() if cond.red_flags) >= 60
    missing = sorted(fid for fid in flagged if not _CJK.search(kb.findings[fid].label_zh))
    assert not missing, missing
