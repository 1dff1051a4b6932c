"""Product names as people write them, session 16 (issue 14): fewer false alarms, hidden ingredients
found. A number's thousands separator, a homophone typed for a character of a Chinese brand, the
unit an amount of an IU-measured medicine is counted in. Orders written for these tests, on the
real formulary (EN and ZH).
"""

from __future__ import annotations

import pytest
from tests.unit.prescribing.helpers import LOUD
from tests.unit.prescribing.helpers import alerts as _alerts
from tests.unit.prescribing.helpers import order as _o
from tests.unit.prescribing.helpers import patient as _patient

from lantern.clinical.prescribing.names import sound_key, strengths_in


def _loud(real, patient: dict, orders: list[dict]) -> set[tuple[int, str]]:
    return {(a["order"], a["kind"]) for a in _alerts(real, patient, orders) if a["severity"] in LOUD}


def _reads_as(real, written: str, drug: str | None, how: str | None = None) -> None:
    got = real[1].resolve(written)
    assert (got.drug if got else None) == drug and (how is None or got.how == how), (written, got)


# --- numbers in names ------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "strengths"), [
    ("nystatin drops 100,000 units/ml", (100000.0,)), ("Retinol 100,000 IU caps", (100000.0,)),
    ("benzathine penicillin 2,400,000 IU", (2400000.0,)),
    # a comma between two strengths is a list, not thousands
    ("co-trimoxazole 400,80", (400.0, 80.0)), ("RHZE 150,75,400,275", (150.0, 75.0, 400.0, 275.0)),
    ("TDF/3TC 300,300", (300.0, 300.0)), ("vitamin A 200,000 IU", (200000.0,)),
])
def test_a_thousands_separator_is_one_number(text, strengths):
    assert strengths_in(text)[0] == strengths


def test_an_iu_medicine_ordered_in_ml_is_counted_in_iu(real):
    # 1 ml of a 100,000 IU/ml suspension is 100,000 IU (a normal dose), not 100,000 ml
    infant = _patient(age_years=0.3, weight_kg=6, egfr=None)
    assert _loud(real, infant, [_o("nystatin suspension 100,000 IU/ml", 1, "ml", times=4, days=7)]) == set()
    # ten times the dose is still caught, as a dose above the maximum
    got = [a for a in _alerts(real, infant, [_o("nystatin 100,000 IU/ml", 10, "ml", times=4)])
           if a["kind"] == "dose_above_max" and a["severity"] in LOUD]
    assert got and "impossible" not in got[0]["message"]


# --- Chinese brands typed by sound -----------------------------------------------------------------

@pytest.mark.parametrize(("written", "drug"), [
    ("芬必的缓释胶囊", "ibuprofen"),            # 的 for 得
    ("格化止 500mg", "metformin"),             # 化 for 华
    ("拜糖苹", "acarbose"),                    # 糖 for 唐
    ("新康太克", "pseudoephedrine_chlorphenamine"),   # 太 for 泰
])
def test_a_homophone_in_a_chinese_brand_is_the_brand(real, written, drug):
    _reads_as(real, written, drug, "typo")


def test_sound_is_no_match_for_short_or_unknown_names(real):
    _formulary, index = real
    assert sound_key("芬必的") == sound_key("芬必得") and sound_key("芬必") != sound_key("芬必得")
    # a name no formulary name sounds like stays unknown (an unknown_drug, never another drug)
    assert index.resolve("喉康宁含片") is None


def test_a_sound_match_is_checked_like_the_brand(real):
    kidney = _patient(age_years=75, egfr=25)
    assert (0, "renal") in _loud(real, kidney, [_o("格化止 0.5g", 0.5, "g", times=3, days=30)])
    assert (0, "renal") in _loud(real, kidney, [_o("格华止 0.5g", 0.5, "g", times=3, days=30)])


# --- a name several medicines share ----------------------------------------------------------------

@pytest.mark.parametrize(("written", "drug"), [
    ("CTX 960", "sulfamethoxazole_trimethoprim"), ("ctx 480 mg", "sulfamethoxazole_trimethoprim"),
    ("CTX 400/80", "sulfamethoxazole_trimethoprim"),
    ("CTX", None), ("CTX 1g", None), ("CTX 500mg", None),     # a plain strength names no composition
])
def test_ctx_is_read_only_with_a_strength_that_names_a_composition(real, written, drug):
    _reads_as(real, written, drug)


