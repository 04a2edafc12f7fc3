"""Learning curve and scores per level on the fixed test documents (issue 15).

Trains the shipped config (`spacy train`, through govreport.evaluate.SpacyModel) on 25/50/75/100% of
the training documents of training/split.json (whole documents, drawn with a fixed seed; dev and test
documents never change), tunes thresholds on dev, and scores every model on the test documents:
macro-F1, per-label F1 and span F1, overall and per level (township, county, district, city,
province, national; levels from corpus/documents.jsonl). TF-IDF + LR is scored the same way.

    .venv/bin/python scripts/learning_curve.py [--fractions 0.25 0.5 0.75 1.0] [--out training/learning_curve.json]
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from govreport.convert import read_annotations
from govreport.corpus import read_jsonl
from govreport.evaluate import SpacyModel, TfidfModel, evaluate_predictions, thresholds_for, write_json
from govreport.labels import LABEL_NAMES

ROOT = Path(__file__).resolve().parent.parent


def score(model, dev: list[dict], test: list[dict], level_of: dict[str, str]) -> dict:
    thresholds = thresholds_for(model, dev)
    predictions = model.predict(test)
    out = {"all": evaluate_predictions(test, predictions, thresholds)}
    by_level = defaultdict(list)
    for i, row in enumerate(test):
        by_level[level_of[row["doc"]]].append(i)
    for level, indexes in sorted(by_level.items()):
        out[level] = evaluate_predictions([test[i] for i in indexes], [predictions[i] for i in indexes], thresholds)
    return out


def brief(metrics: dict) -> dict:
    cats = metrics["cats"]
    return {"sentences": metrics["sentences"], "macro_f1": round(cats["macro_f"], 3),
            **{label: round(cats["per_label"][label]["f"], 3) for label in LABEL_NAMES},
            "span_overlap_f1": round(metrics["spans"]["overlap"]["f"], 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--annotations", type=Path, default=ROOT / "annotations" / "gold.jsonl")
    parser.add_argument("--split", type=Path, default=ROOT / "training" / "split.json")
    parser.add_argument("--config", type=Path, default=ROOT / "configs" / "char.cfg")
    parser.add_argument("--fractions", type=float, nargs="+", default=[0.25, 0.5, 0.75, 1.0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=ROOT / "training" / "learning_curve.json")
    parser.add_argument("--full-model", type=Path, help="For fraction 1.0, score this pipeline (trained on all the "
                        "training documents, e.g. the main job's training/models/char/model-best) instead of training")
    parser.add_argument("--append", action="store_true", help="Add these results to those already in --out")
    args = parser.parse_args()

    rows = read_annotations(args.annotations)
    split = json.loads(args.split.read_text(encoding="utf-8"))
    level_of = {d["doc"]: d["level"] for d in read_jsonl(ROOT / "corpus" / "documents.jsonl")}
    by_doc = defaultdict(list)
    for row in rows:
        by_doc[row["doc"]].append(row)
    dev = [r for d in split["dev"] for r in by_doc[d]]
    test = [r for d in split["test"] for r in by_doc[d]]
    train_docs = sorted(split["train"])
    order = random.Random(args.seed).sample(train_docs, len(train_docs))
    results = []
    for fraction in args.fractions:
        docs = order[: max(1, round(fraction * len(order)))]
        train = [r for d in docs for r in by_doc[d]]
        for name, model in (("spacy", SpacyModel(args.config, workdir=Path(tempfile.mkdtemp(prefix="lc-")))),
                            ("tfidf", TfidfModel())):
            start = time.perf_counter()
            if name == "spacy" and fraction == 1.0 and args.full_model:
                import spacy
                model.nlp = spacy.load(args.full_model)
            else:
                model.fit(train, dev)
            seconds = time.perf_counter() - start
            scores = score(model, dev, test, level_of)
            results.append({"model": name, "fraction": fraction, "train_documents": len(docs),
                            "train_sentences": len(train), "train_seconds": round(seconds, 1),
                            "scores": {level: brief(m) for level, m in scores.items()}})
            s = results[-1]["scores"]["all"]
            print(f"{name:6} {fraction:>5.0%} {len(docs):>3} docs {len(train):>5} sentences: macro-F1 {s['macro_f1']:.3f} "
                  f"TARGET {s['TARGET']:.3f} PROBLEM {s['PROBLEM']:.3f} span {s['span_overlap_f1']:.3f} ({seconds:.0f} s)",
                  flush=True)
    if args.append and args.out.exists():
        results = [r for r in json.loads(args.out.read_text(encoding="utf-8"))["results"]
                   if (r["model"], r["fraction"]) not in {(x["model"], x["fraction"]) for x in results}] + results
        results.sort(key=lambda r: (r["model"], r["fraction"]))
    write_json(args.out, {"test_documents": split["test"], "dev_documents": split["dev"], "results": results})
    levels = sorted({lv for r in results for lv in r["scores"]} - {"all"})
    print(f"\nper level on the test documents (macro-F1), last fraction:")
    for r in results:
        if r["fraction"] == args.fractions[-1]:
            print(f"  {r['model']:6} " + "  ".join(f"{lv} {r['scores'][lv]['macro_f1']:.3f} ({r['scores'][lv]['sentences']})"
                                             for lv in levels))
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
