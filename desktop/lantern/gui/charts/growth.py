"""A child's growth chart: the child's points over the WHO Child Growth Standards
curves (-3, -2, 0, +2, +3 SD) for the child's sex, and the MUAC trend with the WHO /
IMCI cut-offs (115 and 125 mm).

Built with the package's one matplotlib set-up (``lantern.gui.charts``): the same
figure is shown in the chart's Growth tab (``to_qimage``) and exported or printed
(``to_pdf``). Every text on a figure comes from the caller's ``GrowthLabels`` (the
panel fills them with ``tr()``), so Chinese charts are drawn in Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from lantern.clinical import growth
from lantern.gui.charts import new_figure

CHART_KINDS = ("wfa", "lhfa", "wflh", "muac")
_DAYS_PER_MONTH = 30.4375
_CURVE_STYLE = {-3: ("#000000", "-"), -2: ("#c0392b", "-"), 0: ("#27ae60", "-"),
                2: ("#c0392b", "-"), 3: ("#000000", "-")}


@dataclass(frozen=True, slots=True)
class GrowthLabels:
    """The texts of a growth chart, in the interface language."""

    titles: dict[str, str] = field(default_factory=lambda: {
        "wfa": "Weight-for-age", "lhfa": "Length/height-for-age",
        "wfl": "Weight-for-length", "wfh": "Weight-for-height", "muac": "MUAC"})
    age_months: str = "Age (completed months)"
    weight_kg: str = "Weight (kg)"
    length_cm: str = "Length/height (cm)"
    muac_mm: str = "MUAC (mm)"
    boys: str = "Boys"
    girls: str = "Girls"
    child: str = "Child"
    severe: str = "< 115 mm severe"
    moderate: str = "115-124 mm moderate"
    source: str = "WHO Child Growth Standards (2006)"
    no_points: str = "No measurements recorded"


def _sd_label(z: int) -> str:
    return "0" if z == 0 else f"{z:+d} SD"


def _curves(ax: Axes, indicator: str, sex: str, *, to_months: bool,
            x_range: tuple[float, float] | None = None) -> None:
    xs, lines = growth.curves(indicator, sex)
    if to_months:
        xs = [x / _DAYS_PER_MONTH for x in xs]
    for z, ys in lines.items():
        colour, style = _CURVE_STYLE[int(z)]
        ax.plot(xs, ys, color=colour, linestyle=style, linewidth=0.9 if z else 1.3)
        ax.annotate(_sd_label(int(z)), (xs[-1], ys[-1]), fontsize=7, color=colour,
                    xytext=(2, 0), textcoords="offset points", va="center")
    if x_range:
        ax.set_xlim(*x_range)
    ax.grid(True, linewidth=0.3, alpha=0.6)


def _title(labels: GrowthLabels, indicator: str, sex: str) -> str:
    return f"{labels.titles[indicator]} · {labels.boys if sex == 'male' else labels.girls}"


def draw_indicator(ax: Axes, kind: str, *, sex: str, points: list[growth.GrowthPoint],
                   labels: GrowthLabels) -> None:
    """One panel: ``kind`` one of CHART_KINDS (``wflh``: weight-for-length under 2 years,
    weight-for-height from 2, chosen by the child's latest point)."""
    if kind == "muac":
        _draw_muac(ax, points, labels)
        return
    if kind in ("wfa", "lhfa"):
        _curves(ax, kind, sex, to_months=True)
        field_name = "weight_kg" if kind == "wfa" else "height_cm"
        pts = [(p.age_days / _DAYS_PER_MONTH, getattr(p, field_name)) for p in points
               if getattr(p, field_name) is not None]
        ax.set_xlabel(labels.age_months)
        ax.set_ylabel(labels.weight_kg if kind == "wfa" else labels.length_cm)
        ax.set_title(_title(labels, kind, sex), fontsize=10)
    else:
        latest = points[-1].age_days if points else None
        indicator = growth.length_indicator(latest, points[-1].height_cm or 0) if latest is not None \
            else "wfl"
        _curves(ax, indicator, sex, to_months=False)
        pts = [(p.height_cm, p.weight_kg) for p in points
               if p.height_cm is not None and p.weight_kg is not None]
        ax.set_xlabel(labels.length_cm)
        ax.set_ylabel(labels.weight_kg)
        ax.set_title(_title(labels, indicator, sex), fontsize=10)
    if pts:
        ax.plot([x for x, _ in pts], [y for _, y in pts], marker="o", color="#1f4e9e",
                linewidth=1.2, markersize=4, label=labels.child, zorder=5)
    else:
        ax.text(0.5, 0.5, labels.no_points, transform=ax.transAxes, ha="center", va="center",
                fontsize=9, color="#555555")


def _draw_muac(ax: Axes, points: list[growth.GrowthPoint], labels: GrowthLabels) -> None:
    pts = [(p.age_days / _DAYS_PER_MONTH, p.muac_mm) for p in points if p.muac_mm is not None]
    ax.axhspan(0, growth.MUAC_SEVERE_MM, color="#e74c3c", alpha=0.18, label=labels.severe)
    ax.axhspan(growth.MUAC_SEVERE_MM, growth.MUAC_MODERATE_MM, color="#f1c40f", alpha=0.25,
               label=labels.moderate)
    ax.set_ylim(80, 200)
    ax.set_xlim(0, 60)
    if pts:
        ax.plot([x for x, _ in pts], [y for _, y in pts], marker="o", color="#1f4e9e",
                linewidth=1.2, markersize=4, label=labels.child)
    else:
        ax.text(0.5, 0.5, labels.no_points, transform=ax.transAxes, ha="center", va="center",
                fontsize=9, color="#555555")
    ax.set_xlabel(labels.age_months)
    ax.set_ylabel(labels.muac_mm)
    ax.set_title(labels.titles["muac"], fontsize=10)
    ax.legend(fontsize=7, loc="upper left")
    ax.grid(True, linewidth=0.3, alpha=0.6)


def growth_figure(kind: str, *, sex: str, points: list[growth.GrowthPoint],
                  labels: GrowthLabels | None = None) -> Figure:
    """One indicator's chart for the screen."""
    labels = labels or GrowthLabels()
    fig = new_figure(6.4, 4.2)
    draw_indicator(fig.add_subplot(), kind, sex=sex, points=points, labels=labels)
    fig.text(0.99, 0.005, labels.source, ha="right", va="bottom", fontsize=6, color="#555555")
    return fig


def growth_sheet(*, sex: str, points: list[growth.GrowthPoint], heading: str,
                 labels: GrowthLabels | None = None) -> Figure:
    """The printable page: ``heading`` (patient, age, date) and the four charts, A4."""
    labels = labels or GrowthLabels()
    fig = new_figure(8.27, 11.69)
    fig.suptitle(heading, fontsize=11)
    axes = fig.subplots(2, 2)
    for ax, kind in zip(axes.flat, CHART_KINDS, strict=True):
        draw_indicator(ax, kind, sex=sex, points=points, labels=labels)
    fig.text(0.99, 0.003, labels.source, ha="right", va="bottom", fontsize=7, color="#555555")
    return fig
