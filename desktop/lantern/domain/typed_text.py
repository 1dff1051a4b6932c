"""Text people type or paste, before it is stored: size limit and control characters.

Every text a user gives Lantern (notes, amendments, names, list entries) passes
:func:`clean_text` in the services, whichever way it came (GUI, CLI, import):

* a NUL character is refused: text with NUL bytes is a binary file read by mistake
  (a note of NUL bytes must never be signed);
* other control characters (terminal escape sequences, bells, backspaces, form feeds,
  DEL, the C1 range) are removed: they carry no clinical meaning and could rewrite a
  terminal or a printout when shown; tabs and line breaks stay in multi-line text and
  become spaces in one-line fields;
* a note holds at most :data:`MAX_NOTE_BYTES` (1 MB) of UTF-8.

:func:`printable` is the output side: what a terminal may show of stored text.
"""

from __future__ import annotations

import re

from lantern.domain.errors import ValidationError

MAX_NOTE_BYTES = 1_000_000
MAX_NOTE_TEXT = "1 MB"

_CONTROL = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"\r\n|[\t\r\n]")
# Shown escaped on output: controls, and the bidirectional overrides that can reorder
# what a terminal shows ("Trojan source").
_UNSAFE_OUT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_OUT_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def control_count(text: str) -> int:
    """How many characters :func:`clean_text` would remove from multi-line ``text``."""
    return len(_CONTROL.findall(text))


def clean_text(text: str, *, label: str, multiline: bool = True,
               max_bytes: int = MAX_NOTE_BYTES) -> str:
    """``text`` without control characters; ValidationError for NUL or over the limit."""
    if "\x00" in text:
        raise ValidationError(f"{label} contains NUL characters: it looks like a binary file, "
                              "not text, and was not accepted.")
    if len(text) * 4 > max_bytes and len(text.encode("utf-8")) > max_bytes:
        raise ValidationError(f"{label} is too long: at most {MAX_NOTE_TEXT} of text is "
                              "accepted.")
    text = _CONTROL.sub("", text)
    return text if multiline else _LINE_BREAKS.sub(" ", text)


def printable(text: str, *, single_line: bool = False) -> str:
    """``text`` safe for a terminal: control characters shown as ``\\x1b``-style escapes,
    never interpreted (line breaks and tabs kept unless ``single_line``)."""
    pattern = _UNSAFE_OUT_LINE if single_line else _UNSAFE_OUT
    return pattern.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                       else f"\\u{ord(m.group()):04x}", text)
