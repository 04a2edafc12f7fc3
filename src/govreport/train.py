"""Stage 3b: what `spacy train` needs from govreport besides the config.

`govreport.OversampledCorpus.v1` is a training-corpus reader registered with spaCy through an
entry point (pyproject.toml, `spacy_readers`), so a plain `spacy train configs/char.cfg` finds it.
It yields every training example once and the examples that carry a rare label `times` times in
all: TARGET and PROBLEM are a few percent of sentences, and spaCy's textcat has no class weights.
`govreport.Corpus.v1` reads dev the same way, once each. Both give the doc the pipeline predicts the
section of its gold doc (``doc._.section``, kept in the DocBin's user data): spaCy's own reader makes that
doc from the text alone, and the clause pipeline reads whether a sentence plans or reviews. With
``section_dropout`` a share of training examples goes without it, so the pipeline also learns to label a
sentence whose section nobody gave (a plain ``nlp(text)``).
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Callable, Iterable

from spacy.language import Language
from spacy.training import Corpus, Example


def create_corpus(path: Path, max_length: int = 0, limit: int = 0,
                  section_dropout: float = 0.0) -> Callable[[Language], Iterable[Example]]:
    from . import clauses  # noqa: F401  (registers doc._.section)

    if not 0.0 <= section_dropout <= 1.0:
        raise ValueError(f"section_dropout must be between 0 and 1, got {section_dropout}")
    corpus = Corpus(path, max_length=max_length, limit=limit)

    def read(nlp: Language) -> Iterable[Example]:
        for example in corpus(nlp):
            # random is seeded by `spacy train` ([training] seed): the same run hides the same sections
            if not (section_dropout and random.random() < section_dropout):
                example.predicted._.section = example.reference._.section
            yield example

    return read


def create_oversampled_corpus(path: Path, rare_labels: list[str], times: int = 3, max_length: int = 0,
                              limit: int = 0, section_dropout: float = 0.0) -> Callable[[Language], Iterable[Example]]:
    from .labels import check_label

    for label in rare_labels:
        check_label(label)
    if times < 1:
        raise ValueError(f"times must be 1 or more, got {times}")
    corpus = create_corpus(path, max_length=max_length, limit=limit, section_dropout=section_dropout)

    def read(nlp: Language) -> Iterable[Example]:
        for example in corpus(nlp):
            rare = any(example.reference.cats.get(label, 0.0) >= 0.5 for label in rare_labels)
            for _ in range(times if rare else 1):
                yield example

    return read
