"""Benchmark: every model side by side on the same folds. Prints tables; writes training/bench.json.

Sections (each optional):
- ``--cv K``: K-fold cross-validation grouped by **place** (all reports of one government in one fold;
  a fold is test, the next one dev, the rest train). Pooled macro-F1, per-label F1, span exact/overlap F1,
  training seconds per fold, sentences/s; and the same figures per level.
- ``--lolo``: leave one level out: train without a level's documents, test on all of them.
- ``--seeds 0 1 2``: the first spaCy model trained on training/split.json once per seed: the spread of
  its test figures (training is deterministic for one seed; the seed is the source of run-to-run change).

Models: spacy-clause (configs/clause.cfg: spancat over clauses + domain character and bigram vectors + the
section's kind, averaged with a TF-IDF logistic regression over the sentence), spacy-clause-notextcat (the same without
that sentence model), spacy-clause-nobigrams (the same without the bigram vectors: the config shipped before them),
spacy-clause-pkuseg (configs/clause_pkuseg.cfg: pkuseg words and word vectors instead of characters),
spacy-clause-pretrained (that one with its tok2vec started from the `spacy pretrain` weights
of training/pretrain/tok2vec.bin),
spacy-clause-text-only (the same pipeline given dev and test sentences without their section,
as a plain ``nlp(text)`` gets them), spacy-clause-nosection / spacy-clause-novectors (the same config without
sections / without the pretrained vectors), spacy-char (configs/char.cfg: textcat + ner), tfidf (TF-IDF + logistic regression,
C tuned on dev), tfidf-section (the same with the section's kind among its features), rules (cue words,
which read the section too), majority; spacy-clause-dropout0.0 / -dropout0.3 (and their -text-only): the shipped
config with another section dropout.

Usage:
  .venv/bin/python scripts/bench_models.py [--cv 5] [--lolo] [--seeds 0 1 2] [--seed 0] [--jobs 2]
        [--models spacy-clause tfidf rules majority] [--speed training/models/clause/model-best]
        [--out training/bench.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from govreport.cli.evaluate import metrics_table
from govreport.convert import read_annotations
from govreport.corpus import read_jsonl
from govreport.evaluate import (MajorityModel, RuleModel, SpacyModel, TfidfModel, cross_validate, leave_one_level_out,
                                run_splits, write_json)
from govreport.labels import LABEL_NAMES

NO_VECTORS = {"paths.vectors": "null", "components.tok2vec.model.embed.embed.embed.include_static_vectors": "false"}
NO_BIGRAMS = {"paths.bigrams": "null"}
NO_SECTIONS = {"components.tok2vec.model.embed.sections": "false",
               "components.sentence_tfidf.sections": "false"}
NO_TEXTCAT = {"nlp.pipeline": '["tok2vec","spancat","govreport_clause_labels"]',
              "components.govreport_clause_labels.cats": "clauses"}


# Trained pipelines are kept here by fingerprint: spacy-clause-text-only reuses spacy-clause's (same training).
REUSE = Path(tempfile.gettempdir()) / "govreport-bench-models"


def pretrained_tok2vec() -> Path:
    """The tok2vec weights `spacy pretrain` made from the unlabelled reports (the shipped config does not use them: they did not help)."""
    path = Path("training/pretrain/tok2vec.bin")
    if not path.exists():
        raise SystemExit(f"{path} is missing: make it with `spacy project run pretrain` (about 15 minutes).")
    return path


def pkuseg_dir() -> Path:
    """The pkuseg model `govreport tokenizer` trains, and the word vectors made with it (configs/clause_pkuseg.cfg)."""
    path = Path("training/pkuseg")
    if not (path / "model").exists():
        raise SystemExit(f"{path}/model is missing: make it with `govreport tokenizer` (about 5 minutes).")
    if not Path("training/word_vectors").exists():
        raise SystemExit("training/word_vectors is missing: make it with `scripts/pretrain_vectors.py words`.")
    return path


def model_makers(seed: int = 0) -> dict:
    seeded = {"system.seed": str(seed)}
    return {
        "spacy-clause": lambda: SpacyModel(Path("configs/clause.cfg"), overrides=seeded, reuse=REUSE),
        "spacy-clause-novectors": lambda: SpacyModel(Path("configs/clause.cfg"), overrides={**seeded, **NO_VECTORS}),
        "spacy-clause-text-only": lambda: SpacyModel(Path("configs/clause.cfg"), overrides=seeded, sections=False,
                                                     reuse=REUSE),
        "spacy-clause-nosection": lambda: SpacyModel(Path("configs/clause.cfg"), overrides={**seeded, **NO_SECTIONS}),
        "spacy-clause-pretrained": lambda: SpacyModel(Path("configs/clause.cfg"), reuse=REUSE, overrides={
            **seeded, **NO_BIGRAMS, "paths.init_tok2vec": str(pretrained_tok2vec())}),
        "spacy-clause-notextcat": lambda: SpacyModel(Path("configs/clause.cfg"), overrides={**seeded, **NO_TEXTCAT},
                                                     reuse=REUSE),
        "spacy-clause-nobigrams": lambda: SpacyModel(Path("configs/clause.cfg"), overrides={**seeded, **NO_BIGRAMS},
                                                     reuse=REUSE),
        "spacy-clause-pkuseg": lambda: SpacyModel(Path("configs/clause_pkuseg.cfg"), segmenter="pkuseg",
                                                  pkuseg_dir=pkuseg_dir(), overrides=seeded, reuse=REUSE),
        "spacy-char": lambda: SpacyModel(Path("configs/char.cfg"), overrides=seeded),
        "tfidf": TfidfModel, "tfidf-section": lambda: TfidfModel(sections=True),
        "rules": RuleModel, "majority": MajorityModel,
        # the section dropout the shipped config chose (0.5) against others, with and without sections at test
        **{f"spacy-clause-dropout{rate}{suffix}": (
            lambda rate=rate, suffix=suffix: SpacyModel(
                Path("configs/clause.cfg"), overrides={**seeded, "corpora.train.section_dropout": rate},
                sections=not suffix, reuse=REUSE))
           for rate in ("0.0", "0.3") for suffix in ("", "-text-only")},
    }


def summary(m: dict) -> dict:
    per_label = m["cats"]["per_label"]
    return {"macro_f1": round(m["cats"]["macro_f"], 4),
            **{label: round(per_label[label]["f"], 4) for label in LABEL_NAMES},
            "span_exact_f1": round(m["spans"]["exact"]["f"], 4), "span_overlap_f1": round(m["spans"]["overlap"]["f"], 4)}


def level_table(title: str, by_model: dict[str, dict[str, dict]]) -> Table:
    """Rows: model x level; macro-F1, TARGET, PROBLEM, span overlap F1."""
    table = Table(title=title)
    for column in ("model", "level", "sentences", "macro-F1", *LABEL_NAMES, "span overlap F1"):
        table.add_column(column, justify="right")
    for name, levels in by_model.items():
        for level, m in levels.items():
            s = summary(m)
            table.add_row(name, level, str(m["sentences"]), f"{s['macro_f1']:.3f}",
                          *(f"{s[label]:.3f}" for label in LABEL_NAMES), f"{s['span_overlap_f1']:.3f}")
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--annotations", type=Path, default=Path("annotations/gold.jsonl"))
    parser.add_argument("--documents", type=Path, default=Path("corpus/documents.jsonl"),
                        help="Places and levels of the documents.")
    parser.add_argument("--cv", type=int, default=0, help="Folds grouped by place (5 in the README; 0 = skip).")
    parser.add_argument("--lolo", action="store_true", help="Also leave one level out.")
    parser.add_argument("--seeds", type=int, nargs="*", default=[], help="Seeds for the spread on training/split.json.")
    parser.add_argument("--split", type=Path, default=Path("training/split.json"))
    parser.add_argument("--models", nargs="*", default=["spacy-clause", "tfidf", "rules", "majority"])
    parser.add_argument("--jobs", type=int, default=2, help="Trainings run side by side.")
    parser.add_argument("--seed", type=int, default=0,
                        help="The spaCy models' seed in --cv and --lolo; results of a seed other than 0 are stored "
                             "as MODEL-seedN.")
    parser.add_argument("--speed", type=Path, metavar="MODEL",
                        help="Also time nlp.pipe of this trained pipeline over corpus/sentences.jsonl, one process.")
    parser.add_argument("--out", type=Path, default=Path("training/bench.json"))
    args = parser.parse_args()
    if not (args.cv or args.lolo or args.seeds or args.speed):
        parser.error("nothing to run: give --cv 5, --lolo, --seeds 0 1 2 and/or --speed MODEL")

    rows = read_annotations(args.annotations)
    documents = {d["doc"]: d for d in read_jsonl(args.documents)}
    places = {doc: d.get("place") if d.get("place") not in (None, "", "unknown") else doc
              for doc, d in documents.items()}
    levels = {doc: d.get("level") or "unknown" for doc, d in documents.items()}
    makers = model_makers(args.seed)
    key = (lambda name: name) if args.seed == 0 else (lambda name: f"{name}-seed{args.seed}")
    console = Console()
    report = {"sentences": len(rows), "documents": len({r["doc"] for r in rows}),
              "places": len({places.get(r["doc"], r["doc"]) for r in rows})}
    previous = json.loads(args.out.read_text(encoding="utf-8")) if args.out.exists() else {}

    if args.cv:
        results = dict(previous.get("grouped_cv", {}))
        for name in args.models:
            start = time.perf_counter()
            results[key(name)] = cross_validate(makers[name], rows, k=args.cv, groups=places, jobs=args.jobs,
                                           levels=levels,
                                           progress=lambda i, n=name: console.print(f"  {n}: fold {i + 1}/{args.cv}"))
            console.print(f"{name}: done in {time.perf_counter() - start:.0f}s")
            report["grouped_cv"] = results
            write_json(args.out, {**previous, **report})
        console.print(metrics_table(f"{args.cv}-fold cross-validation grouped by place: {len(rows)} sentences, "
                                    f"{report['documents']} documents, {report['places']} places", results))
        console.print(level_table("The same predictions by level", {n: m["by_level"] for n, m in results.items()}))

    if args.lolo:
        results = dict(previous.get("leave_one_level_out", {}))
        for name in args.models:
            results[key(name)] = leave_one_level_out(makers[name], rows, levels, places, jobs=args.jobs,
                                                progress=lambda i, n=name: console.print(f"  {n}: level {i + 1}"))
            report["leave_one_level_out"] = results
            write_json(args.out, {**previous, **report})
        console.print(level_table("Leave one level out: trained without the level, tested on all of it", results))

    if args.seeds:
        split = json.loads(args.split.read_text(encoding="utf-8"))
        name = next(n for n in args.models if n.startswith("spacy"))
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=args.jobs) as pool:  # each training is its own subprocess
            trained = pool.map(lambda seed: summary(run_splits(model_makers(seed)[name], rows,
                                                               [(split["test"], split["dev"])])), args.seeds)
            runs = dict(zip(args.seeds, trained))
        spread = {key: {"mean": round(statistics.mean(r[key] for r in runs.values()), 4),
                        "min": min(r[key] for r in runs.values()), "max": max(r[key] for r in runs.values())}
                  for key in next(iter(runs.values()))}
        report["seeds"] = {"model": name, "split": str(args.split), "runs": runs, "spread": spread}
        table = Table(title=f"{name} on {args.split} (test documents), one training per seed")
        for column in ("figure", *(f"seed {s}" for s in args.seeds), "max - min"):
            table.add_column(column, justify="right")
        for key, s in spread.items():
            table.add_row(key, *(f"{runs[seed][key]:.3f}" for seed in args.seeds), f"{s['max'] - s['min']:.3f}")
        console.print(table)

    if args.speed:
        report["speed"] = pipe_speed(args.speed)
        console.print(f"nlp.pipe, one process: {report['speed']['sentences_per_second']:,} sentences/s "
                      f"({report['speed']['sentences']:,} sentences, load average before {report['speed']['load_average']})")

    write_json(args.out, {**previous, **report})
    console.print(f"written to {args.out}")


def pipe_speed(model: Path) -> dict:
    """Sentences/s of ``nlp.pipe`` (batch 256, one process) over every sentence of corpus/sentences.jsonl. Per core:
    run it with OPENBLAS_NUM_THREADS=1 (the layers multiply with numpy's BLAS; ``blas_threads`` says how many)."""
    import os

    import spacy

    nlp = spacy.load(model)
    texts = [s["text"] for s in read_jsonl(Path("corpus/sentences.jsonl"))]
    load = os.getloadavg()[0]
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=256):
        pass
    seconds = time.perf_counter() - start
    from threadpoolctl import threadpool_info

    blas_threads = max((p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"), default=None)
    return {"model": str(model), "sentences": len(texts), "seconds": round(seconds, 1),
            "sentences_per_second": round(len(texts) / seconds), "load_average": round(load, 2),
            "blas_threads": blas_threads}


if __name__ == "__main__":
    main()
