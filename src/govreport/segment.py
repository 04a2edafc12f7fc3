"""Stage 1b: clean documents -> sentences with provenance.

Sentence boundaries follow docs/ANNOTATION_GUIDELINES.md ("The unit"): a sentence
ends at 。！？； or half-width ! ? ; (a half-width '.' is never a boundary), at a
line break, and so at the end of every heading line. Closing quotes and brackets
after the end mark stay with the sentence. Nothing is split inside a span the
normaliser flagged as mojibake or as lost characters (their '?' and ';' are debris, not punctuation).

Every non-whitespace character of a document lies in exactly one sentence.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from .clauses import CLAUSE_END, clause_spans  # noqa: F401  (clause units: clauses.py, shipped in the model)
from .normalise import SENTENCE_END, Document, heading_level

CLOSERS = "”’」』）)】〕"
_HEADING_TEXT_END = re.compile(r"[。！？；!?;]")


@dataclass
class Sentence:
    id: str
    doc: str
    section: str  # heading path, e.g. "一、… > (二)…"; "" before the first heading
    start: int  # offsets into the clean document text
    end: int
    text: str
    line: int  # line in the raw file, for people looking at the source
    heading: bool  # the sentence is a heading line (or the heading part of one)
    flags: list[str]  # kinds of normaliser flags inside the sentence

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "doc": self.doc,
            "section": self.section,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "line": self.line,
            "heading": self.heading,
            "flags": self.flags,
        }


def sentence_spans(text: str, protected: list[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """(start, end) of every sentence of ``text``, trimmed of surrounding whitespace."""
    blocked = set()
    for start, end in protected:
        blocked.update(range(start, end))
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        begin = 0
        i = 0
        quotes = 0  # ASCII '"' seen in the current sentence: odd means one is open
        while i < len(line):
            ch = line[i]
            if ch == '"':
                quotes += 1
            if ch in SENTENCE_END and offset + i not in blocked:
                j = i + 1
                while j < len(line) and (
                    line[j] in SENTENCE_END or line[j] in CLOSERS or (line[j] == '"' and quotes % 2 == 1)
                ):
                    if line[j] == '"':
                        quotes += 1
                    j += 1
                _add(spans, line, offset, begin, j)
                begin, i, quotes = j, j, 0
                continue
            i += 1
        _add(spans, line, offset, begin, len(line))
        offset += len(line) + 1
    return spans


def _add(spans: list[tuple[int, int]], line: str, offset: int, begin: int, end: int) -> None:
    piece = line[begin:end]
    stripped = piece.strip()
    if stripped:
        lead = len(piece) - len(piece.lstrip())
        spans.append((offset + begin + lead, offset + begin + lead + len(stripped)))


def _heading_title(line: str) -> str:
    m = _HEADING_TEXT_END.search(line)
    title = line[: m.start()] if m else line
    return title.rstrip(",，:：")[:60]


def sentence_id(doc: str, text: str, occurrence: int) -> str:
    """Stable id: depends only on the document id, the sentence text and which repeat it is."""
    digest = hashlib.sha1(f"{doc}\x1f{text}\x1f{occurrence}".encode("utf-8")).hexdigest()[:12]
    return f"{doc}:{digest}"


def segment(document: Document) -> list[Sentence]:
    text = document.text
    protected = [(f.start, f.end) for f in document.flags if f.kind in ("mojibake", "lost_chars")]
    spans = sentence_spans(text, protected)

    # Section path per line: headings pop every heading of the same or a deeper level.
    stack: list[tuple[int, str]] = []
    line_section: list[str] = []
    heading_lines: set[int] = set()
    for number, line in enumerate(text.split("\n")):
        level = heading_level(line)
        if number == 0 and line == document.title:
            level = None  # the title line heads the document, not a section
        if level is not None:
            stack = [(lv, t) for lv, t in stack if lv < level] + [(level, _heading_title(line))]
            heading_lines.add(number)
        line_section.append(" > ".join(t for _, t in stack))

    seen: dict[str, int] = {}
    sentences = []
    line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    for start, end in spans:
        sentence_text = text[start:end]
        line_index = text.count("\n", 0, start)
        occurrence = seen.get(sentence_text, 0)
        seen[sentence_text] = occurrence + 1
        flags = sorted({f.kind for f in document.flags if f.start < end and start < f.end})
        sentences.append(
            Sentence(
                id=sentence_id(document.doc, sentence_text, occurrence),
                doc=document.doc,
                section=line_section[line_index],
                start=start,
                end=end,
                text=sentence_text,
                line=document.line_numbers[line_index],
                heading=line_index in heading_lines and start == line_starts[line_index],
                flags=flags,
            )
        )
    return sentences
