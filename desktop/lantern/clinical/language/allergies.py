"""Allergy statements: "NKDA", "allergic to penicillin (rash)", "PCN allergy",
"青霉素过敏", "否认药物过敏史". Allergies are never dropped from a summary.

Three kinds of statement are kept apart (issue 13):

- an allergy (``AllergyFacts.allergies``), marked ``uncertain`` when the writer hedges it
  ("?sulfa allergy", "query penicillin allergy", "对头孢类过敏待排"): a hedged allergy is
  still an allergy a prescriber must see, so it stays in the list;
- a denied allergy to a named substance (``AllergyFacts.denied``): "no penicillin allergy",
  "not allergic to penicillin", "否认青霉素过敏史", "penicillin allergy: no". It is never an
  allergy, and never "no known allergies" either (other allergies stay unknown);
- a general denial (``none_known``): "NKDA", "过敏史：无", "否认药物过敏史".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from lantern.clinical.language.drugs import canonical_drug, find_drugs
from lantern.clinical.language.text import Span
from lantern.clinical.language.vocabulary import load_cues

_NONE_RE = re.compile(
    r"\bNKD?As?\b|\bno known (?:drug |medication )?allerg(?:y|ies)\b|\bnil known allerg(?:y|ies)\b|"
    r"\ballerg(?:y|ies)\s*[:：-]?\s*(?:(?:nil|none)(?: known)?|nkda|no known(?: drug)?(?: allerg(?:y|ies))?|denied|neg|"
    # (a heading answered with the bare denial: "Allergies: denies", "Allergy - no")
    r"(?:denies|no)(?=\s*(?:[.;,\n)]|$)))\b|"
    r"\bno allerg(?:y|ies)\b|"
    r"\bdenies (?:any )?(?:drug )?allerg(?:y|ies)\b|"
    r"过敏史\s*[:：]\s*(?:否认(?:药物|食物)?(?:及食物)?过敏史?|无(?:药物|食物)?(?:过敏史?)?|否认)|"
    r"否认(?:药物|食物)?(?:及食物)?过敏史?|无(?:药物|食物|已知)*过敏史?(?!反应)|"
    # (the items joined, "没有药物和食物过敏史", and the short 药敏史)
    r"(?:没有|未发现|未见|不详|也没有|无|否认)(?:任何)?(?:药物|食物|已知|[和及或与、])*过敏史?(?!反应)|"
    r"(?:无|否认|没有)药敏史?", re.IGNORECASE)

_REACTION_WORDS = (r"rash|hives|urticaria|anaphylaxis|swelling|angioedema|itch(?:ing|y)?|wheez(?:e|ing|y)|"
                   r"vomiting|diarrh(?:o)?ea|sjs|stevens[- ]johnson(?: syndrome)?|bronchospasm|dystonia|blisters?|"
                   r"皮疹|荨麻疹|过敏性休克|喘息|"
                   r"休克|瘙痒|水肿|喉头水肿|呼吸困难")
_REACTION_RE = re.compile(_REACTION_WORDS, re.IGNORECASE)


def names_a_reaction(text: str) -> bool:
    """``text`` names a reaction an allergy causes ("rash", "皮疹", "hives")."""
    return _REACTION_RE.search(text) is not None


# Reactions that mark an allergy when a drug is said to cause them (an ankle swelling or
# diarrhoea caused by a drug is a side effect, not an allergy).
_ALLERGIC_WORDS = (r"rash|hives|urticaria|anaphylaxis|angioedema|itch(?:ing|y)?|wheez(?:e|ing|y)|sjs|"
                   r"stevens[- ]johnson|bronchospasm|blisters?|皮疹|荨麻疹|过敏性休克|喘息|喉头水肿|瘙痒|呼吸困难")
_SUBSTANCE = r"[A-Za-z][A-Za-z\- ]{1,30}?"
_SUBSTANCE_STOP = (r"(?=\s*(?:\(|-|–|—|[.;,\n]|$|\s+(?:with|causing|gives|which|since|as|but|in|previously|before|"
                   r"last|years?|once|when)\b))")
_EN_PATTERNS = [
    # allergic to X (and Y) / allergy to X / hypersensitive to X / (allergic) reaction to X /
    # reacts badly to X / intolerant of X
    re.compile(rf"\b(?:allergic|allergy|allergies|hypersensitiv(?:e|ity))\s+to\s+"
               rf"((?:{_SUBSTANCE})(?:\s*(?:,|and|/|&)\s*{_SUBSTANCE})*){_SUBSTANCE_STOP}", re.I),
    # Allergies: X, Y (rash) / Allergies (confirmed): X
    re.compile(r"\ballerg(?:y|ies)(?:\s*[(（][^()（）\n]{1,20}[)）])?\s*(?:[:：]|\s[-–—]\s|\s+(?:are|include|includes)\s)"
               r"\s*([^\n.;]{2,80})", re.I),
    # X allergy / PCN allergic
    re.compile(r"\b([A-Za-z][A-Za-z\-]{1,25})\s+(?:allergy|allergic|hypersensitivity)\b(?!\s+to)", re.I),
    # "Sulfa: SJS 2019", "penicillin -> rash": a known drug, then a reaction (checked below)
    re.compile(rf"(?<![A-Za-z])([A-Za-z][A-Za-z\-]{{2,25}})\s*(?:[:：]|->|→|=>)\s*(?=(?:{_REACTION_WORDS})\b)"
               r"(?![A-Za-z]*\s+(?:improv|settl|resolv|better|reduc|less|decreas|gone|clear|stopp))", re.I),
    # "aspirin makes him wheezy", "codeine gives her hives": a drug, a causing verb, a reaction
    re.compile(rf"(?<![A-Za-z])([A-Za-z][A-Za-z\-]{{2,25}})\s+(?:makes?|made|gives?|gave|causes?|caused)\s+"
               rf"(?:(?:him|her|me|them|the patient|pt)\s+)?(?=(?:{_ALLERGIC_WORDS})\b)", re.I),
    # "nevirapine rash in 2015", "allergy documented (CBZ rash)": a drug named with its reaction
    re.compile(r"(?<![A-Za-z])([A-Za-z][A-Za-z\-]{2,25})\s+(?:induced\s+|associated\s+)?"
               r"(?=(?:rash|hives|urticaria|angioedema|anaphylaxis|SJS|Stevens)\b)", re.I),
]
# "lisinopril 2019 → lip/tongue swelling (angioedema)": a drug, the year, an arrow, the reaction
_YEAR_ARROW = len(_EN_PATTERNS)
_EN_PATTERNS.append(
    re.compile(rf"(?<![A-Za-z])([A-Za-z][A-Za-z\-]{{2,25}})\s+\(?(?:19|20)\d{{2}}\)?\s*(?:->|→|=>|[:：]|\s[-–—]\s)\s*"
               rf"(?=[^.;\n]{{0,25}}?(?:{_REACTION_WORDS})\b)", re.I))
_EN_PATTERNS += [
    # "(allergic) reaction to X", "reacts badly to X", "intolerant of X", "anaphylaxis to X": only a drug counts
    # ("pupils react to light" is no allergy)
    re.compile(rf"\b(?:(?:allergic |adverse |bad |severe |drug )?reactions?|react(?:s|ed)?(?: badly| severely)?|"
               rf"intoleran(?:t|ce)|anaphylaxis|anaphylactic\s+reaction|angioedema|hives)\s+(?:to|of|with|from)\s+((?:{_SUBSTANCE})(?:\s*(?:,|and|/|&)\s*{_SUBSTANCE})*)"
               rf"{_SUBSTANCE_STOP}", re.I),
]
_ZH_FOODS = r"碘造影剂|造影剂|花粉|海鲜|鸡蛋|花生|牛奶|芒果|酒精|碘|乳胶|尘螨|鱼虾"
_ZH_PATTERNS = [
    # 过敏史：X / 过敏史（病历）：X / 过敏史（家属代诉）：X
    re.compile(r"过敏史(?:\s*[(（][^()（）\n]{1,20}[)）])?\s*[:：]\s*([^\n。；;]{1,40})"),
    re.compile(r"对?([\u4e00-\u9fffA-Za-z]{1,12}?)(?:类)?(?:药物|药)?过敏"),
    # "布洛芬诱发喘息，以后禁用", "服阿莫西林后引起皮疹": a drug that caused a reaction
    re.compile(rf"([\u4e00-\u9fffA-Za-z]{{1,12}}?)后?(?:诱发|引起|导致)(?=(?:{_ALLERGIC_WORDS}))", re.I),
]
_NOT_SUBSTANCE = re.compile(
    r"^(?:known|no|nil|none|any|drug|drugs|medication|medications|food|seasonal|history|hx|"
    r"nkda|status|denied|the|a|an|is|are|of|with|and|or|to|due|for|other|this|that|any|anything|everything|"
    r"nothing|something|severe|mild|possible|suspected|unknown|recorded|none recorded|not recorded|"
    # a word that qualifies an allergy ("no significant allergy", "new allergy")
    r"significant|new|previous|prior|further|true|real|obvious|documented|"
    r"(?:nil|none|no|not|denies|denied)\b.*|"
    # a clause about the allergy, not a substance ("allergic to penicillin, which caused a rash")
    r"(?:which|that|who|causing|caused|giving|gave)\b.*|"
    r"无|否认|有|既往|药物|食物|不详|未知|未记录|未提供|不清楚|"
    # the reaction's clause, not a substance ("青霉素过敏，表现为皮疹")
    r"表现为?.*|症状为?.*)$", re.I)
# What stands where a substance would and is none (a substance only; a reaction may be any of
# these): a clause of its own after the allergy word ("allergy: the mother thinks it was a rash",
# "allergic to egg and had anaphylaxis", "avoid beta-lactams per allergy team"), the reaction
# written where a list puts the substance ("penicillin allergy - anaphylaxis 2015") or the year
# left of it, and the denial of the others ("否认其他药物及食物过敏").
_NOT_SUBSTANCE_CLAUSE = re.compile(
    r"^(?:(?:the|it|he|she|they|his|her|their|patient|pt|has|have|had|was|were|been|per)\b.*|"
    rf"(?:{_REACTION_WORDS})\b.*|[\d\s./-]+|(?:否认|没有|无)(?:其他|其它|任何).*)$", re.I)
# "not allergic to anything", "no allergy to X": a denial, not an allergy.
_NEG_BEFORE = re.compile(r"\b(?:not|no|non|never|denies|denied|nor)\s*$", re.I)
# After the substance: "(rash)", "-> skin peeling", ": hives", "causing vomiting".
_REACTION_PAREN = re.compile(r"\s*[(（]\s*([^()（）\n]{1,50}?)\s*[)）]")
_REACTION_ARROW = re.compile(r"\s*(?:->|→|=>|[-–—:：]|\bcaus(?:ing|es|ed)\b|\bgives?\b|\bwith\b)\s*"
                             r"([^\n.;()（）。；]{2,60})", re.I)
_SUBSTANCE_END = re.compile(r"\s*(?:->|→|=>|\s[-–—]\s|[(（:：]|\bcaus(?:ing|es|ed)\b|\bgives?\b|\bwith\b)", re.I)
_ZH_DRUG_SUFFIX = re.compile(
    r"([\u4e00-\u9fff]{1,6}?(?:霉素|西林|沙星|头孢\w{0,3}|唑|胺|酮|醇|地平|洛尔|普利|沙坦|他汀|卡因|米松|"
    r"芬|酯|碱|素|酸钠|磺胺))类?$")
_ZH_STRIP = re.compile(r"^(?:既往|有|曾|患者|对|诉|自诉|明确|已知)+")


@dataclass(slots=True)
class Allergy:
    substance: str              # as written
    canonical: str              # drug key when known, else lower-cased substance
    reaction: str = ""
    spans: list[Span] = field(default_factory=list)
    uncertain: bool = False     # hedged by the writer ("?sulfa allergy", "青霉素过敏待排")
    written: str = ""           # the statement as written, for a hedged allergy or a denial

    def render(self, lang: str = "en") -> str:
        if self.uncertain and self.written:
            return sentence_case(self.written)    # the hedge as the writer put it
        if self.reaction:
            return f"{self.substance}（{self.reaction}）" if lang == "zh" else f"{self.substance} ({self.reaction})"
        return self.substance


@dataclass(slots=True)
class AllergyFacts:
    allergies: list[Allergy] = field(default_factory=list)
    # substances the text says the patient is not allergic to ("no penicillin allergy")
    denied: list[Allergy] = field(default_factory=list)
    none_known: bool = False
    none_spans: list[Span] = field(default_factory=list)
    phrase_ranges: list[tuple[int, int]] = field(default_factory=list)  # in the text given
    source: str = ""                                                     # the text parsed

    def denials_shown(self) -> list[Allergy]:
        """The denials of named substances no allergy of these facts contradicts (an allergy
        recorded anywhere wins over a denial of the same substance), one per phrase."""
        # (a chart allergy typed as one text, "penicillin (rash)", names its drug inside)
        allergic = {a.canonical for a in self.allergies} | {
            canon for a in self.allergies for canon, _s, _e in find_drugs(a.substance)}
        out: list[Allergy] = []
        for d in self.denied:
            if d.canonical not in allergic and not any(o.written == d.written and o.spans == d.spans for o in out):
                out.append(d)
        return out

    def merge(self, other: AllergyFacts) -> None:
        """Union; an allergy once recorded is never removed by a later 'NKDA' or by a denial
        of the same substance (:meth:`denials_shown`)."""
        for allergy in other.allergies:
            found = next((a for a in self.allergies if a.canonical == allergy.canonical), None)
            if found is None:
                self.allergies.append(allergy)
            else:
                found.spans.extend(allergy.spans)
                if not found.reaction and allergy.reaction:
                    found.reaction = allergy.reaction
                if found.uncertain and not allergy.uncertain:   # said outright somewhere: certain
                    found.uncertain, found.written = False, ""
        for denial in other.denied:
            if not any(d.canonical == denial.canonical for d in self.denied):
                self.denied.append(denial)
        if other.none_known and not self.none_known:
            self.source = other.source
        self.none_known = self.none_known or other.none_known
        self.none_spans.extend(other.none_spans)


def _split_substances(raw: str) -> list[tuple[str, int]]:
    parts = []
    for m in re.finditer(r"[^,/&、，]+", raw):
        piece = m.group(0)
        # the words between "and" / "or" / 和 / 及 / 与 ("penicillin or sulfa": "sulfa", not "r sulfa")
        bounds = [0]
        for sep in re.finditer(r"\b(?:and|or|nor)\b|和|及|与", piece):
            bounds += [sep.start(), sep.end()]
        bounds.append(len(piece))
        for a, b in zip(bounds[::2], bounds[1::2], strict=True):
            word = piece[a:b].strip(" ()-")
            if word:
                parts.append((word, m.start() + a + piece[a:b].find(word)))
    return parts


def _split_top(raw: str) -> list[tuple[str, int]]:
    """``raw`` split at commas / semicolons that are not inside parentheses."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(raw):
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            depth = max(0, depth - 1)
        elif ch in ",;、，；" and depth == 0:
            out.append((raw[start:i], start))
            start = i + 1
    out.append((raw[start:], start))
    return [(p, off) for p, off in out if p.strip()]


