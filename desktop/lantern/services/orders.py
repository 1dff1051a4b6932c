"""Drug orders stored with their encounter (issue 14): the prescription as ordered, the
alerts the checks raised on it, and the prescriber's overrides with their reasons.

Mixed into :class:`lantern.services.records.RecordsService`. The service never trusts
the alerts a caller shows: :meth:`EncounterOrdersMixin.save_orders` runs the same checks
as ``lantern prescribe --check`` against the patient as the vault holds them (age, sex,
the encounter's weight and pregnancy, the chart's allergies and current medications) and
stores the alerts it found. Signing runs them again (the chart may have changed): a
``stop`` alert that no override answers refuses the signature; ``warn`` alerts may be
overridden, with a reason, and need not be.

An override needs a reason, picked from :data:`OVERRIDE_REASONS` or typed ("other").
The reason is stored encrypted with the order; the audit trail records who, when, the
order's number, the alert's kind and severity and the reason's code, never the typed
text nor the drug (the audit log is not encrypted: no patient data goes there).

On signing, every order becomes a current medication in the chart (the one list the
chart, ``patient show``, summaries and letters read), unless the chart already has it. An order
marked ``renew`` or ``revise`` (a current medication continued, unchanged or changed) replaces the
current medication of its ingredient: that entry is stopped and the order's takes its place.
"""

from __future__ import annotations

import dataclasses
import math
import re
import sqlite3
from datetime import date
from typing import Any

from lantern.clinical.prescribing import (
    Order,
    Patient,
    build_index,
    check_prescription,
    load_formulary,
)
from lantern.clinical.prescribing.checks import written_parts, written_times
from lantern.clinical.prescribing.dispense import dispense_quantity
from lantern.clinical.prescribing.inputs import (
    MAX_ORDER_BY_UNIT,
    MAX_ORDER_MG,
    ORDER_UNITS,
    parse_action,
    parse_order,
)
from lantern.clinical.prescribing.model import ROUTES, Formulary
from lantern.clinical.prescribing.names import NameIndex
from lantern.domain.errors import PermissionDenied, ValidationError
from lantern.domain.records import (
    AlertOverride,
    DrugOrder,
    Encounter,
    Medication,
    NoteStatus,
    OrderAlert,
)
from lantern.services import codec
from lantern.services.draft_handover import DraftAccess, draft_access, refusal
from lantern.services.letter_layout import PrescriptionLine
from lantern.services.record_lists import ClinicalListsMixin, now_utc, text_field
from lantern.services.roles import require
from lantern.vault.crypto import new_record_id
from lantern.vault.repo import RawRow

# code -> (English, Chinese): the short list an override reason is picked from
OVERRIDE_REASONS: dict[str, tuple[str, str]] = {
    "tolerated_before": ("Taken before without a reaction", "既往使用无不良反应"),
    "benefit_outweighs_risk": ("Benefit outweighs the risk; no safer alternative", "获益大于风险，无更安全的替代药物"),
    "specialist_advice": ("On specialist or guideline advice", "遵专科医生或指南建议"),
    "will_monitor": ("Will monitor closely and review", "将密切监测并复查"),
    "alert_not_applicable": ("The alert does not apply to this patient", "此警示不适用于该患者"),
}
OTHER_REASON = "other"
MAX_ORDERS = 30
MAX_REASON = 500
MAX_DAYS = 365
MAX_TIMES_PER_DAY = 24

# how the prescription marks a current medication continued (order action renew / revise)
_ACTION_TEXT = {"renew": (" - continue", "（续用）"), "revise": (" - continue, changed", "（续用，已调整）")}
_TIMES_EN = {1: "once daily", 2: "twice daily", 3: "three times daily", 4: "four times daily"}
_TIMES_ZH = {1: "每日1次", 2: "每日2次", 3: "每日3次", 4: "每日4次"}


def _formulary() -> tuple[Formulary, NameIndex]:
    formulary = load_formulary()           # cached per directory
    index = _INDEX.get(id(formulary))
    if index is None:
        index = _INDEX[id(formulary)] = build_index(formulary)
    return formulary, index


_INDEX: dict[int, NameIndex] = {}


def reason_label(code: str, lang: str) -> str:
    pair = OVERRIDE_REASONS.get(code)
    return pair[lang == "zh"] if pair else ""


