"""Benchmark: how many sentences get a section kind (plan / review / unknown), in the gold and in the unlabelled
reports, and which top-level headings are left unknown most often (what the next heading word would be).
The section's kind is an input of the model (govreport.clauses.section_kind); an `unknown` sentence is
labelled from its words alone. Writes training/bench_sections.json.

Usage: .venv/bin/python scripts/bench_sections.py [--top 15]
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

from govreport.clauses import section_kind
from govreport.convert import read_annotations

LIST_MARKER = re.compile(r"^(?:[一二三四五六七八九十\d]+[、.．]|[（(][一二三四五六七八九十\d]+[)）])\s*")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--annotations", type=Path, default=Path("annotations/gold.jsonl"))
    parser.add_argument("--unlabelled", type=Path, default=Path("corpus/unlabelled/documents.tsv"),
                        help="Which documents are unlabelled (made by `spacy project run unlabelled`).")
    parser.add_argument("--raw", type=Path, nargs="*", default=[Path("corpus/raw"), Path("corpus/reports")])
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--out", type=Path, default=Path("training/bench_sections.json"))
    args = parser.parse_args()

    from govreport.corpus import process_files
    from govreport.segment import segment

    gold = Counter(section_kind(r.get("section")) for r in read_annotations(args.annotations))
    kept = {line.split("\t")[0] for line in args.unlabelled.read_text(encoding="utf-8").splitlines()[1:]
            if line.rstrip().endswith("\tkept")}
    result = process_files(args.raw)
    unlabelled, unknown_headings = Counter(), Counter()
    for document in (d for f in result.files for d in f.documents if d.doc in kept):
        for sentence in result.sentences.get(document.doc) or segment(document):
            kind = section_kind(sentence.section)
            unlabelled[kind] += 1
            if kind == "unknown":
                unknown_headings[LIST_MARKER.sub("", (sentence.section or "").split(" > ")[0]) or "(no heading)"] += 1
    report = {"gold": share(gold), "unlabelled": {**share(unlabelled), "documents": len(kept)},
              "unknown_headings_unlabelled": dict(unknown_headings.most_common(args.top))}
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for name in ("gold", "unlabelled"):
        r = report[name]
        print(f"{name}: {r['sentences']:,} sentences; " + ", ".join(
            f"{kind} {r[kind]:,} ({r[kind] / r['sentences']:.1%})" for kind in ("plan", "review", "unknown")))
    print("top-level headings of unknown unlabelled sentences:")
    for heading, count in unknown_headings.most_common(args.top):
        print(f"  {count:6,}  {heading}")
    print(f"written to {args.out}")


def share(counts: Counter) -> dict:
    return {"sentences": sum(counts.values()), **{kind: counts[kind] for kind in ("plan", "review", "unknown")}}


if __name__ == "__main__":
    main()
