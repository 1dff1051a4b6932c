#!/usr/bin/env bash
# Run a command in a new network namespace whose only interface, loopback, is up:
# nothing outside the machine is reachable, but a test may start a local server
# on 127.0.0.1 (the sync tests' CouchDB-protocol server). Used by `make test`.
# Usage: scripts/offline.sh COMMAND [ARG...]
#        scripts/offline.sh --check   (prints the unshare mode; fails if none works)
set -euo pipefail
mode=""
if unshare -n sh -c 'ip link set lo up' 2>/dev/null; then
  mode="-n"          # root: a plain network namespace
elif unshare -rn sh -c 'ip link set lo up' 2>/dev/null; then
  mode="-rn"         # unprivileged: user namespace mapping us to root, then the network one
else
  echo "offline.sh: cannot create a network namespace with loopback up (unshare/iproute2)" >&2
  exit 3
fi
if [ "${1:-}" = "--check" ]; then
  echo "unshare $mode, loopback up"
  exit 0
fi
exec unshare "$mode" sh -c 'ip link set lo up && exec "$@"' sh "$@"
