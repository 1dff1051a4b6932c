#!/usr/bin/env python3
"""Take the documentation screenshots of the real app at 1366×768.

Usage: ``xvfb-run -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshots.py``
(re-executes itself under xvfb-run when no DISPLAY is set). A temporary vault
is filled with fictional patients; PNGs go to ``docs/screenshots/``.
``--lang zh_CN`` takes the Chinese UI shots instead (``zh_unlock.png``,
``zh_patient_chart.png``, ``zh_encounter.png``, …), with the bundled CJK font.
The follow-up views (issue 16): ``followups.png`` (the start screen's list, an
outcome just recorded with its Undo), ``followup_confirm.png`` (the confirm step
after signing a child's note), ``followup_schedule.png`` (Patient → Schedule
follow-up…), ``registration_form.png`` (caregiver fields), ``registration_duplicates.png``
and ``growth_chart.png``.
``instruction_sheet.png``: the patient instruction sheet as printed (page 1); with
``--only instruction_sheet`` only that shot is taken.
``--out DIR`` writes the PNGs to DIR instead (to look at a change without touching the
committed ones).
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
if "--out" in sys.argv[:-1]:
    OUT = Path(sys.argv[sys.argv.index("--out") + 1]).resolve()
SIZE = (1366, 768)
PASSPHRASE = "river lantern maize 42!"

PATIENTS = [
    # name, sex, birth_year, birth_date, village, phone
    ("Chanda Mwale", "female", None, date(1994, 5, 17), "Chipata", "+260 97 555 0143"),
    ("Joseph Banda", "male", 1961, None, "Mbala", "+260 96 555 0178"),
    ("Grace Tembo", "female", 2021, None, "Kasama", ""),
    ("Peter Zulu", "male", 1988, None, "Mpika", "+260 95 555 0112"),
    ("Esther Phiri", "female", 1976, None, "Chipata", ""),
    ("Moses Lungu", "male", None, date(2024, 11, 2), "Isoka", ""),  # caregiver: see below
    ("Ruth Sakala", "female", 2003, None, "Mbala", "+260 97 555 0199"),
    ("Daniel Mulenga", "male", 1950, None, "Nakonde", ""),
    ("王小红", "female", 2015, None, "李家村", ""),
    ("Agnes Chilufya", "female", 1999, None, "Kasama", "+260 96 555 0131"),
    ("Samuel Ngoma", "male", 2012, None, "Mpika", ""),
    ("Mercy Kunda", "female", 1983, None, "Isoka", ""),
]


def _ensure_display() -> None:
    if os.environ.get("DISPLAY") or os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        return
    xvfb = shutil.which("xvfb-run")
    if not xvfb:
        sys.exit("screenshots: no DISPLAY and no xvfb-run (apt-get install xvfb)")
    cmd = [xvfb, "-a", "-s", f"-screen 0 {SIZE[0]}x{SIZE[1]}x24", sys.executable, *sys.argv]
    sys.exit(subprocess.call(cmd))


VISIT_NOTE_EN = (
    "Fever and cough for 3 days, worse at night. No chest pain. Eating less.\n"
    "Exam: alert, mild pallor, no chest indrawing, crackles right base.\n"
    "Assessment: probable community-acquired pneumonia; penicillin allergy noted.\n"
    "Plan: RDT for malaria, chest review tomorrow, oral fluids.")
VISIT_NOTE_ZH = (
    "主诉：发热、咳嗽3天，夜间加重。无胸痛，食欲下降。\n"
    "查体：神志清，轻度苍白，无胸凹陷，右下肺可闻及湿啰音。\n"
    "初步诊断：社区获得性肺炎可能；青霉素过敏。\n"
    "处理：疟疾快速检测，明日复查肺部，口服补液。")


def _fill_vault(data_dir: Path, chinese: bool = False) -> dict[str, str]:
    from lantern.domain.records import Caregiver, Vitals
    from lantern.services.session import VaultSession

    session, _key = VaultSession.create(data_dir, clinic_name="Mbala Rural Health Centre",
                                        admin_username="amina", passphrase=PASSPHRASE)
    ids = {}
    rec = session.records
    for name, sex, year, born, village, phone in PATIENTS:
        p = rec.add_patient(name=name, sex=sex, birth_year=year, birth_date=born,
                            village=village, phone=phone)
        ids[name] = p.id
    moses = rec.get_patient(ids["Moses Lungu"])
    rec.update_patient(dataclasses.replace(moses, caregiver=Caregiver(
        "Ruth Lungu", "mother", "+260 97 555 0164")))
    # a child's measurements for the Growth tab: three back-entered clinic visits (the
    # paper register, every three months) and today's, weight faltering
    for days_ago, weight, height, muac in ((270, 8.6, 72.5, 128), (180, 8.5, 74.0, 125),
                                           (90, 8.3, 75.5, 123)):
        earlier = rec.new_encounter(ids["Moses Lungu"],
                                    clinical_date=date.today() - timedelta(days=days_ago))
        rec.save_draft(earlier.id, note="Growth monitoring (register).",
                       vitals=Vitals(weight_kg=weight, height_cm=height, muac_mm=muac))
        rec.sign_encounter(earlier.id)
    child = rec.new_encounter(ids["Moses Lungu"])
    rec.save_draft(child.id, note="Cough for 2 days, eating less.",
                   vitals=Vitals(temp_c=37.9, resp_rate=38, weight_kg=8.1, height_cm=76.5, muac_mm=121))
    chanda = ids["Chanda Mwale"]
    rec.add_allergy(chanda, substance="Penicillin", reaction="hives", severity="severe")
    rec.add_allergy(chanda, substance="Sulfonamides", reaction="rash", severity="moderate")
    rec.add_medication(chanda, name="Ferrous sulfate", dose="200 mg", route="oral",
                       frequency="once daily")
    rec.add_problem(chanda, description="Iron-deficiency anaemia", icd10="D50.9")
    old = rec.new_encounter(chanda)
    rec.save_draft(old.id, note="Routine antenatal visit, 20 weeks. No complaints. "
                   "Fundal height appropriate.\nPlan: continue iron, review in 4 weeks.",
                   vitals=Vitals(temp_c=36.7, heart_rate=84, sbp=112, dbp=70, weight_kg=61))
    rec.sign_encounter(old.id)
    visit = rec.new_encounter(chanda)
    rec.save_draft(visit.id, note=VISIT_NOTE_ZH if chinese else VISIT_NOTE_EN,
        vitals=Vitals(temp_c=38.6, heart_rate=108, resp_rate=24, sbp=118, dbp=74, spo2=95,
                      weight_kg=62, hb_g_dl=10.4))
    ids["_visit"] = visit.id
    # follow-ups for the start screen's list (issue 16): overdue, today and this week
    today = date.today()
    fu = session.followups
    fu.add(patient_id=chanda, due=today + timedelta(days=2), programme="anc",
           reason="产检：4周后复诊" if chinese else "ANC in 4 weeks")
    fu.add(patient_id=ids["Moses Lungu"], due=today, programme="immunisation",
           reason="DTP-HepB-Hib 2, OPV2, PCV2, Rota 2")
    fu.add(patient_id=ids["Joseph Banda"], due=today - timedelta(days=7), programme="tb",
           visit_date=today - timedelta(days=37),     # seen a month ago, a week overdue
           source="schedule",                         # (from that visit's TB schedule)
           reason="抗结核药 1个月后取药" if chinese else "TB drugs refill in 1 month")
    _fill_surveillance(session, ids)
    session.lock()
    return ids


# Surveillance and reports (issue 17): three more patients in Kasama, confirmed diagnoses
# over the last three months (the Reports window), a bloody-diarrhoea cluster in Kasama
# last month, and a cholera case this week (an alert on the start screen and in the chart).
CLUSTER = [("Mary Mwansa", "female", 2023), ("John Bwalya", "male", 2024),
           ("Lucy Chola", "female", 2016)]
REPORT_CASES = [  # patient, days before the 15th of last month, condition (not Chanda,
    # Moses or Joseph: their charts and follow-ups have shots of their own)
    ("Daniel Mulenga", 20, "hypertension"), ("Peter Zulu", 3, "malaria_uncomplicated"),
    ("Esther Phiri", 5, "malaria_uncomplicated"), ("Ruth Sakala", 2, "uti_cystitis"),
    ("Daniel Mulenga", 8, "hypertension"), ("王小红", 6, "malaria_uncomplicated"),
    ("Agnes Chilufya", 9, "malaria_uncomplicated"), ("Samuel Ngoma", 1, "pneumonia"),
    ("Mercy Kunda", 4, "malaria_uncomplicated"), ("Grace Tembo", 10, "pneumonia"),
    ("Grace Tembo", -8, "malaria_uncomplicated"), ("Samuel Ngoma", -10, "scabies"),
    ("Peter Zulu", -12, "common_cold"), ("Agnes Chilufya", -9, "uti_cystitis"),
    ("Ruth Sakala", -6, "malaria_uncomplicated"), ("Esther Phiri", -13, "common_cold"),
    ("Mercy Kunda", 12, "conjunctivitis"), ("Daniel Mulenga", -3, "common_cold"),
    ("Samuel Ngoma", 42, "malaria_uncomplicated"), ("Peter Zulu", 35, "malaria_uncomplicated"),
    ("Esther Phiri", 48, "malaria_uncomplicated"), ("Mercy Kunda", 30, "malaria_uncomplicated"),
    ("Agnes Chilufya", 55, "malaria_uncomplicated"), ("Ruth Sakala", 25, "malaria_uncomplicated"),
]


def _fill_surveillance(session, ids: dict[str, str]) -> None:
    from lantern.domain.records import Vitals

    rec = session.records
    for name, sex, year in CLUSTER:
        ids[name] = rec.add_patient(name=name, sex=sex, birth_year=year, village="Kasama",
                                    confirmed_new=True).id
    today = date.today()
    mid = (today.replace(day=1) - timedelta(days=1)).replace(day=15)   # mid last month

    def case(name: str, day: date, condition: str) -> None:
        enc = rec.new_encounter(ids[name], clinical_date=day)
        rec.save_draft(enc.id, note="Register entry.", vitals=Vitals())
        rec.sign_encounter(enc.id)
        rec.confirm_diagnoses(enc.id, [condition])

    for name, back, condition in REPORT_CASES:
        case(name, mid - timedelta(days=back), condition)
    for i, (name, _sex, _year) in enumerate(CLUSTER):
        case(name, mid + timedelta(days=i % 2), "dysentery")
    case("Peter Zulu", today, "cholera")


def _shoot_alerts(window, settle, prefix: str, ids: dict[str, str]) -> None:
    """The start screen with a surveillance alert, and the chart of the patient involved."""
    window.show_followups()
    settle(600)
    window.alert_panel.list.setCurrentRow(0)
    window.grab().save(str(OUT / f"{prefix}start_alert.png"))
    print("wrote", OUT / f"{prefix}start_alert.png")
    window.open_patient(ids["Peter Zulu"])
    settle()
    window.grab().save(str(OUT / f"{prefix}chart_alert.png"))
    print("wrote", OUT / f"{prefix}chart_alert.png")


def _wait_for(signal, timeout_ms: int = 120_000) -> None:
    """Process events until ``signal`` fires (or the timeout passes)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    signal.disconnect(loop.quit)


