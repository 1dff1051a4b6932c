"""A child's chart offscreen over a real vault: the age in months in the header and
the patient list, the Growth tab with the WHO curves and the child's point, the latest
z-scores with their classification, the PDF of the four charts, the length field of
the vitals form and a weight out of range for the age refused; Chinese too."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from lantern.clinical import growth
from lantern.domain import ages
from lantern.domain.records import Sex, Vitals
from lantern.gui.charts.growth import growth_figure
from lantern.gui.growth_panel import GrowthPanel, growth_labels
from lantern.gui.main_window import MainWindow
from lantern.services.session import VaultSession

from .helpers import make_vault, show_and_unlock


def refresh_dates() -> None:
    """The dates of today, taken again before each test by tests/conftest.py (a run that
    crosses midnight compares them with the code's own date.today())."""
    global BIRTH
    BIRTH = date.today() - timedelta(days=430)          # about 14 months


refresh_dates()


@pytest.fixture
def child_vault(vault_dir):
    session = make_vault(vault_dir)
    rec = session.records
    child = rec.add_patient(name="Chanda Banda", sex=Sex.MALE, birth_date=BIRTH)
    enc = rec.new_encounter(child.id)
    rec.save_draft(enc.id, note="Cough, not feeding well.",
                   vitals=Vitals(weight_kg=6.3, height_cm=72, muac_mm=112))
    adult = rec.add_patient(name="Mary Phiri", sex=Sex.FEMALE, birth_year=1990)
    session.lock()
    return {"child": child.id, "adult": adult.id, "encounter": enc.id}


@pytest.fixture
def window(qtbot, vault_dir, child_vault):
    win = MainWindow(data_dir=vault_dir, vault=VaultSession)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    show_and_unlock(qtbot, win)
    yield win
    win.close()
    win.runner.shutdown()


def _open(qtbot, win, patient_id):
    win.open_patient(patient_id)
    qtbot.waitUntil(lambda: win.chart.patient is not None and win.chart.patient.id == patient_id
                    and bool(win.chart.facts_label.text()), timeout=60_000)


def test_the_child_chart_shows_months_and_the_growth_tab(qtbot, window, child_vault, tmp_path):
    chart = window.chart
    months = ages.age_text(birth_date=BIRTH)
    assert months.endswith(" months")
    _open(qtbot, window, child_vault["child"])
    qtbot.waitUntil(lambda: chart.tabs.isTabVisible(chart.growth_tab) and bool(chart.growth.points), timeout=60_000)
    assert chart.facts_label.text().startswith(months)
    # the patient list shows the same
    qtbot.waitUntil(lambda: window.patient_list.model.rowCount() == 2, timeout=60_000)
    listed = [window.patient_list.model.index(r, 2).data() for r in range(2)]
    assert months in listed and ages.age_text(birth_year=1990) in listed
    # the Growth tab: the WHO curves with the child's point, drawn into a real QLabel
    chart.tabs.setCurrentIndex(chart.growth_tab)
    panel = chart.growth
    assert not panel.image.pixmap().isNull() and panel.image.pixmap().width() > 300
    [point] = panel.points
    assert (point.weight_kg, point.height_cm, point.muac_mm) == (6.3, 72, 112)
    cells = {panel.scores.item(r, 0).text(): panel.scores.item(r, 2).text()
             for r in range(panel.scores.rowCount())}
    assert cells["Weight-for-length"] == "Severe wasting"
    assert cells["Weight-for-age"] == "Severely underweight"
    assert cells["MUAC 112 mm"] == "severe"
    z = {panel.scores.item(r, 0).text(): panel.scores.item(r, 1).text() for r in range(panel.scores.rowCount())}
    expected = growth.growth_zscores(sex="male", age_days=430, weight_kg=6.3, height_cm=72)
    assert z["Weight-for-length"] == f"{[s for s in expected if s.indicator == 'wfl'][0].z:+.2f}"
    # every chart of the selector draws
    for i in range(panel.kind_box.count()):
        panel.kind_box.setCurrentIndex(i)
        assert not panel.image.pixmap().isNull()
    # printable: the four charts on an A4 PDF
    pdf = tmp_path / "growth.pdf"
    panel.export_pdf(pdf)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and b"FontFile2" in data


def test_a_back_entered_visit_is_plotted_at_the_age_of_its_day_of_care(qtbot, window,
                                                                        child_vault, vault_dir):
    """A paper-register visit typed in today for a day three months ago: its point is at
    the child's age on that day, not today's."""
    session = window.bridge.session
    day = date.today() - timedelta(days=90)
    enc = session.records.new_encounter(child_vault["child"], clinical_date=day)
    session.records.save_draft(enc.id, note="Register: weighed.", vitals=Vitals(weight_kg=5.9))
    chart = window.chart
    _open(qtbot, window, child_vault["child"])
    qtbot.waitUntil(lambda: len(chart.growth.points) == 2, timeout=60_000)
    assert sorted(p.age_days for p in chart.growth.points) == [
        (day - BIRTH).days, (date.today() - BIRTH).days]


def test_an_adult_has_no_growth_tab(qtbot, window, child_vault):
    chart = window.chart
    _open(qtbot, window, child_vault["child"])
    qtbot.waitUntil(lambda: chart.tabs.isTabVisible(chart.growth_tab), timeout=60_000)
    _open(qtbot, window, child_vault["adult"])
    years = ages.age_text(birth_year=1990)
    qtbot.waitUntil(lambda: chart.facts_label.text().startswith(years), timeout=60_000)
    assert not chart.tabs.isTabVisible(chart.growth_tab)
    assert chart.growth.points == []


def test_the_vitals_form_asks_for_length_and_refuses_a_weight_out_of_range(qtbot, window, child_vault):
    chart = window.chart
    _open(qtbot, window, child_vault["child"])
    qtbot.waitUntil(lambda: chart.encounter_table.rowCount() == 1, timeout=60_000)
    chart.open_encounter_row(0)
    form = chart.encounter_view.vitals
    assert form.labels["height_cm"].text() == "Length (lying)"
    form.edits["weight_kg"].setText("40")            # 40 kg at 14 months: a wrong entry
    assert form.problems() == ["The weight is out of range for the child's age (check the unit and the number)."]
    assert form.problems_label.isVisible() or not form.isVisible()
    form.edits["weight_kg"].setText("9.5")
    assert form.problems() == []


def test_growth_chart_figures_plot_every_point_over_five_curves():
    pts = [growth.GrowthPoint(d, 3.4 + d / 100, 50 + d / 20, None) for d in (5, 60, 120, 240)]
    fig = growth_figure("wfa", sex="female", points=pts)
    [ax] = fig.axes
    lines = ax.get_lines()
    assert len(lines) == 6                             # -3, -2, 0, +2, +3 SD and the child
    assert list(lines[-1].get_ydata()) == [p.weight_kg for p in pts]


def test_chinese_growth_labels_and_ages(qtbot, zh_ui):
    labels = growth_labels()
    assert labels.titles["wfa"] == "年龄别体重" and labels.boys == "男孩"
    from lantern.gui.formatting import format_age
    assert format_age(ages.Age(12, "day")) == "12天"
    assert format_age(ages.Age(7, "month")) == "7个月"
    assert format_age(ages.Age(38, "month")) == "38个月"
    panel = GrowthPanel()
    qtbot.addWidget(panel)
    assert panel.kind_box.itemText(0) == "年龄别体重"


def test_the_assessment_panel_says_the_age_it_assessed_for(qtbot):
    from lantern.gui.assessment_panel import AssessmentPanel
    from lantern.gui.runner import TaskRunner
    from lantern.services.assessment import AssessmentService

    runner = TaskRunner()
    try:
        panel = AssessmentPanel(assess=AssessmentService(), runner=runner)
        qtbot.addWidget(panel)
        birth = date.today() - timedelta(days=430)
        years = ages.age_years_for_rules(birth)
        panel.set_input("cough", {}, years, "male", None)
        assert panel.case_label.text() == f"For: {ages.age_text(birth_date=birth)} · Male"
        panel.set_input("cough", {}, 40 / 365.25, "female", None)
        assert panel.case_label.text() == "For: 40 days · Female"
        panel.set_input("cough", {}, 3.0, None, None)          # a birth year only: no invented months
        assert panel.case_label.text() == "For: about 3 years"
        panel.set_input("cough", {}, None, None, None)
        assert panel.case_label.text() == ""
    finally:
        runner.shutdown()
