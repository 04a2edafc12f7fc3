"""The units of work of a corpus-scale run: one input file, or one batch of rows of a table of reports.

A table (.csv, .tsv, .jsonl, .xlsx) of more than ``rows_per_task`` rows is split into row batches, so
that no task holds thousands of reports' documents, sentences and labels at once and the batches of one
big table spread over the workers. Each batch is committed on its own (its own parts and manifest entry).

Rows are numbered as the readers number them (1 after the header; blank rows count), so a batch is a
range of row numbers: ``first..last``, the last batch open-ended (``last`` None). What belongs to no row
(a table without a text column: said once for the file) goes with the last batch, where the reader
yields it, so concatenating the batches in order gives exactly the items of reading the whole file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

if TYPE_CHECKING:
    from ..readers import Skipped, Source

# (the readers are imported where used: the CLI imports this module for its defaults, and every command would
# otherwise pay for loading the PDF, HTML and spreadsheet readers)
DEFAULT_ROWS_PER_TASK = 200  # a few hundred reports: ~100k sentences, a few hundred MB in a worker at most


@dataclass(frozen=True)
class RowBatch:
    first: int
    last: int | None  # None: to the end of the table

    def holds(self, row: int | None) -> bool:
        if row is None:
            return self.last is None
        return self.first <= row and (self.last is None or row <= self.last)

    def __str__(self) -> str:
        return f"rows={self.first}-{self.last if self.last is not None else 'end'}"


@dataclass(frozen=True)
class WorkUnit:
    path: Path  # absolute, as the workers must find it
    file: str  # the file's name as reported (relative to the folder given, or the file name)
    rows: RowBatch | None = None  # None: the whole file
    sha256: str = ""  # the file's content hash when planned ("" where no manifest is kept)

    @property
    def name(self) -> str:
        """The unit's name in the manifest: the file's, with the row range for a batch."""
        return self.file if self.rows is None else f"{self.file}#{self.rows}"


def row_batches(rows: int, rows_per_task: int) -> list[RowBatch | None]:
    """The batches of a table of ``rows`` rows; [None] (the whole file) when it fits one task."""
    if rows_per_task < 1:
        raise ValueError("rows per task must be 1 or more")
    if rows <= rows_per_task:
        return [None]
    firsts = range(1, rows + 1, rows_per_task)
    return [RowBatch(first, first + rows_per_task - 1) for first in firsts[:-1]] + [RowBatch(firsts[-1], None)]


def plan_units(paths: Iterable[Path], rows_per_task: int = DEFAULT_ROWS_PER_TASK,
               sha256_of=None) -> Iterator[WorkUnit]:
    """The units of the files and folders given, in input order (file by file, batches in row order).
    ``sha256_of(path)``, when given, fills in the content hash. A missing path raises FileNotFoundError
    when reached. Tables are parsed here once to count their rows."""
    from ..readers import input_files, table_rows

    for path, name in input_files(paths):
        sha256 = sha256_of(path) if sha256_of else ""
        rows = table_rows(path)
        for batch in row_batches(rows, rows_per_task) if rows else [None]:
            yield WorkUnit(Path(path).resolve(), name, batch, sha256)


def read_unit(unit: WorkUnit, text_column: str | None = None) -> Iterator[Source | Skipped]:
    """What the readers yield for the unit: the whole file, or the rows of its batch."""
    from ..readers import read_file

    items = read_file(unit.path, unit.file, text_column)
    if unit.rows is None:
        yield from items
        return
    for item in items:
        if item.row is not None and unit.rows.last is not None and item.row > unit.rows.last:
            break  # rows come in order: nothing of this batch follows
        if unit.rows.holds(item.row):
            yield item
