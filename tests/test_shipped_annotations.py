"""The gold the repository ships: what users train on must be complete, valid and reproducible from
the Doccano export it came from (issue 5). These read the committed files; no fixture."""

from __future__ import annotations

import json
from collections import Counter

from govreport.annotations import adjudicate, read_sentences, validate

from conftest import ROOT

SENTENCES = ROOT / "corpus" / "sentences.jsonl"
ANNOTATIONS = ROOT / "annotations"


def lines(path):
    return path.read_text(encoding="utf-8").splitlines()


def test_every_corpus_sentence_has_exactly_one_valid_gold_row():
    sentences = read_sentences(SENTENCES)
    valid, rejects = validate(lines(ANNOTATIONS / "gold.jsonl"), sentences, source="gold.jsonl")
    assert rejects == []
    counts = Counter(row["id"] for row in valid)
    assert set(counts) == set(sentences) and set(counts.values()) == {1}
    # every gold row keeps the suggestion its annotator was shown, so correction rates can be computed
    assert all(isinstance(row.get("suggested"), dict) for row in valid)


def test_pulled_export_is_valid_and_adjudicates_to_the_shipped_gold():
    sentences = read_sentences(SENTENCES)
    pulled, rejects = validate(lines(ANNOTATIONS / "pulled.jsonl"), sentences, source="pulled.jsonl")
    assert rejects == []
    assert {"annotator1", "annotator2", "annotator3", "lead"} <= {row["annotator"] for row in pulled}
    # the same rule scripts/record_gold.sh applies: the lead's rulings, else agreement, else annotator1
    reviewed = {row["id"]: row for row in pulled if row["annotator"] == "lead"}
    gold, unresolved, counts = adjudicate([r for r in pulled if r["annotator"] != "lead"], senior="annotator1",
                                          reviewed=reviewed)
    assert unresolved == [] and counts["reviewer"] == len(reviewed)
    shipped = {row["id"]: row for row in map(json.loads, lines(ANNOTATIONS / "gold.jsonl"))}
    assert {r["id"]: (r["cats"], r["spans"]) for r in gold} == {
        i: (r["cats"], [list(s) for s in r["spans"]]) for i, r in shipped.items()}


def test_raw_doccano_export_converts_to_the_pulled_rows():
    """The raw export (one USERNAME.jsonl per annotator, as Doccano wrote it, UTF-16 offsets) converts
    to exactly the pulled rows; the only rows it has beyond them are those a later cleaning made
    obsolete, each logged in annotations/migrations.jsonl."""
    from govreport.doccano import convert_export

    sentences = read_sentences(SENTENCES)
    files = {path.stem: lines(path) for path in sorted((ANNOTATIONS / "doccano_export").glob("*.jsonl"))}
    valid, rejects = convert_export(files, sentences)
    migrated = {(m["row"]["annotator"], m["row"]["id"]) for m in map(json.loads, lines(ANNOTATIONS / "migrations.jsonl"))
                if m["file"] == "annotations/pulled.jsonl"}
    assert {(r["annotator"], r["id"]) for r in rejects} == migrated
    pulled = [json.loads(line) for line in lines(ANNOTATIONS / "pulled.jsonl")]
    assert {(r["annotator"], r["id"]): (r["cats"], [list(s) for s in r["spans"]]) for r in valid} == {
        (r["annotator"], r["id"]): (r["cats"], [list(s) for s in r["spans"]]) for r in pulled}
