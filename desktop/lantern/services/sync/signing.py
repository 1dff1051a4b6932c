"""Per-laptop signing keys: who wrote a sync event, and who let that laptop in.

The clinic's data key only says "someone of this clinic sealed this". Anyone who
holds it (a thief of a revoked laptop, with a passphrase) could otherwise write
events, or a ``key.rotated`` event, that claim any laptop. So each laptop also
has an **Ed25519 signing key** of its own, drawn on that laptop and kept like its
X25519 device key (``device_keys``): the private half sealed under the data key
in the vault's ``meta`` (device id and public key as associated data), never
copied (a vault copied to another laptop drops it with its device id).

**Binding a key to a laptop: the enrolment chain.** A laptop's public keys travel
in its ``device.key`` event with a *chain*: one link per laptop from a root this
clinic already trusts down to it. An enrolled link is made in two steps:

1. the administrator's laptop E, when it writes the enrolment package, draws a
   one-time *enrolment key* (Ed25519) and signs with its own signing key
   "device D joins this clinic with enrolment key K (enrolment id I)"; the
   package (sealed under the enrolment code) carries that signature, E's own
   chain and K's private half;
2. the new laptop D, at join, draws its keys and signs "D's keys are S (signing)
   and X (device key)" with K, then forgets K (its vault never holds it).

So a link proves that whoever held the enrolment code bound S and X to D, and
that E let D in. A receiving laptop accepts a chain whose first link it trusts
already (a key it holds for that laptop), and whose every next link is endorsed
by the laptop of the link before, none of them revoked here. The trust store
(``meta`` ``sync_signers``, in the sealed vault state) comes with the enrolment
copy, so a new laptop trusts the key of the laptop that enrolled it and what that
laptop trusted; it learns the others from their chains.

**Laptops from before signing keys (the migration window).** A laptop without a
signing key makes one at its next server sync, USB export or enrolment, with a
*legacy* link (no endorsement). When a laptop starts checking signatures (its
first import or key creation) it notes the laptops it knows then (``meta``
``sync_trust_legacy``: its own device registry, the devices of the events it
holds, the device keys it received). A legacy link is trusted on first use for
those laptops only; a laptop it did not know then must come with an enrolment
chain. A legacy laptop's events written before its key (clock earlier than the
``device.key`` event that published it) may be unsigned; ``key.rotated`` events
must always be signed by a trusted key. See docs/sync.md, "Signatures".
"""

from __future__ import annotations

import base64
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from lantern.services.sync import device_keys
from lantern.vault import accounts
from lantern.vault.audit import now_iso
from lantern.vault.crypto import RecordCipher, wipe

SIGNERS_KEY = "sync_signers"          # meta: device id -> {"sign": hex, "since": hlc, "how": ...}
LEGACY_KEY = "sync_trust_legacy"      # meta: the laptops known when signature checks began
LEGACY, ENROLLED = "legacy", "enrolled"
MAX_CHAIN = 32
_RAW = serialization.Encoding.Raw


def _msg(*parts: str) -> bytes:
    return b"|".join(f"{len(p.encode())}:".encode() + p.encode() for p in parts)


def _endorse_msg(clinic: str, by: str, device: str, enrolment: str, enrol_key: str) -> bytes:
    return _msg("lantern enrolment v1", clinic, by, device, enrolment, enrol_key)


def _cert_msg(clinic: str, device: str, sign: str, box: str) -> bytes:
    return _msg("lantern device keys v1", clinic, device, sign, box)


def event_message(clinic: str, body: bytes) -> bytes:
    """What a laptop signs for one event: the clinic and the event's JSON without its
    signature (which holds the event id, device, clock, kind and every field)."""
    return _msg("lantern event v1", clinic) + b"|" + body


def _secret_ad(device: str, public: bytes) -> bytes:
    return f"lantern|signing key|{device}|{public.hex()}".encode()


def _public(private: Ed25519PrivateKey) -> bytes:
    return private.public_key().public_bytes(_RAW, serialization.PublicFormat.Raw)


def _raw_private(private: Ed25519PrivateKey) -> bytearray:
    return bytearray(private.private_bytes(_RAW, serialization.PrivateFormat.Raw,
                                           serialization.NoEncryption()))


def _seal_private(cipher: RecordCipher, device: str, private: Ed25519PrivateKey) -> str:
    raw = _raw_private(private)
    try:
        return base64.b64encode(cipher.seal_raw(bytes(raw), _secret_ad(
            device, _public(private)))).decode()
    finally:
        wipe(raw)


