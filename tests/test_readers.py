"""The input readers of issue 14: every format and every bad input, on tiny fixtures made here
with the real libraries (reportlab + pypdf, python-docx, openpyxl), and two real shipped tables."""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import openpyxl
import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from govreport.normalise import read_report
from govreport.readers import Skipped, Source, read_inputs

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "corpus" / "reports"

pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))  # built-in CID font: Chinese without a font file

BODY = "现在，我代表县人民政府，向大会报告政府工作，请予审议。"


def read(*paths: Path, **kwargs) -> list[Source | Skipped]:
    return list(read_inputs(list(paths), **kwargs))


def one_source(path: Path, **kwargs) -> Source:
    items = read(path, **kwargs)
    assert len(items) == 1 and isinstance(items[0], Source), items
    return items[0]


def one_skipped(path: Path) -> Skipped:
    items = read(path)
    assert len(items) == 1 and isinstance(items[0], Skipped), items
    return items[0]


def make_pdf(pages: list[list[str]], header: str | None = None, footer=None) -> bytes:
    """A real PDF, one list of body lines per page, with an optional running header and footer(page)."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for number, lines in enumerate(pages, start=1):
        pdf.setFont("STSong-Light", 11)
        if header:
            pdf.drawString(72, 800, header)
        for i, line in enumerate(lines):
            pdf.drawString(60, 760 - 18 * i, line)
        if footer:
            pdf.drawString(280, 40, footer(number))
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


# ---------------------------------------------------------------- txt


def test_txt_any_encoding_doc_id_is_the_stem(tmp_path):
    path = tmp_path / "003_cfee10404340668b.txt"
    path.write_bytes(("某镇人民政府工作报告\n" + BODY + "\n").encode("gb18030"))
    source = one_source(path)
    assert (source.doc, source.file, source.row, source.format, source.pages) == \
        ("003_cfee10404340668b", "003_cfee10404340668b.txt", None, "txt", None)
    assert source.text.startswith("某镇人民政府工作报告\n现在") and source.encoding == "gb18030"
    assert (source.text, source.encoding) == read_report(path)  # the same decoding as before


def test_no_extension_is_text(tmp_path):
    (tmp_path / "report").write_text(BODY, encoding="utf-8")
    assert one_source(tmp_path / "report").format == "txt"


def test_empty_and_binary_txt_are_skipped_with_the_reason(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"  \n")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    empty, image = read(tmp_path)
    assert empty.file == "empty.txt" and "empty file" in empty.reason
    assert image.file == "image.txt" and "PNG image" in image.reason


def test_pdf_named_txt_is_read_as_pdf_and_says_so(tmp_path):
    path = tmp_path / "renamed.txt"
    path.write_bytes(make_pdf([[BODY]]))
    source = one_source(path)
    assert source.format == "pdf" and source.text == BODY
    assert "named .txt but the content is PDF" in source.notes[0]


# ---------------------------------------------------------------- html

ARTICLE = "".join(f"<p>第{i}项，我们推进了第{i}个重点项目建设，完成投资{i}亿元，带动就业{i * 100}人。</p>"
                  for i in range(1, 7))
PAGE = f"""<!DOCTYPE html><html><head><meta charset="gbk"><title>2024年某县政府工作报告</title>
<meta name="date" content="2024-01-20"></head><body>
<div class="nav"><a href="/">首页</a> | <a href="/news">新闻中心</a></div>
<div class="article"><h1>2024年某县政府工作报告</h1><p>各位代表：</p><p>{BODY}</p>
<h2>一、2023年工作回顾</h2>{ARTICLE}<h2>二、2024年工作安排</h2>{ARTICLE}</div>
<div class="footer">版权所有：某县人民政府办公室</div></body></html>"""


def test_html_main_text_with_line_breaks_metadata_and_declared_charset(tmp_path):
    path = tmp_path / "county_2024.html"
    path.write_bytes(PAGE.encode("gbk"))
    source = one_source(path)
    assert (source.doc, source.format, source.encoding) == ("county_2024", "html", "gb18030")
    lines = source.text.split("\n")
    assert "各位代表：" in lines and BODY in lines and "一、2023年工作回顾" in lines and "二、2024年工作安排" in lines
    assert "<p>" not in source.text
    assert source.metadata["title"] == "2024年某县政府工作报告" and source.metadata["date"] == "2024-01-20"
    assert any("trafilatura" in note for note in source.notes)


def test_html_without_declared_charset_is_detected(tmp_path):
    path = tmp_path / "nocharset.html"
    path.write_bytes(PAGE.replace('<meta charset="gbk">', "").encode("gb18030"))
    source = one_source(path)
    assert source.encoding in ("gb18030", "gbk", "gb2312") and BODY in source.text.split("\n")


def test_html_without_main_text_is_skipped(tmp_path):
    path = tmp_path / "index.htm"
    path.write_text("<html><body><div><a href='/'>首页</a> <a href='/a'>通知公告</a></div></body></html>",
                    encoding="utf-8")
    skipped = one_skipped(path)
    assert skipped.file == "index.htm" and skipped.reason.startswith("HTML page has no main text")


# ---------------------------------------------------------------- pdf

LINE = "全县上下坚持稳中求进工作总基调，完整准确全面贯彻新发展理念，加快构建"  # a full line, no end


def test_pdf_headers_footers_page_numbers_removed_pages_recorded_page_end_rejoined(tmp_path):
    pages = [
        ["2024年某县政府工作报告", "各位代表：", BODY, LINE],
        ["新发展格局，着力推动高质量发展。", "一、2023年工作回顾", LINE + "。"],
        ["过去一年，地区生产总值增长百分之五。", "二、2024年工作安排"],
    ]
    path = tmp_path / "county.pdf"
    path.write_bytes(make_pdf(pages, header="某县人民政府文件", footer=lambda n: f"- {n} -"))
    source = one_source(path)
    assert source.format == "pdf" and source.encoding == "" and source.row is None
    assert source.text.split("\n") == [
        "2024年某县政府工作报告", "各位代表：", BODY, LINE + "新发展格局，着力推动高质量发展。",
        "一、2023年工作回顾", LINE + "。", "过去一年，地区生产总值增长百分之五。", "二、2024年工作安排"]
    assert source.pages == [1, 1, 1, 1, 2, 2, 3, 3]
    assert len(source.pages) == source.text.count("\n") + 1
    assert "某县人民政府文件" not in source.text and "- 2 -" not in source.text
    assert "pdf: removed 3 running header/footer lines and 3 page numbers" in source.notes
    assert "pdf: re-joined 1 lines broken at page ends" in source.notes


@pytest.mark.parametrize("footer", [lambda n: f"第{n}页", lambda n: f"— {n} —", lambda n: str(n),
                                    lambda n: f"第 {n} 页 共 3 页"])
def test_pdf_page_number_styles(tmp_path, footer):
    path = tmp_path / "numbers.pdf"
    path.write_bytes(make_pdf([[BODY], ["各位代表：" + BODY], ["以上报告，请予审议。"]], footer=footer))
    source = one_source(path)
    assert source.text.split("\n") == [BODY, "各位代表：" + BODY, "以上报告，请予审议。"]
    assert source.pages == [1, 2, 3]


def test_pdf_line_seen_once_at_a_page_top_is_kept(tmp_path):
    path = tmp_path / "title.pdf"
    path.write_bytes(make_pdf([["某县政府工作报告", BODY], ["以上报告，请予审议。"]]))
    assert one_source(path).text.startswith("某县政府工作报告\n")


def test_pdf_blank_page_is_noted(tmp_path):
    path = tmp_path / "blank.pdf"
    path.write_bytes(make_pdf([[BODY], [], ["以上报告，请予审议。"]]))
    source = one_source(path)
    assert source.pages == [1, 3] and "pdf: 1 of 3 pages have no text (images only?): pages 2" in source.notes


def test_pdf_without_text_layer_is_skipped(tmp_path):
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.rect(100, 100, 300, 400, fill=1)  # a "scan": drawing only, no text
    pdf.showPage()
    pdf.save()
    (tmp_path / "scan.pdf").write_bytes(buffer.getvalue())
    assert one_skipped(tmp_path / "scan.pdf").reason == \
        "PDF has no text layer (scanned?): no OCR is done; extract the text first"


def _encrypted(user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf([[BODY]]))))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_password_protected_pdf_is_skipped(tmp_path):
    (tmp_path / "locked.pdf").write_bytes(_encrypted("secret"))
    assert one_skipped(tmp_path / "locked.pdf").reason.startswith("password-protected PDF")


def test_pdf_encrypted_without_open_password_is_read(tmp_path):
    (tmp_path / "restricted.pdf").write_bytes(_encrypted(""))
    source = one_source(tmp_path / "restricted.pdf")
    assert source.text == BODY and "owner restrictions only" in source.notes[0]


def test_corrupt_pdf_is_skipped(tmp_path):
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage")
    assert one_skipped(tmp_path / "broken.pdf").reason.startswith("corrupt PDF")


# ---------------------------------------------------------------- docx


def test_docx_paragraphs_and_table_rows_in_order_with_title(tmp_path):
    document = docx.Document()
    document.core_properties.title = "2024年某县政府工作报告"
    document.add_paragraph("各位代表：")
    document.add_paragraph(BODY)
    table = document.add_table(rows=2, cols=2)
    for r, cells in enumerate([("指标", "增速"), ("地区生产总值", "5.2%")]):
        for c, text in enumerate(cells):
            table.cell(r, c).text = text
    document.add_paragraph("")
    document.add_paragraph("以上报告，请予审议。")
    document.save(tmp_path / "county.docx")
    source = one_source(tmp_path / "county.docx")
    assert (source.doc, source.format, source.encoding) == ("county", "docx", "")
    assert source.text == f"各位代表：\n{BODY}\n指标\t增速\n地区生产总值\t5.2%\n以上报告，请予审议。"
    assert source.metadata == {"title": "2024年某县政府工作报告"}


def test_corrupt_docx_and_xlsx_are_skipped(tmp_path):
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 this is not a zip archive")
    (tmp_path / "broken.xlsx").write_bytes(b"not a workbook at all")
    docx_skip, xlsx_skip = read(tmp_path)
    assert docx_skip.file == "broken.docx" and docx_skip.reason.startswith("corrupt .docx")
    assert xlsx_skip.file == "broken.xlsx" and xlsx_skip.reason.startswith("corrupt .xlsx")


# ---------------------------------------------------------------- tables

CSV = "\ufeffprovince,year,title,full_text\n北京市,2026,北京市政府工作报告,\"各位代表：\n" + BODY + "\"\n天津市,2026,天津市政府工作报告,\n"


def test_csv_one_source_per_row_with_metadata_and_empty_cell_skipped(tmp_path):
    (tmp_path / "provinces.csv").write_bytes(CSV.encode("utf-8"))
    first, second = read(tmp_path / "provinces.csv")
    assert (first.doc, first.file, first.row, first.format, first.encoding) == \
        ("provinces-r001", "provinces.csv", 1, "csv", "utf_8_sig")
    assert first.text == "各位代表：\n" + BODY
    assert first.metadata == {"province": "北京市", "year": "2026", "title": "北京市政府工作报告"}
    assert isinstance(second, Skipped) and (second.file, second.row, second.line) == ("provinces.csv", 2, 4)
    assert second.reason == "empty text cell in column 'full_text'"


def test_csv_in_gbk_and_tsv(tmp_path):
    (tmp_path / "gbk.csv").write_bytes("地区,正文\n某县,各位代表：现在我代表县人民政府报告工作。\n".encode("gbk"))
    (tmp_path / "rows.tsv").write_text("place\tContent\n某县\t" + BODY + "\n", encoding="utf-8")
    gbk, tsv = read(tmp_path)
    assert gbk.encoding == "gb18030" and gbk.metadata == {"地区": "某县"} and gbk.text.startswith("各位代表")
    assert (tsv.doc, tsv.format, tsv.text, tsv.metadata) == ("rows-r001", "tsv", BODY, {"place": "某县"})


def test_csv_without_text_column_names_the_columns(tmp_path):
    (tmp_path / "meta.csv").write_text("province,year,body\n北京市,2026," + BODY + "\n", encoding="utf-8")
    skipped = one_skipped(tmp_path / "meta.csv")
    assert skipped.reason == "no text column: columns are province, year, body; pass --text-column NAME"
    source = one_source(tmp_path / "meta.csv", text_column="body")
    assert source.text == BODY and source.metadata == {"province": "北京市", "year": "2026"}


def test_csv_row_with_wrong_field_count_is_skipped_others_read(tmp_path):
    (tmp_path / "ragged.csv").write_text(f"place,text\n某县,{BODY}\n某镇,{BODY},多余\n", encoding="utf-8")
    good, bad = read(tmp_path / "ragged.csv")
    assert good.row == 1 and (bad.row, bad.line) == (2, 3) and "3 fields, the header has 2" in bad.reason


def test_jsonl_rows_malformed_line_skipped(tmp_path):
    lines = [json.dumps({"title": "甲", "content": BODY, "year": 2024}, ensure_ascii=False),
             '{"title": "乙", "content": ',
             "",
             json.dumps({"title": "丙", "content": "以上报告，请予审议。", "year": None})]  # ASCII escapes
    (tmp_path / "national.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    first, bad, last = read(tmp_path / "national.jsonl")
    assert (first.doc, first.row, first.metadata) == ("national-r001", 1, {"title": "甲", "year": "2024"})
    assert isinstance(bad, Skipped) and (bad.line, bad.row) == (2, 2) and bad.reason.startswith("malformed JSON line")
    assert (last.doc, last.text, last.metadata) == ("national-r004", "以上报告，请予审议。", {"title": "丙", "year": ""})


def test_xlsx_rows_metadata_and_empty_cell(tmp_path):
    import datetime as dt

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "reports"
    sheet.append(["省份", "年份", "发布日期", "报告全文"])
    sheet.append(["河北省", 2025, dt.datetime(2025, 1, 20), BODY])
    sheet.append(["山西省", 2025, None, None])
    workbook.create_sheet("notes").append(["说明"])
    workbook.save(tmp_path / "book.xlsx")
    good, empty = read(tmp_path / "book.xlsx")
    assert (good.doc, good.row, good.format, good.encoding, good.text) == ("book-r001", 1, "xlsx", "", BODY)
    assert good.metadata == {"省份": "河北省", "年份": "2025", "发布日期": "2025-01-20"}
    assert "xlsx: read sheet 'reports'; not read: notes" in good.notes
    assert isinstance(empty, Skipped) and empty.row == 2 and "empty text cell in column '报告全文'" == empty.reason


# ---------------------------------------------------------------- folders


def test_folder_sorted_unsupported_named_hidden_ignored_good_beside_bad(tmp_path):
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "b.pdf").write_bytes(b"%PDF-1.4 truncated")
    (tmp_path / "c.xyz").write_text(BODY, encoding="utf-8")
    (tmp_path / "d.doc").write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 64)
    (tmp_path / ".hidden.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "e.txt").write_text(BODY, encoding="utf-8")
    items = read(tmp_path)
    assert [i.file for i in items] == ["a.txt", "b.pdf", "c.xyz", "d.doc", "sub/e.txt"]
    assert [type(i).__name__ for i in items] == ["Source", "Skipped", "Skipped", "Skipped", "Source"]
    assert items[2].reason.startswith("unsupported format .xyz")
    assert "save it as .docx" in items[3].reason
    assert items[4].doc == "e"


def test_missing_path_raises_at_the_call(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_inputs([tmp_path / "nowhere"])


# ---------------------------------------------------------------- the shipped reports


def test_real_provincial_csv():
    (source,) = read(REPORTS / "provinces_2026" / "beijing_2026.csv")
    assert (source.doc, source.row, source.format) == ("beijing_2026-r001", 1, "csv")
    assert source.metadata["province"] == "北京市" and source.metadata["year"] == "2026"
    assert set(source.metadata) == {"province", "year", "title", "source_url", "publish_date"}
    assert "各位代表" in source.text


def test_real_national_jsonl():
    sources = read(REPORTS / "national" / "government_work_reports.jsonl")
    assert len(sources) == 72 and all(isinstance(s, Source) for s in sources)
    assert [s.row for s in sources] == list(range(1, 73))
    assert sources[0].metadata["title"] == "2025年中华人民共和国国务院政府工作报告"
    assert sources[0].metadata["year"] == "2025" and sources[0].text.startswith("各位代表")


def test_real_gb18030_text_decodes_as_before():
    path = REPORTS / "hailar" / "hailar_2012.txt"
    source = one_source(path)
    assert (source.doc, source.format) == ("hailar_2012", "txt")
    assert (source.text, source.encoding) == read_report(path)
