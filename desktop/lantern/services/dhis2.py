"""DHIS2 ``dataValueSets`` JSON from the monthly morbidity report (issue 17).

The mapping (a TOML file: ``resources/reports/dhis2_mapping.example.toml`` shows the
format) names the data set, the org unit, a data element per condition and a category
option combo per age band and sex. A condition of the report that the mapping lacks is
never dropped silently: :func:`data_value_set` raises a ValidationError naming every
one, or (``allow_unmapped``) returns them for a warning. Several conditions may share a
data element (e.g. three grades of diarrhoea); their values are summed.
"""

from __future__ import annotations

import calendar
import re
import tomllib
from collections import Counter
from datetime import date
from pathlib import Path

from lantern.domain.errors import ValidationError

UID = re.compile(r"[A-Za-z][A-Za-z0-9]{10}")


def load_mapping(path: Path) -> dict:
    try:
        with open(path, "rb") as fh:
            raw = tomllib.load(fh)
    except FileNotFoundError:
        raise ValidationError(f"The DHIS2 mapping file {path.name!r} does not exist.") from None
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ValidationError(f"The DHIS2 mapping file {path.name!r} cannot be read "
                              f"({type(exc).__name__}).") from None
    for key in ("org_unit", "data_elements", "category_option_combos"):
        if key not in raw:
            raise ValidationError(f"The DHIS2 mapping file lacks {key!r}.")
    uids = [raw["org_unit"], raw.get("data_set", "A0000000000"),
            *raw["data_elements"].values(), *raw["category_option_combos"].values(),
            *raw.get("totals", {}).values()]
    bad = [str(u) for u in uids if not isinstance(u, str) or not UID.fullmatch(u)]
    if bad:
        raise ValidationError(f"The DHIS2 mapping has values that are not DHIS2 UIDs "
                              f"(11 letters and digits): {', '.join(bad[:5])}")
    return raw


def month_period(start: date, end: date) -> str:
    last = calendar.monthrange(start.year, start.month)[1]
    if start.day != 1 or end != start.replace(day=last):
        raise ValidationError("A DHIS2 monthly export covers one calendar month: --from the "
                              "first day, --to the last day of the same month.")
    return f"{start.year}{start.month:02d}"


def data_value_set(report: dict, mapping: dict, *, allow_unmapped: bool = False,
                   totals: dict[str, int] | None = None) -> tuple[dict, list[str]]:
    """``(dataValueSets document, unmapped condition ids)``. ``totals``: the referral and
    death counts (``reports.outcomes``), exported where the mapping's [totals] names them."""
    period = month_period(date.fromisoformat(report["from"]), date.fromisoformat(report["to"]))
    elements, cocs = mapping["data_elements"], mapping["category_option_combos"]
    unmapped = [c["condition_id"] for c in report["by_condition"]
                if c["condition_id"] not in elements]
    if unmapped and not allow_unmapped:
        raise ValidationError("The DHIS2 mapping has no data element for: " + ", ".join(unmapped)
                              + ". Add them to the mapping, or export with --allow-unmapped.")
    values: Counter = Counter()
    for c in report["by_condition"]:
        element = elements.get(c["condition_id"])
        if element is None:
            continue
        for band, cell in c.items():
            if not isinstance(cell, dict):
                continue
            for sex, n in cell.items():
                coc = cocs.get(f"{band}_{sex}")
                if coc is None:
                    raise ValidationError(f"The DHIS2 mapping has no category option combo "
                                          f"for {band}_{sex}.")
                values[element, coc] += n
    mapped = mapping.get("totals", {})
    default = mapped.get("default_category_option_combo")
    counts = {"total_encounters": report["total_encounters"], "no_diagnosis": report["no_diagnosis"],
              **(totals or {})}
    for key, n in counts.items():
        if key in mapped and default:
            values[mapped[key], default] += n
    doc: dict = {}
    if mapping.get("data_set"):
        doc["dataSet"] = mapping["data_set"]
    doc.update(period=period, orgUnit=mapping["org_unit"], dataValues=[
        {"dataElement": de, "period": period, "orgUnit": mapping["org_unit"],
         "categoryOptionCombo": coc, "value": str(n)}
        for (de, coc), n in sorted(values.items()) if n])
    return doc, unmapped
