"""Each normalisation rule and each bad input, on tiny fixtures."""

import pytest

from govreport.normalise import BadInputError, decode_bytes, normalise_text
from govreport.segment import segment

REPORT = "连州镇2025年工作总结\n(一)聚焦产业提质升级\n严格落实粮食安全责任制。完成造林2000亩。\n"


def doc_of(text: str, source: str = "r.txt"):
    result = normalise_text(text, source)
    assert len(result.documents) == 1
    return result.documents[0]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_decodes_every_supported_encoding(encoding):
    text, detected = decode_bytes(REPORT.encode(encoding))
    assert text == REPORT
    assert detected


def test_traditional_is_converted_to_simplified_including_bad_conversions():
    document = doc_of("花橋鎮2024年工作總結\n製定全麵從嚴治黨主體責任清單。\n")
    assert "花桥镇2024年工作总结" in document.text
    assert "制定全面从严治党主体责任清单。" in document.text
    assert any(c.kind == "traditional" for c in document.changes)


def test_pinyin_glosses_are_removed_but_real_brackets_stay():
    document = doc_of("源潭鎮(zhèn)工作總結\n(一)推進(jìn)物流樞紐(一期)、餐飲中心(鼎田片區(qū))建設(shè)。\n")
    assert document.text.split("\n")[1] == "(一)推进物流枢纽(一期)、餐饮中心(鼎田片区)建设。"
    assert [c.kind for c in document.changes].count("pinyin_gloss") == 2


def test_web_chrome_and_template_junk_are_stripped_and_counted():
    raw = ("头部\n连州镇2025年工作总结\n来源:连州镇人民政府 发布时间:2025-12-01 09:34:55 字体大小: 浏览次数:-\n"
           "这一年,关键词2主要抓了以下工作:\n扫描上面二维码加QQ好友,获得更多文稿实用素材\n完成造林2000亩。\nfooter底部\n")
    document = doc_of(raw)
    assert document.text == "连州镇2025年工作总结\n这一年,主要抓了以下工作:\n完成造林2000亩。"
    kinds = [(c.kind, c.line) for c in document.changes]
    assert ("chrome", 1) in kinds and ("chrome", 3) in kinds and ("chrome", 5) in kinds and ("chrome", 7) in kinds
    assert ("template_junk", 4) in kinds


def test_lines_broken_mid_sentence_are_joined_but_headings_are_not():
    raw = ("罗针镇政府工作报告\n一、稳增长、促发展,综合实力明显增强\n"
           "上半年,态何源田园综合体等现代化农业龙头企业销售超过1万吨粮米果蔬,切实稳住了粮袋子,有力带\n"
           "动了当地农民致富增收。\n二、防风险、保稳定\n")
    document = doc_of(raw)
    lines = document.text.split("\n")
    assert "有力带动了当地农民致富增收。" in lines[2]
    assert lines[1] == "一、稳增长、促发展,综合实力明显增强"
    assert lines[3] == "二、防风险、保稳定"
    assert document.line_numbers == [1, 2, 3, 5]


def test_placeholders_are_kept():
    document = doc_of("xx镇工作总结\n预计全年财政总收入xx.x亿元,同比增长xx%;完成投资x.x亿元。\n")
    assert "xx.x亿元,同比增长xx%;完成投资x.x亿元。" in document.text


def test_mojibake_is_kept_and_flagged_not_split():
    document = doc_of("源潭镇工作总结\n总投资138亿元?!皟沙恰苯ㄔO初具规模,各行业企业有序发展。\n")
    assert "?!皟沙恰苯ㄔO" in document.text
    [flag] = document.flags
    assert flag.kind == "mojibake" and document.text[flag.start:flag.end] == flag.text and flag.line == 2
    sentences = segment(document)
    assert [s.text for s in sentences][1] == "总投资138亿元?!皟沙恰苯ㄔO初具规模,各行业企业有序发展。"
    assert sentences[1].flags == ["mojibake"]


def test_replacement_characters_are_flagged_not_deleted():
    document = doc_of("保定市政府工作报告\n到二\ufffd\ufffd三五年基本实现现代化。\n")
    assert "\ufffd\ufffd" in document.text
    assert [f.kind for f in document.flags] == ["replacement_char"]


