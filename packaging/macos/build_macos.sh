#!/usr/bin/env bash
# Build Lantern.app and a .dmg on a Mac (macOS 11+). Run from the repository root:
#   bash packaging/macos/build_macos.sh
# Needs: Python 3.11 (python.org installer or Homebrew), Xcode Command Line Tools
# (xcode-select --install), CMake (brew install cmake). Optional: create-dmg
# (brew install create-dmg) for a prettier disk image; hdiutil is used otherwise.
# Internet is needed only here, at build time (PyPI).
#
# CPU variants: on Apple Silicon (arm64) one build (NEON is always there; Metal
# is left off so the package is CPU-only and simple). On Intel Macs the same two
# builds as Linux: baseline (no AVX), avx and avx2; lantern.llm.cpu_variant reads
# `sysctl machdep.cpu` at start to pick one.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3.11}"
LLAMA_VERSION=0.3.36
VERSION="$("$PYTHON" -c 'import tomllib; print(tomllib.load(open("pyproject.toml","rb"))["project"]["version"])')"
ARCH="$(uname -m)"

# 1. build environment
[ -d .venv-mac ] || "$PYTHON" -m venv .venv-mac
PY="$ROOT/.venv-mac/bin/python"
export CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_METAL=OFF"
"$PY" -m pip install -q --upgrade pip
"$PY" -m pip install -q -e '.[package]' pillow

# 2. llama.cpp variants
SRC="$ROOT/build/llama-src"
mkdir -p "$SRC"
if [ ! -d "$SRC/llama_cpp_python-$LLAMA_VERSION" ]; then
  "$PY" -m pip download -q --no-deps --no-binary :all: "llama-cpp-python==$LLAMA_VERSION" -d "$SRC"
  tar -xzf "$SRC/llama_cpp_python-$LLAMA_VERSION.tar.gz" -C "$SRC"
fi
LLAMA="$SRC/llama_cpp_python-$LLAMA_VERSION/vendor/llama.cpp"
COMMON=(-DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=ON -DGGML_NATIVE=OFF -DGGML_METAL=OFF
        -DGGML_BLAS=OFF -DGGML_OPENMP=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF
        -DLLAMA_BUILD_SERVER=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_APP=OFF
        -DLLAMA_BUILD_COMMON=OFF -DLLAMA_OPENSSL=OFF -DLLAMA_CURL=OFF
        -DCMAKE_INSTALL_RPATH=@loader_path -DCMAKE_BUILD_WITH_INSTALL_RPATH=ON
        -DCMAKE_OSX_DEPLOYMENT_TARGET=11.0)
if [ "$ARCH" = arm64 ]; then
  VARIANTS=(baseline)
else
  VARIANTS=(baseline avx avx2)
fi
for v in "${VARIANTS[@]}"; do
  case "$v:$ARCH" in
    baseline:arm64) EXTRA=() ;;
    baseline:*) EXTRA=(-DGGML_SSE42=OFF -DGGML_AVX=OFF -DGGML_AVX2=OFF -DGGML_BMI2=OFF -DGGML_FMA=OFF -DGGML_F16C=OFF) ;;
    avx:*) EXTRA=(-DGGML_SSE42=ON -DGGML_AVX=ON -DGGML_AVX2=OFF -DGGML_BMI2=OFF -DGGML_FMA=OFF -DGGML_F16C=OFF) ;;
    avx2:*) EXTRA=(-DGGML_SSE42=ON -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_BMI2=ON -DGGML_FMA=ON -DGGML_F16C=ON) ;;
  esac
  B="$ROOT/build/llama-build-$v"
  cmake -S "$LLAMA" -B "$B" "${COMMON[@]}" "${EXTRA[@]}"
  cmake --build "$B" -j 2
  OUT="$ROOT/build/llama-variants/$v"
  rm -rf "$OUT"; mkdir -p "$OUT"
  cp -a "$B"/bin/lib{llama,ggml,ggml-base,ggml-cpu}*.dylib "$OUT"/
done

# 3. icon + .app
ICONSET="$ROOT/build/lantern.iconset"
rm -rf "$ICONSET"; mkdir -p "$ICONSET"
for s in 16 32 128 256 512; do
  sips -s format png -z $s $s packaging/linux/lantern-256.png --out "$ICONSET/icon_${s}x${s}.png" >/dev/null
done
iconutil -c icns "$ICONSET" -o "$ROOT/build/lantern.icns"
export LANTERN_ICON="$ROOT/build/lantern.icns"
export LANTERN_LLAMA_VARIANTS_BUILD="$ROOT/build/llama-variants"
"$PY" -m PyInstaller --noconfirm --distpath build/package/dist --workpath build/package/pyi packaging/lantern.spec
APP="$ROOT/build/package/dist/Lantern.app"
"$APP/Contents/MacOS/lantern" --version
"$APP/Contents/MacOS/lantern" --self-test

# Ad-hoc signature (no Apple developer account): Gatekeeper asks once, see docs/INSTALL.md.
codesign --force --deep --sign - "$APP"

# 4. .dmg
mkdir -p dist
DMG="dist/lantern-$VERSION-macos-$ARCH.dmg"
rm -f "$DMG"
if command -v create-dmg >/dev/null; then
  create-dmg --volname "Lantern $VERSION" --window-size 540 360 --icon-size 96 \
    --icon "Lantern.app" 140 170 --app-drop-link 400 170 "$DMG" "$APP"
else
  STAGE="$ROOT/build/dmg"
  rm -rf "$STAGE"; mkdir -p "$STAGE"
  cp -R "$APP" "$STAGE/"
  ln -s /Applications "$STAGE/Applications"
  hdiutil create -volname "Lantern $VERSION" -srcfolder "$STAGE" -ov -format UDZO "$DMG"
fi
ls -lh "$DMG"
