#!/usr/bin/env bash
# Builds `eventflow` in release, generates the synthetic citylots2 file on first use, runs
# `eventflow bench` for every rule category (scanning mode as given: --stop-early or nothing),
# checks every count against the reference engine's, and prints a markdown table.
#   Benchmarks/run-citylots.sh [--stop-early] [--passes N]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
shared="$(dirname "$root")/shared/data"
cache="$here/.cache"
mkdir -p "$cache"
[ -f "$cache/citylots2-synth.jsonl" ] || {
  [ -f "$cache/citylots2-synth.json.gz" ] || python3 "$shared/gen_citylots2_synth.py" "$cache/citylots2-synth.json.gz"
  gzip -dc "$cache/citylots2-synth.json.gz" > "$cache/citylots2-synth.jsonl"
}
(cd "$root" && scripts/ensure-deps.sh && swift build -c release --product eventflow >/dev/null)
python3 - "$root/.build/release/eventflow" "$shared" "$cache/citylots2-synth.jsonl" "$@" <<'PY'
import json, subprocess, sys, tempfile, os
tool, shared, events, extra = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
rules = json.load(open(os.path.join(shared, "citylots2-rules.json")))
counts = json.load(open(os.path.join(shared, "citylots2-synth-counts.json")))
reference = {"EXACT": 375e3, "PREFIX": 369e3, "SUFFIX": 325e3, "EQUALS_IGNORE_CASE": 325e3, "WILDCARD": 302e3,
             "NUMERIC": 218e3, "ANYTHING_BUT": 166e3, "COMPLEX_ARRAYS": 39e3, "PARTIAL_COMBO": 80e3, "COMBO": 24e3}
print("| category | events/s | event-ruler | ratio | counts |")
print("|---|---:|---:|---:|---|")
failed = False
for name, category in rules.items():
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(category["rules"], f)
    out = subprocess.run([tool, "bench", "--rules", f.name, events] + extra, capture_output=True, text=True, check=True)
    os.unlink(f.name)
    result = json.loads(out.stdout)
    ok = result["counts"] == counts[name]
    failed |= not ok
    ref = reference.get(name)
    ratio = f"{result['events_per_second'] / ref:.1f}x" if ref else "–"
    print(f"| {name} | {result['events_per_second']:,} | {f'{ref:,.0f}' if ref else '–'} | {ratio} | {'exact' if ok else 'WRONG'} |")
sys.exit(1 if failed else 0)
PY