def test_ctx_alone_is_an_unknown_drug_that_says_why(real):
    got = [a for a in _alerts(real, _patient(), [_o("CTX", 1, "g", route="iv", times=3)]) if a["kind"] == "unknown_drug"]
    assert got and got[0]["severity"] == "warn"
    assert "more than one medicine" in got[0]["message"] and "Cefotaxime" in got[0]["message"]
    assert "Co-trimoxazole" in got[0]["message"] and "Cyclophosphamide" in got[0]["message"]


def test_ctx_with_its_strength_meets_a_cotrimoxazole_allergy(real):
    allergic = _patient(allergies=["Septrin - rash"])
    assert (0, "allergy") in _loud(real, allergic, [_o("CTX 960", 1, "tablet", times=1, days=30)])
    assert (0, "allergy") not in _loud(real, _patient(), [_o("CTX 960", 1, "tablet", times=1, days=30)])


def test_a_shared_alias_must_be_shared(tmp_path):
    from tests.unit.prescribing.helpers import problems_with
    text = ('\n[[drug]]\nid = "zz_lonely"\nname_en = "Lonely"\nname_zh = "孤"\nsource = "test"\n'
            'shared_aliases = ["QQX"]\n')
    assert any("shared alias 'QQX' names no other medicine" in p
               for p in problems_with(tmp_path, "drugs_analgesics.toml", text))


# --- hidden ingredients of products --------------------------------------------------------------

@pytest.mark.parametrize(("name", "drug"), [
    ("Neozep Forte", "paracetamol_phenylephrine_chlorphenamine"), ("Bioflu tablet", "paracetamol_phenylephrine_chlorphenamine"),
    ("Actifed", "triprolidine_pseudoephedrine"), ("Combiflam", "ibuprofen_paracetamol"),
    ("Phensedyl", "promethazine_codeine_ephedrine"), ("联邦止咳露", "codeine_ephedrine_chlorphenamine"),
    ("Panadeine", "paracetamol_codeine"), ("Voveran SR 100", "diclofenac"), ("ALu", "artemether_lumefantrine"),
    ("板蓝根颗粒", "banlangen_granules"), ("金嗓子喉片", "jinsangzi_lozenges"), ("益母草颗粒", "yimucao_granules"),
    ("念慈菴蜜炼川贝枇杷膏", "chuanbei_pipa_syrup"), ("双黄连口服液", "shuanghuanglian"),
    ("感冒清热颗粒", "ganmao_qingre_granules"), ("感冒清胶囊", "ganmaoqing"),
    ("Tempra 120mg/5ml", "paracetamol"), ("Medicol Advance 400", "ibuprofen"), ("Flanax 550", "naproxen"),
    ("Dolfenal 500", "mefenamic_acid"), ("Voltfast 50mg", "diclofenac"), ("Solpadeine", "paracetamol_codeine"),
    ("Alaxan FR", "ibuprofen_paracetamol"), ("Excedrin", "aspirin_paracetamol_caffeine"),
    ("Feldene 20mg", "piroxicam"), ("indomethacin 25mg", "indometacin"),
])
def test_products_resolve_to_their_composition(real, name, drug):
    _reads_as(real, name, drug)


def test_a_hidden_paracetamol_or_chlorphenamine_is_a_duplicate(real):
    adult = _patient(current_medications=["Panadol 1g qds"])
    got = _loud(real, adult, [_o("Neozep Forte", 1, "tablet", times=3, days=3), _o("Piriton 4mg", 1, "tablet", times=3, days=3)])
    assert {(0, "duplicate"), (1, "duplicate")} <= got
    # the same cold tablet alone, in an adult: nothing to say
    assert _loud(real, _patient(), [_o("Neozep Forte", 1, "tablet", times=3, days=3)]) == set()


def test_ibuprofen_inside_a_combination_meets_the_kidneys_and_another_nsaid(real):
    kidney = _patient(age_years=70, egfr=25)
    assert (0, "renal") in _loud(real, kidney, [_o("Combiflam", 1, "tablet", times=3, days=5)])
    assert (0, "renal") not in _loud(real, _patient(), [_o("Combiflam", 1, "tablet", times=3, days=5)])
    both = _loud(real, _patient(), [_o("Combiflam", 1, "tablet", times=3, days=3), _o("Brufen 400", 1, "tablet", times=3, days=3)])
    assert (1, "duplicate") in both


