"""Drug names (English and Chinese aliases → one canonical key).

Used to find medications in notes and to check that a drug named in a generated
sentence really occurs in the source. The canonical key is never shown: what a
summary shows is the wording of the note itself.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lantern.clinical.language.lexicon import one_edit, spelling_key
from lantern.clinical.language.vocabulary import load_drugs

# The tables are data: resources/language/drugs.toml, loaded once and validated by
# lantern.clinical.language.vocabulary.
# canonical: aliases (lower-case English; Chinese as written)
DRUGS: dict[str, tuple[str, ...]] = load_drugs().drugs
# Words that look like drug context but are not drugs (used by the unknown-drug heuristic).
NOT_DRUGS: frozenset[str] = load_drugs().not_drugs


@lru_cache(maxsize=1)
def _alias_table() -> list[tuple[str, str]]:
    pairs = [(alias, canon) for canon, aliases in DRUGS.items() for alias in aliases]
    # Longest first so "amoxicillin-clavulanate" wins over "amoxicillin".
    pairs.sort(key=lambda p: -len(p[0]))
    return pairs


@lru_cache(maxsize=1)
def _drug_regex() -> re.Pattern[str]:
    parts = []
    for alias, _ in _alias_table():
        esc = re.escape(alias)
        if re.search(r"[a-z0-9]", alias):
            parts.append(rf"(?<![A-Za-z0-9]){esc}(?![A-Za-z])")
        else:
            parts.append(esc)
    return re.compile("|".join(parts), re.IGNORECASE)


def canonical_drug(name: str) -> str | None:
    key = name.strip().lower()
    for alias, canon in _alias_table():
        if alias == key:
            return canon
    if (combo := _combination_key(name.strip())) is not None:
        return combo
    return _fuzzy_alias(key) if re.fullmatch(r"[a-z]+", key) else None


# --- combinations written as one name -----------------------------------------------
# Antiretroviral regimens: "TDF/3TC/DTG", "TDF+3TC+EFV", "AZT/3TC/NVP", "ABC/3TC/LPV/r".
_ARV = {"tdf": "tdf", "taf": "taf", "3tc": "3tc", "ftc": "ftc", "dtg": "dtg", "efv": "efv", "nvp": "nvp",
        "azt": "azt", "zdv": "azt", "abc": "abc", "lpv/r": "lpv/r", "atv/r": "atv/r", "drv/r": "drv/r",
        "ral": "ral", "d4t": "d4t"}
_ARV_TOKEN = r"(?:LPV/r|ATV/r|DRV/r|TDF|TAF|3TC|FTC|DTG|EFV|NVP|AZT|ZDV|ABC|RAL|d4T)"
_ARV_COMBO_RE = re.compile(rf"(?<![A-Za-z0-9]){_ARV_TOKEN}(?:\s*[/+]\s*{_ARV_TOKEN})+(?![A-Za-z0-9])", re.IGNORECASE)
# Fixed-dose combinations known by one name: the regimen written out is the same drug.
_ARV_FDC = {frozenset({"tdf", "3tc", "dtg"}): "tld", frozenset({"tdf", "3tc", "efv"}): "tle"}
# Tuberculosis regimens in WHO shorthand: "2HRZE", "2RHZE/4RH", "4HR" (months + drug letters).
_TB_REGIMEN_RE = re.compile(
    r"(?<![A-Za-z0-9])(?:[1-9]\d?\s?)?(?:RHZE|HRZE|RHZ|HRZ|HRE|RHE|HZE|HR|RH)"
    r"(?:\s?/\s?(?:[1-9]\d?\s?)?(?:RHZE|HRZE|RHE|HRE|RH|HR|HE|EH))?(?![A-Za-z0-9])")
# A two-letter form ("4HR") counts only in a TB context ("HR 88" is a heart rate).
_TB_CONTEXT_RE = re.compile(r"\b(?:TB|PTB|EPTB|tuberculosis|continuation|intensive|phase|regimen|FDC|anti-?TB|"
                            r"rifampi\w*|isoniazid|RHZE|HRZE)\b|结核|继续期|强化期|巩固期|方案|抗痨|疗程", re.IGNORECASE)


def _combination_key(name: str) -> str | None:
    if _ARV_COMBO_RE.fullmatch(name):
        parts = frozenset(_ARV[t.lower()] for t in re.findall(_ARV_TOKEN, name, re.IGNORECASE))
        return _ARV_FDC.get(parts) or "arv:" + "+".join(sorted(parts))
    if (m := _TB_REGIMEN_RE.fullmatch(name)):
        return "rhze" if "Z" in m.group(0).split("/")[0] else "rh"
    return None


# What a regimen written as one name is made of, as canonical keys of the single drugs: a
# rewording that writes the regimen out ("tenofovir, lamivudine and dolutegravir"; "two months
# of isoniazid, rifampicin, pyrazinamide and ethambutol") names the same drugs. (An "arv:" key
# lists its letters.)
_REGIMEN_PARTS = {
    "tld": frozenset({"tenofovir", "lamivudine", "dolutegravir"}),
    "tle": frozenset({"tenofovir", "lamivudine", "efavirenz"}),
    "rhze": frozenset({"isoniazid", "rifampicin", "pyrazinamide", "ethambutol"}),
    "rh": frozenset({"isoniazid", "rifampicin"}),
}


def is_arv_letters(written: str) -> bool:
    """An antiretroviral written in its letters ("3TC", "d4T", "TDF/3TC/DTG"): its digits
    are part of the name, not a number of the note."""
    return bool(re.fullmatch(rf"{_ARV_TOKEN}(?:\s*[/+]\s*{_ARV_TOKEN})*", written.strip(), re.IGNORECASE))


def drug_parts(canon: str, written: str) -> frozenset[str]:
    """The single drugs a regimen named ``written`` (key ``canon``) stands for; empty for a
    single drug, and for "tld" / "tle" written as one drug's name."""
    if canon.startswith("arv:"):
        parts = {canonical_drug(t) for t in canon[4:].split("+")}
        return frozenset(p for p in parts if p) if None not in parts else frozenset()
    if canon in ("tld", "tle") and not (_ARV_COMBO_RE.fullmatch(written.strip())
                                        or written.strip().lower() in ("tld", "tle")
                                        or "/" in written):
        return frozenset()
    return _REGIMEN_PARTS.get(canon, frozenset())


