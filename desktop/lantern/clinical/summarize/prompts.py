"""Versioned prompt templates for summaries.

File format (``resources/prompts/<id>.v<version>.txt``)::

    id: summary_note_section
    version: 1
    ---
    template text with {placeholders}

Lines before ``---`` are ``key: value`` metadata; the rest is the template.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lantern.domain.errors import LanternError
from lantern.paths import resources_dir


class PromptError(LanternError):
    """A prompt template is missing or malformed."""


@dataclass(frozen=True, slots=True)
class PromptTemplate:
    id: str
    version: str
    text: str

    def render(self, **values: str) -> str:
        missing = set(re.findall(r"\{(\w+)\}", self.text)) - set(values)
        if missing:
            raise PromptError(f"prompt {self.id} v{self.version}: missing value(s) {sorted(missing)}")
        return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], self.text)


def parse_prompt(raw: str, *, origin: str = "prompt") -> PromptTemplate:
    head, sep, body = raw.partition("\n---\n")
    if not sep:
        raise PromptError(f"{origin}: no '---' line between metadata and template")
    meta = {}
    for line in head.splitlines():
        if ":" in line:
            key, _, value = line.partition(":")
            meta[key.strip().lower()] = value.strip()
    if not meta.get("id") or not meta.get("version"):
        raise PromptError(f"{origin}: metadata needs 'id' and 'version'")
    return PromptTemplate(meta["id"], meta["version"], body)


def _file_version(path: Path) -> int:
    """The number in "<id>.v<number>.txt"; -1 when the name has none."""
    m = re.search(r"\.v(\d+)\.txt$", path.name)
    return int(m.group(1)) if m else -1


def load_prompt(prompt_id: str, *, version: str | None = None, directory: Path | None = None) -> PromptTemplate:
    """The given version, or the highest version found."""
    directory = directory or resources_dir() / "prompts"
    candidates = sorted(directory.glob(f"{prompt_id}.v*.txt"), key=_file_version)
    if version is not None:
        candidates = [p for p in candidates if p.name == f"{prompt_id}.v{version}.txt"]
    if not candidates:
        raise PromptError(f"prompt {prompt_id} not found")
    path = candidates[-1]
    prompt = parse_prompt(path.read_text(encoding="utf-8"), origin=path.name)
    if prompt.id != prompt_id:
        raise PromptError(f"{path.name}: id does not match its file name")
    return prompt
