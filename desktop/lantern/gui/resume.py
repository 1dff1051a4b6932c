"""Resume after a lock: the same user comes back to where they were.

Just before a lock, :class:`ResumeKeeper` captures what the user had on screen
(the open patient, chart tab, encounter, the note's cursor) and the typed contents
of every open input dialog that called :func:`keep_draft` (patient registration and
editing, allergy / medication / problem entry, …). That state is sealed under the
vault's data key for that user (``services/resume.py``) in the vault lane, before
the lock runs there, and kept **in memory only**:

- not on disk, because it holds patient text (a half-typed allergy) that has no
  audited record of its own, and the note draft itself is already saved in the
  vault by the lock; a crash while locked loses only the half-typed dialog text;
- sealed, not in clear, because after the lock the data key is wiped: until the
  vault is unlocked again nothing in the process can read it, and the sealed bytes
  are bound to the user name, so another user's session cannot open them.

After an unlock by the same user the state is opened and put back: the chart, the
encounter and cursor, then the dialogs with what was typed. Another user starts at
the start screen; the first user's sealed state waits for them (one per user).

Dialogs take part with one call, ``keep_draft(dialog, key, **args)``: ``key`` names
how the window reopens that dialog (a reopener the window registers), ``args``
(opaque ids, list names: never patient text) say for what; the dialog's input
widgets are captured and restored generically (:func:`capture_inputs`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QCalendarWidget,
    QComboBox,
    QDateEdit,
    QDialog,
    QDoubleSpinBox,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTextEdit,
    QWidget,
)

from lantern.gui.runner import TaskRunner
from lantern.gui.session_bridge import SessionBridge
from lantern.services.resume import open_state, seal_state

DRAFT_PROPERTY = "lanternDraft"     # on a dialog: JSON {"key", "args"} (see keep_draft)
_INPUTS_ATTR = "_lantern_draft_inputs"

Reopener = Callable[[dict[str, str]], None]


# --- the generic capture of a dialog's input widgets ---------------------------------
def _attribute_names(root: QWidget) -> dict[int, str]:
    """Widgets the dialog keeps as attributes (``self.name``) or in a dict attribute
    (``self.editors["substance"]``), by their Python names: stable keys."""
    names: dict[int, str] = {}
    for attr, value in vars(root).items():
        if isinstance(value, QWidget):
            names.setdefault(id(value), attr)
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, QWidget):
                    names.setdefault(id(item), f"{attr}.{key}")
    return names


def _inputs(root: QWidget) -> list[tuple[str, QWidget]]:
    """The input widgets of ``root``, each with a key that the same dialog built again
    gives the same widget: its attribute name, else its object name, else its type and
    index (child order alone is not stable: a stacked widget raises its current page)."""
    out: list[tuple[str, QWidget]] = []
    counts: dict[str, int] = {}
    names = _attribute_names(root)
    for w in root.findChildren(QWidget):
        if _inside_another_input(w, root):
            continue    # the editor in a spin box or combo box, a date popup's year box, …
        if isinstance(w, QAbstractButton) and not w.isCheckable():
            continue
        kind = next((k.__name__ for k in (QComboBox, QDateEdit, QDoubleSpinBox, QSpinBox,
                                          QLineEdit, QPlainTextEdit, QTextEdit, QAbstractButton)
                     if isinstance(w, k)), None)
        if kind is None:
            continue
        name = names.get(id(w)) or (f"#{w.objectName()}" if w.objectName() else "")
        if not name:
            index = counts.get(kind, 0)
            counts[kind] = index + 1
            name = f"{kind}:{index}"
        out.append((name, w))
    return out


def _inside_another_input(widget: QWidget, root: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        if isinstance(parent, (QAbstractSpinBox, QComboBox, QCalendarWidget)):
            return True
        parent = parent.parentWidget()
    return False


def capture_inputs(root: QWidget) -> dict[str, Any]:
    """What was typed or chosen in ``root``'s input widgets (JSON-able)."""
    state: dict[str, Any] = {}
    for key, w in _inputs(root):
        if isinstance(w, QComboBox):
            state[key] = [w.currentIndex(), w.currentText() if w.isEditable() else ""]
        elif isinstance(w, QDateEdit):
            state[key] = w.date().toString("yyyy-MM-dd")
        elif isinstance(w, (QSpinBox, QDoubleSpinBox)):
            state[key] = w.value()
        elif isinstance(w, QLineEdit):
            state[key] = w.text()
        elif isinstance(w, (QPlainTextEdit, QTextEdit)):
            state[key] = w.toPlainText()
        elif isinstance(w, QAbstractButton):
            state[key] = w.isChecked()
    return state


