"""The training reader that `spacy train` finds by name: rare-label sentences are seen more often."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import DocBin

from govreport.labels import LABEL_NAMES


@pytest.fixture()
def docbin(tmp_path):
    nlp = spacy.blank("zh")
    answers = {"存在不少困难和问题。": {"PROBLEM"}, "力争增长8%。": {"TARGET"}, "开展环境整治。": {"INITIATIVE"}, "谢谢。": set()}
    bin_ = DocBin()
    for text, labels in answers.items():
        doc = nlp.make_doc(text)
        doc.cats = {label: float(label in labels) for label in LABEL_NAMES}
        bin_.add(doc)
    path = tmp_path / "train.spacy"
    bin_.to_disk(path)
    return nlp, path


def test_spacy_finds_the_reader_by_its_config_name_and_repeats_rare_examples(docbin):
    nlp, path = docbin
    make_reader = spacy.registry.readers.get("govreport.OversampledCorpus.v1")  # the entry point in pyproject.toml
    texts = [eg.reference.text for eg in make_reader(path, rare_labels=["TARGET", "PROBLEM"], times=3)(nlp)]
    assert sorted(texts) == sorted(["存在不少困难和问题。"] * 3 + ["力争增长8%。"] * 3 + ["开展环境整治。", "谢谢。"])
    once = [eg.reference.text for eg in make_reader(path, rare_labels=["PROBLEM"], times=1)(nlp)]
    assert len(once) == 4


def test_reader_refuses_labels_outside_the_scheme_and_bad_counts(docbin):
    _, path = docbin
    make_reader = spacy.registry.readers.get("govreport.OversampledCorpus.v1")
    with pytest.raises(ValueError, match="unknown label 'PROBLEMS'"):
        make_reader(path, rare_labels=["PROBLEMS"])
    with pytest.raises(ValueError, match="times must be 1 or more"):
        make_reader(path, rare_labels=["PROBLEM"], times=0)
