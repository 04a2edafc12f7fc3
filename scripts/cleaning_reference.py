"""Hand-made reference of body boundaries for reports in corpus/reports/ (issue 14).

Each reference document is one report as found: a .txt file, one CSV row or one JSONL row.
Its *reference view* is the report's text as stored (the text cell for tables), with literal
escape sequences (the four characters ``\\r\\n``) turned into line breaks and nothing else
changed. Every line of that view is labelled by a person, one of:

  body    the report itself (speech text, headings, the closing appeal)
  front   front matter: title lines, the date/meeting line, the speaker line, 报告人/署名
  notes   notes that are not the speech: 名词解释, 注释, footnote explanations
  chrome  everything a web site or crawler added: navigation, teasers, share/print bars,
          disclaimers, watermarks, related-article lists, tag clouds, counters, crawler headers

A line that mixes two kinds is split into several rows with the same line number whose texts
concatenate to the line.

  python scripts/cleaning_reference.py dump      # writes DIR/NAME.jsonl with label "?" (if absent)
  python scripts/cleaning_reference.py check     # every line labelled, texts match the source

The reference lives in tests/data/cleaning_reference/; which documents were held out while the
cleaning rules were written is in its README.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "corpus" / "reports"
REFERENCE = ROOT / "tests" / "data" / "cleaning_reference"
LABELS = ("body", "front", "notes", "chrome")

# name -> (file under corpus/reports, row number for tables (1-based data row) or None, split)
# 'dev' documents were looked at while writing the cleaning rules; 'heldout' ones were not.
DOCUMENTS: dict[str, tuple[str, int | None, str]] = {
    # crawler header + site footer (hebei.gov.cn, ce.cn)
    "baoding_2009": ("hebei_repo/baoding_2009.txt", None, "dev"),
    "baoding_2021": ("hebei_repo/baoding_2021.txt", None, "dev"),
    "hebei_2003": ("hebei_repo/hebei_2003.txt", None, "dev"),
    "hebei_2013": ("hebei_repo/hebei_2013.txt", None, "dev"),
    "hebei_2022": ("hebei_repo/hebei_2022.txt", None, "dev"),
    "baoding_2014": ("hebei_repo/baoding_2014.txt", None, "heldout"),
    "baoding_2018": ("hebei_repo/baoding_2018.txt", None, "heldout"),
    "baoding_2022": ("hebei_repo/baoding_2022.txt", None, "heldout"),
    "hebei_2007": ("hebei_repo/hebei_2007.txt", None, "heldout"),
    "hebei_2024": ("hebei_repo/hebei_2024.txt", None, "heldout"),
    # 中国县域 pages (county)
    "boye_2021": ("baoding_counties/boye_2021.txt", None, "dev"),
    "fuping_2020": ("baoding_counties/fuping_2020.txt", None, "dev"),
    "mancheng_2021": ("baoding_counties/mancheng_2021.txt", None, "dev"),
    "dingxing_2021": ("baoding_counties/dingxing_2021.txt", None, "heldout"),
    "laishui_2021": ("baoding_counties/laishui_2021.txt", None, "heldout"),
    "yixian_2021": ("baoding_counties/yixian_2021.txt", None, "heldout"),
    # 马克数据网 pages (literal \r\n, &nbsp;)
    "rongcheng_2012": ("baoding_counties/rongcheng_2012.txt", None, "dev"),
    "xushui_2013": ("baoding_counties/xushui_2013.txt", None, "dev"),
    "laishui_2010": ("baoding_counties/laishui_2010.txt", None, "dev"),
    "rongcheng_2019": ("baoding_counties/rongcheng_2019.txt", None, "heldout"),
    "xushui_2018": ("baoding_counties/xushui_2018.txt", None, "heldout"),
    "yixian_2018": ("baoding_counties/yixian_2018.txt", None, "heldout"),
    # provincial CSV rows
    "beijing_2026": ("provinces_2026/beijing_2026.csv", 1, "dev"),
    "guangdong_2026": ("provinces_2026/guangdong_2026.csv", 1, "dev"),
    "sichuan_2026": ("provinces_2026/sichuan_2026.csv", 1, "dev"),
    "xinjiang_2026": ("provinces_2026/xinjiang_2026.csv", 1, "dev"),
    "zhejiang_2026": ("provinces_2026/zhejiang_2026.csv", 1, "heldout"),
    "shanxi_2026": ("provinces_2026/shanxi_2026.csv", 1, "heldout"),
    "hubei_2026": ("provinces_2026/hubei_2026.csv", 1, "heldout"),
    "jilin_2026": ("provinces_2026/jilin_2026.csv", 1, "heldout"),
    # national JSONL rows (row = 1-based line of the JSONL file)
    "national_2023": ("national/government_work_reports.jsonl", 5, "dev"),
    "national_1978": ("national/government_work_reports.jsonl", 62, "dev"),
    "national_resolution_2023": ("national/government_work_reports.jsonl", 6, "dev"),
    "national_2016": ("national/government_work_reports.jsonl", 18, "heldout"),
    "national_1998": ("national/government_work_reports.jsonl", 46, "heldout"),
    "national_resolution_2018": ("national/government_work_reports.jsonl", 15, "heldout"),
    # clean GB18030 text (district)
    "hailar_2013": ("hailar/hailar_2013.txt", None, "dev"),
    "hailar_2016": ("hailar/hailar_2016.txt", None, "dev"),
    "hailar_2014": ("hailar/hailar_2014.txt", None, "heldout"),
    "hailar_2018": ("hailar/hailar_2018.txt", None, "heldout"),
}


def source_text(path: Path, row: int | None) -> str:
    """The report's text as stored: the whole file, or the text cell of one table row."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030")
    if row is None:
        return text
    if path.suffix == ".jsonl":
        return json.loads(text.splitlines()[row - 1])["content"]
    rows = list(csv.DictReader(io.StringIO(text)))
    return rows[row - 1]["full_text"]


