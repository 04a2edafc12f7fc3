"""Word reports (.docx): paragraphs in document order, tables row by row (python-docx)."""

from __future__ import annotations

import io
import zipfile

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table

from .records import UnreadableInput


def _row_text(row) -> str:
    """Cells of a table row joined by tabs; a merged cell (repeated by python-docx) counts once."""
    cells: list[str] = []
    previous = None
    for cell in row.cells:
        if cell._tc is previous:
            continue
        previous = cell._tc
        cells.append(" ".join(cell.text.split()))
    return "\t".join(cells)


def read_docx(data: bytes) -> tuple[str, dict[str, str], list[str]]:
    """(text, metadata, notes) of a .docx; a corrupt or empty document raises UnreadableInput."""
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as err:
        raise UnreadableInput(f"corrupt .docx: python-docx cannot open it ({type(err).__name__}: {err})") from err
    lines: list[str] = []
    tables = 0
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            tables += 1
            lines += [text for text in (_row_text(row) for row in block.rows) if text.strip()]
        elif block.text.strip():
            lines.append(block.text)
    if not lines:
        raise UnreadableInput("empty .docx: no paragraph or table cell holds text")
    notes = [f"docx: {len(lines)} lines (paragraphs and table rows)" + (f", {tables} tables (one line per row, cells tab-separated)" if tables else "")]
    metadata: dict[str, str] = {}
    title = (document.core_properties.title or "").strip()
    if title:
        metadata["title"] = title
    return "\n".join(lines), metadata, notes
