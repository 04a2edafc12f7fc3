"""The Dask cluster of a run: connect to a running scheduler, or start a LocalCluster here; make every
worker load the pipeline once and check that they all have the same model."""

from __future__ import annotations

import logging


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


def warm_up(client, model: str, wait_for: float = 30.0) -> dict:
    """Load the pipeline once in every worker (``client.run``) and return the model's identity (name,
    version, thresholds). A worker that cannot load it, or workers with different models, stop the run
    with the worker's address and the reason."""
    from .label_file import pipeline_identity

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


def peak_memory_per_worker(client) -> dict[str, int]:
    """Peak resident memory (bytes) of each worker process so far."""
    return client.run(_peak_rss)


def _peak_rss() -> int:
    import resource
    import sys

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024
