"""The chart's allergy banner: a record that only denies an allergy ("no penicillin allergy",
"无青霉素过敏") is no allergy; it is said as written, and the banner is red only for an
allergy (issue 13)."""

from __future__ import annotations

from lantern.domain.records import Allergy
from lantern.gui.patient_chart import AllergyBanner


def _record(substance: str, reaction: str = "") -> Allergy:
    return Allergy(id=substance, patient_id="p", substance=substance, reaction=reaction)


def test_a_denial_alone_leaves_the_banner_calm_and_says_it(qtbot):
    banner = AllergyBanner()
    qtbot.addWidget(banner)
    for denial in ("no penicillin allergy", "无青霉素过敏"):
        banner.show_allergies([_record(denial)])
        assert banner.property("state") == "none"
        assert denial in banner.text() and "⚠" not in banner.text()


def test_an_allergy_beside_a_denial_is_red_and_the_denial_is_not_listed_as_one(qtbot):
    banner = AllergyBanner()
    qtbot.addWidget(banner)
    banner.show_allergies([_record("no penicillin allergy"), _record("sulfa", "rash")])
    assert banner.property("state") == "allergies"
    allergies, _, said = banner.text().partition(" — ")
    assert "sulfa (rash)" in allergies and "penicillin" not in allergies and said == "no penicillin allergy"
    # a hedged allergy is an allergy
    banner.show_allergies([_record("?penicillin allergy")])
    assert banner.property("state") == "allergies"
