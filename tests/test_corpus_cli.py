"""`govreport corpus` end to end: the shipped corpus, and folders with bad files mixed in."""

import json
import re

import opencc
from typer.testing import CliRunner

from conftest import ROOT
from govreport.cli import app
from govreport.normalise import PINYIN_GLOSS

runner = CliRunner()


def run_corpus(raw, out):
    return runner.invoke(app, ["corpus", "--raw", str(raw), "--out", str(out)])


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_shipped_corpus(tmp_path):
    result = run_corpus(ROOT / "corpus" / "raw", tmp_path)
    assert result.exit_code == 0, result.output
    documents = {d["doc"]: d for d in read_jsonl(tmp_path / "documents.jsonl")}
    sentences = read_jsonl(tmp_path / "sentences.jsonl")
    # 4 township reports + the 9 that collection 003 really holds (its contents page lists 11) + 2 city reports.
    assert len(documents) == 15
    assert [d["level"] for d in documents.values()].count("city") == 2
    assert documents["baoding_2025"]["title"] == "2025年保定市政府工作报告" and documents["baoding_2025"]["url"]
    assert "table of contents lists '10. 顾集镇政府工作报告'" in result.output
    assert len({s["id"] for s in sentences}) == len(sentences) > 1500
    t2s = opencc.OpenCC("t2s")
    for s in sentences:
        assert documents[s["doc"]]["text"][s["start"]:s["end"]] == s["text"]
        assert s["text"] not in ("头部", "footer底部") and not re.search(
            r"footer|浏览次数|二维码|关键词\d|empirenews|来源URL|发文单位", s["text"]), s
        assert not PINYIN_GLOSS.search(s["text"]), s
        assert t2s.convert(s["text"]) == s["text"] or "mojibake" in s["flags"], s
    assert "Corpus: one row per document" in result.output
    assert "15 documents" in result.output
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["files_read"] == 7 and report["files_skipped"] == []


def test_bad_files_are_skipped_with_reasons_and_good_files_still_processed(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "good.txt").write_bytes("某镇2025年工作总结\n完成造林2000亩。\n".encode("gbk"))
    (raw / "empty.txt").write_bytes(b"")
    (raw / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (raw / "chrome.txt").write_text("头部\nfooter底部\n", encoding="utf-8")
    result = run_corpus(raw, tmp_path / "out")
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    skipped = {s["file"]: s["reason"] for s in report["files_skipped"]}
    assert set(skipped) == {"empty.txt", "picture.txt", "chrome.txt"}
    assert "empty" in skipped["empty.txt"] and "PNG" in skipped["picture.txt"] and "chrome" in skipped["chrome.txt"]
    assert report["files_read"] == 1
    assert [d["encoding"] for d in report["documents"]] == ["gb18030"]
    assert "skipped picture.txt" in result.output and "read 1 reports, skipped 3" in result.output


def test_folder_without_reports_is_a_clear_error(tmp_path):
    (tmp_path / "raw").mkdir()
    result = run_corpus(tmp_path / "raw", tmp_path / "out")
    assert result.exit_code == 1
    assert "no report files found" in result.output


def test_missing_folder_is_a_clear_error(tmp_path):
    result = run_corpus(tmp_path / "nope", tmp_path / "out")
    assert result.exit_code == 1
    assert "no such file or folder" in result.output
