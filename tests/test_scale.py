"""Corpus-scale runs on a REAL Dask LocalCluster (2 worker processes) with the tiny real pipeline of
conftest.tiny_pipeline: every document exactly once and labelled as a single-process run labels it,
also when a worker is killed in the middle; a rerun after an interruption redoes only what the
manifest lacks; a table is labelled in row batches, each committed once; `govreport corpus` on Dask
writes what it writes without Dask (duplicates across files and batches included); the dashboard is
served; an unreachable scheduler, a worker without the model and a dataset of another model version
are refused with a clear message; a bad file lands in the skipped table."""

import csv
import json
import urllib.request
import os
import shutil
import signal
import time
from pathlib import Path

import pytest

from conftest import ROOT, free_port, invoke
from govreport.corpus import process_files
from govreport.predict import check_model, label_sentences
from govreport.readers import read_file
from govreport.scale import cluster, dataset, run
from govreport.scale.units import plan_units, read_unit

REPORTS = sorted((ROOT / "corpus" / "reports" / "hailar").glob("*.txt")) + \
    sorted((ROOT / "corpus" / "reports" / "hebei_repo").glob("*.txt"))[:4]
TABLE_TEXTS = [(ROOT / "corpus" / "reports" / "hebei_repo" / name).read_text(encoding="utf-8")
               for name in ("baoding_2018.txt", "baoding_2024.txt", "hebei_2000.txt", "hebei_2001.txt")]


def write_csv_table(path: Path, texts: list[str], text_column: str = "full_text") -> None:
    """A table of reports, one per row; an empty text is a row that must be skipped with its number."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["title", text_column])
        writer.writerows([f"report {number}", text] for number, text in enumerate(texts, start=1))


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:
    """12 reports as found, plus one file that is not a report (it must be skipped, with its reason)."""
    folder = tmp_path_factory.mktemp("reports")
    for path in REPORTS:
        shutil.copy(path, folder / path.name)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n this is not a PDF at all")
    return folder


@pytest.fixture(scope="module")
def client():
    client = cluster.connect(workers=2)
    yield client
    cluster.close(client)


@pytest.fixture(scope="module")
def single_process(reports, tiny_pipeline) -> dict:
    """The answers of today's path (process_files + label_sentences in one process), by sentence id."""
    import spacy

    nlp = spacy.load(tiny_pipeline)
    result = process_files([reports])
    sentences = [s for d in result.documents for s in result.sentences[d.doc]]
    rows = label_sentences(sentences, nlp, check_model(nlp))
    return {r["id"]: (r["doc"], r["start"], r["end"], r["scores"], r["cats"], r["spans"]) for r in rows}


def run_into(out: Path, reports: Path, model: Path, client=None, on_done=lambda entry: None) -> run.RunResult:
    identity = cluster.warm_up(client, str(model)) if client is not None else run.local_identity(str(model))
    dataset.open_dataset(out, identity)
    return run.run(run.plan([reports], out), out, str(model), client=client, on_done=on_done)


def answers(out: Path) -> dict:
    """The dataset's answers by sentence id; fails if a sentence or a document is there twice."""
    table = dataset.read_table(out, "sentences").to_pylist()
    ids = [r["id"] for r in table]
    assert len(ids) == len(set(ids)), "a sentence is in the dataset twice"
    documents = [(r["file"], r["doc"]) for r in dataset.read_table(out, "documents").to_pylist()]
    assert len(documents) == len(set(documents)), "a document is in the dataset twice"
    return {r["id"]: (r["doc"], r["start"], r["end"], {k[6:]: r[k] for k in r if k.startswith("score_")},
                      r["cats"], json.loads(r["spans"])) for r in table}


def test_every_document_exactly_once_and_labelled_as_in_one_process(client, reports, tiny_pipeline,
                                                                     single_process, tmp_path):
    result = run_into(tmp_path / "dask", reports, tiny_pipeline, client)
    assert (result.processed, result.failed) == (len(REPORTS) + 1, [])
    assert answers(tmp_path / "dask") == single_process
    documents = dataset.read_table(tmp_path / "dask", "documents").to_pylist()
    assert sorted(d["file"] for d in documents) == sorted(p.name for p in REPORTS)
    assert ("district", "2012") in {(d["level"], d["year"]) for d in documents}  # hailar_2012: 海拉尔区, 2012-02-29
    assert all(d["year"] == d["delivered"][:4] for d in documents if d["delivered"])
    skipped = dataset.read_table(tmp_path / "dask", "skipped").to_pylist()
    assert [s["file"] for s in skipped] == ["broken.pdf"] and skipped[0]["reason"]
    # the same run without Dask writes the same dataset
    run_into(tmp_path / "here", reports, tiny_pipeline)
    assert answers(tmp_path / "here") == single_process


