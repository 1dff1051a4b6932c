"""Tokenizer and context cues (negation, uncertainty, polarity) for clinical notes.

Tokens are lower-cased words, single CJK characters and single punctuation
marks, each with its character offsets in the original note. Hyphens are
dropped ("retro-orbital" == "retro orbital") and so are quotation marks;
"+ve" / "-ve" / "(+)" / "(-)" become the tokens "+ve" / "-ve". Tokenizing is
one linear regex scan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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


def tokenize(text: str) -> list[Token]:
    out: list[Token] = []
    for m in _TOKEN_RE.finditer(text):
        kind = m.lastgroup
        raw = m.group()
        if kind == "pol":
            norm = "+ve" if "+" in raw else "-ve"
        elif kind == "word":
            norm = raw.lower().replace("'", "").replace("’", "")
        else:
            norm = raw
        out.append(Token(norm, m.start(), m.end()))
    return out


def phrase_tokens(phrase: str) -> tuple[str, ...]:
    return tuple(t.text for t in tokenize(phrase))


# --- cues -----------------------------------------------------------------
# Pre-negation: negates the findings that follow, within the clause.
# "strong" cues keep their scope across commas ("denies fever, chills, cough").
NEG_PRE_STRONG = (
    "denies", "denied", "deny", "denying", "negative for", "neg for", "no history of",
    "no h/o", "no hx of", "no signs of", "no sign of", "no evidence of", "free of",
    "absence of", "ros negative for", "not complaining of", "did not report",
    "has not had", "hasnt had", "never had",
)
NEG_PRE_WEAK = (
    "no", "not", "nil", "without", "w/o", "never", "non", "none", "neither", "nor",
    "无", "没有", "否认", "未见", "未", "不伴", "没", "未诉", "不", "未有", "无明显", "未出现", "并无",
    # "not found" verbs: whole cues, so that "查见"/"检出" below do not make them positive
    "未查见", "未检出", "未查到", "未找到", "没查到", "没有查到", "没找到", "没有找到", "没有检出",
)
# Post-negation: negates the finding just before it (same clause, <= 4 tokens back).
NEG_POST = (
    "-ve", "negative", "neg", "absent", "nil", "not present", "not seen", "not found",
    "none", "not detected", "non reactive", "nonreactive", "not palpable", "non palpable",
    "impalpable", "阴性",
    "未查见", "未检出", "未查到", "未找到",   # "疟原虫未查见"
)
# Pseudo-negations: look like negation but are not.
PSEUDO_NEG = (
    "no improvement", "not improving", "no relief", "no better", "not better", "no change",
    "not relieved", "not resolved", "no response", "not responding", "not only",
    "no longer able", "no increase", "没有好转", "未好转", "无好转", "不见好转", "无缓解", "未缓解",
)
POSITIVE = (
    "+ve", "positive", "pos", "+", "++", "+++", "1+", "2+", "3+", "reactive", "detected",
    "seen", "found", "present", "阳性",
    "查见", "检出", "查到", "找到",        # lab wording: "血涂片查见疟原虫", "检出霍乱弧菌"
)
UNCERTAIN = (
    "possible", "possibly", "probable", "probably", "query", "suspected", "suspect",
    "suspicious for", "suspicion of", "r/o", "rule out", "likely", "ddx", "可能", "疑似",
    "待排", "考虑", "不排除", "怀疑",
)
# Past episodes: a symptom, sign or vital sign placed in an earlier illness ("one febrile
# convulsion last year", "去年有过一次高热惊厥") is not a finding of this illness (IMCI asks
# about convulsions "in this illness"). Only acute kinds are affected; a history finding
# ("treated for TB last year") keeps its meaning. Pre cues act like a weak negation.
PAST_PRE = ("去年", "去年有过", "去年曾", "去年曾有过", "前年", "前年有过", "几年前", "几年前有过",
            "小时候", "小时候有过")
PAST_POST = ("last year", "a year ago", "years ago", "the year before", "as a baby",
             "as an infant", "in infancy", "in childhood", "as a child")
# Hypothetical: safety-netting advice and things to watch for name signs the patient
# does NOT have now ("return if convulsions", "watch for bleeding", "如出现抽搐及时就诊").
# Findings after such a cue, to the end of the sentence, are not findings of the case.
HYPOTHETICAL = (
    "watch for", "watch out for", "monitor for", "look out for", "observe for",
    "warned about", "warned of", "warning signs such as", "in case of", "in the event of",
    "如有", "如出现", "若出现", "若有", "一旦出现", "一旦有", "警惕", "观察有无", "注意有无",
    "注意观察有无", "如再次出现", "如发生",
)
# "if" is hypothetical after advice verbs earlier in the same sentence:
# "advised to return immediately if ...", "bring the child back if ...".
IF_WORDS = frozenset({"if", "should", "whenever"})
ADVICE_WORDS = frozenset({
    "return", "returns", "come", "back", "bring", "seek", "review", "advised", "advise",
    "told", "counselled", "counseled", "instructed", "educated", "explained", "report",
    "re-attend", "reattend", "revisit", "recheck", "attend",
})
ADVICE_WINDOW = 8      # tokens between the advice verb and "if"

# Scope enders besides sentence punctuation.
CONJUNCTIONS = (
    "but", "however", "although", "though", "except", "apart from", "yet", "whereas",
    "has", "have", "had", "reports", "reported", "complains", "complaining", "c/o", "presents",
    "presented", "now", "then", "developed", "started", "which", "who", "also",
    "但", "但是", "然而", "伴", "伴有", "有", "出现", "诉", "现", "主诉", "并",
)
HARD_TERMINATORS = frozenset(".;:!\n。；：！?？")
COMMAS = frozenset(",，")
LIST_CONTINUE = frozenset({"、", "/", "or", "nor", "and", "或", "及", "和"})


def build_cue_trie() -> dict:
    """A token trie for all cue phrases; terminal key "" holds the cue type."""
    trie: dict = {}
    groups = (
        ("pseudo", PSEUDO_NEG), ("neg_strong", NEG_PRE_STRONG), ("neg_weak", NEG_PRE_WEAK),
        ("neg_post", NEG_POST), ("positive", POSITIVE), ("uncertain", UNCERTAIN),
        ("conj", CONJUNCTIONS), ("hypothetical", HYPOTHETICAL),
        ("past_pre", PAST_PRE), ("past_post", PAST_POST),
    )
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
