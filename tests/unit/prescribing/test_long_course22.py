"""The long antimicrobial course, session 22 (issue 14): TB, HIV, leprosy and malaria products as
clinics write them. Fixed-dose combinations written as their ingredients one by one; a Chinese name
ending in a digit before its strength; invented Chinese blends of two names; the second-line TB and
cryptococcal medicines; the DR-TB and HIV interactions. Prescriptions written for these tests, on the
real formulary (EN and ZH)."""

from __future__ import annotations

import pytest
from tests.unit.prescribing.helpers import loud
from tests.unit.prescribing.helpers import order as _o
from tests.unit.prescribing.helpers import patient as _patient


def _kinds(real, patient: dict, orders: list[dict], order: int = 0) -> set[str]:
    return {kind for i, kind in loud(real, patient, orders) if i == order}


@pytest.mark.parametrize("text, drug", [
    # ingredients one by one: the combination that holds them, not the longest Chinese name
    ("多替拉韦/拉米夫定/替诺福韦片 (TLD)", "tenofovir_lamivudine_dolutegravir"),
    ("多替拉韦/拉米夫定/替诺福韦 1片 qd", "tenofovir_lamivudine_dolutegravir"),
    ("利福平/异烟肼/吡嗪酰胺分散片 (75/50/150)", "rifampicin_isoniazid_pyrazinamide"),
    ("TDF/3TC 300/300", "tenofovir_lamivudine"), ("AZT/3TC 300/150 bd", "zidovudine_lamivudine"),
    ("双汰芝 (齐多夫定/拉米夫定 300/150)", "zidovudine_lamivudine"),
    ("多伟托 (多替拉韦/拉米夫定 50/300)", "dolutegravir_lamivudine"),
    ("绥美凯 (阿巴卡韦/拉米夫定/多替拉韦 600/300/50)", "abacavir_lamivudine_dolutegravir"),
    ("Triumeq (abacavir/lamivudine/dolutegravir)", "abacavir_lamivudine_dolutegravir"),
    ("ABC/3TC 120/60 dispersible", "abacavir_lamivudine"),
    # a Chinese name ending in a digit, then its strength
    ("维生素B6 50mg qd", "pyridoxine"), ("维生素B6 10mg tid", "pyridoxine"),
    # second-line TB, cryptococcal and other long-course medicines
    ("bedaquiline 100mg", "bedaquiline"), ("贝达喹啉片 (斯耐瑞)", "bedaquiline"), ("pretomanid 200mg", "pretomanid"),
    ("linezolid 600mg", "linezolid"), ("利奈唑胺片 (斯沃)", "linezolid"), ("拜复乐 (莫西沙星) 400mg", "moxifloxacin"),
    ("氯法齐明 (每月一次监服)", "clofazimine"), ("环丝氨酸胶囊", "cycloserine"), ("rifabutin 150mg", "rifabutin"),
    ("两性霉素B脂质体", "amphotericin_b_liposomal"), ("氟胞嘧啶片", "flucytosine"),
])
def test_long_course_products_as_clinics_write_them(real, text, drug):
    got = real[1].resolve(text)
    assert got is not None and got.drug == drug, got


@pytest.mark.parametrize("text", ["阿莫西沙星胶囊", "阿莫西沙星"])
def test_a_blend_of_two_chinese_names_is_unknown(real, text):
    # 阿莫西(林) run into 莫西沙星: made up, never moxifloxacin
    assert real[1].resolve(text) is None


@pytest.mark.parametrize("text, drug", [
    ("注射用头孢曲松钠", "ceftriaxone"), ("注射用头孢唑林钠", "cefazolin"), ("盐酸莫西沙星片", "moxifloxacin"),
])
def test_words_written_before_a_name_are_no_blend(real, text, drug):
    got = real[1].resolve(text)
    assert got is not None and got.drug == drug


