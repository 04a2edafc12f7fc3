"""General facts of Chinese report language that `govreport targets` relies on (issue 17, second round): units,
多/余, bare amounts, ranks and idioms, shared cues, comparators, metrics, the order of role evidence, links.

Every sentence is hand-written for the test (none is taken from a report or from the gold); every expected
value is worked out by hand."""

from __future__ import annotations

import pytest

from govreport.normalise.metadata import delivery_date, reviewed_and_planned
from govreport.targets import track_targets
from govreport.targets.links import fulfilment
from govreport.targets.quantities import metric_id, parse_quantities
from govreport.targets.roles import assign_role


def texts(text: str) -> list[str]:
    return [m.text for m in parse_quantities(text)]


def only(text: str, report_year: int | None = None):
    mentions = parse_quantities(text, report_year)
    assert len(mentions) == 1, [m.text for m in mentions]
    return mentions[0]


# --- units --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, unit, canonical, value", [
    ("受理群众诉求325件", "件", "件", 325), ("查处违法案件18起", "起", "起", 18), ("更换标志牌46块", "块", "块", 46),
    ("新打机井12眼", "眼", "眼", 12), ("聘请专家15位", "位", "人", 15), ("获得金牌7枚", "枚", "枚", 7),
    ("清运淤泥3.5万方", "万方", "立方米", 35000), ("拆除燃煤锅炉20蒸吨", "蒸吨", "蒸吨", 20),
    ("新增绿地12万平米", "万平米", "平方米", 120000), ("优良天数达到260天", "天", "天", 260),
    ("用时4个月", "个月", "月", 4), ("PM2.5浓度降至42微克/立方米", "微克/立方米", "微克/立方米", 42),
    ("开展宣讲26次", "次", "次", 26)])
def test_units_of_counts_durations_and_concentrations(text, unit, canonical, value):
    m = only(text)
    assert (m.unit, m.unit_canonical, m.value) == (unit, canonical, value)


def test_multiples_are_growth_after_a_growth_word_else_a_ratio():
    grown = only("工业产值比五年前增长1.8倍")
    assert (grown.unit_canonical, grown.quantity_type, grown.value) == ("倍", "growth_rate", 1.8)
    assert only("税收是五年前的2.4倍").quantity_type == "share"


def test_measure_words_that_are_common_words_need_digits():
    assert texts("干部群众一起动手，坚持三位一体，拧成一块") == []


def test_ten_thousand_billion_is_one_number():
    m = only("存款余额达到1.2万亿元")
    assert (m.text, m.value, m.unit) == ("1.2万亿元", 1.2e12, "万亿元")


# --- 多 / 余, amounts without a unit, magnitude words ---------------------------------------------------------

def test_more_than_between_the_number_and_its_unit():
    subsidy, farmers, income = parse_quantities("发放补贴60多万元，培训300余名农民，户均增收5万多元")
    assert (subsidy.text, subsidy.value, subsidy.comparator) == ("60多万元", 600000, "at_least")
    assert (farmers.text, farmers.value, farmers.unit_canonical) == ("300余名", 300, "人")
    assert (income.text, income.value, income.comparator) == ("5万多元", 50000, "at_least")


def test_an_amount_without_a_unit_is_money_after_a_money_word_or_people_before_人口():
    money = only("下达项目资金280万，用于道路硬化")
    assert (money.text, money.value, money.unit_canonical) == ("280万", 2800000, "元")
    people = only("惠及2.3万贫困人口")
    assert (people.text, people.value, people.unit_canonical) == ("2.3万", 23000, "人")
    assert texts("新增绿地300万，扮靓城区") == []  # no money word, no 人口: nothing to say what it counts


def test_a_magnitude_word_without_digits_counts_only_with_a_comparator():
    firms, _, projects, _, people = parse_quantities("年销售收入超亿元企业12家，百万元以上项目8个；近千人参加")
    assert (firms.text, firms.value, firms.comparator) == ("亿元", 1e8, "at_least")
    assert (projects.text, projects.value, projects.comparator) == ("百万元", 1e6, "at_least")
    assert (people.text, people.value, people.comparator) == ("千人", 1000, "about")
    assert texts("把温暖送进千家万户") == []


def test_a_structure_written_with_colons_is_shares():
    first, second, third = parse_quantities("三次产业结构调整为8.1:40.2:51.7")
    assert [(m.text, m.value, m.unit_canonical, m.quantity_type) for m in (first, second, third)] == [
        ("8.1", 8.1, "%", "share"), ("40.2", 40.2, "%", "share"), ("51.7", 51.7, "%", "share")]


