"""One small test per phrasing class met in the third blind set."""

from __future__ import annotations

from lantern.clinical.language.allergies import extract_allergies
from lantern.clinical.language.medications import extract_medications
from lantern.clinical.language.results import extract_vitals


def _allergens(text: str) -> list[tuple[str, str]]:
    return [(a.substance, a.reaction) for a in extract_allergies(text).allergies]


def test_drug_makes_patient_react():
    assert _allergens("Pt reports aspirin makes him wheezy – not to be given.") == [("aspirin", "wheezy")]
    # a side effect is no allergy
    assert _allergens("Amlodipine causes ankle swelling.") == []


def test_drug_named_with_its_reaction():
    assert _allergens("Hx nevirapine rash in 2015 – avoid NVP.")[0][0] == "nevirapine"
    assert _allergens("allergy documented (CBZ rash)")[0][0] == "CBZ"


def test_drug_year_arrow_reaction():
    assert _allergens("lisinopril 2019 → lip/tongue swelling (angioedema) – NEVER ACEi.") == [
        ("lisinopril", "lip/tongue swelling (angioedema)")]


def test_chinese_drug_caused_reaction_and_contrast_agent():
    assert _allergens("记录：布洛芬诱发喘息，以后禁用。")[0][0] == "布洛芬"
    assert _allergens("既往做CT时碘造影剂过敏（荨麻疹）。") == [("碘造影剂", "荨麻疹")]


def _meds(text: str) -> dict[str, str]:
    return {m.name: m.status for m in extract_medications(text)}


def test_bare_chinese_stop_and_switch():
    assert _meds("考虑痛风发作与氢氯噻嗪有关，停氢氯噻嗪。")["氢氯噻嗪"] == "stopped"
    got = _meds("诉硝苯地平后面红、心慌，换成氨氯地平5mg qd。")
    assert got["硝苯地平"] == "stopped" and got["氨氯地平"] == "current"
    # a dose change is not a switch
    assert _meds("氨氯地平5mg qd 改为 10mg qd。")["氨氯地平"] != "stopped"


def test_considered_but_not_started():
    assert "替米沙坦" not in _meds("加替米沙坦40mg qd？→ 暂不加，继续氨氯地平5mg qd观察。")
    assert "metformin" not in _meds("Metformin not started (eGFR 25).")


def test_use_instead_is_current_and_stop_reason_kept():
    meds = {m.name: m for m in extract_medications("Advised stop ibuprofen (NSAID, kidneys) – use paracetamol 1 g QDS PRN.")}
    assert meds["ibuprofen"].status == "stopped" and meds["ibuprofen"].reason == "NSAID, kidneys"
    assert meds["paracetamol"].status == "current"
    assert "(stopped: ankle oedema)" in extract_medications("Stop amlodipine (ankle oedema).")[0].render()


def _vals(text: str) -> dict[str, str]:
    return {r.name: r.value for r in extract_vitals(text)}


def test_new_results_and_vl_month():
    got = _vals("Creat 142 umol/L, eGFR 45. NT-proBNP 1850 pg/ml. Echo: EF 30%. PEF 180 L/min.")
    assert got["egfr"] == "45" and got["ntprobnp"] == "1850" and got["ef"] == "30" and got["pef"] == "180"
    assert "egfr" not in _vals("因eGFR<30停用二甲双胍")
    assert _vals("VL 6/12: <50 copies/ml")["vl"] == "<50"
    assert _vals("urine protein +1, mild pedal oedema")["urine_protein"] == "+1"
