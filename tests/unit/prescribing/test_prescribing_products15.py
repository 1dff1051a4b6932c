"""Products as drug shops, CHWs and patients write them (issue 14, session 15): a brand, a Chinese
patent medicine or an over-the-counter combination is its ingredients, so every check runs on the
ingredients; product names pick their own composition; abbreviations, pinyin and misspellings
resolve without landing on another real drug. Orders written for these tests, on the real formulary.
"""

from __future__ import annotations

import pytest
from tests.unit.prescribing.helpers import LOUD, problems_with
from tests.unit.prescribing.helpers import alerts as _alerts
from tests.unit.prescribing.helpers import order as _o
from tests.unit.prescribing.helpers import patient as _patient


def _loud(real, patient: dict, orders: list[dict]) -> set[tuple[int, str]]:
    return {(a["order"], a["kind"]) for a in _alerts(real, patient, orders) if a["severity"] in LOUD}


# --- names ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "drug"), [
    ("PCM", "paracetamol"), ("pcm 500mg", "paracetamol"), ("Efferalgan", "paracetamol"), ("Doliprane", "paracetamol"),
    ("AL 20/120", "artemether_lumefantrine"), ("SP", "sulfadoxine_pyrimethamine"), ("CPT", "sulfamethoxazole_trimethoprim"),
    ("DHA-PPQ", "dihydroartemisinin_piperaquine"), ("TDF/3TC/DTG", "tenofovir_lamivudine_dolutegravir"),
    ("TDF/3TC/DTG 300/300/50", "tenofovir_lamivudine_dolutegravir"), ("RHZE", "rifampicin_isoniazid_pyrazinamide_ethambutol"),
    ("Clamoxyl", "amoxicillin"), ("Amoksiklav", "amoxicillin_clavulanate"),
    ("新康泰克(复方盐酸伪麻黄碱缓释胶囊)", "pseudoephedrine_chlorphenamine"), ("康泰克", "pseudoephedrine_chlorphenamine"),
    ("泰诺(酚麻美敏片)", "paracetamol_pseudoephedrine_dextromethorphan_chlorphenamine"),
    ("泰诺林 对乙酰氨基酚混悬滴剂", "paracetamol"), ("消渴丸", "xiaoke_pill"), ("珍菊降压片", "zhenju_jiangya"),
    ("复方甘草片", "compound_liquorice"), ("速效救心丸", "suxiao_jiuxin"), ("连花清瘟胶囊", "lianhua_qingwen"),
    ("达喜 铝碳酸镁咀嚼片", "hydrotalcite"), ("Ponstan forte", "mefenamic_acid"), ("Cerazette", "desogestrel"),
    ("Implanon NXT implant", "etonogestrel_implant"), ("妈富隆", "ethinylestradiol_desogestrel"),
    ("Yasmin", "ethinylestradiol_drospirenone"), ("氢溴酸右美沙芬糖浆", "dextromethorphan"),
    ("Sudafed 60 mg", "pseudoephedrine"), ("HRIG 150 IU/ml", "rabies_immunoglobulin_human"),
    ("狂犬病人免疫球蛋白", "rabies_immunoglobulin_human"), ("抗狂犬病血清", "rabies_immunoglobulin_equine"),
    ("Verorab rabies vaccine", "rabies_vaccine"), ("冻干人用狂犬病疫苗(Vero细胞)", "rabies_vaccine"),
])
def test_products_brands_and_abbreviations_resolve(real, name, drug):
    _formulary, index = real
    got = index.resolve(name)
    assert got is not None and got.drug == drug, got


@pytest.mark.parametrize(("written", "drug"), [
    # pinyin as patients and shop assistants type it, and its misspellings (one edit)
    ("duiyixiananjifen", "paracetamol"), ("buluofen", "ibuprofen"), ("buluofin", "ibuprofen"),
    ("kuaike", "paracetamol_amantadine"), ("kuaiki", "paracetamol_amantadine"), ("baijiahei", "paracetamol_pseudoephedrine_dextromethorphan"),
    ("ganmaoling", "paracetamol_chlorphenamine"), ("xinkangtaike", "pseudoephedrine_chlorphenamine"),
    ("xiaokewan", "xiaoke_pill"), ("jiaxiaozuo", "metronidazole"), ("amoxixilin", "amoxicillin"),
    ("ponstam", "mefenamic_acid"), ("desogestril", "desogestrel"), ("pseudoephedrin", "pseudoephedrine"),
    ("dextromethorfan", "dextromethorphan"),
])
def test_pinyin_and_misspellings_reach_the_product(real, written, drug):
    _formulary, index = real
    got = index.resolve(written)
    assert got is not None and got.drug == drug, got


