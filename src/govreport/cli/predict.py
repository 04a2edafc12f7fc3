"""`govreport predict`: label new reports (files or folders) with a packaged pipeline."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path

import typer

from ..scale.units import DEFAULT_ROWS_PER_TASK
from ._util import app, fail, good, progress, warn


@app.command("predict")
def predict_command(
    paths: list[Path] = typer.Argument(..., help="Report files and/or folders of reports, as found."),
    model: str = typer.Option(..., "--model", "-m", help="Installed package name (zh_govreport) or pipeline folder."),
    out: Path = typer.Option(Path("predictions"), "--out", "-o", help="Output folder."),
    n_process: int = typer.Option(1, "--n-process", help="Processes that label (-1: one per core)."),
    batch_size: int = typer.Option(256, help="Sentences per nlp.pipe batch."),
    parquet: Path = typer.Option(None, "--parquet", help="Write a Parquet dataset here instead (resumable; "
                                 "docs/SCHEMAS.md), for corpus-scale runs."),
    workers: int = typer.Option(None, "--workers", help="With --parquet: a Dask LocalCluster of N worker processes."),
    scheduler: str = typer.Option(None, "--scheduler", help="With --parquet: the address of a running Dask "
                                  "scheduler (tcp://host:8786)."),
    rows_per_task: int = typer.Option(DEFAULT_ROWS_PER_TASK, "--rows-per-task", help="With --parquet: a table of "
                                      "reports (.csv, .tsv, .jsonl, .xlsx) is labelled and committed in batches of "
                                      "this many rows. Keep it the same when resuming: another value redoes the "
                                      "tables that are split."),
) -> None:
    """Write predictions.jsonl, predictions.csv (UTF-8 with BOM) and an HTML report per document + index.html;
    with --parquet, a Parquet dataset (on Dask with --workers or --scheduler)."""
    if parquet is not None:
        from ._scale import predict_to_parquet

        return predict_to_parquet(paths, model, parquet, workers, scheduler, batch_size, rows_per_task)
    if workers is not None or scheduler:
        fail("--workers and --scheduler write a Parquet dataset: add --parquet OUT_DIR.")
    import spacy

    from ..corpus import list_inputs, process_files
    from ..predict import ModelError, check_model, label_sentences
    from ..annotations import write_jsonl
    from ..render import render_document_html, render_index_html, write_csv

    try:
        files = list_inputs(paths)  # a missing path is an error before any work
    except FileNotFoundError as err:
        fail(f"{err}.")
    if not files:
        fail(f"no report files in {', '.join(map(str, paths))}.")
    try:
        nlp = spacy.load(model)
    except OSError as err:
        fail(f"cannot load model {model!r}: install the package (pip install zh_govreport-*.whl) or pass a "
             f"pipeline folder. ({str(err).splitlines()[0][:200]})")
    try:
        thresholds = check_model(nlp)
    except ModelError as err:
        fail(str(err))

    result = process_files(files)
    sentences = [s for d in result.documents for s in result.sentences[d.doc]]
    with progress() as bar:
        task = bar.add_task("labelling sentences", total=len(sentences))
        rows = label_sentences(sentences, nlp, thresholds, batch_size=batch_size, n_process=n_process,
                               on_batch=lambda n: bar.advance(task, n))
    out.mkdir(parents=True, exist_ok=True)
    write_jsonl(out / "predictions.jsonl", rows)
    write_csv(rows, out / "predictions.csv")
    (out / "html").mkdir(exist_ok=True)
    rows_by_doc = defaultdict(list)
    for r in rows:
        rows_by_doc[r["doc"]].append(r)
    summaries = []
    for document in result.documents:
        doc_rows = rows_by_doc[document.doc]
        page = f"html/{document.doc}.html"
        (out / page).write_text(render_document_html(document, doc_rows), encoding="utf-8")
        counts = Counter(label for r in doc_rows for label in r["cats"])
        summaries.append({"doc": document.doc, "title": document.title, "sentences": len(doc_rows),
                          "counts": {label: counts[label] for label in thresholds}, "html": page})
    skipped = [s.to_dict() for s in result.skipped]
    (out / "index.html").write_text(render_index_html(summaries, skipped), encoding="utf-8")
    (out / "summary.json").write_text(json.dumps({"documents": summaries, "skipped": skipped, "thresholds": thresholds},
                                                 ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for s in skipped:
        warn(f"skipped {s['file']}{':' + str(s['line']) if s['line'] else ''}: {s['reason']}")
    good(f"labelled {len(rows)} sentences in {len(result.documents)} documents ({len(skipped)} files skipped): "
         f"{out}/predictions.jsonl, predictions.csv, index.html")
