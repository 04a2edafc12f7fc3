"""Run normalise + segment over a folder of raw reports and write the corpus files.

Outputs (schemas in docs/SCHEMAS.md):
  OUT/documents.jsonl  one row per clean document (metadata, changes, flags, text)
  OUT/sentences.jsonl  one row per sentence (id, doc, section, start, end, text, ...)
  OUT/clean/DOC.txt    the clean text of each document, for reading
  OUT/report.json      what was read, skipped (and why), changed and flagged
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .normalise import BadInputError, Document, FileResult, normalise_source
from .readers import Skipped, Source, input_files, read_inputs
from .segment import Sentence, segment


@dataclass
class Duplicate:
    doc: str
    duplicate_of: str
    reason: str

    def to_dict(self) -> dict:
        return {"doc": self.doc, "duplicate_of": self.duplicate_of, "reason": self.reason}


@dataclass
class CorpusResult:
    files: list[FileResult] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    not_selected: list[str] = field(default_factory=list)  # documents read but left out by --docs
    sentences: dict[str, list[Sentence]] = field(default_factory=dict)  # by doc id

    @property
    def documents(self) -> list[Document]:
        """Documents to label: duplicates of an earlier input are left out (listed in ``duplicates``)."""
        dropped = {d.doc for d in self.duplicates} | set(self.not_selected)
        return [d for f in self.files for d in f.documents if d.doc not in dropped]

    @property
    def suspect(self) -> list[dict]:
        return [{"doc": d.doc, "file": d.file or d.source, "row": d.row, "reasons": d.suspect}
                for d in self.documents if d.suspect]


class NoReportsError(Exception):
    pass


def list_inputs(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, and the (non-hidden) files inside folders, sorted."""
    return [path for path, _ in input_files(paths)]


def process_files(paths: list[Path], on_done: Callable[[str], None] = lambda file: None,
                  text_column: str | None = None) -> CorpusResult:
    """Read (every format, see govreport.readers), normalise and segment every report in the files
    and folders given; a bad file or row is recorded as skipped and never stops the rest.
    ``on_done`` is called with each file name once all its reports are done.
    (``govreport.scale.corpus_files`` does the same on a Dask cluster, with the same result.)"""
    result = CorpusResult()
    if not paths:
        raise NoReportsError("no report files found")
    read_reports(read_inputs(paths, text_column=text_column), result, on_done)
    finish(result)
    return result


def read_reports(items: Iterable[Source | Skipped], result: CorpusResult,
                 on_done: Callable[[str], None] = lambda file: None) -> None:
    """Normalise each report read into ``result.files``; what cannot be read or normalised goes to
    ``result.skipped``. ``on_done`` gets each file name once the items of that file are done."""
    current = None
    for item in items:
        if current is not None and item.file != current:
            on_done(current)
        current = item.file
        if isinstance(item, Skipped):
            result.skipped.append(item)
            continue
        try:
            file_result = normalise_source(item)
        except BadInputError as err:
            result.skipped.append(Skipped(item.file, err.reason, line=err.line, row=item.row))
            continue
        result.files.append(file_result)
    if current is not None:
        on_done(current)


def finish(result: CorpusResult, segmented: Callable[[Document], list[Sentence]] = segment) -> None:
    """Find the duplicates among all documents read (across files), then the sentences of the others.
    ``segmented`` gives a document's sentences (a Dask run passes those its workers made)."""
    result.duplicates = find_duplicates([d for f in result.files for d in f.documents])
    for document in result.documents:
        result.sentences[document.doc] = segmented(document)


def select_documents(result: CorpusResult, docs_file: Path) -> set[str]:
    """Keep only the documents listed in ``docs_file`` (one id per line, # comments); the others are
    counted in ``result.not_selected``. Returns the listed ids."""
    wanted = {line.split("#")[0].strip() for line in Path(docs_file).read_text(encoding="utf-8").splitlines()}
    wanted.discard("")
    keep = {d.doc for d in result.documents} & wanted
    result.not_selected += [d.doc for d in result.documents if d.doc not in keep]
    result.sentences = {doc: s for doc, s in result.sentences.items() if doc in keep}
    return wanted


def _han_only(text: str) -> str:
    return "".join(ch for ch in text if "\u3400" <= ch <= "\u9fff")


def find_duplicates(documents: list[Document]) -> list[Duplicate]:
    """Inputs that hold the same report as an earlier one (the same text, or the same opening, as
    with a teaser page and its full page): each report is labelled once, the longest copy kept."""
    duplicates = []
    kept: dict[str, Document] = {}
    whole = {id(d): _han_only(d.text) for d in documents}  # by object: two files may share a stem
    for document in sorted(documents, key=lambda d: -len(d.text)):
        opening = whole[id(document)][:300]
        if len(opening) < 100:
            continue  # too short to tell
        match = kept.get(opening) or next((k for k in kept.values() if whole[id(document)] in whole[id(k)]), None)
        if match is not None:
            same = whole[id(document)] == whole[id(match)]
            duplicates.append(Duplicate(document.doc, match.doc, "same text" if same else
                                        "same opening as a longer input (a teaser or a partial copy)"))
        else:
            kept[opening] = document
    return duplicates


def write_corpus(result: CorpusResult, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    clean_dir = out_dir / "clean"
    clean_dir.mkdir(exist_ok=True)
    for old in clean_dir.glob("*.txt"):
        old.unlink()
    with open(out_dir / "documents.jsonl", "w", encoding="utf-8") as f:
        for document in result.documents:
            f.write(json.dumps(document.to_dict(), ensure_ascii=False) + "\n")
            (clean_dir / f"{document.doc}.txt").write_text(document.text + "\n", encoding="utf-8")
    with open(out_dir / "sentences.jsonl", "w", encoding="utf-8") as f:
        for document in result.documents:
            for sentence in result.sentences[document.doc]:
                f.write(json.dumps(sentence.to_dict(), ensure_ascii=False) + "\n")
    report = {
        "files_read": len(result.files),
        "files_skipped": [s.to_dict() for s in result.skipped],
        "duplicates": [d.to_dict() for d in result.duplicates],
        "not_selected": len(result.not_selected),
        "suspect": result.suspect,
        "documents": [document_summary(d, result.sentences[d.doc]) for d in result.documents],
        "file_changes": {f.source: [c.to_dict() for c in f.changes] for f in result.files if f.changes},
    }
    (out_dir / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def document_summary(document: Document, sentences: list[Sentence]) -> dict:
    changes = Counter(c.kind for c in document.changes)
    return {
        "doc": document.doc,
        "source": document.source,
        "row": document.row,
        "title": document.title,
        "place": document.place,
        "level": document.level,
        "years": document.years,
        "kind": document.kind,
        "delivered": document.delivered,
        "encoding": document.encoding,
        "suspect": document.suspect,
        "sentences": len(sentences),
        "chars": len(document.text),
        "changes": dict(changes),
        "flags": dict(Counter(f.kind for f in document.flags)),
    }


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]
