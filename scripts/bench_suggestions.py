"""Benchmark: does the model save annotators work? Correction rates of the model's suggestions
and of the cue-word rule's, against the gold, on the held-out test documents of the split.

A correction rate is what an annotator would have to change (docs/DOCCANO.md, "Model in the loop"):
per label, sentences whose category was added or removed, and 1 - 2*kept/(suggested+final) for spans.

Usage: .venv/bin/python scripts/bench_suggestions.py [--model training/models/clause/model-best]
       [--annotations annotations/gold.jsonl] [--split training/split.json] [--out training/bench_suggestions.json]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import spacy
from rich.console import Console
from rich.table import Table

from govreport.convert import read_annotations
from govreport.evaluate import write_json
from govreport.labels import LABEL_NAMES
from govreport.predict import model_suggestions
from govreport.stats import suggestion_changes
from govreport.suggest import suggest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=Path("training/models/clause/model-best"))
    parser.add_argument("--annotations", type=Path, default=Path("annotations/gold.jsonl"))
    parser.add_argument("--split", type=Path, default=Path("training/split.json"))
    parser.add_argument("--out", type=Path, default=Path("training/bench_suggestions.json"))
    args = parser.parse_args()

    test_docs = set(json.loads(args.split.read_text(encoding="utf-8"))["test"])
    rows = [r for r in read_annotations(args.annotations) if r["doc"] in test_docs]
    by_model = model_suggestions(rows, spacy.load(args.model), source=str(args.model))
    report = {}
    for name, suggested in (("cue-word rule", {r["id"]: suggest(r["text"], r.get("section") or "") for r in rows}),
                            ("model", by_model)):
        report[name] = suggestion_changes([{**r, "suggested": suggested[r["id"]]} for r in rows])
    table = Table(title=f"Correction rates against the gold: {len(rows)} sentences of the test documents "
                        f"({', '.join(sorted(test_docs))})")
    table.add_column("suggested by")
    table.add_column("sentences changed", justify="right")
    for label in LABEL_NAMES:
        table.add_column(f"{label} cat / span", justify="right")
    for name, changes in report.items():
        table.add_row(name, f"{changes['any']['category_changed_rate']:.1%}",
                      *(f"{changes[label]['category_changed_rate']:.1%} / {changes[label]['span_changed_rate']:.1%}"
                        for label in LABEL_NAMES))
    Console(width=160).print(table)
    write_json(args.out, {"model": str(args.model), "test_documents": sorted(test_docs), "sentences": len(rows),
                          "correction_rates": report})


if __name__ == "__main__":
    main()
