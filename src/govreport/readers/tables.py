"""Tables of reports (CSV, TSV, JSONL, XLSX): one report per row.

The text column is the one named by the caller, else the first column whose name is one of
:data:`TEXT_COLUMN_NAMES` (case-insensitive); the other columns become the row's metadata.
Rows are numbered from 1 after the header (JSONL: the line number); completely blank rows are
counted but hold no report. A row that cannot be read is skipped with its row (and line)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import warnings
import zipfile
from dataclasses import dataclass
from typing import Any, Iterator

from ..normalise import BadInputError, decode_bytes
from .records import Skipped, Source, UnreadableInput

TEXT_COLUMN_NAMES = ("full_text", "content", "text", "报告全文", "正文", "全文", "内容")

csv.field_size_limit(2**31 - 1)  # a whole report is one cell; the default limit (128 KiB) is too small


@dataclass
class Row:
    row: int  # 1-based data row
    line: int | None  # line where the row starts in a text table
    cells: dict[str, Any]


@dataclass
class Table:
    encoding: str
    columns: list[str]
    rows: list[Row | Skipped]
    notes: list[str]


def find_text_column(columns: list[str], text_column: str | None) -> str | None:
    """The column holding the report text: the one asked for, else the first known name."""
    by_name = {c.strip().casefold(): c for c in reversed(columns)}
    if text_column is not None:
        return text_column if text_column in columns else by_name.get(text_column.strip().casefold())
    return next((by_name[n.casefold()] for n in TEXT_COLUMN_NAMES if n.casefold() in by_name), None)


def cell_text(value: Any) -> str:
    """A cell value as a string: '' for empty, 2026 for 2026.0, ISO dates, JSON for lists/objects."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, name in enumerate(names, start=1):
        name = name.strip() or f"column_{i}"
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return out


def _decode(data: bytes, name: str) -> tuple[str, str]:
    """UTF-8 (with or without BOM) when the bytes are valid UTF-8, else decode_bytes' detection."""
    if not data.strip():
        raise UnreadableInput("empty file: nothing to read")
    try:
        if data.startswith(b"\xef\xbb\xbf"):
            return data[3:].decode("utf-8"), "utf_8_sig"
        return data.decode("utf-8"), "utf_8"
    except UnicodeDecodeError:
        pass
    try:
        return decode_bytes(data, name)
    except BadInputError as err:
        raise UnreadableInput(err.reason, line=err.line) from err


