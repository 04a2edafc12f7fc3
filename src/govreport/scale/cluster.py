"""The Dask cluster of a run: connect to a running scheduler, or start a LocalCluster here; make every
worker load the pipeline once and check that they all have the same model; feed the workers a bounded
number of tasks at a time."""

from __future__ import annotations

import logging
import uuid
from typing import Callable, Iterable, Iterator


class ScaleError(Exception):
    """A corpus-scale run cannot start or go on; the message says what to do."""


def connect(scheduler: str | None = None, workers: int | None = None, timeout: float = 10.0):
    """A ``distributed.Client``: to the scheduler at ``scheduler`` (a running cluster), or to a new
    ``LocalCluster`` of ``workers`` processes with one thread each (closed with the client)."""
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            return Client(scheduler, timeout=timeout)
        except (OSError, TimeoutError, ValueError) as err:
            raise ScaleError(f"cannot reach the Dask scheduler at {scheduler} within {timeout:g} s "
                             f"({str(err).splitlines()[0][:200]}). Start one with `dask scheduler` (and "
                             f"`dask worker {scheduler}` on each machine) or check the address.") from None
    if not workers or workers < 1:
        raise ScaleError("--workers must be 1 or more")
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                           silence_logs=logging.ERROR)
    client = Client(cluster)
    client._govreport_cluster = cluster  # closed by close()
    return client


def close(client) -> None:
    cluster = getattr(client, "_govreport_cluster", None)
    client.close()
    if cluster is not None:
        cluster.close()


def dashboard_link(client) -> str | None:
    """The URL of the scheduler's dashboard (tasks, progress, each worker's memory and CPU), or None
    when it shows none. Without bokeh where the scheduler runs, the dashboard's port still answers, with
    a page that only says to install bokeh: so bokeh's version on the scheduler is what tells."""
    from distributed.versions import BOKEH_REQUIREMENT

    if "dashboard" not in client.scheduler_info(n_workers=0).get("services", {}):
        return None
    bokeh = client.get_versions(packages=["bokeh"])["scheduler"]["packages"].get("bokeh")
    if not bokeh or not BOKEH_REQUIREMENT.specifier.contains(bokeh, prereleases=True):
        return None
    return client.dashboard_link


def warm_up(client, model: str, wait_for: float = 30.0) -> dict:
    """Load the pipeline once in every worker (``client.run``) and return the model's identity (name,
    version, thresholds). A worker that cannot load it, or workers with different models, stop the run
    with the worker's address and the reason."""
    from .label_unit import pipeline_identity

    try:
        client.wait_for_workers(1, timeout=wait_for)
    except TimeoutError:
        raise ScaleError(f"the Dask cluster at {client.scheduler.address} has no workers after {wait_for:g} s: "
                         f"start some with `dask worker {client.scheduler.address}`") from None
    answers = client.run(pipeline_identity, model)
    bad = {address: answer for address, answer in answers.items() if not answer["ok"]}
    if bad:
        address, answer = sorted(bad.items())[0]
        raise ScaleError(f"{len(bad)} of {len(answers)} workers cannot load model {model!r} (worker {address}: "
                         f"{answer['error']}). Install the model on every worker (pip install "
                         f"zh_govreport-*.whl) or pass a pipeline folder all workers can read.")
    identities = {(a["name"], a["version"], tuple(sorted(a["thresholds"].items()))) for a in answers.values()}
    if len(identities) > 1:
        raise ScaleError(f"the workers have different models: {sorted(identities)}; install the same "
                         f"model version on every worker")
    answer = next(iter(answers.values()))
    return {"name": answer["name"], "version": answer["version"], "thresholds": answer["thresholds"]}


def submit_bounded(client, function: Callable, units: Iterable, *args, name: Callable = str,
                   in_flight_per_worker: int = 2) -> Iterator[tuple[object, object]]:
    """Submit ``function(unit, *args)`` for each unit, at most ``in_flight_per_worker`` per worker at a time,
    and yield ``(unit, future)`` as each finishes (in the order they finish). Bounded, so neither the
    scheduler's queue nor the results waiting on the workers grow with the corpus. Leaving the loop early
    (Ctrl-C, an error) cancels what is still queued; a task already running finishes on its worker."""
    from distributed import as_completed

    queue = iter(units)
    submitted = {}
    futures = as_completed()
    run_id = uuid.uuid4().hex[:8]  # a rerun in the same cluster must not find the last run's keys

    def submit_next() -> None:
        unit = next(queue, None)
        if unit is not None:
            future = client.submit(function, unit, *args, key=f"{function.__name__}-{name(unit)}-{run_id}", pure=False)
            submitted[future.key] = unit
            futures.add(future)

    workers = max(1, len(client.scheduler_info(n_workers=-1)["workers"]))
    for _ in range(workers * in_flight_per_worker):
        submit_next()
    try:
        for future in futures:
            yield submitted.pop(future.key), future
            future.release()
            submit_next()
    finally:
        running = list(futures.futures)  # not finished yet; finished ones are released with their futures
        if running:
            client.cancel(running)


def peak_memory_per_worker(client) -> dict[str, int]:
    """Peak resident memory (bytes) of each worker process so far."""
    return client.run(_peak_rss)


def _peak_rss() -> int:
    import resource
    import sys

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024
