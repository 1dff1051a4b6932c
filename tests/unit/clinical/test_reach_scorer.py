"""The reach benchmark matches expected conditions written by name and ICD-10 code."""

from __future__ import annotations

from types import SimpleNamespace

from tests.benchmarks.bench_reach import answers, is_named_set


def _cond(icd10: str, name: str) -> SimpleNamespace:
    return SimpleNamespace(icd10=icd10, name_en=name)


def test_icd10_category_or_the_same_name_answers():
    want = [{"name": "Tubal ectopic pregnancy", "icd10": "O00.1"}]
    assert answers(_cond("O00.9", "Ectopic pregnancy"), want)
    assert not answers(_cond("O03.9", "Miscarriage"), want)
    assert answers(_cond("", "Tubal  ectopic-pregnancy"), want)
    assert not answers(_cond("", "Ectopic pregnancy"), [{"name": "DVT", "icd10": ""}])


def test_named_sets_are_told_from_id_sets():
    assert is_named_set([{"expected": {"conditions": [{"name": "Gout", "icd10": "M10.9"}]}}])
    assert not is_named_set([{"expected": {"conditions": ["pneumonia"]}}])
