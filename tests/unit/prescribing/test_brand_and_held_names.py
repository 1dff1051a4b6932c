"""Brand and Chinese names of the medicines of the interaction, duplicate and renal tables, and
names that hold a formulary name without being that medicine (issue 14, item 3), on the real
formulary."""

from __future__ import annotations

import pytest
from tests.unit.prescribing.helpers import alerts as _alerts
from tests.unit.prescribing.helpers import order as _o
from tests.unit.prescribing.helpers import patient as _patient


@pytest.mark.parametrize(("name", "drug"), [
    ("拜新同", "nifedipine"), ("络活喜", "amlodipine"), ("二甲双胍", "metformin"), ("格华止", "metformin"),
    ("阿莫仙", "amoxicillin"), ("芬必得", "ibuprofen"), ("泰诺林", "paracetamol"), ("百服宁", "paracetamol"),
    ("扶他林", "diclofenac"), ("达克宁", "miconazole"), ("氟康唑", "fluconazole"), ("大扶康", "fluconazole"),
    ("左氧氟沙星", "levofloxacin"), ("可乐必妥", "levofloxacin"), ("头孢克肟", "cefixime"),
    ("头孢呋辛", "cefuroxime"), ("西力欣", "cefuroxime"), ("利福平", "rifampicin"), ("异烟肼", "isoniazid"),
    ("依非韦伦", "efavirenz"), ("替诺福韦", "tenofovir"), ("补达秀", "potassium_chloride"),
    ("克力芝", "lopinavir_ritonavir"), ("波立维", "clopidogrel"), ("百忧解", "fluoxetine"), ("左洛复", "sertraline"),
    ("Kaletra", "lopinavir_ritonavir"), ("Tegretol", "carbamazepine"), ("Plavix", "clopidogrel"),
])
def test_brand_and_chinese_names_resolve(real, name, drug):
    _formulary, index = real
    got = index.resolve(name)
    assert got is not None and got.drug == drug


@pytest.mark.parametrize(("name", "drug", "not_this"), [
    ("罗红霉素", "roxithromycin", "erythromycin"), ("单硝酸异山梨酯", "isosorbide_mononitrate", "isosorbide_dinitrate"),
    ("多索茶碱", "doxofylline", "theophylline"), ("地氯雷他定", "desloratadine", "loratadine"),
    ("左西替利嗪", "levocetirizine", "cetirizine"), ("左旋氨氯地平", "levamlodipine", "amlodipine"),
    ("去甲万古霉素", "norvancomycin", "vancomycin"), ("那屈肝素", "nadroparin", "heparin"),
    ("硫酸羟氯喹片", "hydroxychloroquine", "chloroquine"), ("丙酚替诺福韦", "tenofovir_alafenamide", "tenofovir"),
    ("tenofovir alafenamide", "tenofovir_alafenamide", "tenofovir"), ("倍他乐克", "metoprolol", None),
    ("葡萄糖酸锌", "zinc_gluconate", "glucose"), ("亚叶酸钙", "calcium_folinate", "folic_acid"),
    ("去甲肾上腺素", "noradrenaline", "adrenaline"), ("calcium folinate", "calcium_folinate", "calcium_carbonate"),
    ("异丙肾上腺素", "isoprenaline", "adrenaline"), ("枸橼酸咖啡因", "caffeine_citrate", "ergotamine_caffeine"),
])
def test_a_name_holding_a_formulary_name_is_its_own_entry_not_that_drug(real, name, drug, not_this):
    out = _alerts(real, _patient(), [_o(name, 1, "tablet")])
    assert not [a for a in out if a["kind"] == "unknown_drug"]
    assert {a["drug"] for a in out if a["order"] == 0} <= {drug}
    _formulary, index = real
    got = index.resolve(name)
    assert got is not None and got.drug == drug and got.drug != not_this


