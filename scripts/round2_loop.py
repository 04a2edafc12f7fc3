"""How the model in the loop did in round 2 (issue 15): correction rates against the model's
suggestions and, on the same sentences, against the cue-word rule of round 1; where the model
was most often wrong (per label, per level); and sentences decided per hour from the
annotators' notes (`date -u` at the start and end of each batch).

    .venv/bin/python scripts/round2_loop.py      # prints tables, writes annotations/round-2/loop.json
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path

from govreport.labels import LABEL_NAMES

ROOT = Path(__file__).resolve().parent.parent
R2 = ROOT / "annotations" / "round-2"
DATE = re.compile(r"[A-Z][a-z]{2} [A-Z][a-z]{2} +\d{1,2} \d\d:\d\d:\d\d UTC \d{4}")


def changed(final: set, suggested: set, label: str) -> bool:
    return (label in final) != (label in suggested)


def main() -> None:
    gold = {r["id"]: r for r in map(json.loads, open(R2 / "gold.jsonl", encoding="utf-8"))}
    batches = {}
    for path in sorted((R2 / "batches").glob("*.jsonl")):
        for row in map(json.loads, open(path, encoding="utf-8")):
            batches[row["id"]] = row
    levels = {d["doc"]: d["level"] for d in map(json.loads, open(R2 / "documents.jsonl", encoding="utf-8"))}
    rows = [(gold[i], batches[i]) for i in gold if i in batches]
    table = {}
    for source in ("model", "cue_word"):
        out = {"sentences": len(rows)}
        any_changed = 0
        for label in LABEL_NAMES:
            added = removed = 0
            for g, b in rows:
                final = set(g["cats"])
                suggested = set(b["suggested"]["cats"] if source == "model" else b["cue_word"]["cats"])
                added += label in final and label not in suggested
                removed += label not in final and label in suggested
            out[label] = {"added": added, "removed": removed, "changed_rate": round((added + removed) / len(rows), 4)}
        for g, b in rows:
            suggested = set(b["suggested"]["cats"] if source == "model" else b["cue_word"]["cats"])
            any_changed += set(g["cats"]) != suggested
        out["any_changed_rate"] = round(any_changed / len(rows), 4)
        table[source] = out
    per_level = defaultdict(Counter)
    for g, b in rows:
        level = levels.get(g["doc"], "?")
        per_level[level]["sentences"] += 1
        per_level[level]["changed"] += set(g["cats"]) != set(b["suggested"]["cats"])
    speed = {}
    for note in sorted((R2 / "notes").glob("*.md")):
        stamps = [datetime.strptime(re.sub(" +", " ", s), "%a %b %d %H:%M:%S UTC %Y")
                  for s in DATE.findall(note.read_text(encoding="utf-8"))]
        n = sum(1 for _ in open(R2 / "decisions" / f"{note.stem}.jsonl", encoding="utf-8"))
        if len(stamps) >= 2 and stamps[-1] > stamps[0]:
            hours = (stamps[-1] - stamps[0]).total_seconds() / 3600
            speed[note.stem] = {"sentences": n, "minutes": round(hours * 60, 1), "per_hour": round(n / hours)}
    result = {"correction_rates": table,
              "model_changed_by_level": {lv: {**c, "rate": round(c["changed"] / c["sentences"], 4)}
                                         for lv, c in sorted(per_level.items())},
              "sentences_per_hour": speed}
    (R2 / "loop.json").write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{'suggested by':12} {'any label':>10} " + " ".join(f"{l:>12}" for l in LABEL_NAMES))
    for source, out in table.items():
        print(f"{source:12} {out['any_changed_rate']:>10.1%} " + " ".join(
            f"{out[l]['changed_rate']:>12.1%}" for l in LABEL_NAMES))
    print("model suggestion changed, by level: " + ", ".join(
        f"{lv} {v['rate']:.1%} of {v['sentences']}" for lv, v in result["model_changed_by_level"].items()))
    print("where the model was wrong (categories added / removed by annotators): " + ", ".join(
        f"{l} +{table['model'][l]['added']}/-{table['model'][l]['removed']}" for l in LABEL_NAMES))
    if speed:
        total_n = sum(v["sentences"] for v in speed.values())
        total_h = sum(v["minutes"] for v in speed.values()) / 60
        print(f"sentences per hour (batch start to finish, {len(speed)} batches): {total_n / total_h:.0f}")
    print(f"written to {R2 / 'loop.json'}")


if __name__ == "__main__":
    main()