def test_a_worker_killed_in_the_middle_loses_nothing_and_doubles_nothing(client, reports, tiny_pipeline,
                                                                        single_process, tmp_path):
    killed = []

    def kill_a_busy_worker(entry):
        if killed:
            return
        busy = [address for address, keys in client.processing().items() if keys]
        assert busy, "no task in flight to interrupt"
        pid = client.run(os.getpid, workers=busy[:1])[busy[0]]
        os.kill(pid, signal.SIGKILL)  # as a lost node: no goodbye to the scheduler
        killed.append(busy[0])

    result = run_into(tmp_path / "out", reports, tiny_pipeline, client, on_done=kill_a_busy_worker)
    assert killed and result.failed == [] and result.processed == len(REPORTS) + 1
    assert killed[0] not in client.scheduler_info(n_workers=-1)["workers"]  # that process is gone
    assert answers(tmp_path / "out") == single_process


def workers_busy(client) -> bool:
    """A worker still runs a task. The scheduler forgets a cancelled task at once, but its worker thread
    finishes it (and commits its unit), so ask the workers, not the scheduler."""
    counts = client.run(lambda dask_worker: len(dask_worker.state.executing) + len(dask_worker.state.long_running))
    return any(counts.values()) or any(client.processing().values())


def test_a_rerun_after_an_interruption_redoes_only_what_the_manifest_lacks(client, reports, tiny_pipeline,
                                                                           single_process, tmp_path):
    out = tmp_path / "out"

    def interrupt_after_three(entry, seen=[]):
        seen.append(entry)
        if len(seen) == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_into(out, reports, tiny_pipeline, client, on_done=interrupt_after_three)
    deadline = time.monotonic() + 30
    while workers_busy(client) and time.monotonic() < deadline:
        time.sleep(0.1)  # a task already running when Ctrl-C came still commits whole
    before = {p.name: p.stat().st_mtime_ns for p in (out / dataset.MANIFEST_DIR).glob("*.json")}
    assert 3 <= len(before) < len(REPORTS) + 1
    parts_before = {p: p.stat().st_mtime_ns for p in out.rglob("*.parquet")}
    todo = run.plan([reports], out).todo
    assert len(todo) == len(REPORTS) + 1 - len(before)
    result = run_into(out, reports, tiny_pipeline, client)
    assert result.processed == len(todo)
    after = {p.name: p.stat().st_mtime_ns for p in (out / dataset.MANIFEST_DIR).glob("*.json")}
    assert {name: after[name] for name in before} == before  # nothing done twice
    assert all(path.stat().st_mtime_ns == mtime for path, mtime in parts_before.items())
    assert answers(out) == single_process
    assert run.plan([reports], out).todo == []


def test_a_changed_input_replaces_its_rows(reports, tiny_pipeline, single_process, tmp_path):
    folder = tmp_path / "reports"
    shutil.copytree(reports, folder)
    run_into(tmp_path / "out", folder, tiny_pipeline)
    first = REPORTS[0].name
    (folder / first).write_bytes(REPORTS[1].read_bytes())  # new content, same name
    assert [i.name for i in run.plan([folder], tmp_path / "out").todo] == [first]
    run_into(tmp_path / "out", folder, tiny_pipeline)
    documents = [(d["file"], d["doc"]) for d in dataset.read_table(tmp_path / "out", "documents").to_pylist()]
    assert documents.count((first, REPORTS[0].stem)) == 1
    assert len(answers(tmp_path / "out")) == len(single_process) - \
        sum(v[0] == REPORTS[0].stem for v in single_process.values()) + \
        sum(v[0] == REPORTS[1].stem for v in single_process.values())


def test_a_scheduler_that_cannot_be_reached_fails_with_a_clear_message():
    address = f"tcp://127.0.0.1:{free_port()}"
    with pytest.raises(cluster.ScaleError, match=f"cannot reach the Dask scheduler at {address}"):
        cluster.connect(scheduler=address, timeout=2)


def test_workers_without_the_model_are_named(client):
    with pytest.raises(cluster.ScaleError, match=r"2 of 2 workers cannot load model 'zh_no_such_model' \(worker tcp://"):
        cluster.warm_up(client, "zh_no_such_model")


