"""`govreport predict ... --parquet OUT [--workers N | --scheduler ADDRESS]`: the corpus-scale run
(govreport.scale) behind the predict command, with a progress bar of documents/s and sentences/s."""

from __future__ import annotations

from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ._util import console, err_console, fail, good, warn


def predict_to_parquet(paths: list[Path], model: str, out: Path, workers: int | None, scheduler: str | None,
                       batch_size: int, text_column: str | None = None) -> None:
    from ..scale import cluster, dataset, run

    if workers is not None and scheduler:
        fail("give --workers (a LocalCluster here) or --scheduler (a running cluster), not both.")
    try:
        plan = run.plan(paths, out)  # a missing path is an error before any work
    except FileNotFoundError as err:
        fail(f"{err}.")
    if not plan.todo and not plan.done:
        fail(f"no report files in {', '.join(map(str, paths))}.")
    client = None
    try:
        if workers is not None or scheduler:
            client = cluster.connect(scheduler=scheduler, workers=workers)
            console.print(f"Dask dashboard: {client.dashboard_link}")
            identity = cluster.warm_up(client, model)
        else:
            identity = _load_here(model)
        dataset.open_dataset(out, identity)
        console.print(f"{len(plan.done)} of {len(plan.done) + len(plan.todo)} input files already in {out} "
                      f"(manifest); {len(plan.todo)} to do with {identity['name']} {identity['version']}")
        with _progress() as bar:
            task = bar.add_task("labelling", total=len(plan.todo), rate="")
            totals = {"documents": 0, "sentences": 0}

            def on_done(entry: dict) -> None:
                totals["documents"] += entry["documents"]
                totals["sentences"] += entry["sentences"]
                elapsed = max(bar.tasks[0].elapsed or 0.0, 1e-9)
                bar.update(task, advance=1, rate=f"{totals['documents'] / elapsed:.1f} documents/s, "
                                                 f"{totals['sentences'] / elapsed:.0f} sentences/s")

            result = run.run(plan.todo, out, model, client=client, text_column=text_column,
                             batch_size=batch_size, on_done=on_done)
    except (cluster.ScaleError, dataset.DatasetError) as err:
        fail(str(err))
    except KeyboardInterrupt:
        fail(f"interrupted: the inputs committed so far stay in {out}; run the same command again to do the rest.",
             code=130)
    finally:
        if client is not None:
            cluster.close(client)
    for name, reason in result.failed:
        warn(f"failed {name}: {reason} (not in the manifest: a rerun tries it again)")
    good(f"{result.processed} input files -> {result.documents} documents, {result.sentences} sentences, "
         f"{result.skipped} skipped, in {result.seconds:.1f} s: {out}/ (sentences/, documents/, skipped/, _manifest/)")
    if result.failed:
        fail(f"{len(result.failed)} input files failed; see above.")


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
