"""The Reports window's charts (issue 17): the epidemic curve of one disease by ISO
week, the top diagnoses of the month, the age–sex breakdown, and the whole report as
a PDF (summary, the three charts and the village table on page 1; the morbidity table
by condition on the pages after).

Built with the package's one matplotlib set-up (``lantern.gui.charts``). Every text on
a figure comes from the caller (``ReportLabels``, filled with ``tr()``), so a Chinese
interface draws Chinese charts with the bundled font.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from matplotlib.axes import Axes
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from lantern.gui.charts import new_figure

ALERT_COLOUR = "#e65100"
MONTH_COLOUR = "#1f5f8b"
OTHER_COLOUR = "#9bb7cc"
MALE_COLOUR = "#1f77b4"
FEMALE_COLOUR = "#d62728"
A4 = (8.27, 11.69)
TABLE_ROWS_PER_PAGE = 38


@dataclass(frozen=True, slots=True)
class ReportLabels:
    """The texts of the report's charts, in the interface language."""

    curve_title: str = "Epidemic curve: %1 (new cases by ISO week)"
    week: str = "ISO week"
    cases: str = "New cases"
    in_month: str = "Weeks of the month"
    before: str = "Weeks before"
    top_title: str = "Top 10 diagnoses (new cases)"
    age_sex_title: str = "New cases by age and sex"
    male: str = "Male"
    female: str = "Female"
    bands: dict[str, str] = field(default_factory=dict)
    no_data: str = "No confirmed diagnoses in this month"
    village_title: str = "Villages"
    village_columns: tuple[str, ...] = ("Village", "New cases", "Notifiable", "Alerts")
    condition_title: str = "Monthly morbidity report by condition"
    condition_columns: tuple[str, ...] = ("Condition", "ICD-10", "Total")
    page: str = "Page %1 of %2"


def _empty(ax: Axes, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color="#666666")
    ax.set_xticks([])
    ax.set_yticks([])


def draw_curve(ax: Axes, curve: list[tuple[str, int]], month_weeks: set[str], *, disease: str,
               labels: ReportLabels) -> None:
    weeks = [w for w, _n in curve]
    counts = [n for _w, n in curve]
    colours = [MONTH_COLOUR if w in month_weeks else OTHER_COLOUR for w in weeks]
    ax.bar(range(len(weeks)), counts, color=colours, width=0.9)
    ax.set_xticks(range(len(weeks)), [w[5:] for w in weeks], fontsize=7, rotation=0)
    ax.set_title(labels.curve_title.replace("%1", disease), fontsize=10)
    ax.set_xlabel(labels.week, fontsize=8)
    ax.set_ylabel(labels.cases, fontsize=8)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    for x, n in enumerate(counts):
        if n:
            ax.annotate(str(n), (x, n), ha="center", va="bottom", fontsize=7)
    from matplotlib.patches import Patch
    ax.legend(handles=[Patch(color=MONTH_COLOUR, label=labels.in_month),
                       Patch(color=OTHER_COLOUR, label=labels.before)], fontsize=7,
              loc="upper left")
    ax.set_ylim(0, max([*counts, 1]) * 1.25)


def draw_top(ax: Axes, items: list[tuple[str, int]], *, labels: ReportLabels) -> None:
    ax.set_title(labels.top_title, fontsize=10)
    if not items:
        _empty(ax, labels.no_data)
        return
    names = [name for name, _n in items][::-1]
    counts = [n for _name, n in items][::-1]
    ax.barh(range(len(names)), counts, color=MONTH_COLOUR)
    ax.set_yticks(range(len(names)), names, fontsize=8)
    ax.set_xlabel(labels.cases, fontsize=8)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    for y, n in enumerate(counts):
        ax.annotate(str(n), (n, y), xytext=(2, 0), textcoords="offset points", va="center",
                    fontsize=7)
    ax.set_xlim(0, max(counts) * 1.15)


def draw_age_sex(ax: Axes, age_sex: dict[str, dict[str, int]], *, labels: ReportLabels) -> None:
    ax.set_title(labels.age_sex_title, fontsize=10)
    if not any(n for cell in age_sex.values() for n in cell.values()):
        _empty(ax, labels.no_data)
        return
    bands = list(age_sex)
    xs = range(len(bands))
    for offset, sex, colour, name in ((-0.2, "male", MALE_COLOUR, labels.male),
                                      (0.2, "female", FEMALE_COLOUR, labels.female)):
        values = [age_sex[b][sex] for b in bands]
        ax.bar([x + offset for x in xs], values, width=0.4, color=colour, label=name)
        for x, n in zip(xs, values, strict=True):
            ax.annotate(str(n), (x + offset, n), ha="center", va="bottom", fontsize=7)
    ax.set_xticks(list(xs), [labels.bands.get(b, b) for b in bands], fontsize=8)
    ax.set_ylabel(labels.cases, fontsize=8)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(fontsize=7)
    top = max(n for cell in age_sex.values() for n in cell.values())
    ax.set_ylim(0, top * 1.2)


