"""Faults, backups and security against REAL local Doccano servers (127.0.0.1, started here, stopped at the end).

The server is killed (SIGKILL to its process groups: a crash, not a shutdown) in the middle of a push
and in the middle of annotation, restarted, and the work resumed: every example must be there exactly
once and every answer the server acknowledged must be there. A backup restored into a fresh server must
pull exactly what the old one pulled. Annotators see only their projects; no password shows in the
process list or in any file the tool writes. Bounded: 120 sentences, two restarts, two servers.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from govreport.doccano import Client, Credentials, DoccanoError, add_annotator, annotate, pull, push
from govreport.doccano_backup import BackupError, restore
from govreport.doccano_server import Server, read_pid, serve, start, stop

from conftest import free_port

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".doccano" / "venv"
PROJECT = "faults"
ANNOTATOR = "ann_fault"
ROWS = 120
TEXTS = ("坚持稳中求进工作总基调", "全年地区生产总值增长百分之六", "新建农村公路八十公里", "部分企业经营困难")


def sentences() -> list[dict]:
    return [{"id": f"fault:{n:04d}", "doc": f"doc{n // 40}", "section": "", "text": f"{TEXTS[n % 4]}第{n}项"}
            for n in range(ROWS)]


def answers() -> list[dict]:
    rows = []
    for n, sentence in enumerate(sentences()):
        label = ("INITIATIVE", "TARGET", "ACHIEVEMENT", "PROBLEM")[n % 4]
        end = len(TEXTS[n % 4])
        rows.append({"id": sentence["id"], "cats": [label], "spans": [[0, end, label]]} if n % 5 else
                    {"id": sentence["id"], "cats": [], "spans": []})
    return rows


def crash(server: Server) -> None:
    """SIGKILL both process groups this test started (webserver with its gunicorn workers, task worker)."""
    for name in ("webserver", "worker"):
        pid = read_pid(server.pid_file(name))
        if pid:
            os.killpg(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while any(read_pid(server.pid_file(n)) for n in ("webserver", "worker")) and time.monotonic() < deadline:
        time.sleep(0.1)


class Team:
    def __init__(self, server: Server, admin: Credentials, annotator: Credentials):
        self.server, self.admin, self.annotator = server, admin, annotator


@pytest.fixture(scope="module")
def team(tmp_path_factory):
    server = Server.at(tmp_path_factory.mktemp("faults_home"), VENV, free_port())
    admin = Credentials(server.url, "lead_" + secrets.token_hex(3), secrets.token_urlsafe(16))
    annotator = Credentials(server.url, ANNOTATOR, secrets.token_urlsafe(16))
    try:
        serve(server, admin.username, admin.password, log=lambda message: None)
        yield Team(server, admin, annotator)
    finally:
        stop(server)


def by_annotator(files: dict[str, list[str]]) -> dict[str, list[dict]]:
    return {name: sorted((json.loads(line) for line in lines if line.strip()), key=lambda r: r["id"])
            for name, lines in files.items()}


def test_killed_in_the_middle_of_a_push_resumes_with_every_example_once(team):
    client = Client(team.admin, retries=1, backoff=0.2)
    uploaded, errors = [], []

    def killer():
        while sum(uploaded) < 30:  # three batches acknowledged, the fourth on its way
            time.sleep(0.05)
        time.sleep(0.3)
        crash(team.server)

    thread = threading.Thread(target=killer)
    thread.start()
    try:
        push(client, PROJECT, sentences(), batch_size=10, on_batch=uploaded.append)
    except DoccanoError as err:
        errors.append(str(err))
    thread.join(timeout=60)
    assert errors and "Doccano" in errors[0], "the push should have failed when the server died"
    assert 30 <= sum(uploaded) < ROWS

    # resume, and crash the server again in the middle of the resumed push; this time it comes back by
    # itself while push waits: push asks what arrived, uploads the rest and needs no rerun
    assert start(team.server) is True
    resumed_batches, crashed_at = [], []

    def crash_and_restart():
        while sum(resumed_batches) < 20:
            time.sleep(0.05)
        time.sleep(0.3)
        crash(team.server)
        crashed_at.append(time.monotonic())
        start(team.server)

    thread = threading.Thread(target=crash_and_restart)
    thread.start()
    resumed = push(Client(team.admin, retries=6, backoff=1.0), PROJECT, sentences(), batch_size=10,
                   on_batch=resumed_batches.append)
    returned_at = time.monotonic()
    thread.join(timeout=120)
    assert crashed_at and crashed_at[0] < returned_at, "the second crash must fall inside the resumed push"
    assert resumed.created_project is False and resumed.duplicates is None
    assert resumed.already_there >= sum(uploaded)  # every acknowledged batch was kept
    time.sleep(3)  # give a task the old worker left in the queue time to run, should it be replayed
    examples = list(Client(team.admin).api.list_examples(resumed.project_id))
    counts = Counter(e.meta["id"] for e in examples)
    assert sorted(counts) == sorted(s["id"] for s in sentences())
    assert [sid for sid, n in counts.items() if n != 1] == []


def test_killed_in_the_middle_of_annotation_keeps_every_acknowledged_answer(team):
    admin = Client(team.admin)
    password = team.annotator.password
    add_annotator(admin, PROJECT, ANNOTATOR, password)
    client = Client(team.annotator, retries=1, backoff=0.2)
    acknowledged, errors = [], []

    def killer():
        while len(acknowledged) < 30:
            time.sleep(0.02)
        crash(team.server)

    thread = threading.Thread(target=killer)
    thread.start()
    try:
        annotate(client, PROJECT, answers(), on_written=acknowledged.append)
    except DoccanoError as err:
        errors.append(str(err))
    thread.join(timeout=60)
    assert errors, "annotation should have failed when the server died"
    assert 30 <= len(acknowledged) < ROWS

    assert start(team.server) is True
    expected = {a["id"]: a for a in answers()}
    client = Client(team.annotator)
    admin = Client(team.admin)
    pulled = by_annotator(pull(admin, PROJECT))[ANNOTATOR]  # exporting needs a project admin
    present = {row["id"]: row for row in pulled}
    for sentence_id in acknowledged:  # acknowledged = written and marked done
        assert sorted(present[sentence_id]["cats"]) == expected[sentence_id]["cats"]
        assert present[sentence_id]["entities"] == expected[sentence_id]["spans"]  # BMP text: same offsets

    # run it again, whole: every answer exactly once, every example done, nothing doubled or undone
    assert annotate(client, PROJECT, answers()) == (ROWS, [])
    pulled = by_annotator(pull(Client(team.admin), PROJECT))[ANNOTATOR]
    assert [row["id"] for row in pulled] == sorted(expected)
    for row in pulled:
        assert (row["cats"], row["entities"]) == (expected[row["id"]]["cats"], expected[row["id"]]["spans"])


def test_backup_restore_into_a_fresh_server_pulls_the_same(team, tmp_path, monkeypatch):
    admin = Client(team.admin)
    push(admin, "secret", sentences()[:2])  # a second project the annotator is no member of
    before = {project: by_annotator(pull(admin, project, only_confirmed=False)) for project in (PROJECT, "secret")}
    done_before = Client(team.annotator).confirmed_example_ids(admin.project(PROJECT)["id"])

    from govreport.cli import app

    for key, value in (("DOCCANO_URL", team.admin.url), ("DOCCANO_USERNAME", team.admin.username),
                       ("DOCCANO_PASSWORD", team.admin.password)):
        monkeypatch.setenv(key, value)
    result = CliRunner().invoke(app, ["doccano", "backup", str(tmp_path / "backup"), "--home", str(team.server.home)])
    assert result.exit_code == 0, result.output
    assert f"{PROJECT}: {ROWS} examples" in result.output and f"{ROWS} done" in result.output
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["counts"]["projects"][PROJECT]["done"] == ROWS
    assert sorted(manifest["files"]) == ["db.sqlite3", "projects/0001-faults.zip", "projects/0002-secret.zip"]
    assert oct((tmp_path / "backup").stat().st_mode)[-3:] == "700"
    again = CliRunner().invoke(app, ["doccano", "backup", str(tmp_path / "backup"), "--home", str(team.server.home)])
    assert again.exit_code == 1 and "not empty" in again.output  # never over an earlier backup

    fresh = Server.at(tmp_path / "fresh_home", VENV, free_port())
    result = CliRunner().invoke(app, ["doccano", "restore", str(tmp_path / "backup"), "--home", str(fresh.home)])
    assert result.exit_code == 0, result.output
    try:
        serve(fresh, team.admin.username, team.admin.password, log=lambda message: None)
        new_admin = Client(Credentials(fresh.url, team.admin.username, team.admin.password))
        after = {project: by_annotator(pull(new_admin, project, only_confirmed=False))
                 for project in (PROJECT, "secret")}
        assert after == before
        annotator = Client(Credentials(fresh.url, ANNOTATOR, team.annotator.password))  # same account, same password
        project = new_admin.project(PROJECT)
        assert annotator.confirmed_example_ids(project["id"]) == done_before
        old_project = admin.project(PROJECT)
        assert project["guideline"] == old_project["guideline"]
        for kind in ("category", "span"):
            assert new_admin.label_ids(project["id"], kind).keys() == admin.label_ids(old_project["id"], kind).keys()
        members = sorted(m.username for m in new_admin.api.list_members(project["id"]))
        assert members == sorted([team.admin.username, ANNOTATOR])
    finally:
        stop(fresh)
    with pytest.raises(BackupError, match="fresh --home"):
        restore(tmp_path / "backup", fresh)  # never over an existing database


def test_annotator_sees_only_their_projects(team):
    admin = Client(team.admin)
    push(admin, "secret", sentences()[:2])
    annotator = Client(team.annotator)
    assert sorted(p.name for p in annotator.api.list_projects()) == [PROJECT]
    secret_id = admin.project("secret")["id"]
    with pytest.raises(DoccanoError, match="HTTP 403"):
        annotator.call(lambda: list(annotator.api.list_examples(secret_id)), what="list examples")
    with pytest.raises(DoccanoError, match="HTTP 403"):
        annotator.export_zip(secret_id, only_confirmed=False)


def test_no_password_in_the_process_list_or_in_files(team, tmp_path, tmp_path_factory, monkeypatch):
    from govreport.cli import app

    passwords = [team.admin.password.encode(), team.annotator.password.encode()]
    sentences_file = tmp_path / "sentences.jsonl"
    sentences_file.write_text("".join(json.dumps(s, ensure_ascii=False) + "\n" for s in sentences()), encoding="utf-8")
    for key, value in (("DOCCANO_URL", team.admin.url), ("DOCCANO_USERNAME", team.admin.username),
                       ("DOCCANO_PASSWORD", team.admin.password)):
        monkeypatch.setenv(key, value)
    result = CliRunner().invoke(app, ["doccano", "pull", "--project", PROJECT, "-o", str(tmp_path / "rows.jsonl"),
                                      "--sentences", str(sentences_file), "--rejects", str(tmp_path / "rejects.jsonl")])
    assert result.exit_code == 0, result.output
    assert list((tmp_path / "doccano-exports" / PROJECT).glob("*.zip"))  # the dated raw export
    listing = subprocess.run(["ps", "-eo", "args"], capture_output=True, check=True).stdout
    assert not any(p in listing for p in passwords)
    for name in ("webserver", "worker"):
        environ = Path(f"/proc/{read_pid(team.server.pid_file(name))}/environ").read_bytes()
        assert not any(p in environ for p in passwords), f"the {name}'s environment holds a password"
    # everything this module wrote: server homes and logs, the backup, the restored server, rows, kept exports
    written = [path for path in tmp_path_factory.getbasetemp().rglob("*") if path.is_file()]
    assert any(path.name == "manifest.json" for path in written) and any(p.name == "webserver.log" for p in written)
    for path in written:
        data = path.read_bytes()
        assert not any(p in data for p in passwords), f"{path} holds a password"


def test_serve_refuses_weak_passwords_and_warns_beyond_localhost(tmp_path, monkeypatch):
    from govreport.cli import app

    monkeypatch.setenv("DOCCANO_USERNAME", "admin")
    for weak in ("admin", "password123", "changeme", "admin-admin-admin", "x" * 20):
        monkeypatch.setenv("DOCCANO_PASSWORD", weak)
        result = CliRunner().invoke(app, ["doccano", "serve", "--host", "0.0.0.0", "--port", str(free_port()),
                                          "--home", str(tmp_path / "home"), "--venv", str(VENV)])
        assert result.exit_code == 1, result.output
        text = " ".join(result.output.split())
        assert "too weak" in text and "at least 12 characters" in text, text
        assert "listens on every network interface" in text and "TLS reverse proxy" in text, text
        if weak != "admin":  # (the user name may be named; the password never)
            assert weak not in text
    assert not (tmp_path / "home" / "db.sqlite3").exists()  # refused before anything was created
    monkeypatch.setenv("DOCCANO_PASSWORD", "a-strong-" + secrets.token_urlsafe(12))
    result = CliRunner().invoke(app, ["doccano", "serve", "--host", "example.org", "--home", str(tmp_path / "h")])
    assert result.exit_code == 1 and "not an IP address" in result.output