def _substance_and_reaction(piece: str) -> tuple[str, str]:
    """"peanuts (hives)" → ("peanuts", "hives"); "sulfa drugs -> SJS" → ("sulfa drugs", "SJS")."""
    reaction = ""
    if (cut := _SUBSTANCE_END.search(piece)) and cut.start() > 0:
        reaction = _reaction_after(piece, cut.start())[0]
        piece = piece[:cut.start()]
    if not reaction and (r := _REACTION_RE.search(piece)):
        reaction = r.group(0)
        piece = _REACTION_RE.sub(lambda x: " " * len(x.group(0)), piece)
    return piece, reaction


def _clean_substance(word: str) -> str:
    word = _ZH_STRIP.sub("", word).strip(" ()（）:-")
    word = re.sub(r"\s+(?:with|causing|gives|which)\b.*$", "", word, flags=re.I).strip()
    word = re.sub(r"类?(?:药物|药)?过敏.*$", "", word).strip()
    if not word or _NOT_SUBSTANCE.match(word) or _NOT_SUBSTANCE_CLAUSE.match(word) or len(word) > 30:
        return ""
    return word


# --- denials of a named substance, and hedged allergies -------------------------------------
# A denial names what is denied: "no penicillin allergy", "denies allergy to sulfa", "not
# allergic to penicillin", "penicillin allergy: no", "allergic to penicillin? no", "无青霉素过敏",
# "否认青霉素、头孢过敏史", "对青霉素不过敏", "青霉素过敏史：无". A "?" before the allergy
# ("? penicillin allergy") hedges it; only an answer after it ("? no") denies it.
_EN_NEG = (r"(?:no|nil|not|never|denies|denied|deny|denying|negative\s+for|neg\s+for|without|"
           r"no\s+(?:history|hx)\s+of|no\s+h/o)")
