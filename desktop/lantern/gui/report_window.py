"""View → Reports… (Ctrl+Shift+R; issue 17): the month's report with its charts.

A month picker and a notifiable disease; the month is computed by
:func:`lantern.services.surveillance.month_report` (the functions behind ``lantern
report``; a read, nothing is written) and its charts are drawn
(``lantern.gui.charts.reports``) in the window's own process
(:mod:`lantern.gui.report_process`, ended with the window or the vault's lock), so the
GUI thread never waits on either, not even for the interpreter lock. It shows
the epidemic curve of the chosen disease by ISO week, the top 10 diagnoses of the
month, the age–sex breakdown, and the village table with counts and an alert colour.

*Export PDF…* writes the report with its charts; *Export CSV…* and *Export DHIS2…*
write exactly what ``lantern report --format csv|dhis2`` writes (the same service
functions). Aggregate data only: no names, no ids.
"""

from __future__ import annotations

import csv
import dataclasses
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lantern.gui import charts
from lantern.gui.alert_banner import translation_lang
from lantern.gui.charts.reports import ReportLabels
from lantern.gui.errors import MessageBox, show_error
from lantern.gui.report_process import ReportProcess, top_items
from lantern.gui.session_bridge import SessionBridge
from lantern.paths import resources_dir
from lantern.services import dhis2, reports, surveillance
from lantern.services.surveillance import Disease, iso_week

CHART_LANE = "charts"
ALERT_BACKGROUND = "#e65100"


def month_bounds(day: date) -> tuple[date, date]:
    start = day.replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return start, end


def default_month(today: date) -> date:
    """The last complete month (the one the district report is due for)."""
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def report_labels() -> ReportLabels:
    translate = QCoreApplication.translate
    return ReportLabels(
        curve_title=translate("ReportWindow", "Epidemic curve: %1 (new cases by ISO week)"),
        week=translate("ReportWindow", "ISO week"), cases=translate("ReportWindow", "New cases"),
        in_month=translate("ReportWindow", "Weeks of the month"),
        before=translate("ReportWindow", "Weeks before"),
        top_title=translate("ReportWindow", "Top 10 diagnoses of the month (new cases)"),
        age_sex_title=translate("ReportWindow", "New cases by age and sex"),
        male=translate("ReportWindow", "Male"), female=translate("ReportWindow", "Female"),
        bands={"under5": translate("ReportWindow", "< 5 years"),
               "age5to14": translate("ReportWindow", "5–14 years"),
               "age15plus": translate("ReportWindow", "≥ 15 years")},
        no_data=translate("ReportWindow", "No confirmed diagnoses in this month"),
        village_title=translate("ReportWindow", "Villages"),
        village_columns=(translate("ReportWindow", "Village"), translate("ReportWindow", "New cases"),
                         translate("ReportWindow", "Notifiable"), translate("ReportWindow", "Alerts")),
        condition_title=translate("ReportWindow", "Monthly morbidity report: new cases by condition"),
        condition_columns=(translate("ReportWindow", "Condition"), translate("ReportWindow", "ICD-10"),
                           translate("ReportWindow", "Total")),
        page=translate("ReportWindow", "Page %1 of %2"))


def rule_name(rule: str) -> str:
    translate = QCoreApplication.translate
    return {"single_case": translate("ReportWindow", "single case"),
            "weekly_threshold": translate("ReportWindow", "weekly threshold"),
            "village_cluster": translate("ReportWindow", "village cluster"),
            "historical": translate("ReportWindow", "above the usual")}.get(rule, rule)


