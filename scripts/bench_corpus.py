"""Benchmark: normalise + segment throughput on the corpus. Prints one table.

Usage: .venv/bin/python scripts/bench_corpus.py [--raw corpus/raw] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from govreport.corpus import list_inputs
from govreport.normalise import normalise_file, read_report
from govreport.segment import segment


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--raw", type=Path, default=Path("corpus/raw"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path, default=Path("training/bench_corpus.json"))
    args = parser.parse_args()
    files = list_inputs([args.raw])
    raw_chars = sum(len(read_report(f)[0]) for f in files)

    timings = {"normalise": [], "segment": []}
    documents = sentences = 0
    for _ in range(args.repeat):
        start = time.perf_counter()
        results = [normalise_file(f) for f in files]
        timings["normalise"].append(time.perf_counter() - start)
        start = time.perf_counter()
        segmented = [segment(d) for r in results for d in r.documents]
        timings["segment"].append(time.perf_counter() - start)
        documents, sentences = len(segmented), sum(len(s) for s in segmented)

    table = Table(title=f"normalise + segment on {args.raw} ({len(files)} files, {documents} documents, "
                        f"{sentences} sentences, {raw_chars:,} raw characters; best of {args.repeat})")
    for column in ("stage", "seconds", "characters/s", "sentences/s"):
        table.add_column(column, justify="right")
    best = {stage: min(times) for stage, times in timings.items()}
    best["normalise + segment"] = best["normalise"] + best["segment"]
    for stage, seconds in best.items():
        table.add_row(stage, f"{seconds:.3f}", f"{raw_chars / seconds:,.0f}", f"{sentences / seconds:,.0f}")
    Console().print(table)
    args.out.write_text(json.dumps({"raw": str(args.raw), "files": len(files), "documents": documents,
                                    "sentences": sentences, "raw_chars": raw_chars,
                                    "seconds": {k: round(v, 4) for k, v in best.items()},
                                    "chars_per_second": round(raw_chars / best["normalise + segment"])},
                                   indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