# -- this laptop's keys ------------------------------------------------------------------
def _own(conn: sqlite3.Connection, device: str) -> dict | None:
    doc = device_keys.own_doc(conn, device)
    return doc if doc is not None and "sign_public" in doc else None


def _save_own(conn: sqlite3.Connection, doc: dict) -> None:
    accounts.set_meta(conn, device_keys.SECRET_KEY, json.dumps(doc, sort_keys=True))


def own_chain(conn: sqlite3.Connection, device: str) -> list[dict] | None:
    doc = _own(conn, device)
    return None if doc is None else list(doc["chain"])


def signer(conn: sqlite3.Connection, cipher: RecordCipher, device: str
           ) -> Ed25519PrivateKey | None:
    """This laptop's signing key (None before it has one: events stay unsigned)."""
    doc = _own(conn, device)
    if doc is None:
        return None
    public = bytes.fromhex(doc["sign_public"])
    raw = bytearray(cipher.open_raw(base64.b64decode(doc["sign_sealed"]),
                                    _secret_ad(device, public)))
    try:
        return Ed25519PrivateKey.from_private_bytes(bytes(raw))
    finally:
        wipe(raw)


def sealed_id(conn: sqlite3.Connection, device: str) -> str | None:
    """A token that changes whenever this laptop's signing key does (for caches)."""
    doc = _own(conn, device)
    return None if doc is None else f"{device}|{doc['sign_sealed']}"


def begin(conn: sqlite3.Connection) -> None:
    """Note, once, the laptops known when this vault starts checking signatures:
    only they may bind a key without an enrolment chain (the migration window)."""
    if accounts.get_meta(conn, LEGACY_KEY) is not None:
        return
    known: set[str] = set(accounts.get_meta_dict(conn, "sync_devices"))
    known |= {str(r[0]) for r in conn.execute("SELECT DISTINCT device_id FROM sync_events")}
    known |= set(device_keys.known(conn))
    own = accounts.get_meta(conn, "sync_device_id")
    if own:
        known.add(own)
    accounts.set_meta(conn, LEGACY_KEY, json.dumps({"at": now_iso(), "devices": sorted(known)}))


def _trust_own(conn: sqlite3.Connection, device: str, sign: bytes) -> None:
    signers = accounts.get_meta_dict(conn, SIGNERS_KEY)
    signers[device] = {"sign": sign.hex(), "since": "", "how": "own"}
    accounts.set_meta(conn, SIGNERS_KEY, json.dumps(signers, sort_keys=True))


def _new_keys(conn: sqlite3.Connection, cipher: RecordCipher, device: str
              ) -> tuple[dict, Ed25519PrivateKey]:
    """This laptop's doc with its X25519 device key (made if missing) and a new
    Ed25519 signing key (not saved yet)."""
    device_keys.create(conn, cipher, device)
    doc = device_keys.own_doc(conn, device)
    assert doc is not None
    private = Ed25519PrivateKey.generate()
    doc.update(sign_public=_public(private).hex(), sign_sealed=_seal_private(cipher, device, private),
               published=False)
    return doc, private


def ensure_own(conn: sqlite3.Connection, cipher: RecordCipher, device: str) -> dict:
    """Inside the caller's write transaction: this laptop's keys, made now with a
    legacy link if it has no signing key (a laptop from before signing keys, or the
    clinic's first laptop)."""
    doc = _own(conn, device)
    if doc is not None:
        return doc
    begin(conn)
    doc, private = _new_keys(conn, cipher, device)
    doc["chain"] = [{"how": LEGACY, "device": device, "sign": doc["sign_public"],
                     "box": doc["public"]}]
    _save_own(conn, doc)
    _trust_own(conn, device, _public(private))
    return doc


def publication(conn: sqlite3.Connection, device: str) -> dict | None:
    """The fields of the ``device.key`` event still to publish (None: published)."""
    doc = _own(conn, device)
    if doc is None or doc.get("published"):
        return None
    return {"public": doc["public"], "sign": doc["sign_public"], "chain": doc["chain"]}


def mark_published(conn: sqlite3.Connection, device: str) -> None:
    doc = _own(conn, device)
    assert doc is not None
    doc["published"] = True
    _save_own(conn, doc)


