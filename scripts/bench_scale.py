"""Benchmark: corpus-scale labelling into a Parquet dataset (govreport.scale) on N documents — the
.txt reports of corpus/reports repeated under new names to reach N — with 1 process without Dask, a
Dask LocalCluster of 1 worker and of 2 workers; scaling efficiency; peak memory per worker; and the
time to resume after an interruption at 50%. Prints a table, writes training/bench_scale.json.

Usage: .venv/bin/python scripts/bench_scale.py --model PATH|zh_govreport [--documents 80] [--reports corpus/reports]

Times are wall-clock from submitting the first input to the last commit (the model already loaded
in every worker: ``cluster.warm_up``); cluster start-up and model loading are listed apart.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import shutil
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from govreport.scale import cluster, dataset, run


def make_corpus(reports: Path, documents: int, folder: Path) -> None:
    sources = sorted(p for p in reports.rglob("*.txt") if not any(part.startswith(".") for part in p.parts))
    for i in range(documents):
        source = sources[i % len(sources)]
        shutil.copy(source, folder / f"d{i:05d}_{source.stem}.txt")


def timed_run(corpus: Path, out: Path, model: str, client, stop_after: int | None = None) -> dict:
    identity = cluster.warm_up(client, model) if client is not None else run.local_identity(model)
    dataset.open_dataset(out, identity)
    planned = time.perf_counter()
    todo = run.plan([corpus], out).todo
    plan_seconds = time.perf_counter() - planned
    done = []

    def on_done(entry):
        done.append(entry)
        if stop_after is not None and len(done) >= stop_after:
            raise KeyboardInterrupt

    started = time.perf_counter()
    try:
        result = run.run(todo, out, model, client=client, on_done=on_done)
    except KeyboardInterrupt:
        return {"interrupted_after": len(done), "seconds": time.perf_counter() - started}
    return {"inputs": len(todo), "documents": result.documents, "sentences": result.sentences,
            "seconds": result.seconds, "plan_seconds": plan_seconds, "failed": len(result.failed)}


def peak_rss_here() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", required=True)
    parser.add_argument("--documents", type=int, default=80)
    parser.add_argument("--reports", type=Path, default=Path("corpus/reports"))
    parser.add_argument("--json", type=Path, default=Path("training/bench_scale.json"))
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="govreport-bench-scale-"))
    corpus = work / "corpus"
    corpus.mkdir()
    make_corpus(args.reports, args.documents, corpus)
    rows = {}
    try:
        loaded = time.perf_counter()
        run.local_identity(args.model)
        load_seconds = time.perf_counter() - loaded
        rows["1 process, no Dask"] = {**timed_run(corpus, work / "out-local", args.model, None),
                                      "peak_memory_mb": [round(peak_rss_here() / 2**20)], "startup_seconds": load_seconds}
        for workers in (1, 2):
            started = time.perf_counter()
            client = cluster.connect(workers=workers)
            cluster.warm_up(client, args.model)
            startup = time.perf_counter() - started
            try:
                row = timed_run(corpus, work / f"out-dask{workers}", args.model, client)
                row["peak_memory_mb"] = sorted(round(v / 2**20) for v in cluster.peak_memory_per_worker(client).values())
                row["startup_seconds"] = startup
                rows[f"Dask, {workers} worker{'s' if workers > 1 else ''}"] = row
                if workers == 2:  # interruption at 50%, then the same command again
                    out = work / "out-resume"
                    first = timed_run(corpus, out, args.model, client, stop_after=args.documents // 2)
                    deadline = time.monotonic() + 120
                    while any(client.processing().values()) and time.monotonic() < deadline:
                        time.sleep(0.1)  # tasks running at Ctrl-C still commit whole
                    committed = len(dataset.read_manifest(out))
                    second = timed_run(corpus, out, args.model, client)
                    rows["resume after 50% (2 workers)"] = {
                        **second, "committed_before": committed, "interrupted_after": first["interrupted_after"],
                        "redone": second["inputs"] + committed - args.documents}
            finally:
                cluster.close(client)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    base = rows["Dask, 1 worker"]
    for row in rows.values():
        if "documents" in row and row.get("seconds"):
            row["documents_per_s"] = row["documents"] / row["seconds"]
            row["sentences_per_s"] = row["sentences"] / row["seconds"]
    two = rows["Dask, 2 workers"]
    speedup = base["seconds"] / two["seconds"]
    summary = {"documents": args.documents, "model": args.model, "machine": f"{platform.machine()}, "
               f"{__import__('os').cpu_count()} cores (shared)", "rows": rows,
               "speedup_2_vs_1_worker": speedup, "scaling_efficiency_2_workers": speedup / 2}
    table = Table(title=f"govreport.scale on {args.documents} documents ({summary['machine']})")
    for column in ("run", "inputs", "documents", "sentences", "seconds", "documents/s", "sentences/s",
                   "peak MB per worker", "start-up s"):
        table.add_column(column, justify="right")
    for name, row in rows.items():
        table.add_row(name, str(row.get("inputs", "")), str(row.get("documents", "")), f"{row.get('sentences', 0):,}",
                      f"{row['seconds']:.1f}", f"{row.get('documents_per_s', 0):.2f}",
                      f"{row.get('sentences_per_s', 0):.0f}", ", ".join(map(str, row.get("peak_memory_mb", []))),
                      f"{row.get('startup_seconds', 0):.1f}")
    console = Console(width=160)
    console.print(table)
    resume = rows["resume after 50% (2 workers)"]
    console.print(f"2 workers vs 1: {speedup:.2f}x (scaling efficiency {speedup / 2:.0%}); resume: "
                  f"{resume['committed_before']} of {args.documents} committed before the interruption, the rerun "
                  f"did {resume['inputs']} (redone: {resume['redone']}), manifest scan {resume['plan_seconds']:.2f} s, "
                  f"rerun {resume['seconds']:.1f} s")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
