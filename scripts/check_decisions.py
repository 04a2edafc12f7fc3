"""Check an annotator's decision file against its batch: format only, never labels.

Usage: python scripts/check_decisions.py BATCH.jsonl DECISIONS.jsonl
Each decision row: {"id": ..., "cats": [LABEL...], "spans": [[span_text, LABEL], ...], "comment": "..."}.
"""

import json
import sys

from govreport.labels import LABEL_NAMES

batch_path, decisions_path = sys.argv[1], sys.argv[2]
batch = [json.loads(l) for l in open(batch_path, encoding="utf-8") if l.strip()]
texts = {row["id"]: row["text"] for row in batch}
problems, seen = [], set()
for number, line in enumerate(open(decisions_path, encoding="utf-8"), start=1):
    if not line.strip():
        continue
    try:
        row = json.loads(line)
    except json.JSONDecodeError as err:
        problems.append(f"line {number}: not JSON ({err})")
        continue
    rid = row.get("id")
    if rid not in texts:
        problems.append(f"line {number}: id {rid!r} is not in the batch")
        continue
    if rid in seen:
        problems.append(f"line {number}: id {rid} decided twice")
    seen.add(rid)
    cats, spans = row.get("cats"), row.get("spans")
    if not isinstance(cats, list) or not isinstance(spans, list):
        problems.append(f"line {number} ({rid}): cats and spans must be lists")
        continue
    for label in cats:
        if label not in LABEL_NAMES:
            problems.append(f"line {number} ({rid}): unknown label {label!r}")
    for span in spans:
        if not (isinstance(span, list) and len(span) == 2):
            problems.append(f"line {number} ({rid}): span {span!r} is not [text, LABEL]")
            continue
        span_text, label = span
        if label not in LABEL_NAMES:
            problems.append(f"line {number} ({rid}): unknown span label {label!r}")
        if not span_text or span_text not in texts[rid]:
            problems.append(f"line {number} ({rid}): span text {span_text!r} is not in the sentence")
    span_labels = {label for _, label in spans if isinstance(_, str)} if all(isinstance(s, list) and len(s) == 2 for s in spans) else set()
    if set(cats) != span_labels:
        problems.append(f"line {number} ({rid}): cats {sorted(set(cats))} != span labels {sorted(span_labels)}")
missing = [rid for rid in texts if rid not in seen]
for problem in problems:
    print(problem)
print(f"{len(seen)} of {len(texts)} sentences decided, {len(missing)} missing, {len(problems)} problems")
if missing[:5]:
    print("first missing:", ", ".join(missing[:5]))
sys.exit(1 if problems or missing else 0)
