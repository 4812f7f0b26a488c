#!/usr/bin/env bash
# Builds the libFuzzer targets (AddressSanitizer on) and runs each for SECONDS (default 60) on its
# corpus, then prints executions, exec/s and coverage per target. Fails if any target finds a
# crash, an invariant violation (the targets trap with "invariant violated: ..."), a leak, an
# input slower than the timeout (a hang) or one using too much memory; the input is saved in
# Fuzz/artifacts/<target>/ and the log in Fuzz/logs/<target>.log.
#
#   Fuzz/run.sh [SECONDS] [TARGET...]     targets: events patterns json (default: all three)
#   FUZZ_SKIP_BUILD=1   use the binaries already built
#   FUZZ_TIMEOUT=10     seconds one input may take before it counts as a hang
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(events patterns json)
timeout=${FUZZ_TIMEOUT:-10}

if [ -z "${FUZZ_SKIP_BUILD:-}" ]; then
  # `--sanitize=fuzzer --sanitize=address` would hand swiftc two -sanitize= flags, of which only
  # the last counts; spelled out like this, Swift and C code get both.
  # lld, which the toolchain ships: gold warns about an ASan symbol it cannot export.
  swift build -c release --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=address -Xswiftc -use-ld=lld
fi
python3 make-corpus.py

executable() { case $1 in events) echo FuzzEvents ;; patterns) echo FuzzPatterns ;; json) echo FuzzJSON ;; *) return 1 ;; esac; }
max_len() { case $1 in json) echo 4096 ;; *) echo 2048 ;; esac; }
stat() { sed -n "s/^stat::$1: *//p" "$2" | tail -1; }

mkdir -p logs
# No Swift backtracer: it reads its own stack in a way ASan reports, hiding the real failure.
export SWIFT_BACKTRACE=enable=no
export LSAN_OPTIONS="suppressions=$PWD/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
failed=()
summary=()
for t in "${targets[@]}"; do
  exe=$(executable "$t") || { echo "error: unknown target $t (events, patterns, json)" >&2; exit 2; }
  mkdir -p "artifacts/$t" "corpus/$t"
  log="logs/$t.log"
  echo "== $t: $seconds s"
  status=0
  ".build/release/$exe" -max_total_time="$seconds" -timeout="$timeout" -max_len="$(max_len "$t")" \
    -dict="dict/$t.dict" -artifact_prefix="artifacts/$t/" -print_final_stats=1 "corpus/$t" >"$log" 2>&1 || status=$?
  cov=$(grep -Eo 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "$log" | tail -1 || true)
  summary+=("$(printf '%-9s %10s executions %7s exec/s  %s  slowest input %s s  peak RSS %s MB' "$t" \
    "$(stat number_of_executed_units "$log")" "$(stat average_exec_per_sec "$log")" "${cov:-cov: ?}" \
    "$(stat slowest_unit_time_sec "$log")" "$(stat peak_rss_mb "$log")")")
  if [ "$status" -ne 0 ]; then
    failed+=("$t")
    echo "FAILED: $t (exit $status); the end of $log:" >&2
    grep -E 'invariant violated|ERROR: |SUMMARY: |Test unit written to|Fatal error' "$log" >&2 || tail -40 "$log" >&2
  fi
done

printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing failed: ${failed[*]}" >&2
  exit 1
fi
