"""`govreport predict` on raw fixtures (traditional + pinyin glosses, GBK, a binary file mixed in):
the contents of the JSONL, CSV and HTML outputs, clear errors, the Python API, and a real
headless Chromium finding the highlighted spans.

The reports hold only sentences the tiny pipeline was trained on (tests/fixtures/annotations_tiny.jsonl),
so the labels it must give are known: EXPECTED writes them out by hand (offsets counted by hand)."""

import csv
import io
import json
import re
import shutil
import subprocess

import pytest
import spacy
from typer.testing import CliRunner

from conftest import invoke
from govreport.cli import app
from govreport.annotations import validate
from govreport.labels import LABEL_NAMES
from govreport.predict import label_report

# The same sentence in the review and in the plan: its label follows its section (predict passes it).
TRADITIONAL = ("花橋鎮(zhèn)2024年工作總結\n一、2024年工作情況\n嚴格落實糧食安全責任制。清拆危舊泥磚房39間。新建文化廣場3個。\n"
               "一是經濟發展動力不足,產業結構有待優化。\n二、2025年工作安排\n新建文化廣場3個。\n")
GBK = "某镇2025年工作总结\n(一)产业发展\n开展人居环境整治专项行动,累计拆除违建2000平方米。\n力争全年完成固定资产投资10亿元。\n"

# doc -> [(text, start, end in the clean document, cats, spans)], in reading order
EXPECTED = {
    "huaqiao": [
        ("花桥镇2024年工作总结", 0, 12, [], []),
        ("一、2024年工作情况", 13, 24, [], []),
        ("严格落实粮食安全责任制。", 25, 37, ["INITIATIVE"], [[0, 11, "INITIATIVE"]]),
        ("清拆危旧泥砖房39间。", 37, 48, ["ACHIEVEMENT"], [[0, 10, "ACHIEVEMENT"]]),
        ("新建文化广场3个。", 48, 57, ["ACHIEVEMENT"], [[0, 8, "ACHIEVEMENT"]]),
        ("一是经济发展动力不足,产业结构有待优化。", 58, 78, ["PROBLEM"], [[2, 10, "PROBLEM"], [11, 19, "PROBLEM"]]),
        ("二、2025年工作安排", 79, 90, [], []),
        ("新建文化广场3个。", 91, 100, ["TARGET"], [[0, 8, "TARGET"]]),
    ],
    "gbk_report": [
        ("某镇2025年工作总结", 0, 11, [], []),
        ("(一)产业发展", 12, 19, [], []),
        ("开展人居环境整治专项行动,累计拆除违建2000平方米。", 20, 47, ["INITIATIVE", "ACHIEVEMENT"],
         [[0, 12, "INITIATIVE"], [13, 26, "ACHIEVEMENT"]]),
        ("力争全年完成固定资产投资10亿元。", 48, 65, ["TARGET"], [[0, 16, "TARGET"]]),
    ],
}
# The highlighted pieces of gbk_report, as a reader sees them.
EXPECTED_MARKS = [("力争全年完成固定资产投资10亿元", "TARGET"), ("开展人居环境整治专项行动", "INITIATIVE"),
                  ("累计拆除违建2000平方米", "ACHIEVEMENT")]


def as_expected(rows):
    return {doc: [(r["text"], r["start"], r["end"], r["cats"], r["spans"]) for r in rows if r["doc"] == doc]
            for doc in dict.fromkeys(r["doc"] for r in rows)}


