"""Sentence and clause boundaries as the guidelines define them; stable ids; no lost content."""

from hypothesis import given, settings
from hypothesis import strategies as st

from govreport.normalise import normalise_text
from govreport.segment import clause_spans, segment, sentence_spans


def texts(text):
    return [text[s:e] for s, e in sentence_spans(text)]


def test_sentence_ends_at_full_and_half_width_marks_but_not_at_a_decimal_point():
    assert texts("产值1.48亿元。增长5%;开展巡查!是否完成?完成了") == [
        "产值1.48亿元。", "增长5%;", "开展巡查!", "是否完成?", "完成了"]


def test_line_break_ends_a_sentence_and_closing_quotes_stay_with_it():
    assert texts('(一)聚焦产业提质升级\n"民生无小事,枝叶总关情。"温泉镇始终把百姓冷暖记在心头。') == [
        "(一)聚焦产业提质升级", '"民生无小事,枝叶总关情。"', "温泉镇始终把百姓冷暖记在心头。"]
    assert texts("他说“坚持到底。”然后出发。") == ["他说“坚持到底。”", "然后出发。"]


def test_section_path_follows_heading_levels():
    raw = "某镇工作总结\n一、工作回顾\n(一)产业发展\n完成造林2000亩。\n(二)民生保障\n发放救助金。\n二、工作计划\n力争增长5%。\n"
    sentences = segment(normalise_text(raw, "s.txt").documents[0])
    sections = {s.text: s.section for s in sentences}
    assert sections["某镇工作总结"] == ""
    assert sections["完成造林2000亩。"] == "一、工作回顾 > (一)产业发展"
    assert sections["发放救助金。"] == "一、工作回顾 > (二)民生保障"
    assert sections["力争增长5%。"] == "二、工作计划"
    assert [s.heading for s in sentences] == [False, True, True, False, True, False, True, False]


def test_a_bare_year_plan_heading_opens_a_new_part():
    # 保定 2023: the plan part starts at `2023年主要工作`, with no 一、/二、 marker
    raw = "2022年政府工作回顾\n完成造林2000亩。\n2023年主要工作\n(一)加力推进协同发展\n力争增长5%。\n"
    sections = {s.text: s.section for s in segment(normalise_text(raw, "s.txt").documents[0])}
    assert sections["完成造林2000亩。"] == "2022年政府工作回顾"
    assert sections["力争增长5%。"] == "2023年主要工作 > (一)加力推进协同发展"


def test_ids_do_not_change_when_an_unrelated_part_changes():
    before = segment(normalise_text("某镇工作总结\n完成造林2000亩。开展巡查。\n发放救助金。\n", "s.txt").documents[0])
    after = segment(normalise_text("某镇工作总结\n新增一句话。完成造林2000亩。开展巡查。\n发放救助金。\n", "s.txt").documents[0])
    ids_before = {s.text: s.id for s in before}
    ids_after = {s.text: s.id for s in after}
    for text, sentence_id in ids_before.items():
        assert ids_after[text] == sentence_id
    assert len({s.id for s in after}) == len(after)


def test_repeated_sentences_get_distinct_ids():
    sentences = segment(normalise_text("某镇工作总结\n开展巡查。开展巡查。\n", "s.txt").documents[0])
    assert len({s.id for s in sentences}) == 3


def test_clauses_follow_the_span_rules():
    text = '一是坚持"外防输入,内防反弹",同时落实"一村一警"[13],完成17,486万元;产业结构有待优化。'
    assert [text[s:e] for s, e in clause_spans(text)] == [
        '坚持"外防输入,内防反弹"', '落实"一村一警"', "完成17,486万元", "产业结构有待优化"]


CHARS = st.sampled_from(list("镇村完成开展亩元xx1.5%一二(一)、,，。！？；!?;:“”\"  \n\t"))


@settings(max_examples=300, deadline=None)
@given(st.text(CHARS, max_size=80))
def test_sentences_cover_every_non_whitespace_character_in_order(text):
    spans = sentence_spans(text)
    covered = "".join(text[s:e] for s, e in spans)
    assert [c for c in covered if not c.isspace()] == [c for c in text if not c.isspace()]
    ends = [0] + [e for _, e in spans]
    assert all(s >= prev for (s, _), prev in zip(spans, ends))
    assert all(text[s:e] == text[s:e].strip() and e > s for s, e in spans)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(CHARS, min_size=1, max_size=40), min_size=1, max_size=6))
def test_documents_lose_no_content_through_segmentation(lines):
    raw = "某镇工作总结\n" + "\n".join(lines)
    try:
        result = normalise_text(raw, "p.txt")
    except Exception as err:  # only an all-chrome text may fail, and this one has a title
        raise AssertionError(err)
    for document in result.documents:
        sentences = segment(document)
        assert all(document.text[s.start:s.end] == s.text for s in sentences)
        covered = "".join(s.text for s in sentences)
        assert [c for c in covered if not c.isspace()] == [c for c in document.text if not c.isspace()]


def test_a_quote_never_closed_does_not_swallow_the_rest_of_the_sentence():
    text = "推进“百千万工程,完成造林2000亩。"
    assert [text[s:e] for s, e in clause_spans(text)] == ["推进“百千万工程", "完成造林2000亩"]
