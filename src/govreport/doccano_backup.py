"""Backups of a Doccano server's whole state, their restore into a fresh server, and dated raw exports.

A backup is a folder (owner-only permissions: it holds password hashes and session keys):
  db.sqlite3        the database, copied with SQLite's online backup API while the server runs: one
                    consistent snapshot (every user, project, example, label, guideline, annotation and
                    "done" state), taken under a read lock so no write lands half-way
  projects/         an export of every project through doccano-client (JSONL zip, one USERNAME.jsonl per
                    annotator, unconfirmed examples included), taken right after the snapshot: readable
                    without Doccano, and a cross-check
  manifest.json     when, from where, what the snapshot holds (counts per project) and each file's sha256

Restore copies db.sqlite3 into the HOME of a server that is not running and has no database yet
(the same backup API, so the copy is checked page by page), empties the task queue of the old
server (its pending tasks point at uploads that are not in the backup), and checks the counts
against the manifest. `govreport doccano serve --home HOME` then starts it.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .doccano_server import DOCCANO_VERSION, Server, read_pid

MANIFEST = "manifest.json"
DATABASE = "db.sqlite3"
PROJECTS = "projects"


class BackupError(Exception):
    """A problem the user can fix; the message says what to do."""


def utc_stamp(now: datetime | None = None) -> str:
    return (now or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")


def safe_name(name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", name).strip("._") or "project"


# --- the database ----------------------------------------------------------------------------

def copy_database(source: Path, target: Path) -> None:
    """SQLite online backup (``sqlite3.Connection.backup``): a consistent copy even while the server writes."""
    if not source.exists():
        raise BackupError(f"{source}: no Doccano database there; give the --home the server was started with.")
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=60)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)  # all pages in one step: one read transaction, one snapshot
    finally:
        dst.close()
        src.close()
    target.chmod(0o600)
    problem = integrity_problem(target)
    if problem:
        raise BackupError(f"the copy {target} fails SQLite's integrity check: {problem}")


def integrity_problem(db: Path) -> str | None:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        answer = connection.execute("PRAGMA integrity_check").fetchone()[0]
    connection.close()
    return None if answer == "ok" else answer


def database_counts(db: Path) -> dict:
    """What the database holds, per project (by name): the figures a restore must reproduce."""
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        one = lambda sql, *args: connection.execute(sql, args).fetchone()[0]  # noqa: E731
        projects = {}
        for project_id, name, guideline in connection.execute(
                "SELECT id, name, guideline FROM projects_project ORDER BY id"):
            per_example = "SELECT COUNT(*) FROM {} t JOIN examples_example e ON t.example_id = e.id WHERE e.project_id = ?"
            projects[name] = {
                "examples": one("SELECT COUNT(*) FROM examples_example WHERE project_id = ?", project_id),
                "categories": one(per_example.format("labels_category"), project_id),
                "spans": one(per_example.format("labels_span"), project_id),
                "done": one(per_example.format("examples_examplestate"), project_id),
                "members": sorted(r[0] for r in connection.execute(
                    "SELECT u.username FROM projects_member m JOIN auth_user u ON m.user_id = u.id "
                    "WHERE m.project_id = ?", (project_id,))),
                "category_types": one("SELECT COUNT(*) FROM label_types_categorytype WHERE project_id = ?", project_id),
                "span_types": one("SELECT COUNT(*) FROM label_types_spantype WHERE project_id = ?", project_id),
                "guideline_sha256": hashlib.sha256((guideline or "").encode("utf-8")).hexdigest(),
            }
        users = sorted(r[0] for r in connection.execute("SELECT username FROM auth_user"))
        return {"users": users, "projects": projects}
    finally:
        connection.close()


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- backup and restore ----------------------------------------------------------------------

@dataclass
class BackupResult:
    folder: Path
    counts: dict
    exports: list[str]


def backup(server: Server, client, out: Path) -> BackupResult:
    """Snapshot the database of the server in ``server.home`` into OUT, then export every project the
    admin ``client`` (a govreport.doccano.Client) sees. OUT must not exist or be empty."""
    if out.exists() and any(out.iterdir()):
        raise BackupError(f"{out} exists and is not empty: give a new folder (e.g. backups/{utc_stamp()}).")
    out.mkdir(parents=True, exist_ok=True)
    out.chmod(0o700)
    created = utc_stamp()
    copy_database(server.db, out / DATABASE)
    counts = database_counts(out / DATABASE)
    (out / PROJECTS).mkdir(mode=0o700)
    exports, exported = [], set()
    for project in client.call(lambda: list(client.api.list_projects()), what="list projects"):
        data = client.export_zip(project.id, only_confirmed=False)
        path = out / PROJECTS / f"{project.id:04d}-{safe_name(project.name)}.zip"
        path.write_bytes(data)
        path.chmod(0o600)
        exports.append(path.name)
        exported.add(project.name)
    foreign = sorted(exported - set(counts["projects"]))
    if foreign:
        raise BackupError(f"{client.url} has projects the database in {server.home} does not ({', '.join(foreign)}): "
                          "DOCCANO_URL and --home name different servers.")
    missing = sorted(set(counts["projects"]) - exported)
    if missing:
        raise BackupError(f"the login {client.username!r} could not export {', '.join(missing)}: back up as a "
                          "Doccano admin (superuser).")
    manifest = {
        "created": created, "doccano": DOCCANO_VERSION, "server": client.url, "home": str(server.home),
        "counts": counts,
        "files": {name: sha256(out / name) for name in [DATABASE] + [f"{PROJECTS}/{e}" for e in exports]},
    }
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (out / MANIFEST).chmod(0o600)
    return BackupResult(out, counts, exports)


def read_manifest(folder: Path) -> dict:
    path = folder / MANIFEST
    if not path.exists():
        raise BackupError(f"{folder}: no {MANIFEST}; give a folder written by `govreport doccano backup`.")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    for name, digest in manifest["files"].items():
        if not (folder / name).exists():
            raise BackupError(f"{folder / name} is missing from the backup.")
        if sha256(folder / name) != digest:
            raise BackupError(f"{folder / name} differs from the checksum in {MANIFEST}: the backup is damaged.")
    return manifest


def restore(folder: Path, server: Server) -> dict:
    """Put the backup's database into ``server.home`` (not running, no database yet). Returns its counts."""
    manifest = read_manifest(folder)
    running = [name for name in ("webserver", "worker") if read_pid(server.pid_file(name))]
    if running:
        raise BackupError(f"a Doccano server runs from {server.home}: stop it (`govreport doccano stop --home "
                          f"{server.home}`) and restore into a fresh --home.")
    if server.db.exists():
        raise BackupError(f"{server.db} exists: restore into a fresh --home (a new folder), never over a database.")
    server.home.mkdir(parents=True, exist_ok=True)
    partial = server.db.with_name(DATABASE + ".restoring")
    partial.unlink(missing_ok=True)
    copy_database(folder / DATABASE, partial)
    with sqlite3.connect(partial) as connection:
        connection.execute("DELETE FROM kombu_message")  # the old server's pending tasks
    connection.close()
    counts = database_counts(partial)
    if counts != manifest["counts"]:
        partial.unlink()
        raise BackupError(f"the restored database does not hold what {MANIFEST} lists; the backup is damaged.")
    partial.rename(server.db)  # only a complete, checked copy becomes the database
    return counts


# --- dated raw exports kept by pull ----------------------------------------------------------

def keep_export(data: bytes, folder: Path, project: str) -> Path:
    """Keep a raw export zip as FOLDER/PROJECT/PROJECT-<UTC time>.zip (never overwritten)."""
    target_dir = folder / safe_name(project)
    target_dir.mkdir(parents=True, exist_ok=True)
    stamp = utc_stamp()
    path = target_dir / f"{safe_name(project)}-{stamp}.zip"
    number = 1
    while path.exists():
        number += 1
        path = target_dir / f"{safe_name(project)}-{stamp}-{number}.zip"
    path.write_bytes(data)
    return path