_EN_ITEM = r"[A-Za-z][A-Za-z\-]*(?:\s+(?:drugs?|antibiotics?|medicines?|medications?|class|group))?"
_EN_LIST = rf"{_EN_ITEM}(?:\s*(?:,|/|&|\bor\b|\band\b|\bnor\b)\s*{_EN_ITEM})*"
_EN_ALLERGY_WORD = r"(?:allerg(?:y|ies|ic)|hypersensitivity)"
_EN_ANSWER_NO = (r"\s*(?:[:：?？]|\s[-–—])\s*(?:no|none|nil|denied|neg(?:ative)?|absent)\b"
                 r"(?=\s*(?:[.;,\n)）。；，]|$))")
# (pattern, where the substances stand: "after" the allergy word or "before" it)
_EN_DENIALS = [
    # "no allergy to X", "denies allergies to X or Y", "no known allergy to X", "no reaction to X"
    (re.compile(rf"\b{_EN_NEG}\s+(?:(?:any|known)\s+)*(?:allerg(?:y|ies)|hypersensitivity|"
                rf"(?:allergic\s+|adverse\s+)?reactions?)\s+(?:to|with)\s+(?P<list>{_EN_LIST})", re.I), "after"),
    # "Allergy - denies sulfa", "Allergies: denies penicillin", "Allergy: no penicillin": an allergy
    # heading whose answer denies the substances it names (the heading is no allergy of its own)
    (re.compile(rf"\ballerg(?:y|ies)(?:\s*[(（][^()（）\n]{{1,20}}[)）])?\s*(?:[:：]|\s[-–—]|-)\s*"
                rf"{_EN_NEG}\s+(?:(?:any|known)\s+)*(?:(?:allerg(?:y|ies)|hypersensitivity)\s+(?:to|with)\s+)?"
                rf"(?!{_EN_ALLERGY_WORD})(?P<list>{_EN_LIST})\b(?!\s+{_EN_ALLERGY_WORD})", re.I), "after"),
    # "not allergic to X", "never been allergic to X", "isn't allergic to X"
    (re.compile(rf"\b(?:not|never|isn'?t|wasn'?t|aren'?t|no\s+longer)\s+(?:been\s+|known\s+to\s+be\s+)?"
                rf"(?:allergic|hypersensitive)\s+(?:to|with)\s+(?P<list>{_EN_LIST})", re.I), "after"),
    # "allergic to penicillin? no", "allergy to X: denied"
    (re.compile(rf"\b(?:allergic|allerg(?:y|ies))\s+to\s+(?P<list>{_EN_LIST}){_EN_ANSWER_NO}", re.I), "answer"),
    # "no penicillin allergy", "denies penicillin or sulfa allergy", "negative for PCN allergy"
    (re.compile(rf"\b{_EN_NEG}\s+(?:(?:known|any)\s+)*(?P<list>{_EN_LIST})\s+{_EN_ALLERGY_WORD}\b(?!\s+to\b)",
                re.I), "before"),
    # "penicillin allergy: no", "PCN allergy - denied", "sulfa allergy? no"
    (re.compile(rf"(?<![A-Za-z?？])(?P<list>{_EN_LIST})\s+{_EN_ALLERGY_WORD}{_EN_ANSWER_NO}", re.I), "answer"),
    # "penicillin allergy ruled out", "sulfa allergy excluded"
    (re.compile(rf"(?<![A-Za-z?？])(?P<list>{_EN_LIST})\s+{_EN_ALLERGY_WORD}\s+(?:(?:has\s+been|was|is)\s+)?"
                r"(?:ruled\s+out|excluded)\b", re.I), "answer"),
]
_ZH_NEG = r"(?:否认有?|无明确|无已知|无|没有|未发现|未见|并无|未诉有?|从未有?|未曾有?)"
_ZH_LIST = r"[\u4e00-\u9fffA-Za-z、及和与或/,，]{1,30}?"
_ZH_DENIALS = [
    # 无青霉素过敏, 否认青霉素、头孢类药物过敏史, 没有磺胺过敏
    (re.compile(rf"{_ZH_NEG}对?(?P<list>{_ZH_LIST})类?(?:药物|药)?过敏(?:史|反应)?"), "before"),
    # 对青霉素不过敏
    (re.compile(rf"对(?P<list>{_ZH_LIST})类?(?:药物|药)?(?:不|没有|未)过敏"), "before"),
    # 青霉素过敏已排除
    (re.compile(rf"(?<!不)(?P<list>{_ZH_LIST})类?(?:药物|药)?过敏史?(?:已|经.{{0,6}}?)?排除"), "answer"),
    # 青霉素过敏史：无, 青霉素过敏：否
    (re.compile(rf"(?P<list>{_ZH_LIST})类?(?:药物|药)?过敏史?\s*[:：]\s*(?:无|否认?|阴性|没有)(?=[\s，。；;,]|$)"),
     "answer"),
]
# Words standing for every substance ("not allergic to anything", "否认青霉素及其他药物过敏"):
# with them a denial is general, as "no known allergies".
_GENERAL = re.compile(r"^(?:any(?:thing)?|any\s+(?:other\s+)?(?:drugs?|medications?|medicines?)|"
                      r"(?:other\s+)?(?:drugs?|medications?|medicines?)|others?|"
                      r"(?:其他|其它|任何)?(?:药物|药品|药)?)$", re.I)