def test_a_dataset_of_another_model_version_is_refused(reports, tiny_pipeline, tmp_path):
    run_into(tmp_path / "out", reports, tiny_pipeline)
    newer = tmp_path / "model"
    shutil.copytree(tiny_pipeline, newer)
    meta = json.loads((newer / "meta.json").read_text())
    meta["version"] = "9.9.9"
    (newer / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(dataset.DatasetError, match=r"was written by model .* 0\.0\.0 .* this run uses .* 9\.9\.9"):
        run_into(tmp_path / "out", reports, newer)
    parts = sorted(p.name for p in (tmp_path / "out").rglob("*.parquet"))
    output = invoke_failing("predict", reports, "--model", newer, "--parquet", tmp_path / "out")
    assert "never mixes two models" in output
    assert sorted(p.name for p in (tmp_path / "out").rglob("*.parquet")) == parts


def test_predict_cli_writes_and_resumes_a_parquet_dataset(reports, tiny_pipeline, tmp_path):
    folder = tmp_path / "two"
    folder.mkdir()
    for path in REPORTS[:2]:
        shutil.copy(path, folder / path.name)
    output = invoke("predict", folder, "--model", tiny_pipeline, "--parquet", tmp_path / "out")
    assert "0 of 2 units (files, row batches) already" in output and "2 units -> 2 documents" in output
    output = invoke("predict", folder, "--model", tiny_pipeline, "--parquet", tmp_path / "out")
    assert "2 of 2 units (files, row batches) already" in output and "0 units -> 0 documents" in output
    output = invoke_failing("predict", folder, "--model", tiny_pipeline, "--workers", "2")
    assert "add --parquet" in output


def invoke_failing(*args) -> str:
    from typer.testing import CliRunner

    from govreport.cli import app

    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exit_code != 0, result.output
    return result.output


@pytest.mark.parametrize("table", ["csv", "jsonl", "xlsx", "csv without a text column"])
def test_row_batches_together_read_what_the_whole_table_reads(table, tmp_path):
    texts = ["第一份报告。", "", "第三份报告。", "第四份报告。", "第五份报告。"]
    if table == "jsonl":
        path = tmp_path / "t.jsonl"
        lines = [json.dumps({"title": str(i), "content": t}, ensure_ascii=False) for i, t in enumerate(texts)]
        path.write_text("\n".join(lines[:2] + ["{not json"] + lines[2:]) + "\n", encoding="utf-8")
    elif table == "xlsx":
        import openpyxl

        path = tmp_path / "t.xlsx"
        workbook = openpyxl.Workbook()
        workbook.active.append(["title", "正文"])
        for number, text in enumerate(texts, start=1):
            workbook.active.append([str(number), text])
        workbook.save(path)
    else:
        path = tmp_path / "t.csv"
        write_csv_table(path, texts, "full_text" if table == "csv" else "body")
        path.write_text(path.read_text(encoding="utf-8") + "too,many,fields\n", encoding="utf-8")
    whole = list(read_file(path, path.name))
    units = list(plan_units([path], rows_per_task=2))
    assert len(units) == 3 and units[-1].rows.last is None
    assert [item for unit in units for item in read_unit(unit)] == whole
    assert list(plan_units([path], rows_per_task=6))[0].rows is None  # a table that fits one task is read whole


def test_a_table_is_labelled_in_row_batches_each_committed_once(client, tiny_pipeline, tmp_path):
    import spacy

    folder = tmp_path / "in"
    folder.mkdir()
    write_csv_table(folder / "reports.csv", [TABLE_TEXTS[0], TABLE_TEXTS[1], "", TABLE_TEXTS[2], TABLE_TEXTS[3]])
    nlp = spacy.load(tiny_pipeline)
    whole = process_files([folder])
    expected = {r["id"]: (r["doc"], r["start"], r["end"], r["scores"], r["cats"], r["spans"])
                for r in label_sentences([s for d in whole.documents for s in whole.sentences[d.doc]], nlp,
                                         check_model(nlp))}
    out = tmp_path / "out"

    def manifest() -> list[tuple]:
        return sorted((e["input"], e["documents"], e["skipped"]) for e in dataset.read_manifest(out).values())

    def rows_once() -> None:
        assert answers(out) == expected  # fails on a sentence or a document twice
        assert sorted(d["row"] for d in dataset.read_table(out, "documents").to_pylist()) == [1, 2, 4, 5]
        assert [(s["file"], s["row"]) for s in dataset.read_table(out, "skipped").to_pylist()] == [("reports.csv", 3)]

    output = invoke("predict", folder, "-m", tiny_pipeline, "--parquet", out, "--scheduler", client.scheduler.address,
                    "--rows-per-task", 2)
    assert "0 of 3 units" in output and "3 units -> 4 documents" in output
    assert manifest() == [("reports.csv#rows=1-2", 2, 0), ("reports.csv#rows=3-4", 1, 1), ("reports.csv#rows=5-end", 1, 0)]
    rows_once()
    # another split: the old batches are retired before the new ones are committed, never both in the dataset
    output = invoke("predict", folder, "-m", tiny_pipeline, "--parquet", out, "--rows-per-task", 3)
    assert "3 units of an earlier split retired" in output
    assert manifest() == [("reports.csv#rows=1-3", 2, 1), ("reports.csv#rows=4-end", 2, 0)]
    rows_once()
    assert run.plan([folder], out, rows_per_task=3).todo == []


@pytest.fixture(scope="module")
def raw_reports(tmp_path_factory) -> Path:
    """Reports as found for `govreport corpus`: three files, a copy of one under another name, a table
    whose 4th row repeats its 1st (another batch at 2 rows per task) and whose 2nd is empty, a broken PDF."""
    folder = tmp_path_factory.mktemp("raw")
    for path in REPORTS[:2] + REPORTS[-1:]:
        shutil.copy(path, folder / path.name)
    shutil.copy(REPORTS[0], folder / "copy_of_first.txt")
    write_csv_table(folder / "table.csv", [TABLE_TEXTS[0], "", TABLE_TEXTS[1], TABLE_TEXTS[0]])
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n this is not a PDF at all")
    return folder


def test_corpus_on_a_local_cluster_writes_what_one_process_writes(raw_reports, tmp_path):
    invoke("corpus", "--raw", raw_reports, "--out", tmp_path / "one")
    output = invoke("corpus", "--raw", raw_reports, "--out", tmp_path / "dask", "--workers", 2, "--rows-per-task", 2)
    assert "Dask dashboard: http" in output
    for name in ("documents.jsonl", "sentences.jsonl", "report.json"):
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "one" / name).read_bytes(), name
    clean = sorted(p.name for p in (tmp_path / "one" / "clean").iterdir())
    assert sorted(p.name for p in (tmp_path / "dask" / "clean").iterdir()) == clean
    assert all((tmp_path / "dask" / "clean" / n).read_bytes() == (tmp_path / "one" / "clean" / n).read_bytes()
               for n in clean)
    report = json.loads((tmp_path / "dask" / "report.json").read_text(encoding="utf-8"))
    duplicates = {d["doc"]: d["duplicate_of"] for d in report["duplicates"]}
    assert duplicates["table-r004"] == "table-r001"  # across two row batches
    assert {REPORTS[0].stem, "copy_of_first"} & set(duplicates)  # across two files
    assert {(s["file"], s["row"]) for s in report["files_skipped"]} == {("broken.pdf", None), ("table.csv", 2)}
    assert len(report["documents"]) == 5  # 4 files + 3 table rows, less 2 duplicates


