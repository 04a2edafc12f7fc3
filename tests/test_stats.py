"""Annotation statistics and agreement, checked against values computed by hand."""

import json
import math

import pytest

from conftest import invoke
from govreport.stats import annotator_agreement, label_counts, suggestion_changes


def row(rid, cats, spans, suggested=None, doc="d1"):
    return {"id": rid, "doc": doc, "text": "开展巡查,完成造林2000亩。", "cats": cats, "spans": spans,
            "suggested": suggested}


FIRST = [
    row("a", ["INITIATIVE"], [[0, 4, "INITIATIVE"]]),
    row("b", ["INITIATIVE", "ACHIEVEMENT"], [[0, 4, "INITIATIVE"], [5, 13, "ACHIEVEMENT"]]),
    row("c", [], []),
    row("d", ["ACHIEVEMENT"], [[5, 13, "ACHIEVEMENT"]], doc="d2"),
]
SECOND = [
    row("a", ["INITIATIVE"], [[0, 4, "INITIATIVE"]]),
    row("b", ["ACHIEVEMENT"], [[5, 13, "ACHIEVEMENT"]]),
    row("c", [], []),
    row("d", ["ACHIEVEMENT"], [[5, 12, "ACHIEVEMENT"]], doc="d2"),
]


def test_cohens_kappa_and_span_f1_match_hand_computed_values():
    rows = [{**r, "annotator": "first"} for r in FIRST] + [{**r, "annotator": "second"} for r in SECOND]
    result = annotator_agreement(rows)
    overall = result["overall"]
    # INITIATIVE: first 1,1,0,0 / second 1,0,0,0 -> po 0.75, pe 0.5*0.25 + 0.5*0.75 = 0.5 -> kappa 0.5
    assert math.isclose(overall["kappa"]["INITIATIVE"]["kappa"], 0.5)
    # ACHIEVEMENT: 0,1,0,1 / 0,1,0,1 -> identical -> kappa 1
    assert math.isclose(overall["kappa"]["ACHIEVEMENT"]["kappa"], 1.0)
    assert overall["kappa"]["PROBLEM"]["kappa"] is None  # never used by either pass
    # spans: first has 4, second 3; exact matches: a-INIT, b-ACH -> P 2/3, R 2/4 -> F 4/7
    assert math.isclose(overall["span_f1"]["exact"], 4 / 7)
    # overlap also counts d's [5,12] vs [5,13] -> P 3/3, R 3/4 -> F 6/7
    assert math.isclose(overall["span_f1"]["overlap"], 6 / 7)
    assert result["compared"] == 4 and sorted(result["per_document"]) == ["d1", "d2"]
    assert result["per_document"]["d2"]["kappa"]["ACHIEVEMENT"]["kappa"] is None  # one sentence, both say yes


def test_suggestion_changes_count_additions_and_removals_per_label():
    rows = [
        row("a", ["INITIATIVE"], [[0, 4, "INITIATIVE"]], {"cats": ["INITIATIVE"], "spans": [[0, 4, "INITIATIVE"]]}),
        row("b", ["ACHIEVEMENT"], [[5, 13, "ACHIEVEMENT"]], {"cats": ["TARGET"], "spans": [[5, 13, "TARGET"]]}),
    ]
    changes = suggestion_changes(rows)
    assert changes["TARGET"]["category_removed"] == 1 and changes["ACHIEVEMENT"]["category_added"] == 1
    assert changes["INITIATIVE"]["category_changed_rate"] == 0 and changes["INITIATIVE"]["spans_kept"] == 1
    assert changes["any"]["category_changed"] == 1 and changes["any"]["category_changed_rate"] == 0.5


def test_label_counts_per_document():
    counts = label_counts(FIRST, key=lambda r: r["doc"])
    assert counts["d1"]["sentences"] == 3 and counts["d1"]["unlabelled"] == 1
    assert counts["d1"]["INITIATIVE"] == {"sentences": 2, "spans": 2}
    assert counts["d2"]["ACHIEVEMENT"] == {"sentences": 1, "spans": 1}


