"""One encounter: vitals, the note, autosave, signing and amendments.

Drafts are saved (encrypted, through ``save_draft``) about a second after typing
stops, when the note loses focus, and before any navigation, lock or quit, so a
power cut costs at most a second or two of typing. A signed note is read-only;
"Amend…" appends a dated amendment.

Extension points for other panels: :meth:`add_side_panel` (a tab on the right)
and the :attr:`encounter_changed` signal ``(note, vitals, age_years, sex,
pregnant)``, emitted shortly after every edit and when an encounter opens.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lantern.domain.ages import age_in_days
from lantern.domain.errors import PermissionDenied
from lantern.domain.records import Encounter, NoteStatus, Patient, Sex, Vitals
from lantern.gui.draft_handover import DraftBar, HandOverDialog, authorship_text
from lantern.gui.errors import MessageBox, show_error
from lantern.gui.formatting import format_date
from lantern.gui.resume import keep_draft
from lantern.gui.session_bridge import SessionBridge
from lantern.gui.theme import set_primary
from lantern.gui.vitals_form import VitalsForm
from lantern.services.draft_handover import DraftAccess, draft_access

AUTOSAVE_MS = 1200
CHANGED_DEBOUNCE_MS = 400


class AmendDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Amend signed note"))
        self.setMinimumSize(480, 260)
        info = QLabel(self.tr("The signed note stays as it is. Your amendment is added below "
                              "it with your name and the time."), self)
        info.setWordWrap(True)
        self.text = QPlainTextEdit(self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(info)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)


class EncounterView(QWidget):
    encounter_changed = Signal(str, object, object, str, bool)  # note, Vitals, age, sex, pregnant
    encounter_opened = Signal(object, object)  # Encounter, Patient
    back_requested = Signal()
    signed = Signal(object)            # the signed Encounter
    saved = Signal(object)             # after each successful draft save

    def __init__(self, *, bridge: SessionBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("encounterView")
        self._bridge = bridge
        self._encounter: Encounter | None = None
        self._patient: Patient | None = None
        self._edit_seq = 0
        self._saved_seq = 0
        self._loading = False
        self._fertile = False

        self.title = QLabel(self)
        self.title.setObjectName("patientFacts")
        self.status = QLabel(self)
        self.status.setObjectName("noteStatus")
        self.back_button = QPushButton(self.tr("← &Chart"), self)
        self.back_button.setToolTip(self.tr("Back to the patient chart (Alt+C)"))
        self.sign_button = set_primary(QPushButton(self.tr("&Sign note"), self))
        self.sign_button.setToolTip(self.tr("Sign the note (Ctrl+Shift+S)"))
        self.amend_button = QPushButton(self.tr("A&mend…"), self)
        self.hand_over_button = QPushButton(self.tr("Hand &over…"), self)
        self.hand_over_button.setToolTip(self.tr("Hand this draft over to a colleague"))
        self.hand_over_button.clicked.connect(self.request_hand_over)
        self.back_button.clicked.connect(self.go_back)
        self.sign_button.clicked.connect(self.request_sign)
        self.amend_button.clicked.connect(self.request_amend)
        QShortcut(QKeySequence("Ctrl+Shift+S"), self, self.request_sign,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addWidget(self.title, 1)
        top.addWidget(self.status)
        top.addWidget(self.amend_button)
        top.addWidget(self.hand_over_button)
        top.addWidget(self.sign_button)
        self.draft_bar = DraftBar(self)
        self.draft_bar.take_over_button.clicked.connect(self.request_take_over)
        self.authorship = QLabel(self)
        self.authorship.setObjectName("authorship")
        self.authorship.setWordWrap(True)
        self.authorship.setStyleSheet("color:#555")
        self.authorship.hide()

        self.signed_banner = QLabel(self)
        self.signed_banner.setObjectName("signedBanner")
        self.signed_banner.setWordWrap(True)
        self.signed_banner.hide()

        self.vitals = VitalsForm(self)
        self.pregnant = QCheckBox(self.tr("Pre&gnant"), self)
        vitals_box = QGroupBox(self.tr("Vital signs"), self)
        vbox = QVBoxLayout(vitals_box)
        vbox.addWidget(self.vitals)
        vbox.addWidget(self.pregnant)
        self.note = QPlainTextEdit(self)
        self.note.setObjectName("noteEditor")
        self.note.setPlaceholderText(self.tr(
            "History, examination, assessment and plan…"))
        self.note.installEventFilter(self)
        note_box = QGroupBox(self.tr("&Note"), self)
        nbox = QVBoxLayout(note_box)
        nbox.addWidget(self.note, 1)
        self.amendments = QPlainTextEdit(self)
        self.amendments.setObjectName("amendmentsView")
        self.amendments.setReadOnly(True)
        self.amendments.setMaximumHeight(120)
        self.amendments.hide()
        nbox.addWidget(self.amendments)

        left = QWidget(self)
        lbox = QVBoxLayout(left)
        lbox.setContentsMargins(0, 0, 0, 0)
        lbox.addWidget(vitals_box)
        lbox.addWidget(note_box, 1)
        self.side_tabs = QTabWidget(self)
        self.side_tabs.setObjectName("encounterSidePanels")
        self.side_tabs.hide()
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.side_tabs)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addLayout(top)
        layout.addWidget(self.signed_banner)
        layout.addWidget(self.draft_bar)
        layout.addWidget(self.authorship)
        layout.addWidget(self.splitter, 1)

        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self.save_now)
        self._changed_timer = QTimer(self)
        self._changed_timer.setSingleShot(True)
        self._changed_timer.setInterval(CHANGED_DEBOUNCE_MS)
        self._changed_timer.timeout.connect(self._emit_changed)
        self.note.textChanged.connect(self._edited)
        self.vitals.changed.connect(self._edited)
        self.pregnant.toggled.connect(lambda _on: self._edited())

    # --- extension points ----------------------------------------------------
    def add_side_panel(self, widget: QWidget, title: str) -> int:
        """Add a tab on the right of the encounter (assessment, summary…)."""
        index = self.side_tabs.addTab(widget, title)
        if self.side_tabs.isHidden():
            self.side_tabs.show()
            total = max(self.splitter.width(), 900)
            self.splitter.setSizes([total * 11 // 20, total * 9 // 20])
        return index

    @property
    def has_side_panels(self) -> bool:
        return self.side_tabs.count() > 0

    def current_context(self) -> tuple[str, Vitals, float | None, str, bool]:
        age = self._patient.age_years() if self._patient else None
        sex = str(self._patient.sex) if self._patient else ""
        return (self.note.toPlainText(), self.vitals.vitals(), age, sex,
                self.pregnant.isChecked() and self.pregnant.isEnabled())

    @property
    def encounter(self) -> Encounter | None:
        return self._encounter

    @property
    def patient(self) -> Patient | None:
        return self._patient

    # --- loading ---------------------------------------------------------------
    def open_encounter(self, encounter: Encounter, patient: Patient) -> None:
        self._loading = True
        self._encounter = encounter
        self._patient = patient
        self.note.setPlainText(encounter.note)
        when = encounter.created_at.date() if encounter.created_at else None
        self.vitals.set_child(sex=patient.sex.value,
                              age_days=age_in_days(birth_date=patient.birth_date, today=when))
        self.vitals.set_vitals(encounter.vitals)
        age = patient.age_years()
        fertile = patient.sex == Sex.FEMALE and (age is None or 10 <= age <= 55)
        self._fertile = fertile
        self.pregnant.setEnabled(fertile)
        self.pregnant.setChecked(fertile and encounter.pregnant)
        self._edit_seq = self._saved_seq = 0
        self._loading = False
        self._show_state()
        self.encounter_opened.emit(encounter, patient)
        self._emit_changed()

    def _show_state(self) -> None:
        enc = self._encounter
        if enc is None:
            return
        signed = enc.status == NoteStatus.SIGNED
        self.title.setText(self.tr("Encounter of %1 by %2").replace(
            "%1", format_date(enc.created_at)).replace("%2", enc.author))
        # known before any typing: a draft this user may not edit opens read-only
        access = self.access()
        read_only = access is not DraftAccess.EDIT
        self.note.setReadOnly(read_only)
        self.note.setProperty("readOnly", read_only)
        self.vitals.set_read_only(read_only)
        self.pregnant.setEnabled(not read_only and self._fertile)
        self.sign_button.setVisible(access is DraftAccess.EDIT)
        self.hand_over_button.setVisible(access is DraftAccess.EDIT)
        self.amend_button.setVisible(signed)
        self.draft_bar.show_for(access, enc)
        trail = authorship_text(enc)
        self.authorship.setText(trail)
        self.authorship.setVisible(bool(trail))
        if signed:
            self.signed_banner.setText(self.tr(
                "Signed by %1 on %2. A signed note cannot be changed; use Amend… to add to it.")
                .replace("%1", enc.signed_by or "").replace("%2", format_date(enc.signed_at)))
            self.status.setText(self.tr("Signed"))
        elif read_only:
            self.status.setText(self.tr("Read-only draft"))
        else:
            self.status.setText(self.tr("Draft"))
        self.signed_banner.setVisible(signed)
        lines = [f"[{format_date(a.at)} · {a.author}] {a.text}" for a in enc.amendments]
        self.amendments.setPlainText("\n\n".join(lines))
        self.amendments.setVisible(bool(lines))

    def clear(self) -> None:
        """Forget everything shown (after a lock); does not save."""
        self._autosave.stop()
        self._changed_timer.stop()
        self._loading = True
        self._encounter = None
        self._patient = None
        self.note.clear()
        self.amendments.clear()
        self.vitals.set_child(sex=None, age_days=None)
        self.vitals.clear()
        self.title.clear()
        self.signed_banner.clear()
        self.status.clear()
        self._loading = False
        for i in range(self.side_tabs.count()):
            panel = self.side_tabs.widget(i)
            if panel is not None and hasattr(panel, "clear_patient_data"):
                panel.clear_patient_data()

    # --- editing and saving -----------------------------------------------------
    def access(self) -> DraftAccess:
        """What the signed-in user may do with the open encounter."""
        session = self._bridge.session
        if self._encounter is None or session is None:
            return DraftAccess.READ_ONLY
        return draft_access(session.user, self._encounter)

    def _edited(self) -> None:
        if self._loading or self._encounter is None:
            return
        if self.access() is not DraftAccess.EDIT:
            return
        self._edit_seq += 1
        self.status.setText(self.tr("Editing…"))
        self._autosave.start()
        self._changed_timer.start()

    def _emit_changed(self) -> None:
        if self._encounter is not None:
            self.encounter_changed.emit(*self.current_context())

    def flush_changes(self) -> None:
        """Deliver a change still waiting for its debounce now (a panel about to read the
        encounter, e.g. Assess pressed right after typing)."""
        if self._changed_timer.isActive():
            self._changed_timer.stop()
            self._emit_changed()

    @property
    def has_unsaved_changes(self) -> bool:
        return self._edit_seq != self._saved_seq

    def save_now(self) -> None:
        """Queue a draft save if anything changed since the last one."""
        self._autosave.stop()
        enc = self._encounter
        if enc is None or self.access() is not DraftAccess.EDIT or not self.has_unsaved_changes:
            return
        seq = self._edit_seq
        note, vitals = self.note.toPlainText(), self.vitals.vitals()
        pregnant = self.pregnant.isChecked() and self.pregnant.isEnabled()
        self.status.setText(self.tr("Saving…"))

        def done(saved: Encounter) -> None:
            if self._encounter is None or saved.id != self._encounter.id:
                return
            self._encounter = saved
            self._saved_seq = max(self._saved_seq, seq)
            self.authorship.setText(authorship_text(saved))
            if not self.has_unsaved_changes:
                self.status.setText(self.tr("Draft saved %1").replace(
                    "%1", datetime.now().strftime("%H:%M:%S")))
            self.saved.emit(saved)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, PermissionDenied):
                # Taken over by a colleague meanwhile: what was typed stays on screen to copy.
                self.note.setReadOnly(True)
                self.vitals.set_read_only(True)
                self._saved_seq = self._edit_seq
                self.status.setText(self.tr("Draft NOT saved: a colleague holds it now"))
            else:
                self.status.setText(self.tr("Draft NOT saved"))
            show_error(self, exc)

        self._bridge.call(lambda s: s.records.save_draft(enc.id, note=note, vitals=vitals,
                                                         pregnant=pregnant),
                          on_success=done, on_failure=failed, label=self.tr("Saving draft…"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.note and event.type() == QEvent.Type.FocusOut:
            self.flush_changes()        # a panel's button clicked next reads this note
            self.save_now()
        return super().eventFilter(watched, event)

    def go_back(self) -> None:
        self.save_now()
        self.back_requested.emit()

    # --- drafts across colleagues ---------------------------------------------------
    def request_take_over(self) -> None:
        enc = self._encounter
        if enc is None or self.access() is not DraftAccess.TAKE_OVER:
            return
        if not MessageBox.question(self, title=self.tr("Take over draft"), text=self.tr(
                "Take over the draft %1 is writing? You continue it and sign it; %1 can no longer "
                "edit it. Both are recorded.").replace("%1", enc.editor)):
            return
        enc_id = enc.id
        self._bridge.call(lambda s: s.records.take_over_draft(enc_id), on_success=self._holder_changed,
                          label=self.tr("Taking over draft…"))

    def request_hand_over(self) -> None:
        if self._encounter is None or self.access() is not DraftAccess.EDIT:
            return
        self._bridge.call(lambda s: s.users.colleagues(), on_success=self._choose_colleague,
                          label=self.tr("Loading colleagues…"))

    def _choose_colleague(self, colleagues: list) -> None:
        dialog = HandOverDialog(colleagues, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.chosen():
            self.hand_over_to(dialog.chosen())

    def hand_over_to(self, username: str) -> None:
        """Save what was typed, then hand the draft to ``username``."""
        enc = self._encounter
        if enc is None or self.access() is not DraftAccess.EDIT:
            return
        self.save_now()                 # queued first in the same lane
        enc_id = enc.id
        self._bridge.call(lambda s: s.records.hand_over_draft(enc_id, to=username),
                          on_success=self._holder_changed, label=self.tr("Handing over draft…"))

    def _holder_changed(self, enc: Encounter) -> None:
        if self._encounter is None or enc.id != self._encounter.id:
            return
        self._encounter = enc
        self._show_state()
        if self.access() is DraftAccess.EDIT:
            self.note.setFocus()
        self.saved.emit(enc)

    # --- signing and amending ------------------------------------------------------
    def request_sign(self) -> None:
        enc = self._encounter
        if enc is None or self.access() is not DraftAccess.EDIT:
            return
        problems = self.vitals.problems()
        if problems:
            MessageBox.warning(self, title=self.tr("Cannot sign yet"),
                               text="\n".join(problems))
            return
        if not self.note.toPlainText().strip():
            MessageBox.warning(self, title=self.tr("Cannot sign yet"),
                               text=self.tr("The note is empty."))
            return
        if not MessageBox.question(self, title=self.tr("Sign note"), text=self.tr(
                "Sign this note? After signing it can no longer be edited, only amended.")):
            return
        self.save_now()
        enc_id = enc.id
        self._bridge.call(lambda s: s.records.sign_encounter(enc_id),
                          on_success=self._signed, label=self.tr("Signing…"))

    def _signed(self, enc: Encounter) -> None:
        if self._encounter is None or enc.id != self._encounter.id:
            return
        self._encounter = enc
        self._saved_seq = self._edit_seq
        self._show_state()
        self.signed.emit(enc)

    def request_amend(self) -> None:
        if self._encounter is None or self._encounter.status != NoteStatus.SIGNED:
            return
        dialog = AmendDialog(self)
        keep_draft(dialog, "amend", encounter_id=self._encounter.id)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        text = dialog.text.toPlainText()
        dialog.deleteLater()     # a hidden dialog would keep what was typed after a lock
        if accepted and text.strip():
            self.submit_amendment(text)

    def submit_amendment(self, text: str) -> None:
        enc = self._encounter
        if enc is None:
            return
        self._bridge.call(lambda s: s.records.amend_encounter(enc.id, text),
                          on_success=self._signed, label=self.tr("Saving amendment…"))