def with_regimen_parts(drugs: set[str], mentions: list[tuple[str, int, int]], text: str) -> set[str]:
    """``drugs`` with the single drugs of every regimen among ``mentions`` (``find_drugs`` of
    ``text``) added, and every regimen whose drugs are all named added: the regimen and its
    drugs written out compare equal either way."""
    out = set(drugs)
    for canon, s, e in mentions:
        if canon in drugs and (parts := drug_parts(canon, text[s:e])):
            out |= parts
            if canon.startswith("arv:"):
                out.discard(canon)   # its letters say no more than its drugs
    for canon, parts in _REGIMEN_PARTS.items():
        if canon not in out and parts <= out:
            out.add(canon)
    return out


# A bare "HR"/"RHZ" is a regimen only when a phase word is right before it ("继续期HR",
# "continuation phase: HR") or tablets follow it ("HR 3 tabs", "RH 3片"); "HR 110" is a heart rate.
_PHASE_BEFORE_RE = re.compile(r"(?:continuation|intensive|maintenance)\s+phase\W{0,3}$|"
                              r"(?:继续期|强化期|巩固期)\W{0,2}$", re.IGNORECASE)
_TABLETS_AFTER_RE = re.compile(r"\W{0,2}\d+(?:\.\d+)?\s*(?:tabs?|tablets?|片|粒)", re.IGNORECASE)


def _bare_regimen(text: str, m: re.Match) -> bool:
    return bool(_PHASE_BEFORE_RE.search(text[max(0, m.start() - 25):m.start()])
                or _TABLETS_AFTER_RE.match(text, m.end()))


# Antimalarials written as capital-letter abbreviations ("AL 4 tabs BD", "ACT given", "IV AS
# 2.4 mg/kg"): counted only as written in capitals AND with a dose after them or a malaria
# context near ("AS" is also aortic stenosis, "ACT" the Asthma Control Test, "as" a word).
_MALARIA_ABBR = {"AL": "artemether-lumefantrine", "ACT": "act", "AS": "artesunate"}
_MALARIA_ABBR_RE = re.compile(r"(?<![A-Za-z0-9/-])(AL|ACT|AS)(?![A-Za-z0-9/-])")
_MALARIA_CONTEXT_RE = re.compile(r"malaria|\bm?RDT\b|\bB/?S\b|\bMPS?\b|\bPf\b|falciparum|vivax|plasmodium|"
                                 r"antimalarial|疟", re.IGNORECASE)
_DOSE_AFTER_RE = re.compile(r"\s*(?:\d+(?:\.\d+)?\s*(?:tabs?|tablets?|mg|片)|\d+\s*[x×]\s*\d)", re.IGNORECASE)