def _shoot_reports(window, settle, prefix: str) -> None:
    """View → Reports…: last month's report (the bloody-diarrhoea curve: its cluster)."""
    window.open_reports()
    dialog = window.report_window
    _wait_for(dialog.ready)       # the report is computed in a process of its own
    dialog.disease.setCurrentIndex(max(0, dialog.disease.findData("malaria")))
    _wait_for(dialog.ready)
    dialog.resize(1280, 760)      # about what a 1366×768 clinic laptop shows
    settle(500)
    dialog.grab().save(str(OUT / f"{prefix}reports_window.png"))
    print("wrote", OUT / f"{prefix}reports_window.png")
    dialog.reject()
    settle()


def _shoot_create_dialog(data_dir: Path) -> None:
    """First start: the create-vault dialog, filled in, over an empty window."""
    from PySide6.QtCore import QEventLoop, QTimer

    from lantern.app import build_window

    data_dir.mkdir()
    window = build_window(data_dir=data_dir)
    window.resize(*SIZE)
    window.show()
    window.create_vault()
    dialog = window._create_dialog
    dialog.clinic.setText("Mbala Rural Health Centre")
    dialog.username.setText("amina")
    dialog.passphrase.setText("river lantern")
    dialog.confirm.setText("river lant")
    loop = QEventLoop()
    QTimer.singleShot(300, loop.quit)
    loop.exec()
    dialog.grab().save(str(OUT / "create_vault.png"))
    print("wrote", OUT / "create_vault.png")
    dialog.hide()
    window.hide()
    window.runner.shutdown()
    window.deleteLater()