# Words that qualify an allergy without naming a substance ("no significant allergy").
_NOT_NAMED = re.compile(r"^(?:significant|new|other|previous|prior|further|true|real|obvious|documented|"
                        r"reported|known|food|foods|seasonal|environmental|contact|skin)$", re.I)
# Allergens met outside medicines, named in English notes as a family.
_EN_ALLERGENS = re.compile(r"^(?:peanuts?|tree\s+nuts?|nuts?|eggs?|milk|dairy|shellfish|seafood|fish|prawns?|"
                           r"shrimps?|soy|soya|wheat|gluten|sesame|latex|iodine|contrast|bees?|wasps?|"
                           r"insect\s+stings?|pollen|dust|mites?|cats?|dogs?)$", re.I)


def _en_items(raw: str) -> list[str]:
    return [w for w, _ in _split_substances(raw)]


def _named(word: str, lang: str) -> str:
    """``word`` as the substance it names, "" when it names none."""
    if lang == "zh":
        word = re.sub(r"类?(?:药物|药)?$", "", _ZH_STRIP.sub("", word)).strip()
        found = _zh_substance(word)
        return found if found and len(found) >= len(word) - 1 else ""
    word = word.strip()
    if _NOT_NAMED.match(word):
        return ""
    if find_drugs(word) or _EN_ALLERGENS.match(word):
        return word
    return ""


