"""`govreport corpus`: raw reports -> clean documents + sentences."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from ..scale.units import DEFAULT_ROWS_PER_TASK
from ._util import app, console, fail, good, progress, warn


@app.command("corpus")
def corpus_command(
    raw: list[Path] = typer.Option([Path("corpus/raw")], "--raw", help="Folder (or file) of reports as found: .txt, "
                                   ".html, .pdf, .docx, or tables of reports (.csv, .tsv, .jsonl, .xlsx; one per row). "
                                   "Repeatable."),
    docs: Path = typer.Option(None, "--docs", help="A file of document ids (one per line, # comments): only these "
                              "documents are written, the others are counted as not selected."),
    text_column: str = typer.Option(None, "--text-column", help="Tables: the column holding the report text "
                                    "(default: detected, e.g. full_text, content, 报告全文)."),
    out: Path = typer.Option(Path("corpus"), "--out", "-o", help="Where documents.jsonl, sentences.jsonl, "
                             "clean/ and report.json are written."),
    workers: int = typer.Option(None, "--workers", help="Read on a Dask LocalCluster of N worker processes "
                                "(the same output as without it)."),
    scheduler: str = typer.Option(None, "--scheduler", help="Read on a running Dask cluster: the scheduler's "
                                  "address (tcp://host:8786); the workers must see the --raw paths."),
    rows_per_task: int = typer.Option(DEFAULT_ROWS_PER_TASK, "--rows-per-task", help="With --workers or "
                                      "--scheduler: a table of reports is split into tasks of this many rows."),
) -> None:
    """Normalise raw reports into clean documents and split them into sentences."""
    from ..corpus import NoReportsError, document_summary, list_inputs, process_files, select_documents, write_corpus

    try:
        files = list_inputs(raw)
        if workers is not None or scheduler:
            from ._scale import corpus_on_dask

            result = corpus_on_dask(files, workers, scheduler, rows_per_task, text_column)
        else:
            with progress() as bar:
                task = bar.add_task("read + normalise + segment", total=len(files))
                result = process_files(files, on_done=lambda file: bar.advance(task), text_column=text_column)
    except FileNotFoundError as err:
        fail(f"{err}. Put raw reports in corpus/raw/ or pass --raw PATH.")
    except NoReportsError:
        fail(f"{', '.join(map(str, raw))}: no report files found. Copy reports (.txt, .html, .pdf, .docx, .csv, .jsonl, .xlsx) into it, "
             "then run `govreport corpus` again.")
    if docs is not None:
        try:
            wanted = select_documents(result, docs)
        except FileNotFoundError:
            fail(f"{docs}: no such file (one document id per line).")
        if missing := wanted - {d.doc for d in result.documents}:
            fail(f"{docs}: {len(missing)} listed documents are not in the inputs: {', '.join(sorted(missing)[:5])}")
    write_corpus(result, out)

    table = Table(title="Corpus: one row per document")
    for column in ("doc", "title", "kind", "years", "sentences", "chars", "stripped / repaired", "flagged"):
        table.add_column(column, overflow="fold")
    for document in result.documents:
        summary = document_summary(document, result.sentences[document.doc])
        changes = ", ".join(f"{k} {v}" for k, v in summary["changes"].items()) or "-"
        flags = ", ".join(f"{k} {v}" for k, v in summary["flags"].items()) or "-"
        table.add_row(document.doc, document.title, document.kind, ",".join(map(str, document.years)) or "?",
                      str(summary["sentences"]), str(summary["chars"]), changes, flags)
    console.print(table)
    for file_result in result.files:
        for change in file_result.changes:
            if change.kind == "missing_part":
                warn(f"{file_result.source}:{change.line}: table of contents lists '{change.text}' "
                     "but the file does not contain it (truncated source?)")
    for skipped in result.skipped:
        warn(f"skipped {skipped}")
    for duplicate in result.duplicates:
        warn(f"{duplicate.doc} is not labelled: {duplicate.reason} as {duplicate.duplicate_of}")
    for suspect in result.suspect:
        warn(f"suspect input {suspect['doc']}: {'; '.join(suspect['reasons'])}")
    n_sentences = sum(len(s) for s in result.sentences.values())
    selection = f", {len(result.not_selected)} not in --docs" if result.not_selected else ""
    good(f"read {len(result.files)} reports, skipped {len(result.skipped)}, {len(result.duplicates)} duplicates{selection}, "
         f"{len(result.suspect)} suspect; wrote {len(result.documents)} documents and {n_sentences} sentences "
         f"to {out}/ (details in {out}/report.json)")
    if not result.files:
        fail("no file could be read; see the warnings above.")