def test_codeine_inside_a_cough_syrup_is_codeine(real):
    child = _patient(age_years=5, weight_kg=18)
    assert (0, "age") in _loud(real, child, [_o("联邦止咳露", 5, "ml", times=3, days=3)])
    assert (0, "age") in _loud(real, child, [_o("Phensedyl cough linctus", 5, "ml", times=3, days=3)])
    mother = _patient(breastfeeding=True)
    assert (0, "breastfeeding") in _loud(real, mother, [_o("联邦止咳露", 10, "ml", times=3, days=3)])
    assert (0, "breastfeeding") in _loud(real, mother, [_o("Panadeine", 2, "tablet", times=4, days=3)])
    assert _loud(real, _patient(), [_o("Panadeine", 2, "tablet", times=4, days=3)]) == set()


def test_an_allergy_to_an_ingredient_meets_the_product(real):
    allergic = _patient(allergies=["ibuprofen - urticaria"])
    assert (0, "allergy") in _loud(real, allergic, [_o("Combiflam", 1, "tablet", times=3, days=3)])


def test_herbal_patent_medicines_are_known_not_unknown(real):
    got = _alerts(real, _patient(), [_o("板蓝根颗粒", 1, "sachet", times=3, days=3), _o("金嗓子喉片", 1, "tablet", times=5, days=3)])
    assert not [a for a in got if a["kind"] == "unknown_drug"]
    assert not [a for a in got if a["severity"] in LOUD]
    # known is not unchecked: motherwort is contraindicated in pregnancy by its label
    pregnant = _patient(pregnant=True, gestation_weeks=20)
    assert (0, "pregnancy") in _loud(real, pregnant, [_o("益母草颗粒", 1, "sachet", times=3, days=7)])


def test_a_pack_number_in_a_brand_is_not_its_strength(real):
    # Postinor-2: two tablets of 0.75 mg (1.5 mg), not two tablets of "2 mg"
    assert _loud(real, _patient(age_years=19), [_o("Postinor-2", 2, "tablet", times=1, days=1)]) == set()
    assert (0, "dose_above_max") in _loud(real, _patient(age_years=19), [_o("Postinor-2", 6, "tablet", times=1, days=1)])


def test_a_double_strength_artemether_lumefantrine_three_times_a_day_is_too_much(real):
    assert (0, "daily_max") in _loud(real, _patient(weight_kg=65), [_o("Lonart DS 80/480", 1, "tablet", times=3, days=3)])
    assert _loud(real, _patient(weight_kg=65), [_o("Lonart DS", 1, "tablet", times=2, days=3)]) == set()


# --- a medicine at its low dose ------------------------------------------------------------------

@pytest.mark.parametrize(("current", "interaction"), [
    ("Aspirin 75mg od", False), ("拜阿司匹灵 100mg qd", False), ("aspirin 100 mg daily", False),
    ("aspirin 300mg qds", True), ("阿司匹林 0.5g 每日3次", True),
])
def test_antiplatelet_aspirin_is_no_nsaid_beside_an_antihypertensive(real, current, interaction):
    older = _patient(age_years=66, current_medications=[current])
    for drug in ("Losartan 50", "enalapril 10mg", "furosemide 40mg"):
        got = _loud(real, older, [_o(drug, 40 if "furosemide" in drug else 50 if "Losartan" in drug else 10,
                                     "mg", times=1, days=30)])
        assert ((0, "interaction") in got) is interaction, (current, drug, got)


def test_low_dose_aspirin_keeps_its_bleeding_interactions(real):
    on_aspirin = _patient(age_years=66, current_medications=["aspirin 75mg od"])
    assert (0, "interaction") in _loud(real, on_aspirin, [_o("warfarin", 5, "mg", times=1, days=30)])
    assert (0, "interaction") in _loud(real, on_aspirin, [_o("ibuprofen", 400, "mg", times=3, days=5)])
    # an order of aspirin at its antiplatelet dose beside an ACE inhibitor ordered with it
    both = _loud(real, _patient(age_years=66), [_o("aspirin", 75, "mg", times=1, days=30), _o("enalapril", 10, "mg", times=1, days=30)])
    assert (0, "interaction") not in both and (1, "interaction") not in both
    high = _loud(real, _patient(age_years=66), [_o("aspirin", 600, "mg", times=4, days=5), _o("enalapril", 10, "mg", times=1, days=30)])
    assert (0, "interaction") in high


