"""Benchmark: every model side by side, cross-validated by document. Prints one table.

Columns: macro-F1 and per-label F1 of categories, exact/overlap span F1 (pooled over the
held-out folds), training seconds per fold, sentences/s at prediction. Below it: full
training time of the shipped config on training/split.json and inference speed of the
trained pipeline on the whole corpus with 1 and 2 processes.

Usage:
  .venv/bin/python scripts/bench_models.py [--annotations annotations/gold.jsonl] [--folds 5]
        [--models spacy-char spacy-pkuseg tfidf rules majority] [--level township|city]
        [--out training/bench.json]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from govreport.convert import read_annotations
from govreport.corpus import read_jsonl
from govreport.cli.evaluate import metrics_table
from govreport.evaluate import MajorityModel, RuleModel, SpacyModel, TfidfModel, cross_validate, write_json



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--annotations", type=Path, default=Path("annotations/gold.jsonl"))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--models", nargs="*", default=["spacy-char", "spacy-pkuseg", "tfidf", "rules", "majority"])
    parser.add_argument("--pkuseg", type=Path, default=Path("training/pkuseg"))
    parser.add_argument("--char-config", type=Path, default=Path("configs/char.cfg"), help="Config of spacy-char.")
    parser.add_argument("--level", choices=["township", "city"], help="Only documents of this level.")
    parser.add_argument("--full-train", action="store_true", help="Also time a full `spacy train` + inference.")
    parser.add_argument("--out", type=Path, default=Path("training/bench.json"))
    args = parser.parse_args()

    rows = read_annotations(args.annotations)
    if args.level:
        levels = {d["doc"]: d["level"] for d in read_jsonl(Path("corpus/documents.jsonl"))}
        rows = [r for r in rows if levels.get(r["doc"]) == args.level]
    makers = {
        "spacy-char": lambda: SpacyModel(args.char_config),
        "spacy-pkuseg": lambda: SpacyModel(Path("configs/pkuseg.cfg"), "pkuseg", args.pkuseg),
        "tfidf": TfidfModel, "rules": RuleModel, "majority": MajorityModel,
    }
    if "spacy-pkuseg" in args.models and not (args.pkuseg / "model").exists():
        sys.exit(f"{args.pkuseg}/model not found: run `govreport tokenizer` first (or leave out spacy-pkuseg)")
    console = Console()
    results = {}
    for name in args.models:
        start = time.perf_counter()
        results[name] = cross_validate(makers[name], rows, k=args.folds,
                                       progress=lambda i, n=name: console.print(f"  {n}: fold {i + 1}/{args.folds}"))
        console.print(f"{name}: done in {time.perf_counter() - start:.0f}s")

    docs = len({r["doc"] for r in rows})
    table = metrics_table(f"{args.folds}-fold cross-validation by document: {len(rows)} sentences, {docs} documents"
                          + (f" ({args.level} only)" if args.level else "") + "; train s = seconds per fold", results)
    console.print(table)
    report = {"cv": results, "sentences": len(rows), "documents": docs, "level": args.level}

    if args.full_train:
        report["full"] = full_training_and_speed(console)
    write_json(args.out, report)
    console.print(f"written to {args.out}")


def full_training_and_speed(console: Console) -> dict:
    """Time `spacy train configs/char.cfg` on training/ and the trained model's speed on the corpus."""
    import spacy

    out = Path(tempfile.mkdtemp(prefix="govreport-bench-"))
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "spacy", "train", "configs/char.cfg", "--output", str(out),
                    "--paths.train", "training/train.spacy", "--paths.dev", "training/dev.spacy"],
                   check=True, capture_output=True)
    train_seconds = time.perf_counter() - start
    nlp = spacy.load(out / "model-best")
    texts = [s["text"] for s in read_jsonl(Path("corpus/sentences.jsonl"))]
    speeds = {}
    for n_process in (1, 2):
        start = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=256, n_process=n_process):
            pass
        speeds[n_process] = len(texts) / (time.perf_counter() - start)
    table = Table(title="Full training (configs/char.cfg on training/split.json) and inference on the corpus")
    for column in ("training s", "sent/s, 1 process", "sent/s, 2 processes"):
        table.add_column(column, justify="right")
    table.add_row(f"{train_seconds:.0f}", f"{speeds[1]:,.0f}", f"{speeds[2]:,.0f}")
    console.print(table)
    return {"train_seconds": train_seconds, "sentences_per_second": speeds}


if __name__ == "__main__":
    main()
