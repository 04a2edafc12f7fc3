"""The corpus-scale runs (govreport.scale) behind `govreport predict ... --parquet OUT [--workers N |
--scheduler ADDRESS]` and `govreport corpus --workers N | --scheduler ADDRESS`: the cluster with its
dashboard link, and a progress bar of documents/s and sentences/s."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ._util import console, err_console, fail, good, warn


def open_cluster(workers: int | None, scheduler: str | None):
    """The Dask client of --workers N (a LocalCluster here) or --scheduler ADDRESS (a running cluster),
    with its dashboard link printed; None without either (the run stays in this process)."""
    from ..scale import cluster

    if workers is not None and scheduler:
        fail("give --workers (a LocalCluster here) or --scheduler (a running cluster), not both.")
    if workers is None and not scheduler:
        return None
    try:
        client = cluster.connect(scheduler=scheduler, workers=workers)
    except cluster.ScaleError as err:
        fail(str(err))
    link = cluster.dashboard_link(client)
    console.print(f"Dask dashboard: {link}" if link else
                  "Dask dashboard: none (the scheduler has no bokeh: pip install 'bokeh>=3.1' where it runs)")
    return client


def predict_to_parquet(paths: list[Path], model: str, out: Path, workers: int | None, scheduler: str | None,
                       batch_size: int, rows_per_task: int, text_column: str | None = None) -> None:
    from ..scale import cluster, dataset, run

    if workers is not None and scheduler:
        fail("give --workers (a LocalCluster here) or --scheduler (a running cluster), not both.")
    if rows_per_task < 1:
        fail("--rows-per-task must be 1 or more.")
    try:
        plan = run.plan(paths, out, rows_per_task)  # a missing path is an error before any work
    except FileNotFoundError as err:
        fail(f"{err}.")
    if not plan.todo and not plan.done:
        fail(f"no report files in {', '.join(map(str, paths))}.")
    client = open_cluster(workers, scheduler)
    try:
        if client is not None:
            identity = cluster.warm_up(client, model)
        else:
            identity = _load_here(model)
        dataset.open_dataset(out, identity)
        retired = f"; {len(plan.stale)} units of an earlier split retired" if plan.stale else ""
        console.print(f"{len(plan.done)} of {len(plan.done) + len(plan.todo)} units (files, row batches) already in "
                      f"{out} (manifest); {len(plan.todo)} to do with {identity['name']} {identity['version']}{retired}")
        with _progress() as bar:
            task = bar.add_task("labelling", total=len(plan.todo), rate="")
            result = run.run(plan, out, model, client=client, text_column=text_column, batch_size=batch_size,
                             on_done=_rate_updater(bar, task))
    except (cluster.ScaleError, dataset.DatasetError) as err:
        fail(str(err))
    except KeyboardInterrupt:
        fail(f"interrupted: the units committed so far stay in {out}; run the same command again to do the rest.",
             code=130)
    finally:
        if client is not None:
            cluster.close(client)
    for name, reason in result.failed:
        warn(f"failed {name}: {reason} (not in the manifest: a rerun tries it again)")
    good(f"{result.processed} units -> {result.documents} documents, {result.sentences} sentences, "
         f"{result.skipped} skipped, in {result.seconds:.1f} s: {out}/ (sentences/, documents/, skipped/, _manifest/)")
    if result.failed:
        fail(f"{len(result.failed)} units failed; see above.")


def corpus_on_dask(files: list[Path], workers: int | None, scheduler: str | None, rows_per_task: int,
                   text_column: str | None):
    """`govreport corpus --workers/--scheduler`: the CorpusResult of the files, read on the cluster."""
    from ..scale import cluster
    from ..scale.corpus_files import process_units_on_dask
    from ..scale.units import plan_units

    if rows_per_task < 1:
        fail("--rows-per-task must be 1 or more.")
    units = list(plan_units(files, rows_per_task))
    client = open_cluster(workers, scheduler)
    try:
        with _progress() as bar:
            task = bar.add_task("read + normalise + segment", total=len(units), rate="")
            update = _rate_updater(bar, task)
            return process_units_on_dask(units, client, text_column, on_done=lambda unit, reports: update(
                {"documents": sum(len(f.documents) for f in reports.files),
                 "sentences": sum(map(len, reports.sentences))}))
    except cluster.ScaleError as err:
        fail(str(err))
    except KeyboardInterrupt:
        fail("interrupted: nothing was written.", code=130)
    finally:
        cluster.close(client)


def _rate_updater(bar: Progress, task) -> Callable[[dict], None]:
    """Advance the bar by one unit and show documents/s and sentences/s so far."""
    totals = {"documents": 0, "sentences": 0}

    def update(entry: dict) -> None:
        totals["documents"] += entry["documents"]
        totals["sentences"] += entry["sentences"]
        elapsed = max(bar.tasks[0].elapsed or 0.0, 1e-9)
        bar.update(task, advance=1, rate=f"{totals['documents'] / elapsed:.1f} documents/s, "
                                         f"{totals['sentences'] / elapsed:.0f} sentences/s")

    return update


def _load_here(model: str) -> dict:
    from ..predict import ModelError
    from ..scale import run

    try:
        return run.local_identity(model)
    except OSError as err:
        fail(f"cannot load model {model!r}: install the package (pip install zh_govreport-*.whl) or pass a "
             f"pipeline folder. ({str(err).splitlines()[0][:200]})")
    except ModelError as err:
        fail(str(err))


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    TextColumn("{task.fields[rate]}"), console=err_console, transient=False)
