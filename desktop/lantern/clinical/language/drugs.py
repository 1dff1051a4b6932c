"""Drug names (English and Chinese aliases → one canonical key).

Used to find medications in notes and to check that a drug named in a generated
sentence really occurs in the source. The canonical key is never shown: what a
summary shows is the wording of the note itself.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lantern.clinical.language.lexicon import one_edit

# canonical: aliases (lower-case English; Chinese as written)
DRUGS: dict[str, tuple[str, ...]] = {
    "amoxicillin": ("amoxicillin", "amoxycillin", "amoxil", "amox", "阿莫西林"),
    "co-amoxiclav": ("co-amoxiclav", "amoxicillin-clavulanate", "amoxiclav", "augmentin", "阿莫西林克拉维酸钾",
                     "阿莫西林克拉维酸", "奥格门汀", "安灭菌"),
    "ampicillin": ("ampicillin", "氨苄西林"),
    "benzylpenicillin": ("benzylpenicillin", "penicillin", "penicillins", "pcn", "benzathine penicillin",
                         "crystalline penicillin", "pen v", "phenoxymethylpenicillin", "青霉素"),
    "cloxacillin": ("cloxacillin", "flucloxacillin", "氯唑西林"),
    "gentamicin": ("gentamicin", "gent", "庆大霉素"),
    "ceftriaxone": ("ceftriaxone", "rocephin", "头孢曲松"),
    "cefalexin": ("cefalexin", "cephalexin", "keflex", "头孢氨苄"),
    "cefixime": ("cefixime", "头孢克肟"),
    "cefuroxime": ("cefuroxime", "头孢呋辛"),
    "cephalosporin": ("cephalosporin", "cephalosporins", "头孢", "头孢类"),
    "ciprofloxacin": ("ciprofloxacin", "cipro", "环丙沙星"),
    "levofloxacin": ("levofloxacin", "左氧氟沙星"),
    "metronidazole": ("metronidazole", "flagyl", "甲硝唑", "灭滴灵"),
    "azithromycin": ("azithromycin", "阿奇霉素"),
    "erythromycin": ("erythromycin", "红霉素"),
    "doxycycline": ("doxycycline", "多西环素"),
    "cotrimoxazole": ("cotrimoxazole", "co-trimoxazole", "bactrim", "septrin", "tmp-smx", "ctx", "复方新诺明", "复方磺胺甲噁唑"),
    "sulfonamide": ("sulfa", "sulpha", "sulfonamide", "sulfonamides", "sulphonamides", "磺胺", "磺胺类"),
    "chloramphenicol": ("chloramphenicol", "氯霉素"),
    "clindamycin": ("clindamycin", "克林霉素"),
    "vancomycin": ("vancomycin", "万古霉素"),
    "amikacin": ("amikacin", "阿米卡星"),
    "cefazolin": ("cefazolin", "头孢唑林"),
    "ceftazidime": ("ceftazidime", "头孢他啶"),
    "cefaclor": ("cefaclor", "头孢克洛"),
    "moxifloxacin": ("moxifloxacin", "莫西沙星"),
    "clarithromycin": ("clarithromycin", "克拉霉素"),
    "dapsone": ("dapsone", "氨苯砜"),
    "chloroquine": ("chloroquine", "氯喹"),
    "sulfadoxine-pyrimethamine": ("sulfadoxine-pyrimethamine", "sulfadoxine/pyrimethamine", "fansidar", "iptp-sp",
                                  "iptp sp", "磺胺多辛乙胺嘧啶"),
    "nitrofurantoin": ("nitrofurantoin", "呋喃妥因"),
    "artemether-lumefantrine": ("artemether-lumefantrine", "artemether/lumefantrine", "coartem", "蒿甲醚",
                                "蒿甲醚本芴醇", "复方蒿甲醚"),
    "dihydroartemisinin-piperaquine": ("dihydroartemisinin-piperaquine", "dihydroartemisinin/piperaquine",
                                       "dha-ppq", "dha/ppq", "dha-pqp", "双氢青蒿素哌喹", "双氢青蒿素磷酸哌喹"),
    "artesunate-amodiaquine": ("artesunate-amodiaquine", "artesunate/amodiaquine", "asaq", "as-aq", "as/aq",
                               "青蒿琥酯阿莫地喹"),
    "artesunate": ("artesunate", "青蒿琥酯"),
    "act": ("artemisinin combination therapy", "artemisinin-based combination therapy", "青蒿素类复方"),
    "quinine": ("quinine", "奎宁"),
    "primaquine": ("primaquine", "伯氨喹"),
    "paracetamol": ("paracetamol", "acetaminophen", "panadol", "tylenol", "calpol", "pcm", "对乙酰氨基酚",
                    "扑热息痛", "泰诺林", "泰诺", "必理通"),
    "ibuprofen": ("ibuprofen", "brufen", "advil", "nurofen", "布洛芬", "芬必得", "美林"),
    "diclofenac": ("diclofenac", "双氯芬酸"),
    "nsaid": ("nsaid", "nsaids", "非甾体抗炎药"),
    "aspirin": ("aspirin", "asa", "阿司匹林"),
    "amitriptyline": ("amitriptyline", "阿米替林"),
    "fluoxetine": ("fluoxetine", "氟西汀"),
    "lidocaine": ("lidocaine", "lignocaine", "xylocaine", "利多卡因"),
    "ketamine": ("ketamine", "氯胺酮"),
    "pethidine": ("pethidine", "meperidine", "哌替啶"),
    "morphine": ("morphine", "吗啡"),
    "tramadol": ("tramadol", "曲马多"),
    "codeine": ("codeine", "可待因"),
    "ors": ("ors", "oral rehydration salts", "oral rehydration solution", "口服补液盐"),
    "zinc": ("zinc", "zinc sulfate", "锌", "硫酸锌"),
    "ringers-lactate": ("ringer's lactate", "ringers lactate", "ringer lactate", "hartmann's", "hartmanns", "rl", "r/l", "林格液", "乳酸林格"),
    "normal-saline": ("normal saline", "0.9% saline", "生理盐水"),
    "dextrose": ("dextrose", "d10", "d50", "d5w", "葡萄糖"),
    "salbutamol": ("salbutamol", "albuterol", "ventolin", "沙丁胺醇"),
    "ipratropium": ("ipratropium", "异丙托溴铵"),
    "prednisolone": ("prednisolone", "泼尼松龙"),
    "prednisone": ("prednisone", "泼尼松"),
    "hydrocortisone": ("hydrocortisone", "氢化可的松"),
    "dexamethasone": ("dexamethasone", "地塞米松"),
    "beclomethasone": ("beclomethasone", "倍氯米松"),
    "budesonide": ("budesonide", "布地奈德"),
    "adrenaline": ("adrenaline", "epinephrine", "肾上腺素"),
    "chlorphenamine": ("chlorphenamine", "chlorpheniramine", "piriton", "氯苯那敏", "扑尔敏"),
    "cetirizine": ("cetirizine", "西替利嗪"),
    "montelukast": ("montelukast", "孟鲁司特"),
    "ambroxol": ("ambroxol", "氨溴索"),
    "loratadine": ("loratadine", "氯雷他定"),
    "promethazine": ("promethazine", "异丙嗪"),
    "metformin": ("metformin", "二甲双胍"),
    "glibenclamide": ("glibenclamide", "glyburide", "格列本脲"),
    "glimepiride": ("glimepiride", "格列美脲"),
    "glipizide": ("glipizide", "格列吡嗪"),
    "acarbose": ("acarbose", "阿卡波糖"),
    "gliclazide": ("gliclazide", "格列齐特"),
    "insulin": ("insulin", "actrapid", "mixtard", "insulin glargine", "glargine", "lantus", "insulin nph", "nph",
                "insulatard", "regular insulin", "soluble insulin", "novomix", "humulin", "甘精胰岛素",
                "门冬胰岛素", "精蛋白生物合成人胰岛素", "胰岛素"),
    "amlodipine": ("amlodipine", "氨氯地平"),
    "nifedipine": ("nifedipine", "硝苯地平"),
    "hydrochlorothiazide": ("hydrochlorothiazide", "hctz", "氢氯噻嗪"),
    "furosemide": ("furosemide", "frusemide", "lasix", "呋塞米"),
    "enalapril": ("enalapril", "依那普利"),
    "lisinopril": ("lisinopril", "赖诺普利"),
    "captopril": ("captopril", "卡托普利"),
    "losartan": ("losartan", "氯沙坦"),
    "atenolol": ("atenolol", "阿替洛尔"),
    "bisoprolol": ("bisoprolol", "比索洛尔"),
    "carvedilol": ("carvedilol", "卡维地洛"),
    "ramipril": ("ramipril", "雷米普利"),
    "irbesartan": ("irbesartan", "厄贝沙坦"),
    "valsartan": ("valsartan", "缬沙坦"),
    "telmisartan": ("telmisartan", "替米沙坦"),
    "bendroflumethiazide": ("bendroflumethiazide", "苄氟噻嗪"),
    "indapamide": ("indapamide", "吲达帕胺"),
    "isosorbide": ("isosorbide dinitrate", "isosorbide mononitrate", "isosorbide", "硝酸异山梨酯", "单硝酸异山梨酯"),
    "metoprolol": ("metoprolol", "美托洛尔"),
    "propranolol": ("propranolol", "普萘洛尔"),
    "methyldopa": ("methyldopa", "甲基多巴"),
    "hydralazine": ("hydralazine", "肼屈嗪"),
    "labetalol": ("labetalol", "拉贝洛尔"),
    "magnesium-sulfate": ("magnesium sulfate", "magnesium sulphate", "mgso4", "硫酸镁"),
    "oxytocin": ("oxytocin", "缩宫素", "催产素"),
    "misoprostol": ("misoprostol", "米索前列醇"),
    "ergometrine": ("ergometrine", "麦角新碱"),
    "ferrous-sulfate": ("ferrous sulfate", "ferrous sulphate", "feso4", "iron tablets", "硫酸亚铁", "铁剂"),
    "folic-acid": ("folic acid", "叶酸"),
    "vitamin-a": ("vitamin a", "维生素a"),
    "albendazole": ("albendazole", "阿苯达唑"),
    "mebendazole": ("mebendazole", "甲苯咪唑"),
    "praziquantel": ("praziquantel", "吡喹酮"),
    "ivermectin": ("ivermectin", "伊维菌素"),
    "permethrin": ("permethrin", "扑灭司林", "氯菊酯"),
    "benzyl-benzoate": ("benzyl benzoate", "苯甲酸苄酯"),
    "clotrimazole": ("clotrimazole", "克霉唑"),
    "fluconazole": ("fluconazole", "氟康唑"),
    "nystatin": ("nystatin", "制霉菌素"),
    "miconazole": ("miconazole", "咪康唑"),
    "griseofulvin": ("griseofulvin", "灰黄霉素"),
    "tld": ("tld", "tenofovir/lamivudine/dolutegravir", "tenofovir", "tdf", "dolutegravir", "dtg", "替诺福韦",
            "多替拉韦"),
    "efavirenz": ("efavirenz", "efv", "依非韦伦"),
    "allopurinol": ("allopurinol", "别嘌醇", "别嘌呤醇"),
    "colchicine": ("colchicine", "秋水仙碱"),
    "dapagliflozin": ("dapagliflozin", "达格列净"),
    "empagliflozin": ("empagliflozin", "恩格列净"),
    "pyridoxine": ("pyridoxine", "vitamin b6", "维生素b6"),
    "therapeutic-food": ("rutf", "rusf", "plumpy'nut", "plumpy nut", "即食营养补充食品", "即食治疗性食品"),
    "nevirapine": ("nevirapine", "nvp", "奈韦拉平"),
    "zidovudine": ("zidovudine", "azt", "齐多夫定"),
    "lamivudine": ("lamivudine", "3tc", "拉米夫定"),
    "abacavir": ("abacavir", "阿巴卡韦"),
    "lopinavir-ritonavir": ("lopinavir/ritonavir", "lopinavir", "lpv/r", "克力芝"),
    "isoniazid": ("isoniazid", "inh", "异烟肼"),
    "rifampicin": ("rifampicin", "rifampin", "利福平"),
    "rhze": ("rhze", "hrze", "rhz", "fdc rhze", "四联抗结核"),
    "pyrazinamide": ("pyrazinamide", "pza", "吡嗪酰胺"),
    "ethambutol": ("ethambutol", "emb", "乙胺丁醇"),
    "streptomycin": ("streptomycin", "链霉素"),
    "diazepam": ("diazepam", "valium", "地西泮", "安定"),
    "phenobarbital": ("phenobarbital", "phenobarbitone", "phenobarb", "苯巴比妥"),
    "phenytoin": ("phenytoin", "苯妥英"),
    "carbamazepine": ("carbamazepine", "cbz", "卡马西平"),
    "valproate": ("sodium valproate", "valproate", "丙戊酸钠"),
    "haloperidol": ("haloperidol", "氟哌啶醇"),
    "omeprazole": ("omeprazole", "奥美拉唑"),
    "ranitidine": ("ranitidine", "雷尼替丁"),
    "metoclopramide": ("metoclopramide", "甲氧氯普胺"),
    "ondansetron": ("ondansetron", "昂丹司琼"),
    "loperamide": ("loperamide", "洛哌丁胺"),
    "smectite": ("smectite", "montmorillonite", "蒙脱石散"),
    "hyoscine": ("hyoscine", "buscopan", "东莨菪碱"),
    "atropine": ("atropine", "阿托品"),
    "pralidoxime": ("pralidoxime", "解磷定"),
    "antivenom": ("antivenom", "anti-snake venom", "asv", "抗蛇毒血清"),
    "tetanus-vaccine": ("tetanus toxoid", "tetanus vaccine", "tt", "td vaccine", "破伤风疫苗", "破伤风类毒素"),
    "tetanus-immunoglobulin": ("tetanus immunoglobulin", "tig", "破伤风免疫球蛋白"),
    "rabies-vaccine": ("rabies vaccine", "狂犬疫苗"),
    "atorvastatin": ("atorvastatin", "阿托伐他汀"),
    "simvastatin": ("simvastatin", "辛伐他汀"),
    "rosuvastatin": ("rosuvastatin", "瑞舒伐他汀"),
    "clopidogrel": ("clopidogrel", "氯吡格雷"),
    "warfarin": ("warfarin", "华法林"),
    "heparin": ("heparin", "enoxaparin", "肝素"),
    "nitroglycerin": ("nitroglycerin", "glyceryl trinitrate", "gtn", "硝酸甘油"),
    "digoxin": ("digoxin", "地高辛"),
    "spironolactone": ("spironolactone", "螺内酯"),
    "oseltamivir": ("oseltamivir", "tamiflu", "奥司他韦"),
    "acyclovir": ("acyclovir", "aciclovir", "阿昔洛韦"),
    "calcium-gluconate": ("calcium gluconate", "葡萄糖酸钙"),
    "potassium-chloride": ("potassium chloride", "kcl", "氯化钾"),
    "vitamin-k": ("vitamin k", "维生素k"),
    "oxygen": ("oxygen", "o2", "吸氧", "氧气"),
}

# Words that look like drug context but are not drugs (used by the unknown-drug heuristic).
NOT_DRUGS = frozenset({
    "bp", "hr", "rr", "temp", "t", "p", "spo2", "sats", "wt", "weight", "muac", "hb", "rbs", "fbs",
    "glucose", "pulse", "day", "days", "week", "weeks", "age", "aged", "dose", "given", "take",
    "then", "and", "with", "total", "tab", "tabs", "cap", "caps", "the", "a", "an", "of", "on",
    "plan", "rx", "start", "started", "continue", "increase", "decrease", "give", "stop", "syrup",
    "height", "loss", "gain", "fluid", "fluids", "intake", "output", "urine", "bolus", "for",
    "x", "at", "in", "to", "po", "iv", "im", "bd", "tds", "od", "qid", "prn", "stat", "mane", "nocte",
    # ordinary words met before a quantity in notes ("blood 20 ml/kg", "IV line 18G", "plus 10 g")
    "blood", "line", "plus", "loading", "doses", "saline", "over", "each", "about", "approx", "around",
    "only", "more", "less", "than", "also", "gave", "added", "cont", "repeat", "repeated", "volume",
    "feeds", "feed", "water", "drained", "catheter", "catheterised", "catheterized", "cannula", "needle",
    "gauge", "suture", "sutures", "nylon", "vicryl", "silk", "from", "into", "after", "before", "until",
    "every", "hourly", "daily", "taken", "takes", "took", "reduce", "reduced", "increased",
    "decreased", "change", "changed", "switch", "switched", "restart", "restarted", "routine",
    "medicine", "medicines", "baseline", "morning", "evening", "night", "dextrose", "bottle",
    "bag", "bags", "litre", "liter", "sachet", "sachets", "puff", "puffs", "drop", "drops", "spoon",
    "weighs", "weighed", "measured", "estimated", "lost", "passed", "drank", "drink", "drinks",
    "vomited", "vomit", "stool", "stools", "diet", "tablet", "tablets",
})


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
                           "heparins", "insular", "codeword"})


def _spelling_key(word: str) -> str:
    word = word.lower().replace("ph", "f").replace("y", "i").replace("ae", "e").replace("oe", "e")
    return re.sub(r"(.)\1+", r"\1", word)


@lru_cache(maxsize=1)
def _fuzzy_table() -> dict[str, list[tuple[str, str]]]:
    table: dict[str, list[tuple[str, str]]] = {}
    for alias, canon in _alias_table():
        if len(alias) >= _FUZZY_MIN and re.fullmatch(r"[a-z]+", alias):
            key = _spelling_key(alias)
            table.setdefault(key[:2], []).append((key, canon))
    return table


@lru_cache(maxsize=4096)
def _fuzzy_alias(word: str) -> str | None:
    """The drug a long word misspells, when exactly one is within one edit."""
    if len(word) < _FUZZY_MIN or word in _NOT_MISSPELT or word.endswith("s") and word[:-1] in _NOT_MISSPELT:
        return None
    key = _spelling_key(word)
    found = {canon for alias_key, canon in _fuzzy_table().get(key[:2], []) if one_edit(key, alias_key)}
    return found.pop() if len(found) == 1 else None


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
        if canon:
            out.append((canon, m.start(), m.end()))
            taken.append((m.start(), m.end()))
    for m in _LONG_WORD_RE.finditer(text):
        if any(m.start() < e and s < m.end() for s, e in taken):
            continue
        if (canon := _fuzzy_alias(m.group(0).lower())) is not None:
            out.append((canon, m.start(), m.end()))
    out.sort(key=lambda x: x[1])
    return out
