"""The gold the repository ships: what users train on must be complete, valid and reproducible from
the Doccano exports it came from (issues 5 and 15). These read the committed files; no fixture.

Each round keeps its files apart (annotations/round-N/); annotations/gold.jsonl is their union."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from govreport.annotations import adjudicate, read_sentences, validate
from govreport.doccano import convert_export

from conftest import ROOT

SENTENCES = ROOT / "corpus" / "sentences.jsonl"
ANNOTATIONS = ROOT / "annotations"
# round: (accounts whose answers settle span-only differences, in order)
ROUNDS = {"round-1": ["annotator1"],
          "round-2": sorted(set(json.loads((ANNOTATIONS / "round-2" / "assignments.json").read_text()).values()))}


def lines(path):
    return path.read_text(encoding="utf-8").splitlines()


def rows_of(path):
    return [json.loads(line) for line in lines(path) if line.strip()]


def test_every_corpus_sentence_has_exactly_one_valid_gold_row():
    sentences = read_sentences(SENTENCES)
    valid, rejects = validate(lines(ANNOTATIONS / "gold.jsonl"), sentences, source="gold.jsonl")
    assert rejects == []
    counts = Counter(row["id"] for row in valid)
    assert set(counts) == set(sentences) and set(counts.values()) == {1}
    # every gold row keeps the suggestion its annotator was shown, so correction rates can be computed
    assert all(isinstance(row.get("suggested"), dict) for row in valid)


def test_the_gold_is_the_union_of_the_rounds():
    merged = rows_of(ANNOTATIONS / "gold.jsonl")
    by_round = [row for name in ROUNDS for row in rows_of(ANNOTATIONS / name / "gold.jsonl")]
    assert merged == by_round


@pytest.mark.parametrize("round_name", list(ROUNDS))
def test_pulled_export_is_valid_and_adjudicates_to_the_rounds_gold(round_name):
    sentences = read_sentences(SENTENCES)
    folder = ANNOTATIONS / round_name
    pulled, rejects = validate(lines(folder / "pulled.jsonl"), sentences, source="pulled.jsonl")
    assert rejects == []
    # the lead's rulings, else agreement, else the senior first-pass answer (scripts/record_*.sh)
    reviewed = {row["id"]: row for row in pulled if row["annotator"] == "lead"}
    gold, unresolved, counts = adjudicate([r for r in pulled if r["annotator"] != "lead"],
                                          senior=ROUNDS[round_name], reviewed=reviewed)
    assert unresolved == [] and counts["reviewer"] == len(reviewed)
    shipped = {row["id"]: row for row in rows_of(folder / "gold.jsonl")}
    assert {r["id"]: (r["cats"], r["spans"]) for r in gold} == {
        i: (r["cats"], [list(s) for s in r["spans"]]) for i, r in shipped.items()}


@pytest.mark.parametrize("round_name", list(ROUNDS))
def test_raw_doccano_export_converts_to_the_pulled_rows(round_name):
    """The raw export (one USERNAME.jsonl per annotator, as Doccano wrote it, UTF-16 offsets) converts
    to exactly the pulled rows; the only rows it has beyond them are those a later cleaning made
    obsolete, each logged in the round's migrations.jsonl."""
    folder = ANNOTATIONS / round_name
    sentences = read_sentences(SENTENCES)
    files = {path.stem: lines(path) for path in sorted((folder / "doccano_export").glob("*.jsonl"))}
    valid, rejects = convert_export(files, sentences)
    migrations = folder / "migrations.jsonl"
    migrated = {(m["row"]["annotator"], m["row"]["id"]) for m in rows_of(migrations)
                if m["file"] == f"annotations/{round_name}/pulled.jsonl"} if migrations.exists() else set()
    assert {(r["annotator"], r["id"]) for r in rejects} == migrated
    assert {(r["annotator"], r["id"]): (r["cats"], [list(s) for s in r["spans"]]) for r in valid} == {
        (r["annotator"], r["id"]): (r["cats"], [list(s) for s in r["spans"]]) for r in rows_of(folder / "pulled.jsonl")}
