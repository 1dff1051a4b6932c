"""The medicines DRUGS.md listed as agreed but not written (the `pending` line), now written,
and chronic-care medicines added beside them (issue 14): each resolves by its English and
Chinese names and brands, gets a dose for a typical adult that passes its own checks, and its
classes, pregnancy and renal advice reach the checks, on the real formulary."""

from __future__ import annotations

import pytest
from tests.unit.prescribing.helpers import loud as _loud
from tests.unit.prescribing.helpers import order as _o
from tests.unit.prescribing.helpers import patient as _patient

from lantern.clinical.prescribing import Patient, calculate_dose
from lantern.clinical.prescribing.dose import DoseResult
from lantern.clinical.prescribing.loader import agreed_drugs, formulary_dir

# id -> (English name, Chinese name, a brand or other name in English, one in Chinese);
# first the medicines of the pending line, then chronic-care medicines not listed before
NEW = {
    "metoprolol": ("Metoprolol", "美托洛尔", "Betaloc ZOK", "倍他乐克"),
    "felodipine": ("Felodipine", "非洛地平", "Plendil", "波依定"),
    "levamlodipine": ("Levamlodipine", "左旋氨氯地平", "levoamlodipine", "施慧达"),
    "isosorbide_mononitrate": ("Isosorbide mononitrate", "单硝酸异山梨酯", "Imdur", "依姆多"),
    "nadroparin": ("Nadroparin", "那屈肝素", "Fraxiparine", "速碧林"),
    "dalteparin": ("Dalteparin", "达肝素", "Fragmin", "法安明"),
    "roxithromycin": ("Roxithromycin", "罗红霉素", "Rulid", "罗力得"),
    "dirithromycin": ("Dirithromycin", "地红霉素", "Dynabac", "地红霉素肠溶片"),
    "norvancomycin": ("Norvancomycin", "去甲万古霉素", "norvancomycin hydrochloride", "盐酸去甲万古霉素"),
    "desloratadine": ("Desloratadine", "地氯雷他定", "Aerius", "恩理思"),
    "levocetirizine": ("Levocetirizine", "左西替利嗪", "Xyzal", "优泽"),
    "doxofylline": ("Doxofylline", "多索茶碱", "Ansimar", "安赛玛"),
    "diprophylline": ("Diprophylline", "二羟丙茶碱", "dyphylline", "喘定"),
    "tenofovir_alafenamide": ("Tenofovir alafenamide", "丙酚替诺福韦", "Vemlidy", "韦立得"),
    "hydroxychloroquine": ("Hydroxychloroquine", "羟氯喹", "Plaquenil", "纷乐"),
    "carbetocin": ("Carbetocin", "卡贝缩宫素", "Duratocin", "巧特欣"),
    "ferrous_gluconate": ("Ferrous gluconate", "葡萄糖酸亚铁", "Fergon", "葡萄糖酸亚铁片"),
    "benazepril": ("Benazepril", "贝那普利", "Lotensin", "洛汀新"),
    "rosuvastatin": ("Rosuvastatin", "瑞舒伐他汀", "Crestor", "可定"),
    "irbesartan": ("Irbesartan", "厄贝沙坦", "Aprovel", "安博维"),
    "telmisartan": ("Telmisartan", "替米沙坦", "Micardis", "美卡素"),
    "indapamide": ("Indapamide", "吲达帕胺", "Natrilix SR", "纳催离"),
    "carvedilol": ("Carvedilol", "卡维地洛", "Coreg", "络德"),
    "rivaroxaban": ("Rivaroxaban", "利伐沙班", "Xarelto", "拜瑞妥"),
    "ticagrelor": ("Ticagrelor", "替格瑞洛", "Brilinta", "倍林达"),
    "glimepiride": ("Glimepiride", "格列美脲", "Amaryl", "亚莫利"),
    "acarbose": ("Acarbose", "阿卡波糖", "Glucobay", "拜唐苹"),
    "sitagliptin": ("Sitagliptin", "西格列汀", "Januvia", "捷诺维"),
    "dapagliflozin": ("Dapagliflozin", "达格列净", "Forxiga", "安达唐"),
    "febuxostat": ("Febuxostat", "非布司他", "Adenuric", "优立通"),
    "escitalopram": ("Escitalopram", "艾司西酞普兰", "Lexapro", "来士普"),
    "montelukast": ("Montelukast", "孟鲁司特", "Singulair", "顺尔宁"),
    "apixaban": ("Apixaban", "阿哌沙班", "Eliquis", "艾乐妥"),
    "dabigatran": ("Dabigatran", "达比加群", "Pradaxa", "泰毕全"),
    "ramipril": ("Ramipril", "雷米普利", "Tritace", "瑞泰"),
    "candesartan": ("Candesartan", "坎地沙坦", "Atacand", "必洛斯"),
    "ezetimibe": ("Ezetimibe", "依折麦布", "Ezetrol", "益适纯"),
    "empagliflozin": ("Empagliflozin", "恩格列净", "Jardiance", "欧唐静"),
    "pioglitazone": ("Pioglitazone", "吡格列酮", "Actos", "艾可拓"),
    "lamotrigine": ("Lamotrigine", "拉莫三嗪", "Lamictal", "利必通"),
    "quetiapine": ("Quetiapine", "喹硫平", "Seroquel", "思瑞康"),
    "aripiprazole": ("Aripiprazole", "阿立哌唑", "Abilify", "阿立哌唑口崩片"),
    "tiotropium": ("Tiotropium", "噻托溴铵", "Spiriva", "思力华"),
    "verapamil": ("Verapamil", "维拉帕米", "Isoptin", "异搏定"),
    "diltiazem": ("Diltiazem", "地尔硫卓", "Herbesser", "合心爽"),
    "glipizide": ("Glipizide", "格列吡嗪", "Glucotrol", "瑞易宁"),
    "citalopram": ("Citalopram", "西酞普兰", "Cipramil", "喜普妙"),
    "paroxetine": ("Paroxetine", "帕罗西汀", "Seroxat", "赛乐特"),
    "mirtazapine": ("Mirtazapine", "米氮平", "Remeron", "瑞美隆"),
    "nitrendipine": ("Nitrendipine", "尼群地平", "Baypress", "尼群地平片"),
    # the last four of the pending line, and WHO EML core medicines for primary care and first
    # referral that were missing (2026-12-06)
    "zinc_gluconate": ("Zinc gluconate", "葡萄糖酸锌", "zinc gluconate tablets", "葡萄糖酸锌口服溶液"),
    "calcium_folinate": ("Calcium folinate (folinic acid, leucovorin)", "亚叶酸钙", "leucovorin", "同奥"),
    "noradrenaline": ("Noradrenaline (norepinephrine)", "去甲肾上腺素", "Levophed", "重酒石酸去甲肾上腺素"),
    "isoprenaline": ("Isoprenaline (isoproterenol)", "异丙肾上腺素", "Isuprel", "盐酸异丙肾上腺素"),
    "caffeine_citrate": ("Caffeine citrate", "枸橼酸咖啡因", "Peyona", "倍优诺"),
    "streptomycin": ("Streptomycin", "链霉素", "streptomycin sulfate", "硫酸链霉素"),
    "cefotaxime": ("Cefotaxime", "头孢噻肟", "Claforan", "凯福隆"),
    "dapsone": ("Dapsone", "氨苯砜", "Avlosulfon", "氨苯砜片"),
    "glucagon": ("Glucagon", "胰高血糖素", "GlucaGen", "诺和生"),
    "acetazolamide": ("Acetazolamide", "乙酰唑胺", "Diamox", "醋氮酰胺"),
    "terbinafine": ("Terbinafine", "特比萘芬", "Lamisil", "兰美抒"),
    "niclosamide": ("Niclosamide", "氯硝柳胺", "Yomesan", "灭绦灵"),
    "cyclizine": ("Cyclizine", "赛克力嗪", "Valoid", "盐酸赛克力嗪"),
    "betamethasone": ("Betamethasone (injection)", "倍他米松", "Celestone", "得宝松"),
    "mupirocin": ("Mupirocin", "莫匹罗星", "Bactroban", "百多邦"),
    "ceftazidime": ("Ceftazidime", "头孢他啶", "Fortum", "复达欣"),
    "ulipristal": ("Ulipristal acetate (emergency contraception)", "醋酸乌利司他", "ellaOne", "醋酸乌利司他片"),
}
# given only to children or newborns, by infusion rate or thinly to the skin (no dose entry): no typical adult dose
NO_ADULT_DOSE = {"zinc_gluconate", "caffeine_citrate", "noradrenaline", "isoprenaline", "mupirocin"}


