"""The word-support part of the meaning check backs the ways of writing one thing that the
language layer lists as data (``wording.toml`` [same_words], [order], [relation]): an
abbreviation and its spelled-out form, synonyms, verb and noun forms, numbers written
as words; Chinese word order is free. Words the source backs in no form are still
unsupported (issue 13, point 3)."""

from __future__ import annotations

from lantern.clinical.language.meaning import same_wording
from lantern.clinical.summarize.verify import SourceIndex, check_sentence, content_tokens


def _reasons(source: str, candidate: str) -> list[str]:
    return check_sentence(candidate, SourceIndex.build([source]), replaces=[source]).reasons


def test_a_form_written_in_the_source_backs_every_form_of_its_key():
    forms = same_wording("PMH: HTN. O/E chest clear.")
    assert {"past medical history", "既往史", "hypertension", "high blood pressure", "on examination"} <= forms
    assert "diabetes" not in forms


def test_spelled_out_abbreviations_and_synonyms_are_backed():
    assert _reasons("Possible UTI - send MSU, await culture before abx.",
                    "Possible UTI: send an MSU and await the culture result before antibiotics.") == []
    assert _reasons("家族史：母亲有高血压病史，父亲体健。", "家族史：母亲患高血压，父亲身体健康。") == []


def test_noun_and_adverb_forms_stem_to_the_adjective():
    assert content_tokens("tenderness") == content_tokens("tender")
    assert content_tokens("mildly") == content_tokens("mild")


def test_numbers_written_as_words_are_numbers():
    assert "words not supported by the source" not in _reasons("Sertraline 50 mg od, review in 4 weeks.",
                                                               "Sertraline 50 mg once daily; review in four weeks.")


def test_chinese_word_order_is_free_but_new_characters_are_not_backed():
    assert _reasons("腹痛2天，以右下腹为主，伴恶心，无呕吐。", "腹痛2天，右下腹为主，伴恶心，无呕吐。") == []
    assert "words not supported by the source" in _reasons("伤口干燥，术后第7天拆线。", "伤口干燥，术后第7天拆线，嘱回家静养观察。")


def test_words_no_form_of_the_source_backs_stay_unsupported():
    assert "words not supported by the source" in _reasons(
        "Possible UTI - send MSU, await culture before abx.",
        "Possible UTI: send an MSU, await culture before abx, and book a cystoscopy with urology colleagues.")


def test_non_joined_to_a_word_negates_it():
    source = "Abdomen soft, non-tender, no guarding."
    assert "negation differs from the source" in _reasons(source, "Abdomen soft and tender, no guarding.")
    assert _reasons(source, "Abdomen soft and non-tender, without guarding.") == []


def test_blood_neg_is_negative_for_blood():
    assert "negation differs from the source" not in _reasons("Urine dip: blood neg.", "Urine dip negative for blood.")
    assert "negation differs from the source" in _reasons("Urine dip: blood neg.", "Urine dip shows blood.")


def test_a_grade_in_plus_signs_is_its_number():
    # (read as a dipstick grade of the ordered scale: test_meaning_notation.py)
    source = "Urine dip: nitrites +ve, leucocytes ++, blood neg."
    assert _reasons(source, "Urinalysis positive for nitrites, leucocytes 2+, negative for blood.") == []
    assert "dipstick grade not in source (leucocytes 3)" in _reasons(
        source, "Urinalysis positive for nitrites, leucocytes 3+, negative for blood.")
