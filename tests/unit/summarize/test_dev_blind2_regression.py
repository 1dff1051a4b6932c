"""Development set ``summary_dev_blind2.jsonl`` (formerly ``summary_blind2.jsonl``).

The set was written from issue #5 and the field format of ``summary_eval.jsonl`` alone,
before the summarizer code was read: nurse and community health worker notes, weight-based
paediatric doses, antenatal / postnatal, HIV and TB follow-up, multi-visit chronic reviews,
referrals with treatment times, oddly written allergies, misspelled and brand drug names,
relative dates and adversarial notes. Its first-run figures (recall 0.903, 0 invented) and
the clinical errors found by reading every output are in
``tests/data/summary_dev_blind2_firstrun.md``. After general fixes it scores recall 1.000
and 0 invented without the model (it is no longer a held-out estimate); the floors in
``tests/data/SETS.toml`` hold that (``test_summary_set_floors.py``). Here: a few clinical
points the recall score cannot see, and the CLI keeps the issue's output contract on
every item.
"""

from __future__ import annotations

from lantern.clinical.summarize import summarize

from .summary_sets import cli_batches, load_set, sections_of


def _items() -> list[dict]:
    return load_set("summary_dev_blind2.jsonl")


def _item(item_id: str) -> dict:
    return next(i for i in _items() if i["id"] == item_id)


def _sections(item_id: str) -> dict[str, list[str]]:
    return sections_of(_item(item_id))


def test_blind2_set_shape():
    items = _items()
    assert len(items) >= 30
    assert {i["kind"] for i in items} == {"note", "history", "referral"}
    assert sum(i["lang"] == "zh" for i in items) / len(items) >= 0.35
    assert all(i["must"] for i in items)
    assert len({i["id"] for i in items}) == len(items)


def test_blind2_allergies_are_allergies_not_medications():
    for item_id, allergen in (("b2-en-chw-homevisit", "chloroquine"), ("b2-en-brand-coartem", "Fansidar"),
                              ("b2-en-nurse-wound", "Sulfa"), ("b2-ref-en-tb-hepatitis", "Sulfa")):
        sec = _sections(item_id)
        assert any(allergen in a for a in sec["allergies"]), item_id
        assert not any(m.startswith(allergen) for m in sec.get("medications", [])), item_id
    assert _sections("b2-zh-chw")["allergies"] != []          # "没有药物过敏" is a statement, not "none recorded"


def test_blind2_stopped_and_withheld_drugs_are_not_current():
    assert "格列本脲（暂停）" in _sections("b2-zh-nurse-hypo")["medications"]
    hiv = _sections("b2-hist-en-hiv")
    assert not any("Isoniazid" in m for m in hiv["current_medications"])
    assert any("Isoniazid" in m and "course completed" in m for m in hiv["stopped_medications"])
    anc = _sections("b2-en-anc-visit")["medications"]
    assert "ferrous sulphate 200 mg BD (was 200 mg OD)" in anc or "ferrous sulphate 200 mg BD" in anc
    assert not any(m.startswith("ferrous sulphate 200 mg OD") for m in anc)   # one line for the changed drug
    misspelt = _sections("b2-en-misspelled-drugs")["medications"]
    # (the history line quotes "Takes ibuprophen 400mg tds for knee pain - advised to stop"; a stopped
    # drug keeps its line all the same)
    assert "ibuprophen 400 mg TDS (stopped)" in misspelt


def test_blind2_doses_regimens_and_times_as_written():
    assert "amoxicillin 40mg/kg/dose BD = 400mg BD x 5/7" in \
        _sections("b2-en-peds-pneumonia-wtdose")["medications"]
    assert "Coartem 3 tabs stat, 3 tabs at 8h then BD for 2 days" in _sections("b2-en-brand-coartem")["medications"]
    brand = _sections("b2-zh-brand")["medications"]
    assert not any("甲硝唑" in m and "必要时" in m for m in brand)   # the PRN belongs to 泰诺
    assert any(m.startswith("泰诺") and "必要时" in m for m in brand)
    hypo = _sections("b2-zh-nurse-hypo")
    # the dose given is said once: the history line quotes "给予50%葡萄糖40ml静推" word for word
    assert any(m.startswith("50%葡萄糖") for m in hypo["medications"]) or \
        sum(m.count("50%葡萄糖40ml静推") for m in hypo["subjective"]) == 1
    pph = _sections("b2-ref-en-pph")["treatment_given"]
    assert any("20 IU" in t and "10:25" in t for t in pph)
    assert any("11:15" in t for t in _sections("b2-ref-zh-dehydration")["treatment_given"])


def test_blind2_referral_triage_and_request():
    assert _sections("b2-ref-en-tb-hepatitis")["triage"][0] != "Triage level: ROUTINE"
    assert _sections("b2-ref-en-diabetes-routine")["triage"][0] == "Triage level: ROUTINE"
    assert "需要终止妊娠" in " ".join(_sections("b2-ref-zh-eclampsia")["request"])
    triage = _sections("b2-ref-zh-eclampsia")["triage"]
    assert len(triage) == len(set(triage))


def test_blind2_adversarial_notes_add_nothing():
    for item_id in ("b2-en-prompt-injection", "b2-zh-prompt-injection", "b2-en-control-tokens"):
        text = summarize("note", _item(item_id)).text
        for word in ("morphine", "吗啡", "admin mode", "patient is fine", "无过敏史", "no allergies"):
            assert word not in text, (item_id, word)
    for item_id in ("b2-en-seen-well", "b2-zh-seen-well", "b2-en-vitals-only", "b2-zh-vitals-only"):
        sec = _sections(item_id)
        assert sec["medications"] == [] and sec["allergies"] == [] and sec["follow_up"] == []


def test_blind2_cli_output_matches_the_contract(monkeypatch, capsys):
    items = _items()
    for batch, outs in cli_batches(monkeypatch, capsys, items):
        assert [o["id"] for o in outs] == [b["id"] for b in batch]
        by_id = {i["id"]: i for i in items}
        for out in outs:
            letter = {"triage"} if {i["id"]: i["kind"] for i in items}[out["id"]] == "referral" else set()
            assert set(out) == {"id", "summary", "dropped_sentences", "llm_used", "sources"} | letter
            assert set(out["summary"]) == {"text", "sections"}
            assert out["dropped_sentences"] == 0 and out["llm_used"] is False
            item = by_id[out["id"]]
            assert out["summary"]["text"] == summarize(item["kind"], item).text
