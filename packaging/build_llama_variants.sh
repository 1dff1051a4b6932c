#!/usr/bin/env bash
# Build portable llama.cpp shared libraries for Lantern's packages.
#
# `pip install llama-cpp-python` compiles llama.cpp with -march=native: the
# result can die with SIGILL on an older laptop. A package for clinics ships
# two CPU variants of the same llama.cpp (the one vendored by the pinned
# llama-cpp-python release) side by side:
#
#   baseline  plain x86-64 (SSE2 only): runs on every 64-bit x86 CPU
#   avx       SSE4.2 + AVX only (Intel Sandy/Ivy Bridge 2011-2013, AMD Bulldozer)
#   avx2      AVX + AVX2 + FMA + F16C + BMI2 (Intel Haswell 2013+, AMD Excavator/Zen)
#
# lantern/llm/cpu_variant.py picks one at start by reading the CPU flags and
# points llama_cpp at it with LLAMA_CPP_LIB_PATH (override: LANTERN_CPU_VARIANT).
#
# Output: build/llama-variants/<variant>/lib{llama,ggml,ggml-base,ggml-cpu}.so*
#         with RUNPATH=$ORIGIN, plus BUILD-INFO.txt (CMAKE_ARGS, compiler, source sha256).
#
# Usage: packaging/build_llama_variants.sh [baseline] [avx] [avx2]   (default: all three)
# Env:   LLAMA_CPP_PYTHON_VERSION (default: the version installed in .venv),
#        JOBS (default 2), NICE (default 15), OUT (default build/llama-variants)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PY:-$ROOT/.venv/bin/python}"
VERSION="${LLAMA_CPP_PYTHON_VERSION:-$("$PY" -c 'import importlib.metadata as m; print(m.version("llama-cpp-python"))')}"
SRC_ROOT="$ROOT/build/llama-src"
OUT="${OUT:-$ROOT/build/llama-variants}"
JOBS="${JOBS:-2}"
NICE="${NICE:-15}"
VARIANTS=("$@")
[ ${#VARIANTS[@]} -eq 0 ] && VARIANTS=(baseline avx avx2)

# Options shared by every variant: only the libraries, no tools, no network
# code, no OpenMP runtime to bundle (ggml's own thread pool is used).
COMMON_ARGS=(
  -DCMAKE_BUILD_TYPE=Release
  -DBUILD_SHARED_LIBS=ON
  -DGGML_NATIVE=OFF
  -DGGML_BACKEND_DL=OFF
  -DGGML_OPENMP=OFF
  -DLLAMA_BUILD_TESTS=OFF
  -DLLAMA_BUILD_EXAMPLES=OFF
  -DLLAMA_BUILD_SERVER=OFF
  -DLLAMA_BUILD_TOOLS=OFF
  -DLLAMA_BUILD_APP=OFF
  -DLLAMA_BUILD_COMMON=OFF
  -DLLAMA_OPENSSL=OFF
  -DLLAMA_CURL=OFF
  -DCMAKE_INSTALL_RPATH='$ORIGIN'
  -DCMAKE_BUILD_WITH_INSTALL_RPATH=ON
)

# Sets VARGS to the CMake options of one variant.
variant_args() {
  local arch=(-DCMAKE_C_FLAGS="-march=x86-64 -mtune=generic" -DCMAKE_CXX_FLAGS="-march=x86-64 -mtune=generic")
  case "$1" in
    baseline)
      VARGS=(-DGGML_SSE42=OFF -DGGML_AVX=OFF -DGGML_AVX2=OFF -DGGML_BMI2=OFF
             -DGGML_FMA=OFF -DGGML_F16C=OFF -DGGML_AVX512=OFF "${arch[@]}") ;;
    avx)
      VARGS=(-DGGML_SSE42=ON -DGGML_AVX=ON -DGGML_AVX2=OFF -DGGML_BMI2=OFF
             -DGGML_FMA=OFF -DGGML_F16C=OFF -DGGML_AVX512=OFF "${arch[@]}") ;;
    avx2)
      VARGS=(-DGGML_SSE42=ON -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_BMI2=ON
             -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_AVX512=OFF "${arch[@]}") ;;
    *) echo "unknown variant: $1" >&2; return 1 ;;
  esac
}

fetch_source() {
  local sdist="$SRC_ROOT/llama_cpp_python-$VERSION.tar.gz"
  if [ ! -f "$sdist" ]; then
    mkdir -p "$SRC_ROOT"
    # Build time only: the source release of the pinned llama-cpp-python.
    "$PY" -m pip download -q --no-deps --no-binary :all: "llama-cpp-python==$VERSION" -d "$SRC_ROOT"
  fi
  if [ ! -d "$SRC_ROOT/llama_cpp_python-$VERSION/vendor/llama.cpp" ]; then
    tar -xzf "$sdist" -C "$SRC_ROOT"
  fi
  echo "$SRC_ROOT/llama_cpp_python-$VERSION/vendor/llama.cpp"
}

build_variant() {
  local variant="$1" src="$2"
  local bdir="$ROOT/build/llama-build-$variant" stage="$ROOT/build/llama-stage-$variant"
  local dest="$OUT/$variant"
  variant_args "$variant"
  local vargs=("${VARGS[@]}")
  echo "== $variant: configuring"
  local gen=()
  command -v ninja >/dev/null && gen=(-G Ninja)
  cmake -S "$src" -B "$bdir" "${gen[@]}" "${COMMON_ARGS[@]}" "${vargs[@]}" \
        -DCMAKE_INSTALL_PREFIX="$stage" >"$ROOT/build/llama-$variant.configure.log"
  echo "== $variant: compiling (nice -n $NICE, $JOBS jobs)"
  local t0=$SECONDS
  nice -n "$NICE" cmake --build "$bdir" --config Release -j "$JOBS" >"$ROOT/build/llama-$variant.build.log"
  rm -rf "$stage"
  cmake --install "$bdir" >/dev/null
  rm -rf "$dest"; mkdir -p "$dest"
  cp -a "$stage"/lib*/lib{llama,ggml,ggml-base,ggml-cpu}.so* "$dest"/
  {
    echo "variant: $variant"
    echo "llama-cpp-python: $VERSION"
    echo "source sha256: $(sha256sum "$SRC_ROOT/llama_cpp_python-$VERSION.tar.gz" | cut -d' ' -f1)"
    echo "compiler: $(${CC:-cc} --version | head -1)"
    echo "cmake args: ${COMMON_ARGS[*]} ${vargs[*]}"
    echo "build seconds: $((SECONDS - t0))"
  } >"$dest/BUILD-INFO.txt"
  echo "== $variant: done in $((SECONDS - t0)) s -> $dest"
}

SRC="$(fetch_source)"
for v in "${VARIANTS[@]}"; do
  build_variant "$v" "$SRC"
done
