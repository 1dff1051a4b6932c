"""Allergy statements: "NKDA", "allergic to penicillin (rash)", "PCN allergy",
"青霉素过敏", "否认药物过敏史". Allergies are never dropped from a summary."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lantern.clinical.language.drugs import canonical_drug, find_drugs
from lantern.clinical.language.text import Span

_NONE_RE = re.compile(
    r"\bNKD?As?\b|\bno known (?:drug |medication )?allerg(?:y|ies)\b|\bnil known allerg(?:y|ies)\b|"
    r"\ballerg(?:y|ies)\s*[:：-]?\s*(?:(?:nil|none)(?: known)?|nkda|no known(?: drug)?(?: allerg(?:y|ies))?|denied|neg)\b|"
    r"\bno allerg(?:y|ies)\b|"
    r"\bdenies (?:any )?(?:drug )?allerg(?:y|ies)\b|"
    r"过敏史\s*[:：]\s*(?:否认(?:药物|食物)?(?:及食物)?过敏史?|无(?:药物|食物)?(?:过敏史?)?|否认)|"
    r"否认(?:药物|食物)?(?:及食物)?过敏史?|无(?:药物|食物|已知)*过敏史?(?!反应)|"
    r"(?:没有|未发现|未见|不详)(?:任何)?(?:药物|食物|已知)*过敏史?(?!反应)", re.IGNORECASE)

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
    re.compile(r"\ballerg(?:y|ies)(?:\s*[(（][^()（）\n]{1,20}[)）])?\s*(?:[:：]|\s[-–—]\s)\s*([^\n.;]{2,80})",
               re.I),
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
    # "(allergic) reaction to X", "reacts badly to X", "intolerant of X": only a drug counts
    # ("pupils react to light" is no allergy)
    re.compile(rf"\b(?:(?:allergic |adverse |bad |severe |drug )?reactions?|react(?:s|ed)?(?: badly| severely)?|"
               rf"intoleran(?:t|ce))\s+(?:to|of|with)\s+((?:{_SUBSTANCE})(?:\s*(?:,|and|/|&)\s*{_SUBSTANCE})*)"
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
    r"(?:nil|none|no|not|denies|denied)\b.*|"
    # a clause about the allergy, not a substance ("allergic to penicillin, which caused a rash")
    r"(?:which|that|who|causing|caused|giving|gave)\b.*|"
    r"无|否认|有|既往|药物|食物|不详|未知|未记录|未提供|不清楚|"
    # the reaction's clause, not a substance ("青霉素过敏，表现为皮疹")
    r"表现为?.*|症状为?.*)$", re.I)
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

    def render(self, lang: str = "en") -> str:
        if self.reaction:
            return f"{self.substance}（{self.reaction}）" if lang == "zh" else f"{self.substance} ({self.reaction})"
        return self.substance


@dataclass(slots=True)
class AllergyFacts:
    allergies: list[Allergy] = field(default_factory=list)
    none_known: bool = False
    none_spans: list[Span] = field(default_factory=list)
    phrase_ranges: list[tuple[int, int]] = field(default_factory=list)  # in the text given
    source: str = ""                                                     # the text parsed

    def merge(self, other: AllergyFacts) -> None:
        """Union; an allergy once recorded is never removed by a later 'NKDA'."""
        for allergy in other.allergies:
            found = next((a for a in self.allergies if a.canonical == allergy.canonical), None)
            if found is None:
                self.allergies.append(allergy)
            else:
                found.spans.extend(allergy.spans)
                if not found.reaction and allergy.reaction:
                    found.reaction = allergy.reaction
        if other.none_known and not self.none_known:
            self.source = other.source
        self.none_known = self.none_known or other.none_known
        self.none_spans.extend(other.none_spans)


def _split_substances(raw: str) -> list[tuple[str, int]]:
    parts = []
    for m in re.finditer(r"[^,/&、，]+", raw):
        piece = m.group(0)
        for sub in re.finditer(r"(?:(?!\band\b|\bor\b|和|及|与).)+", piece):
            word = sub.group(0).strip(" ()-")
            if word:
                parts.append((word, m.start() + sub.start() + sub.group(0).find(word)))
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
    if not word or _NOT_SUBSTANCE.match(word) or len(word) > 30:
        return ""
    return word


def extract_allergies(text: str, *, doc: int = 0, base: int = 0) -> AllergyFacts:
    facts = AllergyFacts(source=text)
    for m in _NONE_RE.finditer(text):
        facts.none_known = True
        facts.none_spans.append(Span(base + m.start(), base + m.end(), doc=doc))
        facts.phrase_ranges.append((m.start(), m.end()))
    taken: list[tuple[int, int]] = [(s, e) for s, e in facts.phrase_ranges]
    list_patterns = (_EN_PATTERNS[1], _ZH_PATTERNS[0])
    for rx in [*_EN_PATTERNS, *_ZH_PATTERNS]:
        for m in rx.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
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
            if rx in list_patterns:
                # "Allergies: penicillin (rash), sulfa -> hives": each item has its own reaction.
                for piece, _off in _split_top(m.group(1)):
                    sub, reaction = _substance_and_reaction(piece)
                    words = [w for w, _ in _split_substances(sub)]
                    found += [(w, reaction if i == len(words) - 1 else "") for i, w in enumerate(words)]
            else:
                if rx in (_ZH_PATTERNS[1], _ZH_PATTERNS[2]):
                    raw = _zh_substance(m.group(1))
                    if not raw:
                        continue
                    after = m.end()
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
            added = False
            for word, reaction in found:
                word = _clean_substance(word)
                if not word:
                    continue
                drugs = find_drugs(word)
                canon = drugs[0][0] if drugs else (canonical_drug(word) or word.lower())
                allergy = Allergy(substance=word, canonical=canon, reaction=reaction,
                                  spans=[Span(base + m.start(), base + phrase_end, doc=doc)])
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