def curve_figure(curve: list[tuple[str, int]], month_weeks: set[str], *, disease: str,
                 labels: ReportLabels) -> Figure:
    fig = new_figure(7.0, 2.9)
    draw_curve(fig.add_subplot(), curve, month_weeks, disease=disease, labels=labels)
    return fig


def top_figure(items: list[tuple[str, int]], *, labels: ReportLabels) -> Figure:
    fig = new_figure(7.0, 3.3)
    draw_top(fig.add_subplot(), items, labels=labels)
    return fig


def age_sex_figure(age_sex: dict[str, dict[str, int]], *, labels: ReportLabels) -> Figure:
    fig = new_figure(4.3, 3.3)
    draw_age_sex(fig.add_subplot(), age_sex, labels=labels)
    return fig


def _table(ax: Axes, title: str, columns: tuple[str, ...], rows: list[list[str]],
           alert_rows: set[int] | None = None) -> None:
    ax.axis("off")
    ax.set_title(title, fontsize=10, loc="left")
    if not rows:
        return
    rest = (1 - 0.34) / max(1, len(columns) - 1)     # the name column is the wide one
    table = ax.table(cellText=rows, colLabels=list(columns), loc="upper center",
                     cellLoc="left", colLoc="left", colWidths=[0.34] + [rest] * (len(columns) - 1))
    table.auto_set_font_size(False)
    table.set_fontsize(7.5)
    table.scale(1, 1.25)
    for (r, _c), cell in table.get_celld().items():
        if r == 0:
            cell.set_facecolor("#e8eef3")
        elif alert_rows and r - 1 in alert_rows:
            cell.set_facecolor(ALERT_COLOUR)
            cell.get_text().set_color("white")


def report_pdf(path: Path, *, heading: str, summary: str, curve: list[tuple[str, int]],
               month_weeks: set[str], disease: str, top: list[tuple[str, int]],
               age_sex: dict[str, dict[str, int]], villages: list[list[str]],
               alert_villages: set[int], conditions: list[list[str]],
               labels: ReportLabels) -> int:
    """Write the report as an A4 PDF; returns the number of pages."""
    from matplotlib import rcParams
    rcParams["pdf.fonttype"] = 42          # fonts embedded (Chinese included)
    pages: list[Figure] = []
    first = new_figure(*A4)
    grid = first.add_gridspec(4, 2, height_ratios=[0.35, 1.0, 1.1, 1.3])
    head = first.add_subplot(grid[0, :])
    head.axis("off")
    head.text(0, 0.9, heading, fontsize=13, fontweight="bold", va="top")
    head.text(0, 0.55, "\n".join(textwrap.fill(line, 110) for line in summary.splitlines()),
              fontsize=8.5, va="top")
    draw_curve(first.add_subplot(grid[1, :]), curve, month_weeks, disease=disease, labels=labels)
    draw_top(first.add_subplot(grid[2, 0]), top, labels=labels)
    draw_age_sex(first.add_subplot(grid[2, 1]), age_sex, labels=labels)
    _table(first.add_subplot(grid[3, :]), labels.village_title, labels.village_columns,
           villages[:TABLE_ROWS_PER_PAGE // 2],
           {r for r in alert_villages if r < TABLE_ROWS_PER_PAGE // 2})
    pages.append(first)
    first_rows = TABLE_ROWS_PER_PAGE // 2
    for i in range(first_rows, len(villages), TABLE_ROWS_PER_PAGE):   # the villages left
        fig = new_figure(*A4)
        _table(fig.add_subplot(), labels.village_title, labels.village_columns,
               villages[i:i + TABLE_ROWS_PER_PAGE],
               {r - i for r in alert_villages if i <= r < i + TABLE_ROWS_PER_PAGE})
        pages.append(fig)
    chunks = [conditions[i:i + TABLE_ROWS_PER_PAGE]
              for i in range(0, len(conditions), TABLE_ROWS_PER_PAGE)] or [[]]
    for chunk in chunks:
        fig = new_figure(*A4)
        _table(fig.add_subplot(), labels.condition_title, labels.condition_columns, chunk)
        pages.append(fig)
    with PdfPages(str(path)) as pdf:
        for n, fig in enumerate(pages, 1):
            fig.text(0.98, 0.01, labels.page.replace("%1", str(n)).replace("%2", str(len(pages))),
                     ha="right", fontsize=7, color="#666666")
            pdf.savefig(fig)
    return len(pages)
