"""`govreport corpus` on a Dask cluster: the workers read, normalise and segment the units (files, row
batches of tables: :mod:`.units`); this process puts their results together in input order, finds the
duplicates across all files, and the corpus is written as without Dask (``corpus.write_corpus``).

The result is the one of ``corpus.process_files`` on the same paths: the same reader, normaliser and
segmenter run on each report, the units are concatenated in input order, and duplicates are looked for
among all documents here, since a duplicate can be in any other file. This process holds the documents
and sentences, as the run without Dask does (documents.jsonl and clean/ need them all); each worker holds
one unit at a time.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..corpus import CorpusResult, NoReportsError, finish, read_reports
from ..normalise import FileResult
from ..readers import Skipped
from ..segment import Sentence, segment
from .cluster import ScaleError, submit_bounded
from .units import DEFAULT_ROWS_PER_TASK, WorkUnit, plan_units, read_unit


@dataclass
class UnitReports:
    """What a worker made of one unit: its reports normalised, what it skipped, and the sentences of
    each document (in the order of ``files``' documents; duplicates are decided later, over all files)."""

    files: list[FileResult]
    skipped: list[Skipped]
    sentences: list[list[Sentence]]


def read_unit_reports(unit: WorkUnit, text_column: str | None = None) -> UnitReports:
    """The unit of work (runs on a worker): read, normalise and segment the reports of one unit."""
    result = CorpusResult()
    read_reports(read_unit(unit, text_column), result)
    return UnitReports(result.files, result.skipped,
                       [segment(document) for file in result.files for document in file.documents])


def process_files_on_dask(paths: list[Path], client, text_column: str | None = None,
                          rows_per_task: int = DEFAULT_ROWS_PER_TASK,
                          on_done: Callable[[WorkUnit, UnitReports], None] = lambda unit, reports: None) -> CorpusResult:
    """``corpus.process_files(paths)`` with the units spread over the workers of ``client``."""
    if not paths:
        raise NoReportsError("no report files found")
    return process_units_on_dask(list(plan_units(paths, rows_per_task)), client, text_column, on_done)


def process_units_on_dask(units: list[WorkUnit], client, text_column: str | None = None,
                          on_done: Callable[[WorkUnit, UnitReports], None] = lambda unit, reports: None) -> CorpusResult:
    """The corpus of ``units`` (``units.plan_units`` of the paths, in input order), read on the workers of
    ``client``; ``on_done`` gets each unit and its reports as it is done. A unit whose task fails stops
    the run (as an error would without Dask), naming the unit."""
    if not units:
        raise NoReportsError("no report files found")
    done: dict[int, UnitReports] = {}
    tasks = submit_bounded(client, corpus_unit, list(enumerate(units)), text_column,
                           name=lambda numbered: f"{numbered[0]:07d}")
    with contextlib.closing(tasks):
        for (number, unit), future in tasks:
            try:
                done[number] = future.result()
            except Exception as err:  # noqa: BLE001 - said with the unit's name
                raise ScaleError(f"{unit.name}: the task failed on a worker ({type(err).__name__}: "
                                 f"{str(err).splitlines()[0][:300] if str(err) else ''})") from err
            on_done(unit, done[number])
    result = CorpusResult()
    sentences_of: dict[int, list[Sentence]] = {}  # by document object: two files may share a document id
    for number in range(len(units)):
        reports = done.pop(number)
        result.files += reports.files
        result.skipped += reports.skipped
        documents = [document for file in reports.files for document in file.documents]
        sentences_of.update({id(document): sentences for document, sentences in zip(documents, reports.sentences)})
    finish(result, segmented=lambda document: sentences_of[id(document)])
    return result


def corpus_unit(numbered: tuple[int, WorkUnit], text_column: str | None) -> UnitReports:
    """The task: a unit with its place in the input order (two units may be alike: two folders can hold
    files of the same name, and the corpus command names files by their name alone)."""
    return read_unit_reports(numbered[1], text_column)
