"""The matching and scoring of scripts/bench_targets.py on tiny hand-made mentions and links; every expected
figure is worked out by hand in the comments."""

from __future__ import annotations

import pytest

import bench_targets as bt

SENTENCE = "地区生产总值增长6.5%，固定资产投资增长5%，新建学校3所。"


def gold(sid: str, start: int, end: int, role: str = "result", **fields) -> dict:
    row = {"sentence_id": sid, "start": start, "end": end, "text": SENTENCE[start:end], "metric": "",
           "value": 1.0, "unit_canonical": "%", "quantity_type": "growth_rate", "comparator": "exact", "role": role,
           "sentence": SENTENCE}
    return {**row, **fields}


def tool(sid: str, start: int, end: int, role: str = "result", **fields) -> dict:
    row = {"sentence_id": sid, "start": start, "end": end, "text": SENTENCE[start:end], "metric_raw": "",
           "value": 1.0, "unit_canonical": "%", "quantity_type": "growth_rate", "comparator": "exact", "role": role,
           "role_evidence": "test", "sentence": SENTENCE}
    return {**row, **fields}


def test_locate_counts_every_appearance_as_the_coders_do():
    # "5%" first appears inside "6.5%" (offset 10), then on its own (offset 21)
    assert bt.locate(SENTENCE, "5%", 1) == (10, 12)
    assert bt.locate(SENTENCE, "5%", 2) == (21, 23)
    assert bt.locate(SENTENCE, "5%", 3) is None
    assert bt.locate(SENTENCE, "6.5%") == (8, 12)


def test_overlapping_spans_match_touching_ones_do_not():
    assert bt.match_spans([(8, 12)], [(10, 12)]) == [(0, 0)]
    assert bt.match_spans([(8, 12)], [(12, 15)]) == []


def test_matching_is_one_to_one_largest_overlap_first():
    # one tool span over two gold spans: it goes to the gold span it shares 4 characters with, not 1
    assert bt.match_spans([(0, 3), (5, 9)], [(2, 9)]) == [(1, 0)]


def test_a_missed_mention_counts_against_recall_only():
    g = [gold("s1", 8, 12), gold("s1", 21, 23)]
    p = [tool("s1", 8, 12)]
    scores = bt.mention_scores(g, p)["overlap"]
    # tp 1 of 1 predicted, 1 of 2 gold: P 1, R 0.5, F1 2*1*0.5/1.5 = 0.6667
    assert (scores["precision"], scores["recall"], scores["f1"]) == (1.0, 0.5, 0.6667)


def test_a_spurious_mention_counts_against_precision_only():
    scores = bt.mention_scores([gold("s1", 8, 12)], [tool("s1", 8, 12), tool("s1", 28, 30)])["overlap"]
    assert (scores["precision"], scores["recall"]) == (0.5, 1.0)


def test_same_offsets_in_another_sentence_do_not_match():
    scores = bt.mention_scores([gold("s1", 8, 12)], [tool("s2", 8, 12)])["overlap"]
    assert scores["tp"] == 0 and scores["f1"] == 0.0


def test_exact_offsets_are_stricter_than_overlap():
    # gold 6.5%, tool only 6.5 without %: matched by overlap, not exact
    scores = bt.mention_scores([gold("s1", 8, 12)], [tool("s1", 8, 11)])
    assert scores["overlap"]["f1"] == 1.0 and scores["exact"]["f1"] == 0.0


def test_prf_of_nothing_is_zero_not_an_error():
    assert bt.prf(0, 0, 3)["f1"] == 0.0 and bt.prf(0, 2, 0)["precision"] == 0.0


def test_kappa_worked_by_hand():
    # observed 3/4; expected 1/2*1/4 + 1/2*3/4 = 1/2; kappa (0.75 - 0.5) / (1 - 0.5) = 0.5
    assert bt.kappa(["target", "target", "result", "result"], ["target", "result", "result", "result"]) == 0.5
    assert bt.kappa(["result", "result"], ["result", "result"]) == 1.0
    assert bt.kappa([], []) is None
    # chance-level: the second coder says result whatever the first says
    assert bt.kappa(["target", "result"], ["result", "result"]) == 0.0


def test_roles_unknown_is_other_and_other_is_its_own_class():
    g = [gold("s1", 8, 12, "target"), gold("s1", 21, 23, "other"), gold("s1", 28, 30, "other")]
    p = [tool("s1", 8, 12, "result"), tool("s1", 21, 23, "unknown"), tool("s1", 28, 30, "result")]
    figures, errors = bt.mention_block(g, p)
    # right: unknown=other (1 of 3); wrong: target→result, other→result
    assert figures["role_accuracy"] == 0.3333
    assert figures["role_confusion"] == {"other": {"other": 1, "result": 1}, "target": {"result": 1}}
    assert [e["gold"]["role"] for e in errors["role"]] == ["target", "other"]