def _shoot_admin_dialogs(window, settle, prefix: str) -> None:
    """Tools → Users… and Tools → Audit log… (after a chain check)."""
    window.open_users()
    settle()
    dialog = window.users_dialog
    dialog.select_username("amina")
    settle()
    dialog.grab().save(str(OUT / f"{prefix}users.png"))
    print("wrote", OUT / f"{prefix}users.png")
    dialog.reject()
    window.open_audit()
    settle()
    dialog = window.audit_dialog
    dialog.verify()
    settle()
    dialog.grab().save(str(OUT / f"{prefix}audit_log.png"))
    print("wrote", OUT / f"{prefix}audit_log.png")
    dialog.reject()
    settle()


def _shoot_growth(window, settle, prefix: str, ids: dict[str, str]) -> None:
    """A child's Growth tab: weight-for-age over the WHO curves (four visits, faltering)
    and the latest z-scores."""
    window.open_patient(ids["Moses Lungu"])
    settle()
    chart = window.chart
    chart.tabs.setCurrentIndex(chart.growth_tab)
    chart.growth.kind_box.setCurrentIndex(chart.growth.kind_box.findData("wfa"))
    settle()
    window.grab().save(str(OUT / f"{prefix}growth_chart.png"))
    print("wrote", OUT / f"{prefix}growth_chart.png")
    chart.tabs.setCurrentIndex(0)


