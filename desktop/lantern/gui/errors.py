"""The one place where exceptions become message boxes.

:class:`MessageBox` wraps ``QMessageBox`` so tests can answer a dialog before it
appears: ``MessageBox.set_next_answer(QMessageBox.StandardButton.Ok)`` makes the
next dialog return that button at once without showing anything, and every
dialog shown or answered is recorded in ``MessageBox.history`` as
``(title, text)`` so a test can check what the user would have read.
"""

from __future__ import annotations

import logging
import traceback

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from lantern.domain import errors as E

log = logging.getLogger(__name__)

Button = QMessageBox.StandardButton
Icon = QMessageBox.Icon



class MessageBox:
    """Modal message boxes whose answers tests can preset."""

    _next_answers: list[Button] = []
    history: list[tuple[str, str]] = []
    # When set, a dialog with no preset answer returns this instead of blocking
    # (the GUI test suite sets it so a surprise dialog can never hang a test).
    fallback_answer: Button | None = None

    @classmethod
    def set_next_answer(cls, button: Button) -> None:
        """The next dialog returns ``button`` immediately (tests)."""
        cls._next_answers.append(button)

    @classmethod
    def clear(cls) -> None:
        cls._next_answers.clear()
        cls.history.clear()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        *,
        icon: Icon,
        title: str,
        text: str,
        buttons: Button = Button.Ok,
        default: Button = Button.NoButton,
        details: str = "",
    ) -> Button:
        cls.history.append((title, text))
        if cls._next_answers:
            return cls._next_answers.pop(0)
        if cls.fallback_answer is not None:
            return cls.fallback_answer
        box = QMessageBox(icon, title, text, buttons, parent)
        box.setObjectName("lanternMessageBox")
        if default != Button.NoButton:
            box.setDefaultButton(default)
        if details:
            box.setDetailedText(details)
        answer = Button(box.exec())
        box.deleteLater()
        return answer

    @classmethod
    def critical(cls, parent: QWidget | None, *, title: str, text: str) -> Button:
        return cls.ask(parent, icon=Icon.Critical, title=title, text=text)

    @classmethod
    def warning(cls, parent: QWidget | None, *, title: str, text: str) -> Button:
        return cls.ask(parent, icon=Icon.Warning, title=title, text=text)

    @classmethod
    def information(cls, parent: QWidget | None, *, title: str, text: str) -> Button:
        return cls.ask(parent, icon=Icon.Information, title=title, text=text)

    @classmethod
    def question(cls, parent: QWidget | None, *, title: str, text: str,
                 default: Button = Button.No) -> bool:
        answer = cls.ask(parent, icon=Icon.Question, title=title, text=text,
                         buttons=Button.Yes | Button.No, default=default)
        return answer == Button.Yes


def _title_for(exc: BaseException) -> str:
    if isinstance(exc, E.AuthError):
        return QCoreApplication.translate("errors", "Cannot unlock")
    if isinstance(exc, E.PermissionDenied):
        return QCoreApplication.translate("errors", "Not allowed")
    if isinstance(exc, E.ValidationError):
        return QCoreApplication.translate("errors", "Please check the input")
    if isinstance(exc, E.Locked):
        return QCoreApplication.translate("errors", "Vault locked")
    if isinstance(exc, E.DamagedRecord | E.IntegrityError):
        return QCoreApplication.translate("errors", "Damaged data")
    if isinstance(exc, E.StorageFull):
        return QCoreApplication.translate("errors", "Disk full")
    if isinstance(exc, E.VaultError):
        return QCoreApplication.translate("errors", "Vault problem")
    if isinstance(exc, E.ModelError):
        return QCoreApplication.translate("errors", "Language model problem")
    if isinstance(exc, E.NotFound):
        return QCoreApplication.translate("errors", "Not found")
    return QCoreApplication.translate("errors", "Error")


def message_for(exc: BaseException) -> str:
    """The text shown for ``exc``: its own message for a LanternError, else a
    generic sentence (other exception messages may carry patient data)."""
    if isinstance(exc, E.LanternError):
        text = str(exc).strip()
        return text or QCoreApplication.translate("errors", "The operation failed.")
    if isinstance(exc, MemoryError):
        return QCoreApplication.translate("errors", "The computer ran out of memory. Close other programs and try again.")
    if isinstance(exc, OSError):
        return QCoreApplication.translate("errors", "A file could not be read or written ({kind}).").format(kind=type(exc).__name__)
    return QCoreApplication.translate("errors", "Something unexpected went wrong ({kind}). Your saved work is safe; "
               "details were written to the log.").format(kind=type(exc).__name__)


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    """Tell the user about ``exc``. ``Cancelled`` is silent."""
    if isinstance(exc, E.Cancelled):
        return
    if isinstance(exc, E.LanternError):
        log.info("shown error: %s", type(exc).__name__)
    else:
        # Frames only: the exception's message could contain patient text.
        frames = "".join(traceback.format_tb(exc.__traceback__))
        log.error("unexpected %s\n%s", type(exc).__name__, frames)
    MessageBox.critical(parent, title=_title_for(exc), text=message_for(exc))