def test_field_accuracy_and_value_in_the_coders_unit():
    assert bt.same_value(1530, "米", 1.53, "公里")  # the tool converts 米 to 公里
    assert not bt.same_value(1530, "米", 1.53, "元")
    assert not bt.same_value(6.5, "%", 6.0, "%")
    g = [gold("s1", 8, 12, value=6.5), gold("s1", 21, 23, value=5.0, comparator="about")]
    p = [tool("s1", 8, 12, value=6.5), tool("s1", 21, 23, value=5.0)]
    figures, errors = bt.mention_block(g, p)
    assert figures["field_accuracy"]["value"] == 1.0
    assert figures["field_accuracy"]["comparator"] == 0.5
    assert [e["gold"]["text"] for e in errors["comparator"]] == ["5%"]


def link(tid: str, tspan, rid: str | None, rspan, met=None) -> dict:
    return {"series": "x", "year": 2020, "metric": "m", "metric_raw": "m", "target_id": tid, "target_span": tspan,
            "target_text": "t", "result_id": rid, "result_span": rspan, "result_text": "r", "met": met,
            "note": None, "status": None, "comparator": "exact"}


def test_links_match_on_both_sentences_and_overlapping_texts():
    g = [link("y1:a", (0, 3), "y2:b", (5, 9))]
    assert len(bt.match_links(g, [link("y1:a", (1, 3), "y2:b", (6, 8))])[0]) == 1
    assert len(bt.match_links(g, [link("y1:a", (1, 3), "y2:c", (5, 9))])[0]) == 0  # other result sentence
    assert len(bt.match_links(g, [link("y1:a", (1, 3), "y2:b", (9, 12))])[0]) == 0  # other result mention


def test_link_scores_scope_and_met():
    g = [link("y1:a", (0, 3), "y2:b", (5, 9), met=True),
         link("y1:a", (10, 13), "y2:b", (15, 19), met=False),
         link("y1:c", (0, 3), None, None)]  # the report gives no result for this target
    p = [link("y1:a", (0, 3), "y2:b", (5, 9), met=True),
         link("y1:a", (10, 13), "y2:b", (15, 19), met=True),  # matched, met wrong
         link("y1:c", (0, 3), "y2:d", (0, 2)),  # judged: a link where the gold has none
         link("y1:z", (0, 3), "y2:d", (0, 2))]  # not a headline-target sentence: out of scope
    figures, errors = bt.link_block(g, p, records=[])
    assert (figures["tool_links_judged"], figures["tool_links_out_of_scope"]) == (3, 1)
    # tp 2 of 3 judged, 2 of 2 gold links: P 0.6667, R 1, F1 0.8
    assert (figures["scores"]["precision"], figures["scores"]["recall"], figures["scores"]["f1"]) == (0.6667, 1.0, 0.8)
    assert figures["met_accuracy"] == 0.5
    assert len(errors["spurious"]) == 1 and len(errors["met"]) == 1


def test_a_missed_link_lowers_recall():
    g = [link("y1:a", (0, 3), "y2:b", (5, 9)), link("y1:a", (10, 13), "y2:b", (15, 19))]
    figures, errors = bt.link_block(g, [link("y1:a", (0, 3), "y2:b", (5, 9))], records=[])
    assert figures["scores"]["recall"] == 0.5 and len(errors["missed"]) == 1
    assert errors["missed"][0]["reason"] == "mention not found"


@pytest.mark.parametrize("text, kind", [
    ("80多万元", "多/余"), ("2100余名", "多/余"), ("两个", "Chinese numerals"), ("43万", "without a unit"),
    ("亿元", "magnitude word"), ("19年", "lexicon (年)"), ("6.5%", "other")])
def test_missed_mentions_get_a_diagnosis(text, kind):
    assert kind in bt.miss_kind(text)


def test_met_read_as_a_band_uses_the_tools_in_band_for_approximate_targets():
    # the gold coded 7%左右 → 9% as not met (outside the ±0.5 band); the tool: met (a floor with slack), not in band
    g = [link("y1:a", (0, 3), "y2:b", (5, 9), met=False), link("y1:a", (10, 13), "y2:b", (15, 19), met=True)]
    p = [{**link("y1:a", (0, 3), "y2:b", (5, 9), met=True), "in_band": False},
         {**link("y1:a", (10, 13), "y2:b", (15, 19), met=True), "in_band": None}]  # exact target: no band
    figures, _ = bt.link_block(g, p, records=[])
    assert figures["met_accuracy"] == 0.5  # 1 of 2
    assert figures["met_band_accuracy"] == 1.0  # in_band for the first, met for the second
