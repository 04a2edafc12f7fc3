"""Targets and results (issue 17): quantity mentions, roles, links, fulfilment, panel, `govreport targets`.

Tiny hand-written sentences and two tiny reports of one county (tests/fixtures/targets/: 测试县 2020 and
2021, and gold.jsonl with hand-set categories); every expected value below is computed by hand."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from govreport.cli import app
from govreport.corpus import process_files
from govreport.targets import track_targets
from govreport.targets.links import fulfilment, place_key
from govreport.targets.quantities import parse_quantities

FIXTURES = Path(__file__).parent / "fixtures" / "targets"


def only(text: str, report_year: int | None = None):
    mentions = parse_quantities(text, report_year)
    assert len(mentions) == 1, [m.text for m in mentions]
    return mentions[0]


# --- quantity mentions: the traps -------------------------------------------------------------------------

def test_offsets_point_at_the_number_and_unit():
    text = "全县地区生产总值完成253.7亿元，同比增长10.1%。"
    for m in parse_quantities(text):
        assert text[m.start:m.end] == m.text
    assert [m.text for m in parse_quantities(text)] == ["253.7亿元", "10.1%"]


def test_slogans_with_numerals_are_not_numbers():
    text = "坚持“三农”工作重中之重，推进“一带一路”，贯彻两会精神，巩固两不愁三保障成果，落实两个确立。"
    assert parse_quantities(text) == []


def test_general_public_budget_stays_text():
    m = only("一般公共预算收入增长5%以上")
    assert m.metric_raw == "一般公共预算收入" and m.metric_id == "general_budget_revenue"
    assert (m.value, m.comparator, m.quantity_type) == (5.0, "at_least", "growth_rate")


def test_fourteenth_five_year_plan_is_a_period_not_a_number():
    m = only("“十四五”期间，地区生产总值年均增长6.5%-7%")
    assert (m.period_start, m.period_end) == (2021, 2025)
    assert m.text == "6.5%-7%"  # no 14, 5 or 55


def test_growth_range_is_a_range_not_a_negative_number():
    m = only("地区生产总值增长6.5%-7%")
    assert (m.comparator, m.low, m.high, m.value) == ("range", 6.5, 7.0, 6.75)
    assert (m.metric_id, m.quantity_type, m.unit_canonical) == ("gdp", "growth_rate", "%")


def test_percentage_points_are_not_percent():
    points, percent = parse_quantities("居民消费价格上涨2.5个百分点，城镇化率提高2.5%")
    assert (points.value, points.unit_canonical, points.quantity_type, points.metric_id) == (2.5, "pp", "pp_change",
                                                                                           "cpi")
    assert (percent.value, percent.unit_canonical) == (2.5, "%")
    assert points.unit_canonical != percent.unit_canonical


def test_not_lower_than_is_at_least_and_lower_than_at_most():
    assert only("确保粮食产量不低于60万吨").comparator == "at_least"
    assert only("粮食产量不少于60万吨").comparator == "at_least"
    assert only("单位能耗低于0.8吨标准煤").comparator == "at_most"
    assert only("城镇调查失业率控制在5.5%以内").comparator == "at_most"
    assert only("地区生产总值增长6%左右").comparator == "about"
    assert only("地区生产总值增长6%").comparator == "exact"


def test_ten_thousand_mu_is_twenty_thousand_mu():
    m = only("新建高标准农田2万亩")
    assert (m.value, m.unit, m.unit_canonical, m.metric_id) == (20000.0, "万亩", "亩", "high_standard_farmland")
    money = only("固定资产投资完成1.2亿元")
    assert (money.value, money.unit, money.unit_canonical) == (120000000.0, "亿元", "元")


def test_chinese_numerals_on_the_matched_number_only():
    jobs, share = parse_quantities("城镇新增就业一百二十万人，三成以上农户参加保险")
    assert (jobs.text, jobs.value, jobs.quantity_type, jobs.metric_id) == ("一百二十万人", 1200000.0, "count",
                                                                         "urban_new_jobs")
    assert (share.text, share.value, share.unit_canonical, share.quantity_type, share.comparator) == (
        "三成", 30.0, "%", "share", "at_least")


def test_strength_direction_and_periods():
    m = only("今年力争固定资产投资增长10%", report_year=2024)
    assert (m.strength, m.direction, m.period_start, m.metric_id) == ("力争", "up", 2024, "fixed_asset_investment")
    assert only("到2025年，建成15个示范村").period_end == 2025
    assert only("年底前完成改造30户", report_year=2023).period_end == 2023
    assert only("居民消费价格涨幅控制在3%左右").quantity_type == "growth_rate"


def test_preliminary_and_inherited_metric():
    level, growth = parse_quantities("预计全年地区生产总值完成253.7亿元，同比增长10.1%")
    assert level.preliminary and growth.preliminary
    assert (growth.metric_id, growth.metric_inherited, growth.quantity_type) == ("gdp", True, "growth_rate")


# --- roles, links, fulfilment ----------------------------------------------------------------------------

class FakeDocument:  # the fields of govreport.normalise.Document that the targets stage reads
    def __init__(self, doc, place, planned, reviewed):
        self.doc, self.place, self.level = doc, place, "county"
        self.planned_years, self.reviewed_years = planned, reviewed


def test_task_and_completion_in_one_report():
    document = FakeDocument("d", "测试县", [2020], [2019])
    rows = [{"id": "d:1", "doc": "d", "section": "一、2019年工作回顾", "text": "粮食种植任务38089亩，已完成38492亩。",
             "cats": ["ACHIEVEMENT"], "spans": [[0, 20, "ACHIEVEMENT"]]}]
    records, links, _ = track_targets([document], rows)
    assert [r["role"] for r in records] == ["task_assigned", "task_completed"]
    assert [r["year"] for r in records] == [2019, 2019]
    (link,) = links
    assert link["link_type"] == "within_report"
    assert link["ratio"] == round(38492 / 38089, 4) == 1.0106  # 101.1%
    assert (link["met"], link["status"], link["confidence"]) == (True, "met", 1.0)


def test_roles_from_categories_section_and_cues():
    document = FakeDocument("d", "测试县", [2020], [2019])
    rows = [
        {"id": "d:1", "doc": "d", "section": "", "text": "地区生产总值增长7%。", "cats": ["TARGET"], "spans": []},
        {"id": "d:2", "doc": "d", "section": "", "text": "地区生产总值增长7%。", "cats": ["ACHIEVEMENT"], "spans": []},
        {"id": "d:3", "doc": "d", "section": "二、2020年工作安排", "text": "地区生产总值增长7%。", "cats": [],
         "spans": []},
        {"id": "d:4", "doc": "d", "section": "", "text": "力争地区生产总值增长7%。", "cats": [], "spans": []},
        {"id": "d:5", "doc": "d", "section": "", "text": "预计地区生产总值增长7%。", "cats": [], "spans": []},
    ]
    records, _, _ = track_targets([document], rows)
    assert [(r["role"], r["role_evidence"]) for r in records] == [
        ("target", "category TARGET"), ("result", "category ACHIEVEMENT"), ("target", "plan section"),
        ("target", "target cue"), ("preliminary_result", "cue 预计")]
    assert [r["year"] for r in records] == [2020, 2019, 2020, 2020, 2019]


def _mention(text, role="target", preliminary=False):
    m = only(text).to_dict()
    m["preliminary"] = preliminary or m["preliminary"]
    return m


def test_fulfilment_under_each_comparator():
    about = _mention("地区生产总值增长7%左右")
    assert fulfilment(about, _mention("地区生产总值增长6.6%"))["met"] is True  # 0.4 short, tolerance 0.5
    assert fulfilment(about, _mention("地区生产总值增长6.6%"), tolerance_pp=0.2)["met"] is False
    assert fulfilment(about, _mention("地区生产总值增长6.6%"))["gap_pp"] == -0.4
    at_least = _mention("一般公共预算收入增长5%以上")
    assert fulfilment(at_least, _mention("一般公共预算收入增长4.9%"))["status"] == "not_met"
    at_most = _mention("城镇调查失业率控制在5.5%以内")
    assert fulfilment(at_most, _mention("城镇调查失业率5.1%"))["met"] is True
    ranged = _mention("地区生产总值增长6.5%-7%")
    assert fulfilment(ranged, _mention("地区生产总值增长6.6%"))["threshold"] == 6.5
    points = _mention("居民消费价格上涨2.5个百分点")
    assert fulfilment(points, _mention("居民消费价格上涨2.5%"))["status"] == "unit_mismatch"
    assert fulfilment(at_least, _mention("一般公共预算收入增长6%", preliminary=True))["status"] == "preliminary_figure"


def test_place_names_differing_between_years_are_one_series():
    assert place_key("海拉尔市") == place_key("海拉尔区") == "海拉尔"
    assert place_key("河北省") == "河北"


# --- the two-year series of one county ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def series():
    from govreport.convert import read_annotations

    result = process_files([FIXTURES / "ceshi_2020.txt", FIXTURES / "ceshi_2021.txt"])
    gold = {r["id"]: r for r in read_annotations(FIXTURES / "gold.jsonl")}
    rows = [{**s.to_dict(), "cats": gold[s.id]["cats"], "spans": gold[s.id]["spans"]}
            for d in result.documents for s in result.sentences[d.doc]]
    return track_targets(result.documents, rows)


def _panel_row(panel, year, metric, quantity_type):
    (row,) = [r for r in panel if (r["year"], r["metric_id"], r["quantity_type"]) == (year, metric, quantity_type)]
    return row


def test_cross_year_links_and_statuses(series):
    records, links, panel = series
    cross = {(l["metric_id"], l["year"]): l for l in links if l["link_type"] == "cross_year"}
    gdp = cross[("gdp", 2020)]
    assert (gdp["target_doc"], gdp["result_doc"], gdp["target_text"], gdp["result_text"]) == (
        "ceshi_2020", "ceshi_2021", "7%", "6.5%")
    assert (gdp["gap_pp"], gdp["met"], gdp["status"], gdp["confidence"]) == (-0.5, True, "preliminary_figure", 1.0)
    assert cross[("general_budget_revenue", 2020)]["gap_pp"] == 1.1  # 6.1 - 5
    farmland = _panel_row(panel, 2020, "high_standard_farmland", "level")
    assert (farmland["status"], farmland["target_unit"], farmland["result_unit"]) == ("unit_mismatch", "亩", "公顷")
    assert _panel_row(panel, 2020, "urban_new_jobs", "count")["status"] == "no_result_reported"
    missing = _panel_row(panel, 2021, "gdp", "growth_rate")  # the report of 2022 is not in the series
    assert (missing["target_value"], missing["status"]) == (6.0, "year_missing")
    assert _panel_row(panel, 2019, "gdp", "growth_rate")["status"] == "year_missing"  # no report of 2019
    within = [l for l in links if l["link_type"] == "within_report"]
    assert [(l["ratio"], l["status"]) for l in within] == [(1.0106, "met")]


def test_cli_end_to_end_with_gold_annotations(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    for name in ("ceshi_2020.txt", "ceshi_2021.txt"):
        shutil.copy(FIXTURES / name, reports / name)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["targets", str(reports), "--annotations", str(FIXTURES / "gold.jsonl"),
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "panel.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    csv = pd.read_csv(out / "panel.csv", encoding="utf-8-sig")
    parquet = pd.read_parquet(out / "panel.parquet")
    stata = pd.read_stata(out / "panel.dta")
    for frame in (csv, parquet, stata):
        gdp = frame[(frame["year"] == 2020) & (frame["metric_id"] == "gdp")].iloc[0]
        assert (gdp["target_value"], gdp["result_value"], gdp["status"]) == (7.0, 6.5, "preliminary_figure")
        assert len(frame) == 7
    mentions = pd.read_parquet(out / "mentions.parquet")
    assert len(mentions) == 12 and set(mentions["role"]) >= {"target", "preliminary_result", "task_completed"}
    assert "char_end" in pd.read_stata(out / "mentions.dta").columns  # `end` is reserved in Stata
    links = pd.read_csv(out / "links.csv", encoding="utf-8-sig")
    assert sorted(links["link_type"]) == ["cross_year", "cross_year", "cross_year", "within_report"]
    page = (out / "html" / "测试.html").read_text(encoding="utf-8")
    assert "<script" not in page and "http" not in page
    assert "href='#m-ceshi_2020:88a738763265#1'" in page and "id='m-ceshi_2020:88a738763265#1'" in page


def test_cli_needs_exactly_one_source_of_categories(tmp_path):
    result = CliRunner().invoke(app, ["targets", str(FIXTURES / "ceshi_2020.txt"), "-o", str(tmp_path)])
    assert result.exit_code == 1


def test_a_share_of_gdp_is_not_gdp():
    m = only("非公经济增加值占地区生产总值的比重达到70%以上")
    assert (m.metric_id, m.quantity_type, m.comparator) == (None, "share", "at_least")
    assert only("规模以上工业增加值增长8%").quantity_type == "growth_rate"
