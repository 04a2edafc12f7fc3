"""Against a REAL Doccano 1.8.4 server started by `govreport.doccano_server` on 127.0.0.1 (no mocks).

The first run installs Doccano into /work/main/.doccano/venv (about a minute); later runs reuse it.
If the server cannot start, the fixture raises: every test here errors, none is skipped.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from govreport.annotations import read_sentences
from govreport.doccano import (Client, Credentials, DoccanoError, annotate, convert_export, export_lines_to_rows,
                               import_file_rows, pull, push, python_offset, read_export,
                               utf16_offset)
from govreport.suggest import suggest

from conftest import free_port

ROOT = Path(__file__).resolve().parents[1]
SENTENCES = Path(__file__).parent / "fixtures" / "doccano_sentences.jsonl"
NON_BMP_ID = "test_doc:nonbmp000001"


@pytest.fixture(scope="session")
def sentences() -> dict[str, dict]:
    return read_sentences(SENTENCES)


def gold_answers(sentences: dict[str, dict]) -> list[dict]:
    """Answers an annotator might give: the suggestion, changed for some sentences."""
    answers = []
    for sentence_id, sentence in sentences.items():
        answer = suggest(sentence["text"], sentence["section"])
        if sentence_id == NON_BMP_ID:  # spans after the non-BMP character: offsets differ in UTF-16
            answer = {"cats": ["ACHIEVEMENT", "INITIATIVE"],
                      "spans": [[1, 10, "INITIATIVE"], [11, 19, "ACHIEVEMENT"]]}
        answers.append({"id": sentence_id, **answer})
    answers[0] = {"id": answers[0]["id"], "cats": [], "spans": []}  # "no label" is an answer too
    return answers


def test_push_annotate_pull_round_trip(doccano, sentences):
    client = Client(doccano)
    result = push(client, "round-trip", sentences.values())
    assert (result.uploaded, result.already_there) == (len(sentences), 0)

    answers = gold_answers(sentences)
    written, rejects = annotate(client, "round-trip", answers)
    assert (written, rejects) == (len(answers), [])

    files = pull(client, "round-trip")
    assert list(files) == [doccano.username]
    rows, rejects = convert_export(files, sentences)
    assert rejects == []
    by_id = {row["id"]: row for row in rows}
    assert sorted(by_id) == sorted(sentences)
    for answer in answers:
        row, sentence = by_id[answer["id"]], sentences[answer["id"]]
        assert row["text"] == sentence["text"]
        assert sorted(row["cats"]) == sorted(answer["cats"])
        assert sorted(row["spans"]) == sorted(answer["spans"])
        assert (row["doc"], row["section"], row["annotator"]) == (sentence["doc"], sentence["section"], doccano.username)
        assert row["suggested"] == suggest(sentence["text"], sentence["section"])
        for start, end, label in row["spans"]:
            assert sentence["text"][start:end]


def test_non_bmp_offsets_are_utf16_in_doccano_and_python_in_rows(doccano, sentences):
    client = Client(doccano)
    push(client, "non-bmp", [sentences[NON_BMP_ID]])
    answer = {"id": NON_BMP_ID, "cats": ["INITIATIVE"], "spans": [[1, 10, "INITIATIVE"]]}
    assert annotate(client, "non-bmp", [answer]) == (1, [])

    files = pull(client, "non-bmp")
    raw = json.loads(files[doccano.username][0])
    text = sentences[NON_BMP_ID]["text"]
    assert raw["entities"] == [[2, 11, "INITIATIVE"]]  # Doccano's own offsets: 𤾀 is two UTF-16 units
    (row,) = export_lines_to_rows(files[doccano.username], doccano.username)
    assert row["spans"] == [[1, 10, "INITIATIVE"]]
    assert text[1:10] == "村推进人居环境整治"


def test_push_twice_and_resume_do_not_duplicate(doccano, sentences):
    client = Client(doccano)
    rows = list(sentences.values())
    first = push(client, "resume", rows[:2])  # an interrupted push: the first batch made it
    assert (first.created_project, first.uploaded) == (True, 2)
    second = push(client, "resume", rows, batch_size=2)
    assert (second.created_project, second.uploaded, second.already_there) == (False, len(rows) - 2, 2)
    third = push(client, "resume", rows)
    assert (third.uploaded, third.already_there) == (0, len(rows))
    examples = list(client.api.list_examples(third.project_id))
    assert sorted(e.meta["id"] for e in examples) == sorted(sentences)


def test_project_has_labels_and_guideline(doccano, sentences):
    from govreport.labels import LABELS

    client = Client(doccano)
    result = push(client, "labels", list(sentences.values())[:1])
    project = client.project("labels")
    assert project["guideline"] == (ROOT / "docs" / "ANNOTATION_GUIDELINES.md").read_text(encoding="utf-8").strip()
    for kind in ("category", "span"):
        types = {t.text: t for t in client.api.list_label_types(result.project_id, kind)}
        assert sorted(types) == sorted(label.name for label in LABELS)
        for label in LABELS:
            assert (types[label.name].background_color, types[label.name].suffix_key) == (label.colour,
                                                                                          label.shortcut)


def test_annotate_again_replaces_the_answer(doccano, sentences):
    client = Client(doccano)
    sentence_id = NON_BMP_ID
    push(client, "replace", [sentences[sentence_id]])
    annotate(client, "replace", [{"id": sentence_id, "cats": ["INITIATIVE"], "spans": [[1, 10, "INITIATIVE"]]}])
    annotate(client, "replace", [{"id": sentence_id, "cats": ["ACHIEVEMENT"], "spans": [[11, 19, "ACHIEVEMENT"]]}])
    rows, _ = convert_export(pull(client, "replace"), sentences)
    assert [(r["cats"], r["spans"]) for r in rows] == [(["ACHIEVEMENT"], [[11, 19, "ACHIEVEMENT"]])]


def test_cli_push_annotate_pull(doccano, sentences, tmp_path):
    from govreport.cli import app

    runner = CliRunner()
    # The pre-annotation recorded for each example is the one the annotator was shown (--suggestions).
    shown = {sid: {"cats": ["TARGET"], "spans": [[0, 1, "TARGET"]]} for sid in sentences}
    suggestions = tmp_path / "suggestions.jsonl"
    suggestions.write_text("".join(json.dumps({"id": sid, "suggested": s}) + "\n" for sid, s in shown.items()))
    result = runner.invoke(app, ["doccano", "push", "--project", "cli", "--sentences", str(SENTENCES),
                                 "--suggestions", str(suggestions)])
    assert result.exit_code == 0, result.output
    assert f"uploaded {len(sentences)}, already there 0" in result.output
    result = runner.invoke(app, ["doccano", "push", "--project", "cli", "--sentences", str(SENTENCES)])
    assert f"uploaded 0, already there {len(sentences)}" in result.output

    answers = tmp_path / "answers.jsonl"
    bad = {"id": "no-such-sentence", "cats": [], "spans": []}
    answers.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in gold_answers(sentences) + [bad]) + "\n")
    rejects = tmp_path / "rejects.jsonl"
    result = runner.invoke(app, ["doccano", "annotate", str(answers), "--project", "cli", "--rejects", str(rejects)])
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["line"] for line in rejects.read_text().splitlines()] == [len(sentences) + 1]

    out = tmp_path / "pulled.jsonl"
    result = runner.invoke(app, ["doccano", "pull", "--project", "cli", "-o", str(out), "--sentences", str(SENTENCES),
                                 "--rejects", str(tmp_path / "pull_rejects.jsonl"), "--export-dir", str(tmp_path / "raw")])
    assert result.exit_code == 0, result.output
    pulled = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(r["id"] for r in pulled) == sorted(sentences)
    assert all(r["suggested"] == shown[r["id"]] for r in pulled)
    [raw_export] = list((tmp_path / "raw").glob("*.jsonl"))  # the export as Doccano wrote it, one per annotator
    assert len(raw_export.read_text().splitlines()) == len(sentences)
    [dated] = list((tmp_path / "raw" / "cli").glob("cli-*T*Z.zip"))  # every pull keeps its raw export, dated
    assert read_export(dated.read_bytes(), dated.name)[doccano.username] == raw_export.read_text().splitlines()
    assert doccano.password not in result.output


def test_import_file_and_export_file_round_trip(doccano, sentences, tmp_path):
    """export-file rows (UTF-16 entities) read back by import-file give the Python offsets again."""
    from govreport.cli import app

    answers = [dict(a, annotator="ann") for a in gold_answers(sentences)]
    rows = import_file_rows(sentences.values(), answers)
    text = sentences[NON_BMP_ID]["text"]
    (non_bmp,) = [r for r in rows if r["id"] == NON_BMP_ID]
    assert non_bmp["entities"] == [[utf16_offset(text, 1), utf16_offset(text, 10), "INITIATIVE"],
                                   [utf16_offset(text, 11), utf16_offset(text, 19), "ACHIEVEMENT"]]
    export = tmp_path / "ann.jsonl"
    export.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    out = tmp_path / "imported.jsonl"
    result = CliRunner().invoke(app, ["doccano", "import-file", str(export), "-o", str(out), "--sentences",
                                      str(SENTENCES), "--rejects", str(tmp_path / "rejects.jsonl"), "--strict"])
    assert result.exit_code == 0, result.output
    imported = {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    for answer in answers:
        assert imported[answer["id"]]["spans"] == answer["spans"]
        assert imported[answer["id"]]["annotator"] == "ann"
    assert python_offset(text, 2) == 1 and python_offset(text, 1) == -1  # inside the surrogate pair


def test_wrong_password_is_one_clear_line(doccano):
    from govreport.cli import app

    with pytest.raises(DoccanoError, match="refused the login"):
        Client(Credentials(doccano.url, doccano.username, "wrong-" + doccano.password))
    os.environ["DOCCANO_PASSWORD"] = "wrong-password"
    try:
        result = CliRunner().invoke(app, ["doccano", "pull", "--project", "x", "-o", "/dev/null",
                                          "--sentences", str(SENTENCES)])
    finally:
        os.environ["DOCCANO_PASSWORD"] = doccano.password
    assert result.exit_code == 1
    assert "refused the login" in result.output and "DOCCANO_PASSWORD" in result.output
    assert "Traceback" not in result.output and "wrong-password" not in result.output


def test_missing_project_is_one_clear_line(doccano):
    with pytest.raises(DoccanoError, match="no project named 'absent'.*govreport doccano push"):
        pull(Client(doccano), "absent")


def test_server_down_is_one_clear_line(doccano):
    from govreport.cli import app

    down = Credentials(f"http://127.0.0.1:{free_port()}", doccano.username, doccano.password)
    with pytest.raises(DoccanoError, match="cannot reach Doccano.*govreport doccano serve"):
        Client(down, retries=1, backoff=0.05)
    os.environ["DOCCANO_URL"] = down.url
    try:
        result = CliRunner().invoke(app, ["doccano", "push", "--project", "x", "--sentences", str(SENTENCES)])
    finally:
        os.environ["DOCCANO_URL"] = doccano.url
    assert result.exit_code == 1
    assert "cannot reach Doccano" in result.output and "Traceback" not in result.output
