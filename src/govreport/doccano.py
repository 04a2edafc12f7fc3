"""Talk to a Doccano 1.8.4 server over its REST API: push sentences, write answers, pull annotations.

One Doccano project per annotation round, of type IntentDetectionAndSlotFilling (sentence
categories and clause spans in one example). Each example carries meta {id, doc, section,
suggested}: the sentence id keys everything (Doccano's own example ids are never used outside
this module), and "suggested" is the cue-word pre-annotation as a JSON string.

Offsets: Doccano (its browser frontend) counts UTF-16 code units; Python counts code points.
They differ after a character outside the Basic Multilingual Plane (e.g. 𤾀). Everything that
goes to Doccano is converted with utf16_offset(), everything that comes back with python_offset().

All calls go through doccano-client (``DoccanoClient``), wrapped for bounded retries and one-line
error messages.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import time
import zipfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable

import requests
from doccano_client import DoccanoClient

from .labels import LABELS
from .suggest import suggest

DEFAULT_URL = "http://127.0.0.1:8000"
TASK = "IntentDetectionAndSlotFilling"
LABEL_KINDS = ("category", "span")
# Upload messages that are expected when rows carry no labels (NOTES): not errors.
_HARMLESS_UPLOAD_MESSAGES = ("Column cats not found", "Column entities not found")


class DoccanoError(Exception):
    """A problem the user can fix; the message is one line saying what to do."""


class DoccanoUnavailable(DoccanoError):
    """The server did not answer (down, restarting, overloaded) after the retries: worth trying again later."""


def read_guidelines() -> str:
    """The annotation guidelines shipped in the package (``govreport/ANNOTATION_GUIDELINES.md``, a symlink
    to docs/ANNOTATION_GUIDELINES.md in the source tree that the wheel carries as a file)."""
    return resources.files("govreport").joinpath("ANNOTATION_GUIDELINES.md").read_text(encoding="utf-8")


# --- offsets ---------------------------------------------------------------------------------

def utf16_offset(text: str, index: int) -> int:
    """Python str offset -> UTF-16 code-unit offset."""
    return len(text[:index].encode("utf-16-le")) // 2


def python_offset(text: str, units: int) -> int:
    """UTF-16 code-unit offset -> Python str offset.

    An offset past the end keeps its excess (so validation reports it out of range); an offset
    inside a surrogate pair has no Python equivalent and becomes -1 (also out of range)."""
    count = 0
    for index, char in enumerate(text):
        if count == units:
            return index
        if count > units:
            return -1
        count += 2 if ord(char) > 0xFFFF else 1
    if count > units:
        return -1
    return len(text) + (units - count)


# --- credentials and client ------------------------------------------------------------------

@dataclass(frozen=True)
class Credentials:
    url: str
    username: str
    password: str = ""

    def __repr__(self) -> str:  # never show the password, even in a traceback
        return f"Credentials(url={self.url!r}, username={self.username!r}, password=***)"

    @classmethod
    def from_env(cls, prompt: Callable[[str, bool], str] | None = None) -> "Credentials":
        """DOCCANO_URL (default http://127.0.0.1:8000), DOCCANO_USERNAME, DOCCANO_PASSWORD; ask if missing."""
        url = os.environ.get("DOCCANO_URL", DEFAULT_URL).rstrip("/")
        username = os.environ.get("DOCCANO_USERNAME", "")
        password = os.environ.get("DOCCANO_PASSWORD", "")
        if prompt is not None:
            username = username or prompt("Doccano username", False)
            password = password or prompt("Doccano password", True)
        if not username or not password:
            raise DoccanoError("set DOCCANO_USERNAME and DOCCANO_PASSWORD (and DOCCANO_URL if the server is "
                               f"not at {DEFAULT_URL}).")
        return cls(url, username, password)


class Client:
    """A logged-in doccano-client session (``doccano_client.DoccanoClient``) with our error handling:
    transient failures (connection refused/reset, HTTP 429/502-504) are retried with exponential
    backoff a bounded number of times; everything else becomes a one-line DoccanoError."""

    def __init__(self, credentials: Credentials, retries: int = 3, backoff: float = 0.5):
        self.url = credentials.url
        self.username = credentials.username
        self.retries, self.backoff = retries, backoff
        self.api = DoccanoClient(self.url)
        try:
            self.call(self.api.login, credentials.username, credentials.password, what="log in")
        except DoccanoError as err:
            if "HTTP 400" in str(err) or "HTTP 401" in str(err) or "HTTP 403" in str(err):
                raise DoccanoError(f"Doccano at {self.url} refused the login of user {credentials.username!r}: "
                                   "check DOCCANO_USERNAME and DOCCANO_PASSWORD.") from None
            raise

    def call(self, method, *args, what: str, retries: int | None = None, **kwargs):
        """Run one doccano-client call, retrying what is worth retrying. ``retries=0`` for a call that is not
        safe to repeat blindly (creating a span, toggling "done"): its caller redoes the whole step instead."""
        retries = self.retries if retries is None else retries
        for attempt in range(retries + 1):
            last = attempt == retries
            try:
                return method(*args, **kwargs)
            except requests.ConnectionError:
                if last:
                    raise DoccanoUnavailable(f"cannot reach Doccano at {self.url}: start it with `govreport doccano "
                                             "serve` (or set DOCCANO_URL to where it runs).") from None
            except requests.Timeout:
                if last:
                    raise DoccanoUnavailable(f"Doccano at {self.url} did not answer; check `govreport doccano serve` "
                                             "and its logs.") from None
            except requests.HTTPError as err:  # DoccanoAPIError is one
                status = err.response.status_code if err.response is not None else 0
                if last and status in (429, 502, 503, 504):
                    raise DoccanoUnavailable(f"Doccano at {self.url} is unavailable (HTTP {status}) to {what}; "
                                             "try again later.") from None
                if status not in (429, 502, 503, 504) or last:
                    if status in (401, 403) and what != "log in":
                        raise DoccanoError(f"Doccano refused to {what} for user {self.username!r} (HTTP {status}); "
                                           "the user must be a member (admin) of the project.") from None
                    detail = str(err).replace("\n", " ")[:300]
                    raise DoccanoError(f"Doccano could not {what}: HTTP {status} {detail}") from None
            time.sleep(self.backoff * 2 ** attempt)
        raise AssertionError("unreachable")

    # --- projects and labels ---

    def find_project(self, name: str) -> dict | None:
        for project in self.call(lambda: list(self.api.list_projects()), what="list projects"):
            if project.name == name:
                return {"id": project.id, "name": project.name, "guideline": project.guideline,
                        "project_type": project.project_type.value}
        return None

    def project(self, name: str) -> dict:
        project = self.find_project(name)
        if project is None:
            raise DoccanoError(f"Doccano at {self.url} has no project named {name!r}: "
                               f"create it with `govreport doccano push --project {name}`.")
        if project["project_type"] != TASK:
            raise DoccanoError(f"Doccano project {name!r} is of type {project['project_type']}, not {TASK}; "
                               "choose another --project name.")
        return project

    def create_project(self, name: str, guideline: str) -> dict:
        self.call(self.api.create_project, name, project_type=TASK, description=f"govreport annotation round {name}",
                  guideline=guideline, random_order=False,
                  collaborative_annotation=False,  # one export file per annotator (agreement needs them apart)
                  what="create the project")
        return self.project(name)

    def set_guideline(self, project: dict, guideline: str) -> None:
        if project.get("guideline") != guideline:
            self.call(self.api.update_project, project["id"], guideline=guideline, what="set the guideline")

    def label_ids(self, project_id: int, kind: str) -> dict[str, int]:
        return {t.text: t.id for t in self.call(self.api.list_label_types, project_id, kind,
                                                  what=f"list {kind} labels")}

    def ensure_labels(self, project_id: int) -> None:
        """The scheme's labels as category types and span types (colour and shortcut from labels.py)."""
        for kind in LABEL_KINDS:
            existing = self.label_ids(project_id, kind)
            for label in LABELS:
                if label.name not in existing:
                    self.call(self.api.create_label_type, project_id, kind, label.name, suffix_key=label.shortcut,
                              color=label.colour, what=f"create the {kind} label {label.name}")

    # --- users and members (needs an admin login) ---

    def ensure_user(self, username: str, password: str) -> bool:
        """Create the Doccano user unless it exists; True if created."""
        users = self.call(self.api.search_users, username, what="search users")
        if any(user.username == username for user in users):
            return False
        self.call(self.api.create_user, username, password, what=f"create the user {username!r}")
        return True

    def ensure_member(self, project_id: int, username: str, role: str) -> bool:
        """Add the user to the project with the role unless already a member; True if added."""
        members = self.call(self.api.list_members, project_id, what="list project members")
        if any(member.username == username for member in members):
            return False
        self.call(self.api.add_member, project_id, username, role, what=f"add {username!r} to the project")
        return True

    # --- examples, uploads, exports ---

    def examples_by_sentence_id(self, project_id: int) -> dict[str, dict]:
        examples = self.call(lambda: list(self.api.list_examples(project_id)), what="list examples")
        return {e.meta["id"]: {"id": e.id, "text": e.text, "meta": e.meta} for e in examples
                if isinstance(e.meta, dict) and "id" in e.meta}

    def confirmed_example_ids(self, project_id: int) -> set[int]:
        """Examples the logged-in user has marked done."""
        return {e.id for e in self.call(lambda: list(self.api.list_examples(project_id, is_confirmed=True)),
                                        what="list confirmed examples")}

    def _check_worker(self) -> None:
        # doccano-client waits up to an hour for a task when Doccano's worker is down (NOTES);
        # /v1/health/ answers 500 then, so ask first. doccano-client has no method for it, so
        # this one GET goes through its own logged-in session.
        try:
            self.call(self.api._base_repository.get, "health/", what="check its health")
        except DoccanoError:
            raise DoccanoError(f"Doccano at {self.url} answers but its task worker does not (uploads and exports "
                               "would hang): restart with `govreport doccano stop` and `govreport doccano serve`.") \
                from None

    def upload_jsonl(self, project_id: int, rows: list[dict], name: str = "batch.jsonl") -> None:
        """Upload once, never retried here: an upload whose answer was lost may have been imported, and
        a blind retry would import it twice. push() checks what arrived and uploads the rest."""
        self._check_worker()
        with tempfile.TemporaryDirectory(prefix="govreport-upload-") as folder:
            path = Path(folder) / name
            path.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in rows), encoding="utf-8")
            status = self.call(self.api.upload, project_id, [str(path)], TASK, "JSONL", column_data="text",
                               column_label="label", what="upload sentences", retries=0)
        # Import problems come back in the task status, not as an HTTP error (NOTES)
        if status.error:
            raise DoccanoError(f"Doccano could not import the upload: {status.error}")
        messages = [e.get("message", str(e)) if isinstance(e, dict) else str(e)
                    for e in (status.result or {}).get("error", [])]
        serious = [m for m in messages if not m.startswith(_HARMLESS_UPLOAD_MESSAGES)]
        if serious:
            raise DoccanoError(f"Doccano rejected the upload: {'; '.join(serious[:5])}")

    def export_zip(self, project_id: int, only_confirmed: bool) -> bytes:
        self._check_worker()
        with tempfile.TemporaryDirectory(prefix="govreport-export-") as folder:
            path = self.call(self.api.download, project_id, "JSONL", only_approved=only_confirmed, dir_name=folder,
                             what="export the project")
            return Path(path).read_bytes()

    # --- one example's annotations (those of the logged-in user) ---

    def has_annotations(self, project_id: int, example_id: int) -> bool:
        return bool(self.call(self.api.list_categories, project_id, example_id, what="list categories")
                    or self.call(self.api.list_spans, project_id, example_id, what="list spans"))

    def is_done(self, project_id: int, example_id: int) -> bool:
        """Whether the logged-in user has marked the example done (asked now, not from an earlier list)."""
        response = self.call(self.api._base_repository.get, f"projects/{project_id}/examples/{example_id}/states",
                             what="read the example's state")
        answer = response.json()
        return bool(answer.get("count") if isinstance(answer, dict) else answer)

    def replace_annotations(self, project_id: int, example_id: int, cats: list[str], spans: list[list],
                            text: str, category_ids: dict[str, int], span_ids: dict[str, int],
                            confirmed: bool, mark_done: bool = True) -> None:
        """Make the logged-in user's answer on the example exactly (cats, spans), done if mark_done.

        Safe to repeat, and repeated as a whole when the server drops out half-way: a single call is never
        retried on its own, because a span whose creation was acknowledged by a server that then died
        would be created twice, and a "done" toggle sent twice would undo itself. Each attempt clears the
        answer, writes it again and asks the server whether the example is done before toggling."""
        for attempt in range(self.retries + 1):
            try:
                self._write_answer(project_id, example_id, cats, spans, text, category_ids, span_ids,
                                   confirmed if attempt == 0 else None, mark_done)
                return
            except DoccanoUnavailable:
                if attempt == self.retries:
                    raise
                time.sleep(self.backoff * 2 ** attempt)

    def _write_answer(self, project_id, example_id, cats, spans, text, category_ids, span_ids,
                      confirmed: bool | None, mark_done: bool) -> None:
        self.call(self.api.delete_all_categories, project_id, example_id, what="clear categories", retries=0)
        self.call(self.api.delete_all_spans, project_id, example_id, what="clear spans", retries=0)
        for label in cats:
            self.call(self.api.create_category, project_id, example_id, category_ids[label], human_annotated=True,
                      what="add a category", retries=0)
        for start, end, label in spans:
            self.call(self.api.create_span, project_id, example_id, utf16_offset(text, start),
                      utf16_offset(text, end), span_ids[label], human_annotated=True, what="add a span", retries=0)
        # mark it done ("confirmed"): pull exports only confirmed examples. The call toggles, so only if not yet.
        if mark_done:
            if confirmed is None:  # a repeated attempt: the last toggle may have landed
                confirmed = self.is_done(project_id, example_id)
            if not confirmed:
                self.call(self.api.update_example_state, project_id, example_id, what="mark the example done",
                          retries=0)


