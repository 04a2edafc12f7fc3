"""The `govreport` command line: a thin layer over the stage modules, one command (group) per file."""

from ._util import app  # noqa: F401
from . import corpus, annotations, tokenizer, convert, train, evaluate, package, predict  # noqa: F401  (each registers its commands on `app`)
from . import doccano, agreement, retrain, targets  # noqa: F401


def main() -> None:  # pragma: no cover
    app()
