"""Drug names to formulary ids: generic names, aliases and brands in English and Chinese,
a strength in the name ("artemether-lumefantrine 20/120", "amoxicillin 250mg"), form
words ("tabs", "syrup", "片") and typos (one edit, with the project's spelling fold from
:mod:`lantern.clinical.language.lexicon`). A typo that could be two drugs is not guessed.

Keys keep word boundaries ("if a" is not the alias "IFA"); a one-word key also matches a
name written as one word ("cotrimoxazole" for "co-trimoxazole").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from lantern.clinical.language.lexicon import one_edit, spelling_key

# a number glued to letters that are not a unit is part of a name ("3TC", lamivudine), not a strength
_NUMBER_RE = re.compile(r"(?<![a-z\d])(\d+(?:\.\d+)?)\s*(mg|mcg|µg|ug|g|iu|units?|ml|mmol|%|毫克|微克|克|毫升)?"
                        r"(?![a-z\d])", re.IGNORECASE)
# Chinese units written after a strength ("扑热息痛 0.5克" is 500 mg, not 0.5)
_ZH_UNITS = {"毫克": "mg", "微克": "mcg", "克": "g", "毫升": "ml"}
# a decimal comma in a strength below one ("Paracetamol 0,5 g", "0,25 g"): no composition starts with 0,
# so "0,5" is never a list of two strengths
_DECIMAL_COMMA_RE = re.compile(r"(?<![\d,.])0,(\d+)(?![\d,])")
# a thousands separator inside a number ("nystatin 100,000 IU/ml", "vitamin A 200,000 IU", "1,200,000
# IU") is one number, not a list of strengths: groups of three digits ending in 000, the number not
# itself inside a comma list ("RHZE 150,75,400,275" and "300,300" stay lists)
_THOUSANDS_RE = re.compile(r"(?<![\d,.])\d{1,3}(?:,\d{3})*,000(?![\d,])")
# a ratio of a combination's parts ("阿莫西林克拉维酸钾片(2:1)", "co-amoxiclav 4:1", "7：1"): two small numbers
# without a unit, not strengths ("100ml:2g" has units; adrenaline "1:1000" is left as it was)
_RATIO_RE = re.compile(r"(?<![\d.:])\d{1,2}\s*:\s*\d{1,2}(?![\d.:]|\s*(?:mg|mcg|µg|ug|g|iu|units?|ml|mmol|%))",
                       re.IGNORECASE)
_PER_ML_RE = re.compile(r"(?:mg|mcg|µg|ug|g|iu|units?)\s*/\s*(?:ml|毫升)\b", re.IGNORECASE)
_SEP_RE = re.compile(r"[\s\-_/+,;:()\[\].]+")
_CJK_RE = re.compile(r"[\u3400-\u9fff]")
_NOISE = frozenset({
    "mg", "mcg", "g", "iu", "ml", "unit", "units", "tab", "tabs", "tablet", "tablets", "cap", "caps",
    "capsule", "capsules", "syrup", "syr", "susp", "suspension", "inj", "injection", "dt", "dispersible",
    "oral", "po", "iv", "im", "sc", "sachet", "sachets", "solution", "soln", "drops", "cream", "ointment",
    "vial", "amp", "ampoule", "paediatric", "pediatric", "ped", "forte", "sr", "xr", "er", "x", "kg",
})
# Chinese brand names are transliterations typed with a pinyin input method: the character picked
# is often another of the same syllable ("新康太克" for 新康泰克, "芬必的" for 芬必得, "格化止" for 格华止,
# "拜糖苹" for 拜唐苹). Each group is characters of one syllable (tones aside) that such names use; a
# name of three characters or more written with them is the same name (a "typo" match, never a guess
# between two drugs). No pinyin table ships with Lantern (see lantern.services.duplicates), so the
# groups are written here: a family of spellings, not a list of product names.
_SAME_SYLLABLE = (
    "泰太态钛", "得的德", "华化花桦", "唐糖塘", "克可科", "林琳霖淋", "尔儿耳", "灵令凌玲铃", "康慷",
    "必比毕碧", "诺喏", "乐勒", "思斯丝司", "利力立丽莉", "美每镁", "素苏速", "舒书淑", "宁凝柠",
    "芬分酚", "希昔息析", "沙莎纱", "维唯威伟", "普谱浦", "洛罗络", "欣新心信", "奇琪", "复富福",
    "达答", "迪笛帝", "倍贝", "博泊", "妥拓", "平苹萍", "亚雅", "莫默", "瑞锐", "雷蕾", "依伊",
    "佳家嘉", "凯恺楷", "邦帮", "菲非啡", "泽择", "星醒", "优尤", "巴芭", "玛马",
)
_SYLLABLE = str.maketrans({ch: group[0] for group in _SAME_SYLLABLE for ch in group})
_MIN_SOUND = 3         # Chinese names shorter than this are not matched by sound


def sound_key(text: str) -> str:
    """Chinese text with each character of a same-syllable group written as the group's first."""
    return text.translate(_SYLLABLE)


