"""The sealed index of confirmed diagnoses (issue 17, report speed).

A monthly report, the weekly surveillance report and the start screen's alerts need,
of every encounter of the period and of the 5 years of history before it, only: its
day of care, its patient, its confirmed diagnoses (condition ids), whether a referral
letter was signed for it; of every patient: sex, birth date or year (the age band
inputs) and village; of every follow-up: the day a death was recorded. Decrypting the
encounters and their assessments for that took seconds on a clinic's vault (100,000
encounters), so this index keeps exactly those facts, nothing more (no name, no text,
no ICD-10 code: the knowledge base gives it), in the vault's sealed caches
(:func:`lantern.vault.repo.read_cache` / ``write_cache``: AES-GCM under the data key,
bound to table, key and version).

Layout: three maps (``enc``, ``pat``, ``fup``), each cut into :data:`SHARDS` documents
by a hash of the record id (``dx_index:enc:07``), so a write rewrites one small
document, plus ``dx_index:meta`` naming the :data:`FORMAT`. Every entry starts with
the version of the row it was derived from; an encounter's entry also names the ids
and versions of its assessment and summary rows (its *signature*). Reading compares
these with the clear columns (``id``, ``version``, owner: no decryption), so an entry
that is missing, outdated or in a document that cannot be opened is recomputed from
the rows, never trusted: the index changes speed, never a count.

Kept current: :class:`IndexKeeper` is the repository's :class:`~lantern.vault.repo.DerivedIndex`,
told of every row the repository writes (notes, diagnoses, patient edits, merges,
amendments, follow-up outcomes, sync apply, bulk imports), and rewrites the entries
those rows change in the same transaction. A key rotation's re-encryption reseals the
documents with the records (:mod:`lantern.vault.rekey`). When the index is missing or
of an older format, :func:`refresh` builds it afresh (in chunks, with progress, at
unlock in the GUI's background lane); until then reports recompute what it lacks.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from lantern.domain.errors import DamagedRecord, MalformedPayload
from lantern.domain.followups import Outcome
from lantern.services import codec
from lantern.services.assessment_records import accepted_of, record_of
from lantern.services.context import ServiceContext
from lantern.vault.crypto import RecordCipher
from lantern.vault.repo import CACHE_TABLE, RawRow, Repo, Row, read_cache, write_cache

FORMAT = 1
PREFIX = "dx_index:"
META_KEY = PREFIX + "meta"
SHARDS = 64
KINDS = ("enc", "pat", "fup")
OLD_PREFIXES = ("encounter_days:",)      # the index of days of care it replaces
CHUNK = 4000                              # stale encounters recomputed per refresh step

# entries (lists: compact JSON)
#   enc: [version, patient id, day YYYY-MM-DD, assessments sig, [condition ids],
#         any confirmed diagnosis, summaries sig, referral signed]
#   pat: [version, sex, birth date or None, birth year or None, village]
#   fup: [version, patient id, day a death was recorded or None]
Entry = list
Maps = dict[str, dict[str, Entry]]


def shard_of(row_id: str) -> int:
    return zlib.crc32(row_id.encode()) % SHARDS


def shard_key(kind: str, shard: int) -> str:
    return f"{PREFIX}{kind}:{shard:02d}"


def signature(rows: Iterable[tuple[str, int]]) -> str:
    """The ids and versions of an encounter's rows of one table, in one string (in id
    order, as :func:`clear_state` builds it in SQL)."""
    return ",".join(f"{rid}:{version}" for rid, version in sorted(rows))


# -- entries from rows ------------------------------------------------------------
def patient_entry(row: Row) -> Entry:
    p = codec.patient_from_row(row)
    return [row.version, p.sex.value, p.birth_date.isoformat() if p.birth_date else None,
            p.birth_year, p.village]


def followup_entry(row: Row) -> Entry:
    f = codec.followup_from_row(row)
    died = [o for o in f.outcomes if o.outcome == Outcome.DIED]
    return [row.version, f.patient_id, died[-1].at.date().isoformat() if died else None]


def _signed_referral(row: Row) -> bool:
    inner = row.payload.get("payload")
    return isinstance(inner, dict) and inner.get("kind") == "referral" and inner.get("status") == "signed"


def encounter_entry(row: Row, assessments: list[Row], summaries: list[Row]) -> Entry:
    """An encounter's entry from its row and all its assessment and summary rows (the
    confirmed diagnoses: :func:`record_of`, the one reading of them)."""
    accepted = accepted_of(record_of(assessments))
    return [row.version, row.patient_id or "", codec.encounter_day(row).isoformat(),
            signature((a.id, a.version) for a in assessments),
            list(dict.fromkeys(d["condition_id"] for d in accepted if d.get("condition_id"))),
            bool(accepted), signature((s.id, s.version) for s in summaries),
            any(_signed_referral(s) for s in summaries)]


# -- the stored documents -----------------------------------------------------------
def is_current(conn: sqlite3.Connection, cipher: RecordCipher) -> bool:
    stored = read_cache(conn, cipher, META_KEY)
    return stored is not None and stored[1].get("format") == FORMAT


def _read_shard(conn: sqlite3.Connection, cipher: RecordCipher, kind: str, shard: int
                ) -> dict[str, Entry]:
    stored = read_cache(conn, cipher, shard_key(kind, shard))
    entries = stored[1].get("entries") if stored is not None else None
    return entries if isinstance(entries, dict) else {}


def load(conn: sqlite3.Connection, cipher: RecordCipher) -> Maps:
    """Every stored entry by kind (empty when the index is missing or of another
    format; a document that cannot be opened contributes nothing)."""
    out: Maps = {kind: {} for kind in KINDS}
    if not is_current(conn, cipher):
        return out
    for kind in KINDS:
        for shard in range(SHARDS):
            out[kind].update(_read_shard(conn, cipher, kind, shard))
    return out


def store(conn: sqlite3.Connection, cipher: RecordCipher, kind: str,
          entries: dict[str, Entry | None]) -> None:
    """Put ``entries`` (None: remove) into their documents, one rewrite per document
    touched, inside the caller's write transaction."""
    by_shard: dict[int, dict[str, Entry | None]] = defaultdict(dict)
    for rid, entry in entries.items():
        by_shard[shard_of(rid)][rid] = entry
    for shard, changes in by_shard.items():
        doc = _read_shard(conn, cipher, kind, shard)
        before = dict(doc)
        for rid, entry in changes.items():
            if entry is None:
                doc.pop(rid, None)
            else:
                doc[rid] = entry
        if doc != before:
            write_cache(conn, cipher, shard_key(kind, shard), {"entries": doc})


