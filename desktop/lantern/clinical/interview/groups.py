"""Grouped screen questions (``resources/interview/groups.toml``, issue 15).

A clinician asks a chart's danger signs as one question ("Any of these: unable to drink
or breastfeed, vomits everything, convulsions, lethargic or unconscious?"). A group makes
one :class:`~lantern.clinical.interview.model.Question` of the members of a mandatory
screen that are still unknown; its ``finding`` is the group's id (``group:...``), which
``lantern interview --next`` also accepts in ``answers``:

- "no" answers every member "no" (``engine.resolve_answers``), and writes one sentence into the note
  (:func:`no_sentence`: "No general danger signs: able to drink or breastfeed; ..."), made
  of the members' own "no" sentences so the note reads back as each member absent;
- "yes" writes nothing and opens the members as single questions ahead of everything
  else: the sign that is present must be named;
- "unknown" leaves the members to be asked one by one.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lantern.clinical.interview.screens import Screen, interview_dir, read_screens
from lantern.clinical.knowledge import KnowledgeBase
from lantern.domain.errors import KnowledgeBaseError

GROUPS_FILE = "groups.toml"
GROUP_PREFIX = "group:"
_JOIN = {"en": ", ", "zh": "、"}
_ASK_END = {"en": "?", "zh": "？"}
_NO_JOIN = {"en": "; ", "zh": "；"}
_NO_END = {"en": ".", "zh": "。"}
_GROUP_KINDS = ("ask", "look")


@dataclass(frozen=True, slots=True)
class Member:
    finding: str
    en: str
    zh: str


@dataclass(frozen=True, slots=True)
class Group:
    id: str
    screen: str
    kind: str
    ask_en: str
    ask_zh: str
    no_en: str
    no_zh: str
    no_other_en: str
    no_other_zh: str
    yes_en: str
    yes_zh: str
    source: str
    members: tuple[Member, ...]

    @property
    def findings(self) -> tuple[str, ...]:
        return tuple(m.finding for m in self.members)

    def text(self, members: tuple[str, ...], lang: str) -> str:
        """The question over ``members`` (finding ids, in the group's order)."""
        lang = "zh" if lang == "zh" else "en"
        words = {m.finding: (m.zh if lang == "zh" else m.en) for m in self.members}
        opening = self.ask_zh if lang == "zh" else self.ask_en
        sep = "" if lang == "zh" else " "
        return f"{opening}{sep}{_JOIN[lang].join(words[f] for f in members)}{_ASK_END[lang]}"

    def yes_hint(self, lang: str) -> str:
        return self.yes_zh if lang == "zh" else self.yes_en


def is_group_id(finding: str) -> bool:
    return finding.startswith(GROUP_PREFIX)


def read_groups(path: Path | None = None) -> tuple[Group, ...]:
    path = path or interview_dir() / GROUPS_FILE
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    out = []
    for item in raw.get("group", []):
        members = tuple(Member(finding=str(m.get("finding", "")), en=str(m.get("en", "")),
                               zh=str(m.get("zh", ""))) for m in item.get("member", []))
        out.append(Group(members=members, **{k: str(item.get(k, "")) for k in (
            "id", "screen", "kind", "ask_en", "ask_zh", "no_en", "no_zh", "no_other_en",
            "no_other_zh", "yes_en", "yes_zh", "source")}))
    return tuple(out)


def validate_groups(kb: KnowledgeBase, groups: tuple[Group, ...],
                    screens: tuple[Screen, ...]) -> list[str]:
    """Problems: ids, kinds, wording, members not of the screen or measured, and a "no"
    sentence that does not read back as each member absent."""
    from lantern.clinical.interview.wording import wording

    by_id = {s.id: s for s in screens}
    problems: list[str] = []
    seen: set[str] = set()
    for g in groups:
        where = f"{GROUPS_FILE}: group {g.id!r}"
        if not is_group_id(g.id) or g.id in kb.findings or g.id in seen:
            problems.append(f"{where}: the id must start with {GROUP_PREFIX!r}, be unique and "
                            "not be a finding id")
        seen.add(g.id)
        if g.kind not in _GROUP_KINDS:
            problems.append(f"{where}: kind must be one of {list(_GROUP_KINDS)}")
        for key in ("ask_en", "ask_zh", "no_en", "no_zh", "no_other_en", "no_other_zh",
                    "yes_en", "yes_zh", "source"):
            if not getattr(g, key).strip():
                problems.append(f"{where}: missing {key}")
        screen = by_id.get(g.screen)
        if screen is None:
            problems.append(f"{where}: unknown screen {g.screen!r}")
        if len(g.members) < 2 or len(set(g.findings)) != len(g.findings):
            problems.append(f"{where}: needs two or more different members")
        for m in g.members:
            if m.finding not in kb.findings:
                problems.append(f"{where}: unknown finding id {m.finding!r}")
                continue
            if screen is not None and m.finding not in screen.findings:
                problems.append(f"{where}: {m.finding!r} is not a finding of screen {g.screen!r}")
            w = wording(m.finding, kb)
            if w is None or w.kind == "measure":
                problems.append(f"{where}: {m.finding!r} is measured, not asked: no member")
            if not m.en.strip() or not m.zh.strip():
                problems.append(f"{where}: member {m.finding!r} needs en and zh")
        if not problems:
            problems += _sentence_problems(g, kb, where)
    return problems


def _sentence_problems(g: Group, kb: KnowledgeBase, where: str) -> list[str]:
    from lantern.clinical.language.findings import extract_findings

    out = []
    for lang in ("en", "zh"):
        for other in (False, True):
            text = no_sentence(g, g.findings, lang, others_present=other, kb=kb)
            got = {f.id: f for f in extract_findings(text, age_years=30.0, kb=kb).findings}
            for fid in g.findings:
                f = got.get(fid)
                if f is None or not f.negated or f.uncertain:
                    out.append(f"{where}: the {lang} 'no' sentence {text!r} does not read "
                               f"back as {fid!r} absent")
            # a context it reads is no sign ("意识清楚" is the calm finding oriented_answers)
            present = [fid for fid, f in got.items() if not f.negated and kb.findings[fid].kind != "context"]
            if present:
                out.append(f"{where}: the {lang} 'no' sentence {text!r} reads as present: {present}")
    return out


def no_sentence(group: Group, members: tuple[str, ...], lang: str, *, others_present: bool,
                kb: KnowledgeBase) -> str:
    """The sentence a "no" to ``group`` over ``members`` writes into the note: the
    group's opening, then each member's own "no" sentence ("No general danger signs: able
    to drink or breastfeed; not vomiting everything; no convulsions; alert, not confused.").
    ``others_present``: another sign of the group is present ("No other ...")."""
    from lantern.clinical.interview.wording import answer_sentence

    lang = "zh" if lang == "zh" else "en"
    if lang == "zh":
        opening = group.no_other_zh if others_present else group.no_zh
    else:
        opening = group.no_other_en if others_present else group.no_en
    parts = []
    for fid in members:
        s = answer_sentence(fid, "no", lang, kb=kb).rstrip(".。").strip()
        parts.append(s[:1].lower() + s[1:] if lang == "en" and s[1:2].islower() else s)
    sep = "" if lang == "zh" else " "
    return f"{opening}{sep}{_NO_JOIN[lang].join(parts)}{_NO_END[lang]}"


def parse_no_sentence(text: str, *, kb: KnowledgeBase) -> tuple[Group, tuple[str, ...]] | None:
    """The group and members of a line :func:`no_sentence` wrote (exactly), else None."""
    for g in load_groups():
        for lang in ("en", "zh"):
            for other in (False, True):
                opening = getattr(g, f"no{'_other' if other else ''}_{lang}")
                if not text.startswith(opening) or not text.endswith(_NO_END[lang]):
                    continue
                by_part = {no_sentence(g, (fid,), lang, others_present=other, kb=kb)
                           [len(opening):].strip().rstrip(".。"): fid for fid in g.findings}
                body = text[len(opening):].strip()[: -len(_NO_END[lang])]
                members = tuple(by_part.get(p.strip(), "") for p in body.split(_NO_JOIN[lang].strip()))
                if members and all(members) and no_sentence(
                        g, members, lang, others_present=other, kb=kb) == text:
                    return g, members
    return None


@cache
def load_groups() -> tuple[Group, ...]:
    """The groups, validated against the knowledge base and the screens."""
    from lantern.clinical.knowledge import load_knowledge

    groups = read_groups()
    problems = validate_groups(load_knowledge(), groups, read_screens())
    if problems:
        raise KnowledgeBaseError(f"{len(problems)} problem(s) in the interview groups; "
                                 f"first: {problems[0]}")
    return groups


def group_by_id(group_id: str) -> Group | None:
    return next((g for g in load_groups() if g.id == group_id), None)
