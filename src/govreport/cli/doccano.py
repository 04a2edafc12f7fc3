"""`govreport doccano ...`: a local Doccano server, push sentences, write answers, pull annotations."""

from __future__ import annotations

import json

import sys
from pathlib import Path

import typer

from ._util import app, console, fail, good, progress, warn

doccano_app = typer.Typer(help="Annotate in Doccano: serve, push, annotate, pull, import-file, export-file.",
                          no_args_is_help=True)
app.add_typer(doccano_app, name="doccano")

SENTENCES = Path("corpus/sentences.jsonl")
PROJECT_HELP = "Doccano project: one per annotation round."


def _prompt(label: str, hidden: bool) -> str:
    return typer.prompt(label, hide_input=hidden)


def _credentials():
    from ..doccano import Credentials, DoccanoError

    try:
        # ask only when someone is there to answer
        return Credentials.from_env(prompt=_prompt if sys.stdin.isatty() else None)
    except DoccanoError as err:
        fail(str(err))


def _client():
    from ..doccano import Client, DoccanoError

    try:
        return Client(_credentials())
    except DoccanoError as err:
        fail(str(err))


def _sentences(path: Path) -> dict[str, dict]:
    from ..annotations import read_sentences

    if not path.exists():
        fail(f"{path}: no such file. Run `govreport corpus` first or pass --sentences FILE.")
    return read_sentences(path)


def _report_rejects(rejects: list[dict], rejects_path: Path, strict: bool) -> None:
    from ..annotations import format_reject, write_jsonl

    if not rejects:
        rejects_path.unlink(missing_ok=True)  # a stale rejects file would mislead
        return
    for reject in rejects[:20]:
        warn(format_reject(reject))
    if len(rejects) > 20:
        warn(f"... and {len(rejects) - 20} more")
    write_jsonl(rejects_path, rejects)
    message = f"{len(rejects)} invalid rows written to {rejects_path} with their reasons"
    if strict:
        fail(f"{message} (--strict).")
    warn(message)


@doccano_app.command("serve")
def serve_command(
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on: 127.0.0.1 (this machine only), "
                             "a network interface's address, or 0.0.0.0 (all; a team on a local network)."),
    public_url: str = typer.Option("", "--public-url", help="The https:// address annotators open when a TLS "
                                   "reverse proxy is in front (trusted for Django's CSRF check)."),
    home: Path = typer.Option(Path(".doccano"), "--home", help="DOCCANO_HOME: database, media, logs, pid files."),
    venv: Path = typer.Option(None, "--venv", help="Doccano's own virtualenv (default HOME/venv)."),
) -> None:
    """Install (once) and start Doccano with its task worker; admin from DOCCANO_USERNAME/PASSWORD (a weak or
    default password is refused)."""
    from ..doccano_server import Server, ServerError, exposure_warning, serve

    credentials = _credentials()
    try:
        server = Server.at(home, venv, port, host, public_url)
        exposed = exposure_warning(server)
        if exposed:
            warn(exposed)
        started = serve(server, credentials.username, credentials.password, log=lambda m: console.print(m))
    except ServerError as err:
        fail(str(err))
    if started:
        good(f"Doccano runs at {server.url} (logs in {server.home}); stop it with `govreport doccano stop`.")
    else:
        good(f"Doccano was already running at {server.url}.")
    if credentials.url != server.url:
        warn(f"DOCCANO_URL is {credentials.url}; set DOCCANO_URL={server.url} for the other commands.")


@doccano_app.command("stop")
def stop_command(
    home: Path = typer.Option(Path(".doccano"), "--home", help="DOCCANO_HOME given to `serve`."),
) -> None:
    """Stop the Doccano webserver and worker started by `serve` (from the pid files in HOME)."""
    from ..doccano_server import Server, stop

    stopped = stop(Server.at(home))
    good(f"stopped {', '.join(stopped)}." if stopped else "Doccano was not running.")