def test_stats_and_agreement_commands(tmp_path):
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    for path, rows in ((first, FIRST), (second, SECOND)):
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    # rows without an annotator take their file's name: two passes are two annotators
    output = invoke("agreement", first, second, "-o", tmp_path / "agreement.json")
    assert "Cohen's kappa between first, second (4 sentences" in output and "0.500" in output
    output = invoke("annotations", "stats", "--gold", first, "--agreement", tmp_path / "agreement.json",
                    "--sentences", tmp_path / "none.jsonl", "--documents", tmp_path / "none.jsonl",
                    "--out", tmp_path / "stats.json")
    assert "Cohen's kappa" in output and "Per document" in output
    written = json.loads((tmp_path / "stats.json").read_text())
    assert written["all"]["sentences"] == len(first.read_text().splitlines()) and set(written["by_level"]) == {"?"}


def test_fleiss_kappa_by_hand_for_three_annotators():
    from govreport.stats import annotator_agreement, fleiss_kappa

    # yes-counts 3, 0, 2, 1 of 3 raters: P_i = 1, 1, 1/3, 1/3 -> P = 2/3; p_yes = 6/12 -> P_e = 1/2; kappa = 1/3
    ratings = [[1, 1, 1], [0, 0, 0], [1, 1, 0], [0, 0, 1]]
    assert fleiss_kappa(ratings) == pytest.approx(1 / 3)
    rows = []
    for i, item in enumerate(ratings):
        for name, says in zip("abc", item):
            spans = [[0, 2, "TARGET"]] if says else []
            rows.append({"id": f"d:{i}", "doc": "d", "text": "力争", "annotator": name,
                         "cats": ["TARGET"] if says else [], "spans": spans})
    rows.append({"id": "d:only-a", "doc": "d", "text": "力争", "annotator": "a", "cats": [], "spans": []})
    result = annotator_agreement(rows)
    assert result["measure"] == "Fleiss' kappa" and (result["compared"], result["not_compared"]) == (4, 1)
    assert result["overall"]["kappa"]["TARGET"]["kappa"] == pytest.approx(1 / 3)
    assert result["overall"]["kappa"]["INITIATIVE"]["kappa"] is None  # nobody used it: undefined, not 1.0


def test_adjudicate_keeps_single_answers_and_lists_what_it_cannot_resolve():
    from govreport.annotations import adjudicate

    row = {"doc": "d", "section": "", "text": "力争"}
    rows = [{**row, "id": "x", "annotator": "a", "cats": [], "spans": []},
            {**row, "id": "y", "annotator": "a", "cats": ["TARGET"], "spans": [[0, 2, "TARGET"]]},
            {**row, "id": "y", "annotator": "b", "cats": [], "spans": []}]
    gold, listed, counts = adjudicate(rows)
    assert [(r["id"], r["resolution"]) for r in gold] == [("x", "single")]
    assert [r["id"] for r in listed] == ["y"] and listed[0]["answers"]["a"]["cats"] == ["TARGET"]
    assert (counts["single"], counts["unresolved"]) == (1, 1)


def test_adjudicate_with_one_senior_per_document():
    """Round 2: each document had its own first-pass annotator; the second reader is nobody's senior."""
    from govreport.annotations import adjudicate

    row = {"doc": "d", "section": "", "text": "力争完成"}
    first = {"cats": ["TARGET"], "spans": [[0, 4, "TARGET"]]}
    second = {"cats": ["TARGET"], "spans": [[2, 4, "TARGET"]]}
    rows = [{**row, "id": "x", "annotator": "r2_a", **first}, {**row, "id": "x", "annotator": "second", **second},
            {**row, "id": "y", "annotator": "r2_b", **second}, {**row, "id": "y", "annotator": "second", **first}]
    gold, listed, counts = adjudicate(rows, senior=["r2_a", "r2_b"])
    assert listed == [] and counts["senior"] == 2
    assert {r["id"]: (r["annotator"], r["spans"]) for r in gold} == {"x": ("r2_a", [[0, 4, "TARGET"]]),
                                                                      "y": ("r2_b", [[2, 4, "TARGET"]])}
