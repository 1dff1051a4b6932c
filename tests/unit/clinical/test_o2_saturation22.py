"""Issue 13: "O2 94%" is an oxygen saturation written after "O2" (a reading), not oxygen given;
"O2 40%" (a concentration) and "O2 2L/min" (a flow) are no saturation."""

from __future__ import annotations

from lantern.clinical.language.medications import extract_medications
from lantern.clinical.language.results import extract_vitals
from lantern.clinical.summarize import summarize


def _spo2(text: str) -> list[str]:
    return [r.value for r in extract_vitals(text) if r.name == "spo2"]


def test_o2_then_a_percentage_is_a_saturation():
    assert _spo2("RR 30, O2 94% RA, T 38.2") == ["94"]
    assert _spo2("O2: 91%") == ["91"]
    assert _spo2("FiO2 40%") == [] and _spo2("O2 40% venturi") == [] and _spo2("O2 2L/min") == []


def test_o2_then_a_saturation_is_no_oxygen_given():
    assert extract_medications("RR 30, O2 94% RA, T 38.2.") == []
    assert [m.canonical for m in extract_medications("O2 2L/min via NC")] == ["oxygen"]
    text = summarize("note", {"note": "Cough 3 days. RR 30, O2 94% RA, T 38.2. Imp: pneumonia."}).text
    assert "O2 94%" in text and "Medications:" not in text
