#!/usr/bin/env python3
"""Two `eventflow` builds side by side on the citylots2 file, interleaved, for ratios that hold
on a loaded machine: each round runs every category once with each build (the order of the two
alternating per category and round), every count checked against citylots2-synth-counts.json.
Prints a markdown table of both builds' median events/s and the median of the per-round ratios.
With --cpu, speed is events per second of the process's own CPU time (user + system), which the
machine's other tenants disturb far less than wall clock: each measurement runs the build twice,
with 1 and with 1 + PASSES passes, and divides the difference by PASSES (loading cancels out).
  python3 Benchmarks/compare-builds.py OLD_EVENTFLOW NEW_EVENTFLOW [--rounds 3] [--passes 3]
      [--events FILE.jsonl] [--categories EXACT,PREFIX] [--stop-early] [--cpu]
"""
import argparse, json, os, resource, statistics, subprocess, sys, tempfile

here = os.path.dirname(os.path.abspath(__file__))
shared = os.path.join(os.path.dirname(os.path.dirname(here)), "shared", "data")
ap = argparse.ArgumentParser()
ap.add_argument("old")
ap.add_argument("new")
ap.add_argument("--rounds", type=int, default=3)
ap.add_argument("--passes", type=int, default=3)
ap.add_argument("--events", default=os.path.join(here, ".cache", "citylots2-synth.jsonl"))
ap.add_argument("--categories", default="")
ap.add_argument("--stop-early", action="store_true")
ap.add_argument("--cpu", action="store_true")
args = ap.parse_args()
rules = json.load(open(os.path.join(shared, "citylots2-rules.json")))
counts = json.load(open(os.path.join(shared, "citylots2-synth-counts.json")))
names = args.categories.split(",") if args.categories else list(rules)
files = {}
for name in names:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(rules[name]["rules"], f)
        files[name] = f.name
mode = ["--stop-early"] if args.stop_early else []
speed = {(n, b): [] for n in names for b in ("old", "new")}
ratios = {n: [] for n in names}
failed = False
for r in range(args.rounds):
    for i, name in enumerate(names):
        order = ["old", "new"] if (r + i) % 2 == 0 else ["new", "old"]
        got = {}
        for which in order:
            tool = args.old if which == "old" else args.new
            cpu = []
            for passes in ([1, 1 + args.passes] if args.cpu else [args.passes]):
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                out = subprocess.run([tool, "bench", "--rules", files[name], args.events, "--passes", str(passes)] + mode,
                                     capture_output=True, text=True, check=True)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
                result = json.loads(out.stdout)
                if result["counts"] != counts[name]:
                    print(f"{name}: WRONG counts from {which}", file=sys.stderr)
                    failed = True
            got[which] = result["events"] * args.passes / (cpu[1] - cpu[0]) if args.cpu else result["events_per_second"]
            speed[(name, which)].append(got[which])
        ratios[name].append(got["new"] / got["old"])
for f in files.values():
    os.unlink(f)
unit = "events/CPU-s" if args.cpu else "events/s"
print(f"| category | old {unit} | new {unit} | new ÷ old (median of {args.rounds} rounds) | rounds' range |")
print("|---|---:|---:|---:|---:|")
for name in names:
    rs = ratios[name]
    print(f"| {name} | {statistics.median(speed[(name, 'old')]):,.0f} | {statistics.median(speed[(name, 'new')]):,.0f} | "
          f"{statistics.median(rs):.2f} | {min(rs):.2f}–{max(rs):.2f} |")
sys.exit(1 if failed else 0)
