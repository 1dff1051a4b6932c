"""Helper for test_key_rotation: in a fresh interpreter, unlock the vault and
re-encrypt, SIGKILLing itself right after chunk number KILL_AFTER has committed
(a crash at a known point, no timing involved).

Usage: python reencrypt_killer.py DATA_DIR USER PASSPHRASE CHUNK_ROWS KILL_AFTER
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from lantern.services.session import VaultSession


def main() -> None:
    data_dir, user, passphrase, chunk_rows, kill_after = sys.argv[1:6]
    session = VaultSession.unlock(Path(data_dir), username=user, passphrase=passphrase,
                                  sleep=lambda s: None)

    def after_chunk(chunks: int) -> None:
        if chunks == int(kill_after):
            os.kill(os.getpid(), signal.SIGKILL)

    session.reencrypt(chunk_rows=int(chunk_rows), after_chunk=after_chunk)
    sys.exit(3)   # never reached when the kill happens


if __name__ == "__main__":
    main()
