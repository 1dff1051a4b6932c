#!/usr/bin/env bash
# Install the Debian packages Lantern needs, only those that are missing.
# Usage: scripts/system-deps.sh [run|test|package]
set -euo pipefail
purpose="${1:-run}"
# Qt (PySide6-Essentials) needs these at run time, even offscreen; the rest build llama.cpp.
pkgs=(libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0
      libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-randr0 libxcb-render-util0
      libxcb-image0 libxcb-xinerama0 libxcb-xkb1
      build-essential cmake python3-venv)
case "$purpose" in
  # iproute2 brings loopback up inside the tests' network namespace (scripts/offline.sh);
  # Node.js and npm run the sync tests' CouchDB-protocol server (scripts/couch-deps.sh):
  # Debian's packages only where no node/npm is installed (a NodeSource nodejs ships
  # its own npm and conflicts with Debian's)
  # poppler-utils: pdftotext reads back the PDFs the print tests write
  test) pkgs+=(xvfb iproute2 poppler-utils)
        { command -v node && command -v npm; } >/dev/null 2>&1 || pkgs+=(nodejs npm) ;;
  package) pkgs+=(xvfb patchelf file binutils) ;;
esac
command -v dpkg >/dev/null 2>&1 || { echo "system-deps: not a Debian system; install the equivalents of: ${pkgs[*]}"; exit 0; }
missing=()
for p in "${pkgs[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "system-deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
