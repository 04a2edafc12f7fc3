"""Stage 3b: train and evaluate models side by side.

Every model answers, for each sentence, category scores (0..1 per label) and
clause spans. Models:

- ``spacy``    the textcat_multilabel + ner pipeline, trained with the real
               ``spacy train`` CLI from a config in configs/;
- ``tfidf``    TF-IDF character 1–3-grams + one-vs-rest logistic regression for
               categories, and the same features classifying each clause for spans;
- ``rules``    the cue-word suggester (suggest.py), built from the guidelines' cues;
- ``majority`` the majority answer of the training data.

Metrics: per-label precision/recall/F1 and macro-F1 for categories (with per-label
thresholds tuned on dev), exact and overlap span F1. Because the data is small,
``cross_validate`` runs k folds *by document* for every model.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .clauses import make_doc, section_kind_columns
from .labels import LABEL_NAMES

CLAUSE_LABELS = "govreport_clause_labels"  # the component of configs/clause.cfg (clauses.py)
from .segment import clause_spans
from .suggest import suggest

Prediction = tuple[dict[str, float], list[tuple[int, int, str]]]  # (cat scores, spans)
THRESHOLD_GRID = [round(0.05 * i, 2) for i in range(1, 20)]  # 0.05 .. 0.95


# ------------------------------------------------------------------ metrics


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f": f}


def category_metrics(gold: list[set[str]], pred: list[set[str]]) -> dict:
    per_label = {}
    for label in LABEL_NAMES:
        tp = sum(1 for g, p in zip(gold, pred) if label in g and label in p)
        fp = sum(1 for g, p in zip(gold, pred) if label not in g and label in p)
        fn = sum(1 for g, p in zip(gold, pred) if label in g and label not in p)
        per_label[label] = {**prf(tp, fp, fn), "support": tp + fn}
    macro = sum(m["f"] for m in per_label.values()) / len(LABEL_NAMES)
    return {"macro_f": macro, "per_label": per_label}


def span_metrics(gold: list[list], pred: list[list]) -> dict:
    """Exact: same start, end and label. Overlap: same label and at least one shared character."""
    def count(match) -> dict:
        tp_p = sum(1 for g, p in zip(gold, pred) for s in p if any(match(s, t) for t in g))
        tp_g = sum(1 for g, p in zip(gold, pred) for t in g if any(match(s, t) for s in p))
        n_pred, n_gold = sum(map(len, pred)), sum(map(len, gold))
        precision = tp_p / n_pred if n_pred else 0.0
        recall = tp_g / n_gold if n_gold else 0.0
        f = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"p": precision, "r": recall, "f": f}

    exact = count(lambda s, t: tuple(s) == tuple(t))
    overlap = count(lambda s, t: s[2] == t[2] and s[0] < t[1] and t[0] < s[1])
    return {"exact": exact, "overlap": overlap}


def tune_thresholds(gold: list[set[str]], scores: list[dict[str, float]]) -> dict[str, float]:
    """Per label, the threshold on the grid with the best F1 on these (dev) examples."""
    thresholds = {}
    for label in LABEL_NAMES:
        best = (-1.0, 0.5)
        for t in THRESHOLD_GRID:
            m = category_metrics(gold, [{label} if s.get(label, 0) >= t else set() for s in scores])
            f = m["per_label"][label]["f"]
            if f > best[0] + 1e-9:
                best = (f, t)
        thresholds[label] = best[1]
    return thresholds


def decide(scores: dict[str, float], thresholds: dict[str, float]) -> set[str]:
    return {label for label in LABEL_NAMES if scores.get(label, 0.0) >= thresholds.get(label, 0.5)}


def evaluate_predictions(rows: list[dict], predictions: list[Prediction], thresholds: dict[str, float]) -> dict:
    gold_cats = [set(r["cats"]) for r in rows]
    pred_cats = [decide(scores, thresholds) for scores, _ in predictions]
    gold_spans = [[tuple(s) for s in r["spans"]] for r in rows]
    pred_spans = [[tuple(s) for s in spans] for _, spans in predictions]
    return {"cats": category_metrics(gold_cats, pred_cats), "spans": span_metrics(gold_spans, pred_spans),
            "thresholds": thresholds, "sentences": len(rows)}


# ------------------------------------------------------------------ models


class Model:
    name = "model"

    def fit(self, train: list[dict], dev: list[dict]) -> None:
        raise NotImplementedError

    def predict(self, rows: list[dict]) -> list[Prediction]:
        raise NotImplementedError


class MajorityModel(Model):
    """Labels present in most training sentences; every clause gets the commonest span label."""

    name = "majority"

    def fit(self, train, dev):
        counts = Counter(label for r in train for label in r["cats"])
        self.cats = {label: 1.0 if counts[label] > len(train) / 2 else 0.0 for label in LABEL_NAMES}
        spans = Counter(s[2] for r in train for s in r["spans"])
        self.span_label = spans.most_common(1)[0][0] if spans else None

    def predict(self, rows):
        out = []
        for r in rows:
            spans = ([(s, e, self.span_label) for s, e in clause_spans(r["text"])]
                     if self.span_label and self.cats.get(self.span_label) else [])
            out.append((dict(self.cats), spans))
        return out


class RuleModel(Model):
    """The cue-word rule of suggest.py: scores are 1.0 for a suggested label, else 0.0."""

    name = "rules"

    def fit(self, train, dev):
        pass

    def predict(self, rows):
        out = []
        for r in rows:
            s = suggest(r["text"], r.get("section", ""))
            out.append(({label: 1.0 if label in s["cats"] else 0.0 for label in LABEL_NAMES},
                        [tuple(x) for x in s["spans"]]))
        return out


def _clause_examples(rows: list[dict]) -> tuple[list[str], list[str], list[str]]:
    """Each clause with the label of the gold span it overlaps most, or 'O', and its sentence's section."""
    texts, labels, sections = [], [], []
    for r in rows:
        for s, e in clause_spans(r["text"]):
            best, label = 0, "O"
            for gs, ge, gl in r["spans"]:
                shared = min(e, ge) - max(s, gs)
                if shared > best:
                    best, label = shared, gl
            texts.append(r["text"][s:e])
            labels.append(label)
            sections.append(r.get("section", ""))
    return texts, labels, sections


