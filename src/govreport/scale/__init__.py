"""Corpus-scale runs (issue 18): read, clean, segment and label many report files on a Dask cluster
(or in this process) into a Parquet dataset, resumably and exactly once.

- :mod:`.dataset`: the dataset's layout and schemas, atomic commits, the manifest, the model check;
- :mod:`.label_file`: the unit of work, one input file (runs on a worker; the pipeline loaded once per worker);
- :mod:`.cluster`: connect to a scheduler or start a LocalCluster, load the model on every worker;
- :mod:`.run`: what the manifest lacks, submitted with a bounded number in flight.

Python API::

    from govreport.scale import cluster, dataset, run
    client = cluster.connect(workers=2)                  # or scheduler="tcp://host:8786"
    identity = cluster.warm_up(client, "zh_govreport")
    dataset.open_dataset(out, identity)                  # refuses a folder written by another model
    todo = run.plan([Path("reports/")], out).todo
    result = run.run(todo, out, "zh_govreport", client=client)
    cluster.close(client)
"""