@pytest.mark.parametrize("name", ["bupropion", "mefloquine", "desmopressin", "dexamethasone", "ephedrine", "CTX",
                                  "meloxicam", "etoricoxib", "levomepromazine"])
def test_real_drugs_not_in_the_formulary_are_not_read_as_a_new_product(real, name):
    """The other way round: a real medicine one or two letters from a new product name or alias is
    not taken for it (an unknown drug, never a wrong one). CTX is cefotaxime to some, co-trimoxazole
    to others: left unknown."""
    formulary, index = real
    got = index.resolve(name)
    new = {"pseudoephedrine", "dextromethorphan", "mefenamic_acid", "desogestrel", "etonogestrel_implant",
           "xiaoke_pill", "hydrotalcite", "sulfamethoxazole_trimethoprim", "rabies_vaccine"}
    assert got is None or got.drug not in new, got
    if got is not None:          # a formulary medicine of that very name, never a neighbour by one edit
        assert got.how != "typo", got


def test_a_number_glued_to_letters_is_part_of_the_name(real):
    _formulary, index = real
    got = index.resolve("TDF/3TC/DTG 300/300/50 mg")
    assert got is not None and got.drug == "tenofovir_lamivudine_dolutegravir"
    assert got.strengths == (300.0, 300.0, 50.0)
    assert index.resolve("amoxicillin 500mg.").strengths == (500.0,)


def test_a_longer_name_of_a_drug_does_not_leave_a_product_inside_it(real):
    """泰诺林 is paracetamol; 泰诺 (inside it) is a four-ingredient cold tablet: a child on 泰诺林
    drops is on paracetamol only (no age alert of the adult cold tablet)."""
    child = _patient(age_years=4, weight_kg=16)
    got = _alerts(real, child, [_o("泰诺林（对乙酰氨基酚混悬液 32mg/ml）", 7.5, "ml", times=4, days=3)])
    assert not [a for a in got if a["severity"] in LOUD], got


# --- product names pick their composition -------------------------------------------------------

def test_a_product_name_counts_its_own_sachet(real):
    """999感冒灵 is 200 mg paracetamol and 4 mg chlorphenamine a sachet; the children's granules of the
    same entry are 125 mg / 0.5 mg. 10 sachets of 999感冒灵 at once is 2 g of paracetamol."""
    formulary, index = real
    assert index.resolve("999感冒灵颗粒").strengths == (200.0, 4.0)
    assert index.resolve("小儿氨酚黄那敏颗粒").strengths == (125.0, 0.5)
    too_many = _alerts(real, _patient(), [_o("999感冒灵颗粒", 10, "sachet", times=3, days=3)])
    above = [a for a in too_many if a["kind"] == "dose_above_max"]
    assert above and "Paracetamol" in above[0]["message"] and "2000" in above[0]["message"], too_many
    usual = _loud(real, _patient(), [_o("999感冒灵颗粒", 1, "sachet", times=3, days=3)])
    assert usual == set()


# --- every check runs on the ingredients -------------------------------------------------------

def test_hidden_paracetamol_in_two_cold_products_is_a_duplicate(real):
    got = _loud(real, _patient(), [_o("白加黑", 1, "tablet", times=3, days=3),
                                   _o("泰诺 酚麻美敏片", 1, "tablet", times=3, days=3)])
    assert {(0, "duplicate"), (1, "duplicate")} <= got


