"""`govreport tokenizer`: train the offline pkuseg segmentation model on the corpus."""

from __future__ import annotations

from pathlib import Path

import typer

from ._util import app, fail, good


@app.command("tokenizer")
def tokenizer_command(
    sentences: Path = typer.Option(Path("corpus/sentences.jsonl"), help="Sentences to learn from."),
    out: Path = typer.Option(Path("training/pkuseg"), "--out", "-o", help="Folder for model/ and user_dict.txt."),
    iterations: int = typer.Option(10, help="pkuseg training iterations."),
) -> None:
    """Train a pkuseg model offline (dictionary max-matching + policy-term user dictionary)."""
    from ..corpus import read_jsonl
    from ..tokenizer import train_pkuseg

    if not sentences.exists():
        fail(f"{sentences} not found: run `govreport corpus` first.")
    rows = read_jsonl(sentences)
    if len(rows) < 10:
        fail(f"{sentences} has {len(rows)} sentences; pkuseg needs at least 10 to train.")
    model_dir, user_dict = train_pkuseg(rows, out, train_iter=iterations)
    good(f"pkuseg model in {model_dir}, user dictionary ({sum(1 for _ in open(user_dict, encoding='utf-8'))} terms) "
         f"in {user_dict}. Train with `spacy train configs/pkuseg.cfg ...`.")
