#!/usr/bin/env bash
# The 1 MB event against 1,000 rules of every kind (issue 11), on the inputs of
# `python3 Benchmarks/gen-hostile.py DIR`.
#
#   Benchmarks/run-1mb-event.sh DIR [BINARY]          CPU time per event, three runs
#   Benchmarks/run-1mb-event.sh --instructions DIR [BINARY]
#                                                     instructions per event (callgrind)
#
# CPU time: user time of `bench --passes 11` less that of `--passes 1` over big-x20.jsonl (20
# copies of the event), divided by 200, so loading the rules and the file cancels out. Run it
# under `nice -n -15` on a busy machine. Instructions: EventMatcher.matches counted with
# `--passes 3` less `--passes 1` on big.jsonl, halved (the warm-up pass grows buffers); hashing
# deterministic, and the binary stripped of debug information, which valgrind 3.19 cannot read
# from Swift 6.3 builds.
set -euo pipefail
mode=cpu
if [ "${1:-}" = "--instructions" ]; then mode=instructions; shift; fi
dir=${1:?usage: run-1mb-event.sh [--instructions] DIR [BINARY]}
binary=${2:-"$(cd "$(dirname "$0")/.." && pwd)/.build/release/eventflow"}
cd "$dir"
if [ $mode = cpu ]; then
  [ -f big-x20.jsonl ] || for _ in $(seq 20); do cat big.jsonl; done > big-x20.jsonl
  for _ in 1 2 3; do
    load=$(cut -d' ' -f1 /proc/loadavg)
    one=$(/usr/bin/time -f "%U" "$binary" bench --rules rules1000.json big-x20.jsonl --passes 1 2>&1 >/dev/null | tail -1)
    eleven=$(/usr/bin/time -f "%U" "$binary" bench --rules rules1000.json big-x20.jsonl --passes 11 2>&1 >/dev/null | tail -1)
    python3 -c "print('load $load: %.1f ms of CPU per event' % (($eleven - $one) / 200 * 1000))"
  done
else
  stripped=$(mktemp)
  trap 'rm -f "$stripped" "$stripped".cg1 "$stripped".cg3' EXIT
  strip --strip-debug -o "$stripped" "$binary"
  symbol='$s13EventPatterns0A7MatcherC7matches5eventSaySSGSRys5UInt8VG_tAA9JSONErrorVYKF'
  count() {
    SWIFT_DETERMINISTIC_HASHING=1 valgrind --tool=callgrind --toggle-collect="$symbol" \
      --callgrind-out-file="$stripped.cg$1" "$stripped" bench --rules rules1000.json big.jsonl --passes "$1" 2>&1 >/dev/null |
      sed -n 's/.*Collected : //p'
  }
  a=$(count 1)
  b=$(count 3)
  python3 -c "print('%.2f M instructions per event' % (($b - $a) / 2 / 1e6))"
fi
