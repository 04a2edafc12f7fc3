"""Drive a corpus-scale run: which inputs the manifest lacks, submit them to Dask (a bounded number in
flight, so memory does not grow with the corpus) or run them here, report each commit as it happens."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from ..readers import input_files
from . import dataset
from .cluster import ScaleError
from .label_file import cached_pipeline, label_file


@dataclass
class Input:
    path: Path
    name: str  # as reported: relative to the folder given, or the file name
    sha256: str


@dataclass
class Plan:
    todo: list[Input]
    done: list[str]  # inputs the manifest already holds with the same content


@dataclass
class RunResult:
    inputs: int = 0
    already_done: int = 0
    processed: int = 0
    documents: int = 0
    sentences: int = 0
    skipped: int = 0
    seconds: float = 0.0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (input, reason): not committed, redone next run
    interrupted: bool = False


def plan(paths: Iterable[Path], out: Path) -> Plan:
    """Inputs to process: every input file whose name and content hash the manifest does not hold yet.
    A missing path raises FileNotFoundError before anything is read."""
    manifest = dataset.read_manifest(out)
    todo, done = [], []
    for path, name in input_files(paths):
        sha256 = dataset.file_sha256(path)
        entry = manifest.get(name)
        if entry and entry["sha256"] == sha256 and all((Path(out) / part).exists() for part in entry["parts"]):
            done.append(name)
        else:
            todo.append(Input(Path(path).resolve(), name, sha256))
    return Plan(todo, done)


def local_identity(model: str) -> dict:
    """The model's identity, loading it in this process (the run without Dask)."""
    return cached_pipeline(model)[2]


def run(todo: list[Input], out: Path, model: str, client=None, text_column: str | None = None,
        batch_size: int = 256, on_done: Callable[[dict], None] = lambda entry: None,
        in_flight_per_worker: int = 2) -> RunResult:
    """Process ``todo`` (see :func:`plan`) into the dataset at ``out`` (opened with
    ``dataset.open_dataset``): on the Dask cluster of ``client``, or in this process when it is None.
    ``on_done`` gets each committed manifest entry. A task that fails is reported in ``failed`` and left
    out of the manifest; KeyboardInterrupt cancels what is queued and is re-raised (committed inputs stay)."""
    result = RunResult(inputs=len(todo))
    started = time.perf_counter()

    def committed(entry: dict) -> None:
        result.processed += 1
        result.documents += entry["documents"]
        result.sentences += entry["sentences"]
        result.skipped += entry["skipped"]
        on_done(entry)

    try:
        if client is None:
            for item in todo:
                committed(label_file(str(item.path), item.name, item.sha256, str(out), model, text_column, batch_size))
        else:
            _run_on_dask(client, todo, out, model, text_column, batch_size, committed, result, in_flight_per_worker)
    finally:
        result.seconds = time.perf_counter() - started
    return result


def _run_on_dask(client, todo, out, model, text_column, batch_size, committed, result, in_flight_per_worker) -> None:
    from distributed import as_completed

    queue = iter(todo)
    names = {}
    futures = as_completed()
    run_id = uuid.uuid4().hex[:8]

    def submit_next() -> None:
        item = next(queue, None)
        if item is not None:
            future = client.submit(label_file, str(item.path), item.name, item.sha256, str(out), model, text_column,
                                   batch_size, key=f"label_file-{dataset.input_key(item.name)}-{run_id}", pure=False)
            names[future.key] = item.name
            futures.add(future)

    workers = max(1, len(client.scheduler_info(n_workers=-1)["workers"]))
    for _ in range(workers * in_flight_per_worker):
        submit_next()
    try:
        for future in futures:
            try:
                entry = future.result()
            except Exception as err:  # noqa: BLE001 - one input's failure must not stop the others
                result.failed.append((names[future.key], f"{type(err).__name__}: {str(err).splitlines()[0][:300]}"
                                      if str(err) else type(err).__name__))
            else:
                committed(entry)
            future.release()
            submit_next()
    except KeyboardInterrupt:
        result.interrupted = True
        client.cancel(list(futures.futures))  # queued ones; a task already running still commits whole
        raise


__all__ = ["Input", "Plan", "RunResult", "ScaleError", "plan", "run", "local_identity"]
