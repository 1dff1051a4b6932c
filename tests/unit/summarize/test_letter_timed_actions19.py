"""A referral letter keeps what the note did at a stated time before referral, beyond the cap
on its list of actions (issue 13, point 4: treatment given before referral with times).

A note written for this test (not from any evaluation set): more actions in the plan than a
letter lists, the last ones timed.
"""

from __future__ import annotations

from lantern.clinical.summarize.referral import build_referral

NOTE = """Dx: severe head injury.
Plan:
- head up 30 degrees
- C-collar kept on
- NBM
- wound dressed
- IV line sited
- urinary catheter inserted
- GCS 12 at 19:40
- Departed 19:55 with clinical officer
Refer to regional hospital for CT."""


def _treatment(summary) -> str:
    return " ".join(ln.text for ln in summary.sections["treatment_given"])


def test_timed_actions_are_kept_beyond_the_cap():
    given = _treatment(build_referral(NOTE))
    assert "19:40" in given and "19:55" in given, given


def test_untimed_actions_beyond_the_cap_are_still_cut():
    untimed = NOTE.replace(" at 19:40", "").replace("Departed 19:55", "Departed")
    given = _treatment(build_referral(untimed))
    assert "Departed" not in given, given