# -- the clear columns: what each entry must match ------------------------------------
@dataclass
class Clear:
    encounters: dict[str, tuple[int, str]]      # id -> (version, patient id)
    assessments: dict[str, str]                 # encounter id -> signature
    summaries: dict[str, str]
    patients: dict[str, int]
    followups: dict[str, int]


def clear_state(conn: sqlite3.Connection) -> Clear:
    def sigs(table: str) -> dict[str, str]:
        # :func:`signature` in SQL (ids in order; an order that ever differed would only
        # make entries look stale, never change a count)
        return dict(conn.execute(
            f"SELECT encounter_id, group_concat(id || ':' || version, ',') FROM (SELECT id, "
            f"version, encounter_id FROM {table} WHERE encounter_id IS NOT NULL "
            "ORDER BY encounter_id, id) GROUP BY encounter_id"))

    return Clear(
        encounters={r[0]: (int(r[1]), r[2] or "") for r in conn.execute(
            "SELECT id, version, patient_id FROM encounters")},
        assessments=sigs("assessments"), summaries=sigs("summaries"),
        patients=dict(conn.execute("SELECT id, version FROM patients")),
        followups=dict(conn.execute("SELECT id, version FROM followups")))


def stale(maps: Maps, clear: Clear) -> dict[str, set[str]]:
    """Per kind, the ids whose entry is missing or does not match the clear columns;
    ``"gone"``: stored ids no row has any more."""
    enc, pat, fup = maps["enc"], maps["pat"], maps["fup"]
    out: dict[str, set[str]] = {"enc": set(), "pat": set(), "fup": set()}
    for eid, (version, pid) in clear.encounters.items():
        e = enc.get(eid)
        if e is None or e[0] != version or e[1] != pid or e[3] != clear.assessments.get(eid, "") \
                or e[6] != clear.summaries.get(eid, ""):
            out["enc"].add(eid)
    for pid, version in clear.patients.items():
        p = pat.get(pid)
        if p is None or p[0] != version:
            out["pat"].add(pid)
    for fid, version in clear.followups.items():
        f = fup.get(fid)
        if f is None or f[0] != version:
            out["fup"].add(fid)
    return out