# --- classes and strengths of everyday products --------------------------------------------------

def test_two_non_sedating_antihistamines_are_duplicate_therapy(real):
    got = _loud(real, _patient(), [_o("开瑞坦 10mg", 10, "mg", times=1, days=7), _o("仙特明 10mg", 10, "mg", times=1, days=7)])
    assert {(0, "duplicate"), (1, "duplicate")} <= got
    assert (1, "duplicate") in _loud(real, _patient(), [_o("loratadine", 10, "mg", times=1, days=7),
                                                        _o("desloratadine", 5, "mg", times=1, days=7)])
    assert _loud(real, _patient(), [_o("cetirizine", 10, "mg", times=1, days=7)]) == set()


def test_a_calcium_brand_is_named_by_its_elemental_calcium(real):
    # 钙尔奇D 600 / Caltrate 600: 1.5 g of carbonate (600 mg calcium) a tablet, not 600 mg of carbonate
    pregnant = _patient(pregnant=True, gestation_weeks=24)
    for name in ("钙尔奇D 600", "Caltrate 600+D"):
        assert _loud(real, pregnant, [_o(name, 1, "tablet", times=1, days=30)]) == set()
        _formulary, index = real
        assert index.resolve(name).strengths == (1500.0,)


def test_a_whole_zinc_tablet_to_a_young_infant_is_above_the_maximum(real):
    infant = _patient(age_years=0.1, weight_kg=4.5, egfr=None)
    assert (0, "dose_above_max") in _loud(real, infant, [_o("Zinc 20mg", 1, "tablet", times=1, days=10)])
    assert (0, "dose_above_max") not in _loud(real, infant, [_o("Zinc 20mg", 0.5, "tablet", times=1, days=10)])


# --- an ingredient's day across products -----------------------------------------------------------

def _day_alerts(real, patient: dict, orders: list[dict]) -> list[dict]:
    return [a for a in _alerts(real, patient, orders) if a["kind"] == "daily_max" and "products together" in a["message"]]


def test_paracetamol_hidden_in_a_cold_tablet_counts_towards_the_day(real):
    # 2 cold tablets (500 mg each) 3 times + 1 g 4 times: 7 g of paracetamol a day
    got = _day_alerts(real, _patient(), [_o("Neozep Forte", 2, "tablet", times=3, days=3),
                                         _o("paracetamol 500mg", 2, "tablet", times=4, days=3)])
    assert [a["order"] for a in got] == [1] and "7000 mg" in got[0]["message"]
    # 1 cold tablet 3 times + 500 mg 3 times: 3 g, within the day (still a duplicate, said by the pair check)
    assert _day_alerts(real, _patient(), [_o("Neozep Forte", 1, "tablet", times=3, days=3),
                                          _o("paracetamol 500mg", 1, "tablet", times=3, days=3)]) == []


def test_a_current_paracetamol_counts_too(real):
    on_it = _patient(current_medications=["paracetamol 1g qds"])
    got = _day_alerts(real, on_it, [_o("白加黑", 2, "tablet", times=3, days=3)])
    assert [a["order"] for a in got] == [0] and "current medication" in got[0]["message"]
    assert _day_alerts(real, _patient(current_medications=["paracetamol 500mg od"]),
                       [_o("白加黑", 1, "tablet", times=3, days=3)]) == []


def test_the_same_medicine_by_two_routes_is_not_summed_as_hidden(real):
    # no combination hides it: a switch from IV to oral is the pair checks' business, not a hidden ingredient
    assert _day_alerts(real, _patient(), [_o("paracetamol", 1, "g", route="iv", times=4, days=1),
                                          _o("paracetamol", 1, "g", times=4, days=3)]) == []


# --- spellings as families ---------------------------------------------------------------------------

@pytest.mark.parametrize(("written", "drug"), [
    ("Paracétamol 500 mg", "paracetamol"), ("Bùluòfēn", "ibuprofen"), ("bu4luo4fen1", "ibuprofen"),
    ("xīnkāngtàikè", "pseudoephedrine_chlorphenamine"), ("kuai4ke4", "paracetamol_amantadine"),
])
def test_accents_tone_marks_and_tone_numbers_are_dropped(real, written, drug):
    _reads_as(real, written, drug)