def _shoot_registration(window, settle, prefix: str, ids: dict[str, str]) -> None:
    """A child's chart, the registration form with a caregiver, the possible-duplicates list shown when
    Esther Phiri is registered again, and an admin's merge of the two records."""
    from lantern.domain.records import Caregiver, Sex
    from lantern.gui.patient_dialog import PatientDialog

    window.open_patient(ids["Moses Lungu"])       # a child: the caregiver in the header
    settle()
    window.grab().save(str(OUT / f"{prefix}registration_child_chart.png"))
    print("wrote", OUT / f"{prefix}registration_child_chart.png")
    form = PatientDialog(parent=window)
    form.fill({"name": "Moses Lungu", "sex": Sex.MALE, "birth_date": date(2024, 11, 2),
               "birth_year": None, "village": "Isoka", "phone": "",
               "caregiver": Caregiver("Ruth Lungu", form.tr("mother"), "+260 97 555 0164")})
    form.show()
    settle()
    form.grab().save(str(OUT / f"{prefix}registration_form.png"))
    print("wrote", OUT / f"{prefix}registration_form.png")
    form.reject()
    again = {"name": "Ester Phiri", "sex": Sex.FEMALE, "birth_date": None, "birth_year": 1977,
             "village": "Chipata", "phone": "", "caregiver": Caregiver()}
    window.submit_new_patient(again)
    settle()
    dialog = window.duplicate_dialog
    dialog.grab().save(str(OUT / f"{prefix}registration_duplicates.png"))
    print("wrote", OUT / f"{prefix}registration_duplicates.png")
    dialog.done(2)                     # "This is a new patient": a second record to merge
    settle()
    window.chart.merge_bar.open_merge()
    settle()
    merge = window.chart.merge_bar.dialog
    merge.search.setText("Phiri")
    settle(400)
    merge.choose(ids["Esther Phiri"])
    settle()
    merge.grab().save(str(OUT / f"{prefix}merge.png"))
    print("wrote", OUT / f"{prefix}merge.png")
    merge.reject()
    settle()


def _shoot_followup_dialogs(window, settle, prefix: str, ids: dict[str, str],
                            chinese: bool) -> None:
    """The confirm step after signing a child's note (age in months, birth date), and
    Patient → Schedule follow-up… from an adult's chart."""
    from PySide6.QtWidgets import QDialog

    window.open_patient(ids["Moses Lungu"])
    settle()
    session = window.bridge.session
    enc = session.records.new_encounter(ids["Moses Lungu"])
    session.records.save_draft(enc.id, note=("咳嗽2天，进食减少。3天后复诊，如加重随时就诊。" if chinese
                                             else "Cough for 2 days, eating less. Review in 3 "
                                             "days, sooner if worse."), vitals=enc.vitals)
    window.offer_followup(session.records.sign_encounter(enc.id))
    settle(400)
    dialog = window.followup_dialog
    dialog.grab().save(str(OUT / f"{prefix}followup_confirm.png"))
    print("wrote", OUT / f"{prefix}followup_confirm.png")
    dialog.done(QDialog.DialogCode.Rejected)       # "No follow-up" (audited as declined)
    settle()
    window.open_patient(ids["Chanda Mwale"])
    settle()
    window.schedule_followup()
    settle()
    form = window.scheduler.dialog
    form.programme.setCurrentIndex(form.programme.findData("anc"))
    form.reason.setText("产检，复查血红蛋白" if chinese else "ANC contact; check Hb after iron")
    form.reason.setFocus()
    settle()
    form.grab().save(str(OUT / f"{prefix}followup_schedule.png"))
    print("wrote", OUT / f"{prefix}followup_schedule.png")
    form.reject()
    settle()


