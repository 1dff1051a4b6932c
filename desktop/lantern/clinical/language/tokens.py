"""Tokenizer and context cues (negation, uncertainty, polarity) for clinical notes.

Tokens are lower-cased words, single CJK characters and single punctuation
marks, each with its character offsets in the original note. Hyphens are
dropped ("retro-orbital" == "retro orbital") and so are quotation marks;
"+ve" / "-ve" / "(+)" / "(-)" become the tokens "+ve" / "-ve". Tokenizing is
one linear regex scan.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from lantern.clinical.language.vocabulary import load_cues, load_wording

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Quotation marks are not tokens: "mum says 'breathing fast'", "'rice water' stools",
# "“米泔水样”便" match like the unquoted words (an apostrophe inside a word is kept
# by the word pattern: "can't").
_QUOTES = "'\"`\u2018\u2019\u201c\u201d\u300c\u300d\u300e\u300f\u00ab\u00bb"
_TOKEN_RE = re.compile(
    rf"(?P<pol>[+\-]\s?ve\b|[(（]\s*[+\-]\s*[)）])"
    rf"|(?P<nl>\n)"
    rf"|(?P<cjk>[{_CJK}])"
    rf"|(?P<word>[^\W_{_CJK}]+(?:['’][^\W_{_CJK}]+)*)"
    rf"|(?P<punct>[^\w\s\-{_CJK}{_QUOTES}]|_)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # normalised (lower case, apostrophes removed)
    start: int
    end: int


def _normal(m: re.Match) -> str:
    kind, raw = m.lastgroup, m.group()
    if kind == "pol":
        return "+ve" if "+" in raw else "-ve"
    if kind == "word":
        return raw.lower().replace("'", "").replace("’", "")
    return raw


def tokenize(text: str) -> list[Token]:
    return [Token(_normal(m), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]


# Most lexicon phrases are lower-case ASCII words with single spaces, or Chinese characters
# only: their tokens are the words, or the characters, as the full scan would give them.
_PLAIN_WORDS = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*\Z")
_PLAIN_CJK = re.compile(rf"[{_CJK}]+\Z")


def phrase_tokens(phrase: str) -> tuple[str, ...]:
    """The normalised tokens of a lexicon phrase (no offsets: built ~200,000 times at start-up)."""
    if _PLAIN_WORDS.match(phrase):
        return tuple(phrase.split(" "))
    if _PLAIN_CJK.match(phrase):
        return tuple(phrase)
    return tuple(_normal(m) for m in _TOKEN_RE.finditer(phrase))


# --- cues -----------------------------------------------------------------
# The cue lists are data: resources/language/cues.toml (what each list means is written
# there), loaded once and validated by lantern.clinical.language.vocabulary.
_CUES = load_cues()
# Pre-negation: "strong" cues keep their scope across commas ("denies fever, chills, cough").
NEG_PRE_STRONG = _CUES.lists["neg_pre_strong"]
NEG_PRE_WEAK = _CUES.lists["neg_pre_weak"]
NEG_POST = _CUES.lists["neg_post"]            # negates the finding just before it
PSEUDO_NEG = _CUES.lists["pseudo_negation"]   # looks like negation but is not
POSITIVE = _CUES.lists["positive"]
UNCERTAIN = _CUES.lists["uncertain"]
PAST_PRE = _CUES.lists["past_pre"]            # an earlier illness, not this one
OTHER_PRE = _CUES.lists["other_pre"]          # someone else's illness, not the patient's
# ... and its parts: another person waiting for the verb that makes them the one who is ill,
# reported speech that makes the findings the patient's, the patient again
OTHER_PERSON = _CUES.lists["other_person"]
OTHER_PERSON_BARE = _CUES.lists["other_person_bare"]   # "Father has diabetes.": history only
OTHER_VERB = _CUES.lists["other_verb"]
OTHER_REPORT = _CUES.lists["other_report"]
OTHER_RESUME = _CUES.lists["other_resume"]
PAST_POST = _CUES.lists["past_post"]
HYPOTHETICAL = _CUES.lists["hypothetical"]    # safety-netting advice: to the sentence end
IF_WORDS = _CUES.sets["if_words"]             # hypothetical after an advice word ...
ADVICE_WORDS = _CUES.sets["advice_words"]
ADVICE_WINDOW = _CUES.advice_window           # ... at most this many tokens before
HYPOTHETICAL_POST = _CUES.lists["hypothetical_post"]   # "出现X立即来院": the clause before it
IF_OPEN = _CUES.lists["if_open"]                        # ... and the clause opened with "if" before it
ADVICE_LEAD = _CUES.lists["advice_lead"]                # ... on a line these words make a plan
NARRATED_RETURN = _CUES.sets["narrated_return"]         # ... unless told ("胸痛后立即来院")
REQUEST_PRE = _CUES.lists["request_pre"]      # "要求开安眠药": a medicine asked for, not taken
CONJUNCTIONS = _CUES.lists["conjunctions"]    # scope enders besides sentence punctuation
HARD_TERMINATORS = _CUES.sets["hard_terminators"]
COMMAS = _CUES.sets["commas"]
LIST_CONTINUE = _CUES.sets["list_continue"]
COPULAS = _CUES.sets["copulas"]               # "was" in "chest was clear": skipped inside a phrase
VALUE_LINKS = _CUES.sets["value_links"]       # "Fever: no.": between a label finding and its value
# A negation written as a prefix negates the word it is joined to, not the findings after it
# ("non-itchy rash", "non-bloody vomiting", "non-productive cough and fever": the fever is there).
PREFIX_NEGATIONS = frozenset({"non"})
SPEAKER = _CUES.speaker                       # third person -> first person ("his" -> "my")
# Wordings that stand for one another inside a finding phrase, as token sequences
FAMILIES = tuple(tuple(phrase_tokens(m) for m in family) for family in _CUES.families)
_FAMILY_WORDS = frozenset(member[0] for family in FAMILIES for member in family if member)
# English words for a side of the body (wording.toml [side]), skipped inside a finding phrase
# ("L" in "pain in L testicle"); Chinese sides are written inside the phrases themselves
SIDE_WORDS = frozenset(w for words in load_wording().sides.values() for w in words
                       if w.isascii() and len(phrase_tokens(w)) == 1)


def ends_clause(words: list[str], j: int) -> bool:
    """Does a clause end at ``words[j]`` (the text's end, sentence punctuation or a comma)?"""
    return j >= len(words) or words[j] in HARD_TERMINATORS or words[j] in COMMAS


# After "i", the verb loses the third person's -s ("she stands" -> "i stand").
_FIRST_PERSON_VERBS = {"is": "am", "has": "have", "does": "do", "doesnt": "dont", "isnt": "am not",
                       "hasnt": "havent", "was": "was", "wasnt": "wasnt"}
_MAX_SWAPS = 3


def _first_person_verb(word: str) -> str:
    if word in _FIRST_PERSON_VERBS:
        return _FIRST_PERSON_VERBS[word]
    if re.search(r"(?:ches|shes|sses|xes|zes)$", word):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def speaker_variants(tokens: tuple[str, ...]) -> list[tuple[str, ...]]:
    """A lexicon phrase written of the patient in the third person, as the patient says it
    ("pain when she breathes in" -> "pain when i breathe in", "tip of his shoulder" -> "tip of
    my shoulder"). Words from ``[speaker]`` in cues.toml; the phrase itself is not returned."""
    slots = [i for i, t in enumerate(tokens) if t in SPEAKER]
    if not slots or len(slots) > _MAX_SWAPS:
        return []
    out: list[tuple[str, ...]] = []
    for choice in itertools.product(*(SPEAKER[tokens[i]] for i in slots)):
        words = list(tokens)
        for i, form in zip(slots, choice, strict=True):
            words[i] = form
            if form == "i" and i + 1 < len(words):
                words[i + 1] = _first_person_verb(words[i + 1])
        for text in {" ".join(words), " ".join(words).replace("i am ", "im ")}:
            variant = tuple(text.split())
            if variant != tokens and variant not in out:
                out.append(variant)
    return out


def family_variants(tokens: tuple[str, ...]) -> list[tuple[str, ...]]:
    """A lexicon phrase with each member of a ``[phrase_families]`` family it writes replaced
    by every other member ("nocturnal cough" -> "night time cough", "nighttime cough", "night
    cough"). Only a member inside a longer phrase is replaced; the phrase itself is not returned."""
    out: list[tuple[str, ...]] = []
    if _FAMILY_WORDS.isdisjoint(tokens):       # most phrases: no member to replace
        return out
    for family in FAMILIES:
        for member in family:
            n = len(member)
            if n >= len(tokens):
                continue
            for i in range(len(tokens) - n + 1):
                if tokens[i:i + n] != member:
                    continue
                for other in family:
                    variant = tokens[:i] + other + tokens[i + n:]
                    if other != member and variant not in out:
                        out.append(variant)
    return out


def build_cue_trie() -> dict:
    """A token trie for all cue phrases; terminal key "" holds the cue type."""
    return _trie((
        ("pseudo", PSEUDO_NEG), ("neg_strong", NEG_PRE_STRONG), ("neg_weak", NEG_PRE_WEAK),
        ("neg_post", NEG_POST), ("positive", POSITIVE), ("uncertain", UNCERTAIN),
        ("conj", CONJUNCTIONS), ("hypothetical", HYPOTHETICAL),
        ("past_pre", PAST_PRE), ("past_post", PAST_POST), ("other_pre", OTHER_PRE),
    ))


def build_other_trie() -> dict:
    """A token trie for the words around another person's illness (other_person, other_verb,
    other_report, other_resume), read beside the cue trie: "has" ends a scope there and is
    the verb of "his brother has TB" here."""
    return _trie((("other_person", OTHER_PERSON), ("other_person_bare", OTHER_PERSON_BARE),
                  ("other_verb", OTHER_VERB),
                  ("other_report", OTHER_REPORT), ("other_resume", OTHER_RESUME)))


def build_advice_trie() -> dict:
    """A token trie for safety-netting advice written after its signs (hypothetical_post), the
    words that make a line a plan (advice_lead) and a request for a medicine (request), read
    beside the cue trie so that the meaning check's negation scopes do not take them for cues."""
    return _trie((("hypothetical_post", HYPOTHETICAL_POST), ("advice_lead", ADVICE_LEAD),
                  ("request", REQUEST_PRE)))


def _trie(groups: tuple[tuple[str, tuple[str, ...]], ...]) -> dict:
    trie: dict = {}
    for kind, phrases in groups:
        for phrase in phrases:
            toks = phrase_tokens(phrase)
            if not toks:
                continue
            node = trie
            for t in toks:
                node = node.setdefault(t, {})
            node.setdefault("", set()).add(kind)
    return trie


@dataclass(frozen=True, slots=True)
class Span:
    """A character range in a source document: ``doc`` numbers the documents of one
    task (0 = the note; a history's visits, a letter's identification line...),
    ``text`` is the covered text when the reader kept it (``note[start:end]``)."""

    start: int
    end: int
    text: str = ""
    doc: int = 0

    def as_dict(self) -> dict:
        """The diagnosis contract's evidence span: start, end and the text."""
        return {"start": self.start, "end": self.end, "text": self.text}

    def located(self) -> dict:
        """Where in which document: start, end and document number (summaries)."""
        return {"start": self.start, "end": self.end, "doc": self.doc}
