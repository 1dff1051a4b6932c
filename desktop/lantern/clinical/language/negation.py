"""Which words of a text a negation covers, for the words that are not findings.

The findings extractor reads the polarity of every finding (:mod:`findings`); the model
wording check also compares the polarity of the other words a line writes ("no plans or
intent", 否认药物、食物过敏史). Both read the same cues (``cues.toml``) with the same scope:

- a pre-negation ("no", "denies", 无, 否认) covers the words after it;
- its scope ends at sentence punctuation, at a scope ender ("but", 伴, "has"), and at a
  comma - unless a list goes on after the comma ("no cough, fever or rash",
  "无呕吐、腹泻或发热"), or the cue is a strong one ("denies fever, chills, cough");
- a word joined to "non" is negated ("non-tender"), and the word just before a
  post-negation that ends its clause ("blood neg.");
- a scope opened inside brackets ends with them ("SpO2 96% (未吸氧), R 20");
- a scope lasts at most ``_WINDOW`` tokens after the cue or the last list word;
- a negation inside a relative clause ("a rash that doesn't blanch, or drowsiness", "a cough
  which has not settled, fever") says what its noun is like: its scope ends at the comma even
  when a list goes on (the list is the noun's, not the negation's).

A slash between a number's unit and the next unit ("20次/分", "200 g/week") is not a list.
"""

from __future__ import annotations

from dataclasses import dataclass

from lantern.clinical.language.tokens import (
    COMMAS,
    HARD_TERMINATORS,
    LIST_CONTINUE,
    PREFIX_NEGATIONS,
    build_cue_trie,
    ends_clause,
    tokenize,
)

__all__ = ["ScopedWord", "negation_scopes"]

_WINDOW = 10         # tokens a scope survives after its cue or its last list word
# a relative word just before a negation ("that doesn't", "which is not", "who has never")
_RELATIVE = frozenset({"that", "which", "who", "whose"})
_RELATIVE_GAP = frozenset({"is", "are", "was", "were", "has", "have", "had", "does", "did", "do", "can",
                           "could", "will", "would", "still"})
_CUES = build_cue_trie()


@dataclass(frozen=True, slots=True)
class ScopedWord:
    text: str          # the token (lower case; one character for Chinese)
    start: int
    end: int
    negated: bool
    cue: bool          # part of a cue (a negation, a scope ender...), not a word of the text


def _cue_at(words: list[str], i: int) -> tuple[int, set[str]]:
    """The longest cue starting at ``words[i]``: (tokens, kinds) or (0, empty)."""
    node: dict | None = _CUES
    best: tuple[int, set[str]] = (0, set())
    j = i
    while j < len(words) and node is not None:
        node = node.get(words[j])
        j += 1
        if node is not None and "" in node:
            best = (j - i, node[""])
    return best


_OPEN, _CLOSE = frozenset("(（[【"), frozenset(")）]】")


def _is_list_word(words: list[str], i: int) -> bool:
    """A list word that goes on with a list ("or", 、, "/"), not "and" (the end of one) and
    not the slash of a unit ("20次/分", "5 mmol/L")."""
    w = words[i]
    if w not in LIST_CONTINUE or w in ("and", "和"):
        return False
    return w != "/" or not any(x[:1].isdigit() for x in words[max(0, i - 2):i])


def _list_ahead(words: list[str]) -> list[bool]:
    """For each token: does a list word follow before the clause ends?"""
    out, seen = [False] * len(words), False
    for i in range(len(words) - 1, -1, -1):
        if words[i] in HARD_TERMINATORS:
            seen = False
        elif _is_list_word(words, i):
            seen = True
        out[i] = seen
    return out


def negation_scopes(text: str) -> list[ScopedWord]:
    """Every token of ``text`` with whether a negation covers it (see the module docstring)."""
    toks = tokenize(text)
    words = [t.text for t in toks]
    ahead = _list_ahead(words)
    negated = [False] * len(words)
    is_cue = [False] * len(words)
    scope: dict | None = None          # {"strong": bool, "until": token index, "depth": brackets}
    clause_start, depth = 0, 0
    i = 0
    while i < len(words):
        w = words[i]
        length, kinds = _cue_at(words, i)
        if length and "pseudo" not in kinds:
            is_cue[i:i + length] = [True] * length
            if kinds & {"neg_weak", "neg_strong"} and "neg_post" in kinds and ends_clause(words, i + length):
                _negate_before(negated, is_cue, i, clause_start)      # "blood neg." / "nil"
            elif kinds & {"neg_weak", "neg_strong"}:
                reach = 0 if w in PREFIX_NEGATIONS else _WINDOW       # "non-itchy": the next word only
                scope = {"strong": "neg_strong" in kinds, "until": i + length + reach, "depth": depth,
                         "relative": _after_relative(words, i, clause_start)}
            elif "neg_post" in kinds:
                if ends_clause(words, i + length):
                    _negate_before(negated, is_cue, i, clause_start)
            elif "conj" in kinds:
                scope = None
            i += length
            continue
        if length:      # a pseudo-negation ("no improvement"): a phrase of its own, not negated
            i += length
            continue
        if w in HARD_TERMINATORS:
            scope, clause_start = None, i + 1
        elif w in COMMAS:
            if scope is not None and (scope["relative"] or not (scope["strong"] or ahead[i])):
                scope = None
            clause_start = i + 1
        elif w in _OPEN or w in _CLOSE:
            depth = max(0, depth + (1 if w in _OPEN else -1))
            if scope is not None and depth < scope["depth"]:
                scope = None
        elif _is_list_word(words, i):
            is_cue[i] = True           # a list word joins words: it is none of them
            if scope is not None:
                scope["until"] = i + _WINDOW
        elif scope is not None:
            if i > scope["until"]:
                scope = None
            else:
                negated[i] = True
        i += 1
    return [ScopedWord(t.text, t.start, t.end, negated[k], is_cue[k]) for k, t in enumerate(toks)]


def _after_relative(words: list[str], i: int, clause_start: int) -> bool:
    """The negation at ``words[i]`` follows a relative word of its clause ("that doesn't",
    "which has not")."""
    k = i - 1
    while k >= clause_start and k >= i - 3 and words[k] in _RELATIVE_GAP:
        k -= 1
    return k >= clause_start and words[k] in _RELATIVE


def _negate_before(negated: list[bool], is_cue: list[bool], i: int, clause_start: int) -> None:
    """A post-negation that ends its clause negates the word just before it."""
    k = i - 1
    while k >= clause_start and is_cue[k]:
        k -= 1
    if k >= clause_start:
        negated[k] = True
