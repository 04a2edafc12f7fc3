"""One unit of work of a corpus-scale run (an input file, or a row batch of a table: :mod:`.units`) ->
labelled sentences committed to the dataset.

Runs on a Dask worker (or in the calling process without Dask). The unit goes through the same
reader, normaliser and segmenter as ``govreport corpus`` / ``govreport predict`` and the same labeller
(``predict.label_sentences``, ``nlp.pipe``), so a document's labels do not depend on where or in which
order it was processed. The pipeline is loaded once per worker process (:func:`cached_pipeline`).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections import defaultdict
from pathlib import Path

import pyarrow as pa

from ..corpus import find_duplicates
from ..labels import LABEL_NAMES
from ..normalise import BadInputError, Document, normalise_source
from ..readers import Skipped
from ..segment import segment
from . import dataset
from .units import WorkUnit, read_unit

_PIPELINES: dict[str, tuple] = {}  # model spec -> (nlp, thresholds, identity), per worker process


def model_identity(nlp, thresholds: dict[str, float]) -> dict:
    meta = nlp.meta
    return {"name": f"{meta.get('lang', '')}_{meta.get('name', '')}", "version": str(meta.get("version", "")),
            "thresholds": thresholds}


def cached_pipeline(model: str) -> tuple:
    """(nlp, thresholds, identity) of ``model`` (package name or folder), loaded once per process."""
    if model not in _PIPELINES:
        import spacy

        from ..predict import check_model

        nlp = spacy.load(model)
        thresholds = check_model(nlp)
        _PIPELINES[model] = (nlp, thresholds, model_identity(nlp, thresholds))
    return _PIPELINES[model]


def pipeline_identity(model: str) -> dict:
    """Load the pipeline in this process (a worker warming up) and say which model it is; an error
    becomes a one-line reason instead of a traceback, so the caller can name the worker."""
    try:
        return {"ok": True, "pid": os.getpid(), **cached_pipeline(model)[2]}
    except Exception as err:  # noqa: BLE001 - reported to the user with the worker's address
        return {"ok": False, "pid": os.getpid(), "error": f"{type(err).__name__}: {str(err).splitlines()[0][:300]}"}


def read_documents(unit: WorkUnit, text_column: str | None) -> tuple[list[Document], list[dict]]:
    """Documents of one unit (reader + normaliser, duplicates inside the unit left out) and what was skipped."""
    documents, skipped = [], []
    for item in read_unit(unit, text_column):
        if isinstance(item, Skipped):
            skipped.append({**item.to_dict(), "doc": None})
            continue
        try:
            documents += normalise_source(item).documents
        except BadInputError as err:
            skipped.append({"file": item.file, "reason": err.reason, "line": err.line, "row": item.row,
                            "page": None, "doc": item.doc})
    duplicates = {d.doc: d for d in find_duplicates(documents)}
    for duplicate in duplicates.values():
        document = next(d for d in documents if d.doc == duplicate.doc)
        skipped.append({"file": document.file, "reason": f"duplicate of {duplicate.duplicate_of}: {duplicate.reason}",
                         "line": None, "row": document.row, "page": None, "doc": document.doc})
    return [d for d in documents if d.doc not in duplicates], skipped


def document_year(document: Document) -> str:
    """The year a report belongs to: the meeting's date, else the first year planned, else the last year named."""
    if document.delivered[:4].isdigit():
        return document.delivered[:4]
    if document.planned_years:
        return str(document.planned_years[0])
    if document.years:
        return str(max(document.years))
    return "unknown"


def _sentence_rows(document: Document, rows: list[dict], identity: dict) -> list[dict]:
    return [{"id": r["id"], "doc": r["doc"], "file": document.file, "row": document.row, "place": document.place,
             "kind": document.kind, "title": document.title, "delivered": document.delivered,
             "section": r["section"], "heading": bool(r["heading"]), "start": r["start"], "end": r["end"],
             "line": r["line"], "text": r["text"], "flags": list(r["flags"]),
             **{f"score_{label}": r["scores"][label] for label in LABEL_NAMES},
             "cats": r["cats"], "spans": json.dumps(r["spans"], ensure_ascii=False),
             "model": identity["name"], "model_version": identity["version"]} for r in rows]


