"""The clause pipeline's own parts (src/govreport/clauses.py): the suggester proposes exactly the
guideline's clauses, and the labeller turns clause scores into doc.ents and doc.cats with per-label thresholds."""

import numpy
import pytest
import spacy
from spacy.tokens import Span

from govreport.clauses import clause_spans
from govreport.clauses import (ClauseLabels, build_bigram_embed, build_section_embed, make_doc, section_kind,
                               suggest_clauses)

TEXT = "一是完成造林2000亩，新建学校3所；力争明年再建2所。"


def char_nlp():
    nlp = spacy.blank("zh")  # spaCy's default Chinese segmenter is `char`: one token per character
    return nlp


def test_the_suggester_proposes_the_clauses_of_the_guidelines():
    nlp = char_nlp()
    docs = [nlp(TEXT), nlp("。"), nlp("推进“百千万工程，完成造林2000亩")]
    ragged = suggest_clauses(docs)
    lengths = list(ragged.lengths)
    assert lengths == [len(clause_spans(d.text)) for d in docs] == [3, 0, 2]
    spans = ragged.data.tolist()
    first = [docs[0][s:e].text for s, e in spans[:3]]
    assert first == ["完成造林2000亩", "新建学校3所", "力争明年再建2所"]


def labelled(scores: list[tuple[int, int, str, float]], thresholds: dict[str, float], sentence=None):
    """``sentence``: a text classifier's doc.cats, averaged in (cats = "mean")."""
    nlp = char_nlp()
    doc = nlp(TEXT)
    group = [Span(doc, s, e, label=label) for s, e, label, _ in scores]
    doc.spans["sc"] = group
    doc.spans["sc"].attrs["scores"] = numpy.asarray([score for *_, score in scores], dtype="f")
    doc.cats = dict(sentence or {})
    labeller = ClauseLabels("govreport_clause_labels", "sc", "spancat", 0.5, "mean" if sentence else "clauses")
    labeller.cfg["labels"] = ["INITIATIVE", "TARGET", "ACHIEVEMENT", "PROBLEM"]
    labeller.set_thresholds(thresholds)
    return labeller(doc)