def _panel_extensions(models_dir: Path) -> list:
    """The app's side panels and model tools; summaries without the model so the
    screenshots are quick and reproducible (the model only rewords them)."""
    from lantern.gui.extensions import (
        install_assessment,
        install_interview,
        install_model_tools,
        install_orders,
        install_summary,
    )
    from lantern.llm.store import ModelStore
    from lantern.services.assessment import AssessmentService
    from lantern.services.interview import InterviewService
    from lantern.services.models import ModelService
    from lantern.services.summaries import SummaryService

    models = ModelService(store=ModelStore(models_dir=models_dir))
    models.ensure_default()   # the built-in model, assembled from its package as on first use

    def assessment(window):
        window.assessment_panel = install_assessment(window, assessment=AssessmentService())

    def summary(window):
        window.summary_panel = install_summary(window, summaries=SummaryService())

    # the same panels, in the same order, as the app (lantern.app.default_extensions)
    return [lambda window: install_model_tools(window, models=models), assessment, summary,
            install_orders, lambda window: install_interview(window, interview=InterviewService())]


def _shoot_panels(window, settle, prefix: str) -> None:
    """The assessment and summary side panels on the open encounter, and the model manager."""
    panel = window.assessment_panel
    panel.run_assessment()
    settle(600)
    panel.differential.setCurrentRow(0)
    tabs = window.encounter_view.side_tabs
    tabs.setCurrentWidget(panel)
    settle()
    window.grab().save(str(OUT / f"{prefix}assessment.png"))
    print("wrote", OUT / f"{prefix}assessment.png")
    _shoot_ask_next(window, settle, prefix)
    summary = window.summary_panel
    tabs.setCurrentWidget(summary)
    summary.start()
    settle(800)
    window.grab().save(str(OUT / f"{prefix}summary.png"))
    print("wrote", OUT / f"{prefix}summary.png")
    from lantern.gui.model_manager import ModelManagerDialog

    dialog = ModelManagerDialog(models=window.model_status.models, runner=window.runner,
                                parent=window)
    dialog.resize(1000, 600)
    dialog.show()
    settle(600)
    dialog.grab().save(str(OUT / f"{prefix}model_manager.png"))
    print("wrote", OUT / f"{prefix}model_manager.png")
    dialog.close()
    settle()