def is_chinese(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


def frequency_text(times_per_day: int, days: int, lang: str) -> str:
    """"twice daily for 5 days" / "每日2次，共5天"."""
    if lang == "zh":
        times = _TIMES_ZH.get(times_per_day, f"每日{times_per_day}次")
        return f"{times}，共{days}天"
    times = _TIMES_EN.get(times_per_day, f"{times_per_day} times daily")
    return f"{times} for {days} day{'s' if days != 1 else ''}"


def drug_name(order: DrugOrder, lang: str) -> str:
    """The generic name of an order's drug in ``lang`` (the typed text when unknown)."""
    drug = _formulary()[0].drugs.get(order.drug_id)
    if drug is None:
        return order.drug
    return drug.name("zh" if lang == "zh" else "en")


def medication_of(order: DrugOrder) -> dict:
    """The chart medication an order becomes (``name``, ``dose``, ``route``, ``frequency``):
    the generic name and frequency in the language the drug was typed in. What signing
    stores, and what a summary of the open encounter lists before it is signed."""
    lang = "zh" if is_chinese(order.drug) else "en"
    return {"name": drug_name(order, lang), "dose": f"{order.dose:g} {order.unit}", "route": order.route,
            "frequency": frequency_text(order.times_per_day, order.days, lang)}


_CHART_DOSE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([^\d\s].*?)\s*$")
_CHART_DAYS = re.compile(r"for (\d+) days?|共\s*(\d+)\s*天")
RENEW_DAYS = 30          # a repeat prescription's supply when the chart does not say (one month)


def renewal_of(med: dict) -> dict | None:
    """The order that renews a chart medication (``name``, ``dose``, ``route``, ``frequency``, as
    :func:`medication_of` writes them or a clinician typed them: "1 g", "twice daily for 30 days",
    "bd", "每日2次"): ``{drug, dose, unit, route, times_per_day, days, action: "renew"}``, or None
    when its dose cannot be read as an amount and a unit (the prescriber then writes it)."""
    found = _CHART_DOSE.match(str(med.get("dose") or ""))
    name = str(med.get("name") or "").strip()
    if found is None or not name:
        return None
    frequency = str(med.get("frequency") or "")
    times = written_times(frequency)
    days = _CHART_DAYS.search(frequency)
    route = str(med.get("route") or "oral").strip().lower() or "oral"
    raw = {"drug": name, "dose": float(found.group(1)), "unit": found.group(2), "route": route,
           "times_per_day": times, "days": int(days.group(1) or days.group(2)) if days else RENEW_DAYS}
    order = parse_order(raw, 0)
    if order.problems or order.dose is None or order.unit is None:
        return None
    return {"drug": name, "dose": order.dose, "unit": order.unit, "route": order.route if order.route in ROUTES
            else "oral", "times_per_day": order.times_per_day or 1, "days": order.days or RENEW_DAYS,
            "action": "renew"}


def prescription_lines(orders: tuple[DrugOrder, ...] | list[DrugOrder], lang: str) -> list[PrescriptionLine]:
    """The orders as the printed prescription shows them, in ``lang``."""
    zh = lang == "zh"
    formulary = _formulary()[0]
    out = []
    for o in orders:
        drug = formulary.drugs.get(o.drug_id)
        qty = dispense_quantity(drug, dose=o.dose, unit=o.unit, route=o.route, times_per_day=o.times_per_day,
                                days=o.days, typed=o.drug)
        times = frequency_text(o.times_per_day, o.days, lang).split("，" if zh else " for ")[0]
        notes = tuple(f"{v.kind} ({v.severity}): {reason_label(v.reason_code, lang) or v.reason}"
                      for v in o.overrides)
        name = drug_name(o, lang)
        generic = {n.casefold() for n in (drug.name_en, drug.name_zh) if n} if drug else {name.casefold()}
        if o.drug.casefold() not in generic:          # a brand or a strength as typed
            name += f"（{o.drug}）" if zh else f" ({o.drug})"
        if o.action in _ACTION_TEXT:                  # a current medication continued
            name += _ACTION_TEXT[o.action][zh]
        out.append(PrescriptionLine(
            medicine=name, dose=f"{o.dose:g}{'' if zh and o.unit in ('tablet', 'sachet') else ' '}{_unit_text(o.dose, o.unit, lang)}", route=o.route, frequency=times,
            duration=f"{o.days}天" if zh else f"{o.days} day{'s' if o.days != 1 else ''}",
            quantity=qty.text(lang), overridden=notes))
    return out


def _unit_text(amount: float, unit: str, lang: str) -> str:
    if unit not in ("tablet", "sachet"):
        return unit
    if lang == "zh":
        return {"tablet": "片", "sachet": "袋"}[unit]
    return unit if amount == 1 else unit + "s"


def _number(value: Any, label: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValidationError(f"{label} must be a number.")
    return float(value)


def _whole(value: Any, label: str, low: int, high: int) -> int:
    number = _number(value, label)
    if number != int(number) or not low <= number <= high:
        raise ValidationError(f"{label} must be a whole number from {low} to {high}.")
    return int(number)


def _clean_order(raw: object, n: int, index: NameIndex) -> tuple[Order, str]:
    """(the order as the checks take it, its formulary id); ValidationError naming the
    order when it cannot be given."""
    if not isinstance(raw, dict):
        raise ValidationError(f"Order {n}: not an order.")
    drug = text_field(str(raw.get("drug") or ""), label=f"Order {n}: the medicine", required=True)
    resolved = index.resolve(drug)
    formulary = _formulary()[0]
    if resolved is None or resolved.drug not in formulary.drugs:
        raise ValidationError(f"Order {n}: {drug!r} is not in the formulary; choose a medicine from the list.")
    dose = _number(raw.get("dose"), f"Order {n}: the dose")
    if dose <= 0:
        raise ValidationError(f"Order {n}: the dose must be more than zero.")
    unit = raw.get("unit")
    if unit not in ORDER_UNITS:
        raise ValidationError(f"Order {n}: the unit must be one of {', '.join(ORDER_UNITS)}.")
    if dose > MAX_ORDER_BY_UNIT.get(str(unit).lower(), MAX_ORDER_MG):
        raise ValidationError(f"Order {n}: {dose:g} {unit} in one dose is impossible.")
    route = raw.get("route")
    if route not in ROUTES:
        raise ValidationError(f"Order {n}: unknown route {route!r}.")
    times = _whole(raw.get("times_per_day"), f"Order {n}: times a day", 1, MAX_TIMES_PER_DAY)
    days = _whole(raw.get("days"), f"Order {n}: the number of days", 1, MAX_DAYS)
    action = parse_action(raw.get("action"), f"Order {n}: the action")
    return Order(drug=drug, dose=dose, unit=str(unit), route=str(route), times_per_day=times, days=days,
                 action=action), resolved.drug


class EncounterOrdersMixin(ClinicalListsMixin):
    # -- the patient the checks see -------------------------------------------------
    def _check_patient(self, conn: sqlite3.Connection, enc: Encounter) -> Patient:
        repo = self._ctx.repo
        patient = codec.patient_from_row(repo.get(conn, "patients", enc.patient_id))
        allergies: list[str] = []
        rows, damaged = repo.for_patient(conn, "allergies", enc.patient_id)
        for row in rows:
            if not row.payload.get("removed_at"):
                a = codec.allergy_from_row(row)
                allergies.append(" ".join(x for x in (a.substance, a.reaction) if x))
        # a damaged allergy record: said as an allergy the checks cannot read
        allergies += ["(damaged allergy record)"] * len(damaged)
        current = [m.name for m in self._chart_medications(conn, enc.patient_id)]
        age, weight = patient.age_years(), enc.vitals.weight_kg
        return Patient(age_years=age if age is not None and 0 <= age <= 125 else None,
                       weight_kg=weight if weight is not None and 0.3 <= weight <= 300 else None,
                       sex=patient.sex.value, pregnant=enc.pregnant, allergies=tuple(allergies),
                       current_medications=tuple(current))

    def _checked(self, orders: list[tuple[Order, str]], patient: Patient) -> list[tuple[list[OrderAlert], str]]:
        """Per order: the alerts on it and the calculator's basis for this patient."""
        formulary, index = _formulary()
        result = check_prescription(formulary, index, patient, tuple(o for o, _id in orders))
        out: list[tuple[list[OrderAlert], str]] = []
        for i, checked in enumerate(result.orders):
            alerts = [OrderAlert(kind=a.kind, severity=a.severity, message=a.message, source=a.source)
                      for a in result.alerts if a.order == i]
            out.append((alerts, checked.recommended.basis if checked.recommended else ""))
        return out

    # -- save --------------------------------------------------------------------------
    def save_orders(self, encounter_id: str, orders: list[dict]) -> Encounter:
        """Store the encounter's orders (``[{drug, dose, unit, route, times_per_day, days,
        overrides: [{alert, reason, reason_code}]}]``, the whole list each time), with the
        alerts the checks raise on them now. ValidationError, and nothing stored, for an
        order that cannot be given or an override without a reason."""
        require(self._ctx.user, "orders.write")
        if not isinstance(orders, list):
            raise ValidationError("The orders must be a list.")
        if len(orders) > MAX_ORDERS:
            raise ValidationError(f"At most {MAX_ORDERS} orders in one encounter.")
        _formulary_, index = _formulary()
        cleaned = [_clean_order(raw, n, index) for n, raw in enumerate(orders, 1)]
        who, when = self._ctx.user.username, now_utc()
        with self._ctx.writing() as conn:
            row = self._ctx.repo.get(conn, "encounters", encounter_id)
            enc = codec.encounter_from_row(row)
            if enc.status is not NoteStatus.DRAFT:
                raise ValidationError("This note is signed; its orders can no longer be changed.")
            if draft_access(self._ctx.user, enc) is not DraftAccess.EDIT:
                raise PermissionDenied(refusal(enc))
            checked = self._checked(cleaned, self._check_patient(conn, enc))
            previous = {(o.drug_id, v.alert): v for o in enc.orders for v in o.overrides}
            stored: list[DrugOrder] = []
            new_overrides: list[tuple[int, AlertOverride]] = []
            for n, ((order, drug_id), (alerts, basis), raw) in enumerate(zip(cleaned, checked, orders, strict=True), 1):
                overrides: list[AlertOverride] = []
                for ov in raw.get("overrides") or []:
                    key = str(ov.get("alert")) if isinstance(ov, dict) else ""
                    made = self._override(n, ov, alerts, previous.get((drug_id, key)), who=who, when=when)
                    if made.alert in {o.alert for o in overrides}:
                        raise ValidationError(f"Order {n}: an alert is overridden once.")
                    overrides.append(made)
                    if made.at == when:
                        new_overrides.append((n, made))
                stored.append(DrugOrder(drug=order.drug, drug_id=drug_id, dose=float(order.dose or 0),
                                        unit=order.unit or "", route=order.route or "",
                                        times_per_day=order.times_per_day or 1, days=order.days or 1,
                                        computed_from=basis, alerts=tuple(alerts), overrides=tuple(overrides),
                                        action=order.action))
            enc = dataclasses.replace(enc, orders=tuple(stored))
            row = self._ctx.repo.update(conn, "encounters", row=row, payload=codec.encounter_payload(enc))
            self._ctx.log_event(conn, "save orders", patient_id=enc.patient_id, record_id=encounter_id,
                                detail=f"{len(stored)} order(s)")
            for n, ov in new_overrides:
                self._ctx.log_event(conn, "override alert", patient_id=enc.patient_id, record_id=encounter_id,
                                    detail=f"order {n}: {ov.kind} ({ov.severity}); reason: {ov.reason_code}")
        return codec.encounter_from_row(row)

    @staticmethod
    def _override(n: int, raw: object, alerts: list[OrderAlert], before: AlertOverride | None, *,
                  who: str, when: Any) -> AlertOverride:
        if not isinstance(raw, dict):
            raise ValidationError(f"Order {n}: an override must name its alert and reason.")
        reason = text_field(str(raw.get("reason") or ""), label=f"Order {n}: the override reason",
                            max_len=MAX_REASON)
        if not reason:
            raise ValidationError(f"Order {n}: an override needs a reason; pick one or type it.")
        code = raw.get("reason_code") or OTHER_REASON
        if code != OTHER_REASON and code not in OVERRIDE_REASONS:
            raise ValidationError(f"Order {n}: unknown override reason {code!r}.")
        alert = next((a for a in alerts if a.key == raw.get("alert")), None)
        if alert is None:
            if before is not None:       # the alert is gone since (the chart changed): kept as made
                return before
            raise ValidationError(f"Order {n}: the alert to override is not raised on this order now.")
        if alert.severity not in ("stop", "warn"):
            raise ValidationError(f"Order {n}: only stop and warn alerts are overridden.")
        if before is not None and before.reason == reason and before.reason_code == code:
            return before                # the same decision: who and when stay as they were
        return AlertOverride(alert=alert.key, kind=alert.kind, severity=alert.severity, reason=reason,
                             reason_code=str(code), by=who, at=when)

    # -- signing ----------------------------------------------------------------------
    def _sign_orders(self, conn: sqlite3.Connection, enc: Encounter) -> Encounter:
        """Check the orders again against the chart as it is now; refuse an open stop alert;
        add each order to the chart's current medications. Inside the sign transaction."""
        if not enc.orders:
            return enc
        patient = self._check_patient(conn, enc)
        cleaned = [(Order(drug=o.drug, dose=o.dose, unit=o.unit, route=o.route, times_per_day=o.times_per_day,
                          days=o.days, action=o.action), o.drug_id) for o in enc.orders]
        orders = tuple(dataclasses.replace(o, alerts=tuple(alerts), computed_from=basis)
                       for o, (alerts, basis) in zip(enc.orders, self._checked(cleaned, patient), strict=True))
        for n, order in enumerate(orders, 1):
            if order.open_stops:
                a = order.open_stops[0]
                raise ValidationError(
                    f"Cannot sign: order {n} ({order.drug}) has a stop alert not overridden ({a.kind}: "
                    f"{a.message}). Override it with a reason or remove the order.")
        formulary, index = _formulary()
        today = date.today()
        meds = self._chart_medications(conn, enc.patient_id)
        started, stopped = self._replace_continued(conn, enc, orders, meds, formulary, index, today)
        on_chart = {r.drug for m in meds if m.id not in stopped and (r := index.resolve(m.name))}
        for n, order in enumerate(orders):
            if order.drug_id in on_chart:
                continue
            on_chart.add(order.drug_id)
            med_id = new_record_id("M")
            self._ctx.repo.insert(conn, "medications", row_id=med_id, patient_id=enc.patient_id, payload={
                **medication_of(order), "started": started.get(n, today).isoformat(), "stopped": None})
            self._ctx.log_event(conn, "add medication", patient_id=enc.patient_id, record_id=med_id,
                                detail=f"from the orders of {enc.id}")
        return dataclasses.replace(enc, orders=orders)

    def _chart_medications(self, conn: sqlite3.Connection, patient_id: str) -> list[Medication]:
        rows, _damaged = self._ctx.repo.for_patient(conn, "medications", patient_id)
        meds = (codec.medication_from_row(r) for r in rows if not isinstance(r, RawRow))
        return [m for m in meds if m.active]

    def _replace_continued(self, conn: sqlite3.Connection, enc: Encounter, orders: tuple[DrugOrder, ...],
                           chart: list[Medication], formulary: Formulary, index: NameIndex,
                           today: date) -> tuple[dict[int, date], set[str]]:
        """Stop the chart's current medications that the renewed and revised orders replace (the
        same ingredient however written: "Glucophage 500mg" renewed as metformin), so that the
        order's entry takes their place instead of standing beside them. A renewal keeps the date
        the medicine was started (the earliest it replaces); a revision starts today. Returns
        order position -> its start date, and the ids of the medications stopped."""
        started: dict[int, date] = {}
        meds = [(m, set(written_parts(m.name, r.drug, index, formulary))) for m in chart if (r := index.resolve(m.name))]
        stopped: set[str] = set()
        for n, order in enumerate(orders):
            if order.action not in ("renew", "revise"):
                continue
            mine = set(written_parts(order.drug, order.drug_id, index, formulary))
            for med, parts in meds:
                if not mine & parts:
                    continue
                if order.action == "renew" and med.started is not None:
                    started[n] = min(started.get(n, med.started), med.started)
                if med.id in stopped:
                    continue
                stopped.add(med.id)
                row = self._ctx.repo.get(conn, "medications", med.id)
                self._ctx.repo.update(conn, "medications", row=row, payload={**row.payload, "stopped": today.isoformat()})
                self._ctx.log_event(conn, "stop medication", patient_id=enc.patient_id, record_id=med.id,
                                    detail=f"{'renewed' if order.action == 'renew' else 'revised'} by the orders of {enc.id}")
        return started, stopped

