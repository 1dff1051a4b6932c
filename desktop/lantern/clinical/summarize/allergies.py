"""Allergy statements: "NKDA", "allergic to penicillin (rash)", "PCN allergy",
"青霉素过敏", "否认药物过敏史". Allergies are never dropped from a summary."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lantern.clinical.summarize.lexicon import canonical_drug, find_drugs
from lantern.clinical.summarize.text import Span

_NONE_RE = re.compile(
    r"\bNKD?As?\b|\bno known (?:drug |medication )?allerg(?:y|ies)\b|\bnil known allerg(?:y|ies)\b|"
    r"\ballerg(?:y|ies)\s*[:：-]?\s*(?:nil|none|nkda|no known|denied|neg)\b|\bno allerg(?:y|ies)\b|"
    r"\bdenies (?:any )?(?:drug )?allerg(?:y|ies)\b|否认(?:药物|食物)?(?:及食物)?过敏史?|无(?:药物)?过敏史|"
    r"无已知(?:药物)?过敏|过敏史\s*[:：]\s*(?:无|否认)", re.IGNORECASE)

_REACTION_WORDS = (r"rash|hives|urticaria|anaphylaxis|swelling|angioedema|itch(?:ing)?|wheez(?:e|ing)|"
                   r"vomiting|diarrh(?:o)?ea|sjs|stevens[- ]johnson|bronchospasm|皮疹|荨麻疹|过敏性休克|"
                   r"休克|瘙痒|水肿|喉头水肿|呼吸困难")
_REACTION_RE = re.compile(_REACTION_WORDS, re.IGNORECASE)
_SUBSTANCE = r"[A-Za-z][A-Za-z\- ]{1,30}?"
_EN_PATTERNS = [
    # allergic to X (and Y) / allergy to X / hypersensitive to X
    re.compile(rf"\b(?:allergic|allergy|allergies|hypersensitiv(?:e|ity))\s+to\s+((?:{_SUBSTANCE})(?:\s*(?:,|and|/|&)\s*{_SUBSTANCE})*)"
               rf"(?=\s*(?:\(|-|–|—|[.;,\n]|$|\s+(?:with|causing|gives|which|since|as|but)\b))", re.I),
    # Allergies: X, Y (rash)
    re.compile(r"\ballerg(?:y|ies)\s*[:：]\s*([^\n.;]{2,80})", re.I),
    # X allergy / PCN allergic
    re.compile(r"\b([A-Za-z][A-Za-z\-]{1,25})\s+(?:allergy|allergic|hypersensitivity)\b(?!\s+to)", re.I),
]
_ZH_FOODS = r"花粉|海鲜|鸡蛋|花生|牛奶|芒果|酒精|碘|乳胶|尘螨|鱼虾"
_ZH_PATTERNS = [
    re.compile(r"过敏史\s*[:：]\s*([^\n。；;]{1,40})"),
    re.compile(r"对?([\u4e00-\u9fffA-Za-z]{1,12}?)(?:类)?(?:药物|药)?过敏"),
]
_NOT_SUBSTANCE = re.compile(
    r"^(?:known|no|nil|none|any|drug|drugs|medication|medications|food|seasonal|history|hx|"
    r"nkda|status|denied|the|a|an|is|are|of|with|and|or|无|否认|有|既往|药物|食物|不详|未知)$", re.I)
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


def extract_allergies(text: str, *, doc: int = 0, base: int = 0) -> AllergyFacts:
    facts = AllergyFacts(source=text)
    for m in _NONE_RE.finditer(text):
        facts.none_known = True
        facts.none_spans.append(Span(base + m.start(), base + m.end(), doc))
        facts.phrase_ranges.append((m.start(), m.end()))
    taken: list[tuple[int, int]] = [(s, e) for s, e in facts.phrase_ranges]
    for rx in [*_EN_PATTERNS, *_ZH_PATTERNS]:
        for m in rx.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            raw = m.group(1)
            if rx is _ZH_PATTERNS[1]:
                raw = _zh_substance(raw)
                if not raw:
                    continue
            after = text[m.end():m.end() + 40]
            reaction, reaction_at = "", -1
            if (r := _REACTION_RE.search(raw + " " + after[:30])):
                reaction, reaction_at = r.group(0), r.start()
            added = False
            pieces = _split_substances(_REACTION_RE.sub(lambda x: " " * len(x.group(0)), raw))
            owner = max((off for _, off in pieces if off < reaction_at), default=None)
            for word, off in pieces:
                word = _ZH_STRIP.sub("", word).strip(" ()（）:-")
                word = re.sub(r"\s+(?:with|causing|gives|which)\b.*$", "", word, flags=re.I).strip()
                word = re.sub(r"类?(?:药物|药)?过敏.*$", "", word).strip()
                if not word or _NOT_SUBSTANCE.match(word) or len(word) > 30:
                    continue
                drugs = find_drugs(word)
                canon = drugs[0][0] if drugs else (canonical_drug(word) or word.lower())
                allergy = Allergy(substance=word, canonical=canon,
                                  reaction=reaction if owner is None or off == owner else "",
                                  spans=[Span(base + m.start(), base + m.end(), doc)])
                facts.merge(AllergyFacts(allergies=[allergy]))
                added = True
            if added:
                taken.append((m.start(), m.end()))
                facts.phrase_ranges.append((m.start(), m.end() + (len(reaction) + 3 if reaction else 0)))
    return facts


def _zh_substance(raw: str) -> str:
    """The drug or food named right before 过敏 (“有青霉素过敏史” → 青霉素)."""
    drugs = [d for d in find_drugs(raw) if len(raw) - d[2] <= 1]
    if drugs:
        return raw[drugs[-1][1]:drugs[-1][2]]
    m = re.search(rf"({_ZH_FOODS})类?$", raw)
    return m.group(1) if m else ""
