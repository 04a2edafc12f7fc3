"""`govreport corpus`: raw reports -> clean documents + sentences."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from ._util import app, console, fail, good, progress, warn


@app.command("corpus")
def corpus_command(
    raw: Path = typer.Option(Path("corpus/raw"), "--raw", help="Folder (or file) of raw reports as found."),
    out: Path = typer.Option(Path("corpus"), "--out", "-o", help="Where documents.jsonl, sentences.jsonl, "
                             "clean/ and report.json are written."),
) -> None:
    """Normalise raw reports into clean documents and split them into sentences."""
    from ..corpus import NoReportsError, list_inputs, process_files, write_corpus, document_summary

    try:
        files = list_inputs([raw])
        with progress() as bar:
            task = bar.add_task("normalise + segment", total=len(files))
            result = process_files(files, on_done=lambda path: bar.advance(task))
    except FileNotFoundError as err:
        fail(f"{err}. Put raw reports in {raw}/ or pass --raw PATH.")
    except NoReportsError:
        fail(f"{raw}: no report files found. Copy .txt reports into it, then run `govreport corpus` again.")
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
        where = f"{skipped.file}:{skipped.line}" if skipped.line else skipped.file
        warn(f"skipped {where}: {skipped.reason}")
    n_sentences = sum(len(s) for s in result.sentences.values())
    good(f"read {len(result.files)} files, skipped {len(result.skipped)}; wrote {len(result.documents)} documents "
         f"and {n_sentences} sentences to {out}/ (details in {out}/report.json)")
    if not result.files:
        fail("no file could be read; see the warnings above.")
