"""Longest-match phrase lookup over tokens, with cheap typo tolerance.

A trie of token sequences built from the findings lexicon (English and
Chinese). Matching walks the trie from each token, so extraction is linear in
the note length times the longest phrase (a few tokens).

Typo tolerance: an unknown word of >= 6 letters is mapped to a lexicon word at
edit distance 1 (symmetric-delete index), if exactly one such word exists. An
everyday English word is never "corrected" into another word ("washing" is not
"wasting"), except into its other spelling ("diarrhea" -> "diarrhoea", "edema" ->
"oedema"): the word list is data (``resources/language/english_words.txt``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from lantern.clinical.language.tokens import COPULAS, SIDE_WORDS, Token, phrase_tokens
from lantern.clinical.language.vocabulary import load_english_words

_END = ""
_MIN_FUZZY = 6
# Everyday words that sit one edit away from lexicon words.
_NO_FUZZ = frozenset({
    "father", "mother", "sister", "brother", "should", "before", "little", "better",
    "bitter", "things", "started", "stated", "states", "writes", "caught", "bought",
    "taught", "fought", "rough", "though", "tought", "taking", "making", "having", "waking",
    "coughs", "cought", "change", "chance", "charge", "others", "thinks", "drinks", "drinking",
    "eating", "sleeps", "feeding", "weekly", "weeks", "wheels", "family", "around", "ground",
    "wounds", "sounds", "pounds", "rounds", "passed", "pasted", "tested", "rested", "posted",
    "breast", "breath", "breathe", "brought", "through", "inside", "beside",
    # Real English words one edit away from a lexicon word: a typo fix would turn them
    # into a finding ("lasting 7 days" -> wasting, "scratchy throat" -> scratch wound,
    # "sharing a room" -> shaking, "switching meds" -> twitching, "fasting glucose" -> wasting).
    "fasting", "fasted", "pasting", "basting",
    "lasting", "waiting", "wanting", "tasting", "casting", "listing", "listed", "testing",
    "scratchy", "sharing", "switching", "trying", "linked", "linking", "points", "material",
    "matter", "matches", "letter", "rights", "nights", "height", "bother", "market", "marker",
    "marking", "related", "ending", "pending", "sending", "binding", "heading", "leading",
    "calling", "failing", "filling", "folding", "seeking", "looked", "trusted", "printing",
    "tracing", "shipped", "deferred", "preferred", "formal", "rarely", "popular", "flushing",
    "crashes", "prevent", "insert", "inject", "inspect", "enable", "usable", "attach",
    "signing", "saving", "cleaning", "contract", "contacted", "property", "created",
    "strings", "writing", "second", "patent", "advance", "supply", "corner", "angles",
    "bloods", "sweeping", "atomic", "stream", "thread", "threads", "version", "paused",
    "nested", "worked", "workers", "tables", "finder", "killed", "pushing", "closes",
    # "prostrate" is the common misspelling of prostate ("prostrate enlargement"); the
    # prostration lexicon lists its own "is prostrate" phrases.
    "prostrate",
    # "dewormed 1 year ago" is not "deformed": deworming words are not in the general list.
    "dewormed", "deworming", "deworm",
    # a possessive without its apostrophe ("the child's mother" -> "childs") is no "chills"
    "childs",
})


# Chinese degree / manner modifiers that clinicians slip inside a phrase
# ("下腹剧痛", "体重明显下降", "皮肤弹性回缩非常慢"), and the colloquial ones of
# informal notes ("呼吸好快", "嘴唇有点紫", "烧得挺厉害"). Inside a phrase (never
# at its start) a run of up to three of these characters may be skipped when
# the phrase cannot continue otherwise.
CJK_MODIFIERS = frozenset("剧烈明显轻稍微隐阵发性持续部较重严很非常极度突然反复胀绞刺钝闷加好挺太特别比有点些略均亦")
# ... the English verbs "to be" ("chest was clear" is "chest clear"; cues.toml copulas)
# and the side of the body ("pain in L testicle", "absent R cremasteric reflex"; side_words)
PHRASE_GAPS = CJK_MODIFIERS | COPULAS | SIDE_WORDS
_MAX_SKIP = 3


def spelling_key(word: str) -> str:
    """British and American spellings and doubled letters folded together ("oedema" and
    "edema", "haemoglobin" and "hemoglobin", "ibuprophen" and "ibuprofen")."""
    word = word.lower().replace("ph", "f").replace("y", "i").replace("ae", "e").replace("oe", "e")
    return re.sub(r"(.)\1+", r"\1", word)


def one_edit(a: str, b: str) -> bool:
    """True if a and b differ by one insertion, deletion, substitution or adjacent swap."""
    if a == b or abs(len(a) - len(b)) > 1:
        return a == b
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1:] == b[i + 1:] or (a[i:i + 2] == b[i:i + 2][::-1] and a[i + 2:] == b[i + 2:])
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return longer[i + 1:] == shorter[i:]


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


class PhraseIndex:
    """Maps token sequences to payload sets (e.g. finding ids)."""

    def __init__(self) -> None:
        self._trie: dict = {}
        self._vocab: set[str] = set()
        self._fuzzy: dict[str, set[str]] = {}
        self._fix_cache: dict[str, str | None] = {}

    def add(self, phrase: str, payload: str) -> None:
        self.add_tokens(phrase_tokens(phrase), payload)

    def add_tokens(self, toks: tuple[str, ...], payload: str) -> None:
        """Add a phrase already split into tokens (a lexicon phrase's variant)."""
        if not toks:
            return
        node = self._trie
        for t in toks:
            node = node.setdefault(t, {})
            self._vocab.add(t)
        node.setdefault(_END, set()).add(payload)

    def freeze(self) -> None:
        """Build the typo index once all phrases are added."""
        for word in self._vocab:
            if len(word) >= _MIN_FUZZY and word.isalpha() and word.isascii():
                for key in _deletes(word) | {word}:
                    self._fuzzy.setdefault(key, set()).add(word)

    def normalise(self, word: str) -> str:
        """The lexicon spelling of ``word`` (itself if known or not fixable)."""
        if word in self._vocab or len(word) < _MIN_FUZZY or word in _NO_FUZZ:
            return word
        if word in self._fix_cache:
            return self._fix_cache[word] or word
        fixed = None
        if word.isalpha() and word.isascii():
            cands: set[str] = set(self._fuzzy.get(word, ()))
            for key in _deletes(word):
                cands |= self._fuzzy.get(key, set())
            cands = {c for c in cands if one_edit(word, c)}
            if word in load_english_words():
                # a real word stays itself, unless the lexicon has it in its other spelling
                cands = {c for c in cands if spelling_key(c) == spelling_key(word)}
            if len(cands) == 1:
                fixed = next(iter(cands))
        if len(self._fix_cache) < 50_000:
            self._fix_cache[word] = fixed
        return fixed or word

    def match_at(self, words: Sequence[str], i: int) -> tuple[int, set[str]]:
        """Longest match starting at ``words[i]``: (length, payloads) or (0, empty)."""
        length, payloads, _ = self.match_gapped(words, i, skip=frozenset())
        return length, payloads

    def match_gapped(self, words: Sequence[str], i: int, skip: frozenset[str] = PHRASE_GAPS
                     ) -> tuple[int, set[str], list[int]]:
        """Like :meth:`match_at`, but inside a phrase a run of up to ``_MAX_SKIP``
        tokens from ``skip`` may be jumped over when the phrase goes on after it (also when
        the skipped word could start a longer branch that then fails: "pain in L testicle").
        The longest match wins, then the one with fewer skipped runs. Returns (length,
        payloads, indexes of the first token of each skipped run inside the chosen match)."""
        best: tuple[int, set[str], list[int]] = (0, set(), [])
        stack: list[tuple[dict, int, list[int]]] = [(self._trie, i, [])]
        while stack:
            node, j, gaps = stack.pop()
            if j > i and _END in node and (j - i > best[0] or (
                    j - i == best[0] and len(gaps) < len(best[2]))):
                best = (j - i, node[_END], gaps)
            if j >= len(words):
                continue
            if j > i and words[j] in skip:
                k = j
                while k < len(words) and k - j < _MAX_SKIP and words[k] in skip:
                    k += 1
                    nxt = node.get(words[k]) if k < len(words) else None
                    if nxt is not None:
                        stack.append((nxt, k + 1, [*gaps, j]))
            nxt = node.get(words[j])
            if nxt is not None:
                stack.append((nxt, j + 1, gaps))
        return best


def normalised_words(index: PhraseIndex, tokens: Iterable[Token]) -> list[str]:
    return [index.normalise(t.text) for t in tokens]
