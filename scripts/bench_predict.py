"""Benchmark: `govreport predict` end to end (read, normalise, segment, label, write JSONL/CSV/HTML)
on each input folder, with 1 and 2 processes. Prints one table. The time includes starting Python and loading
the model (about a second), so a small folder (corpus/raw, 15 reports) shows what one quick run costs and a
large one (corpus/reports, 110 reports) the rate of a corpus-scale run.

Usage: .venv/bin/python scripts/bench_predict.py --model zh_govreport|PATH [--raw corpus/raw corpus/reports]
       [--repeat 2]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", required=True)
    parser.add_argument("--raw", type=Path, nargs="+", default=[Path("corpus/raw"), Path("corpus/reports")])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path("training/bench_predict.json"))
    args = parser.parse_args()
    table = Table(title=f"govreport predict end to end (best of {args.repeat}; includes loading the model)")
    for column in ("input", "processes", "documents", "sentences", "seconds", "documents/s", "sentences/s"):
        table.add_column(column, justify="right")
    rows = []
    for raw in args.raw:
        for n_process in (1, 2):
            best = float("inf")
            for _ in range(args.repeat):
                out = Path(tempfile.mkdtemp(prefix="govreport-bench-predict-"))
                start = time.perf_counter()
                subprocess.run([sys.executable, "-m", "govreport", "predict", str(raw), "--model", args.model,
                                "-o", str(out), "--n-process", str(n_process)], check=True, capture_output=True)
                best = min(best, time.perf_counter() - start)
            summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
            documents = len(summary["documents"])
            sentences = sum(d["sentences"] for d in summary["documents"])
            table.add_row(str(raw), str(n_process), str(documents), str(sentences), f"{best:.1f}",
                          f"{documents / best:.2f}", f"{sentences / best:,.0f}")
            rows.append({"raw": str(raw), "processes": n_process, "documents": documents, "sentences": sentences,
                         "seconds": round(best, 2), "sentences_per_second": round(sentences / best)})
    Console().print(table)
    args.out.write_text(json.dumps({"model": args.model, "runs": rows}, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
