"""A simple passphrase strength estimate for the create-vault and user screens.

It counts length and character variety, and punishes the obvious weaknesses
(one repeated character, a run like "12345" or "abcd", a well-known password).
It is feedback to nudge people toward long passphrases, not a guarantee.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication


def _tr(text: str) -> str:
    return QCoreApplication.translate("PassphraseStrength", text)


_COMMON = {
    "password", "passw0rd", "123456789", "12345678", "qwertyuiop", "qwerty123",
    "iloveyou", "letmein1", "welcome1", "admin123", "abc12345", "11111111",
    "password1", "lantern1", "clinic123", "doctor123",
}

# PySide6's stubs type QT_TRANSLATE_NOOP as returning object; it returns its str message
LEVELS: tuple[str, ...] = (  # type: ignore[assignment]
    QT_TRANSLATE_NOOP("PassphraseStrength", "very weak"),
    QT_TRANSLATE_NOOP("PassphraseStrength", "weak"),
    QT_TRANSLATE_NOOP("PassphraseStrength", "fair"),
    QT_TRANSLATE_NOOP("PassphraseStrength", "good"),
    QT_TRANSLATE_NOOP("PassphraseStrength", "strong"),
)


@dataclass(frozen=True, slots=True)
class Strength:
    score: int          # 0..4, index into LEVELS
    bits: float         # rough entropy estimate
    hints: tuple[str, ...]

    @property
    def level(self) -> str:
        return LEVELS[self.score]

    def label(self) -> str:
        """The level, translated."""
        return _tr(LEVELS[self.score])


def _pool_size(text: str) -> int:
    pool = 0
    if any(c.islower() for c in text):
        pool += 26
    if any(c.isupper() for c in text):
        pool += 26
    if any(c.isdigit() for c in text):
        pool += 10
    if any(not c.isalnum() and c.isascii() and c != " " for c in text):
        pool += 32
    if any(not c.isascii() for c in text):
        pool += 100   # CJK and other scripts: a large alphabet
    return max(pool, 1)


def _sequence_run(text: str) -> int:
    """Length of the longest run of consecutive code points (abc, 321)."""
    best = run = 1
    for a, b in zip(text, text[1:], strict=False):
        run = run + 1 if abs(ord(b) - ord(a)) == 1 else 1
        best = max(best, run)
    return best if text else 0


def estimate(passphrase: str) -> Strength:
    text = passphrase
    if not text:
        return Strength(0, 0.0, (QCoreApplication.translate("PassphraseStrength", "Type a passphrase."),))
    hints: list[str] = []
    distinct = len(set(text))
    # Each character adds log2(pool) bits, but repeats add little.
    effective_len = min(len(text), distinct * 2)
    # Letters and spaces only reads like language, which is far from random.
    wordlike = all((c.isascii() and c.isalpha()) or c == " " for c in text)
    bits = effective_len * math.log2(_pool_size(text)) * (0.5 if wordlike else 0.75)
    if text.lower() in _COMMON:
        bits = min(bits, 10)
        hints.append(QCoreApplication.translate("PassphraseStrength", "This is a very common password."))
    if _sequence_run(text) >= 4:
        bits -= 10
        hints.append(QCoreApplication.translate("PassphraseStrength", "Avoid runs like 1234 or abcd."))
    if distinct <= 2:
        bits = min(bits, 8)
    if len(text) < 12:
        hints.append(QCoreApplication.translate("PassphraseStrength", "Use at least 12 characters; several words are easy to remember."))
    words = [w for w in text.replace("-", " ").split() if w]
    if len(words) >= 4:
        bits += 8   # a real multi-word passphrase
    bits = max(bits, 0.0)
    score = 0 if bits < 28 else 1 if bits < 40 else 2 if bits < 56 else 3 if bits < 72 else 4
    if len(text) < 8:
        score = 0
    if score < 3 and not hints:
        hints.append(QCoreApplication.translate("PassphraseStrength", "Add more words or mix in digits and symbols."))
    return Strength(score, round(bits, 1), tuple(hints))
