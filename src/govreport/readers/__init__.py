"""Reports as found: one reader for `govreport corpus` and `govreport predict` (issue 14).

:func:`read_inputs` walks the files and folders given and yields, in sorted order, a
:class:`Source` for every report (one per file; one per row of a table) and a
:class:`Skipped` with a one-line reason for every file, row or page that cannot be read.
Nothing is dropped silently: only hidden files inside folders (names starting with ``.``,
or inside a hidden folder) are passed over.

Formats, by extension, corrected by the content where the extension lies (a PDF named
``.txt`` is read as a PDF, with a note):

==========  ===================================================================
txt, none   :func:`govreport.normalise.decode_bytes` (charset-normalizer)
html, htm   main text by trafilatura (:mod:`.html_page`)
pdf         text layer by pypdf, headers/footers/page numbers removed (:mod:`.pdf_file`)
docx        paragraphs and table rows by python-docx (:mod:`.docx_file`)
csv, tsv,   one report per row (:mod:`.tables`); xlsx by openpyxl
jsonl, xlsx
==========  ===================================================================
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

from .formats import EXTENSIONS, UNSUPPORTED_HINTS, sniff
from .records import Skipped, Source, UnreadableInput
from .tables import TEXT_COLUMN_NAMES, last_row, parse_table, read_table
from .text_file import read_text

__all__ = ["Source", "Skipped", "read_inputs", "read_file", "input_files", "table_rows", "TEXT_COLUMN_NAMES"]

FORMAT_NAMES = {"txt": "text", "html": "HTML", "pdf": "PDF", "docx": ".docx", "xlsx": ".xlsx"}
TABLE_FORMATS = ("csv", "tsv", "jsonl", "xlsx")


def input_files(paths: Iterable[Path]) -> Iterator[tuple[Path, str]]:
    """(path, name as reported) of each file named, and of each non-hidden file inside each folder, sorted."""
    for path in paths:
        path = Path(path)
        if path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.is_file()):
                relative = file.relative_to(path)
                if not any(part.startswith(".") for part in relative.parts):
                    yield file, relative.as_posix()
        elif path.exists():
            yield path, path.name
        else:
            raise FileNotFoundError(f"{path}: no such file or folder")


def _choose_format(data: bytes, suffix: str) -> tuple[str | None, list[str]]:
    """The format to read the bytes as (None: unsupported), with a note when the content overrides the name."""
    named = EXTENSIONS.get(suffix)
    found = sniff(data)
    if found is None or found == named:
        return named, []
    what = f"named {suffix}" if suffix else "without an extension"
    return found, [f"{what} but the content is {FORMAT_NAMES[found]}: read as {FORMAT_NAMES[found]}"]


def read_file(path: Path, file: str, text_column: str | None = None) -> Iterator[Source | Skipped]:
    """Every report in one file (several for a table); what cannot be read is yielded as Skipped."""
    suffix = path.suffix.lower()
    try:
        data = path.read_bytes()
    except OSError as err:
        yield Skipped(file, f"cannot read: {err.strerror}")
        return
    file_format, notes = _choose_format(data, suffix)
    if file_format is None:
        hint = UNSUPPORTED_HINTS.get(suffix, "")
        yield Skipped(file, f"unsupported format {suffix}" + (f" ({hint})" if hint else "")
                      + "; read are .txt, .html, .pdf, .docx, .csv, .tsv, .jsonl, .xlsx")
        return
    stem = path.stem
    try:
        if file_format in TABLE_FORMATS:
            yield from read_table(data, file, stem, file_format, text_column)
            return
        metadata: dict[str, str] = {}
        pages = None
        encoding = ""
        if file_format == "txt":
            text, encoding = read_text(data, file)
        # Each format's library (trafilatura, pypdf, python-docx) is imported when a file needs it:
        # together they take half a second to import, which a folder of .txt reports never needs.
        elif file_format == "html":
            from .html_page import read_html

            text, encoding, metadata, more = read_html(data)
            notes += more
        elif file_format == "pdf":
            from .pdf_file import read_pdf

            text, pages, metadata, more, skipped_pages = read_pdf(data, file)
            notes += more
            yield from skipped_pages
        else:
            from .docx_file import read_docx

            text, metadata, more = read_docx(data)
            notes += more
    except UnreadableInput as err:
        yield Skipped(file, err.reason, line=err.line, page=err.page)
        return
    yield Source(doc=stem, file=file, row=None, format=file_format, encoding=encoding, text=text,
                 metadata=metadata, notes=notes, pages=pages)


def table_rows(path: Path) -> int | None:
    """The number of the last data row of a table of reports (read_file numbers its rows 1..N the same
    way), or None for a file that is not a table or cannot be read as one (it is read whole)."""
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    file_format, _ = _choose_format(data, Path(path).suffix.lower())
    if file_format not in TABLE_FORMATS:
        return None
    try:
        return last_row(parse_table(data, Path(path).name, file_format))
    except UnreadableInput:
        return None


def read_inputs(paths: Iterable[Path], text_column: str | None = None) -> Iterator[Source | Skipped]:
    """Every report in the files and folders given, in sorted order; bad files/rows yield Skipped.

    A path that does not exist raises FileNotFoundError at the call, before anything is read."""
    files = list(input_files(paths))
    return (item for path, file in files for item in read_file(path, file, text_column))