def _document_row(document: Document, sentences: int, sha256: str, identity: dict) -> dict:
    text_sha1 = hashlib.sha1("".join(ch for ch in document.text if "\u3400" <= ch <= "\u9fff").encode()).hexdigest()
    return {"doc": document.doc, "file": document.file, "row": document.row, "source": document.source,
            "title": document.title, "place": document.place, "kind": document.kind,
            "delivered": document.delivered, "years": document.years, "reviewed_years": document.reviewed_years,
            "planned_years": document.planned_years, "encoding": document.encoding, "url": document.url,
            "metadata": json.dumps(document.metadata, ensure_ascii=False), "suspect": document.suspect,
            "chars": len(document.text), "sentences": sentences, "changes": len(document.changes),
            "flags": len(document.flags), "text_sha1": text_sha1, "input_sha256": sha256,
            "model": identity["name"], "model_version": identity["version"]}


def label_unit(unit: WorkUnit, out: str, model: str, text_column: str | None = None, batch_size: int = 256) -> dict:
    """Read, clean, segment and label every report of one unit (a file, or a row batch of a table) and
    commit its parts to the dataset at ``out``; return its manifest entry (counts, seconds, process).
    The hash of the bytes actually read is recorded (``unit.sha256`` is what the planner saw)."""
    from ..predict import label_sentences

    started = time.perf_counter()
    out_dir = Path(out)
    nlp, thresholds, identity = cached_pipeline(model)
    read_sha256 = dataset.file_sha256(unit.path)
    documents, skipped = read_documents(unit, text_column)
    key = dataset.input_key(unit.name)
    sentence_rows, document_rows = defaultdict(list), defaultdict(list)
    per_document = [segment(document) for document in documents]
    rows = label_sentences([s for sentences in per_document for s in sentences], nlp, thresholds,
                           batch_size=batch_size)  # one nlp.pipe over the file
    offset = 0
    for document, sentences in zip(documents, per_document):
        doc_rows, offset = rows[offset:offset + len(sentences)], offset + len(sentences)
        partition = (dataset.partition_value(document.level), document_year(document))
        sentence_rows[partition] += _sentence_rows(document, doc_rows, identity)
        document_rows[partition].append(_document_row(document, len(doc_rows), read_sha256, identity))
    n_sentences = len(rows)
    parts = []
    for table, schema, by_partition in (("sentences", dataset.SENTENCE_SCHEMA, sentence_rows),
                                        ("documents", dataset.DOCUMENT_SCHEMA, document_rows)):
        for (level, year), rows in sorted(by_partition.items()):
            if not rows:
                continue
            part = f"{table}/level={level}/year={year}/part-{key}.parquet"
            dataset.write_table_atomically(pa.Table.from_pylist(rows, schema=schema), out_dir / part, out_dir)
            parts.append(part)
    if skipped:
        part = f"skipped/part-{key}.parquet"
        rows = [{**s, "input_sha256": read_sha256} for s in skipped]
        dataset.write_table_atomically(pa.Table.from_pylist(rows, schema=dataset.SKIPPED_SCHEMA), out_dir / part, out_dir)
        parts.append(part)
    manifest = dataset.manifest_path(out_dir, key)
    if manifest.exists():  # the input changed since an earlier run: its old parts go
        dataset.remove_stale_parts(out_dir, json.loads(manifest.read_text(encoding="utf-8"))["parts"], parts)
    entry = {"input": unit.name, "file": unit.file, "rows": [unit.rows.first, unit.rows.last] if unit.rows else None,
             "key": key, "sha256": read_sha256, "parts": parts, "documents": len(documents),
             "sentences": n_sentences, "skipped": len(skipped), "model": identity["name"],
             "model_version": identity["version"], "seconds": round(time.perf_counter() - started, 3),
             "pid": os.getpid()}
    dataset.write_atomically(manifest, (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8"), out_dir)
    return entry
