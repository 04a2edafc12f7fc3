"""Annotations -> DocBin: split by document, token alignment, clear errors for bad input."""

import json
import shutil

import pytest
import spacy
from spacy.tokens import DocBin

from conftest import FIXTURES
from govreport.convert import ConvertError, convert, document_folds, make_doc, make_split, read_annotations
from govreport.tokenizer import blank_pipeline, max_match, mine_policy_terms

TINY = FIXTURES / "annotations_tiny.jsonl"


def test_split_is_by_document_and_reproducible(tmp_path):
    rows = read_annotations(TINY)
    split_file = tmp_path / "split.json"
    shutil.copy(FIXTURES / "split_tiny.json", split_file)
    result = convert(rows, blank_pipeline("char"), tmp_path, split_file)
    nlp = blank_pipeline("char")
    texts = {name: [d.text for d in DocBin().from_disk(tmp_path / f"{name}.spacy").get_docs(nlp.vocab)]
             for name in ("train", "dev", "test")}
    by_doc = {r["text"]: r["doc"] for r in rows}
    assert {by_doc[t] for t in texts["train"]} == {"t1"} and {by_doc[t] for t in texts["test"]} == {"t3"}
    assert result.counts["train"]["sentences"] == 36 and result.counts["test"]["PROBLEM"] == 1
    doc = next(DocBin().from_disk(tmp_path / "train.spacy").get_docs(nlp.vocab))
    assert doc.cats == {"INITIATIVE": 1.0, "TARGET": 0.0, "ACHIEVEMENT": 0.0, "PROBLEM": 0.0}
    assert [(e.text, e.label_) for e in doc.ents] == [("严格落实粮食安全责任制", "INITIATIVE")]


def test_new_split_keeps_every_document_whole():
    sizes = {f"d{i}": 10 + i for i in range(12)}
    split = make_split(sizes, seed=3)
    assigned = [d for name in ("train", "dev", "test") for d in split[name]]
    assert sorted(assigned) == sorted(sizes) and len(assigned) == len(set(assigned))
    assert split["dev"] and split["test"]
    folds = document_folds(sizes, 5)
    assert sorted(d for f in folds for d in f) == sorted(sizes) and all(folds)


def test_spans_off_token_boundaries_are_reported_and_counted():
    nlp = spacy.blank("xx")  # whitespace tokens make misalignment easy to show
    row = {"id": "x:1", "text": "ab cd ef", "cats": ["INITIATIVE"], "spans": [[1, 4, "INITIATIVE"]]}
    misaligned = []
    doc = make_doc(nlp, row, "expand", misaligned)
    assert [(m.id, m.text, m.snapped_to) for m in misaligned] == [("x:1", "b c", "ab cd")]
    assert [e.text for e in doc.ents] == ["ab cd"]
    misaligned.clear()
    assert list(make_doc(nlp, row, "strict", misaligned).ents) == [] and len(misaligned) == 1


def test_strict_alignment_makes_misalignment_an_error(tmp_path):
    rows = read_annotations(TINY)
    rows[0] = {**rows[0], "text": "严格 落实", "spans": [[1, 4, "INITIATIVE"]], "cats": ["INITIATIVE"]}
    split_file = tmp_path / "split.json"
    shutil.copy(FIXTURES / "split_tiny.json", split_file)
    with pytest.raises(ConvertError, match=r"\d+ spans do not fall on token boundaries, e.g. example t1:00 \[1, 4\]"):
        convert(rows, spacy.blank("xx"), tmp_path, split_file, alignment="strict")


def test_label_missing_from_train_is_a_clear_error(tmp_path):
    rows = [r for r in read_annotations(TINY) if not (r["doc"] == "t1" and "PROBLEM" in r["cats"])]
    split_file = tmp_path / "split.json"
    shutil.copy(FIXTURES / "split_tiny.json", split_file)
    with pytest.raises(ConvertError, match="PROBLEM never occur in the train split"):
        convert(rows, blank_pipeline("char"), tmp_path, split_file)


@pytest.mark.parametrize("content,message", [
    (None, "annotation file not found"),
    ("", "no annotations in the file"),
    ('{"id": "a", "doc": "d", "text": "x", "cats": [], "spans": []}\n{broken\n', ":2: not valid JSON"),
    ('{"id": "a", "doc": "d", "text": "开展", "cats": ["GOAL"], "spans": []}\n', "unknown label 'GOAL'"),
    ('{"id": "a", "doc": "d", "text": "开展"}\n', "example a lacks cats, spans"),
])
def test_bad_annotation_files_give_clear_errors(tmp_path, content, message):
    path = tmp_path / "gold.jsonl"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ConvertError, match=message):
        read_annotations(path)


def test_split_file_without_a_document_is_an_error(tmp_path):
    split_file = tmp_path / "split.json"
    split_file.write_text(json.dumps({"train": ["t1"], "dev": ["t2"], "test": []}))
    with pytest.raises(ConvertError, match="documents t3 are in no split"):
        convert(read_annotations(TINY), blank_pipeline("char"), tmp_path, split_file)


def test_policy_terms_and_max_matching():
    sentences = [{"doc": f"d{i}", "text": "推进“百千万工程”,开展人居环境整治。"} for i in range(5)]
    terms = mine_policy_terms(sentences)
    assert "百千万工程" in terms and "人居环境整治" in terms
    assert max_match("开展人居环境整治", {"开展", "人居环境整治", "人居", "环境"}) == ["开展", "人居环境整治"]


def test_docbins_keep_each_sentence_section_and_the_reader_hands_it_to_the_model(tmp_path):
    """The clause pipeline reads doc._.section; spaCy's reader makes the predicted doc from the text alone,
    so govreport.Corpus.v1 must copy the section the DocBin keeps."""
    from govreport.train import create_corpus, create_oversampled_corpus

    split_file = tmp_path / "split.json"
    shutil.copy(FIXTURES / "split_tiny.json", split_file)
    convert(read_annotations(TINY), blank_pipeline("char"), tmp_path, split_file)
    nlp = blank_pipeline("char")
    examples = list(create_corpus(tmp_path / "train.spacy")(nlp))
    plan = [e for e in examples if e.predicted._.section == "二、2025年工作安排"]
    assert [e.text for e in plan if e.reference.cats["TARGET"] == 1.0] == [
        "新建文化广场3个。", "新建村级道路10公里。", "改造农村危房20户。"]
    assert len(plan) == 5
    assert sum(e.predicted._.section == "一、2024年工作情况" for e in examples) == 4  # 3 + the heading itself
    assert sum(e.predicted._.section is None for e in examples) == 27
    oversampled = list(create_oversampled_corpus(tmp_path / "train.spacy", ["TARGET"], times=2)(nlp))
    assert sum(e.predicted._.section == "二、2025年工作安排" for e in oversampled) == 8
