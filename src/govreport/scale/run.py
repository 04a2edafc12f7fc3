"""Drive a corpus-scale run of `govreport predict --parquet`: which units (files, row batches of tables)
the manifest lacks, submit them to Dask (a bounded number in flight, so memory does not grow with the
corpus) or run them here, report each commit as it happens."""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from . import dataset
from .cluster import ScaleError, submit_bounded
from .label_unit import cached_pipeline, label_unit
from .units import DEFAULT_ROWS_PER_TASK, WorkUnit, plan_units


@dataclass
class Plan:
    todo: list[WorkUnit]
    done: list[str]  # units the manifest already holds with the same content
    stale: list[dict] = field(default_factory=list)  # manifest entries of these files that are no unit any more


@dataclass
class RunResult:
    inputs: int = 0  # units to do
    already_done: int = 0
    processed: int = 0
    documents: int = 0
    sentences: int = 0
    skipped: int = 0
    seconds: float = 0.0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (unit, reason): not committed, redone next run
    interrupted: bool = False


def plan(paths: Iterable[Path], out: Path, rows_per_task: int = DEFAULT_ROWS_PER_TASK) -> Plan:
    """Units to process (:mod:`.units`: files, and row batches of big tables): every unit whose name and
    file content hash the manifest does not hold yet. Manifest entries of the same files that are no
    unit now (the table changed size, or another ``rows_per_task``) are ``stale``: :func:`run` retires
    them first. A missing path raises FileNotFoundError before anything is read."""
    manifest = dataset.read_manifest(out)
    todo, done, names, files = [], [], set(), set()
    for unit in plan_units(paths, rows_per_task, sha256_of=dataset.file_sha256):
        names.add(unit.name)
        files.add(unit.file)
        entry = manifest.get(unit.name)
        if entry and entry["sha256"] == unit.sha256 and all((Path(out) / part).exists() for part in entry["parts"]):
            done.append(unit.name)
        else:
            todo.append(unit)
    stale = [entry for name, entry in sorted(manifest.items())
             if entry.get("file", name) in files and name not in names]
    return Plan(todo, done, stale)


def local_identity(model: str) -> dict:
    """The model's identity, loading it in this process (the run without Dask)."""
    return cached_pipeline(model)[2]


def run(plan: Plan, out: Path, model: str, client=None, text_column: str | None = None,
        batch_size: int = 256, on_done: Callable[[dict], None] = lambda entry: None,
        in_flight_per_worker: int = 2) -> RunResult:
    """Carry out ``plan`` (see :func:`plan`) into the dataset at ``out`` (opened with
    ``dataset.open_dataset``): retire its stale entries, then label its units on the Dask cluster of
    ``client``, or in this process when it is None. ``on_done`` gets each committed manifest entry. A
    task that fails is reported in ``failed`` and left out of the manifest; KeyboardInterrupt cancels
    what is queued and is re-raised (committed units stay)."""
    result = RunResult(inputs=len(plan.todo), already_done=len(plan.done))
    started = time.perf_counter()
    for entry in plan.stale:
        dataset.retire(out, entry)

    def committed(entry: dict) -> None:
        result.processed += 1
        result.documents += entry["documents"]
        result.sentences += entry["sentences"]
        result.skipped += entry["skipped"]
        on_done(entry)

    try:
        if client is None:
            for unit in plan.todo:
                committed(label_unit(unit, str(out), model, text_column, batch_size))
        else:
            tasks = submit_bounded(client, label_unit, plan.todo, str(out), model, text_column, batch_size,
                                   name=lambda unit: dataset.input_key(unit.name),
                                   in_flight_per_worker=in_flight_per_worker)
            with contextlib.closing(tasks):  # leaving early cancels what is queued
                for unit, future in tasks:
                    try:
                        entry = future.result()
                    except Exception as err:  # noqa: BLE001 - one unit's failure must not stop the others
                        result.failed.append((unit.name, f"{type(err).__name__}: {str(err).splitlines()[0][:300]}"
                                              if str(err) else type(err).__name__))
                    else:
                        committed(entry)
    except KeyboardInterrupt:
        result.interrupted = True
        raise
    finally:
        result.seconds = time.perf_counter() - started
    return result


__all__ = ["Plan", "RunResult", "ScaleError", "WorkUnit", "plan", "run", "local_identity"]