class ReportWindow(QDialog):
    """See the module doc. ``ready`` after a month's numbers and charts are shown."""

    ready = Signal()
    exported = Signal(str)      # the path written

    def __init__(self, *, bridge: SessionBridge, lang: str = "", today: date | None = None,
                 list_name: str = "idsr", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportWindow")
        self.setWindowTitle(self.tr("Reports"))
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self._bridge = bridge
        # names of diseases and conditions: in the language of the translation in force
        self.lang = lang or translation_lang()
        lang = self.lang
        self.today = today or date.today()
        self.report: surveillance.MonthReport | None = None
        self._request = 0
        self._names: dict[str, str] = {}
        self.list_name = list_name      # the notifiable-disease list (Settings → General)
        self.diseases: tuple[Disease, ...] = tuple(
            d for d in surveillance.surveillance_list(name=list_name) if d.condition_ids)

        self.month = QDateEdit(self)
        self.month.setObjectName("reportMonth")
        self.month.setDisplayFormat("yyyy-MM")
        self.month.setMaximumDate(QDate(self.today.year, self.today.month, 1))
        first = default_month(self.today)
        self.month.setDate(QDate(first.year, first.month, 1))
        month_label = QLabel(self.tr("&Month:"), self)
        month_label.setBuddy(self.month)
        self.disease = QComboBox(self)
        self.disease.setObjectName("reportDisease")
        for d in self.diseases:
            self.disease.addItem(d.name_zh if lang.startswith("zh") and d.name_zh else d.name_en,
                                 d.id)
        self.disease.setCurrentIndex(max(0, self.disease.findData("malaria")))
        disease_label = QLabel(self.tr("&Disease:"), self)
        disease_label.setBuddy(self.disease)
        self.refresh_button = QPushButton(self.tr("&Refresh"), self)
        self.pdf_button = QPushButton(self.tr("Export &PDF…"), self)
        self.csv_button = QPushButton(self.tr("Export &CSV…"), self)
        self.dhis2_button = QPushButton(self.tr("Export D&HIS2…"), self)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.summary = QLabel(self)
        self.summary.setObjectName("reportSummary")
        self.summary.setWordWrap(True)
        self.curve_image = QLabel(self)
        self.curve_image.setObjectName("reportCurve")
        self.top_image = QLabel(self)
        self.top_image.setObjectName("reportTop")
        self.age_sex_image = QLabel(self)
        self.age_sex_image.setObjectName("reportAgeSex")
        for image in (self.curve_image, self.top_image, self.age_sex_image):
            image.setAlignment(Qt.AlignmentFlag.AlignCenter)
            image.setMinimumHeight(200)
        self.disease.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.villages = QTableWidget(0, 4, self)
        self.villages.setObjectName("reportVillages")
        self.villages.setHorizontalHeaderLabels(list(report_labels().village_columns))
        self.villages.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.villages.verticalHeader().hide()
        self.villages.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.villages.horizontalHeader().setStretchLastSection(True)
        self.villages.setMinimumHeight(160)
        self.alert_list = QLabel(self)
        self.alert_list.setObjectName("reportAlerts")
        self.alert_list.setWordWrap(True)
        self.alert_list.setStyleSheet(f"color: {ALERT_BACKGROUND};")

        top = QHBoxLayout()
        top.addWidget(month_label)
        top.addWidget(self.month)
        top.addWidget(disease_label)
        top.addWidget(self.disease)
        top.addWidget(self.refresh_button)
        top.addStretch(1)
        top.addWidget(self.pdf_button)
        top.addWidget(self.csv_button)
        top.addWidget(self.dhis2_button)
        body = QWidget(self)
        grid = QGridLayout(body)
        grid.setContentsMargins(4, 4, 4, 4)
        villages_box = QVBoxLayout()
        villages_title = QLabel(self.tr("Villages (orange: an alert names the village)"), body)
        villages_title.setObjectName("sectionTitle")
        villages_box.addWidget(villages_title)
        villages_box.addWidget(self.villages, 1)
        villages_box.addWidget(self.alert_list)
        grid.addWidget(self.curve_image, 0, 0)
        grid.addLayout(villages_box, 0, 1)
        grid.addWidget(self.top_image, 1, 0)
        grid.addWidget(self.age_sex_image, 1, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(scroll, 1)
        layout.addLayout(bottom)
        self.resize(1200, 740)

        self.month.dateChanged.connect(lambda _d: self.refresh())
        self.disease.currentIndexChanged.connect(lambda _i: self._draw_curve())
        self.refresh_button.clicked.connect(self.refresh)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.refresh)
        self.pdf_button.clicked.connect(self._pdf_clicked)
        self.csv_button.clicked.connect(self._csv_clicked)
        self.dhis2_button.clicked.connect(self._dhis2_clicked)
        self.close_button.clicked.connect(self.reject)
        self._set_exports_enabled(False)
        # the process computing the reports holds the keys: it ends with the window or the lock
        self._process = ReportProcess()
        self.finished.connect(self._end_process)
        bridge.locked.connect(self._end_process)

    def _end_process(self) -> None:
        self._process.stop()

    # -- computing ------------------------------------------------------------------
    def period(self) -> tuple[date, date]:
        d = self.month.date()
        return month_bounds(date(d.year(), d.month(), 1))

    def refresh(self) -> None:
        self._request += 1
        request = self._request
        start, end = self.period()
        disease = self._disease()
        process, job = self._process, {
            "start": start, "end": end, "list_name": self.list_name, "lang": self.lang,
            "curve_ids": disease.condition_ids if disease else (),
            "month_weeks": self.month_weeks(), "disease": self._disease_name(),
            "labels": report_labels()}

        def work(session: Any) -> tuple[surveillance.MonthReport, dict[str, str],
                                        tuple[QImage, ...]]:
            report, names, pngs = process.call(session.context, "month",
                                               clinic=session.clinic_name, **job)
            return report, names, tuple(charts.from_png(p) for p in pngs)

        def show(result: tuple[surveillance.MonthReport, dict[str, str],
                               tuple[QImage, ...]]) -> None:
            if request != self._request:
                return
            report, names, images = result
            self._show(report, names)
            for label, image in zip((self.curve_image, self.top_image, self.age_sex_image),
                                    images, strict=True):
                self._set_image(label, image)
            if self._disease() is not disease:     # changed while the month was computed
                self._draw_curve()
            else:
                self.ready.emit()

        self._set_exports_enabled(False)
        self.summary.setText(self.tr("Computing the report for %1…").replace(
            "%1", start.strftime("%Y-%m")))
        self._bridge.call(work, on_success=show, label=self.tr("Computing the report…"))

    def _show(self, report: surveillance.MonthReport, names: dict[str, str]) -> None:
        self.report = report
        self._names = names
        m = report.monthly
        new_cases = sum(c["total"] for c in m["by_condition"])
        text = self.tr("%1 · %2: %3 encounters, %4 without a diagnosis, %5 new cases, "
                       "%6 alert(s).").replace("%1", m["clinic"]).replace(
            "%2", m["from"][:7]).replace("%3", str(m["total_encounters"])).replace(
            "%4", str(m["no_diagnosis"])).replace("%5", str(new_cases)).replace(
            "%6", str(len(report.alerts)))
        text += " " + self.tr("%1 referred (signed referral letters), %2 death(s) recorded.").replace(
            "%1", str(report.totals.get("referrals", 0))).replace("%2", str(report.totals.get("deaths", 0)))
        if report.unbanded():
            text += " " + self.tr("%1 new case(s) have no age or sex recorded: counted in the "
                                  "totals, not in the age–sex chart.").replace(
                "%1", str(report.unbanded()))
        if report.damaged:
            text += " " + self.tr("%1 record(s) could not be read: the counts may be low "
                                  "(lantern vault verify).").replace("%1", str(len(report.damaged)))
        self.summary.setText(text)
        self._fill_villages(report)
        self.alert_list.setText("\n".join(f"⚠ {line}" for line in self.alert_lines()))
        self._set_exports_enabled(True)

    def alert_lines(self) -> list[str]:
        """One line per alert of the month: disease — rule (count) — ISO week · village."""
        if self.report is None:
            return []
        names = {cid: (d.name_zh if self.lang == "zh" and d.name_zh else d.name_en)
                 for d in surveillance.surveillance_list(name=self.list_name) for cid in d.condition_ids}
        return [f"{names.get(a['condition_id'], a['condition_id'])} — {rule_name(a['rule'])} "
                f"({a['count']}) — {a['week']}" + (f" · {a['village']}" if a["village"] else "")
                for a in self.report.alerts]

    def top_items(self) -> list[tuple[str, int]]:
        return top_items(self.report, self._names) if self.report is not None else []

    def curve_points(self) -> list[tuple[str, int]]:
        d = self._disease()
        return self.report.curve(d.condition_ids) if self.report is not None and d else []

    def month_weeks(self) -> set[str]:
        start, end = self.period()
        return {iso_week(start + timedelta(days=i)) for i in range((end - start).days + 1)}

    def _disease(self) -> Disease | None:
        wanted = self.disease.currentData()
        return next((d for d in self.diseases if d.id == wanted), None)

    def _fill_villages(self, report: surveillance.MonthReport) -> None:
        rows = report.villages
        self.villages.setRowCount(len(rows))
        for r, v in enumerate(rows):
            cells = (v["village"] or self.tr("(not recorded)"), str(v["cases"]),
                     str(v["notifiable"]), ", ".join(rule_name(a) for a in v["alerts"]))
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c in (1, 2):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if v["alerts"]:
                    item.setBackground(QBrush(QColor(ALERT_BACKGROUND)))
                    item.setForeground(QBrush(QColor("white")))
                self.villages.setItem(r, c, item)

    # -- charts (drawn in the window's process) ------------------------------------------
    def _disease_name(self) -> str:
        return self.disease.currentText()

    def _draw_curve(self) -> None:
        if self.report is None:
            return
        request = self._request
        process, job = self._process, {
            "curve": self.curve_points(), "month_weeks": self.month_weeks(),
            "disease": self._disease_name(), "labels": report_labels()}

        def show(image: QImage) -> None:
            if request == self._request:
                self._set_image(self.curve_image, image)
                self.ready.emit()

        self._bridge.runner.submit(
            lambda _ctx: charts.from_png(process.call(None, "curve", **job)),
            on_success=show, lane=CHART_LANE, on_failure=lambda exc: show_error(self, exc),
            label=self.tr("Drawing the charts…"))

    @staticmethod
    def _set_image(label: QLabel, image: QImage) -> None:
        pixmap = QPixmap.fromImage(image)
        label.setPixmap(pixmap)
        label.setMinimumSize(pixmap.size())     # never cropped: the area scrolls instead

    def _age_sex(self) -> dict[str, dict[str, int]]:
        return self.report.age_sex() if self.report is not None else {}

    # -- exports ---------------------------------------------------------------------
    def _set_exports_enabled(self, on: bool) -> None:
        for button in (self.pdf_button, self.csv_button, self.dhis2_button):
            button.setEnabled(on)

    def _file_stem(self) -> str:
        return f"report-{self.period()[0].strftime('%Y-%m')}"

    def export_csv(self, path: Path) -> None:
        """What ``lantern report --kind monthly --format csv`` prints, to a file."""
        assert self.report is not None
        with open(path, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerows(reports.monthly_csv_rows(self.report.monthly, totals=self.report.totals))
        self.exported.emit(str(path))

    def export_dhis2(self, path: Path, mapping_path: Path) -> list[str]:
        """A dataValueSets document (``lantern report --format dhis2``); returns the
        conditions the mapping lacks (the caller has asked whether to go on)."""
        assert self.report is not None
        mapping = dhis2.load_mapping(mapping_path)
        doc, unmapped = dhis2.data_value_set(self.report.monthly, mapping, allow_unmapped=True,
                                             totals=self.report.totals)
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        self.exported.emit(str(path))
        return unmapped

    def pdf_arguments(self) -> dict[str, Any]:
        assert self.report is not None
        m = self.report.monthly
        labels = report_labels()
        bands = [b.key for b in reports.report_settings().age_bands]
        labels = dataclasses.replace(labels, condition_columns=(
            labels.condition_columns[0], labels.condition_columns[1],
            *(f"{labels.bands.get(b, b)} {sex}" for b in bands
              for sex in (labels.male, labels.female)), labels.condition_columns[-1]))
        conditions = [[self._names.get(c["condition_id"], c["name"]), c["icd10"],
                       *(str(c.get(b, {}).get(s, 0)) for b in bands for s in ("male", "female")),
                       str(c["total"])] for c in m["by_condition"]]
        villages = [[v["village"] or self.tr("(not recorded)"), str(v["cases"]),
                     str(v["notifiable"]), ", ".join(rule_name(a) for a in v["alerts"])]
                    for v in self.report.villages]
        return {"heading": self.tr("Monthly report %1 — %2").replace("%1", m["from"][:7])
                .replace("%2", m["clinic"]),
                "summary": "\n".join([self.summary.text(), *(f"• {a}" for a in self.alert_lines())]),
                "curve": self.curve_points(),
                "month_weeks": self.month_weeks(), "disease": self._disease_name(),
                "top": self.top_items(), "age_sex": self._age_sex(), "villages": villages,
                "alert_villages": {i for i, v in enumerate(self.report.villages) if v["alerts"]},
                "conditions": conditions, "labels": labels}

    def export_pdf(self, path: Path) -> None:
        """Write the report with its charts as a PDF in the chart lane; ``exported``
        when the file is there."""
        kwargs, process = self.pdf_arguments(), self._process
        self._bridge.runner.submit(lambda _ctx: process.call(None, "pdf", path=path, **kwargs),
                                   lane=CHART_LANE,
                                   on_success=lambda _n: self.exported.emit(str(path)),
                                   on_failure=lambda exc: show_error(self, exc),
                                   label=self.tr("Writing the PDF…"))

    def _save_name(self, title: str, suffix: str, pattern: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self, title, f"{self._file_stem()}{suffix}", pattern)
        return Path(name) if name else None

    def _pdf_clicked(self) -> None:
        path = self._save_name(self.tr("Export the report as PDF"), ".pdf", self.tr("PDF (*.pdf)"))
        if path is not None:
            self.export_pdf(path)

    def _csv_clicked(self) -> None:
        path = self._save_name(self.tr("Export the report as CSV"), ".csv", self.tr("CSV (*.csv)"))
        if path is None:
            return
        try:
            self.export_csv(path)
        except OSError as exc:
            show_error(self, exc)

    def _dhis2_clicked(self) -> None:
        mapping, _ = QFileDialog.getOpenFileName(
            self, self.tr("The district's DHIS2 mapping"), str(resources_dir() / "reports"),
            self.tr("DHIS2 mapping (*.toml)"))
        if not mapping:
            return
        self.export_dhis2_with_checks(Path(mapping))

    def export_dhis2_with_checks(self, mapping: Path, path: Path | None = None) -> None:
        """Check the mapping first; name unmapped conditions and ask before leaving them out."""
        assert self.report is not None
        try:
            loaded = dhis2.load_mapping(mapping)
            _doc, unmapped = dhis2.data_value_set(self.report.monthly, loaded, allow_unmapped=True)
        except Exception as exc:  # noqa: BLE001 - ValidationError / OSError: shown, nothing written
            show_error(self, exc)
            return
        if unmapped and not MessageBox.question(self, title=self.tr("DHIS2 export"), text=self.tr(
                "The mapping has no data element for: %1. Export the other conditions and "
                "leave these out?").replace("%1", ", ".join(unmapped))):
            return
        path = path or self._save_name(self.tr("Export for DHIS2"), ".json",
                                       self.tr("DHIS2 dataValueSets (*.json)"))
        if path is None:
            return
        try:
            self.export_dhis2(path, mapping)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
