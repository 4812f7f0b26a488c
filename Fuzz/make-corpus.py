#!/usr/bin/env python3
"""Builds the seed corpora in Fuzz/corpus/<target>/ (git-ignored) from the hand-written seeds in
Fuzz/seeds/, the fixtures in Fixtures/, and the recorded AWS cases and citylots2 rules in
../shared/data (when present).

events:   every case's event (and the hand-written events)
patterns: every case's pattern, valid or not, the citylots2 rules (and the hand-written patterns)
json:     both of the above, plus each fixture file whole

Files are named by the SHA-1 of their content, as libFuzzer names its own, so rebuilding adds
nothing twice; inputs libFuzzer found earlier in the same folder are kept."""
import glob
import hashlib
import json
import os
import sys

FUZZ = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(FUZZ)
SHARED = os.path.join(ROOT, "..", "shared", "data")
AWS_CASES = os.path.join(SHARED, "aws-validated-patterns.json")
CITYLOTS_RULES = os.path.join(SHARED, "citylots2-rules.json")


def compact(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def add(folder, data, counts):
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, hashlib.sha1(data).hexdigest())
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(data)
        counts[folder] = counts.get(folder, 0) + 1


def main():
    out = os.path.join(FUZZ, "corpus")
    counts = {}
    cases, files = [], sorted(glob.glob(os.path.join(ROOT, "Fixtures", "*.json")))
    for path in files:
        cases += json.load(open(path, encoding="utf-8"))
    if os.path.exists(AWS_CASES):
        cases += json.load(open(AWS_CASES, encoding="utf-8"))
    else:
        print(f"note: {AWS_CASES} not found; seeding from Fixtures/ only", file=sys.stderr)
    for case in cases:
        for kind, key in (("events", "event"), ("patterns", "pattern")):
            if key in case:
                data = compact(case[key])
                add(os.path.join(out, kind), data, counts)
                add(os.path.join(out, "json"), data, counts)
    if os.path.exists(CITYLOTS_RULES):
        for category in json.load(open(CITYLOTS_RULES, encoding="utf-8")).values():
            for pattern in category["rules"].values():
                add(os.path.join(out, "patterns"), compact(pattern), counts)
    for path in files:
        add(os.path.join(out, "json"), open(path, "rb").read(), counts)
    for kind in ("events", "patterns", "json"):
        for path in sorted(glob.glob(os.path.join(FUZZ, "seeds", kind, "*"))):
            add(os.path.join(out, kind), open(path, "rb").read(), counts)
    for kind in ("events", "patterns", "json"):
        folder = os.path.join(out, kind)
        print(f"corpus/{kind}: {len(os.listdir(folder))} inputs ({counts.get(folder, 0)} new)")


if __name__ == "__main__":
    main()