def gone(maps: Maps, clear: Clear) -> dict[str, set[str]]:
    have: dict[str, set[str]] = {"enc": set(clear.encounters), "pat": set(clear.patients),
                                 "fup": set(clear.followups)}
    return {kind: set(maps[kind]) - have[kind] for kind in KINDS}


# -- recomputing entries from the rows -----------------------------------------------
@dataclass
class Recomputed:
    entries: Maps = field(default_factory=lambda: {kind: {} for kind in KINDS})
    damaged: list[str] = field(default_factory=list)      # "table/id" that could not be read


def recompute(conn: sqlite3.Connection, repo: Repo, ids: dict[str, set[str]],
              clear: Clear | None = None) -> Recomputed:
    """The entries of ``ids`` (per kind) from their rows. An encounter whose row, or one
    of whose assessment or summary rows, cannot be read gets no entry (it is named in
    ``damaged``), so it is recomputed, and named, again at the next read."""
    out = Recomputed()
    for kind, table, build in (("pat", "patients", patient_entry), ("fup", "followups", followup_entry)):
        if ids.get(kind):
            for row in repo.rows_in(conn, table, "id", ids[kind]):
                if isinstance(row, RawRow):
                    out.damaged.append(f"{table}/{row.id}")
                else:
                    out.entries[kind][row.id] = build(row)
    wanted = ids.get("enc") or set()
    if not wanted:
        return out
    rows = repo.rows_in(conn, "encounters", "id", wanted)
    owners = {r.patient_id or "" for r in rows if isinstance(r, Row)} | {
        r[0] for r in conn.execute(
            "SELECT patient_id FROM encounters WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(wanted)),))}
    related: dict[str, dict[str, list[Row | RawRow]]] = {"assessments": defaultdict(list),
                                                        "summaries": defaultdict(list)}
    for table, by_enc in related.items():
        for r in repo.rows_in(conn, table, "patient_id", owners, keep=lambda c: c[6] in wanted):
            enc = r.encounter_id if isinstance(r, Row) else _encounter_of(conn, table, r.id)
            if enc is not None:
                by_enc[enc].append(r)
        if clear is not None:      # rows of the encounter kept by another patient (rare)
            odd = {e for e in wanted if signature(
                (r.id, r.version) for r in by_enc.get(e, [])) != getattr(clear, table).get(e, "")}
            if odd:
                def in_odd(c: tuple, odd: set[str] = odd) -> bool:
                    return c[6] in odd

                for r in repo.rows_since(conn, table, created_since=None, keep=in_odd):
                    enc = r.encounter_id if isinstance(r, Row) else _encounter_of(conn, table, r.id)
                    if enc is not None and all(x.id != r.id for x in by_enc[enc]):
                        by_enc[enc].append(r)
    for row in rows:
        if isinstance(row, RawRow):
            out.damaged.append(f"encounters/{row.id}")
            continue
        parts = [related["assessments"].get(row.id, []), related["summaries"].get(row.id, [])]
        bad = [f"{r.table}/{r.id}" for part in parts for r in part if isinstance(r, RawRow)]
        if bad:
            out.damaged.extend(bad)
            continue
        good = [[r for r in part if isinstance(r, Row)] for part in parts]
        out.entries["enc"][row.id] = encounter_entry(row, good[0], good[1])
    return out


def _encounter_of(conn: sqlite3.Connection, table: str, row_id: str) -> str | None:
    r = conn.execute(f"SELECT encounter_id FROM {table} WHERE id = ?", (row_id,)).fetchone()
    return r[0] if r else None


# -- reading: the index made current in memory ----------------------------------------
@dataclass
class Snapshot:
    """Every encounter's, patient's and follow-up's entry, current with the rows."""

    encounters: dict[str, Entry]
    patients: dict[str, Entry]
    followups: dict[str, Entry]
    damaged: list[str]
    recomputed: int         # entries the stored index lacked or had outdated


def snapshot(conn: sqlite3.Connection, repo: Repo) -> Snapshot:
    """The stored index, checked against the clear columns, with what it lacks
    recomputed from the rows (in memory only: a read never writes)."""
    maps = load(conn, repo.cipher)
    clear = clear_state(conn)
    todo = stale(maps, clear)
    for kind, ids in gone(maps, clear).items():
        for rid in ids:
            maps[kind].pop(rid, None)
    fresh = recompute(conn, repo, todo, clear)
    for kind in KINDS:
        for rid in todo[kind]:
            maps[kind].pop(rid, None)
        maps[kind].update(fresh.entries[kind])
    return Snapshot(encounters=maps["enc"], patients=maps["pat"], followups=maps["fup"],
                    damaged=fresh.damaged, recomputed=sum(len(ids) for ids in todo.values()))


# -- building and keeping it ----------------------------------------------------------
def refresh(ctx: ServiceContext, *, on_progress: Callable[[int, int], None] | None = None,
            cancelled: Callable[[], bool] | None = None) -> int:
    """Bring the stored index up to date with the rows: afresh when it is missing or of
    another format (the old index of days of care is removed then), else only what is
    stale. In short transactions of :data:`CHUNK` encounters (the vault lane keeps
    going between them), ``on_progress(done, total)`` after each. Returns the entries
    written; audited when it wrote any."""
    repo = ctx.repo
    with ctx.writing() as conn:
        if not is_current(conn, repo.cipher):
            conn.execute(f"DELETE FROM {CACHE_TABLE} WHERE key >= ? AND key < ?",
                         (PREFIX, PREFIX + "\uffff"))
            for old in OLD_PREFIXES:
                conn.execute(f"DELETE FROM {CACHE_TABLE} WHERE key >= ? AND key < ?",
                             (old, old + "\uffff"))
            write_cache(conn, repo.cipher, META_KEY, {"format": FORMAT, "shards": SHARDS})
    with ctx.reading() as conn:
        maps = load(conn, repo.cipher)
        clear = clear_state(conn)
    todo = stale(maps, clear)
    removed = gone(maps, clear)
    del maps
    enc = sorted(todo["enc"], key=shard_of)      # a chunk rewrites few documents
    steps = [{"pat": todo["pat"], "fup": todo["fup"]}] + [
        {"enc": set(enc[i:i + CHUNK])} for i in range(0, len(enc), CHUNK)]
    total = sum(len(ids) for ids in todo.values())
    if not total and not any(removed.values()):
        return 0
    done = written = 0
    for ids in steps:
        if cancelled is not None and cancelled():
            break
        with ctx.writing() as conn:
            fresh = recompute(conn, repo, ids, clear)
            for kind in KINDS:
                changes: dict[str, Entry | None] = dict(fresh.entries[kind])
                if ids is steps[0]:
                    changes.update(dict.fromkeys(removed[kind]))
                if changes:
                    store(conn, repo.cipher, kind, changes)
                written += len(fresh.entries[kind])
        done += sum(len(v) for v in ids.values())
        if on_progress is not None:
            on_progress(done, total)
    if written:
        with ctx.writing() as conn:
            ctx.log_event(conn, "update diagnosis index", detail=f"{written} entries")
    return written


class IndexKeeper:
    """The repository's :class:`~lantern.vault.repo.DerivedIndex`: rewrites the entries
    a write changes, in its transaction. Nothing while the index is not built (its
    :func:`refresh` will); a row that cannot be read leaves its entry out (stale: the
    next read recomputes it)."""

    def __init__(self, repo: Repo) -> None:
        self._repo = repo

    def rows_written(self, conn: sqlite3.Connection, table: str, rows: list[Row]) -> None:
        if table not in ("encounters", "assessments", "summaries", "patients", "followups") \
                or not rows or not is_current(conn, self._repo.cipher):
            return
        cipher = self._repo.cipher
        try:
            if table == "patients":
                store(conn, cipher, "pat", {r.id: patient_entry(r) for r in rows})
            elif table == "followups":
                store(conn, cipher, "fup", {r.id: followup_entry(r) for r in rows})
            else:
                ids = {r.id for r in rows} if table == "encounters" else {
                    r.encounter_id for r in rows if r.encounter_id}
                fresh = recompute(conn, self._repo, {"enc": ids})
                changes: dict[str, Entry | None] = {i: None for i in ids}
                changes.update(fresh.entries["enc"])
                store(conn, cipher, "enc", changes)
        except (DamagedRecord, MalformedPayload):
            return      # the rows' own reading reports them; the entry stays stale


def age_years(entry: Entry, day: date) -> float | None:
    """A patient's age on ``day`` from the patient's entry (its birth date, else year)."""
    if entry[2]:
        return (day - date.fromisoformat(entry[2])).days / 365.25
    if entry[3]:
        return float(day.year - int(entry[3]))
    return None