def test_a_fraction_written_in_words_is_a_share():
    m = only("贫困人口减少四分之三")
    assert (m.text, m.value, m.unit_canonical) == ("四分之三", 75.0, "%")


def test_coordinated_numbers_share_the_unit_written_after_the_last():
    a, b = parse_quantities("两项指标分别提高3.2和1.5个百分点")
    assert (a.text, a.unit_canonical, b.unit_canonical) == ("3.2", "pp", "pp")
    c, d = parse_quantities("两项比重分别提高4.1个和2.6个百分点")
    assert (c.text, c.unit_canonical, c.quantity_type) == ("4.1个", "pp", "pp_change")


# --- what is not a quantity -------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["考核位居全市前3名", "排名第2位", "退出全省倒数后十名", "打通服务群众最后一公里",
                                  "日子一天比一天红火", "贯彻县委十四届六次全会精神", "打造“24小时自助服务”品牌"])
def test_ranks_ordinals_idioms_meetings_and_short_slogans_are_not_quantities(text):
    assert texts(text) == []


# --- offsets, ranges, per-unit amounts ----------------------------------------------------------------------

def test_points_of_a_rate_and_points_as_places():
    rate = only("群众满意率提高6个点")
    assert (rate.text, rate.unit_canonical, rate.quantity_type) == ("6个点", "pp", "pp_change")
    places = only("设立服务网点8个点位")
    assert (places.text, places.unit_canonical) == ("8个", "个")


def test_an_amount_per_year_keeps_its_denominator_in_the_text():
    yearly = only("每村分红20万元/年")
    assert (yearly.text, yearly.unit_canonical, yearly.value) == ("20万元/年", "元", 200000)
    per_mu = only("补贴标准150元/亩")
    assert (per_mu.text, per_mu.unit_canonical) == ("150元/亩", "元/亩")


def test_a_range_written_with_a_double_dash():
    m = only("力争新增上市企业3--5家")
    assert (m.text, m.comparator, m.low, m.high, m.value) == ("3--5家", "range", 3, 5, 4)


# --- quantity types and comparators -------------------------------------------------------------------------

def test_a_change_verb_followed_by_to_gives_a_level():
    assert only("森林覆盖率提高到35%").quantity_type == "share"
    fall = only("贫困发生率降至1.2%")
    assert (fall.quantity_type, fall.direction, fall.metric_raw) == ("share", "down", "贫困发生率")
    assert only("森林覆盖率提高2%").quantity_type == "growth_rate"


def test_coordinated_figures_share_the_growth_cue():
    first, second = parse_quantities("出口和进口分别增长6.1%、7.3%")
    assert (first.quantity_type, second.quantity_type) == ("growth_rate", "growth_rate")


def test_cutting_is_a_fall():
    m = only("二氧化硫排放量削减4%")
    assert (m.quantity_type, m.direction) == ("growth_rate", "down")


@pytest.mark.parametrize("text, comparator, approximate", [
    ("税收收入突破80亿元", "at_least", False), ("服务人次超50万人", "at_least", False),
    ("整治河道近300公里", "about", True), ("全年签约项目12个", "exact", False),
    ("物价涨幅控制在2.5%左右", "at_most", True), ("城镇调查失业率控制在5%以内", "at_most", False),
    ("高于全省平均水平1.2个百分点", "exact", False)])
def test_comparators(text, comparator, approximate):
    m = only(text)
    assert (m.comparator, m.approximate) == (comparator, approximate)


# --- metrics ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("phrase, expected", [
    ("居民人均可支配收入", "disposable_income"), ("全体居民人均可支配收入", "disposable_income"),
    ("农村牧区常住居民人均可支配收入", "rural_disposable_income"), ("城镇常住居民人均可支配收入", "urban_disposable_income"),
    ("单位GDP能耗", "energy_intensity"), ("单位地区生产总值能耗", "energy_intensity"), ("PM2.5平均浓度", "pm25"),
    ("人均GDP", None), ("工业固定资产投资", None), ("全社会固定资产投资", "fixed_asset_investment")])
def test_metric_names(phrase, expected):
    assert metric_id(phrase) == expected


def test_a_phrase_naming_urban_and_rural_gives_them_to_its_figures_in_order():
    urban, rural = parse_quantities("城乡居民人均可支配收入分别增长6.6%和8.2%")
    assert (urban.metric_id, rural.metric_id) == ("urban_disposable_income", "rural_disposable_income")
    both = only("城镇、农村居民人均可支配收入均增长7%")
    assert both.metric_ids == "urban_disposable_income|rural_disposable_income"


def test_a_space_does_not_end_the_metric_phrase():
    assert only("地区生产总值达到 150.2亿元").metric_id == "gdp"