# --- push ------------------------------------------------------------------------------------

def upload_row(sentence: dict, suggested: dict | None = None) -> dict:
    """A Doccano import row: text plus meta. Every row has the same meta keys, none null (NOTES).
    ``suggested`` is the pre-annotation to record; by default the cue-word rule's answer now."""
    if suggested is None:
        suggested = suggest(sentence["text"], sentence.get("section") or "")
    return {
        "text": sentence["text"],
        "id": sentence["id"],
        "doc": sentence.get("doc") or "",
        "section": sentence.get("section") or "",
        "suggested": json.dumps(suggested, ensure_ascii=False),
    }


@dataclass
class PushResult:
    project_id: int
    created_project: bool
    uploaded: int
    already_there: int
    duplicates: dict[str, int] | None = None  # sentence id -> examples holding it, when more than one


def push(client: Client, project_name: str, sentences: Iterable[dict], batch_size: int = 500,
         on_batch: Callable[[int], None] = lambda n: None, guideline: str | None = None,
         suggestions: dict[str, dict] | None = None) -> PushResult:
    """Create or reuse the project, its labels and guideline; upload sentences not there yet.

    Uploading in batches makes an interrupted push resumable: the next push skips every sentence
    id already present. When the server drops out during a batch, push waits (bounded backoff), asks
    which of the batch's ids arrived and uploads only the others; at the end it counts sentence ids
    held by more than one example (``duplicates``; none expected)."""
    guideline = read_guidelines() if guideline is None else guideline
    guideline = guideline.strip()  # Doccano strips it on save; compare like with like
    project = client.find_project(project_name)
    created = project is None
    if created:
        project = client.create_project(project_name, guideline)
    else:
        project = client.project(project_name)  # checks the type
        client.set_guideline(project, guideline)
    client.ensure_labels(project["id"])

    present = set(client.examples_by_sentence_id(project["id"]))
    todo, already, seen = [], 0, set()
    for sentence in sentences:
        if sentence["id"] in present:
            already += 1
        elif sentence["id"] not in seen:
            seen.add(sentence["id"])
            todo.append(upload_row(sentence, (suggestions or {}).get(sentence["id"])))
    for start in range(0, len(todo), batch_size):
        batch = todo[start:start + batch_size]
        name = f"sentences-{start // batch_size + 1:04d}.jsonl"
        for attempt in range(client.retries + 1):
            try:
                if batch:
                    client.upload_jsonl(project["id"], batch, name=name)
                break
            except DoccanoUnavailable:
                if attempt == client.retries:
                    raise
                time.sleep(client.backoff * 2 ** attempt)
                try:
                    arrived = set(client.examples_by_sentence_id(project["id"]))
                except DoccanoUnavailable:
                    continue  # still down: the same batch again at the next attempt
                batch = [row for row in batch if row["id"] not in arrived]
        on_batch(min(batch_size, len(todo) - start))
    counts: dict[str, int] = {}
    for example in client.call(lambda: list(client.api.list_examples(project["id"])), what="list examples"):
        if isinstance(example.meta, dict) and "id" in example.meta:
            counts[example.meta["id"]] = counts.get(example.meta["id"], 0) + 1
    duplicates = {sentence_id: n for sentence_id, n in counts.items() if n > 1}
    return PushResult(project["id"], created, len(todo), already, duplicates or None)