@pytest.fixture()
def reports(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "huaqiao.txt").write_text(TRADITIONAL, encoding="utf-8")
    (folder / "gbk_report.txt").write_bytes(GBK.encode("gbk"))
    (folder / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    return folder


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_predict_writes_jsonl_csv_and_html_with_matching_contents(tiny_pipeline, reports, tmp_path):
    out = tmp_path / "out"
    output = invoke("predict", reports, "--model", tiny_pipeline, "-o", out)
    assert "skipped scan.txt: binary file" in output

    rows = read_jsonl(out / "predictions.jsonl")
    documents = {r["doc"] for r in rows}
    assert as_expected(rows) == EXPECTED
    for r in rows:
        assert set(r["scores"]) == set(LABEL_NAMES)
        assert max(r["scores"], key=r["scores"].get) in r["cats"] or not r["cats"]
    valid, rejects = validate(rows, {r["id"]: r for r in rows})  # the rules a pulled gold row obeys
    assert rejects == []

    raw = (out / "predictions.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel/WPS read UTF-8
    table = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [t["id"] for t in table] == [r["id"] for r in rows]
    assert table[0]["text"] == rows[0]["text"] and "score_PROBLEM" in table[0]
    [mixed] = [t for t in table if t["text"].startswith("开展人居环境")]
    assert mixed["cats"] == "INITIATIVE|ACHIEVEMENT"
    assert mixed["spans"] == "INITIATIVE:开展人居环境整治专项行动; ACHIEVEMENT:累计拆除违建2000平方米"

    for doc in documents:
        page = (out / "html" / f"{doc}.html").read_text(encoding="utf-8")
        assert page.count('<mark class="entity') == sum(len(spans) for *_, spans in EXPECTED[doc])
        assert "http://" not in page and "https://" not in page  # self-contained, works offline
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "html/huaqiao.html" in index and "scan.txt" in index
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [s["file"] for s in summary["skipped"]] == ["scan.txt"]


def test_two_processes_give_the_same_rows_in_the_same_order(tiny_pipeline, reports, tmp_path):
    # batch size 2: the 12 sentences go out in two chunks of 8 and 4, to two worker processes
    invoke("predict", reports, "--model", tiny_pipeline, "-o", tmp_path / "one", "--batch-size", "2")
    invoke("predict", reports, "--model", tiny_pipeline, "-o", tmp_path / "two", "--batch-size", "2",
           "--n-process", "2")
    rows = read_jsonl(tmp_path / "two" / "predictions.jsonl")
    assert as_expected(rows) == EXPECTED
    assert rows == read_jsonl(tmp_path / "one" / "predictions.jsonl")


def test_python_api_labels_a_report_given_as_text(tiny_pipeline):
    rows = label_report(TRADITIONAL, spacy.load(tiny_pipeline), source="huaqiao.txt")
    assert as_expected(rows) == {"huaqiao": EXPECTED["huaqiao"]}
    assert rows[0]["section"] == "" and rows[2]["section"] == "一、2024年工作情况"
    assert validate(rows, {r["id"]: r for r in rows})[1] == []


def test_model_without_our_labels_is_an_error_before_any_work(tmp_path, reports):
    blank = tmp_path / "blank"
    spacy.blank("zh").to_disk(blank)
    result = CliRunner().invoke(app, ["predict", str(reports), "--model", str(blank), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert ("cannot label reports: nothing predicts categories (no textcat_multilabel or govreport_clause_labels "
            "component); nothing predicts spans (no ner or govreport_clause_labels component)") in result.output
    assert not (tmp_path / "out").exists()


def test_missing_path_or_model_is_an_error(tmp_path, tiny_pipeline):
    result = CliRunner().invoke(app, ["predict", str(tmp_path / "nope"), "--model", str(tiny_pipeline)])
    assert result.exit_code == 1 and "no such file or folder" in result.output
    (tmp_path / "r.txt").write_text(GBK, encoding="utf-8")
    result = CliRunner().invoke(app, ["predict", str(tmp_path / "r.txt"), "--model", "zh_not_installed"])
    assert result.exit_code == 1 and "cannot load model 'zh_not_installed'" in result.output


def test_headless_chromium_finds_the_highlighted_spans(tiny_pipeline, reports, tmp_path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "Chromium is required for this test: scripts/test.sh installs Debian's chromium package"
    out = tmp_path / "out"
    invoke("predict", reports, "--model", tiny_pipeline, "-o", out)
    page = out / "html" / "gbk_report.html"
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'chromium-profile'}"]
    dom = subprocess.run([chromium, *flags, "--dump-dom", page.as_uri()], capture_output=True, text=True,
                         timeout=120).stdout
    # The DOM as the browser built it: every highlighted span, with its label.
    found = sorted((m.group(2), m.group(1)) for m in re.finditer(
        r'<mark class="entity (\w+)"[^>]*>([^<]*)<span class="label">\1</span></mark>', dom))
    assert found == EXPECTED_MARKS
    shot = tmp_path / "report.png"
    subprocess.run([chromium, *flags, "--window-size=1200,1400", f"--screenshot={shot}", page.as_uri()],
                   capture_output=True, timeout=120)
    assert shot.exists() and shot.stat().st_size > 10_000
