"""The clause pipeline's own parts (src/govreport/clauses.py): the suggester proposes exactly the
guideline's clauses, and the labeller turns clause scores into doc.ents and doc.cats with per-label thresholds."""

import numpy
import spacy
from spacy.tokens import Span

from govreport.clauses import clause_spans
from govreport.clauses import (ClauseLabels, build_section_bow, build_section_embed, make_doc, section_kind,
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


def test_the_sentence_classifier_reads_the_section_and_can_be_left_out():
    nlp = char_nlp()
    docs = [make_doc(nlp, "新建学校3所。", section) for section in ("2026年工作安排", "2025年工作回顾", None, None)]
    for sections in (True, False):
        model = build_section_bow(ngram_size=2, length=1024, sections=sections, nO=2)
        model.initialize(X=docs)
        # give every feature its own weight: otherwise an untrained linear model scores all docs alike
        model.get_ref("output_layer").set_param("W", numpy.random.default_rng(0).normal(
            size=model.get_ref("output_layer").get_param("W").shape).astype("f"))
        scores = model.predict(docs)
        assert scores.shape == (4, 2) and numpy.allclose(scores[2], scores[3])
        assert (not numpy.allclose(scores[0], scores[1])) is sections