def test_hidden_pseudoephedrine_in_a_breastfeeding_mother(real):
    """The capsule's own entry says nothing of breastfeeding; its pseudoephedrine says avoid. The
    same ingredient reaches her through 白加黑, whose own entry only says caution."""
    mother = _patient(breastfeeding=True)
    assert (0, "breastfeeding") in _loud(real, mother, [_o("新康泰克", 1, "tablet", times=2, days=3)])
    assert (0, "breastfeeding") in _loud(real, mother, [_o("白加黑", 1, "tablet", times=3, days=3)])
    assert (0, "breastfeeding") not in _loud(real, mother, [_o("paracetamol", 500, times=3, days=3)])


def test_allergy_to_an_ingredient_of_a_chinese_product(real):
    """A chart allergy to glibenclamide (sulfonylurea) stops 消渴丸, whose glibenclamide is hidden."""
    got = _loud(real, _patient(allergies=["glibenclamide - rash"]), [_o("消渴丸", 10, "tablet", times=2, days=30)])
    assert (0, "allergy") in got


def test_hidden_sulfonylurea_duplicates_a_prescribed_one(real):
    older = _patient(age_years=68, current_medications=["gliclazide 80 mg bd"])
    assert (0, "duplicate") in _loud(real, older, [_o("消渴丸", 5, "tablet", times=3, days=30)])


def test_hidden_thiazide_and_opium(real):
    on_hctz = _patient(age_years=60, current_medications=["hydrochlorothiazide 25 mg daily"])
    assert (0, "duplicate") in _loud(real, on_hctz, [_o("珍菊降压片", 1, "tablet", times=3, days=30)])
    on_codeine = _patient(current_medications=["codeine 30 mg qid"])
    assert (0, "duplicate") in _loud(real, on_codeine, [_o("复方甘草片", 3, "tablet", times=3, days=3)])


def test_pregnancy_advice_of_an_ingredient(real):
    early = _patient(pregnant=True, gestation_weeks=8)
    assert (0, "pregnancy") in _loud(real, early, [_o("新康泰克", 1, "tablet", times=2, days=3)])
    assert (0, "pregnancy") in _loud(real, early, [_o("氢溴酸右美沙芬片 15mg", 15, "mg", times=3, days=3)])
    later = _patient(pregnant=True, gestation_weeks=24)
    assert (0, "pregnancy") not in _loud(real, later, [_o("paracetamol", 1000, times=4, days=3)])


def test_age_limit_of_an_ingredient(real):
    toddler = _patient(age_years=1.5, weight_kg=11)
    assert (0, "age") in _loud(real, toddler, [_o("氢溴酸右美沙芬糖浆", 5, "ml", times=3, days=3)])


def test_too_many_units_of_a_label_product_is_too_much_of_an_ingredient(real):
    """白加黑 has no dose entry of its own: 4 day tablets at once are 1300 mg paracetamol and
    120 mg pseudoephedrine."""
    got = _alerts(real, _patient(), [_o("白加黑", 4, "tablet", times=3, days=3)])
    assert any(a["kind"] == "dose_above_max" and a["severity"] in LOUD for a in got), got
    fine = _loud(real, _patient(), [_o("白加黑", 1, "tablet", times=3, days=3)])
    assert not {k for _, k in fine} & {"dose_above_max", "daily_max", "missing_data"}


def test_a_combination_with_its_own_dose_is_not_held_to_an_ingredients_single_use(real):
    """A combined pill holds more progestogen than a progestogen-only pill, by design."""
    assert _loud(real, _patient(age_years=26, weight_kg=54), [_o("妈富隆", 1, "tablet", times=1, days=21)]) == set()


def test_label_dose_of_a_product_with_its_own_entry(real):
    assert (0, "daily_max") in _loud(real, _patient(), [_o("泰诺", 2, "tablet", times=6, days=3)])
    assert _loud(real, _patient(), [_o("泰诺", 2, "tablet", times=4, days=3)]) == set()


# --- interactions by ingredient and class -------------------------------------------------------

def test_implant_as_a_current_method_meets_rifampicin(real):
    woman = _patient(age_years=22, current_medications=["Implanon NXT (etonogestrel 68 mg implant)"])
    assert (0, "interaction") in _loud(real, woman, [_o("rifampicin/isoniazid 150/75", 4, "tablet", times=1, days=90)])