ORDERS = ("document", "uncertain")
ROLES = ("annotator", "annotation_approver", "project_admin")


def order_for_annotation(sentences: list[dict], suggestions: dict[str, dict], order: str) -> list[dict]:
    """The upload order is the order annotators meet the examples (the project is not shuffled).

    "document": reading order, as given. "uncertain": the sentences whose suggestion the model is
    least sure of first (smallest ``margin``: the distance of the label score nearest to its
    threshold); ties and sentences without a margin keep reading order."""
    if order not in ORDERS:
        raise ValueError(f"unknown order {order!r}: choose one of {', '.join(ORDERS)}")
    if order == "document":
        return list(sentences)
    position = {id(s): i for i, s in enumerate(sentences)}
    return sorted(sentences, key=lambda s: (suggestions.get(s["id"], {}).get("margin", float("inf")),
                                            position[id(s)]))


def add_annotator(client: Client, project_name: str, username: str, password: str | None,
                  role: str = "annotator") -> tuple[bool, bool]:
    """Create the user (when a password is given and it does not exist) and make it a member of the
    project. Returns (user created, member added). Needs an admin login."""
    if role not in ROLES:
        raise DoccanoError(f"unknown role {role!r}: choose one of {', '.join(ROLES)}")
    project = client.project(project_name)
    created = client.ensure_user(username, password) if password else False
    try:
        added = client.ensure_member(project["id"], username, role)
    except DoccanoError as err:
        if not password and "HTTP 400" in str(err):
            raise DoccanoError(f"Doccano has no user {username!r}: give a password to create it "
                               "(DOCCANO_NEW_USER_PASSWORD or the prompt).") from None
        raise
    return created, added