def test_a_pending_name_holding_a_formulary_name_is_an_unknown_drug_not_that_drug(tmp_path):
    # the pending line of DRUGS.md (empty in the real formulary once every medicine on it is written):
    # 赖氨酸布洛芬 holds 布洛芬 (ibuprofen) but is not it
    import shutil

    from tests.unit.prescribing.helpers import FIXTURE

    from lantern.clinical.prescribing import build_index, read_formulary

    root = tmp_path / "f"
    shutil.copytree(FIXTURE, root)
    with (root / "DRUGS.md").open("a", encoding="utf-8") as fh:
        fh.write("pending: ibuprofen_lysine (Ibuprofen lysine / 赖氨酸布洛芬) [nsaid]\n")
    formulary = read_formulary(root)
    assert formulary.problems == ()
    real = (formulary, build_index(formulary))
    out = _alerts(real, _patient(), [_o("赖氨酸布洛芬", 1, "tablet")])
    assert [a["severity"] for a in out if a["kind"] == "unknown_drug" and a["order"] == 0] == ["warn"]
    assert all(a["drug"] != "ibuprofen" for a in out)
    # its class still meets the class interactions: an NSAID with warfarin
    out = _alerts(real, _patient(current_medications=["warfarin 5 mg"]), [_o("赖氨酸布洛芬", 1, "tablet")])
    assert any(a["kind"] == "interaction" and a["order"] == 0 for a in out)


@pytest.mark.parametrize(("name", "drug"), [
    ("红霉素肠溶片", "erythromycin"), ("琥乙红霉素", "erythromycin"), ("硝酸异山梨酯", "isosorbide_dinitrate"),
    ("苯磺酸氨氯地平", "amlodipine"), ("磷酸氯喹片", "chloroquine"), ("葡萄糖酸钙", "calcium_gluconate"),
    ("肝素钠", "heparin"), ("叶酸", "folic_acid"), ("氨茶碱", "aminophylline"),
])
def test_the_formulary_names_inside_them_still_resolve(real, name, drug):
    _formulary, index = real
    got = index.resolve(name)
    assert got is not None and got.drug == drug


def test_a_chart_allergy_keeps_the_class_of_the_formulary_name_inside(real):
    # "罗红霉素过敏": roxithromycin has no entry, but its allergy is still a macrolide allergy
    out = _alerts(real, _patient(allergies=["罗红霉素过敏"]), [_o("clarithromycin", 500, times=2)])
    assert {a["kind"] for a in out if a["order"] == 0 and a["severity"] in ("warn", "stop")} & {
        "allergy", "cross_reactivity"}


@pytest.mark.parametrize(("current", "ordered", "kind"), [
    ("isosorbide mononitrate 30 mg od", "sildenafil", "interaction"),     # nitrate: stop
    ("单硝酸异山梨酯", "西地那非", "interaction"),
    ("左旋氨氯地平 2.5mg", "amlodipine", "duplicate"),                       # two dihydropyridines
    ("倍他乐克", "atenolol", "duplicate"),                                   # two beta-blockers
    ("那屈肝素", "enoxaparin", "duplicate"),                                 # two heparins
    ("羟氯喹", "azithromycin", "interaction"),                               # two QT-prolonging drugs
    ("葡萄糖酸锌", "ciprofloxacin", "interaction"),                          # a polyvalent cation (info: space the doses)
])
def test_a_medicine_held_in_a_formulary_name_keeps_its_classes(real, current, ordered, kind):
    out = _alerts(real, _patient(current_medications=[current]), [_o(ordered, 1, "tablet")])
    assert any(a["kind"] == kind and a["order"] == 0 for a in out)


def test_an_unknown_class_after_a_listed_medicine_is_a_problem(tmp_path):
    from tests.unit.prescribing.helpers import problems_with

    problems = problems_with(tmp_path, "DRUGS.md", "pending: metoprolol (Metoprolol) [beta_blockr]\n")
    assert any("metoprolol [beta_blockr]" in p for p in problems)


def test_the_name_inside_is_not_read_as_an_ingredient_either(real):
    # 罗红霉素 is roxithromycin, not roxithromycin "with erythromycin": beside an erythromycin order
    # it is a second macrolide, not the same ingredient twice
    out = _alerts(real, _patient(current_medications=["罗红霉素 150mg bid"]), [_o("erythromycin", 250, times=4)])
    dups = [a["message"] for a in out if a["kind"] == "duplicate" and a["order"] == 0]
    assert len(dups) == 1 and "both macrolide" in dups[0] and "contain" not in dups[0]