def _shoot_ask_next(window, settle, prefix: str) -> None:
    """The "Ask next" panel after two answers given by key (the note shows them)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    panel = window.interview_panel
    window.encounter_view.side_tabs.setCurrentWidget(panel)
    settle(400)
    for key in (Qt.Key.Key_2, Qt.Key.Key_1):
        panel.questions.setFocus()
        for kind in (QKeyEvent.Type.KeyPress, QKeyEvent.Type.KeyRelease):
            QApplication.sendEvent(panel.questions, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier))
        settle(400)
    window.grab().save(str(OUT / f"{prefix}ask_next.png"))
    print("wrote", OUT / f"{prefix}ask_next.png")


def _shoot_orders(window, settle, prefix: str, ids: dict[str, str]) -> None:
    """``orders.png``: a chronic-care review in the Orders panel, the chart's current
    medications renewed (one with a changed dose, a revision) and one more ready to add;
    then the encounter open before is opened again."""
    from datetime import date

    from lantern.domain.records import Vitals
    from lantern.gui.orders_panel import OrdersPanel

    zh = prefix == "zh_"
    session = window.bridge.session
    pid = ids["Joseph Banda"]
    for name, dose, freq in (("Glucophage 500mg", "1 g", "bd"), ("enalapril", "10 mg", "bd"),
                             ("络活喜 5mg" if zh else "Norvasc 5mg", "5 mg", "od"),
                             ("atorvastatin", "20 mg", "nocte")):
        session.records.add_medication(pid, name=name, dose=dose, route="oral", frequency=freq,
                                       started=date(2024, 1, 10))
    enc = session.records.new_encounter(pid)
    session.records.save_draft(enc.id, note=(
        "糖尿病、高血压复诊。血压146/92，空腹血糖6.8，eGFR 72。处理：续药，依那普利加量。" if zh else
        "Diabetes and hypertension review. BP 146/92, FBG 6.8, eGFR 72. Plan: repeat medicines, "
        "increase enalapril."), vitals=Vitals(weight_kg=82, sbp=146, dbp=92))
    window.open_patient(pid)
    settle(600)
    window.chart.open_encounter_row(0)
    settle(800)
    panel = window.findChildren(OrdersPanel)[0]
    window.encounter_view.side_tabs.setCurrentWidget(panel)
    settle(400)
    for row, dose in ((0, None), (1, 20), (3, None), (2, None)):
        panel.current.setCurrentIndex(row)
        panel.renew_selected()
        settle()
        if dose is not None:
            panel.dose.setValue(dose)           # a changed dose: the renewal becomes a revision
        if row != 2:
            panel.add_order()
            settle(300)
    window.grab().save(str(OUT / f"{prefix}orders.png"))
    print("wrote", OUT / f"{prefix}orders.png")
    window.open_patient(ids["Chanda Mwale"])
    settle(600)
    row = next(i for i, e in enumerate(window.chart._encounters) if e.id == ids["_visit"])
    window.chart.open_encounter_row(row)
    settle(600)


def _shoot_language_switch(host, window, settle):
    """Settings, then the same open encounter after switching to Chinese (live)."""
    from PySide6.QtCore import QTimer

    from lantern.gui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(minutes=5, language="", parent=window)
    dialog.language.setCurrentIndex(dialog.language.findData("zh_CN"))
    dialog.show()
    settle()
    dialog.grab().save(str(OUT / "settings.png"))
    print("wrote", OUT / "settings.png")
    dialog.close()
    window.encounter_view.side_tabs.setCurrentWidget(window.assessment_panel)
    new = host.switch_language("zh_CN")
    QTimer.singleShot(0, lambda: None)
    for _ in range(4):
        new.runner.wait_all(10)
        settle(300)
    new.grab().save(str(OUT / "language_switched.png"))
    print("wrote", OUT / "language_switched.png")
    return new


def _shoot_instruction_sheet(data_dir: Path, prefix: str, chinese: bool) -> None:
    """``instruction_sheet.png`` / ``zh_instruction_sheet.png``: the patient instruction
    sheet of a child's saved orders (amoxicillin syrup by weight, paracetamol syrup, ORS
    and zinc), as the printer lays out page 1 (``letter_print.page_images``)."""
    from lantern.domain.records import Sex, Vitals
    from lantern.gui import letter_print
    from lantern.services.instruction_layout import instruction_sheet, instruction_sheet_html
    from lantern.services.letter_layout import LetterContext, Letterhead, Referrer
    from lantern.services.session import VaultSession

    session, _key = VaultSession.create(data_dir, clinic_name="Mbala Rural Health Centre",
                                        admin_username="amina", passphrase=PASSPHRASE)
    rec = session.records
    child = rec.add_patient(name="王小明" if chinese else "Moses Lungu", sex=Sex.MALE,
                            birth_date=date.today() - timedelta(days=2 * 365 + 40))
    enc = rec.new_encounter(child.id)
    rec.save_draft(enc.id, note="咳嗽2天，呼吸快。" if chinese else "Cough for 2 days, fast breathing.",
                   vitals=Vitals(temp_c=38.4, resp_rate=48, weight_kg=12))
    orders = [("amoxicillin 250mg/5ml", 500, "mg", 2, 5), ("paracetamol 120mg/5ml syrup", 5, "ml", 4, 3),
              ("oral rehydration salts", 1, "sachet", 1, 3), ("zinc sulfate", 1, "tablet", 1, 10)]
    saved = rec.save_orders(enc.id, [{"drug": d, "dose": n, "unit": u, "route": "oral", "times_per_day": t,
                                      "days": days, "overrides": []} for d, n, u, t, days in orders]).orders
    lang = "zh" if chinese else "en"
    context = LetterContext(
        letterhead=Letterhead("Mbala Rural Health Centre", "Plot 12, Lusaka Road, Mbala", "+260 214 555 010"),
        referrer=Referrer("Amina Phiri", "clinician"),
        patient={"name": child.name, "id": child.id, "birth_date": child.birth_date.isoformat()})
    sheet = instruction_sheet(saved, lang=lang, start=context.written_at.date(), age_years=child.age_years())
    html = instruction_sheet_html(context=context, sheet=sheet)
    pages = letter_print.page_images(lambda _brk: html, dpi=110, whole_tables=True, footer=child.name)
    path = OUT / f"{prefix}instruction_sheet.png"
    pages[0].save(str(path))
    if os.environ.get("LANTERN_SHOT_ALL_PAGES"):
        for i, page in enumerate(pages[1:], 2):
            page.save(str(path.with_name(f"{path.stem}_p{i}.png")))
    print("wrote", path, f"({len(pages)} page(s))")
    session.lock()


def _lang() -> str | None:
    if "--lang" in sys.argv:
        i = sys.argv.index("--lang")
        return sys.argv[i + 1] if i + 1 < len(sys.argv) else None
    return None


def main() -> int:
    _ensure_display()
    lang = _lang()
    prefix = "zh_" if lang and lang.startswith("zh") else (f"{lang}_" if lang else "")
    os.environ.setdefault("LANTERN_KDF_PROFILE", "test")   # fast key derivation for the demo
    sys.path.insert(0, str(ROOT / "desktop"))
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from lantern.app import WindowHost, install_fonts, install_translations
    from lantern.gui.theme import apply_theme

    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_theme(app)
    install_fonts(app)
    if lang:
        install_translations(app, lang)
    OUT.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="lantern-shots-"))
    try:
        if "--only" in sys.argv and "instruction_sheet" in sys.argv:
            _shoot_instruction_sheet(tmp / "sheet", prefix, chinese=prefix == "zh_")
            return 0
        if not lang:
            _shoot_create_dialog(tmp / "first-start")
        ids = _fill_vault(tmp, chinese=prefix == "zh_")
        host = WindowHost(app, data_dir=tmp, extensions=_panel_extensions(tmp / "models"))
        window = host.window
        window.resize(*SIZE)
        window.show()
        window.start()

        def settle(ms: int = 250) -> None:
            window.runner.wait_all(10)
            loop = QEventLoop()
            QTimer.singleShot(ms, loop.quit)
            loop.exec()
            QCoreApplication.processEvents()

        def shot(name: str) -> None:
            settle()
            path = OUT / (prefix + name)
            window.grab().save(str(path))
            print("wrote", path)

        window.unlock_view.username.setText("amina")
        settle()
        shot("unlock.png")

        window.unlock_view.passphrase.setText(PASSPHRASE)
        window.unlock_view.try_unlock()
        settle()
        window.patient_list.table.selectRow(0)
        if not lang:
            shot("patient_list.png")
        window.show_followups()
        settle()
        window.followups.when.setCurrentIndex(window.followups.when.findData("all"))
        settle()
        from lantern.domain.followups import Outcome

        window.followups.table.selectRow(0)             # the overdue TB patient was called
        window.followups.record_outcome(Outcome.CALLED)
        settle(400)
        window.followups.table.selectRow(2)             # (the overdue row shows in red)
        shot("followups.png")

        window.open_patient(ids["Chanda Mwale"])
        settle()
        window.chart.encounter_table.selectRow(0)
        shot("patient_chart.png")

        view = window.encounter_view
        encs = window.chart._encounters
        row = next(i for i, e in enumerate(encs) if e.id == ids["_visit"])
        window.chart.open_encounter_row(row)
        settle()
        view.note.setFocus()
        shot("encounter.png")
        _shoot_panels(window, settle, prefix)
        _shoot_admin_dialogs(window, settle, prefix)
        _shoot_registration(window, settle, prefix, ids)
        _shoot_followup_dialogs(window, settle, prefix, ids, chinese=prefix == "zh_")
        _shoot_growth(window, settle, prefix, ids)
        _shoot_instruction_sheet(tmp / "sheet", prefix, chinese=prefix == "zh_")
        _shoot_alerts(window, settle, prefix, ids)
        _shoot_reports(window, settle, prefix)
        _shoot_orders(window, settle, prefix, ids)
        if not lang:
            window = _shoot_language_switch(host, window, settle)
        window.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
