"""Check generated sentences against the source and link each to source spans.

A sentence is kept only if what it says (:mod:`lantern.clinical.language.meaning`:
findings with their negation, certainty and duration, drugs with their doses and
frequencies, numbers and measurements, dates, allergies, sides of the body) is all in
the source with the same polarity and attachment; if it keeps every such fact of the
draft line(s) it replaces; if the words that carry no such fact mostly occur in the
source or the skeleton; and if it links to at least one source span.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from lantern.clinical.language.claims import Claims, claims_of, normalise_numbers
from lantern.clinical.language.meaning import (
    Meaning,
    meaning_of,
    missing_meaning,
    same_length_units,
    same_person,
    same_wording,
    subject_parts,
    unsupported_meaning,
    wording_forms,
    wording_keys,
    wording_spans,
)
from lantern.clinical.language.negation import ScopedWord, negation_scopes
from lantern.clinical.language.text import Span, nfkc, split_sentences

MIN_WORD_SUPPORT = 0.75
_STOP = frozenset("""the and for with was were has had have his her she him patient pt this that
from are been being which who will would should can could also into onto their they them there
then than but not any all per day days week weeks daily time times given taking takes take
currently current noted note reports reported presents presented presenting complains states
stated today over under after before about including include includes plan summary
diagnosed diagnosis treated treatment started prescribed found shows showed revealed examination
exam assessed consistent planned advised recommended seen visit clinic year years old male female
now result results start starting does previous
woman man child boy girl mother father history complaining symptoms signs findings due because
went goes going gone became become becomes when while where through together every each along
plus further nothing anything something stayed stays remained inside outside again already still
taken done made making gets getting got readings reading did does didn't doesn't don't
show shown reveal reveals demonstrate demonstrates demonstrated having sign episode episodes once twice
""".split())
_NEG_WORD_RE = re.compile(r"\b(?:denie[sd]|deny|without|negative|absent|none|never|nil)\b|否认|没有|无|未", re.I)
_OWN_NEGATION = re.compile(r"\b(?:no|not|non|never|nil)\b|" + _NEG_WORD_RE.pattern, re.I)
_TOKEN_RE = re.compile(r"[a-z][a-z']+|[\u4e00-\u9fff]+")   # ("stop-smoking" is two words)
# Chinese function characters carry no fact (as the English stop words; 对 "to",
# 还 "still", 再 "again"): a run of characters is cut at them ("有恶心" is "恶心", "中等及以上" is "中等", "以上").
_STOP_ZH = re.compile("[的了是有在和与及或并且已曾将被为于时示见其之也均尚伴因每次对还再]")
# Chinese words that carry no fact, as the English stop words ("patient", "shows", "found",
# "plan", "treatment", "symptoms", "score", "visit"): a rewording adds them to make sentences
# of a note's fragments ("头颅CT未见出血" -> "头颅CT没有发现出血", "拟行溶栓" -> "计划进行溶栓治疗").
# (and the pointing words a rewording puts before them: "该患者", "这名患儿", "这位老人")
_STOP_ZH_WORDS = re.compile("患者|患儿|病人|出现|进行|发现|显示|提示|表现为|表现|症状|情况|就诊|来诊|治疗|处理|计划|"
                            "评分|目前|现在|以内|之内|以来|检查|结果|给予|予以|这名|这位|该名|该|"
                            # (and the words a rewording writes out: 已经, 可以, 药物 after a drug class)
                            "已经|可以|药物|决定")


def _stem(word: str) -> str:
    # noun and adverb forms of an adjective ("tenderness", "mildly") are the adjective
    if word.endswith("ness") and len(word) > 7:
        word = word[:-4]
    elif word.endswith("ly") and len(word) > 5:
        word = word[:-2]
    if word.endswith(("ed", "ing")) and len(word) > 6:
        return word[: -2 if word.endswith("ed") else -3]
    for suffix in ("ies", "es", "s"):
        if word.endswith(suffix) and len(word) > len(suffix) + 3:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def content_tokens(text: str) -> list[str]:
    """English content words (stemmed) and Chinese character bigrams (a lone character
    stands as itself)."""
    out: list[str] = []
    for tok in _TOKEN_RE.findall(_STOP_ZH.sub(" ", _STOP_ZH_WORDS.sub(" ", nfkc(text).lower()))):
        if tok[0] >= "\u4e00":
            out.extend(tok[i:i + 2] for i in range(max(1, len(tok) - 1)))
        elif len(tok) >= 3 and tok not in _STOP:
            out.append(_stem(tok))
    return out


def _polarities(text: str) -> dict[str, set[bool]]:
    """For each content word: was it seen negated (True), affirmed (False), or both. The
    negation's scope is the language layer's (:func:`negation_scopes`: the cues of
    ``cues.toml``, over a list after a comma); English words stemmed, Chinese as bigrams
    of each run of characters between cues (a lone character stands as itself)."""
    seen: dict[str, set[bool]] = {}
    run: list[ScopedWord] = []

    def flush() -> None:
        for i in range(max(1, len(run) - 1)):
            seen.setdefault("".join(w.text for w in run[i:i + 2]), set()).add(run[i].negated)
        run.clear()

    for w in negation_scopes(nfkc(text)):
        chinese = not w.cue and _CJK_CHAR.fullmatch(w.text) is not None
        if not chinese or (run and run[-1].end != w.start):
            if run:
                flush()
        if chinese:
            run.append(w)
        elif not w.cue and w.text.isascii() and w.text.isalpha() and len(w.text) >= 3 and w.text not in _STOP:
            seen.setdefault(_stem(w.text), set()).add(w.negated)
    if run:
        flush()
    return seen


@dataclass(slots=True)
class SourceIndex:
    docs: list[str]
    claims: Claims
    vocabulary: set[str]
    polarity: dict[str, set[bool]]
    sentences: list[tuple[set[str], Span]]
    meaning: Meaning
    whose: dict[str, set[str]]       # content word -> whose words the source writes it in
    negated_clauses: set[str] = field(default_factory=set)   # words written in a clause with a negation
    same_keys: set[str] = field(default_factory=set)         # what the source writes of [same_words]

    @classmethod
    def build(cls, docs: list[str], *, extra_sources: Sequence[str] = (), vocabulary_extra: str = "") -> SourceIndex:
        claims = Claims()
        meaning = meaning_of(vocabulary_extra, as_source=True)
        vocab: set[str] = set(content_tokens(vocabulary_extra))
        polarity: dict[str, set[bool]] = {}
        sentences = []
        whose: dict[str, set[str]] = {}
        negated_clauses: set[str] = set()
        same_keys: set[str] = set()
        for doc, text in enumerate(docs):
            same_keys |= wording_keys(text, "same_words")
            for word, people in _whose_words(text).items():
                whose.setdefault(word, set()).update(people)
            doc_meaning = meaning_of(text, as_source=True)
            claims.update(doc_meaning.claims)
            meaning.update(doc_meaning)
            vocab.update(_words_backed(text))
            for word, pols in _polarities(text).items():
                polarity.setdefault(word, set()).update(pols)
            negated_clauses |= _in_negated_clause(text)
            for sentence, start, end in split_sentences(text):
                # (with the other ways of writing its words: "NKDA. PMH: HTN" links "hypertension")
                sentences.append((_words_backed(sentence) | _fact_tokens(sentence), Span(start, end, doc=doc)))
        for text in extra_sources:
            extra = meaning_of(text, as_source=True)
            claims.update(extra.claims)
            meaning.update(extra)
            vocab.update(_words_backed(text))
        meaning.claims.update(claims)
        return cls(list(docs), claims, vocab, polarity, sentences, meaning, whose, negated_clauses, same_keys)


_CLAUSE = re.compile(r"[^,.;，。；\n]+")      # (a label and its value are one clause: "Safeguarding: none")


def _in_negated_clause(text: str) -> set[str]:
    """The words (as :func:`_polarities`) written in a clause that negates something. Which
    of its words the negation covers depends on where the clause puts them ("近期未外出旅行" /
    "否认近期外出旅行", "锁骨上淋巴结未触及" / "锁骨上未触及淋巴结"): such a word is not compared
    for polarity when both texts write it in a negated clause (a finding's polarity is
    compared by the language layer)."""
    out: set[str] = set()
    for m in _CLAUSE.finditer(text):
        clause = _polarities(m.group(0))
        # (a negation written after the word counts too: "Clonus is absent", "克氏征阴性")
        if any(True in pols for pols in clause.values()) or _POST_NEGATION.search(m.group(0)):
            out.update(clause)
    return out


_POST_NEGATION = re.compile(r"\b(?:absent|negative|not (?:present|seen|detected|elicited|found|palpable))\b|阴性|未引出|未检出|未见",
                            re.I)


def _whose_words(text: str) -> dict[str, set[str]]:
    """For each content word of ``text``: whose words it stands in ("patient" or a relative,
    :func:`subject_parts`)."""
    out: dict[str, set[str]] = {}
    for person, words in subject_parts(text):
        for token in content_tokens(words):
            out.setdefault(token, set()).add(person)
    return out


def _moved_words(sentence: str, index: SourceIndex) -> bool:
    """Does ``sentence`` write a word of another person than the source does ("sibling at home
    has impetigo" -> "has impetigo; sibling at home ...": the impetigo moved to the patient)?"""
    for word, people in _whose_words(sentence).items():
        source = index.whose.get(word)
        if source and not any(same_person(p, s) for p in people for s in source):
            return True
    return False


def _words_backed(text: str) -> set[str]:
    """The words ``text`` backs in a rewording: its own content words, its Chinese characters
    one by one, and every way of writing what it writes in the language layer's wording
    tables (an abbreviation's spelled-out form, a synonym, a verb's noun)."""
    words = set(content_tokens(text))
    forms = same_wording(text)
    if _ARROW.search(text):
        # an arrow between readings is how the value moved, either way ("9.1% -> 8.0%": "came down to")
        forms |= wording_forms("same_words", "rose_to") | wording_forms("same_words", "fell_to")
    for form in forms:
        words.update(content_tokens(form))
        words.update(_CJK_CHAR.findall(form))
    words.update(_CJK_CHAR.findall(nfkc(text)))
    return words


_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")
_ARROW = re.compile(r"->|→|=>")


def _backed(token: str, vocabulary: set[str]) -> bool:
    """A word is backed when the source writes it; a Chinese bigram also when the source
    writes both its characters (word order is free: "戒烟已三年" is "已戒烟3年")."""
    if token in vocabulary:
        return True
    return token[0] >= "\u4e00" and all(ch in vocabulary for ch in token)


def _fact_tokens(text: str) -> set[str]:
    c = claims_of(text)
    return {f"#{n}" for n in c.numbers} | {f"@{d}" for d in c.drugs | c.allergies | c.denied_allergies}


@dataclass(slots=True)
class Verdict:
    ok: bool
    reasons: list[str]
    spans: list[Span]


def check_sentence(sentence: str, index: SourceIndex, *, replaces: Sequence[str] = ()) -> Verdict:
    """Keep ``sentence`` only if the source backs all it says and it keeps every fact
    of the draft lines it ``replaces`` (see the module docstring)."""
    said = meaning_of(sentence)
    reasons = unsupported_meaning(said, index.meaning)
    for line in replaces:
        reasons += missing_meaning(meaning_of(line), said)
    tokens = content_tokens(sentence)
    if tokens:
        # words inside a fact the language layer read are checked above, not by overlap
        # (and negation words: the findings' polarity is checked above)
        # (numbers written as words are numbers: checked above)
        # (a unit written out is its symbol: "38.6摄氏度" is "38.6 °C", checked with its number)
        blanked = _blank(same_length_units(nfkc(sentence)), said.spans + said.worded)
        rest = content_tokens(normalise_numbers(_NEG_WORD_RE.sub(" ", blanked)))
        unexplained = sum(1 for t in rest if not _backed(t, index.vocabulary))
        support = 1 - unexplained / len(tokens)
        if support < MIN_WORD_SUPPORT / 1.5 or (unexplained >= 2 and support < MIN_WORD_SUPPORT):
            reasons.append("words not supported by the source")
    elif not (said.claims.numbers or said.gestations or said.gravida_para or said.grades or said.thresholds):
        reasons.append("no content")     # (an obstetric reading or a grade is content: "G2P1, 36+2/40")
    # (words of a finding the language layer read: their polarity is checked above; and a
    # wording of the tables with its own negation that the source writes too, in any of its
    # forms: "no known drug allergies" for "NKDA")
    text = nfkc(sentence)
    same = [(start, end) for start, end, key in wording_spans(text, "same_words")
            if key in index.same_keys and _OWN_NEGATION.search(text[start:end])]
    # (nor the words of a fact compared as a whole: a pending result, "尚未回报", or a threshold,
    # "不足2秒", has its own negation word)
    compared = said.spans + said.worded + same
    said_negated = _in_negated_clause(_blank(nfkc(sentence), compared))
    for word, pols in _polarities(_blank(nfkc(sentence), compared)).items():
        src = index.polarity.get(word)
        if src and not pols <= src and not (word in index.negated_clauses and word in said_negated):
            reasons.append("negation differs from the source")
            break
    # which way a value moved: a rewording that writes only the other direction than the source
    # ("较前↑" -> "比之前降低", "raised" -> "reduced") changes the trend
    said_ways = {_DIRECTION[k] for k in wording_keys(sentence, "same_words") if k in _DIRECTION}
    source_ways = {_DIRECTION[k] for k in index.same_keys if k in _DIRECTION}
    if said_ways and source_ways and not said_ways & source_ways:
        reasons.append("says a value moved the other way than the source")
    if _moved_words(sentence, index):
        reasons.append("says of another person what the source says")
    spans = link_spans(sentence, index)
    if not spans:
        reasons.append("no source span")
    return Verdict(not reasons, list(dict.fromkeys(reasons)), spans)


_DIRECTION = {"increased": "up", "rose_to": "up", "decreased": "down", "fell_to": "down"}


def _blank(text: str, spans: Sequence[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def link_spans(sentence: str, index: SourceIndex, *, limit: int = 3) -> list[Span]:
    """Source sentences that together cover the sentence best (greedy)."""
    want = set(content_tokens(sentence)) | _fact_tokens(sentence)
    chosen: list[Span] = []
    while want and len(chosen) < limit:
        best, best_gain = None, 0
        for toks, span in index.sentences:
            gain = len(want & toks)
            if gain > best_gain:
                best, best_gain = (toks, span), gain
        if best is None or best_gain == 0:
            break
        chosen.append(best[1])
        want -= best[0]
    return sorted(chosen, key=lambda s: (s.doc, s.start))
