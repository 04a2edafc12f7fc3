"""Stage 4: label whole reports with a trained pipeline.

Raw files go through the same normalise + segment as the corpus stage, then the
pipeline labels every sentence (``nlp.pipe`` in batches). Categories are decided
with the per-label thresholds tuned on dev and stored in the package's meta.json;
spans are then made to obey the annotation rules (``label_doc``), so every row passes
``govreport.annotations.validate`` like a pulled gold row. Rendering the rows (CSV,
HTML) is ``govreport.render``.

Python API::

    import spacy
    from govreport.predict import label_report
    nlp = spacy.load("zh_govreport")
    rows = label_report(open("report.txt", encoding="utf-8").read(), nlp)
"""

from __future__ import annotations

import multiprocessing
import os
from typing import Callable, Iterable

from spacy.language import Language
from spacy.tokens import Doc

from .annotations import EDGE_PUNCTUATION
from .clauses import make_doc
from .labels import LABEL_NAMES
from .normalise import normalise_text
from .segment import Sentence, clause_spans, segment


class ModelError(Exception):
    """The pipeline cannot be used to label reports (missing components or labels)."""


def check_model(nlp: Language) -> dict[str, float]:
    """Raise ModelError unless the pipeline predicts our labels as categories (doc.cats) and spans
    (doc.ents); return its thresholds. Categories come from textcat_multilabel or govreport_clause_labels,
    spans from ner or govreport_clause_labels."""
    def labels_of(names: tuple[str, ...]) -> set[str] | None:
        present = [name for name in names if name in nlp.pipe_names]
        return set().union(*(nlp.get_pipe(name).labels for name in present)) if present else None

    problems = []
    for what, names in (("categories", ("textcat_multilabel", "govreport_clause_labels")),
                        ("spans", ("ner", "govreport_clause_labels"))):
        labels = labels_of(names)
        if labels is None:
            problems.append(f"nothing predicts {what} (no {' or '.join(names)} component)")
        elif missing := set(LABEL_NAMES) - labels:
            problems.append(f"{what} lack {', '.join(sorted(missing))}")
    if problems:
        raise ModelError(f"this pipeline cannot label reports: {'; '.join(problems)} "
                         f"(expected labels {', '.join(LABEL_NAMES)})")
    thresholds = nlp.meta.get("govreport", {}).get("thresholds", {})
    return {label: round(float(thresholds.get(label, 0.5)), 4) for label in LABEL_NAMES}


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) past whitespace and clause punctuation at its edges (guidelines, "Spans")."""
    while start < end and (text[start].isspace() or text[start] in EDGE_PUNCTUATION):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in EDGE_PUNCTUATION):
        end -= 1
    return start, end


def label_doc(doc: Doc, thresholds: dict[str, float], text: str | None = None) -> dict:
    """The model's answer for one sentence, obeying the annotation rules: {"scores", "cats", "spans"}.

    - ``scores``: the text classifier's score per label (4 decimals);
    - ``cats``: the labels whose score reaches the label's threshold;
    - ``spans``: the recognised entities whose label is among ``cats`` (edges trimmed of
      whitespace and clause punctuation). A category that gets no entity this way gets the first
      clause of the sentence (``segment.clause_spans``) that no span overlaps yet; when every
      clause is taken, the category is dropped (its score stays in ``scores``).

    ``text``: the sentence, when the caller has it (``doc.text`` rebuilds it from the tokens)."""
    text = doc.text if text is None else text
    scores = {label: round(float(doc.cats.get(label, 0.0)), 4) for label in LABEL_NAMES}
    decided = [label for label in LABEL_NAMES if scores[label] >= thresholds[label]]
    spans = []
    for entity in doc.ents:
        start, end = _trim(text, entity.start_char, entity.end_char)
        if entity.label_ in decided and start < end:
            spans.append([start, end, entity.label_])
    for label in decided:
        if any(span[2] == label for span in spans):
            continue
        for clause in clause_spans(text):
            start, end = _trim(text, *clause)
            if start < end and not any(s < end and start < e for s, e, _ in spans):
                spans.append([start, end, label])
                break
    spans.sort()
    cats = [label for label in decided if any(span[2] == label for span in spans)]
    return {"scores": scores, "cats": cats, "spans": spans}


def label_sentences(sentences: list[Sentence], nlp: Language, thresholds: dict[str, float],
                    batch_size: int = 256, n_process: int = 1,
                    on_batch: Callable[[int], None] = lambda n: None) -> list[dict]:
    """One row per sentence: the sentence's fields (``Sentence.to_dict``) plus ``label_doc``'s answer.
    ``n_process`` > 1: worker processes label chunks of the sentences (:func:`_label_in_processes`)."""
    if n_process != 1 and len(sentences) > batch_size and "fork" in multiprocessing.get_all_start_methods():
        return _label_in_processes(sentences, nlp, thresholds, batch_size, n_process, on_batch)
    rows = []
    # Each sentence goes in with its section: the pipeline reads whether it plans or reviews (clauses.py).
    docs = nlp.pipe((make_doc(nlp, s.text, s.section) for s in sentences), batch_size=batch_size, n_process=n_process)
    for i, (sentence, doc) in enumerate(zip(sentences, docs), start=1):
        rows.append({**sentence.to_dict(), **label_doc(doc, thresholds, sentence.text)})
        if i % batch_size == 0:
            on_batch(batch_size)
    on_batch(len(rows) % batch_size)
    return rows


# What forked workers inherit from _label_in_processes: (nlp, thresholds, batch_size).
_WORKER_PIPELINE: tuple | None = None


def _one_blas_thread() -> None:
    """Pool initializer: one BLAS thread for the worker's whole life (the workers share the machine's cores)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")


