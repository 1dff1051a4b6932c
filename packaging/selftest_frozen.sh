#!/usr/bin/env bash
# Run the packaged app's `--self-test` with no network and a throw-away home,
# once per llama.cpp CPU variant this machine can run.
#   packaging/selftest_frozen.sh [path/to/lantern]   (default: build/package/dist/lantern/lantern)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EXE="${1:-$ROOT/build/package/dist/lantern/lantern}"
[ -x "$EXE" ] || { echo "selftest_frozen: no executable at $EXE (run make package)"; exit 1; }

OFFLINE=()
if unshare -n true 2>/dev/null; then OFFLINE=(unshare -n)
elif unshare -rn true 2>/dev/null; then OFFLINE=(unshare -rn)
else echo "selftest_frozen: warning: cannot create a network namespace; running with the network"; fi

# Every variant the folder ships that this CPU can run (the CI build ships baseline only).
SHIPPED="$(dirname "$EXE")/_internal/llama_cpp_variants"
variants=()
for v in baseline avx avx2; do
  [ -f "$SHIPPED/$v/libllama.so" ] || continue
  case "$v" in
    avx) grep -qw avx /proc/cpuinfo || continue ;;
    avx2) grep -qw avx2 /proc/cpuinfo || continue ;;
  esac
  variants+=("$v")
done
[ ${#variants[@]} -gt 0 ] || { echo "selftest_frozen: no llama.cpp variant in $SHIPPED"; exit 1; }
status=0
for v in "${variants[@]}"; do
  HOME_DIR="$(mktemp -d)"
  t0=$(date +%s.%N)
  set +e
  env -i PATH=/usr/bin:/bin HOME="$HOME_DIR" LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
      LANTERN_CPU_VARIANT="$v" LANTERN_DATA_DIR="$HOME_DIR/data" \
      "${OFFLINE[@]}" "$EXE" --self-test
  rc=$?
  set -e
  t1=$(date +%s.%N)
  printf 'selftest_frozen: variant=%s offline=%s exit=%d time=%.1fs\n' \
         "$v" "${OFFLINE[*]:-no}" "$rc" "$(echo "$t1 - $t0" | bc)"
  [ $rc -eq 0 ] || status=1
  rm -rf "$HOME_DIR"
done
exit $status
