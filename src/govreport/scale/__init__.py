"""Corpus-scale runs (issue 18): read, clean, segment and label many report files on a Dask cluster
(or in this process) into a Parquet dataset, resumably and exactly once; and `govreport corpus` on Dask.

- :mod:`.units`: the units of work, an input file or a row batch of a big table of reports;
- :mod:`.dataset`: the dataset's layout and schemas, atomic commits, the manifest, the model check;
- :mod:`.label_unit`: labelling one unit (runs on a worker; the pipeline loaded once per worker);
- :mod:`.cluster`: connect to a scheduler or start a LocalCluster, the dashboard link, load the model on
  every worker, feed the workers a bounded number of tasks;
- :mod:`.run`: what the manifest lacks, submitted with a bounded number in flight;
- :mod:`.corpus_files`: `govreport corpus` with its units read on the workers, the same output as without.

Python API::

    from govreport.scale import cluster, dataset, run
    client = cluster.connect(workers=2)                  # or scheduler="tcp://host:8786"
    print(cluster.dashboard_link(client))
    identity = cluster.warm_up(client, "zh_govreport")
    dataset.open_dataset(out, identity)                  # refuses a folder written by another model
    plan = run.plan([Path("reports/")], out)             # rows_per_task=200: big tables in row batches
    result = run.run(plan, out, "zh_govreport", client=client)
    cluster.close(client)
"""
