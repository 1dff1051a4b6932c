"""`lantern interview --next / --simulate` (issue 15 item 3): the exact contract, batch
mode, bad input."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from lantern.cli import main

KEYS = ["id", "questions", "triage", "differential"]
QUESTION_KEYS = ["finding", "text", "kind", "danger_sign", "gain"]
ROOT = Path(__file__).resolve().parents[3]


def _run(monkeypatch, capsys, stdin: str, *args: str) -> tuple[int, list[dict], str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["interview", *args])
    captured = capsys.readouterr()
    return code, [json.loads(line) for line in captured.out.splitlines() if line.strip()], \
        captured.err


def test_next_writes_exactly_the_contract(monkeypatch, capsys):
    case = {"id": "c1", "age_years": 2, "sex": "male", "pregnant": False,
            "vitals": {"temp_c": 38.6}, "note": "Cough for 3 days.",
            "answers": [{"finding": "unable_to_drink", "answer": "no"},
                        {"finding": "chest_indrawing", "answer": "yes"}]}
    code, [out], _ = _run(monkeypatch, capsys, json.dumps(case), "--next")
    assert code == 0
    assert list(out) == KEYS and out["id"] == "c1"
    assert out["triage"] == "emergency"      # the chest indrawing answer is applied
    assert out["differential"][0]["condition_id"] == "severe_pneumonia"
    assert all(list(q) == QUESTION_KEYS for q in out["questions"])
    first = out["questions"][0]     # the general danger signs not answered, as one question
    assert {k: v for k, v in first.items() if k != "gain"} == {
        "finding": "group:imci_general_danger_signs",
        "text": "Any of these: vomits everything, convulsions (fits), lethargic or unconscious?",
        "kind": "ask", "danger_sign": True}
    assert isinstance(first["gain"], float) and first["gain"] >= 0.0
    asked = {q["finding"] for q in out["questions"]}
    assert not asked & {"unable_to_drink", "chest_indrawing", "cough"}
    # the same differential as `lantern diagnose` with the answer written into the note
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(
        {**case, "note": case["note"] + " Chest indrawing. Able to drink.", "answers": None})))
    main(["diagnose", "--no-llm"])
    diagnosed = json.loads(capsys.readouterr().out)
    assert [d["condition_id"] for d in diagnosed["differential"]] == \
        [d["condition_id"] for d in out["differential"]]


def test_text_is_in_the_notes_language(monkeypatch, capsys):
    case = {"id": "z", "age_years": 3, "note": "咳嗽三天。"}
    _, [out], _ = _run(monkeypatch, capsys, json.dumps(case, ensure_ascii=False), "--next")
    texts = {q["finding"]: q["text"] for q in out["questions"]}
    assert texts["group:imci_general_danger_signs"] == (
        "有没有以下任何一种情况：不能喝水或吃奶、吃什么吐什么、抽搐（抽风）、嗜睡或昏迷？")
    # answered "unknown", the group's signs are asked one by one
    case["answers"] = [{"finding": "group:imci_general_danger_signs", "answer": "unknown"}]
    _, [out], _ = _run(monkeypatch, capsys, json.dumps(case, ensure_ascii=False), "--next")
    texts = {q["finding"]: q["text"] for q in out["questions"]}
    assert texts["unable_to_drink"] == "孩子是不是不能喝水或吃奶？"
    assert texts["altered_consciousness"] == "是否嗜睡、意识模糊或昏迷（不完全清醒）？"


def test_batch_gives_per_line_errors_and_goes_on(monkeypatch, capsys):
    lines = [
        json.dumps({"id": 1, "age_years": 30, "note": "fever",
                    "answers": [{"finding": "not_a_finding", "answer": "yes"}]}),
        "{broken",
        json.dumps({"id": 3, "age_years": 30, "note": "fever",
                    "answers": [{"finding": "fever", "answer": "perhaps"}]}),
        json.dumps({"id": 4, "age_years": 30, "note": "fever", "answers": {"fever": "yes"}}),
        json.dumps({"id": 5, "age_years": 30, "note": "fever",
                    "answers": [{"finding": "convulsions", "answer": "yes"},
                                {"finding": "convulsions", "answer": "no"}]}),
    ]
    code, outs, _ = _run(monkeypatch, capsys, "\n".join(lines) + "\n", "--next", "--batch")
    assert code == 0 and [o["id"] for o in outs] == [1, None, 3, 4, 5]
    assert outs[0] == {"id": 1, "error": "answers[0]: unknown finding id 'not_a_finding'"}
    assert outs[1]["error"].startswith("invalid JSON")
    assert outs[2] == {"id": 3, "error": "answers[0]: answer must be one of yes, no, unknown"}
    assert outs[3]["error"] == "answers must be a list of {finding, answer} objects"
    assert list(outs[4]) == KEYS and outs[4]["triage"] == "routine"   # the later "no" wins
    assert "convulsions" not in {q["finding"] for q in outs[4]["questions"]}


def test_single_bad_input_exits_non_zero(monkeypatch, capsys):
    code, [out], _ = _run(monkeypatch, capsys, "", "--next")
    assert code == 1 and out == {"id": None, "error": "no input: expected one JSON object"}
    code, [out], _ = _run(monkeypatch, capsys, json.dumps({"id": 7, "age_years": -3}), "--next")
    assert code == 1 and out["error"] == "age_years must be between 0 and 125"


def test_a_note_that_answers_everything_gives_an_empty_list(monkeypatch, capsys):
    case = {"id": "full", "age_years": 30, "sex": "male", "note": "Cough.", "answers": []}
    for _ in range(200):
        _, [out], _ = _run(monkeypatch, capsys, json.dumps(case), "--next", "--limit", "20")
        if not out["questions"]:
            break
        case["answers"] += [{"finding": q["finding"], "answer": "no"} for q in out["questions"]]
    assert out["questions"] == [] and list(out) == KEYS


def test_simulate_prints_its_figures_through_the_installed_command(tmp_path):
    cases = [
        {"id": "s1", "age_years": 2, "sex": "male", "note": "Cough for 3 days. Chest indrawing.",
         "expected": {"conditions": ["severe_pneumonia"], "triage": "emergency"}},
        {"id": "s2", "age_years": 30, "sex": "female",
         "note": "Burning on passing urine for 2 days. Frequency, no fever.",
         "expected": {"conditions": ["uti_lower"], "triage": "routine"}},
    ]
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(json.dumps(c) for c in cases) + "\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "lantern", "interview", "--simulate", str(path)],
                          capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(ROOT / "desktop"), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("cases 2;")
    assert "emergencies reaching emergency within 6 answers: 1/1 (100.0%)" in proc.stdout
    assert any(line.startswith("children under 5 with every unknown general danger sign")
               and line.endswith("1/1 (100.0%)") for line in lines)
    bad = subprocess.run([sys.executable, "-m", "lantern", "interview", "--simulate",
                          str(tmp_path / "missing.jsonl")], capture_output=True, text=True,
                         timeout=120, env={"PYTHONPATH": str(ROOT / "desktop"), "PATH": "/usr/bin:/bin"})
    assert bad.returncode != 0 and "cannot read the set file" in bad.stderr