def preannotate(client: Client, project_name: str, docs: Iterable[str] | None = None) -> tuple[int, int]:
    """Copy each example's recorded suggestion (meta "suggested") into the logged-in annotator's
    own answer, not marked done, so Doccano shows it pre-filled for correction (Prodigy's
    `correct`). Examples the annotator has confirmed or already labelled are left alone, and with
    ``docs`` every example of another document (the documents assigned to this annotator).
    Returns (pre-annotated, left alone)."""
    docs = set(docs) if docs else None
    project = client.project(project_name)
    examples = client.examples_by_sentence_id(project["id"])
    category_ids = client.label_ids(project["id"], "category")
    span_ids = client.label_ids(project["id"], "span")
    confirmed = client.confirmed_example_ids(project["id"])
    written = left = 0
    for example in examples.values():
        if docs is not None and example["meta"].get("doc") not in docs:
            continue
        try:
            suggested = json.loads(example["meta"].get("suggested") or "null")
        except json.JSONDecodeError:
            suggested = None
        if (not suggested or example["id"] in confirmed or not suggested.get("cats")
                or client.has_annotations(project["id"], example["id"])):
            left += 1
            continue
        text = example["text"]
        spans = [s for s in suggested.get("spans", []) if 0 <= s[0] < s[1] <= len(text) and s[2] in span_ids]
        cats = [label for label in suggested["cats"] if label in category_ids]
        client.replace_annotations(project["id"], example["id"], cats, spans, text, category_ids,
                                   span_ids, confirmed=False, mark_done=False)
        written += 1
    return written, left


