"""Write one annotation batch per document (sentences + cue-word suggestions) and the
second-pass sample (no suggestions, no first answers) for the agreement study.

Usage: python scripts/make_annotation_batches.py [--sample-docs DOC ...] [--per-doc N]
"""

from __future__ import annotations

import argparse
import json
import random
from collections import defaultdict
from pathlib import Path

from govreport.corpus import read_jsonl
from govreport.segment import clause_spans
from govreport.suggest import suggest

WORK = Path("annotations/round-1/work")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample-docs", nargs="*", default=[
        "000_c7a70a9378ec9201", "002_64d07a0e13e76aaa", "004_078140478d723068",
        "003_cfee10404340668b-01", "003_cfee10404340668b-07"])
    parser.add_argument("--per-doc", type=int, default=45)
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--docs", nargs="*", help="Only (re)write the batches of these documents.")
    parser.add_argument("--no-sample", action="store_true", help="Leave the second-pass sample as it is.")
    parser.add_argument("--sample-file", default="input.jsonl", help="Name of the sample file in second_pass/.")
    parser.add_argument("--no-batches", action="store_true", help="Only write the second-pass sample.")
    args = parser.parse_args()

    by_doc = defaultdict(list)
    for row in read_jsonl(Path("corpus/sentences.jsonl")):
        by_doc[row["doc"]].append(row)
    (WORK / "batches").mkdir(parents=True, exist_ok=True)
    for doc, rows in by_doc.items():
        if (args.docs and doc not in args.docs) or args.no_batches:
            continue
        with open(WORK / "batches" / f"{doc}.jsonl", "w", encoding="utf-8") as f:
            for row in rows:
                s = suggest(row["text"], row["section"])
                f.write(json.dumps({
                    "id": row["id"], "doc": doc, "section": row["section"], "text": row["text"],
                    "clauses": [row["text"][a:b] for a, b in clause_spans(row["text"])],
                    "suggested_cats": s["cats"],
                    "suggested_spans": [[row["text"][a:b], label] for a, b, label in s["spans"]],
                }, ensure_ascii=False) + "\n")
    if args.no_sample:
        print(f"batches written for {', '.join(args.docs or by_doc)}; second-pass sample left as it is")
        return
    rng = random.Random(args.seed)
    sample = []
    for doc in args.sample_docs:
        rows = by_doc[doc]
        picked = sorted(rng.sample(range(len(rows)), min(args.per_doc, len(rows))))
        sample += [rows[i] for i in picked]
    (WORK / "second_pass").mkdir(parents=True, exist_ok=True)
    with open(WORK / "second_pass" / args.sample_file, "w", encoding="utf-8") as f:
        for row in sample:
            f.write(json.dumps({
                "id": row["id"], "doc": row["doc"], "section": row["section"], "text": row["text"],
                "clauses": [row["text"][a:b] for a, b in clause_spans(row["text"])],
            }, ensure_ascii=False) + "\n")
    print(f"{len(by_doc)} batches, second-pass sample of {len(sample)} sentences from {len(args.sample_docs)} documents")


if __name__ == "__main__":
    main()
