"""The tiny real `spacy train` run (conftest.tiny_pipeline) must learn its fixture: a model that
learns nothing, or a labeller that mislabels, moves or drops spans, fails here.

Expected answers come from the fixture file (the training sentences' gold) or are written out by
hand below; none is computed by the code under test."""

import json
import shutil

import spacy

from conftest import FIXTURES
from govreport.annotations import validate
from govreport.predict import model_suggestions

# Sentences the model never saw, each of an obvious class (the cue words of its training sentences),
# with the clause the span must cover, counted by hand.
UNSEEN = [
    ("扎实推进美丽乡村建设。", "INITIATIVE", [0, 10]),
    ("累计新建文化广场3个。", "ACHIEVEMENT", [0, 10]),
    ("力争引进企业3个以上。", "TARGET", [0, 10]),
    ("村级集体经济仍然薄弱。", "PROBLEM", [0, 10]),
]


def training_rows():
    rows = [json.loads(line) for line in (FIXTURES / "annotations_tiny.jsonl").read_text(encoding="utf-8").splitlines()]
    split = json.loads((FIXTURES / "split_tiny.json").read_text())
    return [r for r in rows if r["doc"] in split["train"]]


def test_tiny_model_recovers_categories_and_spans_of_its_training_sentences(tiny_pipeline):
    rows = training_rows()
    assert len(rows) == 36 and sum(bool(r["cats"]) for r in rows) == 28
    answers = model_suggestions(rows, spacy.load(tiny_pipeline), source="test")
    for row in rows:
        answer = answers[row["id"]]
        assert (sorted(answer["cats"]), sorted(answer["spans"])) == (sorted(row["cats"]), sorted(row["spans"])), row["text"]
    valid, rejects = validate([{"id": i, **a} for i, a in answers.items()], {r["id"]: r for r in rows})
    assert rejects == [] and len(valid) == len(rows)


def test_tiny_model_labels_unseen_sentences_of_obvious_class(tiny_pipeline):
    sentences = [{"id": f"u{i}", "text": text} for i, (text, _, _) in enumerate(UNSEEN)]
    answers = model_suggestions(sentences, spacy.load(tiny_pipeline), source="test")
    for (text, label, (start, end)), sentence in zip(UNSEEN, sentences):
        answer = answers[sentence["id"]]
        assert max(answer["scores"], key=answer["scores"].get) == label, (text, answer["scores"])
        assert label in answer["cats"] and [start, end, label] in answer["spans"], (text, answer)


def test_the_section_decides_between_target_and_achievement(tiny_pipeline):
    """The same words are a TARGET in a plan and an ACHIEVEMENT in a review (the fixture trains three such
    pairs); an unseen sentence of that kind follows its section, given as ``section`` as predict gives it."""
    nlp = spacy.load(tiny_pipeline)
    text = "新建篮球场5个。"
    sentences = [{"id": "plan", "text": text, "section": "三、2026年工作打算"},
                 {"id": "review", "text": text, "section": "二、2025年工作完成情况"}]
    answers = model_suggestions(sentences, nlp, source="test")
    assert (answers["plan"]["cats"], answers["plan"]["spans"]) == (["TARGET"], [[0, 7, "TARGET"]]), answers["plan"]
    assert (answers["review"]["cats"], answers["review"]["spans"]) == (["ACHIEVEMENT"], [[0, 7, "ACHIEVEMENT"]]), \
        answers["review"]


def test_the_thresholds_stored_in_the_model_decide_the_categories(tiny_pipeline, tmp_path):
    """Thresholds above any score leave no category; a threshold for one label only removes that label;
    thresholds of 0 make every label a candidate, but a candidate with no clause left for its span is dropped."""
    rows = [r for r in training_rows() if r["id"] in ("t1:00", "t1:07")]  # INITIATIVE; TARGET + ACHIEVEMENT
    model = tmp_path / "model"
    shutil.copytree(tiny_pipeline, model)
    meta = json.loads((model / "meta.json").read_text())

    def answers_with(thresholds):
        meta["govreport"]["thresholds"] = thresholds
        (model / "meta.json").write_text(json.dumps(meta))
        return model_suggestions(rows, spacy.load(model), source="test")

    never = answers_with({"INITIATIVE": 1.01, "TARGET": 1.01, "ACHIEVEMENT": 1.01, "PROBLEM": 1.01})
    assert [(a["cats"], a["spans"]) for a in never.values()] == [([], []), ([], [])]
    no_target = answers_with({"INITIATIVE": 0.5, "TARGET": 1.01, "ACHIEVEMENT": 0.5, "PROBLEM": 0.5})
    assert no_target["t1:00"]["cats"] == ["INITIATIVE"] and no_target["t1:00"]["spans"] == [[0, 11, "INITIATIVE"]]
    assert no_target["t1:07"]["cats"] == ["ACHIEVEMENT"] and no_target["t1:07"]["spans"] == [[18, 27, "ACHIEVEMENT"]]
    always = answers_with({"INITIATIVE": 0.0, "TARGET": 0.0, "ACHIEVEMENT": 0.0, "PROBLEM": 0.0})
    assert (always["t1:00"]["cats"], always["t1:00"]["spans"]) == (["INITIATIVE"], [[0, 11, "INITIATIVE"]])
    assert (always["t1:07"]["cats"], always["t1:07"]["spans"]) == (["TARGET", "ACHIEVEMENT"],
                                                                   [[0, 17, "TARGET"], [18, 27, "ACHIEVEMENT"]])
