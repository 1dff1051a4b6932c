"""Check generated sentences against the source and link each to source spans.

A sentence is kept only if every number, dose, drug, frequency, allergy and date
in it occurs in the source (after normalisation), most of its words occur in the
source or the skeleton, it does not flip a negation, and it links to at least one
source span.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from lantern.clinical.language.claims import Claims, claims_of, unsupported
from lantern.clinical.language.text import Span, nfkc, split_sentences

MIN_WORD_SUPPORT = 0.75
_STOP = frozenset("""the and for with was were has had have his her she him patient pt this that
from are been being which who will would should can could also into onto their they them there
then than but not any all per day days week weeks daily time times given taking takes take
currently current noted note reports reported presents presented presenting complains states
stated today over under after before about including include includes plan summary
diagnosed diagnosis treated treatment started prescribed found shows showed revealed examination
exam assessed consistent planned advised recommended seen visit clinic year years old male female
woman man child boy girl mother father history complaining symptoms signs findings due because
""".split())
_NEG_EN = frozenset({"no", "not", "denies", "denied", "without", "negative", "nil", "absent", "none", "never"})
_NEG_ZH = re.compile(r"无|否认|未|没有|不")
_TOKEN_RE = re.compile(r"[a-z][a-z\-']+|[\u4e00-\u9fff]+")


def _stem(word: str) -> str:
    for suffix in ("ies", "es", "s"):
        if word.endswith(suffix) and len(word) > len(suffix) + 3:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def content_tokens(text: str) -> list[str]:
    """English content words (stemmed) and Chinese character bigrams."""
    out: list[str] = []
    for tok in _TOKEN_RE.findall(nfkc(text).lower()):
        if tok[0] >= "\u4e00":
            out.extend(tok[i:i + 2] for i in range(max(1, len(tok) - 1)))
        elif len(tok) >= 3 and tok not in _STOP:
            out.append(_stem(tok))
    return out


def _polarities(text: str) -> dict[str, set[bool]]:
    """For each content word: was it seen negated (True), affirmed (False), or both."""
    seen: dict[str, set[bool]] = {}
    for clause in re.split(r"[.;:,\n。；，：]|\bbut\b", nfkc(text).lower()):
        words = re.findall(r"[a-z][a-z\-']*", clause)
        for i, w in enumerate(words):
            if len(w) < 3 or w in _STOP:
                continue
            neg = any(x in _NEG_EN for x in words[max(0, i - 4):i])
            seen.setdefault(_stem(w), set()).add(neg)
        for m in re.finditer(r"[\u4e00-\u9fff]+", clause):
            run = m.group(0)
            for i in range(max(1, len(run) - 1)):
                big = run[i:i + 2]
                neg = bool(_NEG_ZH.search(clause[max(0, m.start() + i - 4):m.start() + i]))
                seen.setdefault(big, set()).add(neg)
    return seen


@dataclass(slots=True)
class SourceIndex:
    docs: list[str]
    claims: Claims
    vocabulary: set[str]
    polarity: dict[str, set[bool]]
    sentences: list[tuple[set[str], Span]]

    @classmethod
    def build(cls, docs: list[str], *, extra_sources: Sequence[str] = (), vocabulary_extra: str = "") -> SourceIndex:
        claims = Claims()
        vocab: set[str] = set(content_tokens(vocabulary_extra))
        polarity: dict[str, set[bool]] = {}
        sentences = []
        for doc, text in enumerate(docs):
            claims.update(claims_of(text))
            vocab.update(content_tokens(text))
            for word, pols in _polarities(text).items():
                polarity.setdefault(word, set()).update(pols)
            for sentence, start, end in split_sentences(text):
                sentences.append((set(content_tokens(sentence)) | _fact_tokens(sentence), Span(start, end, doc=doc)))
        for text in extra_sources:
            claims.update(claims_of(text))
            vocab.update(content_tokens(text))
        return cls(list(docs), claims, vocab, polarity, sentences)


def _fact_tokens(text: str) -> set[str]:
    c = claims_of(text)
    return {f"#{n}" for n in c.numbers} | {f"@{d}" for d in c.drugs | c.allergies}


@dataclass(slots=True)
class Verdict:
    ok: bool
    reasons: list[str]
    spans: list[Span]


def check_sentence(sentence: str, index: SourceIndex) -> Verdict:
    reasons = unsupported(claims_of(sentence), index.claims)
    tokens = content_tokens(sentence)
    if tokens:
        support = sum(1 for t in tokens if t in index.vocabulary) / len(tokens)
        if support < MIN_WORD_SUPPORT:
            reasons.append("words not supported by the source")
    elif not claims_of(sentence).numbers:
        reasons.append("no content")
    for word, pols in _polarities(sentence).items():
        src = index.polarity.get(word)
        if src and not pols <= src:
            reasons.append("negation differs from the source")
            break
    spans = link_spans(sentence, index)
    if not spans:
        reasons.append("no source span")
    return Verdict(not reasons, reasons, spans)


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