def reference_lines(text: str) -> list[str]:
    text = text.replace("\\r\\n", "\n").replace("\\n", "\n").replace("\\r", "\n")
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def load(name: str) -> list[dict]:
    with open(REFERENCE / f"{name}.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def dump() -> None:
    REFERENCE.mkdir(parents=True, exist_ok=True)
    for name, (rel, row, _) in DOCUMENTS.items():
        out = REFERENCE / f"{name}.jsonl"
        if out.exists():
            continue
        lines = reference_lines(source_text(REPORTS / rel, row))
        with open(out, "w", encoding="utf-8") as f:
            for number, line in enumerate(lines, start=1):
                f.write(json.dumps({"line": number, "label": "?", "text": line}, ensure_ascii=False) + "\n")
        print(f"wrote {out.relative_to(ROOT)} ({len(lines)} lines)")


def check() -> int:
    problems = 0
    for name, (rel, row, _) in DOCUMENTS.items():
        if not (REFERENCE / f"{name}.jsonl").exists():
            print(f"{name}: missing")
            problems += 1
            continue
        lines = reference_lines(source_text(REPORTS / rel, row))
        rows = load(name)
        joined: dict[int, str] = {}
        for r in rows:
            joined[r["line"]] = joined.get(r["line"], "") + r["text"]
            if r["label"] not in LABELS and r["text"].strip():
                print(f"{name}:{r['line']}: label {r['label']!r} (want one of {', '.join(LABELS)})")
                problems += 1
        for number, line in enumerate(lines, start=1):
            if joined.get(number) != line:
                print(f"{name}:{number}: text differs from the source line")
                problems += 1
    print(f"{len(DOCUMENTS)} documents, {problems} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "dump":
        dump()
    else:
        sys.exit(check())