def restore_inputs(root: QWidget, state: dict[str, Any]) -> None:
    """Put back what :func:`capture_inputs` captured (combo boxes first: they may
    switch which other fields are shown). Keys that do not match are skipped."""
    widgets = _inputs(root)
    widgets.sort(key=lambda kw: not isinstance(kw[1], QComboBox))
    for key, w in widgets:
        value = state.get(key)
        if value is None:
            continue
        if isinstance(w, QComboBox) and isinstance(value, list) and len(value) == 2:
            w.setCurrentIndex(int(value[0]))
            if w.isEditable():
                w.setCurrentText(str(value[1]))
        elif isinstance(w, QDateEdit) and isinstance(value, str):
            w.setDate(QDate.fromString(value, "yyyy-MM-dd"))
        elif isinstance(w, QSpinBox) and isinstance(value, int):
            w.setValue(value)
        elif isinstance(w, QDoubleSpinBox) and isinstance(value, (int, float)):
            w.setValue(float(value))
        elif isinstance(w, QLineEdit) and isinstance(value, str):
            w.setText(value)
        elif isinstance(w, (QPlainTextEdit, QTextEdit)) and isinstance(value, str):
            w.setPlainText(value)
        elif isinstance(w, QAbstractButton) and isinstance(value, bool):
            w.setChecked(value)


def keep_draft(dialog: QDialog, key: str, *, inputs: Callable[[], dict[str, Any]] | None = None,
               **args: str) -> None:
    """Let ``dialog``'s typed input survive a lock: captured (sealed) at the lock and
    put back when the same user unlocks and the window reopens it via the reopener
    registered for ``key`` with ``args``. Call it when building the dialog, before it
    is shown; if a draft for ``key`` and ``args`` is waiting, it is filled in now.
    ``inputs``: what to keep instead of the dialog's own fields (a dialog that stands
    for another one, e.g. the duplicates list for the registration form it came from)."""
    dialog.setProperty(DRAFT_PROPERTY, json.dumps({"key": key, "args": args}))
    setattr(dialog, _INPUTS_ATTR, inputs)
    keeper = ResumeKeeper.find(dialog)
    if keeper is not None:
        keeper.fill_waiting(dialog, key, args)


def _dialog_inputs(dialog: QDialog) -> dict[str, Any]:
    inputs = getattr(dialog, _INPUTS_ATTR, None)
    return inputs() if callable(inputs) else capture_inputs(dialog)


def _draft_of(dialog: QDialog) -> tuple[str, dict[str, str]] | None:
    raw = dialog.property(DRAFT_PROPERTY)
    if not isinstance(raw, str):
        return None
    data = json.loads(raw)
    return str(data["key"]), {str(k): str(v) for k, v in data["args"].items()}