def test_an_unreachable_scheduler_and_bad_options_fail_with_a_clear_message(raw_reports, tmp_path):
    address = f"tcp://127.0.0.1:{free_port()}"
    output = invoke_failing("corpus", "--raw", raw_reports, "--out", tmp_path / "out", "--scheduler", address)
    assert f"cannot reach the Dask scheduler at {address}" in output
    assert not (tmp_path / "out").exists()
    assert "not both" in invoke_failing("corpus", "--raw", raw_reports, "--workers", 1, "--scheduler", address)
    assert "--workers must be 1 or more" in invoke_failing("corpus", "--raw", raw_reports, "--workers", 0)
    for command in (["corpus", "--raw", raw_reports, "--workers", 1], ["predict", raw_reports, "-m", "any",
                                                                       "--parquet", tmp_path / "out"]):
        assert "--rows-per-task must be 1 or more" in invoke_failing(*command, "--rows-per-task", 0)
    assert not (tmp_path / "out").exists()


def test_the_dashboard_is_served(client):
    link = cluster.dashboard_link(client)
    assert link, "no dashboard: is bokeh installed?"
    with urllib.request.urlopen(link, timeout=30) as page:  # without bokeh this port says only "Dask needs bokeh"
        assert page.status == 200 and b"<title>Dask Diagnostic UI</title>" in page.read()