def test_a_basis_qualifier_is_not_the_metric():
    level, growth = parse_quantities("一般公共预算收入完成9亿元，按可比口径增长6%")
    assert (growth.metric_id, growth.metric_inherited) == ("general_budget_revenue", True)


def test_a_baseline_is_cut_from_the_metric_and_averages_span_years():
    start, end, average = parse_quantities("粮食产量由2016年的80万吨增加到2020年的92万吨，年均增长3.6%")
    assert end.metric_raw == "粮食产量" and end.period_start == 2020
    assert average.multi_year and not end.multi_year
    assert only("万元GDP能耗累计下降18%").multi_year


# --- roles: the order of evidence ---------------------------------------------------------------------------

def role(text: str, section: str = "", cats=(), spans=(), planned=(2021,)) -> tuple[str, str]:
    mentions = parse_quantities(text, planned[-1] if planned else None)
    earlier, out = [], []
    for m in mentions:
        r = assign_role(m, earlier, text, list(cats), list(spans), section, list(planned))
        earlier.append((m, r[0]))
        out.append(r)
    return out[-1] if len(out) == 1 else out


PLAN, REVIEW = "二、2021年工作安排", "一、2020年工作回顾"


def test_the_section_outranks_the_sentence_label():
    assert role("地区生产总值增长6%", PLAN, cats=["ACHIEVEMENT"]) == ("target", "plan section")
    assert role("新建学校3所", REVIEW, cats=["TARGET"], spans=[(0, 6, "TARGET")]) == ("result", "review section")


def test_explicit_cues_outrank_the_label_without_a_section():
    assert role("主要预期目标：生产总值增长6%", cats=["ACHIEVEMENT"])[0] == "target"
    assert role("生产总值同比增长6%", cats=["TARGET"])[0] == "result"
    assert role("生产总值增长6%", cats=["TARGET"]) == ("target", "category TARGET")  # only the label is left


def test_a_plan_in_a_review_and_a_past_figure_in_a_plan():
    assert role("全村计划种植辣椒80亩", REVIEW) == ("target", "stated as a plan in a review section")
    assert role("“春蕾计划”资助学生60名", REVIEW)[0] == "result"  # 计划 as a programme's name
    assert role("去年生产总值增长5%", PLAN) == ("result", "stated as past in a plan section")
    assert role("2020年生产总值增长5%", PLAN)[0] == "result"
    assert role("生产总值比上年增长6%", PLAN)[0] == "target"  # 比上年 is the base of a growth, not the past
    assert role("工业增加值超预期增长9%", REVIEW)[0] == "result"  # 超预期 is no plan


def test_figures_that_are_neither_target_nor_result():
    base, reached = role("绿化率由30%提高到42%", REVIEW)
    assert base == ("other", "baseline of a change (由X到Y)") and reached[0] == "result"
    assert role("实施5000万元以上项目16个", PLAN)[0] == ("other", "size class (X以上项目, 超X企业)")
    assert role("投资1.5亿元的污水处理厂建成投用", REVIEW)[0] == "other"
    assert role("村集体收入达8万元以上。", REVIEW)[0] == "result"  # 以上 at the end of the clause: a figure


def test_completion_of_a_task_outranks_the_task_word():
    assert role("完成年度任务1200户", REVIEW) == ("task_completed", "cue 完成 of a task")
    assert role("完成投资3亿元，占计划的112%", REVIEW)[1] == ("task_completed", "cue 完成 of a task")
    assert role("860套改造任务全部完成", REVIEW) == ("task_completed", "cue 完成 of a task")
    assert role("下达改造任务860套", REVIEW) == ("task_assigned", "cue 任务")


def test_an_estimate_for_next_year_is_a_target():
    assert role("预计明年新增税收200万元", REVIEW) == ("target", "cue 预计 looking ahead")
    assert role("预计全年生产总值增长5%", REVIEW) == ("preliminary_result", "cue 预计")


# --- links and fulfilment -----------------------------------------------------------------------------------

class FakeDocument:
    def __init__(self, doc, planned, reviewed):
        self.doc, self.place, self.level = doc, "样例县", "county"
        self.planned_years, self.reviewed_years = planned, reviewed


def _series(plan_text: str, review_texts: list[str]):
    documents = [FakeDocument("y1", [2021], [2020]), FakeDocument("y2", [2022], [2021])]
    rows = [{"id": "y1:1", "doc": "y1", "section": PLAN, "text": plan_text, "cats": [], "spans": []}]
    rows += [{"id": f"y2:{i}", "doc": "y2", "section": "一、2021年工作回顾", "text": t, "cats": [], "spans": []}
             for i, t in enumerate(review_texts)]
    return track_targets(documents, rows)


