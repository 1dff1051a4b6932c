"""The Growth tab of a child's chart: the child's weights, lengths/heights and MUAC
from the encounters' vitals over the WHO Child Growth Standards curves, the latest
z-scores with their classification, and a PDF of the four charts to print or keep.

Only for children with a known date of birth (the standards are indexed by age in
days; a birth year alone would place points up to a year off).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lantern.clinical import growth
from lantern.domain.ages import age_in_days
from lantern.domain.records import Encounter, Patient, UnreadableRecord
from lantern.gui import charts
from lantern.gui.charts.growth import CHART_KINDS, GrowthLabels, growth_figure, growth_sheet
from lantern.gui.errors import MessageBox
from lantern.gui.formatting import format_age


def growth_labels() -> GrowthLabels:
    return GrowthLabels(
        titles={"wfa": QCoreApplication.translate("GrowthPanel", "Weight-for-age"), "lhfa": QCoreApplication.translate("GrowthPanel", "Length/height-for-age"),
                "wfl": QCoreApplication.translate("GrowthPanel", "Weight-for-length"), "wfh": QCoreApplication.translate("GrowthPanel", "Weight-for-height"),
                "muac": QCoreApplication.translate("GrowthPanel", "MUAC")},
        age_months=QCoreApplication.translate("GrowthPanel", "Age (completed months)"),
        weight_kg=QCoreApplication.translate("GrowthPanel", "Weight (kg)"), length_cm=QCoreApplication.translate("GrowthPanel", "Length/height (cm)"),
        muac_mm=QCoreApplication.translate("GrowthPanel", "MUAC (mm)"), boys=QCoreApplication.translate("GrowthPanel", "Boys"),
        girls=QCoreApplication.translate("GrowthPanel", "Girls"), child=QCoreApplication.translate("GrowthPanel", "This child"),
        severe=QCoreApplication.translate("GrowthPanel", "< 115 mm: severe"), moderate=QCoreApplication.translate("GrowthPanel", "115–124 mm: moderate"),
        source=QCoreApplication.translate("GrowthPanel", "WHO Child Growth Standards (2006)"),
        no_points=QCoreApplication.translate("GrowthPanel", "No measurements recorded"))


def _classification(indicator: str, severity: str) -> str:
    names = {("wfa", "moderate"): QCoreApplication.translate("GrowthPanel", "Underweight"),
             ("wfa", "severe"): QCoreApplication.translate("GrowthPanel", "Severely underweight"),
             ("lhfa", "moderate"): QCoreApplication.translate("GrowthPanel", "Stunted"),
             ("lhfa", "severe"): QCoreApplication.translate("GrowthPanel", "Severely stunted"),
             ("wfl", "moderate"): QCoreApplication.translate("GrowthPanel", "Moderate wasting"),
             ("wfl", "severe"): QCoreApplication.translate("GrowthPanel", "Severe wasting")}
    key = ("wfl" if indicator == "wfh" else indicator, severity)
    return names.get(key, QCoreApplication.translate("GrowthPanel", "normal range"))


def _severity_text(severity: str) -> str:
    return {"severe": QCoreApplication.translate("GrowthPanel", "severe"),
            "moderate": QCoreApplication.translate("GrowthPanel", "moderate")}.get(
        severity, QCoreApplication.translate("GrowthPanel", "normal range"))


class GrowthPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("growthPanel")
        self._patient: Patient | None = None
        self._points: list[growth.GrowthPoint] = []
        self.kind_box = QComboBox(self)
        self.kind_box.setObjectName("growthKind")
        for kind, text in zip(CHART_KINDS, (self.tr("Weight-for-age"), self.tr("Length/height-for-age"),
                                            self.tr("Weight-for-length/height"), self.tr("MUAC trend")),
                              strict=True):
            self.kind_box.addItem(text, kind)
        self.kind_box.currentIndexChanged.connect(lambda _i: self._draw())
        kind_label = QLabel(self.tr("C&hart:"), self)
        kind_label.setBuddy(self.kind_box)
        self.export_button = QPushButton(self.tr("E&xport PDF…"), self)
        self.export_button.clicked.connect(self._export_clicked)
        top = QHBoxLayout()
        top.addWidget(kind_label)
        top.addWidget(self.kind_box)
        top.addStretch(1)
        top.addWidget(self.export_button)
        self.message = QLabel(self)
        self.message.setObjectName("hintLabel")
        self.message.setWordWrap(True)
        self.image = QLabel(self)
        self.image.setObjectName("growthImage")
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scores = QTableWidget(0, 3, self)
        self.scores.setObjectName("growthScores")
        self.scores.setHorizontalHeaderLabels([self.tr("Latest"), self.tr("z-score"), self.tr("Classification")])
        self.scores.verticalHeader().hide()
        self.scores.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.scores.horizontalHeader().setStretchLastSection(True)
        self.scores.setMinimumWidth(300)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        body = QHBoxLayout()
        body.addWidget(self.image, 3)
        body.addWidget(self.scores, 2)
        layout.addLayout(body, 1)

    @staticmethod
    def applies_to(patient: Patient | None, today: date | None = None) -> bool:
        """A child under 5 with a date of birth (the tab is shown only then)."""
        if patient is None or patient.birth_date is None:
            return False
        days = age_in_days(birth_date=patient.birth_date, today=today)
        return days is not None and days <= growth.MAX_AGE_DAYS

    @property
    def points(self) -> list[growth.GrowthPoint]:
        return list(self._points)

    def show_child(self, patient: Patient, encounters: list[Encounter | UnreadableRecord]) -> None:
        self._patient = patient
        visits = []
        for enc in encounters:
            if isinstance(enc, UnreadableRecord) or enc.created_at is None:
                continue
            v = enc.vitals
            # the day of care: a back-entered paper-register visit is plotted at its own age
            days = age_in_days(birth_date=patient.birth_date, today=enc.date_of_care)
            visits.append((days, v.weight_kg, v.height_cm, v.muac_mm))
        self._points = growth.growth_points(visits)
        self._draw()
        self._show_scores()

    def clear(self) -> None:
        self._patient = None
        self._points = []
        self.image.clear()
        self.message.clear()
        self.scores.setRowCount(0)

    def _draw(self) -> None:
        patient = self._patient
        if patient is None:
            return
        kind = self.kind_box.currentData()
        fig = growth_figure(kind, sex=patient.sex.value, points=self._points, labels=growth_labels())
        self.image.setPixmap(QPixmap.fromImage(charts.to_qimage(fig)))
        self.message.setText("" if self._points else self.tr(
            "No weight, length/height or MUAC is recorded in this child's encounters yet."))

    def _show_scores(self) -> None:
        patient = self._patient
        rows: list[tuple[str, str, str]] = []
        latest = self._points[-1] if self._points else None
        if patient is not None and latest is not None:
            titles = growth_labels().titles
            for score in latest.zscores(patient.sex.value):
                rows.append((titles[score.indicator], f"{score.z:+.2f}",
                             _classification(score.indicator, score.severity)))
            if latest.muac_mm is not None:
                rows.append((self.tr("MUAC %1 mm").replace("%1", f"{latest.muac_mm:g}"), "",
                             _severity_text(growth.classify_muac(latest.muac_mm))))
        self.scores.setRowCount(len(rows))
        for r, cells in enumerate(rows):
            for c, text in enumerate(cells):
                self.scores.setItem(r, c, QTableWidgetItem(text))
        for column in (0, 1):       # the classification keeps the rest, unclipped
            self.scores.resizeColumnToContents(column)

    def sheet_heading(self) -> str:
        patient = self._patient
        if patient is None:
            return ""
        return " · ".join((patient.name, format_age(patient.age()), patient.id,
                           date.today().isoformat()))

    def export_pdf(self, path: Path) -> None:
        """The four charts on one A4 page, as a PDF (the printable growth chart)."""
        patient = self._patient
        if patient is None:
            raise ValueError("no child is open")
        fig = growth_sheet(sex=patient.sex.value, points=self._points, heading=self.sheet_heading(),
                           labels=growth_labels())
        charts.to_pdf(fig, path)

    def _export_clicked(self) -> None:
        if self._patient is None:
            return
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Export growth chart"),
                                              f"growth-{self._patient.id}.pdf", self.tr("PDF (*.pdf)"))
        if not name:
            return
        try:
            self.export_pdf(Path(name))
        except OSError:
            MessageBox.warning(self, title=self.tr("Growth chart"),
                               text=self.tr("The PDF could not be written there. Choose another folder."))
