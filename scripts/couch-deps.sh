#!/usr/bin/env bash
# Install the CouchDB-protocol server the sync tests run against (pouchdb-server,
# pinned by tools/couch/package-lock.json), only when it is missing or the lock
# file changed. Run by `make test` / `make unit`; tests never download anything.
# Install scripts are not run (--ignore-scripts): leveldown loads its prebuilt
# binary at run time, and sqlite3's script would try to download one.
set -euo pipefail
cd "$(dirname "$0")/../tools/couch"
stamp=node_modules/.lantern-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -x node_modules/.bin/pouchdb-server ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  exit 0
fi
command -v npm >/dev/null 2>&1 || { echo "couch-deps: npm is missing (scripts/system-deps.sh installs nodejs and npm)"; exit 1; }
echo "couch-deps: installing pouchdb-server into tools/couch/node_modules"
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
echo "$want" > "$stamp"