def test_dr_tb_and_hiv_interactions(real):
    on_tee = _patient(current_medications=["TEE (TDF/3TC/EFV 300/300/600) 1 tab nocte"])
    assert "interaction" in _kinds(real, on_tee, [_o("bedaquiline 100mg", 200, times=1, days=56)])
    on_azt = _patient(current_medications=["AZT/3TC 300/150 bd"])
    assert "interaction" in _kinds(real, on_azt, [_o("linezolid 600mg", 600, times=1, days=56)])
    on_ssri = _patient(current_medications=["sertraline 100 mg od"])
    assert "interaction" in _kinds(real, on_ssri, [_o("利奈唑胺片", 600, times=1, days=56)])
    on_tld = _patient(current_medications=["TLD 1 tab od"])
    assert "interaction" in _kinds(real, on_tld, [_o("达喜 (铝碳酸镁咀嚼片 0.5g)", 2, "tablet", times=3, days=14)])
    # rifabutin 150 mg a day is the dose adjusted for a boosted protease inhibitor; 300 mg is not
    on_lpv = _patient(current_medications=["Aluvia (LPV/r 200/50) 2 tabs bd"])
    assert "interaction" not in _kinds(real, on_lpv, [_o("rifabutin 150mg", 150, times=1, days=120)])
    assert "interaction" in _kinds(real, on_lpv, [_o("rifabutin 150mg", 300, times=1, days=120)])
    # metformin up to 1 g a day beside dolutegravir is the limit, not a ban
    assert "interaction" not in _kinds(real, on_tld, [_o("metformin 500mg", 500, times=2, days=30)])
    assert "interaction" in _kinds(real, on_tld, [_o("metformin 500mg", 1000, times=2, days=30)])


def test_cryptococcal_induction_doses_are_the_guidelines(real):
    adult = _patient(age_years=34, weight_kg=60, egfr=100)
    orders = [_o("两性霉素B脂质体", 600, route="iv", times=1, days=1), _o("氟胞嘧啶片", 1.5, "g", times=4, days=14),
              _o("氟康唑胶囊", 1200, times=1, days=14)]
    assert not {k for _, k in loud(real, adult, orders)}
    assert "dose_above_max" in _kinds(real, adult, [_o("fluconazole 200mg", 2400, times=1, days=14)])


@pytest.mark.parametrize("allergy, drug, kind", [
    ("G6PD deficient (severe)", "primaquine 15mg base", "allergy"),
    ("蚕豆病 (G6PD缺乏)", "磷酸伯氨喹片 (含基质7.5mg)", "allergy"),
    ("G6PD缺乏 (蚕豆病)", "氨苯砜片", "allergy"),
    ("HLA-B*5701 阳性", "ABC/3TC 120/60 dispersible", "allergy"),
    ("sulfonamides - DRESS 2020", "dapsone 100mg", "cross_reactivity"),
    ("co-trimoxazole - Stevens-Johnson syndrome 2022", "dapsone 100mg", "cross_reactivity"),
])
def test_contraindications_charted_as_allergies(real, allergy, drug, kind):
    pt = _patient(allergies=[allergy])
    unit, dose = ("tablet", 1) if "片" in drug or "dispersible" in drug else ("mg", 15 if "primaquine" in drug else 100)
    assert kind in _kinds(real, pt, [_o(drug, dose, unit, times=1, days=14)])


@pytest.mark.parametrize("chart", ["G6PD normal (tested 2024)", "G6PD not tested", "G6PD未检测"])
def test_a_g6pd_status_that_is_not_deficiency_is_no_allergy(real, chart):
    pt = _patient(allergies=[chart])
    assert "allergy" not in _kinds(real, pt, [_o("primaquine 15mg base", 15, times=1, days=14)])


def test_long_course_doses_by_the_guidelines(real):
    adult = _patient(age_years=40, weight_kg=60, egfr=95)
    # rifampicin 300 mg for 60 kg is under the TB range (8-12 mg/kg); 600 mg is the dose
    assert "dose_below_min" in _kinds(real, adult, [_o("rifampicin 300mg", 300, times=1, days=28)])
    assert not _kinds(real, adult, [_o("rifampicin 300mg", 600, times=1, days=28)])
    # leprosy MDT: 450 mg monthly at 12 years and 35 kg, one supervised dose
    child = _patient(age_years=12, weight_kg=35, egfr=None)
    assert not _kinds(real, child, [_o("利福平胶囊 (每月一次监服)", 450, times=1, days=1)])
    # a child kept on the dose of a smaller weight is under-dosed
    grown = _patient(age_years=5, weight_kg=18, egfr=None)
    assert "dose_below_min" in _kinds(real, grown, [_o("isoniazid 100mg", 100, times=1, days=90)])
    lpv = _patient(age_years=3, weight_kg=14, egfr=None)
    assert "dose_below_min" in _kinds(real, lpv, [_o("克力芝口服液 (洛匹那韦/利托那韦 80/20mg/ml)", 1.5, "ml", times=2, days=30)])
    assert not _kinds(real, lpv, [_o("克力芝口服液 (洛匹那韦/利托那韦 80/20mg/ml)", 2.5, "ml", times=2, days=30)])
    # DR-TB levofloxacin 750 mg and PCP co-trimoxazole 120 mg/kg a day are guideline doses
    assert not _kinds(real, adult, [_o("可乐必妥 (左氧氟沙星) 250mg", 750, times=1, days=28)])
    assert not _kinds(real, adult, [_o("cotrimoxazole 960mg", 1920, times=3, days=21)])
    assert "daily_max" in _kinds(real, adult, [_o("cotrimoxazole 960mg", 1920, times=4, days=21)])


