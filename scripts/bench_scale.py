"""Benchmark: corpus-scale labelling into a Parquet dataset (govreport.scale), as issue 18 asks.

The corpus: at least --documents reports, made from the shared reports (every file of corpus/reports/
and corpus/raw/ that the readers read: .txt files, and .csv/.jsonl tables of reports, a table counting
its rows) copied again and again under new names. Runs on it, each into a new dataset:

- 1 process without Dask; a Dask LocalCluster of 1 worker; of 2 workers (one thread each): documents/s,
  sentences/s, peak memory of each worker process; scaling efficiency = (2-worker rate / 1-worker rate) / 2;
- an interruption at 50%, as a Ctrl-C does it: once half the units are committed the run stops and the
  cluster is closed at once (tasks still running are lost), then the same run again on a new cluster.
  It reports the time to resume (cluster start + model load + manifest scan, then the rest) and the
  share of the work redone: the units that were running at the interruption (begun, not committed),
  an upper bound since each was only partly done.

Before each run the machine's load average is recorded: a run on a machine busy with other jobs measures
the contention, not govreport. Times are wall-clock from the first task to the last commit, the model
already loaded (start-up listed apart). Prints a table and writes --json (training/bench_scale.json).

Usage:
  .venv/bin/python scripts/bench_scale.py --model training/models/char/model-best --documents 2000
  .venv/bin/python scripts/bench_scale.py --model PATH --documents 20 --json /tmp/bench_scale.json  # a check
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from govreport.readers import table_rows
from govreport.readers.formats import EXTENSIONS
from govreport.scale import cluster, dataset, run
from govreport.scale.units import DEFAULT_ROWS_PER_TASK, plan_units

ROOT = Path(__file__).resolve().parents[1]
REPORTS_PER_PAPER_RUN = 400_000  # the "on paper" corpus


def make_corpus(sources: list[Path], documents: int, folder: Path) -> int:
    """Copy the report files of ``sources`` round and round under new names (c003_reports_hebei_repo_baoding_2009.txt)
    until they hold at least ``documents`` reports; return how many they hold."""
    files = []  # (path, name in the copy)
    for source in sources:
        found = [(p, p.relative_to(source)) for p in sorted(source.rglob("*"))] if source.is_dir() else \
            [(source, Path(source.name))]
        files += [(path, f"{source.name}_{relative.as_posix().replace('/', '_')}") for path, relative in found
                  if path.is_file() and path.suffix and path.suffix.lower() in EXTENSIONS
                  and not any(part.startswith(".") for part in relative.parts)]
    if not files:
        raise SystemExit(f"no report files in {', '.join(map(str, sources))}")
    reports = {path: table_rows(path) or 1 for path, _ in files}  # a table holds one report per row
    made, copy = 0, 0
    while made < documents:
        for path, name in files:
            if made >= documents:
                break
            shutil.copy(path, folder / f"c{copy:03d}_{name}")
            made += reports[path]
        copy += 1
    return made


def load_average() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


def timed_run(corpus: Path, out: Path, model: str, client, rows_per_task: int, stop_after: int | None = None) -> dict:
    """One run into ``out``; with ``stop_after``, stop (as Ctrl-C) once that many units are committed."""
    identity = cluster.warm_up(client, model) if client is not None else run.local_identity(model)
    dataset.open_dataset(out, identity)
    planned = time.perf_counter()
    plan = run.plan([corpus], out, rows_per_task)
    plan_seconds = time.perf_counter() - planned
    committed = []

    def on_done(entry):
        committed.append(entry)
        if stop_after is not None and len(committed) >= stop_after:
            raise KeyboardInterrupt

    started = time.perf_counter()
    row = {"load_average_before": load_average(), "units": len(plan.todo), "plan_seconds": plan_seconds}
    try:
        result = run.run(plan, out, model, client=client, on_done=on_done)
    except KeyboardInterrupt:
        return {**row, "interrupted_after": len(committed), "seconds": time.perf_counter() - started}
    return {**row, "documents": result.documents, "sentences": result.sentences, "seconds": result.seconds,
            "failed": len(result.failed)}


def executing_tasks(dask_worker) -> list[str]:
    """Keys of the tasks a worker is running now (client.run passes the worker)."""
    return [str(task.key) for task in dask_worker.state.executing]


def peak_rss_here() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def start_cluster(workers: int, model: str) -> tuple[object, float]:
    started = time.perf_counter()
    client = cluster.connect(workers=workers)
    cluster.warm_up(client, model)
    return client, time.perf_counter() - started


def resume_after_half(corpus: Path, out: Path, model: str, rows_per_task: int, units: int) -> dict:
    """Interrupt a 2-worker run at 50% as Ctrl-C does (the cluster closed at once), then run it again."""
    client, _ = start_cluster(2, model)
    try:
        first = timed_run(corpus, out, model, client, rows_per_task, stop_after=max(1, units // 2))
        running = [key for keys in client.run(executing_tasks).values() for key in keys]
    finally:
        cluster.close(client)  # as the CLI does on Ctrl-C: what still runs is lost
    manifest = dataset.read_manifest(out)
    committed = len(manifest)
    done_keys = {entry["key"] for entry in manifest.values()}
    lost = [key for key in running if key.split("-")[1] not in done_keys]  # label_unit-KEY-RUN: begun, not committed
    resumed = time.perf_counter()
    client, startup = start_cluster(2, model)
    try:
        second = timed_run(corpus, out, model, client, rows_per_task)
    finally:
        cluster.close(client)
    documents = dataset.read_table(out, "documents").select(["file", "doc"]).to_pylist()
    exactly_once = len(documents) == len({(d["file"], d["doc"]) for d in documents})
    redone = len(lost) + max(0, second["units"] + committed - units)  # the latter is 0 unless the manifest fails
    return {**second, "interrupted_after": first["interrupted_after"], "committed_before": committed,
            "running_at_interruption": len(running), "lost_at_interruption": len(lost), "startup_seconds": startup,
            "time_to_resume_seconds": startup + second["plan_seconds"],
            "resume_total_seconds": time.perf_counter() - resumed,
            "redone_units": redone, "redone_share": redone / units,
            "documents_in_dataset": len(documents), "each_document_once": exactly_once}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True, help="Installed model package or pipeline folder.")
    parser.add_argument("--documents", type=int, default=2000, help="At least this many reports (default 2000).")
    parser.add_argument("--reports", type=Path, action="append",
                        help="Folders (or files) of reports to repeat (default: corpus/reports and corpus/raw).")
    parser.add_argument("--rows-per-task", type=int, default=DEFAULT_ROWS_PER_TASK)
    parser.add_argument("--json", type=Path, default=ROOT / "training" / "bench_scale.json")
    args = parser.parse_args()
    sources = [p.resolve() for p in (args.reports or [ROOT / "corpus" / "reports", ROOT / "corpus" / "raw"])]
    work = Path(tempfile.mkdtemp(prefix="govreport-bench-scale-"))
    corpus = work / "corpus"
    corpus.mkdir()
    made = make_corpus(sources, args.documents, corpus)
    units = len(list(plan_units([corpus], args.rows_per_task)))
    rows = {}
    try:
        loaded = time.perf_counter()
        run.local_identity(args.model)
        load_seconds = time.perf_counter() - loaded
        rows["1 process, no Dask"] = {**timed_run(corpus, work / "out-local", args.model, None, args.rows_per_task),
                                      "peak_memory_mb": [round(peak_rss_here() / 2**20)], "startup_seconds": load_seconds}
        for workers in (1, 2):
            client, startup = start_cluster(workers, args.model)
            try:
                row = timed_run(corpus, work / f"out-dask{workers}", args.model, client, args.rows_per_task)
                row["peak_memory_mb"] = sorted(round(v / 2**20) for v in cluster.peak_memory_per_worker(client).values())
                row["startup_seconds"] = startup
                rows[f"Dask, {workers} worker{'s' if workers > 1 else ''}"] = row
            finally:
                cluster.close(client)
        rows["resume after 50% (2 workers)"] = resume_after_half(corpus, work / "out-resume", args.model,
                                                                 args.rows_per_task, units)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    for row in rows.values():
        if row.get("documents") is not None and row.get("seconds"):
            row["documents_per_s"] = row["documents"] / row["seconds"]
            row["sentences_per_s"] = row["sentences"] / row["seconds"]
    one, two, alone = rows["Dask, 1 worker"], rows["Dask, 2 workers"], rows["1 process, no Dask"]
    speedup = one["seconds"] / two["seconds"]
    per_core = max(alone["documents_per_s"], two["documents_per_s"] / 2)  # documents/s one core does at best
    summary = {
        "documents": made, "documents_asked": args.documents, "units": units, "rows_per_task": args.rows_per_task,
        "sources": [str(s.relative_to(ROOT)) if s.is_relative_to(ROOT) else str(s) for s in sources],
        "model": args.model, "machine": f"{platform.machine()}, {os.cpu_count()} cores", "rows": rows,
        "speedup_2_vs_1_worker": speedup, "scaling_efficiency_2_workers": speedup / 2,
        "speedup_2_workers_vs_1_process": alone["seconds"] / two["seconds"],
        "on_paper": {"reports": REPORTS_PER_PAPER_RUN, "documents_per_core_hour": per_core * 3600,
                     "sentences_per_document": alone["sentences"] / max(alone["documents"], 1),
                     "core_hours": REPORTS_PER_PAPER_RUN / (per_core * 3600)},
    }
    table = Table(title=f"govreport.scale on {made} documents, {units} units ({summary['machine']})")
    for column in ("run", "load avg before", "units", "documents", "sentences", "seconds", "documents/s",
                   "sentences/s", "peak MB per worker", "start-up s"):
        table.add_column(column, justify="right")
    for name, row in rows.items():
        table.add_row(name, ", ".join(map(str, row["load_average_before"])), str(row["units"]),
                      str(row.get("documents", "")), f"{row.get('sentences', 0):,}", f"{row['seconds']:.1f}",
                      f"{row.get('documents_per_s', 0):.2f}", f"{row.get('sentences_per_s', 0):.0f}",
                      ", ".join(map(str, row.get("peak_memory_mb", []))), f"{row.get('startup_seconds', 0):.1f}")
    console = Console(width=180)
    console.print(table)
    resume = rows["resume after 50% (2 workers)"]
    paper = summary["on_paper"]
    console.print(
        f"2 workers vs 1: {speedup:.2f}x (scaling efficiency {speedup / 2:.0%}; target 1.8x); vs 1 process without "
        f"Dask: {summary['speedup_2_workers_vs_1_process']:.2f}x.\n"
        f"Resume: {resume['committed_before']} of {units} units committed at the interruption, "
        f"{resume['lost_at_interruption']} of the {resume['running_at_interruption']} running were lost; the rerun did "
        f"{resume['units']} units; redone at most "
        f"{resume['redone_units']} units ({resume['redone_share']:.1%} of the work; target < 5%); time to resume "
        f"{resume['time_to_resume_seconds']:.1f} s (cluster {resume['startup_seconds']:.1f} s + manifest scan "
        f"{resume['plan_seconds']:.2f} s), the rest {resume['seconds']:.1f} s; the dataset holds "
        f"{resume['documents_in_dataset']} documents, each once: {resume['each_document_once']}.\n"
        f"On paper: {paper['documents_per_core_hour']:,.0f} reports per core-hour, "
        f"{paper['reports']:,} reports = {paper['core_hours']:,.0f} core-hours.")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