def _denials(text: str) -> list[tuple[int, int, list[str], bool, str]]:
    """Each denial of ``text``: (start, end, the substances denied, whether it also denies
    every other allergy, language). A list whose words are not all substances (or one word
    standing for them all) is no denial: "no fever, penicillin allergy" keeps the allergy."""
    out: list[tuple[int, int, list[str], bool, str]] = []
    # only the sentences with an allergy word are read (a denial does not cross a full stop)
    for sentence in _DENIAL_SENTENCE.finditer(text):
        if _DENIAL_WORD.search(sentence.group(0)):
            out += _denials_in(text, sentence.start(), sentence.end())
    return out


_DENIAL_SENTENCE = re.compile(r"[^.;\n。；]+")
_DENIAL_WORD = re.compile(r"allerg|hypersens|reaction|过敏", re.I)


def _denials_in(text: str, pos: int, endpos: int) -> list[tuple[int, int, list[str], bool, str]]:
    out: list[tuple[int, int, list[str], bool, str]] = []
    for lang, table in (("en", _EN_DENIALS), ("zh", _ZH_DENIALS)):
        for rx, where in table:
            for m in rx.finditer(text, pos, endpos):
                if any(m.start() < e and s < m.end() for s, e, *_ in out):
                    continue
                raw = m.group("list")
                items = _en_items(raw) if lang == "en" else \
                    [p.strip() for p in re.split(r"[、,，/]|及|和|与|或", raw) if p.strip()]
                names: list[str] = []
                general, end = False, m.end()
                for k, item in enumerate(items):
                    if _GENERAL.match(item):
                        general = True
                        continue
                    name = _named(item, lang)
                    if not name and lang == "en" and k == 0 and len(items) == 1 and where != "answer" \
                            and re.search(r"allerg|hypersens", m.group(0), re.I):
                        # one word after "no allergy to" / "not allergic to" is what is denied, known
                        # or not ("no reaction to light" is no allergy statement: only a substance)
                        name = _clean_substance(item) if not _NOT_NAMED.match(item) else ""
                    if not name:
                        if where == "after" and names:
                            # "no allergy to penicillin and takes metformin": the list ends here
                            end = m.start("list") + raw.find(item)
                            break
                        names, general = [], False
                        break
                    names.append(name)
                if names or (general and where == "after" and lang == "en"):
                    out.append((m.start(), end, names, general, lang))
    return out