# --- annotate --------------------------------------------------------------------------------

def annotate(client: Client, project_name: str, rows: Iterable[dict | str], source: str = "",
             on_written: Callable[[str], None] = lambda sentence_id: None) -> tuple[int, list[dict]]:
    """Write answers (annotation rows: id, cats, spans) as the logged-in user; replaces that user's
    earlier answer on each example. Returns (written, rejects); rejected rows are not written.

    Safe to run again after an interruption (the server died, the connection dropped): every answer
    is rewritten exactly, none doubled, none left undone. ``on_written(id)`` is called once the server
    has acknowledged a whole answer."""
    from .annotations import validate

    project = client.project(project_name)
    examples = client.examples_by_sentence_id(project["id"])
    sentences = {sid: {"id": sid, "text": example["text"]} for sid, example in examples.items()}
    valid, rejects = validate(rows, sentences, source=source)
    category_ids = client.label_ids(project["id"], "category")
    span_ids = client.label_ids(project["id"], "span")
    confirmed = client.confirmed_example_ids(project["id"])
    for row in valid:
        example = examples[row["id"]]
        client.replace_annotations(project["id"], example["id"], row["cats"], row["spans"], example["text"],
                                   category_ids, span_ids, confirmed=example["id"] in confirmed)
        on_written(row["id"])
    return len(valid), rejects


