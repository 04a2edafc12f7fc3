"""`govreport agreement` and `govreport adjudicate`: several annotators' answers -> figures -> one gold."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from ..labels import LABEL_NAMES
from ._util import app, console, fail, good, read_rows, warn


def _read_rows(files: list[Path]) -> list[dict]:
    """Annotation rows of all files; a row without an annotator takes its file's name."""
    return [{**row, "annotator": row.get("annotator") or path.stem} for path in files for row in read_rows(path)]


def _kappa_text(value) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def agreement_table(result: dict) -> Table:
    """Kappa per label, span F1 and identical answers: all sentences, then each document."""
    table = Table(title=f"{result['measure']} between {', '.join(result['annotators'])} "
                        f"({result['compared']} sentences answered by all; {result['not_compared']} not compared)")
    for column in ("document", "sentences", *LABEL_NAMES, "span F1 exact", "span F1 overlap", "identical"):
        table.add_column(column, justify="right")
    blocks = {"all": result["overall"], **result["per_document"]}
    for name, block in blocks.items():
        table.add_row(name, str(block["sentences"]), *(_kappa_text(block["kappa"][label]["kappa"]) for label in LABEL_NAMES),
                      f"{block['span_f1']['exact']:.3f}", f"{block['span_f1']['overlap']:.3f}",
                      f"{block['identical_answers']:.1%}")
    return table


@app.command("agreement")
def agreement_command(
    files: list[Path] = typer.Argument(..., help="Annotation rows of several annotators (e.g. one `doccano pull`)."),
    annotator: list[str] = typer.Option(None, "--annotator", help="Only these annotators (repeatable; default all)."),
    out: Path = typer.Option(None, "--out", "-o", help="Also write the figures as JSON."),
) -> None:
    """Agreement between annotators per category (Cohen's kappa for two, Fleiss' for more) and span F1, per document."""
    from ..stats import annotator_agreement

    try:
        result = annotator_agreement(_read_rows(files), annotator or None)
    except ValueError as err:
        fail(f"{', '.join(map(str, files))}: {err}")
    console.print(agreement_table(result))
    if result["not_compared"]:
        warn(f"{result['not_compared']} sentences were answered by only some annotators and are not compared.")
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        good(f"figures written to {out}.")


@app.command("adjudicate")
def adjudicate_command(
    files: list[Path] = typer.Argument(..., help="Annotation rows of several annotators (e.g. one `doccano pull`)."),
    out: Path = typer.Option(..., "--out", "-o", help="Gold rows: one per sentence that is resolved."),
    senior: list[str] = typer.Option(None, "--senior", help="Annotator whose answer settles a disagreement "
                                     "(repeatable: the first named who answered the sentence)."),
    reviewed: Path = typer.Option(None, "--reviewed", help="A reviewer's answers (annotation rows): each decides "
                                  "its sentence."),
    reviewer: str = typer.Option(None, "--reviewer", help="Annotator in FILES whose rows are the reviewer's answers "
                                 "(e.g. the lead who adjudicated in Doccano)."),
    disagreements: Path = typer.Option(Path("annotations/round-1/disagreements.jsonl"), "--disagreements",
                                       help="Where unresolved disagreements are listed for a reviewer."),
) -> None:
    """One gold answer per sentence: a reviewer's answer, else agreed answers, else a senior annotator's; the rest listed."""
    from ..annotations import adjudicate, write_jsonl

    rows = _read_rows(files)
    reviewed_rows = {r["id"]: r for r in _read_rows([reviewed])} if reviewed else {}
    if reviewer:
        if reviewer not in {r["annotator"] for r in rows}:
            fail(f"--reviewer {reviewer}: no rows by that annotator in {', '.join(map(str, files))}.")
        reviewed_rows.update({r["id"]: r for r in rows if r["annotator"] == reviewer})
        rows = [r for r in rows if r["annotator"] != reviewer]
    if unknown := [name for name in senior or [] if name not in {r["annotator"] for r in rows}]:
        fail(f"--senior {unknown[0]}: no rows by that annotator (annotators: "
             f"{', '.join(sorted({r['annotator'] for r in rows}))}).")
    gold, listed, counts = adjudicate(rows, senior, reviewed_rows)
    write_jsonl(out, gold)
    if listed:
        write_jsonl(disagreements, listed)
    else:
        disagreements.unlink(missing_ok=True)  # a stale list would mislead
    summary = ", ".join(f"{how} {counts[how]}" for how in ("agreed", "single", "reviewer", "senior", "unresolved"))
    good(f"{len(gold)} gold rows written to {out} ({summary}).")
    if listed:
        warn(f"{len(listed)} disagreements have no gold row yet: listed in {disagreements}. Decide them and pass "
             f"the answers with --reviewed FILE, or name a --senior annotator.")