_MIN_TYPO = 5          # shorter words are not typo-matched ("amox" is an alias or nothing)
_MAX_WINDOW = 4
# the Chinese forms of INN stems (WHO, The use of stems in the selection of INNs; 中国药品通用名称命名原则):
# -floxacin 沙星, -cillin 西林, cef- 头孢, -mycin 霉素, -cycline 环素, -penem 培南, -conazole 康唑,
# -nidazole 硝唑, -prazole 拉唑, -tidine 替丁, -pril 普利, -sartan 沙坦, -dipine 地平, -olol 洛尔,
# -statin 他汀, gli- 格列, -azepam 西泮, -setron 司琼, -tinib 替尼. A formulary name glued to another
# medicine's stem ("阿莫西林沙星", "头孢克洛沙星") is an invented name, not that medicine
_ZH_STEMS = ("沙星", "西林", "头孢", "霉素", "环素", "培南", "康唑", "硝唑", "拉唑", "替丁", "普利", "沙坦", "地平",
             "洛尔", "他汀", "格列", "西泮", "司琼", "替尼")


def _keep_percent(m: re.Match) -> str:
    return f" {m.group(0).replace(' ', '')} " if (m.group(2) or "") == "%" else " "


def _fold(text: str) -> str:
    """Lower case, compatibility forms folded, and accents and pinyin tone marks dropped
    ("Paracétamol", "Bùluòfēn" and "lǜléitādìng" are paracetamol, buluofen and luleitading)."""
    text = unicodedata.normalize("NFKC", text).lower().strip()
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", text)
                                                if not unicodedata.combining(c)))


# pinyin written with tone numbers, two syllables or more ("bu4luo4fen1"): the numbers are tones
_TONE_NUMBERS_RE = re.compile(r"(?:[a-z]+[1-5]){2,}[a-z]*")


def _words(text: str) -> list[str]:
    return [re.sub(r"[1-5]", "", w) if _TONE_NUMBERS_RE.fullmatch(w) else w
            for w in _SEP_RE.split(_fold(text)) if w]


def _compact(text: str) -> str:
    """A Chinese name's words run together, a space kept between two numbers ("维生素B6 50mg" is
    "维生素b6 50mg": vitamin B6 and its strength, not a "b650")."""
    out = ""
    for w in _words(text):
        out += (" " if out and out[-1].isdigit() and w[0].isdigit() else "") + w
    return out


def _key(words: list[str]) -> str:
    return " ".join(spelling_key(w) for w in words)


@lru_cache(maxsize=16384)
def name_keys(name: str) -> frozenset[str]:
    """The lookup keys of one name or alias: its words, and its words run together (cached: the
    validator and every name index read the same few thousand names)."""
    if _CJK_RE.search(name):
        compact = _compact(name)
        return frozenset({compact} if compact else ())
    words = [w for w in _words(name) if w not in _NOISE]
    if not words:
        return frozenset()
    if any(len(w) == 1 for w in words):
        # a one-letter word tells products apart ("insulin n", "humulin r"); run together,
        # the spelling fold would eat it ("insulinn" -> "insulin", every insulin)
        return frozenset({_key(words)})
    return frozenset({_key(words), spelling_key("".join(words))})


@lru_cache(maxsize=4096)
def _in_text(key: str) -> re.Pattern[str]:
    """A Chinese name ending in a number, not followed by another digit ("维生素B1" is not inside
    "维生素B12", vitamin B12)."""
    return re.compile(re.escape(key) + r"(?!\d)")


_CONCENTRATION_RE = re.compile(r"\d+%?")