# --- pull / import: Doccano export -> annotation rows ----------------------------------------

def export_row_to_annotation(row: dict, annotator: str) -> dict:
    """One row of a Doccano JSONL export -> one annotation row (offsets back to Python str offsets)."""
    text = row.get("text", "")
    suggested = row.get("suggested")
    if isinstance(suggested, str):
        try:
            suggested = json.loads(suggested)
        except json.JSONDecodeError:
            suggested = None
    spans = []
    for entity in row.get("entities") or []:
        if isinstance(entity, list) and len(entity) == 3 and all(isinstance(x, (int, float)) for x in entity[:2]):
            spans.append([python_offset(text, int(entity[0])), python_offset(text, int(entity[1])), entity[2]])
        else:
            spans.append(entity)  # left as it is: validation reports it
    return {"id": str(row["id"]) if "id" in row else None, "doc": row.get("doc"), "section": row.get("section"),
            "text": text, "cats": row.get("cats", []), "spans": spans, "annotator": annotator,
            "suggested": suggested}


def export_lines_to_rows(lines: list[str], annotator: str) -> list[dict | str]:
    """Convert each line; a line that is not JSON stays a string so validation reports it at its line number."""
    rows: list[dict | str] = []
    for line in lines:
        try:
            data = json.loads(line) if line.strip() else None
        except json.JSONDecodeError:
            rows.append(line)
            continue
        rows.append(export_row_to_annotation(data, annotator) if isinstance(data, dict) else line)
    return rows


def read_export(data: bytes, name: str) -> dict[str, list[str]]:
    """{annotator: lines} from an export zip (one USERNAME.jsonl per annotator) or a single JSONL file."""
    if zipfile.is_zipfile(io.BytesIO(data)):
        files = {}
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in sorted(archive.namelist()):
                if member.endswith(".jsonl"):
                    files[Path(member).stem] = archive.read(member).decode("utf-8").splitlines()
        return files
    return {Path(name).stem: data.decode("utf-8").splitlines()}


def convert_export(files: dict[str, list[str]], sentences_by_id: dict[str, dict]) -> tuple[list[dict], list[dict]]:
    """Export files -> validated annotation rows and rejects (each reject names its file and line)."""
    from .annotations import validate

    valid, rejects = [], []
    for annotator, lines in files.items():
        good_rows, bad_rows = validate(export_lines_to_rows(lines, annotator), sentences_by_id,
                                       source=f"{annotator}.jsonl")
        valid += good_rows
        rejects += bad_rows
    return valid, rejects


def pull_zip(client: Client, project_name: str, only_confirmed: bool = True) -> bytes:
    """The project's export as Doccano writes it (a zip of USERNAME.jsonl files)."""
    project = client.project(project_name)
    return client.export_zip(project["id"], only_confirmed)


def pull(client: Client, project_name: str, only_confirmed: bool = True) -> dict[str, list[str]]:
    """{annotator: export lines}. Only examples each annotator marked done, unless only_confirmed=False:
    an unconfirmed example with no labels is "not annotated yet", not "no label"."""
    return read_export(pull_zip(client, project_name, only_confirmed), "export.zip")


# --- export-file: rows for Doccano's upload page ---------------------------------------------

def import_file_rows(sentences: Iterable[dict], annotations: list[dict] | None = None) -> list[dict]:
    """Rows for Doccano's upload page (JSONL, column "text"): text + meta, and cats/entities (UTF-16
    offsets) when annotations are given (one annotator's rows: an id answered twice is an error)."""
    answers: dict[str, dict] = {}
    for row in annotations or []:
        if row["id"] in answers:
            raise ValueError(f"id {row['id']} is answered twice (annotators {answers[row['id']].get('annotator')} "
                             f"and {row.get('annotator')}); pass one annotator's rows")
        answers[row["id"]] = row
    rows = []
    for sentence in sentences:
        row = upload_row(sentence)
        if annotations is not None:
            answer = answers.get(sentence["id"], {"cats": [], "spans": []})
            text = sentence["text"]
            row["cats"] = list(answer["cats"])
            row["entities"] = [[utf16_offset(text, s), utf16_offset(text, e), label] for s, e, label in answer["spans"]]
        rows.append(row)
    return rows
