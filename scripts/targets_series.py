"""Quantity mentions and links over a series of reports without categories (no model, no gold): roles come
from the section (plan vs review) and cue words only. Prints per-document mention counts, roles, links and
panel statuses.

    .venv/bin/python scripts/targets_series.py corpus/reports/hailar/
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from govreport.corpus import list_inputs, process_files
from govreport.targets import track_targets


def main(paths: list[str]) -> None:
    result = process_files(list_inputs([Path(p) for p in paths]))
    rows = [{**s.to_dict(), "cats": [], "spans": []} for d in result.documents for s in result.sentences[d.doc]]
    records, links, panel = track_targets(result.documents, rows)
    for d in result.documents:
        mine = [r for r in records if r["doc"] == d.doc]
        print(f"{d.doc}\t{d.place}\tplans {d.planned_years}\treviews {d.reviewed_years}\tmentions {len(mine)}\t"
              f"with metric id {sum(1 for r in mine if r['metric_id'])}")
    print("mentions", len(records), "with a metric id", sum(1 for r in records if r["metric_id"]))
    print("roles", dict(Counter(r["role"] for r in records)))
    print("links", dict(Counter(l["link_type"] for l in links)))
    cross = [l for l in links if l["link_type"] == "cross_year"]
    print("cross-year links by metric", dict(Counter(l["metric_id"] for l in cross)))
    print("cross-year link statuses", dict(Counter(l["status"] for l in cross)))
    print("panel rows", len(panel), dict(Counter(r["status"] for r in panel)))
    for l in sorted(cross, key=lambda l: (l["metric_id"], l["year"]))[:40]:
        print(f"  {l['year']}\t{l['metric_id']}\t{l['quantity_type']}\t{l['target_text']} ({l['comparator']}) -> "
              f"{l['result_text']}\t{l['status']}\tconf {l['confidence']}")


if __name__ == "__main__":
    main(sys.argv[1:] or ["corpus/reports/hailar/"])
