"""Model in the loop against the REAL local Doccano server (fixture `doccano` in conftest.py) with two
annotator accounts: push with suggestions, each annotator answers differently through the API,
pull, then correction rates, kappa and adjudicated gold are checked against values computed by hand
(the arithmetic is written out beside each expected number)."""

from __future__ import annotations

import json
import os
import secrets

import pytest
from typer.testing import CliRunner

from govreport.annotations import adjudicate, read_sentences
from govreport.doccano import (Client, Credentials, add_annotator, annotate, convert_export, preannotate, pull,
                               push)
from govreport.stats import annotator_agreement, corrections_by_annotator

from conftest import FIXTURES, invoke

SENTENCES = FIXTURES / "doccano_sentences.jsonl"
S1, S2, S3, S4, S5 = (json.loads(line)["id"] for line in SENTENCES.read_text(encoding="utf-8").splitlines())


def span(text: str, piece: str, label: str) -> list:
    start = text.index(piece)
    return [start, start + len(piece), label]


@pytest.fixture(scope="module")
def answers():
    """Suggestion shown, annotator A's and annotator B's answers for the five fixture sentences."""
    text = {sid: s["text"] for sid, s in read_sentences(SENTENCES).items()}
    s2_init = span(text[S2], "深入推进“百千万工程”", "INITIATIVE")
    s3_a = span(text[S3], "持续推动全镇经济社会高质量发展", "INITIATIVE")
    s3_b = span(text[S3], "坚决执行镇党委的工作部署", "INITIATIVE")
    c1, c2, c3 = (span(text[S4], p, "ACHIEVEMENT") for p in ("今年1-9月工业总产值17486万元", "规模以上工业增加值2304.60万元",
                                                           "同比增长8.80%"))
    s5_init, s5_ach = [1, 10, "INITIATIVE"], [11, 19, "ACHIEVEMENT"]
    suggested = {S1: [], S2: [s2_init], S3: [], S4: [c1, c2, c3], S5: [s5_init]}
    a = {S1: [], S2: [], S3: [s3_a], S4: [c1, c2, c3], S5: [s5_init, s5_ach]}
    b = {S1: [], S2: [], S3: [s3_b], S4: [c1, c3], S5: [s5_ach]}

    def rows(spans_by_id, key="spans"):
        return {sid: {"id": sid, "cats": sorted({s[2] for s in spans}), key: spans} for sid, spans in spans_by_id.items()}
    return rows(suggested), rows(a), rows(b)


def login(url: str, username: str, password: str) -> Client:
    return Client(Credentials(url, username, password))