def test_combined_pill_brand_is_avoided_while_breastfeeding(real):
    mother = _patient(age_years=27, breastfeeding=True)
    assert (0, "breastfeeding") in _loud(real, mother, [_o("优思明(屈螺酮炔雌醇片)", 1, "tablet", times=1, days=21)])
    assert (0, "breastfeeding") not in _loud(real, mother, [_o("Cerazette", 1, "tablet", times=1, days=28)])


def test_fenamate_after_an_aspirin_reaction_is_a_cross_reaction(real):
    got = _loud(real, _patient(age_years=16, weight_kg=50, allergies=["aspirin - wheeze"]),
                [_o("Ponstan 500 mg", 1, "tablet", times=3, days=3)])
    assert (0, "cross_reactivity") in got


def test_lamotrigine_after_carbamazepine_hypersensitivity(real):
    got = _loud(real, _patient(allergies=["卡马西平 - 重症药疹(SJS)"]), [_o("拉莫三嗪片 25mg", 25, times=1, days=14)])
    assert (0, "cross_reactivity") in got


# --- a dose adjusted for an interaction -----------------------------------------------------------

def test_double_dose_emergency_pill_beside_an_enzyme_inducer(real):
    """WHO MEC / FSRH: levonorgestrel 3 mg beside an enzyme inducer. The doubled dose is not an
    overdose and the interaction is said as taken care of; the usual 1.5 mg keeps the warning; 3 mg
    without an inducer is above the maximum."""
    on_inducer = _patient(age_years=28, current_medications=["carbamazepine 400 mg bd"])
    doubled = _alerts(real, on_inducer, [_o("Postinor (levonorgestrel 1.5 mg)", 2, "tablet", times=1, days=1)])
    assert not [a for a in doubled if a["severity"] in LOUD], doubled
    assert any(a["kind"] == "interaction" and "adjusted" in a["message"] for a in doubled)
    usual = _loud(real, on_inducer, [_o("levonorgestrel 1.5 mg", 1, "tablet", times=1, days=1)])
    assert (0, "interaction") in usual
    alone = _loud(real, _patient(age_years=28), [_o("levonorgestrel 1.5 mg", 2, "tablet", times=1, days=1)])
    assert (0, "dose_above_max") in alone


def test_the_adjusted_dose_eases_the_partner_order_too(real):
    both = _loud(real, _patient(age_years=30), [_o("rifampicin", 600, times=1, days=180),
                                                _o("levonorgestrel 1.5 mg", 2, "tablet", times=1, days=1)])
    assert (0, "interaction") not in both and (1, "interaction") not in both


def test_with_class_must_name_a_class(tmp_path):
    text = ('\n[[drug]]\nid = "testdrug"\nname_en = "Testdrug"\nname_zh = "测试药"\nsource = "test"\n'
            '[[drug.forms]]\nform = "tablet"\nstrength = 1\nunit = "mg"\n'
            '[[drug.dose]]\nindication = "default"\npopulation = "any"\nroute = "oral"\ndose_mg = 1\n'
            'with_class = "no_such_class"\n')
    assert any("with_class" in p for p in problems_with(tmp_path, "drugs_analgesics.toml", text))


# --- post-exposure prophylaxis and chemoprevention by weight and age ------------------------------

def test_rabies_immunoglobulin_by_weight(real):
    adult = _patient(age_years=45, weight_kg=60)
    assert _loud(real, adult, [_o("狂犬病人免疫球蛋白 200IU/支", 1200, "IU", "im", 1, 1),
                               _o("人用狂犬病疫苗(Vero细胞) 0.5ml/剂", 0.5, "ml", "im", 1, 1)]) == set()
    assert (0, "dose_above_max") in _loud(real, adult, [_o("HRIG", 2500, "IU", "im", 1, 1)])
    assert (0, "dose_below_min") in _loud(real, adult, [_o("HRIG", 400, "IU", "im", 1, 1)])
    assert _loud(real, _patient(weight_kg=50), [_o("ERIG 200 IU/ml", 2000, "IU", "im", 1, 1)]) == set()


