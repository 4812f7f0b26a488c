#!/usr/bin/env python3
"""Scaling: match time per event and compile time for 1 … 100,000 rules of one kind.

Rules are generated deterministically on one field (`detail.v`) and, for the multi-field
variant, as rules on three fields that all share their first field's value. Runs
`eventflow bench` (release build at ../.build/release/eventflow) and prints a markdown table.
  python3 Benchmarks/run-scaling.py [--stop-early]
(SCALING_KINDS=exact,numeric to pick kinds, SCALING_SIZES=1,100000 to pick rule counts,
SCALING_RUNS=3 runs per figure, whose median is reported; EVENTFLOW_BIN to time another build)
"""
import json, os, random, subprocess, sys, tempfile

here = os.path.dirname(os.path.abspath(__file__))
tool = os.environ.get("EVENTFLOW_BIN") or os.path.join(os.path.dirname(here), ".build", "release", "eventflow")
extra = sys.argv[1:]
rng = random.Random(7)
words = ["%06d" % i for i in range(200000)]

def events(n=20000):
    out = []
    for i in range(n):
        w = words[rng.randrange(len(words))]
        out.append(json.dumps({"source": "bench", "detail": {"v": w, "n": rng.randrange(1000000),
            "ip": "10.%d.%d.%d" % (rng.randrange(256), rng.randrange(256), rng.randrange(256)),
            "a": "x", "b": "y", "pad": "z" * 200}}))
    return "\n".join(out) + "\n"

def rule(kind, i):
    w = words[i]
    return {
        "exact": {"detail": {"v": [w]}},
        "prefix": {"detail": {"v": [{"prefix": w[:5]}]}},
        "suffix": {"detail": {"v": [{"suffix": w[1:]}]}},
        "equals-ignore-case": {"detail": {"v": [{"equals-ignore-case": w}]}},
        "wildcard": {"detail": {"v": [{"wildcard": w[:3] + "*" + w[4:]}]}},
        # Disjoint ranges, so a bigger rule set does not mean more matches per event.
        "numeric": {"detail": {"n": [{"numeric": [">=", i * 10, "<", i * 10 + 5]}]}},
        "anything-but": {"detail": {"v": [{"anything-but": w}]}},
        "cidr": {"detail": {"ip": [{"cidr": "10.%d.%d.0/24" % (i // 256 % 256, i % 256)}]}},
        "regex": {"detail": {"v": [{"regex": w[:4] + "[0-9]{2}"}]}},
        "multi-field": {"detail": {"a": ["x"], "b": ["y"], "v": [w]}},
    }[kind]

sizes = [int(x) for x in os.environ.get("SCALING_SIZES", "1,10,100,1000,10000,100000").split(",")]
limits = {"anything-but": 10000, "regex": 10000, "cidr": 10000}
with tempfile.TemporaryDirectory() as d:
    ev = os.path.join(d, "events.jsonl")
    open(ev, "w").write(events())
    print("| kind | rules | µs/event | runs' range | matches/event | compile s | bytes/rule |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    kinds = ["exact", "prefix", "suffix", "equals-ignore-case", "wildcard", "numeric", "anything-but", "cidr", "regex", "multi-field"]
    if os.environ.get("SCALING_KINDS"):
        kinds = os.environ["SCALING_KINDS"].split(",")
    for kind in kinds:
        for n in sizes:
            if n > limits.get(kind, 100000):
                continue
            rf = os.path.join(d, "rules.json")
            json.dump({"r%d" % i: rule(kind, i) for i in range(n)}, open(rf, "w"))
            # The machine is noisy at large rule counts (memory-bound): the figure is the median
            # over several runs of the median pass of each.
            runs = [json.loads(subprocess.run([tool, "bench", "--rules", rf, ev, "--passes", "5"] + extra,
                                              capture_output=True, text=True, check=True).stdout)
                    for _ in range(int(os.environ.get("SCALING_RUNS", "3")))]
            runs.sort(key=lambda o: o["events_per_second"])
            out = runs[len(runs) // 2]
            per_event = sum(out["counts"].values()) / out["events"]
            fastest, slowest = 1e6 / runs[-1]["events_per_second"], 1e6 / runs[0]["events_per_second"]
            print("| %s | %d | %.2f | %.2f–%.2f | %.3f | %s | %d |" % (kind, n, 1e6 / out["events_per_second"], fastest, slowest,
                                                      per_event, out["compile_seconds"], out["rules_resident_bytes"] // n))
            sys.stdout.flush()