def test_two_annotators_correction_rate_kappa_and_adjudication(doccano, answers, tmp_path):
    suggested, answers_a, answers_b = answers
    sentences = read_sentences(SENTENCES)
    admin = Client(doccano)
    push(admin, "two-annotators", sentences.values(),
         suggestions={sid: {"cats": s["cats"], "spans": s["spans"]} for sid, s in suggested.items()})

    # Two annotator accounts, created and added by the admin through the CLI (password from the environment).
    passwords = {}
    for name in ("ann_a", "ann_b"):
        passwords[name] = secrets.token_urlsafe(12)
        os.environ["DOCCANO_NEW_USER_PASSWORD"] = passwords[name]
        try:
            output = invoke("doccano", "add-user", name, "--project", "two-annotators")
        finally:
            del os.environ["DOCCANO_NEW_USER_PASSWORD"]
        assert f"user '{name}' created" in output and passwords[name] not in output
    assert add_annotator(admin, "two-annotators", "ann_a", passwords["ann_a"]) == (False, False)  # idempotent

    # Each annotator logs in with their own account: the suggestion appears pre-filled, they correct it.
    client_a = login(doccano.url, "ann_a", passwords["ann_a"])
    assert preannotate(client_a, "two-annotators") == (3, 2)  # S2, S4, S5 have a suggestion; S1, S3 have none
    # Doccano now holds the suggestion as A's own (not yet done) answer; a pull of done work does not see it.
    shown, _ = convert_export(pull(admin, "two-annotators", only_confirmed=False), sentences)
    prefilled = {r["id"]: (r["cats"], sorted(r["spans"])) for r in shown if r["annotator"] == "ann_a" and r["cats"]}
    assert prefilled == {sid: (suggested[sid]["cats"], sorted(suggested[sid]["spans"])) for sid in (S2, S4, S5)}
    done, _ = convert_export(pull(admin, "two-annotators"), sentences)
    assert not [r for r in done if r["annotator"] == "ann_a"]
    assert annotate(client_a, "two-annotators", list(answers_a.values())) == (5, [])
    client_b = login(doccano.url, "ann_b", passwords["ann_b"])
    assert annotate(client_b, "two-annotators", list(answers_b.values())) == (5, [])

    # The admin pulls: one file per annotator, each answer beside the suggestion it corrected.
    out = tmp_path / "pulled.jsonl"
    invoke("doccano", "pull", "--project", "two-annotators", "-o", out, "--sentences", SENTENCES,
           "--rejects", tmp_path / "rejects.jsonl", "--strict")
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted({r["annotator"] for r in rows}) == ["ann_a", "ann_b"] and len(rows) == 10
    for row in rows:
        expected = (answers_a if row["annotator"] == "ann_a" else answers_b)[row["id"]]
        assert (row["cats"], sorted(row["spans"])) == (expected["cats"], sorted(expected["spans"]))

    # Correction rates, by hand. Suggested INITIATIVE in S2, S5; ACHIEVEMENT in S4 (3 spans), 5 sentences.
    corrections = json.loads((tmp_path / "pulled.corrections.json").read_text())
    assert corrections == corrections_by_annotator(rows)
    a, b = corrections["ann_a"], corrections["ann_b"]
    # A: INITIATIVE added in S3, removed in S2 -> 2/5; spans suggested 2, final 2, kept 1 (S5) -> 1 - 2*1/4
    assert (a["INITIATIVE"]["category_added"], a["INITIATIVE"]["category_removed"]) == (1, 1)
    assert a["INITIATIVE"]["category_changed_rate"] == pytest.approx(2 / 5)
    assert a["INITIATIVE"]["span_changed_rate"] == pytest.approx(0.5)
    # A: ACHIEVEMENT added in S5 -> 1/5; spans suggested 3, final 4, kept 3 -> 1 - 6/7
    assert a["ACHIEVEMENT"]["category_changed_rate"] == pytest.approx(1 / 5)
    assert a["ACHIEVEMENT"]["span_changed_rate"] == pytest.approx(1 / 7)
    # A changed the category set of S2, S3, S5 -> 3/5
    assert a["any"]["category_changed_rate"] == pytest.approx(3 / 5)
    # B: INITIATIVE added in S3, removed in S2 and S5 -> 3/5; spans suggested 2, final 1, kept 0 -> 1
    assert b["INITIATIVE"]["category_changed_rate"] == pytest.approx(3 / 5)
    assert b["INITIATIVE"]["span_changed_rate"] == pytest.approx(1.0)
    # B: ACHIEVEMENT added in S5 -> 1/5; spans suggested 3, final 3 (c1, c3, S5), kept 2 -> 1 - 4/6
    assert b["ACHIEVEMENT"]["span_changed_rate"] == pytest.approx(1 / 3)
    assert a["TARGET"]["category_changed_rate"] == b["PROBLEM"]["category_changed_rate"] == 0
    stats_output = invoke("annotations", "stats", "--gold", out, "--sentences", SENTENCES,
                          "--agreement", tmp_path / "none.json", "--out", tmp_path / "stats.json")
    assert "ann_a" in stats_output and "ann_b" in stats_output and "60.0%" in stats_output

    # Agreement, by hand. INITIATIVE: A = 0,0,1,0,1  B = 0,0,1,0,0 -> p_o = 4/5, p_e = .4*.2 + .6*.8 = .56,
    # kappa = (.8 - .56) / (1 - .56) = 6/11. ACHIEVEMENT: A = B = 0,0,0,1,1 -> 1. TARGET, PROBLEM unused -> n/a.
    result = annotator_agreement(rows)
    overall = result["overall"]
    assert (result["measure"], result["compared"], result["not_compared"]) == ("Cohen's kappa", 5, 0)
    assert overall["kappa"]["INITIATIVE"]["kappa"] == pytest.approx(6 / 11)
    assert overall["kappa"]["ACHIEVEMENT"]["kappa"] == pytest.approx(1.0)
    assert overall["kappa"]["TARGET"]["kappa"] is None
    # Spans: A has 6 (S3, c1, c2, c3, S5 x2), B has 4 (S3', c1, c3, S5 ach), 3 the same -> P 3/4, R 3/6, F1 0.6
    assert overall["span_f1"]["exact"] == pytest.approx(0.6)
    assert overall["identical_answers"] == pytest.approx(2 / 5)  # S1 and S2
    assert {doc: block["sentences"] for doc, block in result["per_document"].items()} == {
        "000_c7a70a9378ec9201": 4, "test_doc": 1}
    output = invoke("agreement", out, "-o", tmp_path / "agreement.json")
    assert "Cohen's kappa between ann_a, ann_b" in output and "0.545" in output

    # Adjudication: S1, S2 agreed; S3, S4, S5 disagree.
    gold, listed, counts = adjudicate(rows, senior="ann_a")
    assert (counts["agreed"], counts["senior"], counts["unresolved"]) == (2, 3, 0)
    assert {r["id"]: (r["cats"], r["spans"]) for r in gold} == {
        sid: (x["cats"], sorted(x["spans"])) for sid, x in answers_a.items()}
    reviewed = tmp_path / "reviewed.jsonl"
    [b_s3] = [r for r in rows if r["id"] == S3 and r["annotator"] == "ann_b"]
    reviewed.write_text(json.dumps({**b_s3, "annotator": "lead"}, ensure_ascii=False) + "\n")  # the reviewer sides with B
    gold_out, disagreements = tmp_path / "gold.jsonl", tmp_path / "disagreements.jsonl"
    output = invoke("adjudicate", out, "-o", gold_out, "--reviewed", reviewed, "--disagreements", disagreements)
    assert "agreed 2, single 0, reviewer 1, senior 0, unresolved 2" in output
    gold = {r["id"]: r for r in map(json.loads, gold_out.read_text().splitlines())}
    assert sorted(gold) == sorted([S1, S2, S3]) and gold[S3]["spans"] == answers_b[S3]["spans"]
    assert sorted(r["id"] for r in map(json.loads, disagreements.read_text().splitlines())) == sorted([S4, S5])