def test_smc_doses_by_age(real):
    infant = _patient(age_years=0.6, weight_kg=7)
    assert _loud(real, infant, [_o("SP 500/25 (SMC)", 0.5, "tablet", times=1, days=1),
                                _o("amodiaquine 76.5 mg (SMC)", 1, "tablet", times=1, days=3)]) == set()
    got = _loud(real, infant, [_o("SP 500/25 (SMC)", 1, "tablet", times=1, days=1),
                               _o("amodiaquine 153 mg (SMC)", 1, "tablet", times=1, days=3)])
    assert {(0, "dose_above_max"), (1, "dose_above_max")} <= got
    too_young = _loud(real, _patient(age_years=0.15, weight_kg=4.5),
                      [_o("amodiaquine 76.5 mg (SMC)", 1, "tablet", times=1, days=3)])
    assert (0, "age") in too_young


def test_mebendazole_twice_daily_for_three_days(real):
    child = _patient(age_years=5, weight_kg=18)
    assert _loud(real, child, [_o("甲苯达唑片 100mg", 100, times=2, days=3)]) == set()
    assert (0, "dose_above_max") in _loud(real, child, [_o("mebendazole", 500, times=2, days=3)]) or \
        (0, "daily_max") in _loud(real, child, [_o("mebendazole", 500, times=2, days=3)])


# --- ingredients a label names without amounts --------------------------------------------------

def test_a_patent_medicine_named_ingredients_are_checked_without_a_dose(real):
    """感冒清胶囊's label names paracetamol, moroxydine and chlorphenamine: with 扑尔敏 it is the same
    chlorphenamine twice; its dose is not checked (no amounts), and never taken as checked."""
    formulary, _index = real
    assert "chlorphenamine" in formulary.drugs["ganmaoqing"].contains
    got = _alerts(real, _patient(age_years=70, weight_kg=55),
                  [_o("感冒清胶囊", 2, "tablet", times=3, days=3), _o("扑尔敏 4mg", 4, times=3, days=3)])
    assert {(0, "duplicate"), (1, "duplicate")} <= {(a["order"], a["kind"]) for a in got if a["severity"] in LOUD}
    assert any(a["order"] == 0 and a["kind"] == "missing_data" and a["severity"] == "info" for a in got)


def test_contains_must_name_known_ingredients(tmp_path):
    text = ('\n[[drug]]\nid = "testproduct"\nname_en = "Testproduct"\nname_zh = "测试品"\nsource = "test"\n'
            'contains = ["no_such_ingredient"]\n')
    assert any("contains" in p for p in problems_with(tmp_path, "drugs_analgesics.toml", text))


def test_progestogen_only_pill_is_not_an_underdosed_emergency_pill(real):
    mother = _patient(age_years=26, weight_kg=55, breastfeeding=True)
    assert _loud(real, mother, [_o("levonorgestrel 30 mcg (Microlut)", 1, "tablet", times=1, days=28)]) == set()
    assert _loud(real, mother, [_o("Cerazette (desogestrel 75 mcg)", 1, "tablet", times=1, days=28)]) == set()


def test_an_allergy_to_a_product_makes_each_ingredient_suspect(real):
    """"Allergy: 泰诺": paracetamol alone, or another product holding it, is a warning (which of the
    four ingredients caused it is not known); an unrelated medicine is not."""
    chart = _patient(allergies=["泰诺 - 皮疹"])
    assert (0, "allergy") in _loud(real, chart, [_o("paracetamol", 500, times=3, days=3)])
    assert (0, "allergy") in _loud(real, chart, [_o("白加黑", 1, "tablet", times=3, days=3)])
    assert (0, "allergy") not in _loud(real, chart, [_o("amoxicillin", 500, times=3, days=5)])


@pytest.mark.parametrize("text", ["contact dermatitis (nickel)", "speedy recovery", "ARV", "on ARVs since 2019",
                                  "contrast dye", "dog bite", "herbal tea"])
def test_everyday_words_are_not_products(real, text):
    """Chart words one letter from a product name are not that product ("contact" is not Contac)."""
    _formulary, index = real
    products = {"pseudoephedrine_chlorphenamine", "rabies_vaccine", "rabies_immunoglobulin_human",
                "rabies_immunoglobulin_equine", "lianhua_qingwen", "compound_liquorice"}
    assert not [d for d, _ in index.mentions(text) if d in products]