# --- the keeper ---------------------------------------------------------------------
class ResumeKeeper(QObject):
    """Seals "where I was" at each lock (per user, in memory) and puts it back at the
    same user's next unlock. The window gives the two halves that know its widgets:
    ``position()`` (a JSON-able dict, or {}) and ``go_to(position, then)``."""

    restored = Signal()      # the position and dialogs of the last lock were put back

    def __init__(self, *, bridge: SessionBridge, runner: TaskRunner,
                 position: Callable[[], dict[str, Any]],
                 go_to: Callable[[dict[str, Any], Callable[[], None]], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self._runner = runner
        self._position = position
        self._go_to = go_to
        self._sealed: dict[str, bytes] = {}          # user name -> sealed state
        self._reopeners: dict[str, Reopener] = {}
        self._waiting: list[dict[str, Any]] = []     # dialogs to fill when reopened
        self._resuming: dict[str, Any] | None = None  # opened, the chart not yet back

    @staticmethod
    def find(widget: QWidget) -> ResumeKeeper | None:
        """The keeper of the window ``widget`` belongs to (None outside a main window)."""
        w: QWidget | None = widget
        while w is not None:
            keeper = getattr(w, "resume", None)
            if isinstance(keeper, ResumeKeeper):
                return keeper
            w = w.parentWidget()
        return None

    def add_reopener(self, key: str, reopen: Reopener) -> None:
        self._reopeners[key] = reopen

    # --- lock --------------------------------------------------------------------
    def capture(self) -> None:
        """Seal the position and open input dialogs of the signed-in user (call before
        the dialogs are closed and the session is locked)."""
        # locked again before everything was put back: what was not put back yet is kept
        resuming, self._resuming = self._resuming, None
        waiting, self._waiting = self._waiting, []
        session = self._bridge.session
        if session is None:
            return
        username = session.user.username
        dialogs = list(resuming["dialogs"]) if resuming else list(waiting)
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                draft = _draft_of(widget)
                if draft is not None:
                    dialogs.append({"key": draft[0], "args": draft[1],
                                    "inputs": _dialog_inputs(widget)})
        state = {"position": resuming["position"] if resuming else self._position(),
                 "dialogs": dialogs}
        self._sealed.pop(username, None)
        if not state["position"] and not dialogs:
            return

        def store(blob: bytes | None) -> None:
            if blob is not None:
                self._sealed[username] = blob

        # in the vault lane: after the draft save queued before it, before the lock
        self._runner.submit(lambda ctx: seal_state(session.context, state),
                            on_success=store, on_failure=lambda exc: None,
                            label=self.tr("Locking…"))

    @property
    def sealed_users(self) -> list[str]:
        return sorted(self._sealed)

    def sealed_blob(self, username: str) -> bytes | None:
        return self._sealed.get(username)

    def export_sealed(self) -> dict[str, bytes]:
        """For a rebuilt window (language switch while locked)."""
        return dict(self._sealed)

    def import_sealed(self, sealed: dict[str, bytes]) -> None:
        self._sealed.update(sealed)

    # --- unlock ------------------------------------------------------------------
    def resume(self) -> bool:
        """After an unlock: put back this user's state if one was sealed (True)."""
        session = self._bridge.session
        self._waiting, self._resuming = [], None
        if session is None:
            return False
        blob = self._sealed.pop(session.user.username, None)
        if blob is None:
            return False
        self._bridge.call(lambda s: open_state(s.context, blob), on_success=self._put_back,
                          on_failure=lambda exc: None, label=self.tr("Returning to your work…"))
        return True

    def _put_back(self, state: dict[str, Any] | None) -> None:
        if not state:
            return
        dialogs = [d for d in state.get("dialogs", []) if isinstance(d, dict)
                   and d.get("key") in self._reopeners]
        position = state.get("position") or {}

        def reopen_dialogs() -> None:
            self._resuming = None
            self._waiting = list(dialogs)
            for d in dialogs:   # after this slot returns: reopening may run a dialog's exec()
                QTimer.singleShot(0, lambda d=d: self._reopen(d))
            QTimer.singleShot(0, self.restored.emit)

        self._resuming = {"position": position, "dialogs": dialogs}
        self._go_to(position, reopen_dialogs)

    def _reopen(self, dialog: dict[str, Any]) -> None:
        if self._bridge.is_open and dialog in self._waiting:
            self._reopeners[dialog["key"]](dict(dialog.get("args", {})))

    def fill_waiting(self, dialog: QDialog, key: str, args: dict[str, str]) -> None:
        for d in self._waiting:
            if d.get("key") == key and d.get("args", {}) == args:
                self._waiting.remove(d)
                restore_inputs(dialog, d.get("inputs", {}))
                return