_ALLERGY_HEDGES = ("unconfirmed", "uncertain", "unclear", "unknown", "questionable", "not sure", "query",
                   "?", "？", "不详", "不确定", "不清楚", "待排", "待排除", "尚待排除", "尚待排", "待查", "待定", "可疑", "疑似",
                   "可能", "是否")


@lru_cache(maxsize=1)
def _hedge_words() -> str:
    """The hedges of ``cues.toml [uncertainty]`` (and of an allergy's own wording: "unconfirmed",
    "不详") as one alternation, longest first; English as whole words."""
    cues = load_cues()
    words = {*cues.lists.get("uncertain", ()), *(w for ws in cues.degrees.values() for w in ws), *_ALLERGY_HEDGES}
    parts = []
    for word in sorted(words, key=len, reverse=True):
        body = re.escape(word).replace(r"\ ", r"\s+")
        parts.append(rf"(?<![A-Za-z]){body}(?![A-Za-z])" if re.match(r"[A-Za-z]", word) else body)
    return "|".join(parts)


@lru_cache(maxsize=1)
def _hedge_before() -> re.Pattern[str]:
    return re.compile(rf"(?:{_hedge_words()})\s*(?:(?:of|an?|for|to)\s+)?(?:对|有)?\s*$", re.I)


@lru_cache(maxsize=1)
def _hedge_after() -> re.Pattern[str]:
    return re.compile(rf"史?\s*[(（]?\s*(?:{_hedge_words()})\s*[)）]?", re.I)


@lru_cache(maxsize=1)
def _hedge_any() -> re.Pattern[str]:
    return re.compile(_hedge_words(), re.I)


@lru_cache(maxsize=1)
def _hedge_lead() -> re.Pattern[str]:
    """A hedge opening an item of an allergy list ("Allergies: ?penicillin")."""
    return re.compile(rf"\s*(?:{_hedge_words()})\s*", re.I)


@lru_cache(maxsize=1)
def _hedge_tail() -> re.Pattern[str]:
    """A hedge closing an item of an allergy list ("Allergies: penicillin (query)")."""
    return re.compile(rf"\s*[(（]?\s*(?:{_hedge_words()})\s*[)）]?\s*$", re.I)


