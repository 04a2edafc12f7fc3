"""Stage 3b: what `spacy train` needs from govreport besides the config.

`govreport.OversampledCorpus.v1` is a training-corpus reader registered with spaCy through an
entry point (pyproject.toml, `spacy_readers`), so a plain `spacy train configs/char.cfg` finds it.
It yields every training example once and the examples that carry a rare label `times` times in
all: TARGET and PROBLEM are a few percent of sentences, and spaCy's textcat has no class weights.
Only the train corpus is read this way; dev and test are read as they are.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

from spacy.language import Language
from spacy.training import Corpus, Example


def create_oversampled_corpus(path: Path, rare_labels: list[str], times: int = 3, max_length: int = 0,
                              limit: int = 0) -> Callable[[Language], Iterable[Example]]:
    from .labels import check_label

    for label in rare_labels:
        check_label(label)
    if times < 1:
        raise ValueError(f"times must be 1 or more, got {times}")
    corpus = Corpus(path, max_length=max_length, limit=limit)

    def read(nlp: Language) -> Iterable[Example]:
        for example in corpus(nlp):
            rare = any(example.reference.cats.get(label, 0.0) >= 0.5 for label in rare_labels)
            for _ in range(times if rare else 1):
                yield example

    return read