@pytest.mark.parametrize("drug", sorted(NEW))
def test_each_new_entry_resolves_by_its_names_and_brands(real, drug):
    formulary, index = real
    assert drug in formulary.drugs
    entry = formulary.drugs[drug]
    assert (entry.name_en, entry.name_zh) == NEW[drug][:2]
    for name in (*NEW[drug], *entry.aliases):
        got = index.resolve(name)
        assert got is not None and got.drug == drug and got.how == "name", name


@pytest.mark.parametrize("drug", sorted(set(NEW) - NO_ADULT_DOSE))
def test_each_new_entry_doses_a_typical_adult_and_the_dose_passes_its_own_checks(real, drug):
    formulary, _index = real
    dose = calculate_dose(formulary.drugs[drug], Patient(age_years=45, weight_kg=65, egfr=90))
    assert isinstance(dose, DoseResult) and dose.dose > 0
    rule = dose.rule
    assert rule is not None and (rule.max_single_mg is None or dose.dose <= rule.max_single_mg)
    order = _o(NEW[drug][0], dose.dose, dose.unit, dose.route, dose.times_per_day or 1, dose.days or 5)
    assert _loud(real, _patient(age_years=45, weight_kg=65, sex="male"), [order]) == set()


def test_the_pending_line_no_longer_lists_them_and_their_groups_do():
    names, _classes, pending_classes = agreed_drugs(formulary_dir())
    text = (formulary_dir() / "DRUGS.md").read_text(encoding="utf-8")
    pending = next(line for line in text.splitlines() if line.startswith("pending"))
    for drug in NEW:
        assert drug in names and f" {drug} (" not in pending and drug not in pending_classes