def _hedged(text: str, start: int, end: int, substance_at: int, said_end: int | None = None) -> tuple[bool, int, int]:
    """Whether the allergy statement ``text[start:end]`` is hedged, and the statement with its
    hedge: a hedge right before it (its clause only) or inside it before the substance
    ("可疑青霉素过敏"), or right after it ("青霉素过敏待排", "penicillin allergy?"), also right
    after its allergy word when the reaction is read from further on ("磺胺类过敏？家属称曾出皮疹")."""
    clause = max(text.rfind(c, 0, start) for c in ".;,\n。；，:：") + 1
    if (m := _hedge_before().search(text[max(clause, start - 24):start])):
        return True, max(clause, start - 24) + m.start(), end
    if substance_at > start and _hedge_any().search(text[start:substance_at]):
        return True, start, end
    for at in (end, said_end):
        if at is not None and (m := _hedge_after().match(text, at)):
            return True, start, max(end, m.end())
    return False, start, end


def sentence_case(text: str) -> str:
    """A statement as written, for a line of its own ("no penicillin allergy" -> "No penicillin allergy")."""
    text = " ".join(text.split()).strip(" ,;，；")
    return text[:1].upper() + text[1:]


def _list_on_next_line_after_denial(source: str, m: re.Match[str]) -> bool:
    """A heading's list that starts on a later line ("Allergies:" then "penicillin (rash)")
    is read, unless the heading's own line held words (a denial, read and blanked): then
    the next line is another heading's ("过敏史：否认青霉素过敏" / "用药：叶酸")."""
    head = source[m.start():m.start(1)]
    if "\n" not in head:
        return False
    rest = head[max(head.rfind(":"), head.rfind("：")) + 1:]     # after the heading's colon
    return bool(rest.split("\n", 1)[0].strip())


_HEADING_AT = re.compile(r"allerg(?:y|ies)(?:\s*[(（][^()（）\n]{1,20}[)）])?\s*(?:[:：]|\s[-–—]|-)\s*", re.I)
_LIST_ON = re.compile(r"[ \t]*([;；])([^\n.。;；]*)")


def _list_goes_on(text: str, start: int, end: int, chars: list[str]) -> int:
    """A denial inside an allergy list that goes on after a semicolon with a substance
    ("Allergies: no penicillin; sulfa (rash)", "过敏史：否认青霉素过敏；磺胺类（皮疹）"): the list's
    heading stays readable and the semicolon becomes a comma, so the allergies after the
    denial are read as the heading's list (they were lost with the heading). Returns how many
    characters at the start of the denial are its heading, to keep."""
    after = _LIST_ON.match(text, end)
    if not after or not after.group(2).strip():
        return 0
    first = _split_top(after.group(2))
    sub = _substance_and_reaction(first[0][0])[0] if first else ""
    lang = "zh" if re.search(r"[\u4e00-\u9fff]", sub) else "en"
    sub = sub.strip(" ()（）")
    if not sub or not _named(sub if lang == "zh" else sub.split()[0], lang):
        return 0                    # "Allergies: no penicillin; takes metformin": the list ends
    chars[after.start(1)] = "," if after.group(1) == ";" else "，"
    heading = _HEADING_AT.match(text, start)
    return heading.end() - start if heading else 0


