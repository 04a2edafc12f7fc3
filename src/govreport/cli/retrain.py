"""`govreport retrain`: train a new pipeline from the merged gold and score it beside the old one."""

from __future__ import annotations

import json
import time
from pathlib import Path

import typer

from ._util import app, console, fail, good, read_rows, warn


@app.command("retrain", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def retrain_command(
    ctx: typer.Context,
    annotations: Path = typer.Option(Path("annotations/gold.jsonl"), help="The merged gold (`govreport adjudicate`)."),
    old: Path = typer.Option(Path("training/models/clause/model-best"), help="The pipeline in use now."),
    config: Path = typer.Option(Path("configs/clause.cfg"), help="spaCy training config for the new pipeline."),
    split: Path = typer.Option(Path("training/split.json"), help="Document split; its test documents score both."),
    output: Path = typer.Option(Path("training/retrain"), help="Work folder; the new pipeline is OUTPUT/model/model-best."),
    out: Path = typer.Option(Path("training/retrain.json"), "--out", "-o", help="Old and new figures as JSON."),
) -> None:
    """Train on the gold's train documents (documents new since the split join train, so the test
    documents stay the same), tune thresholds on dev, and score old and new pipelines on test.
    Extra options (e.g. --training.max_steps 500) go to `spacy train`."""
    import spacy

    from ..evaluate import SpacyModel, evaluate_predictions, store_thresholds, thresholds_for, write_json
    from ..predict import ModelError, check_model
    from .evaluate import metrics_table

    for path, what in ((old, "old pipeline"), (config, "config"), (split, "split (`govreport convert`)")):
        if not path.exists():
            fail(f"{what} {path} not found.")
    extra = list(ctx.args)
    if len(extra) % 2 or not all(key.startswith("--") for key in extra[::2]):
        fail(f"extra options must come as pairs like --training.max_steps 500, got {' '.join(extra)}")
    rows = read_rows(annotations)
    docs = json.loads(split.read_text(encoding="utf-8"))
    known = {d for name in ("train", "dev", "test") for d in docs.get(name, [])}
    new_docs = sorted({r["doc"] for r in rows} - known)
    if new_docs:
        warn(f"{len(new_docs)} documents are in no split and join train: {', '.join(new_docs)}")
    part = {name: [r for r in rows if r["doc"] in set(docs[name])] for name in ("dev", "test")}
    part["train"] = [r for r in rows if r["doc"] in set(docs["train"]) | set(new_docs)]
    if not part["test"] or not part["dev"]:
        fail(f"{split}: no gold rows in its dev or test documents; nothing to compare on.")

    old_model = SpacyModel(config)
    old_model.nlp = spacy.load(old)
    try:
        old_thresholds = check_model(old_model.nlp)
    except ModelError as err:
        fail(f"{old}: {err}")
    console.print(f"training on {len(part['train'])} sentences ({len(set(docs['train']) | set(new_docs))} documents), "
                  f"dev {len(part['dev'])}, test {len(part['test'])} ...")
    new_model = SpacyModel(config, workdir=output, overrides={key[2:]: value for key, value in zip(extra[::2], extra[1::2])})
    start = time.perf_counter()
    try:
        new_model.fit(part["train"], part["dev"])
    except RuntimeError as err:
        fail(str(err))
    train_seconds = time.perf_counter() - start
    new_thresholds = thresholds_for(new_model, part["dev"])

    results = {}
    for name, model, thresholds in ((f"old ({old})", old_model, old_thresholds),
                                    (f"new ({new_model.model_dir})", new_model, new_thresholds)):
        start = time.perf_counter()
        predictions = model.predict(part["test"])
        speed = len(part["test"]) / (time.perf_counter() - start)
        results[name] = {**evaluate_predictions(part["test"], predictions, thresholds), "sentences_per_second": speed}
    results[f"new ({new_model.model_dir})"]["train_seconds"] = train_seconds
    console.print(metrics_table(f"Old and new pipeline on the test documents ({len(part['test'])} sentences: "
                                f"{', '.join(docs['test'])})", results))
    write_json(out, {"annotations": str(annotations), "train_sentences": len(part["train"]), "new_documents": new_docs,
                     "test": results})
    store_thresholds(new_model.model_dir, new_thresholds, list(results.values())[1])
    old_f, new_f = (r["cats"]["macro_f"] for r in results.values())
    good(f"macro-F1 on test: old {old_f:.3f}, new {new_f:.3f}; figures in {out}. If the new one is better: "
         f"govreport package --model {new_model.model_dir}")