def test_push_with_model_suggestions_in_uncertainty_order(doccano, tiny_pipeline, tmp_path):
    import spacy

    from govreport.predict import model_suggestions

    sentences = read_sentences(SENTENCES)
    invoke("doccano", "push", "--project", "model-suggests", "--sentences", SENTENCES, "--suggest", tiny_pipeline,
           "--order", "uncertain")
    expected = model_suggestions(sentences.values(), spacy.load(tiny_pipeline), source="x")
    admin = Client(doccano)
    examples = sorted(admin.api.list_examples(admin.project("model-suggests")["id"]), key=lambda e: e.id)
    # Doccano shows examples in upload order: the smallest margin (least sure) first.
    margins = [expected[e.meta["id"]]["margin"] for e in examples]
    assert margins == sorted(margins) and len(examples) == len(sentences)
    for example in examples:
        recorded = json.loads(example.meta["suggested"])
        assert recorded["source"].startswith("model:")
        assert (recorded["cats"], recorded["spans"]) == (expected[example.meta["id"]]["cats"],
                                                         expected[example.meta["id"]]["spans"])
        assert set(recorded["cats"]) >= {label for *_, label in recorded["spans"]}
    assert any(json.loads(e.meta["suggested"])["cats"] for e in examples)  # the model does suggest something

    from govreport.cli import app

    result = CliRunner().invoke(app, ["doccano", "push", "--project", "x", "--sentences", str(SENTENCES),
                                      "--order", "uncertain"])
    assert result.exit_code == 1 and "--suggest MODEL" in result.output


def test_retrain_shows_old_and_new_model(tiny_pipeline, tmp_path):
    output = invoke("retrain", "--annotations", FIXTURES / "annotations_tiny.jsonl", "--old", tiny_pipeline,
                    "--split", FIXTURES / "split_tiny.json", "--output", tmp_path / "retrain",
                    "--out", tmp_path / "retrain.json", "--training.max_steps", "50", "--training.eval_frequency", "25")
    figures = json.loads((tmp_path / "retrain.json").read_text())
    old, new = figures["test"].values()
    assert "macro-F1 on test: old" in output
    for result in (old, new):
        assert set(result["cats"]["per_label"]) == {"INITIATIVE", "TARGET", "ACHIEVEMENT", "PROBLEM"}
    meta = json.loads((tmp_path / "retrain" / "model" / "model-best" / "meta.json").read_text())
    assert set(meta["govreport"]["thresholds"]) == {"INITIATIVE", "TARGET", "ACHIEVEMENT", "PROBLEM"}