@pytest.mark.parametrize(("patient", "orders", "expected"), [
    # pregnancy: felodipine avoid (BNF), an ACE inhibitor contraindicated, carbetocin before the birth
    ({"pregnant": True, "gestation_weeks": 20}, [_o("波依定", 5)], {(0, "pregnancy")}),
    ({"pregnant": True, "gestation_weeks": 20}, [_o("洛汀新", 10)], {(0, "pregnancy")}),
    ({"pregnant": True, "gestation_weeks": 16}, [_o("carbetocin", 100, "mcg", "im", days=0)], {(0, "pregnancy")}),
    # duplicate classes: two beta-blockers, two dihydropyridines, two xanthines, two heparins
    ({"current_medications": ["atenolol 50 mg od"]}, [_o("倍他乐克缓释片", 47.5)], {(0, "duplicate")}),
    ({"current_medications": ["amlodipine 5 mg"]}, [_o("施慧达", 2.5)], {(0, "duplicate")}),
    ({"current_medications": ["茶碱缓释片 0.1g bid"]}, [_o("多索茶碱", 400, times=2)], {(0, "duplicate")}),
    ({"current_medications": ["enoxaparin 40 mg sc od"]}, [_o("Fragmin", 5000, "IU", "sc")], {(0, "duplicate")}),
    # interactions: QT (hydroxychloroquine, roxithromycin), nitrate + sildenafil, TAF + rifampicin
    ({"current_medications": ["azithromycin 500 mg"]}, [_o("hydroxychloroquine", 200)], {(0, "interaction")}),
    ({"current_medications": ["hydroxychloroquine 200 mg"]}, [_o("罗红霉素", 150, times=2)], {(0, "interaction")}),
    ({"current_medications": ["ISMN 60 mg od"]}, [_o("sildenafil", 50)], {(0, "interaction")}),
    ({"current_medications": ["rifampicin 600 mg"]}, [_o("Vemlidy", 25)], {(0, "interaction")}),
    # renal bands and limits
    ({"egfr": 20}, [_o("Xyzal", 5)], {(0, "renal")}),
    ({"egfr": 8}, [_o("Vemlidy", 25)], {(0, "renal")}),
    ({"weight_kg": 50}, [_o("Plaquenil", 200, times=2)], {(0, "daily_max")}),           # 8 mg/kg > 5 mg/kg
    ({}, [_o("roxithromycin", 300, times=2)], {(0, "daily_max")}),
    ({"age_years": 6, "weight_kg": 20}, [_o("罗红霉素", 150, times=2)], {(0, "dose_above_max")}),
    ({}, [_o("左旋氨氯地平", 10)], {(0, "dose_above_max")}),
    ({"weight_kg": None}, [_o("fraxiparine", 0.6, "ml", "sc", times=2)], {(0, "missing_data")}),
    ({"age_years": 8, "weight_kg": 25}, [_o("dirithromycin", 250)], {(0, "age")}),
    # allergy: an aminoquinoline named on the chart
    ({"allergies": ["chloroquine - rash"]}, [_o("hcq", 200)], {(0, "allergy")}),
    # the chronic-care medicines added: classes, pregnancy, renal bands, limits, interactions
    ({"current_medications": ["atorvastatin 20 mg"]}, [_o("可定", 10)], {(0, "duplicate")}),
    ({"current_medications": ["losartan 50 mg"]}, [_o("安博维", 150)], {(0, "duplicate")}),
    ({"current_medications": ["gliclazide 80 mg bd"]}, [_o("亚莫利", 2)], {(0, "duplicate")}),
    ({"current_medications": ["fluoxetine 20 mg"]}, [_o("来士普", 10)], {(0, "duplicate")}),
    ({"current_medications": ["clarithromycin 500 mg bd"]}, [_o("倍林达", 90, times=2)], {(0, "interaction")}),
    ({"current_medications": ["azathioprine 50 mg"]}, [_o("febuxostat", 80)], {(0, "interaction")}),
    ({"current_medications": ["ibuprofen 400 mg tds"]}, [_o("Xarelto", 20)], {(0, "interaction")}),
    ({"pregnant": True, "gestation_weeks": 10}, [_o("rosuvastatin", 10)], {(0, "pregnancy")}),
    ({"pregnant": True, "gestation_weeks": 24}, [_o("telmisartan", 40)], {(0, "pregnancy")}),
    ({"egfr": 40}, [_o("Xarelto", 20)], {(0, "renal")}),
    ({"egfr": 35}, [_o("Januvia", 100)], {(0, "renal")}),
    ({"egfr": 20}, [_o("acarbose", 50, times=3)], {(0, "renal")}),
    ({"egfr": 20}, [_o("indapamide", 2.5)], {(0, "renal")}),
    ({}, [_o("Xarelto", 20, times=2)], {(0, "daily_max")}),
    ({"weight_kg": 60}, [_o("carvedilol", 50, times=2)], {(0, "daily_max")}),
    ({"age_years": 8, "weight_kg": 25}, [_o("顺尔宁", 10)], {(0, "dose_above_max")}),
    # one direct oral anticoagulant, DPP-4 inhibitor, SGLT2 inhibitor, xanthine-oxidase inhibitor at a time
    ({"current_medications": ["Xarelto 20 mg"]}, [_o("Eliquis", 5, times=2)], {(0, "duplicate")}),
    ({"current_medications": ["linagliptin 5 mg"]}, [_o("捷诺维", 100)], {(0, "duplicate")}),
    ({"current_medications": ["dapagliflozin 10 mg"]}, [_o("Jardiance", 10)], {(0, "duplicate")}),
    ({"current_medications": ["allopurinol 300 mg"]}, [_o("febuxostat", 80)], {(0, "duplicate")}),
    ({"current_medications": ["warfarin 5 mg"]}, [_o("Eliquis", 5, times=2)], {(0, "interaction")}),
    ({"current_medications": ["enoxaparin 40 mg sc"]}, [_o("Pradaxa", 150, times=2)], {(0, "interaction")}),
    ({"current_medications": ["valproate 500 mg bd"]}, [_o("Lamictal", 25)], {(0, "interaction")}),
    ({"egfr": 20}, [_o("Pradaxa", 150, times=2)], {(0, "renal")}),
    ({"egfr": 20}, [_o("Eliquis", 5, times=2)], {(0, "renal")}),
    ({}, [_o("Pradaxa", 220, times=2)], {(0, "daily_max")}),
    ({"breastfeeding": True}, [_o("Abilify", 10)], {(0, "breastfeeding")}),
    ({}, [_o("Spiriva", 36, "mcg", "inhaled")], {(0, "dose_above_max")}),
    ({"current_medications": ["metoprolol 50 mg bd"]}, [_o("异搏定", 80, times=3)], {(0, "interaction")}),
    ({"current_medications": ["diltiazem 60 mg tds"]}, [_o("verapamil", 80, times=3)], {(0, "duplicate")}),
    ({"current_medications": ["digoxin 125 mcg od"]}, [_o("verapamil", 80, times=3)], {(0, "interaction")}),
    ({"current_medications": ["sertraline 50 mg"]}, [_o("喜普妙", 20)], {(0, "duplicate")}),
    ({"current_medications": ["tramadol 50 mg"]}, [_o("mirtazapine", 15)], {(0, "interaction")}),
    ({"pregnant": True, "gestation_weeks": 8}, [_o("paroxetine", 20)], {(0, "pregnancy")}),
    ({}, [_o("glipizide", 15, times=2)], {(0, "daily_max")}),
    ({"current_medications": ["amlodipine 5 mg"]}, [_o("尼群地平", 10, times=2)], {(0, "duplicate")}),
    ({"pregnant": True, "gestation_weeks": 12}, [_o("ramipril", 2.5)], {(0, "pregnancy")}),
    # the pending line and the EML medicines written on 2026-12-06
    ({"age_years": 1.5, "weight_kg": 10}, [_o("葡萄糖酸锌", 140, times=3, days=10)], {(0, "daily_max")}),
    ({"current_medications": ["amitriptyline 25 mg"]}, [_o("去甲肾上腺素", 4, route="iv")], {(0, "interaction")}),
    ({"age_years": 5, "weight_kg": 18}, [_o("caffeine citrate", 20)], {(0, "age")}),
    ({"age_years": 0.02, "weight_kg": 1.5, "egfr": None}, [_o("枸橼酸咖啡因", 30, route="iv", days=10)],
     {(0, "dose_above_max")}),                                          # 20 mg/kg is the loading dose, not daily
    ({"pregnant": True, "gestation_weeks": 16}, [_o("链霉素", 1, "g", "im", days=30)], {(0, "pregnancy")}),
    ({"egfr": None}, [_o("streptomycin", 1, "g", "im", days=30)], {(0, "missing_data")}),   # an aminoglycoside
    ({"allergies": ["penicillin - anaphylaxis"]}, [_o("头孢噻肟钠", 1, "g", "iv", times=2)], {(0, "cross_reactivity")}),
    ({}, [_o("cefotaxime", 2, "g", "iv", times=8)], {(0, "daily_max")}),
    ({"age_years": 2, "weight_kg": 12, "egfr": None}, [_o("cefotaxime", 1200, route="iv", times=4)],
     {(0, "dose_above_max")}),
    ({}, [_o("氨苯砜", 100, times=3, days=180)], {(0, "daily_max")}),
    ({"age_years": 7, "weight_kg": 22, "egfr": None}, [_o("glucagon", 1, route="im", days=0)], {(0, "dose_above_max")}),
    ({"age_years": 7, "weight_kg": None, "egfr": None}, [_o("胰高血糖素", 0.5, route="im", days=0)],
     {(0, "missing_data")}),
    ({"pregnant": True, "gestation_weeks": 10}, [_o("Diamox", 250, times=2)], {(0, "pregnancy")}),
    ({}, [_o("acetazolamide", 500, times=4)], {(0, "daily_max")}),
    ({"breastfeeding": True}, [_o("兰美抒", 250, days=42)], {(0, "breastfeeding")}),
    ({"age_years": 6, "weight_kg": 20}, [_o("terbinafine", 250, days=28)], {(0, "dose_above_max")}),
    ({"egfr": 40}, [_o("Lamisil", 250, days=42)], {(0, "renal")}),
    ({"age_years": 4, "weight_kg": 16}, [_o("氯硝柳胺", 2, "g", days=0)], {(0, "dose_above_max")}),
    ({}, [_o("cyclizine", 50, times=6)], {(0, "daily_max")}),
    ({"pregnant": True, "gestation_weeks": 30}, [_o("得宝松", 24, route="im", days=2)], {(0, "dose_above_max")}),
    # the pharmacist's review of the least-certain entries (2026-12-06)
    ({"breastfeeding": True}, [_o("多索茶碱", 400, times=2)], {(0, "breastfeeding")}),       # label: 禁用 (stop)
    ({"egfr": 90}, [_o("去甲万古霉素", 800, route="iv", times=3)], {(0, "daily_max")}),       # 0.8-1.6 g a day
    ({"age_years": 6, "weight_kg": 20, "egfr": None}, [_o("norvancomycin", 400, route="iv", times=2)],
     {(0, "dose_above_max")}),                                                                 # 40 mg/kg/day
    ({}, [_o("尼群地平", 20, times=4)], {(0, "daily_max")}),                                   # guideline 60 mg a day
    ({}, [_o("二羟丙茶碱", 600, times=1)], {(0, "dose_above_max")}),                           # 极量 0.5 g a dose
    ({}, [_o("diprophylline", 400, times=4)], {(0, "daily_max")}),                             # 极量 1.5 g a day
    ({}, [_o("ceftazidime", 2, "g", "iv", times=4)], {(0, "daily_max")}),
    ({"egfr": 25}, [_o("复达欣", 1, "g", "iv", times=3)], {(0, "renal")}),
    ({"allergies": ["头孢过敏"]}, [_o("ceftazidime", 1, "g", "iv", times=3)], {(0, "allergy")}),
    ({"current_medications": ["rifampicin 600 mg"]}, [_o("ellaOne", 30, days=0)], {(0, "interaction")}),
    ({}, [_o("ulipristal", 30, days=0), _o("levonorgestrel", 1.5, days=0)], {(0, "interaction"), (1, "interaction")}),
    ({"breastfeeding": True}, [_o("醋酸乌利司他片", 30, days=0)], {(0, "breastfeeding")}),
])
def test_their_classes_pregnancy_renal_and_limits_reach_the_checks(real, patient, orders, expected):
    assert _loud(real, _patient(**patient), orders) == expected


