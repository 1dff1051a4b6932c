"""The three-laptop convergence state machine (issue 18 target), shared by
``test_sync_convergence.py`` (a few deterministic examples in ``make test``) and
``tests/benchmarks/bench_sync_convergence.py`` (>= 200 examples).

Three laptops (copies of one template vault, each with its own device identity)
and one real pouchdb-server database per example. Hypothesis picks edits of a
patient field, new allergies, drafts, signatures and amendments on random
laptops, offline periods, syncs, syncs cut part-way (the transport fails after N
pages of the push or of the pull), USB bundles between two laptops, and the
revocation of a lost fourth laptop on any of the three (each rotates the data key;
two or three of them before they meet are concurrent revocations, merged:
docs/sync.md). The model
records every acknowledged change (the write returned) and what each laptop may
have seen when it wrote (over-approximated: every sync attempt that reached the
server counts as a full exchange). At the end everyone goes online and syncs
twice round; then the three vaults must hold identical records, every
acknowledged change must be there (last writer wins per field: the value kept is
one that was written, and a value that lost a concurrent edit is in the record's
sync history), signed notes keep the content they were signed with and no
amendment is lost; and the three hold the same data key at the same epoch.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, precondition, rule
from tests.couch_server import CouchServer, free_loopback_port
from tests.unit.sync_couch.conftest import Clinic
from tests.unit.sync_couch.vaults import records_of

from lantern.domain.errors import NotFound
from lantern.domain.records import Sex, Vitals
from lantern.services.backup import restore_backup
from lantern.services.session import VaultSession
from lantern.services.sync import device_keys
from lantern.services.sync import events as ev
from lantern.services.sync.bundle import export_bundle, import_bundle
from lantern.services.sync.couch import CouchTransport, SyncUnreachable
from lantern.services.sync.enrol import endorse, enrol, revoke
from lantern.services.sync.server import server_status, sync_with_server
from lantern.services.sync.signing import Endorsement

PASSPHRASE = "convergence passphrase 1"
LAPTOPS = (0, 1, 2)
DEVICES = ("a", "b", "c")
FIELDS = ("village", "phone")
PAGE_SIZE = 2          # small pages, so a cut can fall between them
_numbers = itertools.count(1)
# what the runs did, for the benchmark's figures (rules that ran, processes killed)
STATS = {"syncs": 0, "cut syncs": 0, "offline syncs": 0, "bundles": 0, "revocations": 0,
         "runs ending on a merged key (concurrent revocations)": 0,
         "kill -9 after an acknowledged page": 0, "kill -9 rule, sync ended first": 0}

# A laptop's sync in another process (kill -9): it prints ACK once the server has
# acknowledged its first page, then goes on until the test kills it.
_CHILD = """
import json, os, sys
from lantern.services.session import VaultSession
from lantern.services.sync.couch import ServerAccount
from lantern.services.sync.server import sync_with_server, transport_for
job = json.loads(os.environ.pop("CONVERGENCE_JOB"))
session = VaultSession.unlock(job["dir"], username="admin", passphrase=job["passphrase"],
                              sleep=lambda s: None)
said = []
def progress(phase, done, total):
    if done and not said:
        said.append(1)
        print("ACK", flush=True)
transport = transport_for(session.context, ServerAccount(**job["account"]), page_size=2,
                          retries=0)