def extract_allergies(text: str, *, doc: int = 0, base: int = 0) -> AllergyFacts:
    facts = AllergyFacts(source=text)
    source, chars = text, list(text)
    for start, end, names, general, _lang in _denials(text):
        span = Span(base + start, base + end, doc=doc)
        for name in names:
            drugs = find_drugs(name)
            canon = drugs[0][0] if drugs else (canonical_drug(name) or name.lower())
            if not any(d.canonical == canon for d in facts.denied):
                facts.denied.append(Allergy(substance=name, canonical=canon, spans=[span], written=text[start:end]))
        if general:        # "no penicillin or other drug allergy": none known besides
            facts.none_known = True
            facts.none_spans.append(span)
        facts.phrase_ranges.append((start, end))
        keep = _list_goes_on(text, start, end, chars)
        chars[start + keep:end] = " " * (end - start - keep)
    # a denial is read once: the rest of the reading sees blanks in its place
    text = "".join(chars)
    taken: list[tuple[int, int]] = []
    for m in _NONE_RE.finditer(text):
        facts.none_known = True
        facts.none_spans.append(Span(base + m.start(), base + m.end(), doc=doc))
        facts.phrase_ranges.append((m.start(), m.end()))
        taken.append((m.start(), m.end()))
    list_patterns = (_EN_PATTERNS[1], _ZH_PATTERNS[0])
    for rx in [*_EN_PATTERNS, *_ZH_PATTERNS]:
        for m in rx.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            if rx in list_patterns and _list_on_next_line_after_denial(source, m):
                continue
            if rx is _EN_PATTERNS[0] and _NEG_BEFORE.search(text[max(0, m.start() - 12):m.start()]):
                # "not allergic to penicillin": no allergy, and the drug named is no medication either.
                facts.phrase_ranges.append((m.start(), m.end()))
                taken.append((m.start(), m.end()))
                continue
            if rx in (*_EN_PATTERNS[3:], _ZH_PATTERNS[2]) and not find_drugs(m.group(1)):
                continue  # "Exam: rash", "reacts to light": only a drug name makes these an allergy
            phrase_end = m.end()
            found: list[tuple[str, str]] = []     # (substance, reaction)
            hedges: list[tuple[bool, str]] = []   # per item of a list: hedged, as written
            substance_at = m.start(1)
            if rx in list_patterns:
                # "Allergies: penicillin (rash), sulfa -> hives": each item has its own reaction.
                for piece, _off in _split_top(m.group(1)):
                    hedge = _hedge_lead().match(piece) or _hedge_tail().search(piece)
                    written = piece.strip()
                    if hedge:
                        piece = piece[:hedge.start()] + " " * (hedge.end() - hedge.start()) + piece[hedge.end():]
                    sub, reaction = _substance_and_reaction(piece)
                    words = [w for w, _ in _split_substances(sub)]
                    found += [(w, reaction if i == len(words) - 1 else "") for i, w in enumerate(words)]
                    hedges += [(bool(hedge), written)] * len(words)
            else:
                if rx in (_ZH_PATTERNS[1], _ZH_PATTERNS[2]):
                    raw = _zh_substance(m.group(1))
                    if not raw:
                        continue
                    after = m.end()
                    substance_at = m.start(1) + m.group(1).rfind(raw)
                else:
                    raw, after = m.group(1), m.end(1)
                reaction, r_end = _reaction_after(text, after)
                if rx is _EN_PATTERNS[_YEAR_ARROW] and (r := re.match(r"[^.;\n–—]{2,50}", text[m.end():])):
                    # the whole reaction as written: "lip/tongue swelling (angioedema)"
                    reaction, r_end = r.group(0).strip(), m.end() + len(r.group(0))
                if reaction:
                    phrase_end = max(phrase_end, r_end)
                else:
                    sentence = re.split(r"[.;。；\n]", text[m.end():m.end() + 40])[0]
                    if (r := _REACTION_RE.search(raw + " " + sentence[:30])):
                        reaction = r.group(0)
                        phrase_end = max(phrase_end, m.end() + len(reaction) + 3)
                    raw = _REACTION_RE.sub(lambda x: " " * len(x.group(0)), raw)
                words = [w for w, _ in _split_substances(raw)]
                found += [(w, reaction if i == len(words) - 1 else "") for i, w in enumerate(words)]
                hedged, h_start, h_end = _hedged(text, m.start(), phrase_end, substance_at, m.end())
                hedges = [(hedged, source[h_start:h_end].strip())] * len(words)
                if hedged:
                    phrase_end = max(phrase_end, h_end)
            added = False
            for k, (word, reaction) in enumerate(found):
                word = _clean_substance(word)
                if not word:
                    continue
                drugs = find_drugs(word)
                canon = drugs[0][0] if drugs else (canonical_drug(word) or word.lower())
                uncertain, written = hedges[k] if k < len(hedges) else (False, "")
                allergy = Allergy(substance=word, canonical=canon, reaction=reaction,
                                  spans=[Span(base + m.start(), base + phrase_end, doc=doc)],
                                  uncertain=uncertain, written=written if uncertain else "")
                facts.merge(AllergyFacts(allergies=[allergy]))
                added = True
            if added:
                taken.append((m.start(), phrase_end))
                facts.phrase_ranges.append((m.start(), phrase_end))
    return facts


def _zh_substance(raw: str) -> str:
    """The drug or food named right before 过敏 (“有青霉素过敏史” → 青霉素)."""
    drugs = [d for d in find_drugs(raw) if len(raw) - d[2] <= 1]
    if drugs:
        return raw[drugs[-1][1]:drugs[-1][2]]
    m = re.search(rf"({_ZH_FOODS})类?$", raw)
    if m:
        return m.group(1)
    # A drug the lexicon does not know, recognised by its ending (链霉素, 头孢地尼, 利多卡因).
    m = _ZH_DRUG_SUFFIX.search(_ZH_STRIP.sub("", raw))
    return m.group(1) if m else ""


def _reaction_after(text: str, pos: int) -> tuple[str, int]:
    """The reaction written right after an allergen ("(rash)", "-> skin peeling", "（皮疹）")
    and where it ends; ``("", pos)`` when there is none."""
    if (m := _REACTION_PAREN.match(text, pos)):
        return m.group(1).strip(), m.end()
    if (m := _REACTION_ARROW.match(text, pos)):
        reaction = m.group(1).strip(" ,，-")
        if re.search(r"[A-Za-z\u4e00-\u9fff]{2,}", reaction) and not _NOT_SUBSTANCE.match(reaction):
            return reaction, m.end()
    return "", pos
