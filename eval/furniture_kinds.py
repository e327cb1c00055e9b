"""Recall per kind of furniture on a split of the furniture set, from a `copydesk eval` JSON report.

    copydesk eval --cats boilerplate --format json --show-errors ../shared/realworld/furniture/holdout > ev.json
    python -m eval.furniture_kinds ev.json holdout

The kinds are the set's own rough buckets (labels.tsv, column ``kind``; first matching pattern
wins, see ../shared/realworld/furniture/README.md); a gold finding is missed when the report
lists it as a miss.
"""
from __future__ import annotations

import csv
import json
import os
import sys
from collections import Counter

SET = os.path.join("..", "shared", "realworld", "furniture")


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    report, split = argv
    with open(report, encoding="utf-8") as handle:
        data = json.load(handle)
    missed = {(os.path.basename(e["path"])[:-4], e["start"]) for e in data.get("errors", []) if e["kind"] == "miss"}
    total: Counter[str] = Counter()
    found: Counter[str] = Counter()
    with open(os.path.join(SET, "labels.tsv"), encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    for row in rows:
        if row["split"] != split or row["label"] != "furniture":
            continue
        start, end = int(row["start"]), int(row["end"])
        kind = row["kind"] or "other"
        total[kind] += 1
        # A mixed paragraph's findings are parts of it: missed when any part starts inside it.
        if not any(name == row["file"] and start <= s < end for name, s in missed):
            found[kind] += 1
    print("| kind | gold | found | recall |\n|---|---:|---:|---:|")
    for kind, count in total.most_common():
        print(f"| {kind} | {count} | {found[kind]} | {found[kind] / count:.2f} |")
    print(f"| **all** | {sum(total.values())} | {sum(found.values())} | {sum(found.values()) / sum(total.values()):.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