# -- enrolment ----------------------------------------------------------------------------
@dataclass
class Endorsement:
    """What an enrolling laptop hands the new one (inside the code-sealed package)."""
    device: str
    enrolment: str
    by: str
    chain: list[dict]          # the enrolling laptop's own chain
    enrol_key: str             # hex public half of the one-time enrolment key
    signature: str             # hex: the enrolling laptop's signature over the enrolment
    secret: bytearray = field(repr=False, default_factory=bytearray)  # the enrolment key

    def to_dict(self) -> dict:
        return {"device": self.device, "enrolment": self.enrolment, "by": self.by,
                "chain": self.chain, "enrol_key": self.enrol_key, "signature": self.signature,
                "secret": self.secret.hex()}

    @classmethod
    def from_dict(cls, doc: dict) -> Endorsement:
        return cls(str(doc["device"]), str(doc["enrolment"]), str(doc["by"]), list(doc["chain"]),
                   str(doc["enrol_key"]), str(doc["signature"]),
                   bytearray(bytes.fromhex(str(doc["secret"]))))

    def close(self) -> None:
        wipe(self.secret)


def endorse(conn: sqlite3.Connection, cipher: RecordCipher, *, clinic: str, own: str,
            device: str, enrolment: str) -> Endorsement:
    """On the enrolling laptop (its write transaction): let ``device`` in."""
    doc = ensure_own(conn, cipher, own)
    mine = signer(conn, cipher, own)
    assert mine is not None
    once = Ed25519PrivateKey.generate()
    enrol_key = _public(once).hex()
    return Endorsement(device, enrolment, own, list(doc["chain"]), enrol_key,
                       mine.sign(_endorse_msg(clinic, own, device, enrolment, enrol_key)).hex(),
                       _raw_private(once))


def bind(conn: sqlite3.Connection, cipher: RecordCipher, *, clinic: str, device: str,
         endorsement: Endorsement) -> None:
    """On the joining laptop (its write transaction, after the new device identity):
    draw its keys, sign them with the enrolment key, and forget that key."""
    if endorsement.device != device:
        raise ValueError("the endorsement is for another laptop")
    begin(conn)
    doc, private = _new_keys(conn, cipher, device)
    once = Ed25519PrivateKey.from_private_bytes(bytes(endorsement.secret))
    endorsement.close()
    doc["chain"] = endorsement.chain + [{
        "how": ENROLLED, "device": device, "sign": doc["sign_public"], "box": doc["public"],
        "by": endorsement.by, "enrolment": endorsement.enrolment,
        "enrol_key": endorsement.enrol_key, "endorsement": endorsement.signature,
        "cert": once.sign(_cert_msg(clinic, device, doc["sign_public"], doc["public"])).hex()}]
    _save_own(conn, doc)
    _trust_own(conn, device, _public(private))


# -- checking what arrives ---------------------------------------------------------------
@dataclass
class _Signer:
    key: Ed25519PublicKey
    hex: str
    since: str                 # unsigned events of this laptop older than this are its past
    how: str


def _verify(key: Ed25519PublicKey, signature: str, message: bytes) -> bool:
    try:
        key.verify(bytes.fromhex(signature), message)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def _load_key(value: object) -> Ed25519PublicKey | None:
    try:
        raw = bytes.fromhex(str(value))
        return Ed25519PublicKey.from_public_bytes(raw) if len(raw) == 32 else None
    except ValueError:
        return None