def _unbroken(words: list[str]) -> list[str]:
    """A name's words without a concentration written between them ("chloramphenicol 0.5% eye
    drops" is the eye drops, "tetracycline 1% eye ointment" the eye ointment): only inside a
    window that starts and ends with a word, so "glucose 10%" keeps its concentration."""
    if len(words) < 3 or _CONCENTRATION_RE.fullmatch(words[0]) or _CONCENTRATION_RE.fullmatch(words[-1]):
        return words
    kept = [w for w in words if not _CONCENTRATION_RE.fullmatch(w)]
    return kept if len(kept) >= 2 else words


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


@dataclass(frozen=True, slots=True)
class Resolved:
    drug: str
    how: str                      # "name" (a name, alias or the id) | "typo" | "agreed" (in DRUGS.md, not written yet)
    strengths: tuple[float, ...] = ()
    per_ml: float | None = None


def strengths_in(text: str) -> tuple[tuple[float, ...], float | None]:
    """The strengths written in a name: "20/120" -> (20, 120); "125mg/5ml" -> (125,), per 5 ml."""
    found: list[float] = []
    per_ml = None
    text = _DECIMAL_COMMA_RE.sub(r"0.\1", _RATIO_RE.sub(" ", unicodedata.normalize("NFKC", text)))
    for m in _NUMBER_RE.finditer(_THOUSANDS_RE.sub(lambda m: m.group(0).replace(",", ""), text)):
        value, unit = float(m.group(1)), (m.group(2) or "").lower()
        unit = _ZH_UNITS.get(unit, unit)
        if unit == "ml":
            per_ml = value
        elif unit == "g":
            found.append(value * 1000)
        elif unit in ("mcg", "µg", "ug"):
            found.append(value / 1000)
        elif unit != "%":
            found.append(value)
    if per_ml is None and _PER_ML_RE.search(text):      # "100mg/ml": per one ml
        per_ml = 1.0
    return tuple(found), per_ml


def _generic(name: str) -> bool:
    """Aliases safe to look for in running text: Chinese, or every word of 3 letters or more
    ("ORS", "zinc", "rehydration salts"; not "plan b", not "AL")."""
    return bool(_CJK_RE.search(name)) or all(len(w) >= 3 for w in _words(name))


