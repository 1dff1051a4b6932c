"""show_error: one place, safe messages, preset answers."""

from __future__ import annotations

from lantern.domain.errors import AuthError, Cancelled, DamagedRecord
from lantern.gui.errors import Button, MessageBox, message_for, show_error


def test_lantern_error_shows_its_message(qtbot):
    show_error(None, AuthError("Wrong user name or passphrase."))
    assert MessageBox.history == [("Cannot unlock", "Wrong user name or passphrase.")]


def test_unexpected_error_hides_its_message():
    exc = KeyError("Amina Tembo")   # could carry patient data
    text = message_for(exc)
    assert "Amina" not in text and "KeyError" in text


def test_damaged_record_title(qtbot):
    show_error(None, DamagedRecord("One record is damaged."))
    assert MessageBox.history[-1][0] == "Damaged data"


def test_cancelled_is_silent(qtbot):
    show_error(None, Cancelled("stop"))
    assert MessageBox.history == []


def test_preset_answers_are_used_in_order(qtbot):
    MessageBox.set_next_answer(Button.No)
    MessageBox.set_next_answer(Button.Yes)
    assert MessageBox.question(None, title="Q1", text="first?") is False
    assert MessageBox.question(None, title="Q2", text="second?") is True
    assert [t for t, _ in MessageBox.history] == ["Q1", "Q2"]