def _label_chunk(chunk: list[Sentence]) -> list[dict]:
    nlp, thresholds, batch_size = _WORKER_PIPELINE
    return label_sentences(chunk, nlp, thresholds, batch_size)


def _label_in_processes(sentences: list[Sentence], nlp: Language, thresholds: dict[str, float], batch_size: int,
                        n_process: int, on_batch: Callable[[int], None]) -> list[dict]:
    """Label chunks of sentences in ``n_process`` forked processes (-1: one per core) that return rows, in order.
    spaCy's own ``nlp.pipe(n_process=N)`` sends every Doc back serialised, which on short sentences costs more
    than labelling them (2 processes ran 3 times slower than one: README "Benchmarks"). The workers share the loaded
    pipeline by fork (where fork is missing, Windows, label_sentences uses spaCy's n_process) and multiply with one
    BLAS thread each, since one process alone already uses every core's BLAS thread."""
    global _WORKER_PIPELINE
    processes = (os.cpu_count() or 1) if n_process < 0 else n_process
    chunk = batch_size * 4
    chunks = [sentences[i:i + chunk] for i in range(0, len(sentences), chunk)]
    _WORKER_PIPELINE = (nlp, thresholds, batch_size)
    rows = []
    try:
        with multiprocessing.get_context("fork").Pool(processes, initializer=_one_blas_thread) as pool:
            for part in pool.imap(_label_chunk, chunks):
                rows += part
                on_batch(len(part))
    finally:
        _WORKER_PIPELINE = None
    return rows


def model_suggestions(sentences: Iterable[dict], nlp: Language, source: str, batch_size: int = 256,
                      on_batch: Callable[[int], None] = lambda n: None) -> dict[str, dict]:
    """Pre-annotations for sentence rows (id, text): {id: {"cats", "spans", "source", "scores", "margin"}}.

    Categories and spans as ``label_doc`` decides them (what ``govreport predict`` writes). ``margin``
    is how far the label score nearest to its threshold lies from it: small means the model is unsure
    (`--order uncertain`)."""
    thresholds = check_model(nlp)
    rows = list(sentences)
    out = {}
    docs = nlp.pipe((make_doc(nlp, r["text"], r.get("section")) for r in rows), batch_size=batch_size)
    for i, (row, doc) in enumerate(zip(rows, docs), start=1):
        answer = label_doc(doc, thresholds, row["text"])
        margin = min(abs(answer["scores"][label] - thresholds[label]) for label in LABEL_NAMES)
        out[row["id"]] = {**answer, "source": source, "margin": round(margin, 4)}
        if i % batch_size == 0:
            on_batch(batch_size)
    on_batch(len(rows) % batch_size)
    return out


def label_report(text: str, nlp: Language, source: str = "report.txt") -> list[dict]:
    """Label one report given as text: one row per sentence (see docs/SCHEMAS.md, predictions)."""
    thresholds = check_model(nlp)
    result = normalise_text(text, source)
    sentences = [s for d in result.documents for s in segment(d)]
    return label_sentences(sentences, nlp, thresholds)
