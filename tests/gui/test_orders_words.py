"""The Orders panel speaks every word the prescribing checks can give it (issue 14): each route, alert
kind and severity is in the panel's list of words for translation (``_CHECKER_WORDS``) and has a
Chinese translation, so that a new kind or route cannot reach a Chinese screen untranslated."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from lantern.clinical.prescribing.checks import KINDS
from lantern.clinical.prescribing.model import ROUTES, SEVERITIES
from lantern.gui.orders_panel import _CHECKER_WORDS

TS = Path(__file__).resolve().parents[2] / "resources" / "translations" / "lantern_zh_CN.ts"
WORDS = [("OrderRoute", r) for r in sorted(ROUTES)] + [("AlertKind", k) for k in KINDS] + \
    [("AlertSeverity", s.upper()) for s in SEVERITIES]


def _translated() -> set[tuple[str, str]]:
    out = set()
    for context in ET.parse(TS).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is not None and (translation.text or "").strip() and \
                    translation.get("type") not in ("unfinished", "obsolete", "vanished"):
                out.add((name, message.findtext("source")))
    return out


@pytest.mark.parametrize("context, word", WORDS)
def test_every_checker_word_is_listed_for_translation(context, word):
    assert word in _CHECKER_WORDS


@pytest.mark.parametrize("context, word", WORDS)
def test_every_checker_word_has_a_chinese_translation(context, word):
    assert (context, word) in _translated()