@pytest.mark.parametrize(("patient", "orders"), [
    ({}, [_o("metoprolol", 100, times=2)]),
    ({}, [_o("倍他乐克缓释片", 95)]),
    ({}, [_o("isosorbide mononitrate", 20, times=3)]),
    ({"weight_kg": 80}, [_o("Plaquenil", 200, times=2)]),
    ({"age_years": 6, "weight_kg": 20}, [_o("罗红霉素", 50, times=2)]),
    ({"age_years": 4, "weight_kg": 16}, [_o("desloratadine", 1.25)]),
    ({"egfr": 20}, [_o("Fragmin", 5000, "IU", "sc")]),              # caution band: shown, no alarm
    ({"pregnant": True, "gestation_weeks": 39}, [_o("巧特欣", 100, "mcg", "iv", days=0)]),
    ({}, [_o("Xarelto", 15, times=2, days=21)]),                       # DVT: 15 mg twice daily for 21 days
    ({"egfr": 40}, [_o("Xarelto", 15)]),                                 # the reduced dose
    ({"current_medications": ["aspirin 100 mg"]}, [_o("ticagrelor", 90, times=2)]),   # dual antiplatelet
    ({"weight_kg": 90}, [_o("carvedilol", 50, times=2)]),               # heart failure over 85 kg
    ({"age_years": 13, "weight_kg": 40}, [_o("montelukast", 5)]),
    ({}, [_o("拜唐苹", 100, times=3)]),
    ({}, [_o("Pradaxa", 220)]),                                          # prophylaxis after joint replacement
    ({}, [_o("Eliquis", 10, times=2, days=7)]),                          # the first 7 days for DVT
    ({"current_medications": ["enoxaparin 40 mg sc"]}, [_o("warfarin", 5)]),     # a planned bridge
    ({"egfr": 40}, [_o("empagliflozin", 10)]),
    # the low doses the sources give are not under-doses
    ({}, [_o("metoprolol", 6.25, times=2)]),                             # heart failure, tartrate
    ({}, [_o("Xarelto", 2.5, times=2)]),                                 # coronary disease, with aspirin
    ({"egfr": 25}, [_o("Januvia", 25)]),                                 # the renal dose
    ({}, [_o("febuxostat", 20)]),                                        # Chinese starting dose
    ({}, [_o("Spiriva Respimat", 5, "mcg", "inhaled")]),
    ({}, [_o("思力华", 18, "mcg", "inhaled")]),
    ({"current_medications": ["amlodipine 5 mg"]}, [_o("合心爽", 30, times=3)]),   # not two dihydropyridines
    ({}, [_o("verapamil", 240)]),                                        # modified-release once daily
    ({"pregnant": True, "gestation_weeks": 20}, [_o("葡萄糖酸亚铁片", 0.3, "g", times=3)]),
    ({"age_years": 1.5, "weight_kg": 10}, [_o("葡萄糖酸锌口服溶液", 40, "ml", days=10)]),      # 140 mg = 20 mg zinc
    ({"age_years": 0.3, "weight_kg": 6}, [_o("葡萄糖酸锌", 70, days=10)]),
    ({"age_years": 0.02, "weight_kg": 1.5, "egfr": None}, [_o("枸橼酸咖啡因", 30, route="iv", days=0),
                                                          _o("caffeine citrate", 7.5, route="iv", days=10)]),
    ({}, [_o("leucovorin", 15, times=4, days=1)]),
    ({"pregnant": True, "gestation_weeks": 20}, [_o("去甲肾上腺素", 4, route="iv")]),   # shown, not alarmed
    ({"age_years": 2, "weight_kg": 12, "egfr": None}, [_o("cefotaxime", 600, route="iv", times=4, days=7)]),
    ({"pregnant": True, "gestation_weeks": 24}, [_o("cefotaxime", 2, "g", "iv", times=4, days=7)]),
    ({"pregnant": True, "gestation_weeks": 20}, [_o("dapsone", 100, days=180)]),        # leprosy MDT in pregnancy
    ({"age_years": 12, "weight_kg": 35}, [_o("dapsone", 50, days=180)]),
    ({"age_years": 7, "weight_kg": 22, "egfr": None}, [_o("glucagon", 0.5, route="im", days=0)]),
    ({"weight_kg": None}, [_o("GlucaGen", 1, route="im", days=0)]),                     # an adult: no weight needed
    ({}, [_o("Diamox", 250, times=4, days=3)]),
    ({"age_years": 8, "weight_kg": 25}, [_o("terbinafine", 125, days=28)]),
    ({}, [_o("niclosamide", 2, "g", days=0)]),
    ({"pregnant": True, "gestation_weeks": 10}, [_o("cyclizine", 50, times=3, days=5)]),   # shown, not alarmed
    ({"pregnant": True, "gestation_weeks": 30}, [_o("betamethasone", 12, route="im", days=2)]),
    ({"egfr": 90}, [_o("去甲万古霉素", 800, route="iv", times=2)]),
    ({"age_years": 6, "weight_kg": 20, "egfr": None}, [_o("norvancomycin", 240, route="iv", times=2)]),
    ({}, [_o("尼群地平", 20, times=3)]),
    ({}, [_o("二羟丙茶碱", 500, times=3)]),
    ({"age_years": 3, "weight_kg": 14, "egfr": None}, [_o("ceftazidime", 700, route="iv", times=3, days=7)]),
    ({"egfr": 25}, [_o("ceftazidime", 1, "g", "iv", times=1, days=7)]),                   # the renal interval
])
def test_usual_orders_of_them_raise_no_alarm(real, patient, orders):
    assert _loud(real, _patient(**patient), orders) == set()