def read_delimited(data: bytes, name: str, delimiter: str) -> Table:
    text, encoding = _decode(data, name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as err:
        raise UnreadableInput(f"no header row: {err}" if str(err) else "no header row", line=1) from err
    columns = _unique(header)
    rows: list[Row | Skipped] = []
    number, line = 0, reader.line_num + 1
    try:
        for record in reader:
            number += 1
            start, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(columns):
                rows.append(Skipped(name, f"row has {len(record)} fields, the header has {len(columns)} "
                                          "(a delimiter or quote out of place?)", line=start, row=number))
                continue
            rows.append(Row(number, start, dict(zip(columns, record))))
    except csv.Error as err:
        rows.append(Skipped(name, f"the table cannot be parsed from here on ({err}); rows after it are not read",
                            line=line, row=number))
    return Table(encoding, columns, rows, [])


def read_jsonl(data: bytes, name: str) -> Table:
    text, encoding = _decode(data, name)
    rows: list[Row | Skipped] = []
    columns: dict[str, None] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            value = json.loads(raw)
        except json.JSONDecodeError as err:
            rows.append(Skipped(name, f"malformed JSON line: {err.msg} at column {err.colno}", line=number, row=number))
            continue
        if not isinstance(value, dict):
            rows.append(Skipped(name, f"JSON line is a {type(value).__name__}, not an object with named fields",
                                line=number, row=number))
            continue
        columns.update(dict.fromkeys(value))
        rows.append(Row(number, number, value))
    return Table(encoding, list(columns), rows, [])


def read_xlsx(data: bytes, name: str, sheet: str | None = None) -> Table:
    import openpyxl  # imported here: only workbooks need it (a tenth of a second to import)
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with warnings.catch_warnings(record=True) as caught:  # openpyxl's warnings become notes, not stderr lines
            warnings.simplefilter("always")
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, TypeError, OSError) as err:
        raise UnreadableInput(f"corrupt .xlsx: openpyxl cannot open it ({type(err).__name__}: {err})") from err
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            raise UnreadableInput(f"no sheet {sheet!r}: sheets are {', '.join(workbook.sheetnames)}")
        worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
        notes = list(dict.fromkeys(f"xlsx: openpyxl warned: {w.message}" for w in caught))
        others = [s for s in workbook.sheetnames if s != worksheet.title]
        if others:
            notes.append(f"xlsx: read sheet {worksheet.title!r}; not read: {', '.join(others)}")
        records = worksheet.iter_rows(values_only=True)
        header: list[str] | None = None
        rows: list[Row | Skipped] = []
        number = 0
        for record in records:
            if header is None:
                if any(cell_text(v).strip() for v in record):
                    header = _unique([cell_text(v) for v in record])
                continue
            number += 1
            if not any(cell_text(v).strip() for v in record):
                continue
            values = list(record) + [None] * (len(header) - len(record))
            extra = [v for v in values[len(header):] if cell_text(v).strip()]
            if extra:
                rows.append(Skipped(name, f"row has {len(extra)} filled cells beyond the header's {len(header)} columns",
                                    row=number))
                continue
            rows.append(Row(number, None, dict(zip(header, values))))
    except UnreadableInput:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError) as err:
        raise UnreadableInput(f"corrupt .xlsx: its sheet cannot be read ({type(err).__name__}: {err})") from err
    finally:
        workbook.close()
    if header is None:
        raise UnreadableInput("empty .xlsx: the first sheet has no header row")
    return Table("", header, rows, notes)


def parse_table(data: bytes, file: str, table_format: str) -> Table:
    """The header and rows of a table of reports (UnreadableInput when the whole table cannot be read)."""
    if table_format == "xlsx":
        return read_xlsx(data, file)
    if table_format == "jsonl":
        return read_jsonl(data, file)
    return read_delimited(data, file, "\t" if table_format == "tsv" else ",")


def last_row(table: Table) -> int:
    """The number of the table's last data row that holds anything (blank rows at the end do not count)."""
    return max((item.row or 0 for item in table.rows), default=0)


def read_table(data: bytes, file: str, stem: str, table_format: str,
               text_column: str | None = None) -> Iterator[Source | Skipped]:
    """One Source per row with text; a Skipped for each row (or the whole table) that has none."""
    table = parse_table(data, file, table_format)
    column = find_text_column(table.columns, text_column)
    if column is None:
        yield from (item for item in table.rows if isinstance(item, Skipped))
        found = ", ".join(table.columns) or "none"
        if text_column is not None:
            raise UnreadableInput(f"no text column {text_column!r}: columns are {found}")
        raise UnreadableInput(f"no text column: columns are {found}; pass --text-column NAME")
    for item in table.rows:
        if isinstance(item, Skipped):
            yield item
            continue
        if column not in item.cells:
            keys = ", ".join(item.cells) or "none"
            yield Skipped(file, f"row has no text column {column!r}: its fields are {keys}", line=item.line, row=item.row)
            continue
        text = cell_text(item.cells[column])
        if not text.strip():
            yield Skipped(file, f"empty text cell in column {column!r}", line=item.line, row=item.row)
            continue
        metadata = {key: cell_text(value) for key, value in item.cells.items() if key != column}
        yield Source(doc=f"{stem}-r{item.row:03d}", file=file, row=item.row, format=table_format,
                     encoding=table.encoding, text=text, metadata=metadata,
                     notes=table.notes + [f"{table_format}: text from column {column!r}"])