def test_collection_is_split_into_reports_and_missing_parts_are_reported():
    raw = ("2022年乡镇政府工作报告-3篇\n目 录\n1.甲山镇政府工作报告 1\n2.乙水乡政府工作报告 5\n3.丙河镇政府工作报告 9\n"
           "政府工作报告\n2022年10月28日在临川区甲山镇第十九届人民代表大会第三次会议上\n各位代表:\n一、工作回顾\n完成造林2000亩。\n"
           "乙水乡政府工作报告\n一、工作回顾\n开展人居环境整治。\n")
    result = normalise_text(raw, "collection.txt")
    assert [d.doc for d in result.documents] == ["collection-01", "collection-02"]
    assert [d.title for d in result.documents] == ["甲山镇政府工作报告", "乙水乡政府工作报告"]
    assert [d.place for d in result.documents] == ["甲山镇", "乙水乡"]
    assert result.documents[0].years == [2022] and result.documents[0].kind == "工作报告"
    assert "目 录" not in result.documents[0].text
    missing = [c for c in result.changes if c.kind == "missing_part"]
    assert [c.text for c in missing] == ["3. 丙河镇政府工作报告"]


def test_metadata_is_read_from_the_text():
    document = doc_of("花橋鎮2024年工作總結和2025年工作計劃\n衡南縣花橋鎮人民政府\n完成造林2000亩。\n")
    assert (document.title, document.place, document.level, document.years, document.kind) == (
        "花桥镇2024年工作总结和2025年工作计划", "花桥镇", "township", [2024, 2025], "工作总结")


# ------------------------------------------------------------------ bad input


def test_empty_file_is_an_error():
    with pytest.raises(BadInputError, match="empty file"):
        decode_bytes(b"  \n\n", "empty.txt")


@pytest.mark.parametrize("data,what", [
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "PNG"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
    (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
])
def test_binary_files_renamed_txt_are_errors(data, what):
    with pytest.raises(BadInputError, match=f"binary file.*{what}"):
        decode_bytes(data, "report.txt")


def test_undecodable_bytes_are_an_error_with_a_line():
    data = "第一行正常。\n".encode("utf-8") + bytes(range(0x80, 0x100)) * 4
    with pytest.raises(BadInputError) as info:
        decode_bytes(data, "bad.txt")
    assert info.value.line == 2
    assert "bad.txt:2" in str(info.value)


def test_file_with_only_chrome_is_an_error():
    with pytest.raises(BadInputError, match="nothing left after removing web-page chrome"):
        normalise_text("头部\n来源:某镇人民政府 发布时间:2025-12-01 浏览次数:-\nfooter底部\n", "chrome.txt")


def test_crawler_header_is_metadata_not_body_and_dashes_are_normalised():
    raw = ("标题：2023年保定市政府工作报告\n发文单位：保定市人民政府\n发文时间：未知\n来源URL：http://example.org/r.shtml\n\n正文：\n\n"
           "――2023年1月30日在保定市第十六届人民代表大会第四次会议上\n保定市人民政府市长 某某\n2022年政府工作回顾\n"
           "全市生产总值增长3.8%。\n")
    document = doc_of(raw, "baoding_2023.txt")
    assert (document.title, document.place, document.level, document.url) == (
        "2023年保定市政府工作报告", "保定市", "city", "http://example.org/r.shtml")
    assert document.text.split("\n")[:2] == ["——2023年1月30日在保定市第十六届人民代表大会第四次会议上", "保定市人民政府市长 某某"]
    assert "标题" not in document.text and "来源URL" not in document.text
    assert [c.line for c in document.changes if c.kind == "crawler_header"] == [1, 2, 3, 4, 6]
    assert any(c.kind == "dash" for c in document.changes)


def test_question_mark_standing_for_a_lost_character_is_flagged():
    document = doc_of('某镇工作总结\n打造优质"才乡?老三桥"品牌。是否完成?完成了。\n')
    assert [(f.kind, document.text[f.start:f.end]) for f in document.flags] == [("lost_char", "?")]