class Trust:
    """The signing keys this laptop trusts, and the verdict on each event of an input.

    ``learn`` takes the chains of an input's ``device.key`` events (in memory);
    ``check`` is the verdict on one event (None: accepted; else the refusal); ``keep``
    stores a learned key when its event is applied (same transaction)."""

    def __init__(self, conn: sqlite3.Connection, clinic: str, *, revoked: Iterable[str]) -> None:
        self.clinic = clinic
        self.revoked = set(revoked)
        legacy = accounts.get_meta_dict(conn, LEGACY_KEY)
        self.legacy = {str(d) for d in legacy.get("devices", [])}
        self.signers: dict[str, _Signer] = {}
        for dev, info in accounts.get_meta_dict(conn, SIGNERS_KEY).items():
            key = _load_key(info.get("sign")) if isinstance(info, dict) else None
            if key is not None:
                self.signers[str(dev)] = _Signer(key, str(info["sign"]), str(info.get("since", "")),
                                                 str(info.get("how", "")))
        self.learned: dict[str, _Signer] = {}
        self.refused: dict[str, str] = {}     # event id -> why its device.key was refused

    # a device.key event's chain
    def learn(self, event_id: str, device: str, hlc: str, fields: dict, signature: str,
              message: bytes) -> str | None:
        if "sign" not in fields:
            return None         # a device key published before signing keys: see ``check``
        why = self._chain(device, hlc, fields, signature, message)
        if why is not None:
            self.refused[event_id] = why
        return why

    def _chain(self, device: str, hlc: str, fields: dict, signature: str, message: bytes
               ) -> str | None:
        own_key = _load_key(fields.get("sign"))
        chain = fields.get("chain")
        if own_key is None or not _verify(own_key, signature, message):
            return f"The signing key published for laptop {device} is not signed by its holder"
        if (not isinstance(chain, list) or not chain or len(chain) > MAX_CHAIN
                or not all(isinstance(link, dict) for link in chain)
                or chain[-1].get("device") != device or chain[-1].get("sign") != fields["sign"]
                or chain[-1].get("box") != fields.get("public")):
            return f"The signing key published for laptop {device} carries no valid enrolment chain"
        found: dict[str, _Signer] = {}
        before: _Signer | None = None
        for i, link in enumerate(chain):
            dev, sign = str(link.get("device", "")), str(link.get("sign", ""))
            key = _load_key(sign)
            held = self.signers.get(dev) or self.learned.get(dev) or found.get(dev)
            if key is None:
                return f"The enrolment chain of laptop {device} is damaged"
            if held is not None:
                if held.hex != sign:
                    return (f"Laptop {dev} already has another signing key here; the new one "
                            f"(from laptop {device}'s chain) is refused")
                before = held
                continue
            if dev in self.revoked:
                return f"The enrolment chain of laptop {device} passes through revoked laptop {dev}"
            if link.get("how") == LEGACY and i == 0:
                if dev not in self.legacy:
                    return (f"Laptop {dev} was not enrolled by a laptop known here (an unknown "
                            f"laptop publishing its own signing key)")
                found[dev] = _Signer(key, sign, hlc, LEGACY)
            elif link.get("how") == ENROLLED and before is not None and i > 0 \
                    and chain[i - 1].get("device") == link.get("by"):
                if link.get("by") in self.revoked:
                    return f"Laptop {dev} was enrolled by revoked laptop {link.get('by')}"
                enrol_key = _load_key(link.get("enrol_key"))
                if enrol_key is None or not _verify(before.key, str(link.get("endorsement")),
                                                    _endorse_msg(self.clinic, str(link["by"]), dev,
                                                                 str(link.get("enrolment")),
                                                                 str(link["enrol_key"]))) \
                        or not _verify(enrol_key, str(link.get("cert")),
                                       _cert_msg(self.clinic, dev, sign, str(link.get("box")))):
                    return (f"The enrolment of laptop {dev} is not signed by the laptop that "
                            f"enrolled it")
                found[dev] = _Signer(key, sign, "", ENROLLED)
            else:
                return (f"Laptop {dev} was not enrolled by a laptop known here (its enrolment "
                        f"chain starts at no trusted laptop)")
            before = found[dev]
        self.learned.update(found)
        return None

    def unknown_signer(self, event_id: str, device: str, signature: str) -> bool:
        """A signed event whose laptop's key is not known here (yet: on a server its
        ``device.key`` may come a page later, as one upload's documents need not keep
        their order in ``_changes``)."""
        return bool(signature) and event_id not in self.refused and self.signer_of(device) is None

    def signer_of(self, device: str) -> _Signer | None:
        return self.signers.get(device) or self.learned.get(device)

    def check(self, event_id: str, device: str, hlc: str, kind: str, signature: str,
              message: bytes) -> str | None:
        """None if the event may be applied, else why it is refused."""
        if event_id in self.refused:
            return self.refused[event_id]
        held = self.signer_of(device)
        if held is not None:
            if signature:
                return None if _verify(held.key, signature, message) else (
                    f"An event of laptop {device} carries a wrong signature")
            if kind != device_keys.ROTATED and held.since and hlc < held.since:
                return None      # written before that laptop had a signing key
            return f"An event of laptop {device} is not signed"
        if signature:
            return f"An event is signed by laptop {device}, whose signing key is not known here"
        if kind == device_keys.ROTATED:
            return f"A key change from laptop {device} is not signed"
        if device in self.legacy:
            return None          # a laptop from before signing keys that has not made one yet
        return f"An event comes from laptop {device}, which no laptop known here enrolled"

    def keep(self, conn: sqlite3.Connection, device: str) -> None:
        """Store the keys learned with ``device``'s chain (its event is being applied)."""
        if not self.learned:
            return
        signers = accounts.get_meta_dict(conn, SIGNERS_KEY)
        for dev, got in self.learned.items():
            if dev not in signers:
                signers[dev] = {"sign": got.hex, "since": got.since, "how": got.how}
        accounts.set_meta(conn, SIGNERS_KEY, json.dumps(signers, sort_keys=True))
        self.signers.update(self.learned)
        self.learned = {}

