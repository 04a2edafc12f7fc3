"""Shared pieces of the CLI: the typer app, messages in spaCy's msg.good/msg.fail style, progress bars."""

from __future__ import annotations

import os
import sys

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

app = typer.Typer(help="Chinese local government work reports -> labelled data -> spaCy pipeline.",
                  no_args_is_help=True, add_completion=False)
# In a log or CI (no terminal) rich would squeeze tables into 80 columns and cut the label names.
_log_width = None if sys.stdout.isatty() or "COLUMNS" in os.environ else 160
console = Console(soft_wrap=True, width=_log_width)  # messages are not broken mid-word in logs
err_console = Console(stderr=True, soft_wrap=True)


@app.callback()
def _root() -> None:
    """Chinese local government work reports -> labelled data -> spaCy pipeline."""


def good(message: str) -> None:
    console.print(f"[green]✔[/green] {message}")


def warn(message: str) -> None:
    err_console.print(f"[yellow]⚠[/yellow] {message}")


def fail(message: str, code: int = 1) -> None:
    err_console.print(f"[red]✘[/red] {message}")
    raise typer.Exit(code)


def progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=err_console, transient=False)


def read_rows(path) -> list[dict]:
    """Annotation rows of a file, or a one-line failure saying what is wrong and where."""
    from ..convert import ConvertError, read_annotations

    try:
        return read_annotations(path)
    except ConvertError as err:
        fail(str(err))
