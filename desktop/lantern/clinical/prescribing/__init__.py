"""Prescribing: the formulary (``resources/formulary``), drug-name resolution, the dose
calculator and the safety checks of every order (issue 14).

``python -m lantern.clinical.prescribing [DIR]`` validates the formulary files.
"""

from lantern.clinical.prescribing.checks import KINDS, CheckResult, build_index, check_prescription
from lantern.clinical.prescribing.dose import DoseRefusal, DoseResult, calculate_dose
from lantern.clinical.prescribing.inputs import (
    Order,
    Patient,
    parse_order,
    parse_patient,
    parse_request,
)
from lantern.clinical.prescribing.loader import (
    formulary_dir,
    load_formulary,
    read_formulary,
    validate_formulary,
)
from lantern.clinical.prescribing.model import Drug, Formulary

__all__ = [
    "KINDS", "CheckResult", "DoseRefusal", "DoseResult", "Drug", "Formulary", "Order", "Patient", "build_index",
    "calculate_dose", "check_prescription", "formulary_dir", "load_formulary", "parse_order", "parse_patient",
    "parse_request", "read_formulary", "validate_formulary",
]