sync_with_server(session.context, transport, progress=progress)
session.lock()
"""


@dataclasses.dataclass(frozen=True)
class Template:
    """A vault made once (slow: key derivation, schema) and copied per laptop."""
    backup: Path
    patient_id: str
    encounter_id: str       # a draft every laptop holds (edited, signed concurrently)
    endorsements: tuple[dict, ...] = ()   # the template laptop lets each laptop in (``signing``)
    lost: str = ""          # device id of a fourth laptop, enrolled, then lost (revoked by the rules)


def make_template(work: Path) -> Template:
    os.environ["LANTERN_STATE_DIR"] = str(work / "state-template")
    session, _ = VaultSession.create(work / "template", clinic_name="Convergence Clinic",
                                     admin_username="admin", passphrase=PASSPHRASE)
    try:
        patient = session.records.add_patient(name="Amina Converge", sex=Sex.FEMALE,
                                              birth_year=1990, village="Upper")
        enc = session.records.new_encounter(patient.id)
        session.records.save_draft(enc.id, note="shared draft", vitals=Vitals(temp_c=37.5))
        endorsements = tuple(endorse(session.context).to_dict() for _ in LAPTOPS)
        lost = enrol(session.context, work / "lost.enrol", name="lost").device_id
        backup = session.backup_to(work / "template.db")
    finally:
        session.lock()
    return Template(backup, patient.id, enc.id, endorsements, lost)


class CutTransport(CouchTransport):
    """The real transport, whose link drops after ``pages`` pages of ``phase``."""

    def __init__(self, *args, phase: str, pages: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.phase, self.pages = phase, pages

    def _page(self, phase: str) -> None:
        if phase == self.phase:
            if self.pages == 0:
                raise SyncUnreachable(f"link cut during the {phase} (test)")
            self.pages -= 1

    def push(self, events):
        self._page("push")
        return super().push(events)

    def pull(self, since=None, **options):
        self._page("pull")
        return super().pull(since, **options)


@dataclasses.dataclass
class Write:
    """One acknowledged value of a field, and the writes its laptop had seen."""
    wid: int
    laptop: int
    value: str
    seen: frozenset[int]


class ConvergenceMachine(RuleBasedStateMachine):
    """Configure with :func:`configure` before running (a server and a template)."""

    couch: CouchServer
    template: Template
    workdir: Path

    def __init__(self) -> None:
        super().__init__()
        self.clinic = Clinic(self.couch)
        self.dir = Path(tempfile.mkdtemp(prefix="example-", dir=self.workdir))
        self.laptops: list[VaultSession] = []
        self.online = [True, True, True]
        # the model: write ids each laptop / the server may have seen
        self.known: list[set[int]] = [set(), set(), set()]
        self.server: set[int] = set()
        self.writes: dict[tuple[str, str, str], list[Write]] = {}   # (table, id, field)
        self.allergies: set[str] = set()
        self.notes: dict[str, int] = {}            # encounter id -> laptop that made it
        self.signed: dict[str, list[str]] = {}     # encounter id -> content(s) signed
        self.amendments: dict[str, set[str]] = {}
        self.bundles = 0
        self.kills = 0
        self.devices: list[str] = []

    # -- setup and teardown ---------------------------------------------------------------
    @initialize()
    def laptops_from_the_template(self) -> None:
        for i in LAPTOPS:
            data = self.dir / f"laptop-{i}"
            restore_backup(self.template.backup, data)
            os.environ["LANTERN_STATE_DIR"] = str(self.dir / f"state-{i}")   # own OS user
            session = VaultSession.unlock(data, username="admin", passphrase=PASSPHRASE,
                                          sleep=lambda s: None)
            self.laptops.append(session)
            with session.context.writing() as conn:
                self.devices.append(ev.new_device_identity(
                    conn, name=f"laptop {DEVICES[i]}", cipher=session.context.repo.cipher,
                    endorsement=Endorsement.from_dict(self.template.endorsements[i])))
        # every laptop holds the others' device keys (one USB round: only the device.key
        # events move), so a revocation's new key reaches all of them
        for i in LAPTOPS:
            path = self.dir / f"keys-{i}.lantern-sync"
            export_bundle(self.laptops[i].context, path, peer=None)
            for j in LAPTOPS:
                if j != i:
                    import_bundle(self.laptops[j].context, path)

    def teardown(self) -> None:
        try:
            if len(self.laptops) == len(LAPTOPS):
                self.converge_and_check()
        finally:
            for session in self.laptops:
                session.lock()
            self.clinic.close()
            shutil.rmtree(self.dir, ignore_errors=True)

    # -- the model ------------------------------------------------------------------------
    def _wid(self) -> int:
        return next(_numbers)

    def _acknowledged(self, laptop: int, key: tuple[str, str, str], value: str) -> None:
        wid = self._wid()
        self.writes.setdefault(key, []).append(
            Write(wid, laptop, value, frozenset(self.known[laptop])))
        self.known[laptop].add(wid)

    def _exchanged(self, laptop: int) -> None:
        """A sync that reached the server: it may have carried everything either way."""
        self.server |= self.known[laptop]
        self.known[laptop] |= self.server

    # -- edits ----------------------------------------------------------------------------
    @rule(laptop=st.sampled_from(LAPTOPS), name=st.sampled_from(FIELDS))
    def edit_patient_field(self, laptop: int, name: str) -> None:
        records = self.laptops[laptop].records
        value = f"{name}-{next(_numbers)}"
        patient = records.get_patient(self.template.patient_id)
        records.update_patient(dataclasses.replace(patient, **{name: value}))
        self._acknowledged(laptop, ("patients", self.template.patient_id, name), value)

    @rule(laptop=st.sampled_from(LAPTOPS))
    def add_allergy(self, laptop: int) -> None:
        allergy = self.laptops[laptop].records.add_allergy(
            self.template.patient_id, substance=f"substance {next(_numbers)}")
        self.allergies.add(allergy.id)
        self.known[laptop].add(self._wid())

    @rule(laptop=st.sampled_from(LAPTOPS), sign=st.booleans())
    def write_a_note(self, laptop: int, sign: bool) -> None:
        records = self.laptops[laptop].records
        enc = records.new_encounter(self.template.patient_id)
        text = f"note {next(_numbers)} on laptop {laptop}"
        records.save_draft(enc.id, note=text, vitals=Vitals(temp_c=36.8))
        self.notes[enc.id] = laptop
        if sign:
            records.sign_encounter(enc.id)
            self.signed[enc.id] = [text]
        self.known[laptop].add(self._wid())

    @rule(laptop=st.sampled_from(LAPTOPS))
    def edit_the_shared_draft(self, laptop: int) -> None:
        records = self.laptops[laptop].records
        enc_id = self.template.encounter_id
        if records.get_encounter(enc_id).status.value == ev.SIGNED:
            return      # signed here already: the app refuses a draft edit (tested elsewhere)
        text = f"shared draft {next(_numbers)} on laptop {laptop}"
        records.save_draft(enc_id, note=text, vitals=Vitals(temp_c=37.5))
        self._acknowledged(laptop, ("encounters", enc_id, "note"), text)

    @rule(laptop=st.sampled_from(LAPTOPS))
    def sign_the_shared_draft(self, laptop: int) -> None:
        records = self.laptops[laptop].records
        enc = records.get_encounter(self.template.encounter_id)
        if enc.status.value == ev.SIGNED:
            return
        records.sign_encounter(enc.id)
        self.signed.setdefault(enc.id, []).append(enc.note)
        self.known[laptop].add(self._wid())

    @rule(laptop=st.sampled_from(LAPTOPS))
    def amend_a_signed_note(self, laptop: int) -> None:
        records = self.laptops[laptop].records
        here = [e for e in self.signed if self._holds_signed(records, e)]
        if not here:
            return
        enc_id = sorted(here)[0]
        text = f"amendment {next(_numbers)} on laptop {laptop}"
        records.amend_encounter(enc_id, text)
        self.amendments.setdefault(enc_id, set()).add(text)
        self.known[laptop].add(self._wid())

    @staticmethod
    def _holds_signed(records, enc_id: str) -> bool:
        try:
            return records.get_encounter(enc_id).status.value == ev.SIGNED
        except NotFound:        # not synced to this laptop yet
            return False

    @rule(laptop=st.sampled_from(LAPTOPS))
    def revoke_the_lost_laptop(self, laptop: int) -> None:
        """An administrator revokes the lost laptop here, unless this laptop knows of
        the revocation already, or does not hold the other two laptops' device keys
        yet (then they could not receive the new key and must join again: tested
        elsewhere)."""
        context = self.laptops[laptop].context
        with context.reading() as conn:
            known, revoked = set(device_keys.known(conn)), ev.revoked_devices(conn)
        others = {d for i, d in enumerate(self.devices) if i != laptop}
        if self.template.lost in revoked or not others <= known:
            return
        revoke(context, self.template.lost)
        STATS["revocations"] += 1

    # -- the network ----------------------------------------------------------------------
    @rule(laptop=st.sampled_from(LAPTOPS), online=st.booleans())
    def set_online(self, laptop: int, online: bool) -> None:
        self.online[laptop] = online

    def _transport(self, laptop: int, cls: type[CouchTransport] = CouchTransport,
                   **options: object) -> CouchTransport:
        session = self.laptops[laptop]
        account = self.clinic.account(DEVICES[laptop])
        if not self.online[laptop]:     # offline: nothing listens at that address
            account = dataclasses.replace(account, url=f"http://127.0.0.1:{free_loopback_port()}")
        with session.context.reading() as conn:
            dev = ev.device_id(conn, create=False)
        assert dev is not None
        transport = cls(account, device_id=dev, page_size=PAGE_SIZE,
                        retries=0, sleep=self.clinic.sleeps.append, **options)
        self.clinic.transports.append(transport)
        return transport

    def _pending(self, laptop: int) -> int:
        return int(server_status(self.laptops[laptop].context)["server_pending_events"])

    @rule(laptop=st.sampled_from(LAPTOPS))
    def sync(self, laptop: int) -> None:
        transport = self._transport(laptop)
        if not self.online[laptop]:
            before = self._pending(laptop)
            try:
                sync_with_server(self.laptops[laptop].context, transport)
            except SyncUnreachable:
                pass
            else:
                raise AssertionError("a sync with no server reported success")
            assert self._pending(laptop) >= before     # nothing marked sent that was not
            STATS["offline syncs"] += 1
            return
        sync_with_server(self.laptops[laptop].context, transport)
        self._exchanged(laptop)
        assert self._pending(laptop) == 0
        STATS["syncs"] += 1

    @precondition(lambda self: any(self.online))
    @rule(data=st.data(), phase=st.sampled_from(("push", "pull")),
          pages=st.integers(min_value=0, max_value=3))
    def sync_cut_part_way(self, data: st.DataObject, phase: str, pages: int) -> None:
        laptop = data.draw(st.sampled_from([i for i in LAPTOPS if self.online[i]]))
        transport = self._transport(laptop, CutTransport, phase=phase, pages=pages)
        try:
            sync_with_server(self.laptops[laptop].context, transport)
        except SyncUnreachable:
            STATS["cut syncs"] += 1
        self._exchanged(laptop)
        # the vault keeps working after the cut
        self.laptops[laptop].records.get_patient(self.template.patient_id)

    @rule(source=st.sampled_from(LAPTOPS), to=st.sampled_from(LAPTOPS))
    def usb_bundle(self, source: int, to: int) -> None:
        if source == to:
            return
        self.bundles += 1
        path = self.dir / f"bundle-{self.bundles}.lantern-sync"
        export_bundle(self.laptops[source].context, path, peer=None)
        import_bundle(self.laptops[to].context, path)
        STATS["bundles"] += 1
        self.known[to] |= self.known[source]

    @precondition(lambda self: self.kills == 0)     # a new process is slow: once a run
    @rule(laptop=st.sampled_from(LAPTOPS))
    def kill_9_during_a_sync(self, laptop: int) -> None:
        """The laptop syncs in a process SIGKILLed after its first acknowledged page;
        the vault opens again and keeps every acknowledged change."""
        self.kills += 1
        session = self.laptops[laptop]
        data = session.path.parent
        before = records_of(session)
        session.lock()
        account = dataclasses.asdict(self.clinic.account(DEVICES[laptop]))
        env = {**os.environ, "LANTERN_STATE_DIR": str(self.dir / f"state-{laptop}"),
               "CONVERGENCE_JOB": json.dumps({"dir": str(data), "passphrase": PASSPHRASE,
                                              "account": account})}
        with subprocess.Popen([sys.executable, "-c", _CHILD], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE) as child:
            assert child.stdout is not None
            line = child.stdout.readline()      # waits for the first acknowledged page
            if line.strip() == b"ACK":
                os.kill(child.pid, signal.SIGKILL)
                STATS["kill -9 after an acknowledged page"] += 1
            else:
                STATS["kill -9 rule, sync ended first"] += 1
            child.wait()
            err = child.stderr.read() if child.stderr else b""
            assert line.strip() == b"ACK" or child.returncode == 0, err.decode()[-2000:]
        os.environ["LANTERN_STATE_DIR"] = str(self.dir / f"state-{laptop}")
        self.laptops[laptop] = VaultSession.unlock(data, username="admin",
                                                   passphrase=PASSPHRASE, sleep=lambda s: None)
        after = records_of(self.laptops[laptop])
        for table, rows in before.items():     # nothing this laptop held is gone
            assert {r[0] for r in rows} <= {r[0] for r in after[table]}, table
        self._exchanged(laptop)

    # -- the end: everyone syncs, then the property -----------------------------------------
    def converge_and_check(self) -> None:
        self.online = [True, True, True]
        for _round in range(2):
            for laptop in LAPTOPS:
                sync_with_server(self.laptops[laptop].context, self._transport(laptop))
        first = records_of(self.laptops[0])
        for session in self.laptops[1:]:
            assert records_of(session) == first, "the laptops hold different records"
        keys = {(s.context.repo.cipher.epoch, bytes(s.context.repo.cipher.key_copy()))
                for s in self.laptops}
        assert len(keys) == 1, "the laptops hold different data keys"
        if next(iter(keys))[0] >= 2:    # one lost laptop: epoch 2 or 3 only by a merge
            STATS["runs ending on a merged key (concurrent revocations)"] += 1
        for session in self.laptops:
            self._check_acknowledged(session)

    def _check_acknowledged(self, session: VaultSession) -> None:
        records = session.records
        patient = records.get_patient(self.template.patient_id)
        for (table, record_id, name), writes in self.writes.items():
            if table == "patients":
                final = getattr(patient, name)
            else:
                final = records.get_encounter(record_id).note
            if table == "encounters" and record_id in self.signed:
                continue        # a signed note: its content is checked below
            assert final in {w.value for w in writes}, (name, final)
            lost = {str(c.value) for c in ev.record_conflicts(session.context, table, record_id)
                    if c.field == name}
            for write in writes:
                superseded = any(write.wid in other.seen for other in writes)
                assert write.value == final or superseded or write.value in lost, (
                    f"{name}: the acknowledged value {write.value!r} was overwritten by a "
                    "concurrent edit and is not in the record's sync history")
        held = {a.id for a in records.list_allergies(self.template.patient_id)}
        assert self.allergies <= held, "an acknowledged allergy is missing"
        for enc_id in self.notes:
            records.get_encounter(enc_id)
        for enc_id, contents in self.signed.items():
            enc = records.get_encounter(enc_id)
            assert enc.status.value == ev.SIGNED and enc.note in contents, enc_id
            texts = {a.text for a in enc.amendments}
            assert self.amendments.get(enc_id, set()) <= texts, "an amendment is missing"


def configure(couch: CouchServer, template: Template, workdir: Path
              ) -> type[ConvergenceMachine]:
    """The machine bound to a running server, a template vault and a work directory."""
    return type("Convergence", (ConvergenceMachine,),
                {"couch": couch, "template": template, "workdir": workdir})