def test_each_clause_gets_its_best_label_that_reaches_the_threshold():
    clauses = clause_spans(TEXT)
    (a, b), (c, d), (e, f) = clauses
    doc = labelled([(a, b, "INITIATIVE", 0.6), (a, b, "ACHIEVEMENT", 0.9), (c, d, "ACHIEVEMENT", 0.3),
                    (e, f, "TARGET", 0.35), (e, f, "INITIATIVE", 0.2)],
                   {"INITIATIVE": 0.5, "TARGET": 0.3, "ACHIEVEMENT": 0.5, "PROBLEM": 0.5})
    assert [(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents] == [(a, b, "ACHIEVEMENT"),
                                                                              (e, f, "TARGET")]
    # doc.cats: the best clause score per label, whether or not it passed
    assert doc.cats == {"INITIATIVE": 0.6000000238418579, "TARGET": 0.3499999940395355,
                        "ACHIEVEMENT": 0.8999999761581421, "PROBLEM": 0.0}


def test_a_higher_threshold_removes_the_span_and_keeps_the_score():
    (a, b), _, _ = clause_spans(TEXT)
    doc = labelled([(a, b, "TARGET", 0.4)], {"TARGET": 0.45})
    assert list(doc.ents) == []
    assert round(doc.cats["TARGET"], 3) == 0.4


def test_the_sentence_classifier_is_averaged_into_every_clause():
    (a, b), (c, d), _ = clause_spans(TEXT)
    sentence = {"INITIATIVE": 0.2, "TARGET": 0.1, "ACHIEVEMENT": 0.9, "PROBLEM": 0.6}
    doc = labelled([(a, b, "INITIATIVE", 0.7), (c, d, "ACHIEVEMENT", 0.3)],
                   {"INITIATIVE": 0.5, "TARGET": 0.5, "ACHIEVEMENT": 0.5, "PROBLEM": 0.5}, sentence)
    # INITIATIVE (0.7 + 0.2) / 2 falls below 0.5; ACHIEVEMENT (0.3 + 0.9) / 2 reaches it
    assert [(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents] == [(c, d, "ACHIEVEMENT")]
    assert {k: round(v, 3) for k, v in doc.cats.items()} == {"INITIATIVE": 0.45, "TARGET": 0.05,
                                                             "ACHIEVEMENT": 0.6, "PROBLEM": 0.3}


def test_unknown_threshold_labels_are_an_error():
    labeller = ClauseLabels("x", "sc", "spancat", 0.5, "clauses")
    labeller.cfg["labels"] = ["TARGET"]
    try:
        labeller.set_thresholds({"GOAL": 0.5})
    except ValueError as err:
        assert "GOAL" in str(err)
    else:
        raise AssertionError("an unknown label was accepted")


def test_section_kinds_of_report_headings():
    assert section_kind("二、2026年工作安排") == section_kind("今后五年的主要任务 > (一)稳增长") == "plan"
    assert section_kind("一、2025年工作回顾") == section_kind("2025年工作开展情况 > 1.产业发展") == "review"
    assert section_kind("2023年以来主要工作回顾") == "review"  # 主要工作 in a heading that looks back
    assert section_kind("") == section_kind(None) == section_kind("(一)产业发展") == "unknown"
    # the usual part headings of city, provincial and national reports
    assert section_kind("二、2025年主要任务 > （一）纵深推进协同发展") == section_kind("二、对今年政府工作的建议") == "plan"
    assert section_kind("一、“十一五”时期经济社会发展取得重大成就") == section_kind("一、过去五年的工作") == "review"
    # the part decides, not a heading inside it that uses the other's words
    assert section_kind("一、2025年工作回顾 > （二）聚力落实国家重大战略任务") == "review"
    assert section_kind("二、“十四五”时期发展成就和“十五五”时期主要目标任务 > （一）主要目标") == "plan"


def test_the_section_embedding_tells_plan_from_review_and_can_be_left_out():
    from spacy.ml.models import MultiHashEmbed

    nlp = char_nlp()
    docs = [make_doc(nlp, "新建学校3所。", section) for section in ("2026年工作安排", "2025年工作回顾", None, None)]
    assert [d._.section for d in docs] == ["2026年工作安排", "2025年工作回顾", None, None]

    def embed():
        return MultiHashEmbed(width=8, attrs=["NORM"], rows=[100], include_static_vectors=False)

    model = build_section_embed(embed(), width=8)
    model.initialize(X=docs)
    vectors = model.predict(docs)
    assert [v.shape for v in vectors] == [(7, 8)] * 4
    assert numpy.allclose(vectors[2], vectors[3])
    assert not numpy.allclose(vectors[0], vectors[1]) and not numpy.allclose(vectors[0], vectors[2])
    plain = build_section_embed(embed(), width=8, sections=False)
    plain.initialize(X=docs)
    vectors = plain.predict(docs)
    assert all(numpy.allclose(vectors[0], v) for v in vectors)


def test_each_character_sees_the_vectors_of_its_two_bigrams_and_the_model_keeps_them(tmp_path):
    from spacy.ml.models import MultiHashEmbed

    table = tmp_path / "bigrams.npz"
    numpy.savez_compressed(table, keys=numpy.asarray(["学校", "新建"]), vectors=numpy.asarray([[1, 2], [3, 4]], "f2"))
    nlp = char_nlp()
    docs = [nlp("新建学校"), nlp("新建高校")]
    model = build_bigram_embed(MultiHashEmbed(width=8, attrs=["NORM"], rows=[100], include_static_vectors=False),
                               width=8, vectors=str(table))
    model.initialize(X=docs)
    bigrams = next(node for node in model.walk() if node.name == "bigram_vectors")
    # 新: (none, 新建); 建: (新建, 建学); 学: (建学, 学校); 校: (学校, none) — 建学 and 建高 are not in the table
    assert bigrams.predict(docs[:1])[0].tolist() == [[0, 0, 3, 4], [3, 4, 0, 0], [0, 0, 1, 2], [1, 2, 0, 0]]
    assert bigrams.predict(docs[1:])[0].tolist()[2:] == [[0, 0, 0, 0], [0, 0, 0, 0]]
    assert bigrams.predict([nlp(""), nlp("新")])[0].shape == (0, 4)
    vectors = model.predict(docs)
    assert [v.shape for v in vectors] == [(4, 8)] * 2
    # A saved pipeline carries the table: it loads and predicts the same without the file.
    data = model.to_bytes()
    table.unlink()
    loaded = build_bigram_embed(MultiHashEmbed(width=8, attrs=["NORM"], rows=[100], include_static_vectors=False),
                                width=8, vectors=str(table)).from_bytes(data)
    assert all(numpy.allclose(a, b) for a, b in zip(loaded.predict(docs), vectors))
    # A model that has run and then reads another table (from_bytes) looks bigrams up in the new one.
    other_table = tmp_path / "other.npz"
    numpy.savez_compressed(other_table, keys=numpy.asarray(["高校"]), vectors=numpy.asarray([[5, 6]], "f2"))
    other = build_bigram_embed(MultiHashEmbed(width=8, attrs=["NORM"], rows=[100], include_static_vectors=False),
                               width=8, vectors=str(other_table))
    other.initialize(X=docs)
    model.from_bytes(other.to_bytes())
    assert bigrams.predict(docs[1:])[0].tolist()[2:] == [[0, 0, 5, 6], [5, 6, 0, 0]]


def sentence_tfidf(rows, sections=True):
    """A SentenceTfidf fitted on (text, section, labels) rows, as `spacy train` initializes it."""
    from spacy.training import Example

    nlp = char_nlp()
    component = nlp.add_pipe("govreport_sentence_tfidf", config={"C": 10.0, "sections": sections})

    def examples():
        for text, section, labels in rows:
            reference = make_doc(nlp, text, section)
            reference.cats = {label: float(label in labels) for label in ("TARGET", "ACHIEVEMENT")}
            yield Example(make_doc(nlp, text, section), reference)

    nlp.initialize(examples)
    return nlp, component


SECTIONED = [("新建学校3所。", "2026年工作安排", {"TARGET"}), ("新建道路5公里。", "2026年工作安排", {"TARGET"}),
             ("新建学校3所。", "2025年工作回顾", {"ACHIEVEMENT"}), ("新建道路5公里。", "2025年工作回顾", {"ACHIEVEMENT"}),
             ("力争增长8%。", None, {"TARGET"}), ("累计完成投资。", None, {"ACHIEVEMENT"}), ("各位代表。", None, set())]


def test_the_sentence_tfidf_model_scores_as_scikit_learn_does():
    """The packaged pipeline scores with numpy from stored arrays; it must agree with the scikit-learn
    model it was fitted as (TF-IDF of character 1-3-grams, sublinear tf, L2 norm, then the section's kind)."""
    from functools import partial

    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    from govreport.clauses import char_ngrams

    nlp, component = sentence_tfidf(SECTIONED)
    # what initialize fits on: each sentence with its section and without (新建学校3所 without a section
    # twice: once a TARGET, once an ACHIEVEMENT)
    rows = list(dict.fromkeys([(t, s, frozenset(l)) for t, s, l in SECTIONED] +
                              [(t, None, frozenset(l)) for t, s, l in SECTIONED]))
    vectorizer = TfidfVectorizer(analyzer=partial(char_ngrams, ngram_size=3), sublinear_tf=True)
    kinds = lambda sections: csr_matrix([[float(k == section_kind(s)) for k in ("unknown", "plan", "review")]
                                         for s in sections])
    x = hstack([vectorizer.fit_transform([t for t, _, _ in rows]), kinds([s for _, s, _ in rows])]).tocsr()
    new = [("新建学校5所,力争增长。", "2026年工作安排"), ("累计新建道路。", "2025年工作回顾"), ("谢谢大家。", None)]
    new_x = hstack([vectorizer.transform([t for t, _ in new]), kinds([s for _, s in new])]).tocsr()
    docs = list(nlp.pipe(make_doc(nlp, t, s) for t, s in new))
    for label in ("TARGET", "ACHIEVEMENT"):
        expected = LogisticRegression(C=10.0, class_weight="balanced", max_iter=2000).fit(
            x, [label in l for _, _, l in rows]).predict_proba(new_x)[:, 1]
        assert numpy.allclose([doc.cats[label] for doc in docs], expected, atol=1e-5), label
    # the same scores after a round trip through bytes, as a saved and loaded pipeline gives them
    other = char_nlp()
    other.add_pipe("govreport_sentence_tfidf")
    other.from_bytes(nlp.to_bytes())
    again = list(other.pipe(make_doc(other, t, s) for t, s in new))
    assert [doc.cats for doc in again] == [doc.cats for doc in docs]


def test_the_sentence_tfidf_model_reads_the_section_and_can_be_left_out():
    for sections in (True, False):
        nlp, _ = sentence_tfidf(SECTIONED, sections=sections)
        plan, review = (nlp(make_doc(nlp, "新建学校3所。", s)) for s in ("2026年工作安排", "2025年工作回顾"))
        if sections:  # the same words: a TARGET in a plan, an ACHIEVEMENT in a review
            assert plan.cats["TARGET"] > 0.5 > review.cats["TARGET"]
            assert review.cats["ACHIEVEMENT"] > 0.5 > plan.cats["ACHIEVEMENT"]
        else:
            assert plan.cats == review.cats


def test_the_sentence_tfidf_model_needs_both_answers_for_every_label():
    with pytest.raises(ValueError, match="ACHIEVEMENT"):  # no sentence says ACHIEVEMENT
        sentence_tfidf([("新建学校3所。", None, {"TARGET"}), ("各位代表。", None, set())])


def test_the_trained_pipeline_multiplies_with_numpy_and_scores_as_with_blis(tiny_pipeline):
    from thinc.api import NumpyOps

    nlp = spacy.load(tiny_pipeline)
    assert all(node.ops.use_blis is False for node in nlp.get_pipe("tok2vec").model.walk())
    assert all(node.ops.use_blis is False for node in nlp.get_pipe("spancat").model.walk())
    texts = ["一是完成造林2000亩，新建学校3所；力争明年再建2所。", "严格落实粮食安全责任制。"]
    numpy_cats = [doc.cats for doc in nlp.pipe(texts)]
    blis = NumpyOps(use_blis=True)
    for name in ("tok2vec", "spancat"):
        for node in nlp.get_pipe(name).model.walk():
            node.ops = blis
    for ours, theirs in zip(numpy_cats, (doc.cats for doc in nlp.pipe(texts))):
        assert ours == pytest.approx(theirs, abs=1e-5)
