"""Validation on the way in: each bad input is reported with its reason, id and line, and written to rejects."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from govreport.annotations import read_sentences, validate
from govreport.cli import app

SENTENCES = Path(__file__).parent / "fixtures" / "doccano_sentences.jsonl"
SID = "000_c7a70a9378ec9201:a7a4410f6834"
TEXT = read_sentences(SENTENCES)[SID]["text"]  # 2025年是“十四五”规划的收官之年,也是深入推进“百千万工程”的关键一年。
CLAUSE = (TEXT.index("也是"), TEXT.index("。"))  # 也是深入推进“百千万工程”的关键一年
OTHER_ID = "000_c7a70a9378ec9201:9382596f62a7"


def export_row(**changes) -> dict:
    """A valid row of a Doccano JSONL export (sentence id in the meta id), then the changes."""
    row = {"id": SID, "text": TEXT, "doc": "000_c7a70a9378ec9201", "section": "2025年工作开展情况",
           "suggested": "{}", "cats": ["INITIATIVE"], "entities": [[*CLAUSE, "INITIATIVE"]], "Comments": []}
    return {**row, **changes}


VALID_OTHER = {"id": OTHER_ID, "text": read_sentences(SENTENCES)[OTHER_ID]["text"], "cats": [], "entities": []}

BAD_INPUTS = {
    "unknown label": (export_row(cats=["GOAL"], entities=[[*CLAUSE, "GOAL"]]), SID, "unknown label 'GOAL'"),
    "span out of range": (export_row(entities=[[CLAUSE[0], 999, "INITIATIVE"]]), SID, "out of range"),
    "punctuation at an edge": (export_row(entities=[[CLAUSE[0] - 1, CLAUSE[1], "INITIATIVE"]]), SID,
                               "whitespace or punctuation at an edge"),
    "closing punctuation in the span": (export_row(entities=[[CLAUSE[0], CLAUSE[1] + 1, "INITIATIVE"]]), SID,
                                        "whitespace or punctuation at an edge"),
    "overlapping spans": (export_row(cats=["INITIATIVE", "TARGET"], entities=[
        [CLAUSE[0], CLAUSE[0] + 8, "INITIATIVE"], [CLAUSE[0] + 4, CLAUSE[1], "TARGET"]]), SID, "overlap"),
    "category without span": (export_row(cats=["INITIATIVE", "TARGET"]), SID, "category TARGET has no span"),
    "span label not among categories": (export_row(cats=[]), SID, "span label INITIATIVE is not among the categories"),
    "id matches no sentence": (export_row(id="000_c7a70a9378ec9201:ffffffffffff"), "000_c7a70a9378ec9201:ffffffffffff",
                               "matches no sentence"),
    "text differs": (export_row(text=TEXT.replace("2025", "2024")), SID, "text differs from the sentence text"),
}


def write_export(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def import_file(tmp_path: Path, export: Path, *extra: str):
    out, rejects = tmp_path / "out.jsonl", tmp_path / "rejects.jsonl"
    result = CliRunner().invoke(app, ["doccano", "import-file", str(export), "-o", str(out), "--sentences",
                                      str(SENTENCES), "--rejects", str(rejects), *extra])
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()] if out.exists() else []
    found = [json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()] if rejects.exists() else []
    return result, rows, found


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_row_is_rejected_with_reason_id_and_line(tmp_path, case):
    bad_row, bad_id, reason = BAD_INPUTS[case]
    export = write_export(tmp_path / "annotator1.jsonl",
                          [json.dumps(VALID_OTHER, ensure_ascii=False), json.dumps(bad_row, ensure_ascii=False)])
    result, rows, rejects = import_file(tmp_path, export)

    assert result.exit_code == 0, result.output
    assert [row["id"] for row in rows] == [OTHER_ID]  # the valid row goes through
    (reject,) = rejects
    assert (reject["line"], reject["id"], reject["annotator"], reject["source"]) == (2, bad_id, "annotator1",
                                                                                     "annotator1.jsonl")
    assert any(reason in r for r in reject["reasons"]), reject["reasons"]
    assert reject["row"]  # the row itself is kept for fixing
    assert f"annotator1.jsonl:2 ({bad_id})" in result.output and "1 invalid rows" in result.output


def test_malformed_json_line(tmp_path):
    export = write_export(tmp_path / "a.jsonl", [json.dumps(VALID_OTHER, ensure_ascii=False), "",
                                                 '{"id": "x", "cats": [', json.dumps(export_row(), ensure_ascii=False)])
    result, rows, rejects = import_file(tmp_path, export)
    assert sorted(row["id"] for row in rows) == sorted([OTHER_ID, SID])
    (reject,) = rejects
    assert reject["line"] == 3 and reject["id"] is None
    assert reject["reasons"][0].startswith("malformed JSON")
    assert reject["row"] == '{"id": "x", "cats": ['


def test_duplicate_id_same_annotator_rejects_both_lines(tmp_path):
    export = write_export(tmp_path / "a.jsonl", [json.dumps(export_row(), ensure_ascii=False),
                                                 json.dumps(VALID_OTHER, ensure_ascii=False),
                                                 json.dumps(export_row(), ensure_ascii=False)])
    result, rows, rejects = import_file(tmp_path, export)
    assert [row["id"] for row in rows] == [OTHER_ID]
    assert [(r["line"], r["id"]) for r in rejects] == [(1, SID), (3, SID)]
    assert all("duplicate: id" in r["reasons"][-1] and "lines 1, 3" in r["reasons"][-1] for r in rejects)


def test_same_id_from_two_annotators_is_fine():
    sentences = read_sentences(SENTENCES)
    rows = [{"id": SID, "text": TEXT, "cats": ["INITIATIVE"], "spans": [[*CLAUSE, "INITIATIVE"]], "annotator": a}
            for a in ("ann1", "ann2")]
    valid, rejects = validate(rows, sentences)
    assert (len(valid), rejects) == (2, [])


def test_strict_makes_any_reject_an_error(tmp_path):
    bad_row, _, _ = BAD_INPUTS["overlapping spans"]
    export = write_export(tmp_path / "a.jsonl", [json.dumps(bad_row, ensure_ascii=False)])
    result, _, rejects = import_file(tmp_path, export, "--strict")
    assert result.exit_code == 1
    assert "(--strict)" in result.output and "Traceback" not in result.output
    assert len(rejects) == 1  # written even when strict


def test_utf16_offsets_in_an_export_are_converted_and_checked(tmp_path):
    """Doccano counts 𤾀 as two units: an export span [2, 11] is text[1:10] in Python."""
    sentence = read_sentences(SENTENCES)["test_doc:nonbmp000001"]
    good = {"id": sentence["id"], "text": sentence["text"], "cats": ["INITIATIVE"], "entities": [[2, 11, "INITIATIVE"]]}
    # Python offsets written by mistake: the span starts inside the surrogate pair
    wrong = dict(good, entities=[[1, 10, "INITIATIVE"]])
    export = write_export(tmp_path / "a.jsonl", [json.dumps(good, ensure_ascii=False)])
    _, rows, rejects = import_file(tmp_path, export)
    assert rows[0]["spans"] == [[1, 10, "INITIATIVE"]] and sentence["text"][1:10] == "村推进人居环境整治"
    assert rejects == []
    export = write_export(tmp_path / "b.jsonl", [json.dumps(wrong, ensure_ascii=False)])
    _, rows, rejects = import_file(tmp_path, export)
    assert rows == [] and "out of range" in rejects[0]["reasons"][0]


def test_zip_export_gives_one_annotator_per_file(tmp_path):
    import zipfile

    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("alice.jsonl", json.dumps(export_row(), ensure_ascii=False) + "\n")
        zipped.writestr("bob.jsonl", json.dumps(export_row(cats=["GOAL"]), ensure_ascii=False) + "\n")
    result, rows, rejects = import_file(tmp_path, archive)
    assert [(r["id"], r["annotator"]) for r in rows] == [(SID, "alice")]
    assert [(r["source"], r["line"], r["annotator"]) for r in rejects] == [("bob.jsonl", 1, "bob")]
