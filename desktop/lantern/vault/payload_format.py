"""Format versions of the encrypted JSON payloads of record rows.

Every payload carries its format version under ``"_v"`` *inside* the encrypted
JSON, so it is authenticated with the rest of the plaintext. Payloads written
before versions existed have no ``"_v"``: they are version 1.

A :class:`PayloadFormat` holds, for one table, the ordered upgrade steps (step
``i`` turns version ``i + 1`` into ``i + 2``; pure functions, dict in, new dict
out) and the fields every payload of the current version has. Reading applies
the missing steps in memory; writing stamps the current version. Old rows are
rewritten lazily, at their next ordinary save (``docs/vault.md``, "Payload
versions"). The steps themselves live with the codec that knows the fields
(``lantern.services.codec``); this module only runs them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from lantern.domain.errors import MalformedPayload, PayloadTooNew

VERSION_KEY = "_v"
UNVERSIONED = 1  # the version of a payload without a version key

Upgrade = Callable[[dict], dict]
FieldTypes = type | tuple[type, ...]


@dataclass(frozen=True, slots=True)
class PayloadFormat:
    steps: tuple[Upgrade, ...]
    fields: Mapping[str, FieldTypes]

    @property
    def current(self) -> int:
        return UNVERSIONED + len(self.steps)

    def stamp(self, payload: Mapping, *, table: str, row_id: str) -> dict:
        """``payload`` (current format, checked) with the current version added."""
        if VERSION_KEY in payload:
            raise ValueError(f"a payload to store must not hold {VERSION_KEY!r} itself")
        self.check(payload, table=table, row_id=row_id, version=self.current)
        return {**payload, VERSION_KEY: self.current}

    def read(self, stored: Mapping, *, table: str, row_id: str) -> dict:
        """The payload of a row in the current format (without the version key).

        PayloadTooNew for a version newer than this code knows; MalformedPayload for
        a version that is not a positive integer, a step that cannot apply, or a
        result that lacks a field of the current format.
        """
        body = dict(stored)
        version = body.pop(VERSION_KEY, UNVERSIONED)
        if type(version) is not int or version < UNVERSIONED:
            raise MalformedPayload(table=table, record_id=row_id, version=0)
        if version > self.current:
            raise PayloadTooNew(table=table, record_id=row_id, version=version,
                                known=self.current)
        try:
            for step in self.steps[version - UNVERSIONED:]:
                body = step(body)
        except (KeyError, TypeError, ValueError, AttributeError):
            # no chained exception: its text could quote patient data
            raise MalformedPayload(table=table, record_id=row_id, version=version) from None
        self.check(body, table=table, row_id=row_id, version=version)
        return body

    def check(self, body: Mapping, *, table: str, row_id: str, version: int) -> None:
        for name, types in self.fields.items():
            if name not in body or not isinstance(body[name], types):
                raise MalformedPayload(table=table, record_id=row_id, version=version)