def test_one_target_for_urban_and_rural_income_links_to_both_results():
    _, links, panel = _series("城乡居民人均可支配收入均增长7%", ["城乡居民人均可支配收入分别增长6.6%和8.2%"])
    cross = sorted((l["metric_id"], l["result_text"], l["met"]) for l in links if l["link_type"] == "cross_year")
    assert cross == [("rural_disposable_income", "8.2%", True), ("urban_disposable_income", "6.6%", False)]
    assert {r["metric_id"] for r in panel} == {"urban_disposable_income", "rural_disposable_income"}


def test_a_result_only_in_other_units_is_linked_as_a_unit_mismatch():
    _, links, _ = _series("社会消费品零售总额增长8%", ["社会消费品零售总额达到95亿元"])
    (link,) = [l for l in links if l["link_type"] == "cross_year"]
    assert (link["result_text"], link["status"], link["met"]) == ("95亿元", "unit_mismatch", None)


def test_a_multi_year_average_is_not_the_years_result_and_the_annual_statement_wins():
    _, links, _ = _series("粮食产量达到90万吨", ["粮食产量由2016年的80万吨增加到2021年的92万吨，年均增长2.8%",
                                          "全年粮食产量92万吨"])
    (link,) = [l for l in links if l["link_type"] == "cross_year"]
    assert link["result_mention_id"] == "y2:1#1"


def test_a_five_year_plan_part_gives_no_single_year_and_a_comparison_base_is_no_period():
    documents = [FakeDocument("y1", [2021], [2020])]
    rows = [{"id": "y1:1", "doc": "y1", "section": "二、今后五年的主要任务", "text": "农民人均纯收入年均递增9%，达2.1万元",
             "cats": [], "spans": []},
            {"id": "y1:2", "doc": "y1", "section": PLAN, "text": "生产总值比上年增长6%", "cats": [], "spans": []},
            {"id": "y1:3", "doc": "y1", "section": "一、过去五年工作回顾", "text": "2020年生产总值比2015年增长41%",
             "cats": [], "spans": []}]
    records, _, _ = track_targets(documents, rows)
    assert [(r["text"], r["role"], r["year"]) for r in records] == [
        ("9%", "target", None), ("2.1万元", "target", None), ("6%", "target", 2021), ("41%", "result", None)]


def test_respectively_after_several_figures_takes_their_metrics_in_order():
    *_, urban, rural = parse_quantities("城镇居民人均可支配收入达3.1万元，农村居民人均纯收入达1.4万元，同比分别增长7.2%、8.9%")
    assert (urban.metric_id, rural.metric_id) == ("urban_disposable_income", "rural_disposable_income")


def _m(text):
    return only(text).to_dict()


def test_a_reduction_target_is_met_by_a_larger_reduction():
    target = _m("单位GDP能耗下降3%")
    assert fulfilment(target, _m("单位GDP能耗下降5%"))["met"] is True
    assert fulfilment(target, _m("单位GDP能耗下降2%"))["met"] is False
    assert fulfilment(target, _m("单位GDP能耗增长1%"))["met"] is False  # a rise where a fall was set
    level = _m("PM2.5平均浓度降至40微克/立方米")
    assert fulfilment(level, _m("PM2.5平均浓度38微克/立方米"))["met"] is True  # a level to come down to


def test_about_is_a_floor_with_slack_and_in_band_is_the_band_reading():
    target = _m("地区生产总值增长6%左右")
    over = fulfilment(target, _m("地区生产总值增长7.5%"))
    assert (over["met"], over["in_band"]) == (True, False)
    near = fulfilment(target, _m("地区生产总值增长5.6%"))
    assert (near["met"], near["in_band"]) == (True, True)
    ceiling = _m("居民消费价格涨幅控制在3%左右")
    assert fulfilment(ceiling, _m("居民消费价格上涨3.4%"))["met"] is True  # at most 3%, 0.5 point of slack
    assert fulfilment(ceiling, _m("居民消费价格上涨3.6%"))["met"] is False


# --- report years -------------------------------------------------------------------------------------------

def test_a_review_heading_without_a_year_reviews_the_year_before_the_plan():
    lines = ["一、过去五年工作回顾", "五年来，我们……", "二、2024年目标任务和主要工作", "今年的主要预期目标是……"]
    assert reviewed_and_planned(lines, "") == ([2023], [2024])
    lines = ["一、2023年工作回顾", "一年来……", "二、今后工作安排", "……"]
    assert reviewed_and_planned(lines, "") == ([2023], [2024])


def test_the_meeting_line_may_stand_in_the_title():
    assert delivery_date(["政府工作报告——2016年1月20日在某某县第十六届人民代表大会第五次会议上"]) == "2016-01-20"