def _malaria_abbreviations(text: str) -> list[tuple[str, int, int]]:
    out = []
    for m in _MALARIA_ABBR_RE.finditer(text):
        word = m.group(1)
        context = _MALARIA_CONTEXT_RE.search(text[max(0, m.start() - 150):m.end() + 150])
        dosed = _DOSE_AFTER_RE.match(text, m.end())
        if word == "AS" and not (dosed or re.search(r"\b(?:IV|IM|PR|rectal)\s*$", text[:m.start()])):
            continue  # "AS" needs a dose or a route: "AS" is aortic stenosis too
        if context and (dosed or word != "AS") or (dosed and word == "AL"):
            out.append((_MALARIA_ABBR[word], m.start(), m.end()))
    return out


def _combinations(text: str) -> list[tuple[str, int, int]]:
    out = _malaria_abbreviations(text)
    for m in _ARV_COMBO_RE.finditer(text):
        out.append((_combination_key(m.group(0)) or "arv", m.start(), m.end()))
    for m in _TB_REGIMEN_RE.finditer(text):
        letters = re.sub(r"[\d\s/]", "", m.group(0))
        if len(letters) <= 2 or not re.match(r"\d", m.group(0)):
            if not re.match(r"\d", m.group(0)) and len(letters) <= 3 and not _bare_regimen(text, m):
                continue  # bare "HR", "RHZ": too ambiguous without the months
            if not _TB_CONTEXT_RE.search(text[max(0, m.start() - 80):m.end() + 80]):
                continue
        out.append((_combination_key(m.group(0)) or "rhze", m.start(), m.end()))
    return out


# --- misspellings ------------------------------------------------------------------
# Longer names written with one letter wrong, missing or doubled ("omeprazol", "penicilin",
# "ibuprophen", "gentamycin"). Short names are never guessed, nor the ordinary words below.
_FUZZY_MIN = 7
_LONG_WORD_RE = re.compile(rf"(?<![A-Za-z0-9])[A-Za-z]{{{_FUZZY_MIN},}}(?![A-Za-z0-9])")
_NOT_MISSPELT = frozenset({"aspiring", "morphing", "aspirate", "reflexes", "quinone", "dioxin",
                           "heparins", "insular", "codeword",
                           "retinal"})    # "retinal screening": the eye, not retinol


@lru_cache(maxsize=1)
def _fuzzy_table() -> dict[str, list[tuple[str, str]]]:
    table: dict[str, list[tuple[str, str]]] = {}
    for alias, canon in _alias_table():
        if len(alias) >= _FUZZY_MIN and re.fullmatch(r"[a-z]+", alias):
            key = spelling_key(alias)
            table.setdefault(key[:2], []).append((key, canon))
    return table


@lru_cache(maxsize=4096)
def _fuzzy_alias(word: str) -> str | None:
    """The drug a long word misspells, when exactly one is within one edit."""
    if len(word) < _FUZZY_MIN or word in _NOT_MISSPELT or word.endswith("s") and word[:-1] in _NOT_MISSPELT:
        return None
    key = spelling_key(word)
    found = {canon for alias_key, canon in _fuzzy_table().get(key[:2], []) if one_edit(key, alias_key)}
    return found.pop() if len(found) == 1 else None


# "oxygen saturation 88%", "血氧饱和度": a measurement named after a drug, not the drug
_NOT_A_DRUG_AFTER = re.compile(r"\s*(?:saturations?|sats?\b|饱和度)", re.IGNORECASE)


def find_drugs(text: str) -> list[tuple[str, int, int]]:
    """All known drug mentions as ``(canonical, start, end)``, left to right.

    Regimens written as one name ("TDF/3TC/DTG", "2HRZE/4HR") are one mention; a long
    word one letter away from a known name ("omeprazol") is taken for that drug."""
    out = _combinations(text)
    taken = [(s, e) for _, s, e in out]
    for m in _drug_regex().finditer(text):
        if any(m.start() < e and s < m.end() for s, e in taken):
            continue
        canon = canonical_drug(m.group(0))
        if canon and not _NOT_A_DRUG_AFTER.match(text, m.end()):
            out.append((canon, m.start(), m.end()))
            taken.append((m.start(), m.end()))
    for m in _LONG_WORD_RE.finditer(text):
        if any(m.start() < e and s < m.end() for s, e in taken):
            continue
        if (canon := _fuzzy_alias(m.group(0).lower())) is not None:
            out.append((canon, m.start(), m.end()))
    out.sort(key=lambda x: x[1])
    return out
