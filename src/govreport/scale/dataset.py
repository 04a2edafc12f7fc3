"""The Parquet dataset of a corpus-scale run: layout, Arrow schemas, atomic commits, manifest.

Layout of ``OUT/`` (schemas in docs/SCHEMAS.md, "Parquet dataset")::

    _dataset.json                                   model name/version + thresholds that wrote it
    _manifest/KEY.json                              one per unit (a file, or a row batch of a table):
                                                    the file's content hash -> parts written
    sentences/level=LEVEL/year=YEAR/part-KEY.parquet  one row per sentence
    documents/level=LEVEL/year=YEAR/part-KEY.parquet  one row per document
    skipped/part-KEY.parquet                        files/rows/pages not read (and duplicates), with reasons
    _staging/                                       temporary files of tasks in flight

``KEY`` is derived from the unit's name (``file`` or ``file#rows=201-400``), so redoing a unit overwrites
its parts instead of adding a second copy. Each part is written under a temporary name and renamed into
place (``os.replace``, atomic on one filesystem): a part is always whole, and one document lies in one
part. The manifest entry is written last: a unit counts as done only once all its parts are in place. Names that start
with ``_`` or ``.`` are ignored by pyarrow and by DuckDB's ``**/*.parquet`` glob.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ..labels import LABEL_NAMES

FORMAT = "govreport-parquet/1"
DATASET_FILE = "_dataset.json"
MANIFEST_DIR = "_manifest"
STAGING_DIR = "_staging"

SENTENCE_SCHEMA = pa.schema(
    [("id", pa.string()), ("doc", pa.string()), ("file", pa.string()), ("row", pa.int32()),
     ("place", pa.string()), ("kind", pa.string()), ("title", pa.string()), ("delivered", pa.string()),
     ("section", pa.string()), ("heading", pa.bool_()), ("start", pa.int32()), ("end", pa.int32()),
     ("line", pa.int32()), ("text", pa.string()), ("flags", pa.list_(pa.string()))]
    + [(f"score_{label}", pa.float64()) for label in LABEL_NAMES]
    + [("cats", pa.list_(pa.string())), ("spans", pa.string()),
       ("model", pa.string()), ("model_version", pa.string())])

DOCUMENT_SCHEMA = pa.schema(
    [("doc", pa.string()), ("file", pa.string()), ("row", pa.int32()), ("source", pa.string()),
     ("title", pa.string()), ("place", pa.string()), ("kind", pa.string()), ("delivered", pa.string()),
     ("years", pa.list_(pa.int32())), ("reviewed_years", pa.list_(pa.int32())),
     ("planned_years", pa.list_(pa.int32())), ("encoding", pa.string()), ("url", pa.string()),
     ("metadata", pa.string()), ("suspect", pa.list_(pa.string())), ("chars", pa.int32()),
     ("sentences", pa.int32()), ("changes", pa.int32()), ("flags", pa.int32()),
     ("text_sha1", pa.string()), ("input_sha256", pa.string()),
     ("model", pa.string()), ("model_version", pa.string())])

SKIPPED_SCHEMA = pa.schema(
    [("file", pa.string()), ("row", pa.int32()), ("line", pa.int32()), ("page", pa.int32()),
     ("doc", pa.string()), ("reason", pa.string()), ("input_sha256", pa.string())])


class DatasetError(Exception):
    """The output folder cannot take this run (written by another model, or not a dataset)."""


def input_key(name: str) -> str:
    """File-name-safe key of an input (its name as reported, e.g. ``hailar/hailar_2014.txt``)."""
    return hashlib.sha1(name.encode("utf-8")).hexdigest()[:20]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def partition_value(value: str) -> str:
    """A hive partition value: no path separators, no '='."""
    cleaned = str(value).replace("/", "_").replace("=", "_").strip()
    return cleaned or "unknown"


def open_dataset(out: Path, identity: dict) -> None:
    """Create ``out`` for a model, or check that it was written by the same model (name, version,
    thresholds). A different model is refused: one dataset never mixes two models' labels."""
    out = Path(out)
    marker = out / DATASET_FILE
    if marker.exists():
        try:
            found = json.loads(marker.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as err:
            raise DatasetError(f"{marker} is unreadable ({err}); not a govreport dataset?") from None
        if found.get("format") != FORMAT:
            raise DatasetError(f"{out} holds a dataset of format {found.get('format')!r}, not {FORMAT!r}")
        was, now = found.get("model", {}), identity
        if (was.get("name"), was.get("version"), was.get("thresholds")) != \
                (now["name"], now["version"], now["thresholds"]):
            raise DatasetError(
                f"{out} was written by model {was.get('name')} {was.get('version')} (thresholds "
                f"{was.get('thresholds')}); this run uses {now['name']} {now['version']} (thresholds "
                f"{now['thresholds']}). A dataset never mixes two models: write to a new --parquet folder "
                f"(or delete {out} to start over).")
        return
    if out.exists() and any(p for p in out.iterdir() if not p.name.startswith(".")):
        raise DatasetError(f"{out} exists and is not a govreport dataset (no {DATASET_FILE}): "
                           f"choose an empty or new folder")
    out.mkdir(parents=True, exist_ok=True)
    write_atomically(marker, (json.dumps({"format": FORMAT, "model": identity}, ensure_ascii=False, indent=1)
                              + "\n").encode("utf-8"), out)


def staging(out: Path) -> Path:
    path = Path(out) / STAGING_DIR
    path.mkdir(parents=True, exist_ok=True)
    return path


def write_atomically(path: Path, data: bytes, out: Path) -> None:
    """Write bytes under a temporary name in the same filesystem, then rename into place."""
    temporary = staging(out) / f"{uuid.uuid4().hex}.tmp"
    temporary.write_bytes(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.replace(temporary, path)


def write_table_atomically(table: pa.Table, path: Path, out: Path) -> None:
    temporary = staging(out) / f"{uuid.uuid4().hex}.tmp"
    pq.write_table(table, temporary, compression="zstd")
    path.parent.mkdir(parents=True, exist_ok=True)
    os.replace(temporary, path)


def manifest_path(out: Path, key: str) -> Path:
    return Path(out) / MANIFEST_DIR / f"{key}.json"


def read_manifest(out: Path) -> dict[str, dict]:
    """Manifest entries by unit name (``input``)."""
    folder = Path(out) / MANIFEST_DIR
    entries = {}
    if folder.is_dir():
        for path in folder.glob("*.json"):
            entry = json.loads(path.read_text(encoding="utf-8"))
            entries[entry["input"]] = entry
    return entries


def remove_stale_parts(out: Path, old_parts: list[str], new_parts: list[str]) -> None:
    """Parts an earlier run wrote for an input whose content changed and that this run did not overwrite."""
    for part in set(old_parts) - set(new_parts):
        (Path(out) / part).unlink(missing_ok=True)


def retire(out: Path, entry: dict) -> None:
    """Take a unit out of the dataset (its file changed into other units, e.g. a table that grew or a
    new --rows-per-task): its parts first, then its manifest entry, so that an interruption in between
    leaves an entry whose parts are missing, which the next plan redoes or retires again."""
    for part in entry["parts"]:
        (Path(out) / part).unlink(missing_ok=True)
    manifest_path(out, entry["key"]).unlink(missing_ok=True)


def read_table(out: Path, name: str):
    """One of the dataset's tables (``sentences``, ``documents``, ``skipped``) as a pyarrow Table,
    with ``level`` and ``year`` as string columns."""
    import pyarrow.dataset as ds

    folder = Path(out) / name
    if not folder.exists():
        return None
    if name == "skipped":
        return ds.dataset(folder, format="parquet").to_table()
    partitioning = ds.partitioning(pa.schema([("level", pa.string()), ("year", pa.string())]), flavor="hive")
    return ds.dataset(folder, format="parquet", partitioning=partitioning).to_table()
