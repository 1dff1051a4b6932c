"""Versioned prompt files for summaries."""

from __future__ import annotations

import pytest

from lantern.clinical.summarize.prompts import PromptError, load_prompt, parse_prompt


def test_shipped_summary_prompts_load_with_id_and_version():
    for pid in ("summary_note_section", "summary_note_section_zh", "summary_history_part",
                "referral_letter"):
        prompt = load_prompt(pid)
        assert prompt.id == pid and prompt.version.isdigit()
        assert "{facts}" in prompt.text and prompt.version == "2"
        assert "{note}" in load_prompt(pid, version="1").text     # older versions stay loadable


def test_highest_version_wins_and_exact_version_can_be_asked(tmp_path):
    for v in (1, 2, 10):
        (tmp_path / f"demo.v{v}.txt").write_text(f"id: demo\nversion: {v}\n---\nV{v} {{x}}", encoding="utf-8")
    assert load_prompt("demo", directory=tmp_path).version == "10"
    assert load_prompt("demo", version="2", directory=tmp_path).render(x="a") == "V2 a"
    with pytest.raises(PromptError):
        load_prompt("demo", version="3", directory=tmp_path)


def test_malformed_prompts_are_rejected():
    with pytest.raises(PromptError):
        parse_prompt("id: x\nversion: 1\nno separator")
    with pytest.raises(PromptError):
        parse_prompt("version: 1\n---\nbody")
    with pytest.raises(PromptError, match="missing"):
        parse_prompt("id: x\nversion: 1\n---\n{a} {b}").render(a="1")
