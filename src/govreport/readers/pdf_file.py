"""PDF reports: the text layer (pypdf), without running headers/footers and page numbers.

General rules, no list of sites:

- a *page number* is a line at the top or bottom edge of a page (its first or last
  ``EDGE_LINES`` lines) that holds only a number, optionally dressed as ``- 3 -``,
  ``— 3 —``, ``第3页``, ``第3页 共10页``, ``3/10``, ``Page 3 of 10``;
- a *running header/footer* is a line that stands at the same edge of at least half the
  pages (and of at least two), compared with digits and spaces ignored (so ``2024年…第3期``
  matches ``2024年…第4期``);
- a line cut at a page end is re-joined with the first line of the next page when it does
  not end a sentence, is not a heading, and is either as long as a full line or ends with
  ``，``/``、``. Wraps inside a page are left to normalisation (its line-join rule).

A PDF without a text layer (scanned) is not read: no OCR is done.
"""

from __future__ import annotations

import io
import logging
import math
import re
import statistics

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

from ..normalise import heading_level
from .records import Skipped, UnreadableInput

EDGE_LINES = 2  # how many lines at the top and at the bottom of a page can be header/footer
RUNNING_SHARE = 0.5  # a header/footer stands on at least this share of the pages with text
FULL_LINE_SHARE = 0.8  # a line this long (relative to the median line) was wrapped, not ended

_DASHES = r"[\s\-—–－―~·•_]*"
PAGE_NUMBER = re.compile(
    rf"^{_DASHES}(?:page\s*|第\s*)?(?P<number>\d{{1,4}}|[ivxlc]{{1,7}})(?:\s*页)?"
    rf"(?:\s*(?:/|of|[,，]?\s*共)\s*\d{{1,4}}\s*页?)?{_DASHES}$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[。！？；：…!?;:”’」』）)】]$")
_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def _is_page_number(line: str, page_count: int) -> bool:
    m = PAGE_NUMBER.match(line)
    if not m:
        return False
    number = m.group("number")
    return not number.isdigit() or int(number) <= 2 * page_count + 10  # "2023" at a page foot is not a page number


