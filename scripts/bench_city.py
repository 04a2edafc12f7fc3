"""Benchmark for issue 9: what the two city reports add, cross-validated by document.

Three settings, each with the same models (spaCy char pipeline, TF-IDF, rules):
  township only      k folds over the township documents;
  township + city    the same township folds, with the city documents added to every training part
                     (never tested), so the figures are comparable with the first setting;
  all documents      k folds over all documents (city documents are also tested).
Prints one table per setting (per-label F1, PROBLEM and TARGET included) and a summary of
PROBLEM/TARGET F1, and writes training/bench_city.json.

Usage: .venv/bin/python scripts/bench_city.py [--annotations annotations/gold.jsonl] [--folds 5]
       [--models spacy-char tfidf rules]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from govreport.cli.evaluate import metrics_table
from govreport.convert import read_annotations
from govreport.corpus import read_jsonl
from govreport.evaluate import RuleModel, SpacyModel, TfidfModel, cross_validate, write_json


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--annotations", type=Path, default=Path("annotations/gold.jsonl"))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--models", nargs="*", default=["spacy-char", "tfidf", "rules"])
    parser.add_argument("--config", type=Path, default=Path("configs/char.cfg"))
    parser.add_argument("--out", type=Path, default=Path("training/bench_city.json"))
    args = parser.parse_args()

    rows = read_annotations(args.annotations)
    levels = {d["doc"]: d["level"] for d in read_jsonl(Path("corpus/documents.jsonl"))}
    township = [r for r in rows if levels.get(r["doc"]) == "township"]
    city = [r for r in rows if levels.get(r["doc"]) == "city"]
    if not city:
        raise SystemExit(f"{args.annotations} has no city-level document: nothing to compare.")
    makers = {"spacy-char": lambda: SpacyModel(args.config), "tfidf": TfidfModel, "rules": RuleModel}
    settings = {
        "township only": (township, None),
        "township + city in training": (township, city),
        "all documents": (rows, None),
    }
    console = Console(width=160)
    report = {"folds": args.folds, "sentences": {"township": len(township), "city": len(city)}, "settings": {}}
    for setting, (cv_rows, extra) in settings.items():
        results = {}
        for name in args.models:
            start = time.perf_counter()
            results[name] = cross_validate(makers[name], cv_rows, k=args.folds, extra_train=extra)
            results[name]["wall_seconds"] = time.perf_counter() - start
            console.print(f"{setting}: {name} done in {results[name]['wall_seconds']:.0f} s")
        report["settings"][setting] = results
        console.print(metrics_table(f"{setting}: {args.folds}-fold CV by document, {len(cv_rows)} sentences tested"
                                    + (f", +{len(extra)} city sentences in every training part" if extra else ""),
                                    results))
    summary = Table(title="PROBLEM and TARGET F1 (cross-validated by document)")
    for column in ("model", *(f"{label} {setting}" for label in ("PROBLEM", "TARGET") for setting in settings)):
        summary.add_column(column, justify="right")
    for name in args.models:
        summary.add_row(name, *(f"{report['settings'][setting][name]['cats']['per_label'][label]['f']:.3f}"
                                for label in ("PROBLEM", "TARGET") for setting in settings))
    console.print(summary)
    write_json(args.out, report)
    console.print(f"written to {args.out}")


if __name__ == "__main__":
    main()
