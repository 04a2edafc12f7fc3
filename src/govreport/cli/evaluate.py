"""`govreport evaluate`: the trained pipeline against baselines on held-out documents."""

from __future__ import annotations

import json
import time
from pathlib import Path

import typer
from rich.table import Table

from ..labels import LABEL_NAMES
from ._util import app, console, fail, good, progress, read_rows


def metrics_table(title: str, results: dict[str, dict]) -> Table:
    """One row per model: macro-F1, per-label F1, span F1, training time, speed."""
    table = Table(title=title)
    for column in ("model", "macro-F1", *LABEL_NAMES, "span exact F1", "span overlap F1", "train s", "sent/s"):
        table.add_column(column, justify="right")
    for name, m in results.items():
        per_label = m["cats"]["per_label"]
        table.add_row(name, f"{m['cats']['macro_f']:.3f}", *(f"{per_label[label]['f']:.3f}" for label in LABEL_NAMES),
                      f"{m['spans']['exact']['f']:.3f}", f"{m['spans']['overlap']['f']:.3f}",
                      f"{m.get('train_seconds', m.get('train_seconds_per_fold', 0)):.1f}",
                      f"{m.get('sentences_per_second', 0):,.0f}")
    return table


@app.command("evaluate")
def evaluate_command(
    model: Path = typer.Option(Path("training/models/clause/model-best"), help="Trained pipeline folder."),
    annotations: Path = typer.Option(Path("annotations/gold.jsonl"), help="Gold annotations."),
    split: Path = typer.Option(Path("training/split.json"), help="Document split made by `govreport convert`."),
    config: Path = typer.Option(Path("configs/clause.cfg"), help="Config for the models trained by --cv/--curve."),
    cv: int = typer.Option(0, help="Also cross-validate every model with K folds by document (0 = off)."),
    curve: bool = typer.Option(False, "--learning-curve", help="Also train on 25/50/75/100% of train documents."),
    out: Path = typer.Option(Path("training/metrics.json"), "--out", "-o", help="Where the metrics are written."),
) -> None:
    """Tune per-label thresholds on dev, score the pipeline and the baselines on test, store thresholds in the model."""
    import spacy

    from ..evaluate import (MajorityModel, RuleModel, SpacyModel, TfidfModel, cross_validate, evaluate_predictions,
                            run_model, store_thresholds, thresholds_for, write_json)

    if not model.exists():
        fail(f"{model} not found: train first (spacy train {config} --paths.train training/train.spacy "
             f"--paths.dev training/dev.spacy --output {model.parent})")
    if not split.exists():
        fail(f"{split} not found: run `govreport convert` first.")
    rows = read_rows(annotations)
    docs = json.loads(split.read_text(encoding="utf-8"))
    part = {name: [r for r in rows if r["doc"] in set(docs[name])] for name in ("train", "dev", "test")}

    trained = SpacyModel(config)
    trained.nlp = spacy.load(model)
    thresholds = thresholds_for(trained, part["dev"])
    start = time.perf_counter()
    predictions = trained.predict(part["test"])
    speed = len(part["test"]) / (time.perf_counter() - start)
    results = {"spacy": {**evaluate_predictions(part["test"], predictions, thresholds), "sentences_per_second": speed}}
    for baseline in (TfidfModel(), TfidfModel(sections=True), RuleModel(), MajorityModel()):
        run = run_model(baseline, part["train"], part["dev"], part["test"])
        results[baseline.name] = {**run.metrics, "train_seconds": run.train_seconds,
                                  "sentences_per_second": run.sentences_per_second}
    report = {"split": {k: docs[k] for k in ("train", "dev", "test")}, "test": results}
    console.print(metrics_table(f"Held-out test documents ({len(part['test'])} sentences: "
                                f"{', '.join(docs['test'])})", results))

    if cv:
        makers = {"spacy": lambda: SpacyModel(config), "tfidf": TfidfModel, "rules": RuleModel,
                  "majority": MajorityModel}
        cv_results = {}
        with progress() as bar:
            for name, make in makers.items():
                task = bar.add_task(f"{cv}-fold CV by document: {name}", total=cv)
                cv_results[name] = cross_validate(make, rows, k=cv, progress=lambda i: bar.advance(task))
        report["cv"] = cv_results
        console.print(metrics_table(f"{cv}-fold cross-validation by document ({len(rows)} sentences)", cv_results))

    if curve:
        train_docs = docs["train"]
        curve_results = {}
        with progress() as bar:
            task = bar.add_task("learning curve", total=4)
            for share in (0.25, 0.5, 0.75, 1.0):
                chosen = set(train_docs[: max(1, round(share * len(train_docs)))])
                subset = [r for r in part["train"] if r["doc"] in chosen]
                for make in (lambda: SpacyModel(config), TfidfModel):
                    m = make()
                    run = run_model(m, subset, part["dev"], part["test"])
                    curve_results[f"{m.name} {int(share * 100)}% ({len(chosen)} docs)"] = {
                        **run.metrics, "train_seconds": run.train_seconds,
                        "sentences_per_second": run.sentences_per_second}
                bar.advance(task)
        report["learning_curve"] = curve_results
        console.print(metrics_table("Learning curve (test documents)", curve_results))

    write_json(out, report)
    meta_path = store_thresholds(model, thresholds, results["spacy"])
    good(f"metrics in {out}; per-label thresholds {thresholds} stored in {meta_path}. "
         f"Next: govreport package --model {model}")