class TfidfModel(Model):
    """TF-IDF character 1-3-grams + logistic regression, for sentences and, the same way, for clauses.
    ``tune``: the regularisation C of each is chosen on dev (sentence macro-F1 with thresholds tuned on
    dev; clause overlap F1) from ``C_GRID``; without dev, or untuned, C = 10. ``sections``: the features
    also hold the kind of the sentence's section (plan / review / unknown), as the clause pipeline sees it."""

    name = "tfidf"
    C_GRID = (1.0, 3.0, 10.0, 30.0)

    def __init__(self, tune: bool = True, sections: bool = False):
        self.tune = tune
        self.sections = sections
        self.name = "tfidf-section" if sections else "tfidf"

    def _features(self, vectorizer, texts: list[str], sections: list[str], fit: bool = False):
        x = vectorizer.fit_transform(texts) if fit else vectorizer.transform(texts)
        if not self.sections:
            return x
        from scipy.sparse import csr_matrix, hstack

        return hstack([x, csr_matrix(section_kind_columns(sections))]).tocsr()

    def fit(self, train, dev):
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=1)
        x = self._features(self.vectorizer, [r["text"] for r in train], [r.get("section", "") for r in train], fit=True)
        y = np.array([[1 if label in r["cats"] else 0 for label in LABEL_NAMES] for r in train])
        # A label with one class only in train cannot be fitted: remember its constant answer.
        self.constant = {i: float(y[0, i]) for i in range(len(LABEL_NAMES)) if len(set(y[:, i])) < 2}
        self.fit_cols = [i for i in range(len(LABEL_NAMES)) if i not in self.constant]
        clause_texts, clause_labels, clause_sections = _clause_examples(train)
        self.clause_vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
        cx = self._features(self.clause_vectorizer, clause_texts, clause_sections, fit=True)
        if not (self.tune and dev):
            self.cats_model, self.clause_model = self._fit_cats(x, y, 10.0), self._fit_clauses(cx, clause_labels, 10.0)
            return
        gold = [set(r["cats"]) for r in dev]
        best_cats, best_clauses = (-1.0, None), (-1.0, None)
        for c in self.C_GRID:
            self.cats_model = self._fit_cats(x, y, c)
            self.clause_model = self._fit_clauses(cx, clause_labels, c)
            predictions = self.predict(dev)
            thresholds = tune_thresholds(gold, [p[0] for p in predictions])
            cats_f = category_metrics(gold, [decide(p[0], thresholds) for p in predictions])["macro_f"]
            spans_f = span_metrics([[tuple(x) for x in r["spans"]] for r in dev],
                                   [p[1] for p in predictions])["overlap"]["f"]
            if cats_f > best_cats[0]:
                best_cats = (cats_f, self.cats_model)
            if spans_f > best_clauses[0]:
                best_clauses = (spans_f, self.clause_model)
        self.cats_model, self.clause_model = best_cats[1], best_clauses[1]

    def _fit_cats(self, x, y, c):
        from sklearn.linear_model import LogisticRegression
        from sklearn.multiclass import OneVsRestClassifier

        if not self.fit_cols:
            return None
        return OneVsRestClassifier(LogisticRegression(C=c, class_weight="balanced", max_iter=2000)).fit(
            x, y[:, self.fit_cols])

    def _fit_clauses(self, cx, labels, c):
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(C=c, class_weight="balanced", max_iter=2000).fit(cx, labels)

    def predict(self, rows):
        if not rows:
            return []
        x = self._features(self.vectorizer, [r["text"] for r in rows], [r.get("section", "") for r in rows])
        probs = self.cats_model.predict_proba(x) if self.fit_cols else np.zeros((len(rows), 0))
        clause_lists = [clause_spans(r["text"]) for r in rows]
        flat = [r["text"][s:e] for r, clauses in zip(rows, clause_lists) for s, e in clauses]
        flat_sections = [r.get("section", "") for r, clauses in zip(rows, clause_lists) for _ in clauses]
        clause_pred = (list(self.clause_model.predict(self._features(self.clause_vectorizer, flat, flat_sections)))
                       if flat else [])
        out, k = [], 0
        for i, (r, clauses) in enumerate(zip(rows, clause_lists)):
            scores = {}
            for j, label in enumerate(LABEL_NAMES):
                scores[label] = self.constant[j] if j in self.constant else float(probs[i, self.fit_cols.index(j)])
            spans = []
            for s, e in clauses:
                if clause_pred[k] != "O":
                    spans.append((s, e, clause_pred[k]))
                k += 1
            out.append((scores, spans))
        return out


