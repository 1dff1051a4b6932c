"""The language vocabularies in resources/language are valid, and the validator names
the file and the field of every problem."""

from __future__ import annotations

import re
import shutil

import pytest

from lantern.clinical.language import drugs, medications, tokens
from lantern.clinical.language.vocabulary import (
    CUE_LISTS,
    CUE_SETS,
    read_drugs,
    validate_vocabulary,
    vocabulary_dir,
)


def test_shipped_vocabulary_has_no_problems():
    assert validate_vocabulary() == []


def test_code_reads_the_shipped_tables():
    assert "amoxicillin" in drugs.DRUGS["amoxicillin"] and "阿莫西林" in drugs.DRUGS["amoxicillin"]
    assert drugs.canonical_drug("Coartem") == "artemether-lumefantrine"
    assert medications.find_frequencies("500 mg BD") == [("twice daily", 7, 9)]
    assert medications.norm_unit("µg") == "mcg" and medications.ROUTE_ZH["IV"] == "静脉"
    assert "denies" in tokens.NEG_PRE_STRONG and "\n" in tokens.HARD_TERMINATORS


def test_every_cue_phrase_is_made_of_tokens():
    """A cue the tokenizer turns into nothing could never match."""
    for name in CUE_LISTS + CUE_SETS:
        phrases = getattr(tokens, {"pseudo_negation": "PSEUDO_NEG"}.get(name, name.upper()))
        assert phrases, name
        if name not in ("hard_terminators", "commas"):
            assert all(tokens.phrase_tokens(p) for p in phrases), name


@pytest.fixture()
def vocab_copy(tmp_path):
    dst = tmp_path / "language"
    shutil.copytree(vocabulary_dir(), dst)
    return dst


def _edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_missing_field_is_named(vocab_copy):
    _edit(vocab_copy / "drugs.toml", 'id = "gentamicin"\naliases = ["gentamicin", "gent", "庆大霉素"]\n',
          'id = "gentamicin"\n')
    _edit(vocab_copy / "medication_terms.toml", 'canonical = "oral"\nzh = "口服"\n',
          'canonical = "oral"\n')
    problems = validate_vocabulary(vocab_copy)
    assert "drugs.toml: drug 'gentamicin': missing field 'aliases'" in problems
    assert "medication_terms.toml: route 'oral': missing field 'zh'" in problems


def test_missing_source_is_named(vocab_copy):
    path = vocab_copy / "cues.toml"
    path.write_text(re.sub(r'(?m)^source = .*\n', "", path.read_text(encoding="utf-8")), encoding="utf-8")
    assert validate_vocabulary(vocab_copy) == ["cues.toml: missing field 'source'"]


def test_duplicate_alias_is_named(vocab_copy):
    _edit(vocab_copy / "drugs.toml", '"gentamicin", "gent",', '"gentamicin", "gent", "gent",')
    assert validate_vocabulary(vocab_copy) == ["drugs.toml: drug 'gentamicin': aliases lists 'gent' twice"]


def test_alias_of_two_drugs_is_named(vocab_copy):
    _edit(vocab_copy / "drugs.toml", '"gentamicin", "gent",', '"gentamicin", "gent", "amox",')
    assert validate_vocabulary(vocab_copy) == [
        "drugs.toml: alias 'amox' maps to two drugs, 'amoxicillin' and 'gentamicin'"]


def test_empty_list_is_named(vocab_copy):
    path = vocab_copy / "cues.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?ms)^neg_post = \[.*?^\]", "neg_post = []", text), encoding="utf-8")
    path = vocab_copy / "medication_terms.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?ms)(canonical = \"weekly\"\n.*?)^patterns = \[.*?^\]", r"\1patterns = []",
                           text), encoding="utf-8")
    problems = validate_vocabulary(vocab_copy)
    assert problems == ["cues.toml: neg_post is empty",
                        "medication_terms.toml: frequency 'weekly': patterns is empty"]


def test_bad_pattern_and_upper_case_alias_are_named(vocab_copy):
    _edit(vocab_copy / "medication_terms.toml", "'\\bweekly\\b'", "'(weekly'")
    _edit(vocab_copy / "drugs.toml", '"gentamicin", "gent",', '"gentamicin", "Gent",')
    problems = validate_vocabulary(vocab_copy)
    assert any(p.startswith("medication_terms.toml: frequency 'weekly': patterns are not a valid "
                            "regular expression") for p in problems)
    assert "drugs.toml: drug 'gentamicin': alias 'Gent' must be lower case" in problems
    assert len(problems) == 2


def test_a_missing_file_is_named(vocab_copy):
    (vocab_copy / "drugs.toml").unlink()
    problems: list[str] = []
    read_drugs(vocab_copy, problems)
    assert problems[0] == "drugs.toml is missing"


def test_wording_file_problems_are_named(vocab_copy):
    _edit(vocab_copy / "wording.toml", 'hand = ["hand", "hands", "手"]', 'hand = ["hand", "arm", "手"]')
    _edit(vocab_copy / "wording.toml", 'right = ["right", "rt", "r", "右", "右侧"]\n', '')
    problems = validate_vocabulary(vocab_copy)
    assert "wording.toml: body_part: 'arm' is under 'arm' and 'hand'" in problems
    assert "wording.toml: side: missing field 'right'" in problems


def test_the_uncertainty_table_gives_the_finding_cues_and_the_degrees():
    from lantern.clinical.language.vocabulary import load_cues
    cues = load_cues()
    assert {"possible", "疑似", "maybe", "likely"} <= set(tokens.UNCERTAIN)
    assert "differential" not in tokens.UNCERTAIN          # a degree word only
    assert {"likely", "考虑", "most likely"} <= set(cues.degrees["probable"])
    assert {"possible", "疑似", "?", "cannot exclude"} <= set(cues.degrees["possible"])
    assert "maybe" not in cues.degrees["possible"] + cues.degrees["probable"]


def test_a_hedge_in_two_uncertainty_lists_is_named(vocab_copy):
    _edit(vocab_copy / "cues.toml", 'probable = ["most likely",', 'probable = ["possible", "most likely",')
    assert validate_vocabulary(vocab_copy) == [
        "cues.toml: uncertainty: 'possible' is in possible and degree_only.probable"]
