"""Findings extraction: lexicon matches in the note (English and Chinese) with
negation, uncertainty and durations, merged with vital signs (structured or
written in the note). Every finding keeps the span of text it came from.

Public API (also used by the summary feature):
``extract_findings(note, *, vitals=None, age_years=None, sex=None, pregnant=None)``
and ``extract_vitals_from_text(text)`` (re-exported from ``vitals``).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace

from lantern.clinical.growth import growth_findings
from lantern.clinical.knowledge import KnowledgeBase, load_knowledge
from lantern.clinical.knowledge_ids import (
    BACK_PAIN,
    BAND_HEADACHE,
    BONE_PAIN,
    CHEST_PAIN,
    CHEST_WALL_TENDERNESS,
    CONVULSIONS,
    DEFORMITY,
    DIFFICULT_BREATHING,
    EXERTIONAL_DYSPNOEA,
    EXERTIONAL_TRIGGER,
    FEVER,
    HEADACHE,
    HIGH_FEVER,
    HIP_FRACTURE_SIGN,
    INJURY_STRAIN,
    IRREGULAR_PULSE,
    JAUNDICE,
    JAUNDICE_FIRST_24H,
    KNOWN_ASTHMA,
    KNOWN_COPD,
    LABOUR_CONTRACTIONS,
    LATE_PREGNANCY,
    LIMB_PAIN,
    MAJOR_TRAUMA,
    MILD_PAIN,
    MISSED_PERIOD,
    PAIN_ON_MOVEMENT,
    PAROXYSMAL_COUGH,
    POSTPARTUM,
    PREGNANT,
    PROSTRATION,
    REFUSES_TO_BEAR_WEIGHT,
    SEVERE_PAIN,
    THROBBING_HEADACHE,
    UTERUS_ATONIC,
    VAGINAL_BLEEDING,
    VERY_HIGH_FEVER,
    WEIGHTBEARING_JOINT_PAIN,
)
from lantern.clinical.language.answers import answered_questions, summary_negatives
from lantern.clinical.language.durations import (
    ADULT_MIN_AGE,
    adult_from_text,
    age_from_text,
    find_durations,
    missed_period_spans,
    pregnancy_spans,
)
from lantern.clinical.language.lexicon import PhraseIndex
from lantern.clinical.language.results import chemistry_readings
from lantern.clinical.language.text import detect_lang
from lantern.clinical.language.tokens import (
    ADVICE_WINDOW,
    ADVICE_WORDS,
    COMMAS,
    HARD_TERMINATORS,
    IF_OPEN,
    IF_WORDS,
    LIST_CONTINUE,
    NARRATED_RETURN,
    NEG_PRE_STRONG,
    NEG_PRE_WEAK,
    OTHER_PERSON,
    PREFIX_NEGATIONS,
    VALUE_LINKS,
    Span,
    Token,
    build_advice_trie,
    build_cue_trie,
    build_other_trie,
    ends_clause,
    family_variants,
    phrase_tokens,
    speaker_variants,
    tokenize,
)
from lantern.clinical.language.vitals import (
    VitalReading,
    derive,
    extract_vitals_from_text,
    implausible_warning,
    merge_readings,
    readings_from_vitals,
)
from lantern.domain.records import Vitals

__all__ = ["Extraction", "Finding", "extract_findings", "extract_vitals_from_text"]

# What a case without an age is triaged by (``lantern.clinical.triage._applies``): the rules
# for children and adults, never those for young infants only; vital signs against adult limits.
NO_AGE_WARNING = ("no age given: triage rules for children and adults used, not the "
                  "young-infant rules; vital signs judged by adult limits")
NEGATION_WORDS = frozenset(NEG_PRE_WEAK) | frozenset(NEG_PRE_STRONG)
# Below this age a pregnancy or a delivery named in the note is the mother's (kb.toml
# maternal_findings); the youngest mothers seen in clinics are older.
MATERNAL_MIN_AGE = 10.0
# Words an item of a bare list may hold besides its finding ("no fever, no cough, any rash").
_LIST_FILLER = frozenset({"no", "any", "also", "a", "an", "the"})
# A negation that opens its sentence with one of these heads a list of what is absent ("No
# headache, chest pain, SOB."). Chinese lists absent findings with 、, which already continues
# a negation, while its comma often starts a new clause, so it has none.
_LIST_OPENERS = frozenset({"no", "nil", "without"})
_NEG_WINDOW = 10      # tokens a negation scope survives without a new finding
_POST_WINDOW = 4      # tokens between a finding and a post cue ("RDT ... -ve")
_UNCERTAIN_WINDOW = 4
_ABSENT = "!"          # payload prefix for expressions that say a finding is absent
FIRST_DAY_YEARS = 1 / 365     # a newborn's first 24 hours, in years
_ACUTE_KINDS = frozenset({"symptom", "sign", "vital"})   # what a past-episode cue can move away
# Severity words right before a pain finding ("severe lower abdominal pain",
# "moderate crampy pain", "剧烈腹痛", "中重度头痛") also give the finding ``severe_pain``
# (the triage policy's "moderate or severe pain"); mild words ("mild tenderness RIF",
# "轻度腹痛") give ``mild_pain``. The pain keeps its own id.
_SEVERITY_WORDS = frozenset({
    "severe", "severely", "intense", "excruciating", "unbearable", "agonising", "agonizing",
    "terrible", "worst", "crushing", "tearing", "moderate", "moderately", "剧", "严",
})
_MILD_WORDS = frozenset({"mild", "mildly", "slight", "slightly", "minimal", "minor"})
# Chinese degree words are several one-character tokens: (tokens, "severe" | "mild").
_CJK_DEGREE = (("中重度", "severe"), ("中度", "severe"), ("重度", "severe"), ("中等", "severe"),
               ("剧烈", "severe"), ("严重", "severe"), ("较重", "severe"),
               ("轻度", "mild"), ("轻微", "mild"), ("较轻", "mild"), ("轻", "mild_after"))
# "mild_after": only after the pain ("疼痛轻"), never before it ("年轻女性，腹痛").
_OUT_OF_TEN = (("/", "10"), ("out", "of", "10"), ("of", "10"))
_SEVERITY_WINDOW = 3   # tokens between the severity word and the pain phrase
_SCORE_WORDS = {word: str(n) for n, word in enumerate(
    ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"))}
_TRAILING_WINDOW = 6   # tokens between a pain phrase and a severity word after it


_PAIN_WORDS = frozenset({"pain", "pains", "ache", "aches", "tenderness", "tender", "痛", "疼"})


def _is_pain(fid: str) -> bool:
    return fid == HEADACHE or fid in (THROBBING_HEADACHE, BAND_HEADACHE) or (
        fid.endswith("_pain") and fid not in (MILD_PAIN, SEVERE_PAIN))


def _degree_at(words: list[str], i: int) -> tuple[int, str | None]:
    """A severity ("severe") or mildness ("mild") word at ``words[i]``: (tokens, kind).
    Kinds ending in "_after" count only after the pain ("疼痛轻", "knee pain 3/10"), never
    before it ("年轻女性，腹痛", "seen 5/10 with headache" - a date)."""
    w = _SCORE_WORDS.get(words[i], words[i])     # (a score in words: "seven out of ten")
    score = w.isascii() and w.isdigit() and int(w) <= 10
    for out_of in _OUT_OF_TEN:          # a pain score: "7/10", "7 out of 10", "7 of 10"
        if score and tuple(_SCORE_WORDS.get(x, x) for x in words[i + 1:i + 1 + len(out_of)]) == out_of:
            return 1 + len(out_of), ("severe_after" if int(w) >= 4 else "mild_after")
    # "疼痛评分7分", "VAS 7分", "NRS评分7分": the 0-10 scale written as points
    if score and words[i + 1:i + 2] == ["分"] and (
            words[max(0, i - 2):i] == ["评", "分"] or words[i - 1:i] in (["vas"], ["nrs"])):
        return 2, ("severe_after" if int(w) >= 4 else "mild_after")
    if w in _SEVERITY_WORDS:
        return 1, "severe"
    if w in _MILD_WORDS:
        return 1, "mild"
    for seq, kind in _CJK_DEGREE:
        if "".join(words[i:i + len(seq)]) == seq:
            return len(seq), kind
    return 0, None


def _degree_ends_phrase(words: list[str], k: int) -> bool:
    """Is token ``k`` (just after a degree word) the end of a qualifier? "headache, moderate."
    "腰痛中度，" "pain mild" - as opposed to "severe dehydration", "中度脱水"."""
    if k >= len(words):
        return True
    w = words[k]
    if w in HARD_TERMINATORS or w in COMMAS or w in (")", "）", "-", "("):
        return True
    return w in ("in", "to", "intensity", "severity", "pain", "痛", "程", "度")


@dataclass(frozen=True, slots=True)
class Finding:
    id: str
    label: str
    negated: bool = False
    uncertain: bool = False
    span: Span | None = None
    source: str = "note"          # note | vitals | llm
    duration_days: float | None = None
    # said of a relative ("mother has asthma"): kept among the mentions, as written, but never
    # one of the patient's findings (Extraction.findings)
    relative: bool = False

    def as_dict(self) -> dict:
        return {"id": self.id, "label": self.label, "negated": self.negated,
                "span": self.span.as_dict() if self.span else None}


@dataclass
class Extraction:
    findings: list[Finding]                       # one per id, merged
    mentions: list[Finding]                       # every mention, in note order
    vitals: dict[str, float]                      # merged plausible vitals
    flagged_vitals: list[VitalReading] = field(default_factory=list)
    age_years: float | None = None
    pregnant: bool | None = None
    warnings: list[str] = field(default_factory=list)
    lang: str = "en"                              # the note's language (text.detect_lang)
    # no age given, but the text shows an adult (her own pregnancy, "Mr", "her husband",
    # "retired", 先生): the least age that evidence shows, to switch off child-only rules
    min_age_years: float | None = None

    # the signs a safety-netting instruction tells to watch for ("return if unable to drink",
    # "若出现抽搐立即返诊"): not the patient's findings, but what the plan says to come back for
    watched: list[Finding] = field(default_factory=list)

    def present(self) -> dict[str, Finding]:
        return {f.id: f for f in self.findings if not f.negated}

    def negated(self) -> dict[str, Finding]:
        return {f.id: f for f in self.findings if f.negated}


class _Matcher:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.index = PhraseIndex()
        # each phrase is tokenized once: the lexicon holds ~150,000 phrases, and tokenizing
        # them again for every use below made the first reading of a note take seconds
        tokens: dict[str, tuple[str, ...]] = {}
        for fd in kb.findings.values():
            for phrase in fd.en + fd.zh + fd.negated:
                if phrase not in tokens:
                    tokens[phrase] = phrase_tokens(phrase)
        listed = set(tokens.values())
        for fd in kb.findings.values():
            for phrase in fd.en + fd.zh:
                self.index.add_tokens(tokens[phrase], fd.id)
            for phrase in fd.negated:
                self.index.add_tokens(tokens[phrase], _ABSENT + fd.id)
            # the patient's own words: "pain when she breathes in" is also "... when i breathe in"
            for phrase in fd.en:
                for variant in speaker_variants(tokens[phrase]):
                    self.index.add(" ".join(variant), fd.id)
            # a modifier written in another word of its family ("night-time cough" is the
            # lexicon's "nocturnal cough"); a phrase the lexicon lists keeps its own finding
            for phrases, payload in ((fd.en + fd.zh, fd.id), (fd.negated, _ABSENT + fd.id)):
                for phrase in phrases:
                    for variant in family_variants(tokens[phrase]):
                        if variant not in listed:
                            self.index.add_tokens(variant, payload)
        self.index.freeze()
        self.cues = build_cue_trie()
        self.others = build_other_trie()
        self.advice = build_advice_trie()

    def other_at(self, words: list[str], i: int) -> tuple[int, set[str]]:
        """The other-person word at ``i`` (cues.toml other_person ... other_resume)."""
        return self.cue_at(words, i, self.others)

    def cue_at(self, words: list[str], i: int, trie: dict | None = None) -> tuple[int, set[str]]:
        node: dict = self.cues if trie is None else trie
        best: tuple[int, set[str]] = (0, set())
        j = i
        while j < len(words):
            child = node.get(words[j])
            if child is None:
                break
            node = child
            j += 1
            if "" in node:
                best = (j - i, node[""])
        return best


_MATCHERS: dict[int, tuple[KnowledgeBase, _Matcher]] = {}


def _get_matcher(kb: KnowledgeBase) -> _Matcher:
    """One matcher per knowledge base object (built once per process, about a second)."""
    hit = _MATCHERS.get(id(kb))
    if hit is None or hit[0] is not kb:
        if len(_MATCHERS) > 8:
            _MATCHERS.clear()
        hit = (kb, _Matcher(kb))
        _MATCHERS[id(kb)] = hit
    return hit[1]


def _span(note: str, toks: list[Token], a: int, b: int) -> Span:
    start, end = toks[a].start, toks[b - 1].end
    return Span(start, end, note[start:end])


# "闻及", "触及", "扪及": "heard", "felt" — 及 there is part of the verb, not "and"
_FOUND_VERBS = frozenset("闻触扪见查")


def _or_ahead(words: list[str]) -> list[bool]:
    """For each token: does a list word (or, nor, /, 、) follow before the clause ends?"""
    out = [False] * len(words)
    seen = False
    for i in range(len(words) - 1, -1, -1):
        w = words[i]
        if w in HARD_TERMINATORS:
            seen = False
        elif w in LIST_CONTINUE and w not in ("and", "和") and not (
                w == "及" and i and words[i - 1] in _FOUND_VERBS):
            seen = True
        out[i] = seen
    return out


def _bare_list_ahead(words: list[str], m: _Matcher) -> list[bool]:
    """For each comma: is the rest of its sentence a bare list of findings?

    "No headache, chest pain, SOB." lists what is absent: every item after the comma is a
    lexicon phrase and nothing else, so a weak negation goes on over the commas. "No fever,
    cough for 3 days." does not: an item with more than a finding in it (a duration, a verb,
    a number) is said of itself, and the negation ends at the comma as before."""
    n = len(words)
    out = [False] * n
    bare_after = True       # every item from here to the sentence end is bare
    item_bare, item_empty = True, True
    covered = [False] * n   # tokens inside a lexicon phrase (greedy, left to right)
    i = 0
    while i < n:
        length, _ids = m.index.match_at(words, i)
        if length:
            covered[i:i + length] = [True] * length
            i += length
        else:
            i += 1
    for i in range(n - 1, -1, -1):
        w = words[i]
        if w in HARD_TERMINATORS:
            bare_after, item_bare, item_empty = True, True, True
        elif w == ",":
            bare_after = bare_after and item_bare and not item_empty
            out[i] = bare_after
            item_bare, item_empty = True, True
        elif covered[i]:
            item_empty = False
        elif w not in LIST_CONTINUE and w not in _LIST_FILLER:
            item_bare = False
    return out


def _scan(note: str, m: _Matcher) -> tuple[list[Finding], list[int], list[Token], list[int], list[Finding]]:
    """Lexicon + cue pass. Returns mentions, their clause ids, the tokens, each token's clause
    and the signs safety-netting advice tells to watch for."""
    toks = tokenize(note)
    words = [m.index.normalise(t.text) for t in toks]
    or_ahead = _or_ahead(words)
    bare_ahead = _bare_list_ahead(words, m)
    kb = m.kb
    mentions: list[Finding] = []
    clauses: list[int] = []
    tok_end: list[int] = []          # token index just after each mention
    pending_tests: list[int] = []    # mention indexes waiting for a polarity cue
    clause = 0
    neg: dict | None = None
    uncertain_until = -1
    positive_until = -1
    severe_until, severe_from, severe_kind = -1, 0, "severe"
    last_pain = -10**9               # token index just after the last present pain mention
    hypothetical = False             # inside safety-netting advice, to the sentence end
    watched: list[Finding] = []      # the signs that advice names
    if_from = -1                     # where a clause opened with "if" (如, 若) in this sentence
    other_wait = False               # another person named, waiting for their illness verb
    bare_wait = False                # ... named bare at a sentence start ("Father has diabetes.")
    reported = False                 # reported speech earlier in this sentence
    last_advice = -10**9             # token index of the last advice verb in this sentence
    plan_line = False                # an advice_lead earlier on this line ("处理：", "嘱", "告知")
    requested_at = -1                # token index where a medicine asked for starts ("要求开|安眠药")
    clause_from = 0                  # character offset where the current clause starts
    i, n = 0, len(words)
    sentence_start = 0
    tok_clause = [0] * n
    while i < n:
        tok_clause[i] = clause
        length, ids, gaps = m.index.match_gapped(words, i)
        if length and _negation_opens_longer(words, i, length, m):
            length = 0      # "无尿频尿急": 无 + 尿频, not the anuria of "无尿" + 频
        if length:
            j = i + length
            if neg is not None and (i - neg["last"] > _NEG_WINDOW or neg.get("only", i) != i):
                neg = None
            other_wait = False       # "a neighbour's dog bit him", "her husband beat her": his, hers
            span = _span(note, toks, i, j)
            hits = [(payload, span) for payload in sorted(ids)]
            # a phrase may share its last word with a longer one that goes on past it ("crying
            # with pain in his private parts", "severe pain in the testicle"): read both
            if j - i > 1 and words[j - 1] in _PAIN_WORDS:
                l2, ids2, _ = m.index.match_gapped(words, j - 1)
                if l2 > 1 and ids2 and not ids2 & ids:
                    hits += [(payload, _span(note, toks, j - 1, j - 1 + l2)) for payload in sorted(ids2)]
                    j = j - 1 + l2
            is_pain = any(_is_pain(p.lstrip(_ABSENT)) for p in ids)
            requested = i == requested_at
            degree_id = SEVERE_PAIN if severe_kind == "severe" else MILD_PAIN
            if i <= severe_until and is_pain:
                hits.append((degree_id, _span(note, toks, severe_from, j)))
            severe_until = -1
            for g in gaps:  # a modifier skipped inside the phrase may itself be a finding ("剧痛")
                glen, gids = m.index.match_at(words, g)
                if glen and g + glen <= j:
                    hits += [(payload, _span(note, toks, g, g + glen)) for payload in sorted(gids)]
                elif is_pain and _degree_at(words, g)[1] in ("mild", "mild_after"):
                    hits.append((MILD_PAIN, _span(note, toks, g, g + 1)))   # "右下腹轻压痛"
            if is_pain and neg is None and not hypothetical and not any(
                    p.startswith(_ABSENT) for p in ids):
                last_pain = j
            if hypothetical:
                watched.extend(Finding(p.lstrip(_ABSENT), kb.findings[p.lstrip(_ABSENT)].label_en,
                                       p.startswith(_ABSENT), False, sp) for p, sp in hits)
            for payload, span in hits if not hypothetical else ():
                fid = payload.lstrip(_ABSENT)
                fd = kb.findings[fid]
                if requested and fd.kind == "history":
                    continue        # "wants sleeping pills": asked for, not taken
                if neg is not None and neg.get("bare") and fd.kind != "history":
                    # a bare "Mother ..." scope takes only the history ("Mother has fever" in a
                    # postnatal note is the patient's fever)
                    mentions.append(Finding(fid, fd.label_en, payload.startswith(_ABSENT),
                                            i <= uncertain_until, span))
                    clauses.append(clause)
                    tok_end.append(j)
                    continue
                # a past-episode cue keeps a history ("history of asthma" is the patient's)
                negated = (neg is not None and not (neg.get("past") and fd.kind not in _ACUTE_KINDS)
                           ) or payload.startswith(_ABSENT)
                if payload.startswith(_ABSENT) and neg is not None and neg.get("cue_end") == i:
                    # a negation right before an expression of absence: "not oriented", "not
                    # alert", "not fully alert" say the finding is there (issue 11, session 19)
                    negated = False
                if fd.kind == "test" and i <= positive_until:
                    negated = False
                # ... but in another person's scope it is the relative's ("父亲有哮喘", "family
                # history of hypertension"): said, not the patient's, unless the finding is
                # defined to count the family ("Thalassaemia named or in the family": its label)
                relative = (not negated and neg is not None and bool(neg.get("other"))
                            and fd.kind == "history" and "family" not in fd.label_en.lower())
                mentions.append(Finding(fid, fd.label_en, negated, i <= uncertain_until, span,
                                        relative=relative))
                clauses.append(clause)
                tok_end.append(j)
                if fd.kind == "test" and not negated and i > positive_until:
                    pending_tests.append(len(mentions) - 1)
            uncertain_until = -1
            if neg is not None:
                neg["last"] = j
            elif ids and all(p.startswith(_ABSENT) for p in ids) and m.cue_at(words, i)[1] & {"neg_weak", "neg_strong"}:
                # a negated expression that opens with a negation ("无压痛反跳痛", "no tenderness,
                # rebound"): the negation goes on over the findings listed after it
                neg = {"strong": False, "last": j}
            tok_clause[i:j] = [clause] * (j - i)
            i = j
            continue
        olen, okinds = m.other_at(words, i)
        if olen:
            if "other_resume" in okinds and neg is not None and neg.get("other"):
                neg = None           # "村里有人拉肚子，他也拉肚子": the patient again
            elif "other_report" in okinds:
                # "her husband says she has fever": reported speech; a relative named after it
                # is the patient ("Husband says his wife is 10 weeks pregnant")
                other_wait, reported = False, True
            elif other_wait and "other_verb" in okinds:
                bare, other_wait, bare_wait = bare_wait, False, False
                k = i + olen
                while k < n and words[k] in _OTHER_VERB_FILLER:
                    k += 1
                # not "his wife has noticed"; nor a bare "Grandmother is not alert" (the patient)
                if "other_report" not in m.other_at(words, k)[1] and not (
                        bare and "not" in words[i + olen:k]):
                    neg = {"strong": True, "last": k, "past": True, "other": True, "bare": bare}
                    tok_clause[i:k] = [clause] * (k - i)
                    i = k
                    continue
            elif "other_person" in okinds and neg is None and not reported and not _not_subject(words, i):
                other_wait = True    # not "eating groundnuts with older siblings"
            elif ("other_person_bare" in okinds and neg is None and not reported
                  and _sentence_opens(words, i, sentence_start)):
                other_wait = bare_wait = True    # "Father has diabetes.": his history only
        alen, akinds = m.cue_at(words, i, m.advice)
        if "request" in akinds:
            requested_at = i + alen + (i + alen < n and words[i + alen] in _REQUEST_FILLER)
        if "advice_lead" in akinds:
            plan_line = plan_line or i + alen >= n or words[i + alen] not in NARRATED_RETURN
        elif "hypothetical_post" in akinds and (plan_line or if_from >= 0) and not _narrated(words, i):
            # "处理：…，出现胸凹陷、嗜睡立即返院": the signs of this clause are advice (and those
            # of the clause opened with "if" before it: "如孩子精神差、呕吐，请立即就医")
            watched += _drop_mentions(mentions, clauses, tok_end, pending_tests,
                                      if_from if if_from >= 0 else clause_from, toks[i].start)
        if (i == sentence_start or words[i - 1] in COMMAS) and any(note.startswith(w, toks[i].start) for w in IF_OPEN):
            if_from = toks[i].start
        length, kinds = m.cue_at(words, i)
        w = words[i]
        if w == "\n":
            plan_line = False
        if w in ADVICE_WORDS:
            last_advice = i
        elif w in IF_WORDS and i - last_advice <= ADVICE_WINDOW:
            hypothetical = True
        if "hypothetical" in kinds:
            hypothetical = True
        if w in _PAIN_WORDS and neg is None and not hypothetical:
            last_pain = i + 1        # "疼痛轻", "pain: moderate" without a body site
            degree_id = SEVERE_PAIN if severe_kind == "severe" else MILD_PAIN
            if i <= severe_until:   # "轻度压痛", "moderate tenderness"
                mentions.append(Finding(degree_id, kb.findings[degree_id].label_en, False,
                                        i <= uncertain_until, _span(note, toks, severe_from, i + 1)))
                clauses.append(clause)
                tok_end.append(i + 1)
                severe_until, last_pain = -1, -10**9
        dlen, dkind = _degree_at(words, i)
        if dkind is not None:
            if not dkind.endswith("_after"):
                severe_until, severe_from, severe_kind = i + dlen + _SEVERITY_WINDOW, i, dkind
            # a degree word after the pain it qualifies: "headache 4 hours, moderate-severe",
            # "腰痛中度", "疼痛程度中等", "pain is mild.", "knee pain 3/10"
            degree_id = SEVERE_PAIN if dkind.startswith("severe") else MILD_PAIN
            if (0 <= i - last_pain <= _TRAILING_WINDOW and neg is None and not hypothetical
                    and (w.isdigit() or w in _SCORE_WORDS or _degree_ends_phrase(words, i + dlen))):
                mentions.append(Finding(degree_id, kb.findings[degree_id].label_en, False,
                                        False, _span(note, toks, i, i + dlen)))
                clauses.append(clause)
                tok_end.append(i + dlen)
                last_pain = -10**9
        if not length and w == "?" and i + 1 < n and toks[i + 1].start == toks[i].end \
                and words[i + 1] not in HARD_TERMINATORS:
            length, kinds = 1, {"uncertain"}
        if length:
            j = i + length
            last_close = bool(mentions) and clauses[-1] == clause and i - tok_end[-1] <= _POST_WINDOW
            if "pseudo" in kinds:
                pass
            elif kinds & _NEG_KINDS and mentions and _value_of_last(words, tok_end[-1], i, j):
                # "Fever: no.", "Chest pain is denied.": the label's value, not a pre-negation;
                # it answers every finding the label lists ("下肢麻木无力：无", "lethargic or
                # unconscious - NO", "Cough/difficult breathing: no")
                links = {words[k] for k in range(tok_end[-1], i)}
                _set_label(note, mentions, clauses, pending=pending_tests, kb=kb,
                           listed=not links & _VERB_LINKS or bool(links & _PLURAL_LINKS))
            elif "neg_post" in kinds and last_close and (
                    not ({"neg_weak", "neg_strong"} & kinds) or i - tok_end[-1] <= 1):
                _set_last(mentions, clauses, clause, negated=True, pending=pending_tests, kb=kb)
            elif "past_post" in kinds:
                if last_close:      # only the acute findings of the phrase just before
                    last_span = mentions[-1].span
                    for k in range(len(mentions) - 1, -1, -1):
                        f = mentions[k]
                        if f.span != last_span or clauses[k] != clause:
                            break
                        if kb.findings[f.id].kind in _ACUTE_KINDS:
                            mentions[k] = replace(f, negated=True)
            elif "past_pre" in kinds:
                # "Family history: father had a stroke, mother epilepsy": still the relatives'
                other = {"strong": True, "other": True} if neg is not None and neg.get("other") else {}
                neg = {"strong": False, "last": j, "past": True, **other}
            elif "other_pre" in kinds and not _not_subject(words, i):
                # someone else's illness: on over commas, to the sentence end
                neg = {"strong": True, "last": j, "past": True, "other": True}
            elif "positive" in kinds:
                if pending_tests and last_close:
                    _set_last(mentions, clauses, clause, negated=False, pending=pending_tests, kb=kb)
                elif pending_tests and mentions and _value_of_last(words, tok_end[-1], i, j):
                    # the test label's value, as "Fever: no." is the label's negation ("mRDT:
                    # POSITIVE (2 lines)", "HIV test: reactive", "疟疾快速检测：阳性")
                    _set_last(mentions, clauses, clauses[-1], negated=False, pending=pending_tests, kb=kb)
                else:
                    positive_until = j + 3
            elif kinds & {"neg_weak", "neg_strong"}:
                neg = {"strong": "neg_strong" in kinds, "last": j,
                       "opens": i == sentence_start and w in _LIST_OPENERS}
                if w in _NOT_WORDS:
                    neg["cue_end"] = j    # "not oriented" (not "no active ulcer", "non-reactive")
                if w in PREFIX_NEGATIONS:
                    neg["only"] = j      # "non-itchy rash": the itch only, not the rash
            elif "uncertain" in kinds:
                uncertain_until = j + _UNCERTAIN_WINDOW
            elif "conj" in kinds:
                # "Family history: father has epilepsy": the relative's verb, right after the
                # relative, goes on in the relative's scope (issue 11, session 17); "but", "the
                # patient" and a "has" of the patient's ("Her mother had TB, has had a cough") end it
                if not (neg is not None and neg.get("other") and w in _OTHER_HAVE
                        and i > 0 and words[i - 1] in _RELATIVE_NOUNS):
                    neg = None
                uncertain_until = -1
            tok_clause[i:j] = [clause] * (j - i)
            i = j
            continue
        if w in HARD_TERMINATORS and neg is not None and (
                (w in _LABEL_COLONS and neg["last"] == i)
                or (neg.get("label") and (w in _LIST_SEMICOLONS
                                          or (w == "\n" and _BULLET.match(note, toks[i].end))))):
            # "Denies: fever, chills", "Negative for: fever; chills; dysuria", "否认：发热；盗汗",
            # "Denies:" over a bulleted list: a negation that labels a list goes on over the
            # colon, the list's semicolons and its bulleted lines
            neg["label"], neg["strong"], neg["last"] = True, True, i + 1
            clause += 1
            clause_from = toks[i].end
        elif w in HARD_TERMINATORS:
            clause += 1
            clause_from = toks[i].end
            sentence_start = i + 1
            neg, uncertain_until, positive_until, severe_until = None, -1, -1, -1
            last_pain = -10**9
            hypothetical, last_advice, if_from = False, -10**9, -1
            other_wait = reported = bare_wait = False
        elif w in COMMAS:
            clause_from = toks[i].end
            severe_until = -1        # "severe dehydration, abdominal pain": not a severe pain
            if neg is not None and not (neg["strong"] or or_ahead[i]
                                        or (bare_ahead[i] and neg.get("opens"))):
                neg = None
            if not or_ahead[i]:
                clause += 1
        i += 1
    # test findings never given a polarity are dropped
    drop = set(pending_tests)
    keep = [k for k in range(len(mentions)) if k not in drop]
    return [mentions[k] for k in keep], [clauses[k] for k in keep], toks, tok_clause, watched


def _narrated(words: list[str], i: int) -> bool:
    """The return phrase at ``words[i]`` tells what the patient did ("胸痛后立即来院", "未及时
    就诊"), not what to do."""
    return any("".join(words[max(0, i - k):i]) in NARRATED_RETURN for k in (1, 2))


def _drop_mentions(mentions: list[Finding], clauses: list[int], tok_end: list[int],
                   pending: list[int], start: int, end: int) -> list[Finding]:
    """Take the mentions read between characters ``start`` and ``end`` back out (safety-netting
    advice found only after its signs), keeping the parallel lists and the pending tests'
    indexes in step. Returns the mentions taken out."""
    keep = [k for k, f in enumerate(mentions)
            if f.span is None or not start <= f.span.start < end]
    if len(keep) == len(mentions):
        return []
    dropped = [f for k, f in enumerate(mentions) if k not in set(keep)]
    new_index = {old: new for new, old in enumerate(keep)}
    mentions[:] = [mentions[k] for k in keep]
    clauses[:] = [clauses[k] for k in keep]
    tok_end[:] = [tok_end[k] for k in keep]
    pending[:] = [new_index[k] for k in pending if k in new_index]
    return dropped


_NEG_KINDS = frozenset({"neg_post", "neg_weak", "neg_strong"})
# one word that may stand between a request and the medicine asked for ("wants some sleeping
# pills", "要求开点安眠药")
_REQUEST_FILLER = frozenset({"some", "a", "an", "more", "the", "her", "his", "点", "些", "一些", "一点"})
# words between another person's verb and a reporting verb ("his wife has also noticed")
_OTHER_VERB_FILLER = frozenset({"also", "been", "just", "already", "recently", "too", "now", "not",
                                "had", "has", "have"})
# The negations that, right before an expression of absence, say the finding is there ("not
# oriented", "isn't alert"); not "no", which qualifies a noun ("no active ulcer")
_NOT_WORDS = frozenset({"not", "isnt", "wasnt", "arent", "werent"})
_OTHER_HAVE = frozenset({"has", "have", "had"})   # a relative's verb inside their scope
# the last word of each other_person phrase: "mother" of "his mother", "father" of "her father"
_RELATIVE_NOUNS = frozenset(p.split()[-1] for p in OTHER_PERSON)
# words before another person that make them no subject of a sentence but its object
# ("playing with his cousins", "caught it from a classmate"; their illness is a contact)
_NOT_SUBJECT = frozenset({"with", "from", "to", "by", "of", "like", "and", "than", "for", "at",
                          "about", "near", "beside", "among", "between", "visiting", "visited",
                          "met", "older", "younger", "elder", "other",
                          # a person word inside a longer one already read or skipped ("with his
                          # cousins"), or the writer's own relative, often the patient ("my uncle")
                          "his", "her", "their", "my", "our", "your",
                          # the other person acts on the patient ("被村里的狗咬伤", "跟同学玩")
                          "被", "把", "让", "叫", "跟", "和", "与", "同", "给", "从", "像"})
_THIRD_POSSESSIVES = frozenset({"his", "her", "their", "your"})


def _sentence_opens(words: list[str], i: int, sentence_start: int) -> bool:
    """Is ``i`` the first word of its sentence, or the first after a label's colon or a
    bullet ("FHx: Mother had a stroke", "- Father has diabetes")?"""
    k = i
    while k > sentence_start and words[k - 1] in _OPENER_MARKS:
        k -= 1
    if k == sentence_start:
        return True
    return k >= 1 and words[k - 1] in _LABEL_COLONS


def _not_subject(words: list[str], i: int) -> bool:
    """The person word at ``i`` is no subject: an object after a preposition ("with his
    cousins") or the writer's own relative ("my uncle"). After his/her/their the word before
    decides: "Her neighbour had a stroke" names the ill neighbour, "with her cousins" does not."""
    if not i:
        return False
    if words[i - 1] in _THIRD_POSSESSIVES:
        return i >= 2 and words[i - 2] in _NOT_SUBJECT
    return words[i - 1] in _NOT_SUBJECT


_LABEL_COLONS = frozenset({":", "："})
_OPENER_MARKS = _LABEL_COLONS | {"-", "•", "*"}   # a label's colon or a bullet
_LIST_SEMICOLONS = frozenset({";", "；"})
_BULLET = re.compile(r"[ \t]*(?:[-–•*·]|\d{1,2}[)、])[ \t]*\S")
_CJK_NEGATIONS = frozenset({"无", "没", "未", "不", "否"})


def _negation_opens_longer(words: list[str], i: int, length: int, m: _Matcher) -> bool:
    """A Chinese phrase that opens with a negation ("无尿" anuria) whose rest begins a longer
    finding ("无尿频尿急尿痛": 尿频): the character is the negation of the longer finding."""
    if words[i] not in _CJK_NEGATIONS or length < 2:
        return False
    longer, _, _ = m.index.match_gapped(words, i + 1)
    return longer > 0 and i + 1 + longer > i + length and bool(m.cue_at(words, i)[1] & {"neg_weak", "neg_strong"})


def _value_of_last(words: list[str], end: int, i: int, j: int) -> bool:
    """Is the negation at ``words[i:j]`` the value of the finding phrase that ended at
    ``end`` ("Fever: no.", "cough - none,", "Chest pain is denied.", "颈项强直未见。")? Only
    label links stand between them (cues.toml ``value_links``) and the negation ends its
    clause."""
    return end <= i and all(words[k] in VALUE_LINKS for k in range(end, i)) and (
        ends_clause(words, j) or words[j] in _VALUE_ENDS)


# After a label's value, besides a clause end: the next item of a form's list ("unable to
# drink - NO / vomits everything - NO") or a remark in brackets ("Fever: no (T 36.8)").
_VALUE_ENDS = frozenset({"/", "(", "（", "["})
# What may join the findings one label lists ("Cough/difficult breathing:", "外伤跌倒："),
# once spaces and quotes are stripped (突发“雷击样”：否)
_LABEL_JOINERS = frozenset({"", "、", "/", "和", "及", "与", "或", "and", "or", "&", "+"})
_QUOTES = " \t'\"“”‘’「」"
# Value links that are verbs: "fever and chest pain is denied" denies the chest pain only.
_VERB_LINKS = VALUE_LINKS - {":", "：", "–", "—", "="}
# ... but a plural verb says it of the whole list: "fever, sputum and wheeze are all absent",
# "chest pain and breathlessness were denied"
_PLURAL_LINKS = frozenset({"are", "were", "have", "all", "both", "均", "都", "均为"}) & VALUE_LINKS
# A comma joins a list's items when the list ends with "and" / "or" ("saddle numbness, bladder
# problems and leg weakness are all denied"), in English only.
_SERIAL_COMMAS = frozenset({",", ", "})
_SERIAL_ENDS = frozenset({"and", "or"})


def _set_label(note: str, mentions: list[Finding], clauses: list[int], *,
               pending: list[int], kb: KnowledgeBase, listed: bool) -> None:
    """Negate the findings of a label whose value is a negation: the last phrase's and,
    when the value follows a colon or a dash (``listed``), those of the phrases before it
    in the same clause joined to it by list words only."""
    clause = clauses[-1]
    _set_last(mentions, clauses, clause, negated=True, pending=pending, kb=kb)
    if not listed:
        return
    first = len(mentions) - 1
    while first > 0 and mentions[first - 1].span == mentions[first].span:
        first -= 1
    k = first - 1
    serial = False
    while k >= 0 and not mentions[k].negated:
        here, after = _note_span(mentions[k]), _note_span(mentions[first])
        joiner = note[here.end:after.start].strip(_QUOTES).lower()
        # (a serial comma parts the clauses: the phrases stand right beside it)
        if here.end > after.start or not ((clauses[k] == clause and joiner in _LABEL_JOINERS)
                                          or (serial and joiner in _SERIAL_COMMAS)):
            break
        serial = serial or joiner in _SERIAL_ENDS
        span = mentions[k].span
        while k >= 0 and mentions[k].span == span:
            f = mentions[k]
            mentions[k] = replace(f, negated=True)
            if k in pending:
                pending.remove(k)
            first, k = k, k - 1


def _set_last(mentions: list[Finding], clauses: list[int], clause: int, *, negated: bool,
              pending: list[int], kb: KnowledgeBase) -> None:
    """Apply a post cue to the mentions of the last matched phrase."""
    last_span = mentions[-1].span
    for k in range(len(mentions) - 1, -1, -1):
        if mentions[k].span != last_span or clauses[k] != clause:
            break
        f = mentions[k]
        if kb.findings[f.id].kind == "test" or negated:
            mentions[k] = replace(f, negated=negated)
        if k in pending:
            pending.remove(k)


def _note_span(f: Finding) -> Span:
    """The span of a mention read from the note (every such mention has one)."""
    if f.span is None:
        raise ValueError(f"a note mention of {f.id} has no span")
    return f.span


_OF_AFTER = re.compile(r"\s+of\b", re.IGNORECASE)


def _attach_durations(note: str, toks: list[Token], tok_clause: list[int],
                      mentions: list[Finding], clauses: list[int],
                      kb: KnowledgeBase) -> list[Finding]:
    """Give each duration to the nearest finding of its clause; emit long_id findings."""
    if not mentions:
        return mentions
    starts = [t.start for t in toks]
    m_starts = [_note_span(f).start for f in mentions]
    out = list(mentions)
    extra: list[Finding] = []
    for days, dspan in find_durations(note):
        tok_i = max(0, bisect.bisect_right(starts, dspan.start) - 1)
        k = bisect.bisect_right(m_starts, dspan.start) - 1
        cands = [c for c in (k, k + 1) if 0 <= c < len(out)]
        clause_of_dur = tok_clause[tok_i] if tok_clause else -1
        if _OF_AFTER.match(note, dspan.end):
            cands.reverse()     # "three weeks of cough": the finding after the duration
        chosen = next((c for c in cands if clauses[c] == clause_of_dur and not out[c].negated), None)
        if chosen is None:
            continue
        for c in _listed_with(note, out, clauses, chosen):
            f = out[c]
            out[c] = replace(f, duration_days=days)
            fd = kb.findings[f.id]
            if fd.long_id and fd.long_after_days is not None and days >= fd.long_after_days:
                fspan = _note_span(f)
                a, b = min(fspan.start, dspan.start), max(fspan.end, dspan.end)
                extra.append(Finding(fd.long_id, kb.findings[fd.long_id].label_en, False,
                                     f.uncertain, Span(a, b, note[a:b]), "note", days))
    return out + extra


# What may stand between two findings of one list sharing a duration:
# "反复咳嗽、咳痰、气喘10余年", "咳嗽咳痰20年", "cough and wheeze x3/12".
_LIST_JOINERS = frozenset({"", "、", "/", "和", "及", "与", "并", "and", "&", "+"})


def _listed_with(note: str, out: list[Finding], clauses: list[int], chosen: int) -> list[int]:
    """``chosen`` and the findings joined to it in one list (same clause, not negated,
    only list words between them): a duration written after (or before) the list
    belongs to every item, not only to the nearest one."""
    def joined(a: int, b: int) -> bool:      # a before b in note order
        fa, fb = out[a], out[b]
        if clauses[a] != clauses[b] or fa.negated or fb.negated:
            return False
        sa, sb = _note_span(fa), _note_span(fb)
        return note[sa.end:sb.start].strip().lower() in _LIST_JOINERS or sb.start < sa.end
    group = [chosen]
    c = chosen
    while c > 0 and joined(c - 1, c):
        c -= 1
        group.append(c)
    c = chosen
    while c + 1 < len(out) and joined(c, c + 1):
        c += 1
        group.append(c)
    return group


_BARE_FIT = re.compile(r"(?:the\s+)?fits?", re.IGNORECASE)
_ASTHMA_WORDS = ("asthma", "哮喘")


# a pain made worse by pressing ("按压时加重", "按压时疼痛加重", "worse when pressing"); not a
# bare tenderness of some other place ("局部压痛", "压痛明显": a rib, an abdomen)
_PRESSED = re.compile(r"(?:press|按).*(?:worse|加重|更痛|更疼)|(?:worse|hurts more).*press", re.I)
# "cannot stand", "不能站立" with no word of weakness in them
_BARE_STAND = re.compile(r"^(?!.*(?:weak|虚|乏力|瘫软)).*(?:stand|站)", re.I)


def _word_sense(mentions: list[Finding], clauses: list[int],
                kb: KnowledgeBase) -> tuple[list[Finding], list[int]]:
    """Word senses the lexicon alone cannot settle, decided from the rest of the note.

    - "fits" after "coughing fits" are the cough's fits ("coughing fits ... vomits after the
      fits", pertussis), not convulsions; explicit seizure words are kept.
    - An inhaler is treatment for asthma or COPD (GOLD 2024: short-acting bronchodilators
      for every COPD patient): in a note that says COPD, "salbutamol inhaler" or "uses
      inhaler" is not evidence of asthma; the word asthma itself still is.
    - "Cannot stand" / "不能站立" after a fall or with a painful, deformed limb is the injured
      limb that will not bear weight, not the prostration of severe illness; "too weak to
      stand", "虚脱" and "极度虚弱" stay prostration.
    - A bare "见红" with labour contractions after 22 weeks is the show that labour brings
      (WHO PCPNC: a bloody show is a sign of labour), not antepartum bleeding; in early
      pregnancy, or with any other bleeding word ("阴道流血量多"), it stays bleeding.
    - A pain worse on pressing ("按压时加重", "worse when pressing") in a note of chest pain is
      the chest wall's tenderness too (WHO IMAI, NICE CG95: chest pain reproduced by pressure).
    """
    present = {f.id for f in mentions if not f.negated}
    injured = bool(present & {INJURY_STRAIN, MAJOR_TRAUMA, DEFORMITY, BONE_PAIN, LIMB_PAIN,
                              WEIGHTBEARING_JOINT_PAIN, HIP_FRACTURE_SIGN})
    cough_fits = any(f.id == PAROXYSMAL_COUGH and f.span and "fit" in f.span.text.lower()
                     for f in mentions)
    in_labour = LABOUR_CONTRACTIONS in present and LATE_PREGNANCY in present
    chest = CHEST_PAIN in present and CHEST_WALL_TENDERNESS not in present
    keep: list[int] = []
    added: list[tuple[Finding, int]] = []
    for k, f in enumerate(mentions):
        text = f.span.text.strip() if f.span else ""
        if chest and f.id == PAIN_ON_MOVEMENT and not f.negated and _PRESSED.search(text):
            added.append((Finding(CHEST_WALL_TENDERNESS, kb.findings[CHEST_WALL_TENDERNESS].label_en,
                                  False, f.uncertain, f.span, f.source), clauses[k]))
            chest = False
        if cough_fits and f.id == CONVULSIONS and _BARE_FIT.fullmatch(text):
            continue
        if in_labour and f.id == VAGINAL_BLEEDING and text == "见红":
            continue
        if f.id == KNOWN_ASTHMA and KNOWN_COPD in present and f.span \
                and not any(w in text.lower() for w in _ASTHMA_WORDS):
            continue
        if f.id == PROSTRATION and injured and _BARE_STAND.search(text):
            mentions[k] = Finding(REFUSES_TO_BEAR_WEIGHT, kb.findings[REFUSES_TO_BEAR_WEIGHT].label_en,
                                  f.negated, f.uncertain, f.span, f.source)
        keep.append(k)
    return ([mentions[k] for k in keep] + [f for f, _ in added],
            [clauses[k] for k in keep] + [c for _, c in added])


def _qualifier_polarity(note: str, mentions: list[Finding], clauses: list[int],
                        kb: KnowledgeBase) -> list[Finding]:
    """A qualifier ("on exertion", "走路时") written before a negation takes the negation of
    the symptom after it: "干活走路时没有胸痛气短", "on exertion no chest pain" say nothing
    comes on exertion. Only a negation word may stand between the two."""
    out = list(mentions)
    for k, f in enumerate(mentions[:-1]):
        nxt = mentions[k + 1]
        if (f.negated or not kb.findings[f.id].qualifies or not nxt.negated
                or clauses[k + 1] != clauses[k] or f.span is None or nxt.span is None):
            continue
        between = note[f.span.end:nxt.span.start].strip().lower()
        if between in NEGATION_WORDS:
            out[k] = replace(f, negated=True)
    return out


_NEXT_TO = 16     # characters between two mentions read as one phrase ("breathless when she climbs")


def _exertional_breathlessness(mentions: list[Finding], clauses: list[int],
                               kb: KnowledgeBase) -> list[Finding]:
    """Breathlessness written next to an exertion ("breathless climbing the hill", "walking
    uphill makes her short of breath") is breathless on exertion, the symptom of anaemia and
    heart failure, not the respiratory distress of ETAT's priority signs."""
    out = list(mentions)
    for k, f in enumerate(mentions):
        if f.id != DIFFICULT_BREATHING or f.negated or f.span is None:
            continue
        for j in (k - 1, k + 1):
            if not 0 <= j < len(mentions):
                continue
            g = mentions[j]
            if (g.id == EXERTIONAL_TRIGGER and not g.negated and g.span is not None
                    and clauses[j] == clauses[k]
                    and max(g.span.start - f.span.end, f.span.start - g.span.end) <= _NEXT_TO):
                out[k] = Finding(EXERTIONAL_DYSPNOEA, kb.findings[EXERTIONAL_DYSPNOEA].label_en,
                                 False, f.uncertain, f.span, f.source)
                break
    return out


_PULSE_WORDS = re.compile(r"(pulse|\bp\b|\bhr\b|heart|rhythm|rate|bpm|/min|ecg|脉|心)", re.I)


def _bare_irregular_elsewhere(note: str, f: Finding) -> bool:
    """A bare "irregular" is the pulse ("P 130, irregular") only when a pulse word comes
    shortly before it in its sentence; "uterus bulky, irregular", "irregular periods" and
    "irregular borders" are something else."""
    if f.id != IRREGULAR_PULSE or f.span is None or note[f.span.start:f.span.end].lower() != "irregular":
        return False
    before = re.split(r"[.;:!?\n。；！？]", note[max(0, f.span.start - 40):f.span.start])[-1]
    return not _PULSE_WORDS.search(before)


def _merge(mentions: list[Finding]) -> list[Finding]:
    by_id: dict[str, Finding] = {}
    order: list[str] = []
    for f in mentions:
        cur = by_id.get(f.id)
        if cur is None:
            by_id[f.id] = f
            order.append(f.id)
        elif cur.negated and not f.negated and not f.uncertain:
            by_id[f.id] = f
        elif not cur.negated and cur.uncertain and f.negated and not f.uncertain:
            # a definite denial beats a hedge or a question ("有没有黄疸？眼睛不黄")
            by_id[f.id] = f
        elif cur.negated == f.negated and cur.uncertain and not f.uncertain:
            by_id[f.id] = replace(f, uncertain=False, span=cur.span or f.span, source=cur.source,
                                  duration_days=cur.duration_days or f.duration_days)
        elif f.duration_days and not cur.duration_days and cur.negated == f.negated:
            by_id[f.id] = replace(cur, duration_days=f.duration_days)
    return [by_id[i] for i in order]


def _answered(note: str, mentions: list[Finding]) -> list[Finding]:
    """Findings asked about in a question answered after it ("Any fever? No.", "有无咳嗽？
    有。", "asked about fever or vomiting - says no") take the answer: "no" negates them, "yes"
    makes them present - and uncertain when it answers several (it does not say which)."""
    out = list(mentions)
    order = sorted((f.span.start, k) for k, f in enumerate(out) if f.span is not None and f.span.doc == 0)
    starts = [a for a, _ in order]
    for start, end, negated in answered_questions(note):
        asked = [k for _, k in order[bisect.bisect_left(starts, start):bisect.bisect_left(starts, end)]]
        several = len({out[k].id for k in asked}) > 1
        for k in asked:
            f = out[k]
            out[k] = replace(f, negated=negated, uncertain=not negated and several)
    return out


def _summary_negatives(note: str, mentions: list[Finding], kb: KnowledgeBase, *,
                       age_years: float | None, pregnant: bool) -> list[Finding]:
    """A summary negative of a whole screen ("no danger signs", "无一般危险征象", "no red
    flags" in back pain) negates the screen's signs the note does not name present."""
    present = {f.id for f in mentions if not f.negated}
    child = None if age_years is None else age_years < 5
    out: list[Finding] = []
    for start, end, ids in summary_negatives(
            note, child=child, pregnant=pregnant or POSTPARTUM in present,
            back_pain=BACK_PAIN in present):
        span = Span(start, end, note[start:end])
        out += [Finding(fid, kb.label(fid), True, False, span)
                for fid in ids if fid not in present and fid in kb.findings]
    return out


_WORD_RE = re.compile(r"[A-Za-z\u00c0-\u024f]+")


def extract_findings(note: str, *, vitals: Vitals | dict | None = None,
                     age_years: float | None = None, sex: str | None = None,
                     pregnant: bool | None = None,
                     kb: KnowledgeBase | None = None) -> Extraction:
    """Findings in ``note`` merged with ``vitals``; see the module docstring."""
    kb = kb or load_knowledge()
    note = note or ""
    m = _get_matcher(kb)
    mentions, clauses, toks, tok_clause, watched = _scan(note, m)
    mentions, clauses = _word_sense(mentions, clauses, kb)
    mentions = _qualifier_polarity(note, mentions, clauses, kb)
    mentions = _exertional_breathlessness(mentions, clauses, kb)
    mentions = _answered(note, mentions)
    mentions = [f for f in mentions if not _bare_irregular_elsewhere(note, f)]
    mentions = _attach_durations(note, toks, tok_clause, mentions, clauses, kb)
    warnings: list[str] = []
    if age_years is None:
        age_years = age_from_text(note)
    for span in pregnancy_spans(note):
        mentions.append(Finding(PREGNANT, kb.label(PREGNANT), False, False, span))
    for span in missed_period_spans(note):
        mentions.append(Finding(MISSED_PERIOD, kb.label(MISSED_PERIOD), False, False, span))
    text_readings = extract_vitals_from_text(note) + chemistry_readings(note)
    struct_readings = readings_from_vitals(vitals)
    flagged = [r for r in struct_readings + text_readings if not r.plausible]
    for r in flagged:
        if implausible_warning(r) not in warnings:   # the form and the note may say the same
            warnings.append(implausible_warning(r))
    note_preg = any(f.id == PREGNANT and not f.negated for f in mentions)
    min_age = (ADULT_MIN_AGE if age_years is None
               and adult_from_text(note, pregnant=bool(pregnant) or note_preg) else None)
    preg_for_vitals = pregnant if pregnant is not None else (True if note_preg else None)
    for r in struct_readings + text_readings:
        # every id derive() names is in the registry, so the validated knowledge base has it
        for fid, negated in derive(r, age_years=age_years, sex=sex, pregnant=preg_for_vitals):
            mentions.append(Finding(fid, kb.findings[fid].label_en, negated, False, r.span, r.source))
    # a child's WHO growth z-scores (weight, length/height from the form, age and sex)
    merged = merge_readings(struct_readings, text_readings)
    for fid, negated in growth_findings(sex=sex, age_years=age_years, weight_kg=merged.get("weight_kg"),
                                        height_cm=merged.get("height_cm")):
        mentions.append(Finding(fid, kb.findings[fid].label_en, negated, False, None, "vitals"))
    # a high temperature is also a fever ("高热", "hyperpyrexia" without the word fever)
    if not any(f.id == FEVER for f in mentions):
        for f in list(mentions):
            if f.id in (HIGH_FEVER, VERY_HIGH_FEVER) and not f.negated:
                mentions.append(Finding(FEVER, kb.label(FEVER), False, f.uncertain, f.span, f.source))
                break
    # jaundice in a newborn under a day old is jaundice in the first 24 hours, the IMCI sign of
    # severe (haemolytic) jaundice, however the note words it ("生后22小时，面部躯干黄染")
    if age_years is not None and age_years < FIRST_DAY_YEARS:
        for f in list(mentions):
            if f.id == JAUNDICE and not f.negated and not f.relative:
                mentions.append(replace(f, id=JAUNDICE_FIRST_24H, label=kb.label(JAUNDICE_FIRST_24H)))
                break
    mentions += _summary_negatives(note, mentions, kb, age_years=age_years,
                                   pregnant=bool(pregnant) or note_preg)
    if age_years is None:
        warnings.append(NO_AGE_WARNING)
    present = {f.id for f in mentions if not f.negated}
    if (pregnant or PREGNANT in present) and POSTPARTUM not in present:
        # a soft, relaxed uterus in a pregnancy not yet delivered is the normal uterus (against
        # abruption), not the atony of postpartum haemorrhage (WHO MCPC 2017, vaginal bleeding
        # in later pregnancy)
        mentions = [f for f in mentions if f.id != UTERUS_ATONIC]
    if sex == "male" or (age_years is not None and age_years < MATERNAL_MIN_AGE):
        # "Mother pregnant again", "产后访视" in a baby's note: the mother's, not the patient's
        mentions = [f for f in mentions if f.id not in kb.maternal]
    # note mentions first (in order), structured vitals last: a finding shows its note text
    mentions.sort(key=lambda f: (f.span.start if f.span else float("inf")))
    findings = _merge([f for f in mentions if not f.relative])
    return Extraction(
        findings=findings, mentions=mentions,
        vitals=merged, flagged_vitals=flagged,
        age_years=age_years, pregnant=pregnant if pregnant is not None else (True if note_preg else None),
        warnings=warnings, lang=detect_lang(note), min_age_years=min_age, watched=watched,
    )


def word_count(note: str) -> int:
    """Words plus CJK characters / 2: a rough size of the note for confidence checks."""
    cjk = sum(1 for ch in note if "\u4e00" <= ch <= "\u9fff")
    return len(_WORD_RE.findall(note)) + cjk // 2
