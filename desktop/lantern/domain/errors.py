"""Typed exceptions raised by the core.

Every message is safe to show to a user and to write to a log: it never contains
patient data, passphrases or key material. The GUI turns these into dialogs in
one place; the CLI prints ``str(exc)`` on one line and exits non-zero.
"""


class LanternError(Exception):
    """Base class for every error Lantern expects and explains."""

    exit_code = 1


class VaultError(LanternError):
    """Something is wrong with the vault file itself."""


class VaultNotFound(VaultError):
    pass


class VaultExists(VaultError):
    pass


class NotAVault(VaultError):
    """The file is not a Lantern vault (not SQLite, truncated, or foreign)."""


class VaultTooNew(VaultError):
    """The vault was written by a newer Lantern; it is left untouched."""


class AuthError(LanternError):
    """Wrong user name or passphrase (deliberately does not say which)."""

    exit_code = 3


class PermissionDenied(LanternError):
    exit_code = 4


class DamagedRecord(VaultError):
    """A ciphertext failed authentication: tampered, swapped or corrupted."""


class PayloadTooNew(VaultError):
    """A record was saved by a newer Lantern in a payload format this one does not know.

    It is refused, never read by guesswork; the vault itself is left untouched.
    """

    def __init__(self, *, table: str, record_id: str, version: int, known: int) -> None:
        self.table, self.record_id, self.version, self.known = table, record_id, version, known
        super().__init__(
            f"Record {table}/{record_id} was saved by a newer version of Lantern (payload "
            f"format {version}; this version reads up to {known}). Update Lantern to open it.")


class MalformedPayload(VaultError):
    """A record decrypted but its content does not match its payload format."""

    def __init__(self, *, table: str, record_id: str, version: int) -> None:
        self.table, self.record_id, self.version = table, record_id, version
        super().__init__(f"Record {table}/{record_id} does not match its payload format "
                         f"(version {version}); it was not read.")


class IntegrityError(VaultError):
    """The audit chain or database integrity check failed."""


class ReadOnlyVault(VaultError):
    """The vault opened read-only after its integrity check found outside changes."""


class StorageFull(VaultError):
    """The disk is full; nothing that was saved before is lost."""


class NotFound(LanternError):
    pass


class ConflictError(LanternError):
    """The record changed since it was read (optimistic version check)."""


class ValidationError(LanternError):
    """User input is out of range or malformed."""

    exit_code = 2


class PossibleDuplicate(ValidationError):
    """A patient being registered looks like one already registered. ``candidates``
    are their :class:`~lantern.domain.records.DuplicateCandidate` rows; the message
    names only their ids."""

    def __init__(self, candidates: list) -> None:
        self.candidates = list(candidates)
        ids = ", ".join(c.summary.id for c in self.candidates)
        super().__init__(f"This patient may already be registered: {ids}. Open the existing "
                         "record, or confirm that this is a new patient.")


class Locked(LanternError):
    """The session is locked; unlock first."""


class ModelError(LanternError):
    """A model file or the inference host failed."""


class InvalidModelFile(ModelError):
    pass


class HostCrashed(ModelError):
    pass


class PromptTooLong(ModelError):
    """The prompt does not fit in the model's context window."""

    exit_code = 2


class NotEnoughResources(ModelError):
    """Not enough free memory or disk space for this model."""


class UnknownModelHash(ModelError):
    """The file's sha256 is not in the manifest; importing it needs explicit consent."""

    exit_code = 2


class Cancelled(LanternError):
    pass


class KnowledgeBaseError(LanternError):
    """The clinical knowledge base files are missing or invalid."""
