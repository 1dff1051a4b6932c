"""The ICD-10 scope table names real conditions with well-formed code prefixes."""

from __future__ import annotations

import re
from types import SimpleNamespace

from tests.benchmarks.bench_reach import answers, icd10_scope

from lantern.services.assessment import AssessmentService

_PREFIX = re.compile(r"^[A-Z]\d{1,2}(?:\.\d{1,2})?$")


def test_every_scope_entry_names_a_condition_and_a_well_formed_code():
    kb = AssessmentService(use_llm=False).kb
    table = icd10_scope()
    assert len(table) >= 100
    unknown = sorted(cid for cid in table if cid not in kb.conditions)
    assert unknown == []
    bad = sorted((cid, p) for cid, prefixes in table.items() for p in prefixes if not _PREFIX.match(p))
    assert bad == []


def test_a_sibling_code_of_the_same_entity_answers_and_an_unrelated_one_does_not():
    acs = SimpleNamespace(id="acute_coronary_syndrome", icd10="I24.9", name_en="Acute coronary syndrome")
    assert answers(acs, [{"name": "Inferior STEMI", "icd10": "I21.1"}])
    assert answers(acs, [{"name": "Unstable angina", "icd10": "I20.0"}])
    assert not answers(acs, [{"name": "Stable angina", "icd10": "I20.9"}])
    assert not answers(acs, [{"name": "Pulmonary embolism", "icd10": "I26.9"}])
