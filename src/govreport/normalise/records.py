"""Records of the normalise stage: documents, what changed, what is flagged, errors."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path


# ---------------------------------------------------------------- errors


class BadInputError(Exception):
    """A file that cannot be read as a report; the message says what and where."""

    def __init__(self, path: Path | str, reason: str, line: int | None = None):
        self.path = str(path)
        self.reason = reason
        self.line = line
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {reason}")


# ---------------------------------------------------------------- records


@dataclass
class Change:
    """Something normalisation removed, converted, joined or flagged."""

    kind: str  # see CHANGE_KINDS
    line: int  # 1-based line in the raw file
    text: str  # what was removed/flagged (shortened), or a description

    def to_dict(self) -> dict:
        return {"kind": self.kind, "line": self.line, "text": self.text}


CHANGE_KINDS = {
    "chrome": "web-page chrome line removed",
    "template_junk": "template junk removed inside a line",
    "pinyin_gloss": "pinyin gloss removed",
    "traditional": "traditional characters converted to simplified",
    "line_join": "line broken mid-sentence re-joined",
    "front_matter": "collection title / table of contents (not part of any report)",
    "crawler_header": "crawler header line (标题/发文单位/发文时间/来源URL/正文): metadata, not body",
    "dash": "horizontal bars ―― replaced by the dash ——",
    "missing_part": "listed in the table of contents but not in the file",
    "truncated": "document ends mid-sentence (file truncated?)",
    "escapes": "literal escape sequences (\\r\\n) decoded into line breaks",
    "entities": "HTML entities (&nbsp;) decoded",
    "inline_chrome": "a watermark, URL or counter removed inside a body line",
    "notes": "notes (名词解释, 注释, footnotes) kept apart from the text",
    "duplicate": "the same report as another input: labelled once",
    "reader": "what the format reader did (PDF headers/footers removed, content read as another format)",
}


@dataclass
class Flag:
    """A span of the clean text that is kept but needs a human look."""

    kind: str  # "mojibake" | "replacement_char" | "lost_char" | "lost_chars"
    start: int
    end: int
    text: str
    line: int

    def to_dict(self) -> dict:
        return {"kind": self.kind, "start": self.start, "end": self.end, "text": self.text, "line": self.line}


@dataclass
class Document:
    doc: str  # stable document id
    source: str  # raw file name
    encoding: str
    title: str
    place: str
    level: str  # township | county | district | city | province | national | unknown
    years: list[int]
    kind: str  # 工作报告 | 工作总结 | 工作计划
    text: str  # the clean document; sentence offsets point into it
    line_numbers: list[int]  # raw-file line number of each line of ``text``
    changes: list[Change] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    published: str = ""  # from a crawler header, as written there
    url: str = ""  # the page the report was taken from (crawler header)
    delivered: str = ""  # ISO date of the meeting line, '' when the text names none
    reviewed_years: list[int] = field(default_factory=list)
    planned_years: list[int] = field(default_factory=list)
    notes: str = ""  # 名词解释 / 注释 / footnotes: kept with the document, not sentences to label
    metadata: dict[str, str] = field(default_factory=dict)  # crawler header fields, table columns
    suspect: list[str] = field(default_factory=list)  # why the document may not be a full report
    file: str = ""  # the input file (path as given), for tables with `row`
    row: int | None = None  # 1-based data row of a table of reports

    def raw_line_at(self, offset: int) -> int:
        return self.line_numbers[self.text.count("\n", 0, offset)]

    def to_dict(self) -> dict:
        return {
            "doc": self.doc,
            "source": self.source,
            "encoding": self.encoding,
            "title": self.title,
            "place": self.place,
            "level": self.level,
            "years": self.years,
            "kind": self.kind,
            "published": self.published,
            "url": self.url,
            "delivered": self.delivered,
            "reviewed_years": self.reviewed_years,
            "planned_years": self.planned_years,
            "file": self.file,
            "row": self.row,
            "metadata": self.metadata,
            "suspect": self.suspect,
            "chars": len(self.text),
            "changes": [c.to_dict() for c in self.changes],
            "flags": [f.to_dict() for f in self.flags],
            "text": self.text,
            "notes": self.notes,
        }


@dataclass
class FileResult:
    source: str
    encoding: str
    documents: list[Document]
    changes: list[Change]  # file-level (front matter, missing parts)
