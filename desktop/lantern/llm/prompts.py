"""Versioned prompt files: ``resources/prompts/<id>.v<N>.txt``.

A file starts with ``key: value`` lines (``id`` and ``version`` required, and
they must match the file name; ``purpose`` recommended), then a line ``---``,
then the template. Placeholders are ``{name}`` (letters, digits, underscore);
other braces, such as JSON examples, are left alone. Values are inserted as
plain text: the inference layer tokenizes them without special tokens. Every
stored LLM output records the prompt's ``(id, version)`` and the model's sha256.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lantern import paths
from lantern.domain.errors import NotFound, ValidationError

_FILE_RE = re.compile(r"^(?P<id>[A-Za-z0-9][A-Za-z0-9_.-]*?)\.v(?P<version>[1-9][0-9]*)\.txt$")
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True, slots=True)
class PromptTemplate:
    id: str
    version: int
    text: str
    purpose: str = ""

    def __iter__(self) -> Iterator[str | int]:  # allows ``prompt_id, version, text = load_prompt(...)``
        return iter((self.id, self.version, self.text))

    @property
    def placeholders(self) -> set[str]:
        return set(_PLACEHOLDER.findall(self.text))

    def render(self, **values: str) -> str:
        missing = self.placeholders - values.keys()
        if missing:
            raise ValidationError(
                f"Prompt {self.id} v{self.version} needs: {', '.join(sorted(missing))}.")
        return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), self.text)


def prompts_dir() -> Path:
    return paths.resources_dir() / "prompts"


def parse_prompt(raw: str, *, file_name: str) -> PromptTemplate:
    match = _FILE_RE.match(file_name)
    if not match:
        raise ValidationError(f"Prompt file name {file_name!r} is not <id>.v<N>.txt.")
    head, sep, body = raw.replace("\r\n", "\n").partition("\n---\n")
    if not sep:
        raise ValidationError(f"Prompt file {file_name} has no '---' line.")
    meta: dict[str, str] = {}
    for line in head.splitlines():
        key, colon, value = line.partition(":")
        if colon:
            meta[key.strip().lower()] = value.strip()
    if meta.get("id") != match["id"] or meta.get("version") != match["version"]:
        raise ValidationError(f"Prompt file {file_name}: id/version inside do not match its name.")
    if not body.strip():
        raise ValidationError(f"Prompt file {file_name} has an empty template.")
    return PromptTemplate(id=match["id"], version=int(match["version"]), text=body,
                          purpose=meta.get("purpose", ""))


def list_prompts(directory: Path | None = None) -> list[PromptTemplate]:
    directory = directory or prompts_dir()
    return [parse_prompt(p.read_text(encoding="utf-8"), file_name=p.name)
            for p in sorted(directory.glob("*.txt")) if _FILE_RE.match(p.name)]


def load_prompt(prompt_id: str, version: int | None = None, *,
                directory: Path | None = None) -> PromptTemplate:
    """The given version of a prompt, or its highest version."""
    directory = directory or prompts_dir()
    candidates = []
    for path in directory.glob(f"{prompt_id}.v*.txt"):
        match = _FILE_RE.match(path.name)
        if match and match["id"] == prompt_id:
            candidates.append((int(match["version"]), path))
    if version is not None:
        candidates = [c for c in candidates if c[0] == int(version)]
    if not candidates:
        wanted = f"{prompt_id} v{version}" if version else prompt_id
        raise NotFound(f"No prompt file for {wanted}.")
    path = max(candidates)[1]
    return parse_prompt(path.read_text(encoding="utf-8"), file_name=path.name)