def _edge_key(line: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", line))


def _open(data: bytes, notes: list[str]) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as err:
        raise UnreadableInput(f"corrupt PDF: pypdf cannot open it ({type(err).__name__}: {err})") from err
    if encrypted:
        try:
            opened = reader.decrypt("")
        except (DependencyError, NotImplementedError) as err:
            raise UnreadableInput(f"encrypted PDF that cannot be decrypted here: {err}") from err
        if not opened:
            raise UnreadableInput("password-protected PDF: it opens only with its password; remove the protection first")
        notes.append("pdf: encrypted without an open password (owner restrictions only); read")
    return reader


def _page_lines(reader: PdfReader, name: str) -> tuple[list[list[str]], list[Skipped], list[int]]:
    """Non-empty lines of each page; pages that fail to extract become Skipped, empty ones are listed."""
    try:
        page_count = len(reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError) as err:
        raise UnreadableInput(f"corrupt PDF: its page tree cannot be read ({type(err).__name__}: {err})") from err
    pages: list[list[str]] = []
    skipped: list[Skipped] = []
    empty: list[int] = []
    for number in range(1, page_count + 1):
        try:
            text = reader.pages[number - 1].extract_text() or ""
        except FileNotDecryptedError as err:
            raise UnreadableInput("password-protected PDF: it opens only with its password; remove the protection first") from err
        except Exception as err:  # noqa: BLE001 - a damaged page can fail in any way inside pypdf; report it, read the rest
            skipped.append(Skipped(name, f"PDF page cannot be read ({type(err).__name__}: {err}); the other pages are read",
                                   page=number))
            text = ""
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if not lines:
            empty.append(number)
        pages.append(lines)
    return pages, skipped, empty


def _remove_headers_and_page_numbers(pages: list[list[str]]) -> tuple[list[list[str]], int, int]:
    with_text = sum(1 for lines in pages if lines)
    needed = max(2, math.ceil(RUNNING_SHARE * with_text))
    top_counts: dict[str, int] = {}
    bottom_counts: dict[str, int] = {}
    for lines in pages:
        for key in {_edge_key(line) for line in lines[:EDGE_LINES]}:
            top_counts[key] = top_counts.get(key, 0) + 1
        for key in {_edge_key(line) for line in lines[-EDGE_LINES:]}:
            bottom_counts[key] = bottom_counts.get(key, 0) + 1
    running_top = {k for k, n in top_counts.items() if n >= needed}
    running_bottom = {k for k, n in bottom_counts.items() if n >= needed}
    kept_pages: list[list[str]] = []
    headers = numbers = 0
    for lines in pages:
        kept = []
        for i, line in enumerate(lines):
            at_top, at_bottom = i < EDGE_LINES, i >= len(lines) - EDGE_LINES
            if (at_top or at_bottom) and _is_page_number(line, len(pages)):
                numbers += 1
            elif (at_top and _edge_key(line) in running_top) or (at_bottom and _edge_key(line) in running_bottom):
                headers += 1
            else:
                kept.append(line)
        kept_pages.append(kept)
    return kept_pages, headers, numbers


def _continues(line: str, nxt: str, full_line: float) -> bool:
    if _SENTENCE_END.search(line) or heading_level(line) is not None or heading_level(nxt) is not None:
        return False
    return line.endswith(("，", ",", "、")) or len(line) >= full_line


def _join_at_page_ends(pages: list[list[str]]) -> tuple[list[str], list[int], int]:
    lengths = [len(line) for lines in pages for line in lines]
    full_line = FULL_LINE_SHARE * statistics.median(lengths) if lengths else math.inf
    lines: list[str] = []
    page_of: list[int] = []
    joins = 0
    for number, page in enumerate(pages, start=1):
        for i, line in enumerate(page):
            if i == 0 and lines and _continues(lines[-1], line, full_line):
                glue = "" if _CJK.search(lines[-1][-1]) or _CJK.search(line[0]) else " "
                lines[-1] += glue + line
                joins += 1
                continue
            lines.append(line)
            page_of.append(number)
    return lines, page_of, joins


class _Collect(logging.Handler):
    """pypdf's warnings (damaged xref, missing EOF marker, ...) as notes, instead of lines on stderr."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage().splitlines()[0][:120] if record.getMessage() else ""
        if message and message not in self.messages:
            self.messages.append(message)


def read_pdf(data: bytes, name: str) -> tuple[str, list[int], dict[str, str], list[str], list[Skipped]]:
    """(text, page of each line, metadata, notes, skipped pages) of a PDF's text layer."""
    logger = logging.getLogger("pypdf")
    collect = _Collect()
    logger.addHandler(collect)
    propagate, logger.propagate = logger.propagate, False
    try:
        text, page_of, metadata, notes, skipped = _read_pdf(data, name)
    finally:
        logger.removeHandler(collect)
        logger.propagate = propagate
    notes += [f"pdf: pypdf warned: {message}" for message in collect.messages[:5]]
    return text, page_of, metadata, notes, skipped


def _read_pdf(data: bytes, name: str) -> tuple[str, list[int], dict[str, str], list[str], list[Skipped]]:
    notes: list[str] = []
    reader = _open(data, notes)
    pages, skipped, empty = _page_lines(reader, name)
    if not any(pages):
        if skipped:
            raise UnreadableInput(f"corrupt PDF: none of its {len(pages)} pages can be read ({skipped[0].reason})")
        raise UnreadableInput("PDF has no text layer (scanned?): no OCR is done; extract the text first")
    if empty:
        notes.append(f"pdf: {len(empty)} of {len(pages)} pages have no text (images only?): pages "
                     + ", ".join(map(str, empty)))
    pages, headers, numbers = _remove_headers_and_page_numbers(pages)
    if headers or numbers:
        notes.append(f"pdf: removed {headers} running header/footer lines and {numbers} page numbers")
    lines, page_of, joins = _join_at_page_ends(pages)
    if not lines:
        raise UnreadableInput("PDF holds only running headers/footers and page numbers: no report text")
    if joins:
        notes.append(f"pdf: re-joined {joins} lines broken at page ends")
    metadata: dict[str, str] = {}
    try:
        info = reader.metadata
        if info and info.title and info.title.strip():
            metadata["title"] = info.title.strip()
    except (PyPdfError, ValueError, KeyError, TypeError) as err:
        notes.append(f"pdf: document information unreadable ({type(err).__name__}); no title taken")
    return "\n".join(lines), page_of, metadata, notes, skipped
