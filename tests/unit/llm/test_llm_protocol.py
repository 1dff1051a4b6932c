"""Wire format, timing figures and the stop-string hold-back used while streaming."""

from __future__ import annotations

from lantern.llm.host import _stop_holdback
from lantern.llm.protocol import Segment, Timings, decode, encode, segments_to_wire


def test_messages_are_single_lines_even_with_newlines_and_unicode():
    msg = {"id": 3, "type": "token", "text": "line1\nline2 发热 <start_of_turn>"}
    raw = encode(msg)
    assert raw.count(b"\n") == 1 and raw.endswith(b"\n")
    assert decode(raw) == msg


def test_segments_keep_their_special_flag():
    wire = segments_to_wire([Segment("<start_of_turn>user\n", special=True), Segment("note")])
    assert wire == [["<start_of_turn>user\n", True], ["note", False]]


def test_timings_speeds():
    t = Timings(prompt_tokens=1000, cached_tokens=900, ttft_s=0.5, generation_s=2.0,
                generated_tokens=41)
    assert t.tokens_per_s == 20.0
    assert t.prompt_tokens_per_s == 200.0
    assert Timings(generated_tokens=1, generation_s=1.0).tokens_per_s == 0.0


def test_stop_holdback_keeps_only_a_possible_stop_prefix():
    assert _stop_holdback("The plan is", ["\n\n"]) == 0
    assert _stop_holdback("The plan\n", ["\n\n"]) == 1
    assert _stop_holdback("answer: EN", ["END", "STOP"]) == 2
    assert _stop_holdback("answer: ST", ["END", "STOP"]) == 2
    assert _stop_holdback("answer: STO", ["END", "STOP"]) == 3
    assert _stop_holdback("x", []) == 0
