"""`govreport convert`: gold annotations -> DocBin train/dev/test, split by document."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from ._util import app, console, fail, good, warn


@app.command("convert")
def convert_command(
    annotations: Path = typer.Option(Path("annotations/gold.jsonl"), help="Gold annotations (annotation schema)."),
    out: Path = typer.Option(Path("training"), "--out", "-o", help="Folder for train/dev/test.spacy."),
    split: Path = typer.Option(Path("training/split.json"), help="Document split; made (and kept) if missing."),
    segmenter: str = typer.Option("char", help="Tokenizer: char or pkuseg (must match the training config)."),
    pkuseg_dir: Path = typer.Option(Path("training/pkuseg"), help="Output of `govreport tokenizer` (pkuseg only)."),
    alignment: str = typer.Option("expand", help="Spans off token boundaries: expand (snap outward), "
                                  "contract, or strict (error)."),
    seed: int = typer.Option(0, help="Seed for a new split."),
) -> None:
    """Convert annotations to spaCy DocBin files; report every span off token boundaries."""
    from ..convert import ConvertError, convert, read_annotations
    from ..labels import LABEL_NAMES
    from ..tokenizer import blank_pipeline

    try:
        rows = read_annotations(annotations)
        nlp = blank_pipeline(segmenter, pkuseg_dir / "model", pkuseg_dir / "user_dict.txt")
        result = convert(rows, nlp, out, split, seed=seed, alignment=alignment)
    except (ConvertError, FileNotFoundError, ValueError) as err:
        fail(str(err))
    table = Table(title=f"DocBins in {out}/ (split by document: {split})")
    columns = ("docs", "sentences", *LABEL_NAMES)
    for column in ("split", *columns):
        table.add_column(column, justify="right")
    for name, counts in result.counts.items():
        table.add_row(name, *(str(counts[c]) for c in columns))
    console.print(table)
    for m in result.misaligned[:10]:
        warn(f"example {m.id}: span [{m.start}, {m.end}] {m.label} {m.text!r} is off token boundaries; "
             f"kept as {m.snapped_to!r}")
    if result.misaligned:
        warn(f"{len(result.misaligned)} spans off token boundaries in all (listed in {out}/convert_report.json)")
    config = "clause" if segmenter == "char" else segmenter  # the shipped config reads character tokens
    good(f"wrote {out}/train.spacy, dev.spacy, test.spacy. Next: govreport train --config configs/{config}.cfg "
         f"--data {out} --output {out}/models/{config}")
