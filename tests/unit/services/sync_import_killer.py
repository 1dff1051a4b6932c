"""Helper for test_sync_events: in a fresh interpreter, unlock a vault and import a
USB bundle, SIGKILLing itself in the middle of applying event number KILL_AT (after
its record was written, before its clock and history were): a crash at a known point
inside the import's one transaction, no timing involved. KILL_AT ``rekey``: right
after a received data key became the vault's key (``rotation.adopt_received_key``),
before the transaction commits.

Usage: python sync_import_killer.py DATA_DIR USER PASSPHRASE BUNDLE KILL_AT
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from lantern.services import rotation
from lantern.services.session import VaultSession
from lantern.services.sync import events
from lantern.services.sync.bundle import import_bundle


def main() -> None:
    data_dir, user, passphrase, bundle, kill_at = sys.argv[1:6]
    session = VaultSession.unlock(Path(data_dir), username=user, passphrase=passphrase,
                                  sleep=lambda s: None)
    store_rowclock = events._store_rowclock
    calls = [0]

    def killing(*args: object, **kwargs: object) -> None:
        calls[0] += 1
        if kill_at.isdigit() and calls[0] == int(kill_at):
            os.kill(os.getpid(), signal.SIGKILL)
        store_rowclock(*args, **kwargs)  # type: ignore[arg-type]

    adopt = rotation.adopt_received_key

    def adopt_then_die(*args: object, **kwargs: object) -> object:
        adopt(*args, **kwargs)  # type: ignore[arg-type]
        os.kill(os.getpid(), signal.SIGKILL)
        return None

    if kill_at == "rekey":
        rotation.adopt_received_key = adopt_then_die  # type: ignore[assignment]
    else:
        events._store_rowclock = killing  # type: ignore[assignment]
    import_bundle(session.context, Path(bundle))
    sys.exit(3)   # never reached when the kill happens


if __name__ == "__main__":
    main()