@pytest.mark.parametrize("written", ["vitamin b12", "Vit B12 1mg inj", "维生素B12", "维生素B12注射液 0.5mg"])
def test_vitamin_b12_is_not_vitamin_b1(real, written):
    # a number glued to letters is part of the name: B12 is not B1 with a strength of 2
    _formulary, index = real
    got = index.resolve(written)
    assert got is None or got.drug != "thiamine", got
    assert index.resolve(written.replace("12", "1")).drug == "thiamine"


def test_chinese_analgesic_and_cough_products_show_their_hidden_medicine(real):
    # 去痛片 holds phenobarbital 15 mg: an enzyme inducer beside a combined pill
    on_pill = _patient(age_years=25, current_medications=["Microgynon 30 1 od"])
    assert (0, "interaction") in _loud(real, on_pill, [_o("去痛片", 1, "tablet", times=3, days=3)])
    assert (0, "interaction") not in _loud(real, _patient(age_years=25), [_o("去痛片", 1, "tablet", times=3, days=3)])
    # 散利痛 holds paracetamol 250 mg
    assert (1, "duplicate") in _loud(real, _patient(), [_o("散利痛", 1, "tablet", times=3, days=3),
                                                        _o("泰诺林 0.5g", 1, "tablet", times=3, days=3)])
    # 鼻炎康片 holds chlorphenamine
    assert (1, "duplicate") in _loud(real, _patient(), [_o("鼻炎康片", 3, "tablet", times=3, days=5),
                                                        _o("扑尔敏 4mg", 4, "mg", times=3, days=5)])
    # 强力枇杷露 holds poppy capsule: an opioid beside 复方甘草片, and not for a breastfeeding mother
    assert (0, "duplicate") in _loud(real, _patient(), [_o("强力枇杷露", 15, "ml", times=3, days=5),
                                                        _o("复方甘草片", 3, "tablet", times=3, days=3)])
    assert (0, "breastfeeding") in _loud(real, _patient(breastfeeding=True), [_o("强力枇杷露", 15, "ml", times=3, days=5)])


def test_a_brand_typed_by_sound_keeps_its_composition(real):
    assert real[1].resolve("新康太克").strengths == real[1].resolve("新康泰克").strengths == (90.0, 4.0)
    # two capsules at a time: 180 mg of pseudoephedrine, above the 90 mg dose of the capsule, as for the brand
    for name in ("新康太克", "新康泰克"):
        assert (0, "dose_above_max") in _loud(real, _patient(), [_o(name, 2, "tablet", times=2, days=3)])


def test_cefixime_for_a_child_is_dosed_by_weight(real):
    child = _patient(age_years=5, weight_kg=18, egfr=None)
    assert (0, "dose_below_min") in _loud(real, child, [_o("世福素 头孢克肟颗粒 50mg", 0.5, "sachet", times=2, days=5)])
    assert _loud(real, child, [_o("头孢克肟颗粒 50mg", 1.5, "sachet", times=2, days=5)]) == set()       # 8.3 mg/kg a day
    assert (0, "dose_above_max") in _loud(real, child, [_o("cefixime 100mg/5ml", 15, "ml", times=2, days=5)])


# --- brands of medicines the formulary lists but has not written -----------------------------------

def test_an_nsaid_not_written_yet_meets_an_nsaid_allergy_and_another_nsaid(real):
    allergic = _patient(allergies=["NSAIDs - bronchospasm"])
    got = _loud(real, allergic, [_o("Mobic 15mg", 1, "tablet", times=1, days=5)])
    assert {(0, "unknown_drug"), (0, "allergy")} <= got
    assert (0, "allergy") not in _loud(real, _patient(), [_o("Mobic 15mg", 1, "tablet", times=1, days=5)])
    both = _loud(real, _patient(), [_o("Arcoxia 90mg", 1, "tablet", times=1, days=5), _o("Brufen 400", 1, "tablet", times=3, days=5)])
    assert (0, "duplicate") in both and (1, "duplicate") in both


def test_aspirin_hidden_in_a_headache_tablet_is_aspirin(real):
    child = _patient(age_years=10, weight_kg=30)
    assert (0, "age") in _loud(real, child, [_o("Excedrin", 1, "tablet", times=3, days=2)])
    assert (0, "age") not in _loud(real, _patient(), [_o("Excedrin", 1, "tablet", times=3, days=2)])
