"""Turn annotators' decision files (span *texts*) into annotation rows (span *offsets*),
keeping the suggestion the annotator was shown (cue words in round 1, the model's in round 2) beside each answer, ready for `govreport doccano annotate`.

Usage: python scripts/decisions_to_annotations.py DECISIONS_DIR BATCHES_DIR -o OUT.jsonl
A span text that occurs several times in a sentence is placed at the first occurrence
not yet used, preferring one that starts a clause. Problems are printed with the id.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from govreport.segment import clause_spans


def locate(text: str, span_text: str, used: set[int]) -> int | None:
    starts = [i for i in range(len(text)) if text.startswith(span_text, i) and i not in used]
    if not starts:
        return None
    clause_starts = {s for s, _ in clause_spans(text)}
    return next((i for i in starts if i in clause_starts), starts[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("decisions", type=Path)
    parser.add_argument("batches", type=Path)
    parser.add_argument("-o", "--out", type=Path, required=True)
    args = parser.parse_args()
    problems = 0
    rows = []
    for decision_file in sorted(args.decisions.glob("*.jsonl")):
        batch_file = args.batches / decision_file.name
        batch = {r["id"]: r for r in map(json.loads, batch_file.read_text(encoding="utf-8").splitlines())}
        for number, line in enumerate(decision_file.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            decision = json.loads(line)
            source = batch[decision["id"]]
            text = source["text"]
            used: set[int] = set()
            spans = []
            for span_text, label in decision["spans"]:
                start = locate(text, span_text, used)
                if start is None:
                    print(f"{decision_file}:{number}: {decision['id']}: span {span_text!r} not in sentence")
                    problems += 1
                    continue
                used.add(start)
                spans.append([start, start + len(span_text), label])
            spans.sort()
            suggested_spans, used_by_suggestion = [], set()
            for span_text, label in source.get("suggested_spans", []):
                start = locate(text, span_text, used_by_suggestion)
                used_by_suggestion.add(start)
                suggested_spans.append([start, start + len(span_text), label])
            # round 2 batches carry the model's suggestion whole (offsets, source, scores, margin)
            suggested = source.get("suggested") or {"cats": source.get("suggested_cats", []),
                                                     "spans": sorted(suggested_spans)}
            rows.append({"id": decision["id"], "doc": source["doc"], "section": source["section"], "text": text,
                         "cats": sorted(decision["cats"]), "spans": spans, "suggested": suggested,
                         "comment": decision.get("comment", "")})
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} annotation rows written to {args.out}; {problems} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
