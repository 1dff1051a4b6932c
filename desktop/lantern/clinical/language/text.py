"""Small text helpers shared by the summary parsers: language guess, spans,
sentence splitting and the normalisation used when comparing facts."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from lantern.clinical.language.tokens import Span

__all__ = ["Span", "clean_line", "detect_lang", "looks_supported", "nfkc", "split_sentences", "strip_control_tokens"]
_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")


def detect_lang(text: str) -> str:
    """``"zh"`` when Chinese characters make up a real share of the letters, else ``"en"``."""
    cjk = len(_CJK.findall(text))
    latin_words = len(re.findall(r"[A-Za-z]{2,}", text))
    if cjk == 0:
        return "en"
    # A Chinese character carries roughly a word's worth of meaning: compare with words.
    return "zh" if cjk >= latin_words else "en"


_EN_FUNCTION_WORDS = frozenset(
    "the and with of to in is was for has had since no not on at he she his her this that after "
    "but from by are were been it an who says said".split())


def looks_supported(note: str) -> bool:
    """English or Chinese prose (a long lay note with few findings is still a supported
    language): CJK characters, or at least two English function words."""
    if sum(1 for ch in note if "\u4e00" <= ch <= "\u9fff") >= 4:
        return True
    return len({w for w in note.lower().split() if w.strip(".,;:!?()") in _EN_FUNCTION_WORDS}) >= 2


def nfkc(text: str) -> str:
    """Fold full-width digits/letters/punctuation (５００ｍｇ, ：) to their ASCII forms."""
    return unicodedata.normalize("NFKC", text)


_SENTENCE_END = re.compile(r"(?<=[.!?。！？；;])\s+|(?<=[。！？；])|\n+")
_ABBREV_END = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|e\.g|i\.e|approx|vs|no|Pt|pt|O/E|Inj|Tab|Tabs|Cap|Caps|Syr|Susp|Amp)\.$|"
                         r"(?<![A-Za-z0-9])[A-Z]\.$", re.I)   # ("1g." ends a sentence: a dose, not an initial)


def split_sentences(text: str, offset: int = 0) -> list[tuple[str, int, int]]:
    """Split into ``(sentence, start, end)`` with offsets into the original text.

    Decimal points ("37.5") and common abbreviations do not end a sentence.
    """
    out: list[tuple[str, int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        piece = text[start:match.start()]
        if piece.strip() and _ABBREV_END.search(piece.rstrip()):
            continue
        _push(out, text, start, match.start(), offset)
        start = match.end()
    _push(out, text, start, len(text), offset)
    return out


def _push(out: list, text: str, start: int, end: int, offset: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    lead = len(piece) - len(piece.lstrip())
    s = start + lead
    out.append((stripped, offset + s, offset + s + len(stripped)))


def clean_line(text: str) -> str:
    """Collapse whitespace and strip list bullets and trailing separators."""
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"^(?:[-*•·]|\d+[.)]\s)\s*", "", text)
    return text.strip(" ;,，；")


def strip_control_tokens(text: str) -> str:
    """Render chat-template markers inert for display inside prompts.

    The note is data: markers such as ``<start_of_turn>`` or ``<|im_start|>`` are
    broken up so a model cannot read them as its own control tokens.
    """
    text = re.sub(r"<\|?\s*/?\s*([A-Za-z_]+)\s*\|?>", r"‹\1›", text)
    return text.replace("[INST]", "‹INST›").replace("[/INST]", "‹/INST›")


def word_alternation(words: Iterable[str]) -> str:
    """One regular-expression alternation of ``words``, longest first: an English word is
    matched whole (no letter right before or after it), any other wording as written."""
    return "|".join(rf"(?<![a-z]){re.escape(w)}(?![a-z])" if w.isascii() and w[0].isalpha() else re.escape(w)
                    for w in sorted(words, key=len, reverse=True))