def test_dha_piperaquine_in_the_first_trimester(real):
    early = _patient(pregnant=True, gestation_weeks=9)
    assert "pregnancy" in _kinds(real, early, [_o("Eurartesim (dihydroartemisinin/piperaquine 40/320)", 3, "tablet",
                                                    times=1, days=3)])
    later = _patient(pregnant=True, gestation_weeks=24)
    assert "pregnancy" not in _kinds(real, later, [_o("Eurartesim 40/320", 3, "tablet", times=1, days=3)])


@pytest.mark.parametrize("text, days", [
    ("isoniazid 300mg (3HP, once weekly x12)", 7), ("pyridoxine 50mg (weekly with 3HP)", 7), ("once a week", 7),
    ("利福喷丁胶囊 (每周一次,共12次)", 7), ("每周1次", 7), ("every other day", 2), ("alternate days", 2), ("隔日一次", 2),
    ("three times a week", 7 / 3), ("3 times weekly", 7 / 3), ("tiw", 7 / 3), ("每周三次", 7 / 3), ("twice weekly", 3.5),
    ("rifampicin 600mg (monthly, supervised)", 28), ("利福平胶囊 (每月一次监服)", 28),
])
def test_written_interval_reads_less_often_than_daily(text, days):
    from lantern.clinical.prescribing.checks import written_interval
    assert written_interval(text) == pytest.approx(days)


@pytest.mark.parametrize("text", ["bd", "twice daily", "once daily for 7 days", "每日2次", "daily", "q8h", ""])
def test_daily_frequencies_are_no_interval(text):
    from lantern.clinical.prescribing.checks import written_interval
    assert written_interval(text) is None


def test_3hp_weekly_doses(real):
    adult = _patient(age_years=30, weight_kg=65, egfr=100)
    weekly = [_o("rifapentine 150mg (3HP, once weekly x12)", 900, times=1, days=12),
              _o("isoniazid 300mg (3HP, once weekly x12)", 900, times=1, days=12)]
    assert not {k for _, k in loud(real, adult, weekly)}
    # the weekly dose written as daily is the classic fatal error
    assert "daily_max" in _kinds(real, adult, [_o("isoniazid 300mg", 900, times=1, days=12)])
    assert "daily_max" in _kinds(real, adult, [_o("rifapentine 150mg", 900, times=1, days=12)])


@pytest.mark.parametrize("line, mg", [
    ("利福平 600mg 每月一次", 600 / 28), ("methotrexate 15mg once weekly", 15 / 7), ("aspirin 75mg od", 75),
    ("isoniazid 300mg three times a week", 300 * 3 / 7),
])
def test_a_current_medications_day_counts_its_interval(real, line, mg):
    from lantern.clinical.prescribing.checks import written_daily
    drug = real[0].drugs[real[1].resolve(line).drug]
    assert written_daily(line, drug) == pytest.approx(mg)


def test_rifapentine_meets_what_rifampicin_meets(real):
    weekly = [_o("rifapentine 150mg (3HP, once weekly x12)", 900, times=1, days=12)]
    for line in ("nifedipine 20mg bd", "atorvastatin 20 mg od", "levothyroxine 100mcg od", "Microgynon 30 1 tab daily",
                 "methadone 1mg/ml 70 ml od"):
        assert "interaction" in _kinds(real, _patient(current_medications=[line]), weekly), line
    # 3HP beside efavirenz or once-daily dolutegravir needs no change (WHO 2020)
    for line in ("TEE (TDF/3TC/EFV 300/300/600) 1 tab nocte", "TLD 1 tab od"):
        assert "interaction" not in _kinds(real, _patient(current_medications=[line]), weekly), line