@doccano_app.command("push")
def push_command(
    project: str = typer.Option(..., "--project", help=PROJECT_HELP),
    sentences: Path = typer.Option(SENTENCES, "--sentences", help="Sentence rows to upload."),
    doc: list[str] = typer.Option(None, "--doc", help="Only sentences of this document (repeatable)."),
    batch_size: int = typer.Option(500, "--batch-size", help="Sentences per upload (the unit of resuming)."),
    suggestions: Path = typer.Option(None, "--suggestions", help="Rows {id, suggested: {cats, spans}} to record as "
                                     "the pre-annotation (default: the cue-word rule's answer now)."),
    suggest_model: str = typer.Option(None, "--suggest", help="A trained pipeline (folder or installed package) "
                                      "whose categories and spans become the pre-annotations."),
    order: str = typer.Option("document", "--order", help="Order annotators meet the sentences: document (reading "
                              "order) or uncertain (what the --suggest model is least sure of first)."),
) -> None:
    """Create or reuse the project (labels, guideline) and upload the sentences not there yet."""
    from ..doccano import ORDERS, DoccanoError, DoccanoUnavailable, order_for_annotation, push

    if order not in ORDERS:
        fail(f"--order {order}: choose one of {', '.join(ORDERS)}.")
    if order == "uncertain" and not suggest_model:
        fail("--order uncertain needs a model to be uncertain: add --suggest MODEL.")
    if suggest_model and suggestions:
        fail("give either --suggest MODEL or --suggestions FILE, not both.")
    rows = list(_sentences(sentences).values())
    recorded = None
    if suggestions:
        if not suggestions.exists():
            fail(f"{suggestions} not found.")
        recorded = {}
        for number, line in enumerate(suggestions.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                try:
                    row = json.loads(line)
                    recorded[row["id"]] = row["suggested"]
                except (json.JSONDecodeError, KeyError, TypeError):
                    fail(f"{suggestions}:{number}: not a row with id and suggested.")
    if doc:
        rows = [row for row in rows if row["doc"] in set(doc)]
        if not rows:
            fail(f"no sentence of {', '.join(doc)} in {sentences}.")
    if suggest_model:
        recorded = _model_suggestions(suggest_model, rows)
        rows = order_for_annotation(rows, recorded, order)
    client = _client()
    try:
        with progress() as bar:
            task = bar.add_task("upload", total=None)
            result = push(client, project, rows, batch_size=batch_size, on_batch=lambda n: bar.advance(task, n),
                          suggestions=recorded)
    except DoccanoUnavailable as err:
        fail(f"{err} Once it is back, run the same push again: it uploads only the sentences not there yet.")
    except DoccanoError as err:
        fail(str(err))
    if result.duplicates:
        warn(f"{len(result.duplicates)} sentence ids are held by more than one example in {project!r} (e.g. "
             f"{next(iter(result.duplicates))}): delete the extra copies in Doccano before annotating them.")
    verb = "created" if result.created_project else "reused"
    good(f"{verb} project {project!r} (id {result.project_id}): uploaded {result.uploaded}, "
         f"already there {result.already_there}.")


def _model_suggestions(model: str, rows: list[dict]) -> dict[str, dict]:
    import spacy

    from ..predict import ModelError, model_suggestions

    try:
        nlp = spacy.load(model)
    except OSError as err:
        fail(f"cannot load the model {model!r}: {str(err).splitlines()[0][:200]} (give a folder such as "
             "training/models/clause/model-best or an installed package name).")
    name = f"model:{nlp.meta.get('name', Path(model).name)}-{nlp.meta.get('version', '')}".rstrip("-")
    try:
        with progress() as bar:
            task = bar.add_task("suggest", total=len(rows))
            return model_suggestions(rows, nlp, source=name, on_batch=lambda n: bar.advance(task, n))
    except ModelError as err:
        fail(f"{model}: {err}")


@doccano_app.command("add-user")
def add_user_command(
    username: str = typer.Argument(..., help="The annotator's Doccano user name."),
    project: str = typer.Option(..., "--project", help=PROJECT_HELP),
    role: str = typer.Option("annotator", "--role", help="annotator, annotation_approver or project_admin."),
) -> None:
    """Create an annotator (password from DOCCANO_NEW_USER_PASSWORD or a prompt) and add them to the project.
    Run as an admin (DOCCANO_USERNAME/DOCCANO_PASSWORD)."""
    import os

    from ..doccano import DoccanoError, add_annotator
    from ..password_policy import check_password

    password = os.environ.get("DOCCANO_NEW_USER_PASSWORD")
    if password is None and sys.stdin.isatty():
        password = typer.prompt(f"Password for the new user {username} (empty: the user exists already)",
                                default="", hide_input=True, show_default=False) or None
    if password:
        refusal = check_password(username, password, role="annotator")
        if refusal:
            fail(refusal + " Set DOCCANO_NEW_USER_PASSWORD to it.")
    client = _client()
    try:
        created, added = add_annotator(client, project, username, password, role)
    except DoccanoError as err:
        fail(str(err))
    good(f"user {username!r} {'created' if created else 'exists'}; "
         f"{'added to' if added else 'already a member of'} {project!r} as {role}. They log in with their own "
         "DOCCANO_USERNAME/DOCCANO_PASSWORD.")


@doccano_app.command("preannotate")
def preannotate_command(
    project: str = typer.Option(..., "--project", help=PROJECT_HELP),
    doc: list[str] = typer.Option(None, "--doc", help="Only examples of this document (repeatable): the "
                                  "documents assigned to this annotator."),
) -> None:
    """Show each example's recorded suggestion pre-filled in the logged-in annotator's answer (not marked done)."""
    from ..doccano import DoccanoError, preannotate

    client = _client()
    try:
        written, left = preannotate(client, project, doc or None)
    except DoccanoError as err:
        fail(str(err))
    good(f"pre-annotated {written} examples for {client.username}; left {left} alone (done, already labelled, or "
         "nothing suggested). Correct them in Doccano and mark each done.")


@doccano_app.command("annotate")
def annotate_command(
    file: Path = typer.Argument(..., help="Annotation rows (JSONL): id, cats, spans [[start, end, label]]."),
    project: str = typer.Option(..., "--project", help=PROJECT_HELP),
    rejects: Path = typer.Option(Path("annotations/rejects.jsonl"), "--rejects", help="Where invalid rows go."),
    strict: bool = typer.Option(False, "--strict", help="Any invalid row is an error."),
) -> None:
    """Write answers into the project as the logged-in user (replaces that user's earlier answer, marks it done)."""
    from ..annotations import read_jsonl_lines
    from ..doccano import DoccanoError, annotate

    if not file.exists():
        fail(f"{file}: no such file.")
    from ..doccano import DoccanoUnavailable

    client = _client()
    acknowledged = []
    try:
        written, bad = annotate(client, project, read_jsonl_lines(file), source=str(file),
                                on_written=acknowledged.append)
    except DoccanoUnavailable as err:
        fail(f"{err} {len(acknowledged)} answers were written before that. Once it is back, run the same command "
             "again: every answer is rewritten exactly, none doubled.")
    except DoccanoError as err:
        fail(str(err))
    good(f"wrote {written} answers into {project!r} as {client.username}.")
    _report_rejects(bad, rejects, strict)


def _write_rows(rows: list[dict], rejects: list[dict], out: Path, rejects_path: Path, strict: bool) -> None:
    from ..annotations import write_jsonl

    count = write_jsonl(out, rows)
    annotators = sorted({row["annotator"] for row in rows})
    good(f"wrote {count} annotation rows ({', '.join(annotators) or 'no annotator'}) to {out}.")
    _report_rejects(rejects, rejects_path, strict)


@doccano_app.command("pull")
def pull_command(
    project: str = typer.Option(..., "--project", help=PROJECT_HELP),
    out: Path = typer.Option(..., "--out", "-o", help="Annotation rows (JSONL), one per example per annotator."),
    sentences: Path = typer.Option(SENTENCES, "--sentences", help="Sentences the rows are checked against."),
    rejects: Path = typer.Option(Path("annotations/rejects.jsonl"), "--rejects", help="Where invalid rows go."),
    include_unconfirmed: bool = typer.Option(False, "--include-unconfirmed",
                                             help="Also examples an annotator has not marked done (as empty answers)."),
    strict: bool = typer.Option(False, "--strict", help="Any invalid row is an error."),
    export_dir: Path = typer.Option(None, "--export-dir", help="Also write the raw export here (USERNAME.jsonl); "
                                    "the dated zip of every pull is kept in EXPORT_DIR/PROJECT/ (default: "
                                    "doccano-exports/ next to --out)."),
) -> None:
    """Export the project's annotations through the API and convert them to annotation rows.
    Every pull also keeps Doccano's raw export, dated, so no earlier state is ever overwritten."""
    from ..doccano import DoccanoError, convert_export, pull_zip, read_export
    from ..doccano_backup import keep_export

    sentences_by_id = _sentences(sentences)
    client = _client()
    try:
        data = pull_zip(client, project, only_confirmed=not include_unconfirmed)
    except DoccanoError as err:
        fail(str(err))
    kept = keep_export(data, export_dir or out.parent / "doccano-exports", project)
    good(f"raw export kept in {kept}.")
    files = read_export(data, "export.zip")
    if export_dir:
        export_dir.mkdir(parents=True, exist_ok=True)
        for annotator, lines in files.items():
            (export_dir / f"{annotator}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows, bad = convert_export(files, sentences_by_id)
    _write_rows(rows, bad, out, rejects, strict)
    _record_corrections(rows, out)


@doccano_app.command("backup")
def backup_command(
    out: Path = typer.Argument(..., help="A new folder for the backup (e.g. backups/2026-11-26)."),
    home: Path = typer.Option(Path(".doccano"), "--home", help="DOCCANO_HOME of the running server."),
) -> None:
    """Back up the whole Doccano state while it runs: a consistent copy of the database (SQLite's online
    backup) plus an export of every project. Run on the server's machine, as a Doccano admin."""
    from ..doccano import DoccanoError
    from ..doccano_backup import BackupError, backup
    from ..doccano_server import Server

    client = _client()
    try:
        result = backup(Server.at(home), client, out)
    except (BackupError, DoccanoError) as err:
        fail(str(err))
    projects = result.counts["projects"]
    for name, figures in projects.items():
        console.print(f"  {name}: {figures['examples']} examples, {figures['categories']} categories, "
                      f"{figures['spans']} spans, {figures['done']} done, {len(figures['members'])} members")
    good(f"backed up {len(projects)} projects and {len(result.counts['users'])} users to {out} "
         f"(database + {len(result.exports)} exports; restore with `govreport doccano restore {out} --home NEW`).")


@doccano_app.command("restore")
def restore_command(
    backup_folder: Path = typer.Argument(..., help="A folder written by `govreport doccano backup`."),
    home: Path = typer.Option(..., "--home", help="A fresh DOCCANO_HOME (no database, no server running)."),
) -> None:
    """Restore a backup into a fresh server home; then start it with `govreport doccano serve --home HOME`."""
    from ..doccano_backup import BackupError, restore
    from ..doccano_server import Server

    try:
        counts = restore(backup_folder, Server.at(home))
    except BackupError as err:
        fail(str(err))
    good(f"restored {len(counts['projects'])} projects and {len(counts['users'])} users into {home}; start it with "
         f"`govreport doccano serve --home {home}` (log in with the accounts of the backup).")


def _record_corrections(rows: list[dict], out: Path) -> None:
    """How often each annotator changed the suggestion, per label: printed and kept next to the rows."""
    from .annotations import corrections_table
    from ..stats import corrections_by_annotator

    by_annotator = corrections_by_annotator(rows)
    if not by_annotator:
        return
    for annotator, changes in by_annotator.items():
        console.print(corrections_table(f"{annotator}: final answer vs suggestion", changes))
    path = out.with_name(out.stem + ".corrections.json")
    path.write_text(json.dumps(by_annotator, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    good(f"correction rates per annotator and label in {path}.")


@doccano_app.command("import-file")
def import_file_command(
    export: Path = typer.Argument(..., help="A Doccano JSONL export: the .zip as downloaded, or one USERNAME.jsonl."),
    out: Path = typer.Option(..., "--out", "-o", help="Annotation rows (JSONL)."),
    annotator: str = typer.Option(None, "--annotator", help="Annotator of a single .jsonl (default: its file name)."),
    sentences: Path = typer.Option(SENTENCES, "--sentences", help="Sentences the rows are checked against."),
    rejects: Path = typer.Option(Path("annotations/rejects.jsonl"), "--rejects", help="Where invalid rows go."),
    strict: bool = typer.Option(False, "--strict", help="Any invalid row is an error."),
) -> None:
    """Convert an export downloaded by hand from Doccano into annotation rows."""
    from ..doccano import convert_export, read_export

    if not export.exists():
        fail(f"{export}: no such file.")
    files = read_export(export.read_bytes(), export.name)
    if annotator:
        if len(files) > 1:
            fail("--annotator applies to a single .jsonl; the zip names its annotators itself.")
        files = {annotator: next(iter(files.values()))}
    rows, bad = convert_export(files, _sentences(sentences))
    _write_rows(rows, bad, out, rejects, strict)


@doccano_app.command("export-file")
def export_file_command(
    out: Path = typer.Option(..., "--out", "-o", help="JSONL for Doccano's upload page (format JSONL, column text)."),
    sentences: Path = typer.Option(SENTENCES, "--sentences", help="Sentence rows."),
    doc: list[str] = typer.Option(None, "--doc", help="Only sentences of this document (repeatable)."),
    annotations: Path = typer.Option(None, "--annotations", help="One annotator's rows: adds cats/entities columns."),
) -> None:
    """Write an import file for Doccano's upload page: text + meta (id, doc, section, suggested), and answers if given."""
    from ..annotations import read_jsonl_lines, validate, write_jsonl
    from ..doccano import import_file_rows

    by_id = _sentences(sentences)
    rows = [row for row in by_id.values() if not doc or row["doc"] in set(doc)]
    answers = None
    if annotations is not None:
        if not annotations.exists():
            fail(f"{annotations}: no such file.")
        answers, bad = validate(read_jsonl_lines(annotations), by_id, source=str(annotations))
        if bad:
            fail(f"{len(bad)} invalid rows in {annotations} (first: line {bad[0]['line']}: "
                 f"{'; '.join(bad[0]['reasons'])}); fix them first.")
    try:
        count = write_jsonl(out, import_file_rows(rows, answers))
    except ValueError as err:
        fail(str(err))
    good(f"wrote {count} rows to {out}: in Doccano, Dataset > Actions > Import Dataset, format JSONL, column text.")

