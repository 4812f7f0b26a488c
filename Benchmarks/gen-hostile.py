#!/usr/bin/env python3
"""Writes the inputs of the hostile-input measurements in Benchmarks/README.md into OUT_DIR:

- items10k.jsonl + items-rule.json: one event (about 230 KB) whose detail.items holds 10,000
  objects, against one array-consistent rule (issue 11's 2.6 s case);
- big.jsonl + rules1000.json: one event of about 1 MB (10,000 items of six fields) against
  1,000 rules of every kind, a third of them naming two fields of the items (array consistency);
- regex-arr.jsonl + regex-rule.json: an array of 2,300 strings against (a+)+$ (the 45 s case);
- wild4000.json, wild5000.json, wild250000.json: a wildcard star followed by N letters;
- nums43k.json, nums100k.json: one rule whose value list holds N numbers.

Usage: python3 Benchmarks/gen-hostile.py OUT_DIR   (deterministic)
"""
import json, os, random, sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
def write(name, obj, jsonl=False):
    with open(os.path.join(out, name), "w") as f:
        f.write(json.dumps(obj, separators=(",", ":")) + ("\n" if jsonl else ""))

items = [{"sku": "A" if i % 7 == 0 else "B%d" % i, "qty": i % 5} for i in range(10000)]
write("items10k.jsonl", {"id": "1", "source": "s", "detail": {"items": items}}, jsonl=True)
write("items-rule.json", {"r": {"detail": {"items": {"sku": ["A"], "qty": [{"numeric": [">=", 2]}]}}}})

rng = random.Random(11)
words = ["alpha", "beta", "gamma", "delta", "Straße", "ORD-%06d", "eu-west-1", "us-east-1"]
big = []
for i in range(10000):
    big.append({"sku": "S%05d" % i, "qty": i % 97, "name": rng.choice(words).replace("%06d", "%06d" % i) + " item %d" % i,
                "ip": "10.%d.%d.%d" % (i % 256, (i // 256) % 256, i % 7), "price": round(i * 0.37, 2),
                "tags": ["t%d" % (i % 13), "t%d" % (i % 17)]})
write("big.jsonl", {"id": "e1", "source": "shop", "detail-type": "Order", "detail": {"items": big, "state": "open"}}, jsonl=True)
rules = {}
kinds = ["exact", "prefix", "suffix", "ignore", "wildcard", "anything", "numeric", "cidr", "exists", "regex", "pair"]
for r in range(1000):
    k = kinds[r % len(kinds)]
    n = rng.randrange(10000)
    field = {"exact": ("sku", ["S%05d" % n]), "prefix": ("name", [{"prefix": "gamma item %d" % n}]),
             "suffix": ("name", [{"suffix": "item %d" % n}]), "ignore": ("name", [{"equals-ignore-case": "BETA ITEM %d" % n}]),
             "wildcard": ("name", [{"wildcard": "*item %d*" % n}]), "anything": ("tags", [{"anything-but": ["t1", "t2"]}]),
             "numeric": ("price", [{"numeric": [">", n * 0.37, "<=", n * 0.37 + 1]}]), "cidr": ("ip", [{"cidr": "10.%d.0.0/16" % (n % 256)}]),
             "exists": ("qty", [{"exists": r % 2 == 0}]), "regex": ("name", [{"regex": "ORD-0*%d item [0-9]+" % n}]),
             "pair": None}[k]
    if field is None:
        rules["r%d" % r] = {"detail": {"items": {"sku": ["S%05d" % n], "qty": [{"numeric": [">=", rng.randrange(97)]}]}}}
    else:
        rules["r%d" % r] = {"detail": {"items": {field[0]: field[1]}}}
write("rules1000.json", rules)

write("regex-arr.jsonl", {"s": ["a" * 100 + "!" for _ in range(2300)]}, jsonl=True)
write("regex-rule.json", {"r": {"s": [{"regex": "(a+)+$"}]}})
for n in (4000, 5000, 250000):
    write("wild%d.json" % n, {"w": {"s": [{"wildcard": "*" + "a" * n}]}})
for n in (43000, 100000):
    write("nums%dk.json" % (n // 1000), {"nums": {"n": list(range(n))}})
