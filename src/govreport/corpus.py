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

from .normalise import BadInputError, Document, FileResult, normalise_file
from .segment import Sentence, segment


@dataclass
class Skipped:
    file: str
    reason: str
    line: int | None

    def to_dict(self) -> dict:
        return {"file": self.file, "reason": self.reason, "line": self.line}


@dataclass
class CorpusResult:
    files: list[FileResult] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    sentences: dict[str, list[Sentence]] = field(default_factory=dict)  # by doc id

    @property
    def documents(self) -> list[Document]:
        return [d for f in self.files for d in f.documents]


class NoReportsError(Exception):
    pass


def list_inputs(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, and the (non-hidden) files inside folders, sorted."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
        elif path.exists():
            files.append(path)
        else:
            raise FileNotFoundError(f"{path}: no such file or folder")
    return files


def process_files(files: list[Path], on_done: Callable[[Path], None] = lambda path: None) -> CorpusResult:
    """Normalise and segment each file; a bad file is recorded as skipped, never stops the rest."""
    result = CorpusResult()
    if not files:
        raise NoReportsError("no report files found")
    for path in files:
        try:
            file_result = normalise_file(path)
        except BadInputError as err:
            result.skipped.append(Skipped(path.name, err.reason, err.line))
        else:
            result.files.append(file_result)
            for document in file_result.documents:
                result.sentences[document.doc] = segment(document)
        on_done(path)
    return result


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
        "documents": [document_summary(d, result.sentences[d.doc]) for d in result.documents],
        "file_changes": {f.source: [c.to_dict() for c in f.changes] for f in result.files if f.changes},
    }
    (out_dir / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def document_summary(document: Document, sentences: list[Sentence]) -> dict:
    changes = Counter(c.kind for c in document.changes)
    return {
        "doc": document.doc,
        "source": document.source,
        "title": document.title,
        "place": document.place,
        "level": document.level,
        "years": document.years,
        "kind": document.kind,
        "encoding": document.encoding,
        "sentences": len(sentences),
        "chars": len(document.text),
        "changes": dict(changes),
        "flags": dict(Counter(f.kind for f in document.flags)),
    }


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]