class NameIndex:
    """Every formulary name and alias (and the agreed names of DRUGS.md) by key.

    ``generic_only``: only names, and aliases safe in running text (no "plan b"), for
    scanning curated text such as the knowledge base's next steps."""

    def __init__(self, *, names: dict[str, list[str]], agreed: dict[str, str], generic_only: bool = False,
                 primary: dict[str, list[str]] | None = None, carriers: frozenset[str] = frozenset(),
                 products: dict[str, list[tuple[str, tuple[float, ...]]]] | None = None,
                 form_strengths: dict[str, frozenset[float]] | None = None,
                 combinations: dict[str, frozenset[str]] | None = None) -> None:
        # fixed-dose combinations by their ingredients: a text naming the ingredients one by one
        # ("多替拉韦/拉米夫定/替诺福韦片", "利福平/异烟肼/吡嗪酰胺分散片") is the combination that holds them
        self._combinations = combinations or {}
        # the strengths that name a composition of each drug (a combination's total and components):
        # a name two medicines share ("CTX") is read by such a strength written beside it
        self._form_strengths = form_strengths or {}
        # a product name that means one composition of a drug (a form's ``names``): drug id ->
        # (name, the strengths of that form), so that "999感冒灵颗粒" is counted from its own sachet
        self._products = products or {}
        # carrier fluids (sodium chloride 0.9%, glucose 5%): a premixed infusion names its medicine
        # and the fluid it comes in ("左氧氟沙星氯化钠注射液", levofloxacin in sodium chloride)
        self.carriers = carriers
        self._keys: dict[str, set[str]] = {}
        self._agreed_keys: dict[str, set[str]] = {}
        self._written = frozenset(names)                      # an exact id means that drug
        self._ids = self._written | frozenset(agreed)
        self._cjk: list[tuple[str, str, str]] = []             # (Chinese key, drug id, how)
        for drug_id, drug_names in names.items():
            keep = set(primary.get(drug_id, ())) if primary else set()
            for name in drug_names:
                if generic_only and name not in keep and not _generic(name):
                    continue
                for key in name_keys(name):
                    self._keys.setdefault(key, set()).add(drug_id)
                    if _CJK_RE.search(key):
                        self._cjk.append((key, drug_id, "name"))
        for drug_id, name in agreed.items():
            # the DRUGS.md name of a written drug is one more name of it ("Combined oral contraceptive")
            table = self._keys if drug_id in names else self._agreed_keys
            for variant in (name, drug_id, *name.split(" / ")):
                for key in name_keys(variant):
                    if drug_id in names and key in self._keys:
                        continue
                    table.setdefault(key, set()).add(drug_id)
                    if drug_id not in names and _CJK_RE.search(key):
                        # a medicine not written yet whose Chinese name holds a formulary name
                        # (罗红霉素 roxithromycin holds 红霉素 erythromycin): the longer name wins
                        self._cjk.append((key, drug_id, "agreed"))
        # the longest name first; of two as long, a medicine not written yet (listed because its
        # name holds a formulary name: 硫酸羟氯喹片 holds both 羟氯喹 and 氯喹片)
        self._cjk.sort(key=lambda kv: (-len(kv[0]), kv[2] != "agreed"))
        self._names_re: re.Pattern[str] | None = None
        # the same names by sound (a homophone typed for a character): a sound key two drugs share
        # is no match
        by_sound: dict[str, set[str]] = {}
        for key, drug_id, _how in self._cjk:
            if len(key) >= _MIN_SOUND:
                by_sound.setdefault(sound_key(key), set()).add(drug_id)
        self._sound = sorted(((k, next(iter(ids))) for k, ids in by_sound.items() if len(ids) == 1),
                             key=lambda kv: -len(kv[0]))
        self._near: dict[str, set[str]] = {}      # one deletion of a one-word key -> keys
        for key in self._keys:
            if " " not in key and len(key) >= _MIN_TYPO - 1 and not _CJK_RE.search(key):
                for d in _deletes(key) | {key}:
                    self._near.setdefault(d, set()).add(key)

    def _exact(self, key: str) -> tuple[str, str] | None:
        for table, how in ((self._keys, "name"), (self._agreed_keys, "agreed")):
            ids = table.get(key)
            if ids and len(ids) == 1:
                return next(iter(ids)), how
            if ids:
                return None         # a name two formulary drugs share: never a third drug's
        return None

    def shared(self, text: str) -> tuple[str, ...]:
        """The medicines a name in ``text`` could be when two or more share it ("CTX": co-trimoxazole
        to an HIV clinic, cefotaxime to a ward, cyclophosphamide to an oncologist), else ()."""
        words = [w for w in _words(_NUMBER_RE.sub(_keep_percent, _fold(text)))
                 if w not in _NOISE and not _CJK_RE.search(w)]
        for size in range(min(len(words), _MAX_WINDOW), 0, -1):
            for i in range(len(words) - size + 1):
                key = _key(words[i:i + size])
                ids = self._keys.get(key, set()) | self._agreed_keys.get(key, set())
                if len(ids) > 1:
                    return tuple(sorted(ids))
        return ()

    def _by_strength(self, text: str, strengths: tuple[float, ...]) -> str | None:
        """A shared name with a strength that names one of its medicines' compositions: that medicine
        ("CTX 960" is co-trimoxazole 800 + 160 mg). "CTX 1 g" stays unknown: cefotaxime comes in 1 g
        vials, and so does cyclophosphamide, whose entry is not written."""
        if not strengths:
            return None
        fits = [d for d in self.shared(text)
                if all(any(abs(s - f) < 1e-6 for f in self._form_strengths.get(d, ())) for s in strengths)]
        return fits[0] if len(fits) == 1 else None

    def _typo(self, key: str) -> tuple[str, str] | None:
        if len(key) < _MIN_TYPO or " " in key:
            return None
        near = {d for probe in _deletes(key) | {key} for k in self._near.get(probe, ())
                if one_edit(key, k) for d in self._keys[k]}
        return (next(iter(near)), "typo") if len(near) == 1 else None

    def resolve(self, text: str) -> Resolved | None:
        """The drug a name means, or None (never a guess between two drugs)."""
        strengths, per_ml = strengths_in(text)
        if text.strip() in self._ids:          # "dextrose_10" is that drug, never "dextrose"
            how = "name" if text.strip() in self._written else "agreed"
            return Resolved(drug=text.strip(), how=how, strengths=(), per_ml=None)
        if self._glued_stem(text):
            return None
        for drug_id, how in self.mentions(text, first=True, agreed_cjk=True):
            if drug_id in self.carriers:
                # a medicine premixed in its carrier fluid is that medicine, not the fluid
                drug_id, how = next(((d, h) for d, h in self.mentions(text, typos=False, agreed_cjk=True)
                                     if d not in self.carriers), (drug_id, how))
            drug_id = self._combination(text, drug_id)
            # a product name is its composition, whatever number the name carries ("999感冒灵")
            strengths = self._product_strengths(text, drug_id) or strengths
            return Resolved(drug=drug_id, how=how, strengths=strengths, per_ml=per_ml)
        if (shared_id := self._by_strength(text, strengths)) is not None:
            return Resolved(drug=shared_id, how="name", strengths=strengths, per_ml=per_ml)
        return None

    def _combination(self, text: str, drug_id: str) -> str:
        """The fixed-dose combination a text means when it names two or more medicines: one of them
        that holds all the others (the "TLD" of "多替拉韦/拉米夫定/替诺福韦片 (TLD)"), else the one
        combination whose ingredients are exactly those named ("利福平/异烟肼/吡嗪酰胺分散片" is RHZ, not
        RHZE, nor the pyrazinamide its longest name is), a combination named counting as its
        ingredients. Otherwise ``drug_id`` (the first name read):
        a combination the formulary does not hold keeps its first medicine, the others named beside it."""
        named = {d for d, _ in self.mentions(text, typos=False, agreed_cjk=True) if d not in self.carriers}
        named.add(drug_id)
        if len(named) < 2 or not self._combinations:
            return drug_id
        holding = [d for d in named if named - {d} <= self._combinations.get(d, frozenset())]
        if len(holding) == 1:
            return holding[0]
        if holding:
            return drug_id
        # by ingredients: "多替拉韦/拉米夫定/替诺福韦" reads DTG/3TC's name and tenofovir's, which are TLD's three
        wanted = frozenset(x for d in named for x in self._combinations.get(d, {d}))
        exact = [d for d, parts in self._combinations.items() if parts == wanted]
        return exact[0] if len(exact) == 1 else drug_id

    def _glued_stem(self, text: str) -> bool:
        """Whether a word of the Chinese name ``text`` glues a formulary name to the INN stem of
        another medicine (:data:`_ZH_STEMS`) that no name accounts for ("阿莫西林沙星颗粒"): a made-up
        name is unknown, never its nearest medicine. A name written in another's carrier
        ("左氧氟沙星氯化钠注射液") or beside it in brackets is two names, not one made up."""
        if not _CJK_RE.search(text):
            return False
        if self._names_re is None:      # every Chinese name, the longest first (compiled on first use)
            self._names_re = re.compile("|".join(re.escape(k) for k, _d, _h in self._cjk))
            # the beginnings (3 characters or more) of every Chinese name, by drug
            self._starts: dict[str, set[str]] = {}
            self._prefix_words: dict[str, bool] = {}
            for key, drug_id, _how in self._cjk:
                for n in range(3, len(key)):
                    self._starts.setdefault(key[:n], set()).add(drug_id)
        for word in _words(text):
            if self._blended(word):
                return True
            if not any(stem in word for stem in _ZH_STEMS):
                continue
            rest = self._names_re.sub("\0", word)
            if rest != word and any(f"\0{stem}" in rest or f"{stem}\0" in rest for stem in _ZH_STEMS):
                return True
        return False

    def _blended(self, word: str) -> bool:
        """Whether a Chinese word runs the beginning of one medicine's name into another's name,
        overlapping ("阿莫西沙星": 阿莫西(林) amoxicillin into 莫西沙星 moxifloxacin): the characters
        before a name found in the word, with the first characters of that name, begin the name of
        another medicine that the word does not hold. A made-up blend, never the medicine inside it.
        Words written before names ("注射用头孢曲松钠", "复方磷酸可待因") are no fragment of a name."""
        assert self._names_re is not None
        m = self._names_re.search(word)
        if m is None or m.start() == 0 or not _CJK_RE.fullmatch(word[m.start() - 1]):
            return False
        lead = word[:m.start()]
        found = {d for k, d, _h in self._cjk if k == m.group(0)}
        for start in range(len(lead)):
            for n in range(1, len(m.group(0))):
                others = self._starts.get(lead[start:] + m.group(0)[:n], set()) - found
                if others and not self._prefix_word(lead[start:]):
                    return True
        return False

    def _prefix_word(self, lead: str) -> bool:
        """Whether ``lead`` is a word written before names ("注射用", "复方", "盐酸"): some Chinese name is
        that word followed by another name ("注射用头孢呋辛钠", "复方对乙酰氨基酚片"). Read when first asked."""
        assert self._names_re is not None
        if lead not in self._prefix_words:
            names_re = self._names_re
            self._prefix_words[lead] = any(k.startswith(lead) and len(k) > len(lead) and names_re.match(k, len(lead))
                                           for k, _d, _h in self._cjk)
        return self._prefix_words[lead]

    def _product_strengths(self, text: str, drug_id: str) -> tuple[float, ...]:
        """The strengths of the form a product name in ``text`` means (the longest name named),
        or () when the text names no product of this drug."""
        compact = _compact(text)
        words = f" {_key([w for w in _words(text) if w not in _NOISE])} "
        best: tuple[int, tuple[float, ...]] = (0, ())
        for name, strengths in self._products.get(drug_id, ()):
            for key in name_keys(name):
                named = sound_key(key) in sound_key(compact) if _CJK_RE.search(key) else f" {key} " in words
                if named and len(key) > best[0]:
                    best = (len(key), strengths)
        return best[1]

    def mentions(self, text: str, *, first: bool = False, typos: bool = True,
                 agreed_cjk: bool = False) -> list[tuple[str, str]]:
        """(drug id, how) for every drug named in free text ("allergic to amoxil, sulfa").

        ``agreed_cjk``: the Chinese names of medicines not written yet count too, so that the one
        a name means is never taken for a formulary drug whose name it holds (resolving an order
        or a current medication). Free text (allergies, next steps) keeps the formulary drug and
        its classes: "罗红霉素过敏" still means a macrolide allergy."""
        found: list[tuple[str, str]] = []
        compact = _compact(text)
        if _CJK_RE.search(text):
            for key, drug_id, how in self._cjk:
                if how == "agreed" and not agreed_cjk:
                    continue
                if key in compact and (not key[-1].isdigit() or _in_text(key).search(compact)):
                    # a longer name of a drug already found is blanked out too: "泰诺林" (paracetamol)
                    # must not leave "泰诺" (a cold tablet) to be read inside it
                    new = all(d != drug_id for d, _ in found)
                    if new:
                        found.append((drug_id, how))
                    compact = _in_text(key).sub(" ", compact) if key[-1].isdigit() else compact.replace(key, " ")
                    if new and first:
                        return found
            # what no name matched, read by sound: a homophone typed for a character of a brand
            rest = sound_key(compact) if typos else ""
            for key, drug_id in self._sound if _CJK_RE.search(rest) else ():
                if key in rest and (not key[-1].isdigit() or _in_text(key).search(rest)):
                    if all(d != drug_id for d, _ in found):
                        found.append((drug_id, "typo"))
                        if first:
                            return found
                    rest = _in_text(key).sub(" ", rest) if key[-1].isdigit() else rest.replace(key, " ")
        # a concentration stays a word ("glucose 10%" is the 10% fluid, not glucose 50%); Chinese
        # words were read by the substring pass above (what it took is not read again)
        words = [w for w in _words(_NUMBER_RE.sub(_keep_percent, _fold(text)))
                 if w not in _NOISE and not _CJK_RE.search(w)]
        used: set[int] = set()
        for lookup in (self._exact, self._typo) if typos else (self._exact,):
            for size in range(min(len(words), _MAX_WINDOW), 0, -1):
                for i in range(len(words) - size + 1):
                    span = set(range(i, i + size))
                    if span & used:
                        continue
                    hit = lookup(_key(words[i:i + size])) or (
                        lookup(_key(_unbroken(words[i:i + size]))) if lookup == self._exact else None)
                    if hit and all(d != hit[0] for d, _ in found):
                        found.append(hit)
                        used |= span
                        if first:
                            return found
        return found