def finished_training(output: Path) -> bool:
    """Whether `spacy train --output OUTPUT` ran to its end. model-last is written when training ends; a
    model-best alone may belong to a run still going (or one whose parent was killed), and loading it would
    score a half-trained pipeline."""
    return (output / "model-best" / "meta.json").exists() and (output / "model-last" / "meta.json").exists()


class SpacyModel(Model):
    """The real pipeline: DocBins + `python -m spacy train CONFIG` in a subprocess. ``sections``: whether
    dev and test sentences go to the trained pipeline with their section (as `govreport predict` gives them)
    or without (as a plain ``nlp(text)`` gives them). ``reuse``: a folder where each trained pipeline is kept
    under a hash of everything that decides it (config file, the code of clauses.py and train.py, overrides,
    segmenter, train and dev rows); a later fit with the same inputs loads it instead of training again
    (training is deterministic)."""

    name = "spacy"

    def __init__(self, config: Path, segmenter: str = "char", pkuseg_dir: Path | None = None,
                 workdir: Path | None = None, overrides: dict[str, str] | None = None, sections: bool = True,
                 reuse: Path | None = None):
        self.sections = sections
        self.reuse = reuse
        self.config = Path(config)
        self.segmenter = segmenter
        self.pkuseg_dir = pkuseg_dir
        self.workdir = workdir
        self.overrides = overrides or {}
        self.nlp = None

    def _blank(self):
        from .tokenizer import blank_pipeline

        if self.segmenter == "pkuseg":
            return blank_pipeline("pkuseg", self.pkuseg_dir / "model", self.pkuseg_dir / "user_dict.txt")
        return blank_pipeline("char")

    def _fingerprint(self, train, dev) -> str:
        import hashlib

        digest = hashlib.sha256(self.config.read_bytes())
        # the code the training runs too: the model's layers, its readers and how sections are read
        for module in (Path(__file__).with_name("clauses.py"), Path(__file__).with_name("train.py")):
            digest.update(module.read_bytes())
        for part in (sorted(self.overrides.items()), self.segmenter, train, dev):
            digest.update(json.dumps(part, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8"))
        # a file the config or an override names (pretrained weights, bigram vectors): its contents
        from confection import Config

        paths = {f"paths.{key}": value for key, value in
                 Config().from_disk(self.config, interpolate=False).get("paths", {}).items()}
        for value in {**paths, **self.overrides}.values():  # an override replaces the config's path
            if value is not None and Path(str(value)).is_file():
                digest.update(Path(str(value)).read_bytes())
        return digest.hexdigest()[:16]

    def fit(self, train, dev):
        import spacy
        from spacy.tokens import DocBin

        from .convert import make_doc as gold_doc

        if self.reuse:
            work = Path(self.reuse) / self._fingerprint(train, dev)
            if finished_training(work / "model"):
                self.model_dir = work / "model" / "model-best"
                self.nlp = spacy.load(self.model_dir)
                return
        else:
            work = Path(self.workdir or tempfile.mkdtemp(prefix="govreport-train-"))
        work.mkdir(parents=True, exist_ok=True)
        nlp = self._blank()
        self.misaligned = []
        for name, rows in (("train", train), ("dev", dev)):
            docbin = DocBin(store_user_data=True)  # keeps doc._.section
            for r in rows:
                docbin.add(gold_doc(nlp, r, "expand", self.misaligned))
            docbin.to_disk(work / f"{name}.spacy")
        command = [sys.executable, "-m", "spacy", "train", str(self.config), "--output", str(work / "model"),
                   "--paths.train", str(work / "train.spacy"), "--paths.dev", str(work / "dev.spacy")]
        if self.segmenter == "pkuseg":
            command += ["--paths.pkuseg_model", str(self.pkuseg_dir / "model"),
                        "--paths.pkuseg_user_dict", str(self.pkuseg_dir / "user_dict.txt")]
        for key, value in self.overrides.items():
            command += [f"--{key}", str(value)]
        # One BLAS thread per training: folds train side by side (run_splits jobs) on a small machine.
        env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
        completed = subprocess.run(command, capture_output=True, text=True, env=env)
        (work / "train.log").write_text(completed.stdout + completed.stderr, encoding="utf-8")
        if completed.returncode != 0:
            raise RuntimeError(f"spacy train failed (log: {work / 'train.log'}):\n{completed.stderr[-2000:]}")
        self.model_dir = work / "model" / "model-best"
        self.nlp = spacy.load(self.model_dir)

    def apply_thresholds(self, thresholds: dict[str, float]) -> None:
        """A clause pipeline decides its spans with the thresholds too (clauses.ClauseLabels)."""
        if CLAUSE_LABELS in self.nlp.pipe_names:
            self.nlp.get_pipe(CLAUSE_LABELS).set_thresholds(thresholds)

    def predict(self, rows):
        out = []
        docs = (make_doc(self.nlp, r["text"], r.get("section") if self.sections else None) for r in rows)
        for r, doc in zip(rows, self.nlp.pipe(docs, batch_size=256)):
            out.append(({label: float(doc.cats.get(label, 0.0)) for label in LABEL_NAMES},
                        [(e.start_char, e.end_char, e.label_) for e in doc.ents]))
        return out


# ------------------------------------------------------------------ runs


@dataclass
class RunResult:
    model: str
    metrics: dict
    train_seconds: float
    sentences_per_second: float


def thresholds_for(model: Model, dev: list[dict]) -> dict[str, float]:
    """Per-label thresholds tuned on dev (and applied to the model's spans where they decide them too);
    0.5 for models whose scores are 0/1 (nothing to tune) or without dev."""
    if isinstance(model, (RuleModel, MajorityModel)) or not dev:
        thresholds = {label: 0.5 for label in LABEL_NAMES}
    else:
        thresholds = tune_thresholds([set(r["cats"]) for r in dev], [s for s, _ in model.predict(dev)])
    if hasattr(model, "apply_thresholds"):
        model.apply_thresholds(thresholds)
    return thresholds


def run_model(model: Model, train: list[dict], dev: list[dict], test: list[dict]) -> RunResult:
    start = time.perf_counter()
    model.fit(train, dev)
    train_seconds = time.perf_counter() - start
    thresholds = thresholds_for(model, dev)
    start = time.perf_counter()
    predictions = model.predict(test)
    seconds = time.perf_counter() - start
    metrics = evaluate_predictions(test, predictions, thresholds)
    return RunResult(model.name, metrics, train_seconds, len(test) / seconds if seconds else float("inf"))


def pooled_metrics(rows: list[dict], predictions: list[Prediction], thresholds_per_row: list[dict]) -> dict:
    gold_cats = [set(r["cats"]) for r in rows]
    pred_cats = [decide(s, t) for (s, _), t in zip(predictions, thresholds_per_row)]
    return {"cats": category_metrics(gold_cats, pred_cats),
            "spans": span_metrics([[tuple(s) for s in r["spans"]] for r in rows],
                                  [[tuple(s) for s in spans] for _, spans in predictions]),
            "sentences": len(rows)}


def run_splits(make_model, rows: list[dict], splits: list[tuple[list[str], list[str]]], progress=None,
               jobs: int = 1, levels: dict[str, str] | None = None) -> dict:
    """Train and test once per split: ``(test_docs, dev_docs)``; the model trains on every other document,
    tunes thresholds (and stops early) on dev, and predicts test. Metrics pool the test predictions of all
    splits; with ``levels`` (doc -> level) also per level. ``jobs`` splits run at once (spaCy trains in
    subprocesses)."""
    from concurrent.futures import ThreadPoolExecutor

    def one(split):
        test_docs, dev_docs = set(split[0]), set(split[1])
        test = [r for r in rows if r["doc"] in test_docs]
        dev = [r for r in rows if r["doc"] in dev_docs]
        train = [r for r in rows if r["doc"] not in test_docs and r["doc"] not in dev_docs]
        model = make_model()
        start = time.perf_counter()
        model.fit(train, dev)
        train_seconds = time.perf_counter() - start
        thresholds = thresholds_for(model, dev)
        start = time.perf_counter()
        predictions = model.predict(test)
        return test, predictions, thresholds, train_seconds, time.perf_counter() - start

    all_rows, all_preds, all_thresholds = [], [], []
    train_seconds, predict_seconds = [], 0.0
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for i, (test, predictions, thresholds, fit_s, predict_s) in enumerate(pool.map(one, splits)):
            all_rows += test
            all_preds += predictions
            all_thresholds += [thresholds] * len(test)
            train_seconds.append(fit_s)
            predict_seconds += predict_s
            if progress:
                progress(i)
    metrics = pooled_metrics(all_rows, all_preds, all_thresholds)
    if levels:
        metrics["by_level"] = {}
        for level in sorted({levels.get(r["doc"], "unknown") for r in all_rows}):
            keep = [i for i, r in enumerate(all_rows) if levels.get(r["doc"], "unknown") == level]
            metrics["by_level"][level] = pooled_metrics([all_rows[i] for i in keep], [all_preds[i] for i in keep],
                                                        [all_thresholds[i] for i in keep])
    metrics.update({"splits": [{"test": sorted(t), "dev": sorted(d)} for t, d in splits],
                    "train_seconds_per_fold": sum(train_seconds) / len(splits),
                    "sentences_per_second": len(all_rows) / predict_seconds if predict_seconds else float("inf")})
    return metrics


def group_folds(rows: list[dict], groups: dict[str, str], k: int, seed: int = 0) -> list[list[str]]:
    """k folds of documents in which every group (a place: all reports of one government) sits in one fold;
    folds of about equal sentence counts. A document without a group is its own group."""
    from .convert import document_folds

    group_of = {r["doc"]: groups.get(r["doc"]) or r["doc"] for r in rows}
    sizes = Counter(group_of[r["doc"]] for r in rows)
    folds = document_folds(dict(sizes), k, seed)
    return [sorted(doc for doc in set(group_of) if group_of[doc] in set(fold)) for fold in folds]


def cross_validate(make_model, rows: list[dict], k: int = 5, seed: int = 0, progress=None,
                   extra_train: list[dict] | None = None, groups: dict[str, str] | None = None,
                   jobs: int = 1, levels: dict[str, str] | None = None) -> dict:
    """k folds by document (by ``groups`` when given: doc -> place). Each fold: the held-out fold is
    predicted, the next fold is dev (early stopping and thresholds), and the model trains on the other
    k-2 folds. Metrics pool all folds. ``extra_train`` rows (other documents) join the training part of
    every fold and are never tested: what they add shows on the same held-out documents."""
    from .convert import document_folds

    if groups is not None:
        folds = group_folds(rows, groups, k, seed)
    else:
        folds = document_folds(dict(Counter(r["doc"] for r in rows)), k, seed)
    splits = [(folds[i], folds[(i + 1) % k]) for i in range(k)]
    if extra_train:
        tagged = [{**r, "doc": "\0extra:" + r["doc"]} for r in extra_train]  # never in a test or dev fold
        metrics = run_splits(make_model, rows + tagged, splits, progress, jobs, levels)
    else:
        metrics = run_splits(make_model, rows, splits, progress, jobs, levels)
    metrics["folds"] = folds
    return metrics


def leave_one_level_out(make_model, rows: list[dict], levels: dict[str, str], groups: dict[str, str],
                        progress=None, jobs: int = 1, seed: int = 0) -> dict:
    """For each level: test on all its documents, train on the other levels (a fifth of their places,
    by sentences, is dev). Returns {level: metrics}."""
    out = {}
    present = sorted({levels.get(r["doc"], "unknown") for r in rows} - {"unknown"})
    splits = []
    for level in present:
        test_docs = sorted({r["doc"] for r in rows if levels.get(r["doc"]) == level})
        rest = [r for r in rows if r["doc"] not in set(test_docs)]
        dev_docs = group_folds(rest, groups, 5, seed)[0]
        splits.append((level, test_docs, dev_docs))
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        runs = pool.map(lambda split: run_splits(make_model, rows, [(split[1], split[2])]), splits)
        for i, ((level, _, _), metrics) in enumerate(zip(splits, runs)):
            out[level] = metrics
            if progress:
                progress(i)
    return out


def write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def store_thresholds(model_dir: Path, thresholds: dict[str, float], test_metrics: dict) -> Path:
    """Write the tuned thresholds and the test figures into the pipeline's meta.json (under "govreport"),
    where ``govreport.predict.check_model`` and the packaged model find them, and into a clause pipeline's
    govreport_clause_labels component, which decides doc.ents with them. Returns the meta.json path."""
    cfg_path = model_dir / CLAUSE_LABELS / "cfg.json"
    if cfg_path.exists():
        cfg = json.loads(cfg_path.read_text(encoding="utf-8"))
        cfg["thresholds"] = {label: float(value) for label, value in thresholds.items()}
        cfg_path.write_text(json.dumps(cfg, ensure_ascii=False, indent=1), encoding="utf-8")
    meta_path = model_dir / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta.setdefault("govreport", {}).update({"thresholds": thresholds, "test_metrics": test_metrics})
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return meta_path
