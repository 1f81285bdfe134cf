#!/usr/bin/env python3
"""Turns the tagged benchmark lines of a gpu-check results file into one table.

Input lines (written by bench/gpu-check.sh): `<case> java <family> ... batch=<b> images_per_s=<x>`,
`<case> hf <family> mode=<eager|compile> ... batch=<b> images_per_s=<x>` and
`<case> e2e <family> ... batch=<b> ... ratio=<r>`. Prints a markdown table with Vitrail's rate, HF
eager and compiled rates and the two ratios the issue sets targets for (>= 1.0 eager, >= 0.8
compiled), then the end-to-end ratios (target >= 0.9).
"""
import re, sys

rows, e2e = {}, []
for line in open(sys.argv[1]):
    parts = line.split()
    if len(parts) < 3 or parts[1] not in ("java", "hf", "e2e"):
        continue
    case, side = parts[0], parts[1]
    kv = dict(p.split("=", 1) for p in parts[3:] if "=" in p)
    if "batch" not in kv:
        continue
    key = (case, int(kv["batch"]))
    if side == "e2e":
        e2e.append((case, kv["batch"], kv.get("flow_images_per_s"), kv.get("bare_images_per_s"),
                    kv.get("ratio")))
        continue
    if "images_per_s" not in kv:
        continue
    col = "vitrail" if side == "java" else "hf_" + kv.get("mode", "eager")
    rows.setdefault(key, {})[col] = float(kv["images_per_s"])
    rows[key]["dtype"] = kv.get("dtype", "")


def fmt(x):
    return "-" if x is None else f"{x:.1f}"


def ratio(a, b):
    return "-" if a is None or not b else f"{a / b:.2f}"


print()
print("| case | batch | Vitrail img/s | HF eager img/s | HF compile img/s | vs eager (>=1.0) | vs compile (>=0.8) |")
print("|---|---|---|---|---|---|---|")
for (case, b), r in sorted(rows.items(), key=lambda kv: (list(dict.fromkeys(c for c, _ in rows)).index(kv[0][0]), kv[0][1])):
    v, he, hc = r.get("vitrail"), r.get("hf_eager"), r.get("hf_compile")
    print(f"| {case} | {b} | {fmt(v)} | {fmt(he)} | {fmt(hc)} | {ratio(v, he)} | {ratio(v, hc)} |")
if e2e:
    print()
    print("| case | batch | end-to-end img/s | bare tower loop img/s | ratio (>=0.9) |")
    print("|---|---|---|---|---|")
    for case, b, flow, bare, r in e2e:
        print(f"| {case} | {b} | {flow} | {bare} | {r} |")
