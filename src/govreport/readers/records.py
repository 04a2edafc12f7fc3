"""What a reader yields: a report as found (:class:`Source`) or why a file/row was not read (:class:`Skipped`)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Source:
    """One report as found, decoded, before any cleaning."""

    doc: str  # file stem; for tables f"{stem}-r{row:03d}"
    file: str  # path relative to the folder given, or the file name
    row: int | None  # 1-based data row for tables, else None
    format: str  # txt | html | pdf | docx | csv | tsv | jsonl | xlsx
    encoding: str  # detected encoding of text formats, "" where not applicable
    text: str  # the report text (tables: the text cell)
    metadata: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what the reader did, one short line each
    pages: list[int] | None = None  # pdf: 1-based page of each line of ``text``

    def to_dict(self) -> dict:
        return {"doc": self.doc, "file": self.file, "row": self.row, "format": self.format,
                "encoding": self.encoding, "metadata": self.metadata, "notes": self.notes,
                "chars": len(self.text)}


@dataclass
class Skipped:
    """A file, row or page that was not read, with a one-line reason."""

    file: str
    reason: str
    line: int | None = None
    row: int | None = None
    page: int | None = None

    def where(self) -> str:
        parts = [self.file]
        parts += [f"line {self.line}"] if self.line else []
        parts += [f"row {self.row}"] if self.row else []
        parts += [f"page {self.page}"] if self.page else []
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.where()}: {self.reason}"

    def to_dict(self) -> dict:
        return {"file": self.file, "reason": self.reason, "line": self.line, "row": self.row, "page": self.page}


class UnreadableInput(Exception):
    """Raised inside a reader for a whole file that cannot be read; becomes a :class:`Skipped`."""

    def __init__(self, reason: str, line: int | None = None, page: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.page = page
