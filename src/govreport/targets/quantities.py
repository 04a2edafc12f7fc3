"""Quantity mentions in one sentence: offsets, metric, value or range, unit, comparator, strength, period.

Spans are found by regular expressions anchored on a unit lexicon (``UNITS``), on % / 百分之 / 个百分点 / 成,
never by rewriting the text: only the matched number (``2万``, ``一百二十万``, ``1.2亿``) is normalised,
with ``cn2an.cn2an(number, "smart")``. A Chinese numeral counts only when a unit follows it, so 三农,
一带一路, 两会, 两不愁三保障 and 一般公共预算 stay text; 十一五 … 十五五 are five-year-plan periods
(``FIVE_YEAR_PLANS``), never numbers.

    >>> m = parse_quantities("地区生产总值增长6.5%-7%")[0]
    >>> (m.metric_id, m.low, m.high, m.comparator, m.quantity_type)
    ('gdp', 6.5, 7.0, 'range', 'growth_rate')
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass

import cn2an

# --- the metric synonym table: canonical id -> surface forms (longest match wins) -----------------------
# Kept small and explicit; a metric not listed keeps its raw text and gets metric_id None.
METRICS: dict[str, tuple[str, ...]] = {
    "gdp": ("地区生产总值", "国内生产总值", "生产总值", "GDP", "经济总量"),
    "general_budget_revenue": ("一般公共预算收入", "公共财政预算收入", "地方财政一般预算收入", "一般预算收入",
                               "地方一般公共预算收入", "一般公共财政预算收入"),
    "fiscal_revenue": ("财政总收入", "财政收入"),
    "disposable_income": ("居民人均可支配收入",),  # all residents (全体居民), neither urban nor rural
    "urban_disposable_income": ("城镇居民人均可支配收入", "城镇人均可支配收入", "城镇居民可支配收入"),
    "rural_disposable_income": ("农村居民人均可支配收入", "农村人均可支配收入", "农民人均可支配收入",
                                "农牧民人均可支配收入", "农村居民可支配收入", "农民人均纯收入", "农牧民人均纯收入",
                                "农村居民人均纯收入"),
    "grain_output": ("粮食产量", "粮食总产", "粮食总产量"),
    "grain_area": ("粮食种植", "粮食播种面积", "粮食种植面积"),
    "high_standard_farmland": ("高标准农田",),
    "urban_new_jobs": ("城镇新增就业", "新增城镇就业"),
    "urban_unemployment": ("城镇登记失业率", "城镇调查失业率"),
    "cpi": ("居民消费价格", "CPI", "消费价格"),
    "fixed_asset_investment": ("固定资产投资",),
    "retail_sales": ("社会消费品零售总额", "社会消费品零售额"),
    "foreign_trade": ("进出口总额", "外贸进出口", "进出口"),
    "industrial_value_added": ("规模以上工业增加值", "规上工业增加值", "工业增加值"),
    "energy_intensity": ("单位GDP能耗", "单位生产总值能耗", "单位地区生产总值能耗", "万元GDP能耗", "万元生产总值能耗",
                         "单位GDP能源消耗", "单位生产总值能源消耗", "单位地区生产总值能源消耗"),
    "pm25": ("PM2.5", "细颗粒物"),
}
# Words that qualify the population or basis of a metric without changing it: 城镇常住居民 = 城镇居民,
# 农村牧区居民 = 农村居民, 居民年人均 = 居民人均, 全体居民 = 居民. Removed before the synonyms are looked up.
_METRIC_QUALIFIERS = (("常住", ""), ("牧区", ""), ("全体", ""), ("年人均", "人均"))
# a sector or a ratio written right before a metric narrows it to another metric: 工业固定资产投资, 民间投资,
# 人均地区生产总值, 第三产业增加值
_NARROWER = re.compile(r"(?:工业|民间|农业|服务业|房地产|基础设施|制造业|技改|技术改造|人均|第[一二三]产业|重点项目|外资|"
                       r"国有|政府|旅游|电子商务|网络|线上)$")
# 城乡居民 … 收入 (and 城镇和农村居民 …) names the urban and the rural figure at once
_URBAN_AND_RURAL = re.compile(r"城乡|城镇(?:居民)?(?:和|与|及|、)农村")
_SYNONYMS = sorted(((s, m) for m, forms in METRICS.items() for s in forms), key=lambda p: -len(p[0]))

# --- units: surface -> (canonical unit, factor, dimension) ------------------------------------------------
# A 万/亿/千 before the unit is part of the number (2万亩 = 20000 亩), so the table holds base units only.
UNITS: dict[str, tuple[str, float, str]] = {
    "个百分点": ("pp", 1, "points"), "百分点": ("pp", 1, "points"),
    "%": ("%", 1, "percent"), "％": ("%", 1, "percent"), "成": ("%", 10, "percent"),
    "倍": ("倍", 1, "multiple"),
    "元": ("元", 1, "money"), "美元": ("美元", 1, "money"),
    "亩": ("亩", 1, "area"), "公顷": ("公顷", 1, "area"), "平方公里": ("平方公里", 1, "area"),
    "平方千米": ("平方公里", 1, "area"), "平方米": ("平方米", 1, "area"), "平米": ("平方米", 1, "area"),
    "吨标准煤": ("吨标准煤", 1, "energy"), "千瓦时": ("千瓦时", 1, "energy"),
    "千瓦": ("千瓦", 1, "power"), "兆瓦": ("千瓦", 1000, "power"), "蒸吨": ("蒸吨", 1, "boiler capacity"),
    "吨": ("吨", 1, "mass"), "公斤": ("吨", 0.001, "mass"), "千克": ("吨", 0.001, "mass"), "斤": ("吨", 0.0005, "mass"),
    "公里": ("公里", 1, "length"), "千米": ("公里", 1, "length"), "米": ("公里", 0.001, "length"),
    "立方米": ("立方米", 1, "volume"), "方": ("立方米", 1, "volume"),
    "微克/立方米": ("微克/立方米", 1, "concentration"),
    "个月": ("月", 1, "time"), "天": ("天", 1, "time"), "小时": ("小时", 1, "time"),
    "人次": ("人次", 1, "count"), "人": ("人", 1, "count"), "名": ("人", 1, "count"), "位": ("人", 1, "count"),
    "户": ("户", 1, "count"),
    "个": ("个", 1, "count"), "所": ("所", 1, "count"), "项": ("项", 1, "count"), "家": ("家", 1, "count"),
    "套": ("套", 1, "count"), "间": ("间", 1, "count"), "座": ("座", 1, "count"), "处": ("处", 1, "count"),
    "条": ("条", 1, "count"), "台": ("台", 1, "count"), "辆": ("辆", 1, "count"), "头": ("头", 1, "count"),
    "只": ("只", 1, "count"), "张": ("张", 1, "count"), "件": ("件", 1, "count"),
    "起": ("起", 1, "count"), "次": ("次", 1, "count"), "块": ("块", 1, "count"), "眼": ("眼", 1, "count"),
    "枚": ("枚", 1, "count"), "副": ("副", 1, "count"), "栋": ("栋", 1, "count"), "幢": ("幢", 1, "count"),
    "盏": ("盏", 1, "count"), "棵": ("棵", 1, "count"), "株": ("株", 1, "count"), "宗": ("宗", 1, "count"),
    "场": ("场", 1, "count"), "期": ("期", 1, "count"), "标箱": ("标箱", 1, "count"), "艘": ("艘", 1, "count"),
}
# Measure words that are also common words after a Chinese numeral (一起, 一块, 一眼, 三位一体, 四方, 一场, 一期,
# 一副): they measure something only after digits (20起, 512块, 30眼, 97位, 6600万方).
DIGITS_ONLY_UNITS = {"起", "块", "眼", "位", "方", "副", "场", "期"}
# an amount per something (300万元/年, 100元/亩): a figure of the year is the default, so /年 adds nothing; any
# other denominator is part of the unit (元/亩)
_PER = re.compile(r"/(年|月|天|日|人|户|亩|吨|平方米|公斤|小时|次|人次)")
_UNIT_RE = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))

FIVE_YEAR_PLANS = {"十一五": (2006, 2010), "十二五": (2011, 2015), "十三五": (2016, 2020),
                   "十四五": (2021, 2025), "十五五": (2026, 2030)}

_MULT = r"(?:万亿|千万|百万|万|亿|千)"
_FACTORS = {"": 1, "千": 1e3, "万": 1e4, "百万": 1e6, "千万": 1e7, "亿": 1e8, "万亿": 1e12}
_ARABIC = rf"\d+(?:\.\d+)?{_MULT}?"
_CHINESE = r"[零〇一二两三四五六七八九十百千万亿]+(?:点[零〇一二三四五六七八九]+)?"
_NUMBER = f"(?:{_ARABIC}|{_CHINESE})"
_MORE = rf"(?:[多余]{_MULT}?)"  # 80多万元, 2100余名, 8万多元: "more than"
_RANGE_SEP = r"(?:-{1,2}|–{1,2}|—{1,2}|~|～|至|到)"
_CONJ = r"(?:和|、|与|及|或)"
# 百分之X | X[unit]? SEP X unit | X:Y:Z (a structure) | X (shares the unit of the next number: 26.2和17.5个百分点) |
# X[多余] unit | X万 / X亿 without a unit (资金总额150万)
QUANTITY = re.compile(
    rf"百分之(?P<pct>{_CHINESE}|\d+(?:\.\d+)?)"
    rf"|(?P<denominator>[二三四五六七八九十])分之(?P<numerator>[一二三四五六七八九])"
    rf"|(?P<low>{_NUMBER})(?P<low_unit>%|％)?{_RANGE_SEP}(?P<high>{_NUMBER})(?P<unit>{_UNIT_RE})"
    rf"|(?P<ratio>\d+(?:\.\d+)?(?:[:：]\d+(?:\.\d+)?){{1,3}})(?![\d.:：])"
    rf"|(?P<shared>{_ARABIC})(?:(?P<shared_ge>个)(?={_CONJ}\d+(?:\.\d+)?{_MULT}?(?P<shared_pp>个百分点))"
    rf"|(?={_CONJ}\d+(?:\.\d+)?{_MULT}?(?P<shared_unit>{_UNIT_RE})))"
    rf"|(?P<num>{_NUMBER}{_MORE}?)(?P<unit1>{_UNIT_RE})"
    rf"|(?P<bare>\d+(?:\.\d+)?(?:万亿|万|亿){_MORE}?)(?![\d.])")

COMPARATOR_BEFORE = (  # (cue, comparator); longest first so 不低于 is never read as 低于
    ("不低于", "at_least"), ("不少于", "at_least"), ("不超过", "at_most"), ("不高于", "at_most"),
    ("控制在", "at_most"), ("至少", "at_least"), ("超过", "at_least"), ("突破", "at_least"),
    ("逾", "at_least"), ("接近", "about"), ("将近", "about"), ("大约", "about"), ("约", "about"))
# cues that count only right before the number: 超10亿元, 近2万公里, 上千人次 (never 超额完成, 近年来); 低于0.8吨
# (never 高于全省26.2个百分点: higher than the province by 26.2 points)
COMPARATOR_RIGHT_BEFORE = (("高于", "at_least"), ("低于", "at_most"), ("超", "at_least"), ("近", "about"),
                           ("上", "at_least"))
# 约 inside a word is no "about": 签约, 合约, 节约, 制约, 条约, 预约, 公约, 契约, 履约, 违约, 特约, 邀约
_NOT_ABOUT = re.compile(r"[签合节制条预公契履违特邀]约$")
COMPARATOR_AFTER = (("左右", "about"), ("上下", "about"), ("以上", "at_least"), ("以内", "at_most"),
                    ("以下", "at_most"), ("多", "at_least"), ("余", "at_least"))
APPROXIMATE = ("左右", "上下", "约", "大约", "近", "接近", "将近")
STRENGTH = ("确保", "力争", "争取", "努力", "力求", "必须")
PRELIMINARY = ("预计", "初步核算", "初步统计", "预估")
GROWTH_CUES = ("增长", "增速", "增幅", "涨幅", "下降", "降低", "提高", "上涨", "上升", "回落", "同比", "年均", "增加",
               "减少", "削减", "压减", "减排", "递增", "递减")
# a change verb followed by 到/至 gives the level reached, not the change: 提高到97%, 下降至0.47%, 降至36.8
_LEVEL_REACHED = re.compile(r"(?:增长|增加|提高|提升|上升|扩大|下降|降低|减少|回落|缩小|压减|削减|降)(?:了)?(?:到|至)$")
SHARE_WORDS = ("比重", "占比", "所占")  # 非公经济增加值占地区生产总值的比重达到70%: a share, not GDP
UP = ("增长", "提高", "提升", "上涨", "上升", "增加", "新增", "新建", "扩大", "递增")
DOWN = ("下降", "降低", "减少", "压减", "削减", "减排", "回落", "降至", "递减")
# a figure for several years, never one year's: 年均增长12.1%, 五年累计, 三年来
MULTI_YEAR = re.compile(r"年均|年平均|平均每年|(?:[两三四五六七八九十]|\d+)年(?:来|间|累计|共)|过去(?:[两三四五六七八九十]|\d+)年")
# words taken off both ends of the metric phrase (what is left names the metric); never from its middle,
# so 一般公共预算收入 keeps its 共
_NOISE_WORDS = (r"全年|全县|全区|全市|全省|全旗|全镇|全乡|全国|预计|初步核算|同比|比上年|较上年|比\d{4}年|较\d{4}年|"
                r"年均|分别|累计|共|均|实现|已完成|完成|按可比口径|按可比价格?计算|按可比价|可比|剔除\S{1,8}?因素后?|"
                r"达到|达|增长|增速|增幅|涨幅|下降|降低|提高到|提高|提升|上涨|增加|减少|递增|递减|控制在|不低于|不少于|不超过|超过|突破|"
                r"至少|力争|确保|争取|努力|任务|目标|主要预期目标是|预期目标|其中|为|在|以上|左右|(?<![签合节制条预公契履违特邀])约|"
                r"和|与|及|、|的|(?:下降|降低|提高|提升|增长|增加|上升|减少|回落|扩大)(?:到|至)|降至|"
                r"\d{4}年(?:底前|底|末)?|今年|去年|上年|到|了|是|建成|建设|实施|改造|培育|打造|引进|新建|新增")
_NOISE_EDGES = re.compile(rf"^(?:{_NOISE_WORDS})+|(?:{_NOISE_WORDS})+$")
# a baseline inside the phrase (地区生产总值由2010年的162.4亿元增加到…): the metric is what precedes it
_BASELINE_CUT = re.compile(r"(?:由|从)(?=\d|[一二三四五六七八九十]|上年|去年)")
# where a clause ends for the metric phrase; 、 is not one: it joins names (城镇、农村居民) as often as figures
_CLAUSE_BREAK = re.compile(r"[，,；;。：:！!？?（）()“”\"]")
# between two figures that share their cues (分别增长8.5%、10%; 提高到97%和69.2%)
_COORDINATED = re.compile(rf"^(?:左右|以上|以下|以内|上下)?(?:{_CONJ}|[:：])$")
# a rank, never a count: 全省前5名, 后三名, 倒十名, 第四; 最后一公里 is an idiom
_RANK_BEFORE = re.compile(r"(?:前|后|倒数?)$")
_ORDINAL_BEFORE = re.compile(r"第$")
# a structure written as shares (三次产业结构 13.3:52.9:33.8)
_RATIO_CUES = ("结构", "比例", "之比", "比为")
# the money an amount without a unit is counted in: 资金总额150万, 投资4000万的项目, 财政收入突破10亿大关
_MONEY_WORDS = re.compile(r"资金|投资|收入|总额|金额|资产|存款|贷款|税|资本|产值|总值|增加值|销售额|营业额|零售额|出资|"
                          r"补贴|补助|奖励|奖金|分红|经费|费用|投入|融资|基金|利润|预算|支出|财政")
_PEOPLE_AFTER = re.compile(r"^[\u4e00-\u9fff]{0,4}?人口")  # 1753.3万农村人口


@dataclass
class Mention:
    start: int  # offsets into the sentence text
    end: int
    text: str  # text[start:end]: the number with its unit (and range)
    metric_raw: str  # the phrase before the number naming what is measured ("" when none)
    metric_id: str | None  # canonical id from METRICS, None for a metric not in the table
    metric_inherited: bool  # metric_raw taken from the previous mention of the sentence (…，同比增长10%)
    value: float  # the point value in canonical units (range: the midpoint)
    low: float | None  # range bounds in canonical units (None unless comparator == "range")
    high: float | None
    unit: str  # as written, with its multiplier (万亩, 亿元, 个百分点)
    unit_canonical: str  # 元, 亩, %, pp, 人 …
    dimension: str  # money, area, percent, points, count, …
    quantity_type: str  # level | growth_rate | pp_change | count | share
    comparator: str  # about | at_least | at_most | range | exact
    strength: str | None  # 确保 / 力争 / 争取 / 努力 … before the number in its sentence
    direction: str | None  # up | down | control
    period_text: str  # the period expression that applies ("" when none)
    period_start: int | None
    period_end: int | None
    preliminary: bool  # 预计 / 初步核算 before the number
    metric_ids: str = ""  # every metric the figure stands for, joined with | (城乡居民收入均增长8%: urban and rural)
    approximate: bool = False  # 左右 / 上下 / 约 / 近 written with the number (控制在3%左右: at most, with slack)
    multi_year: bool = False  # a figure for several years (年均, 五年累计): never one year's target or result

    def to_dict(self) -> dict:
        return asdict(self)


def to_number(number: str) -> float:
    """The value of a matched number only (``2万`` → 20000, ``一百二十万`` → 1200000, ``1.2亿``, ``80多万`` → 800000,
    ``千万`` → 10000000)."""
    more = re.search(rf"[多余]({_MULT})?$", number)
    if more:  # 80多万 = 80万; 2100余 = 2100; 8万多 = 8万
        number = number[:more.start()] + (more.group(1) or "")
    arabic = re.fullmatch(rf"(\d+(?:\.\d+)?)({_MULT})?", number)
    if arabic:  # 1.2万亿 is beyond cn2an
        return float(arabic.group(1)) * _FACTORS[arabic.group(2) or ""]
    if number[:1] in "百千万亿":
        number = "一" + number
    return float(cn2an.cn2an(number, "smart"))


def _normalise_metric(phrase: str) -> str:
    phrase = unicodedata.normalize("NFKC", phrase)
    for word, replacement in _METRIC_QUALIFIERS:
        phrase = phrase.replace(word, replacement)
    return phrase


def metric_ids(phrase: str) -> list[str]:
    """Every canonical metric the phrase names, in the order written (longest synonym first, never two
    overlapping): 城镇居民人均可支配收入、农村居民人均可支配收入 → urban, rural; 城乡居民收入 → urban, rural.
    GDP after 单位 / 万元 / 每 is a denominator (单位GDP二氧化碳排放), not GDP."""
    text = _normalise_metric(phrase)
    taken: list[tuple[int, int, str]] = []
    for surface, mid in _SYNONYMS:
        for m in re.finditer(re.escape(surface), text):
            if any(m.start() < e and s < m.end() for s, e, _ in taken):
                continue
            if mid == "gdp" and re.search(r"(?:单位|万元|每)$", text[:m.start()]):
                continue
            if _NARROWER.search(text[:m.start()]):
                continue  # 工业固定资产投资, 人均GDP: a part or a ratio of the metric, not the metric
            taken.append((m.start(), m.end(), mid))
    found = [mid for _, _, mid in sorted(taken)]
    if _URBAN_AND_RURAL.search(text) and "收入" in text:
        found = [m for m in found if m not in ("disposable_income", "urban_disposable_income",
                                               "rural_disposable_income")]
        found += ["urban_disposable_income", "rural_disposable_income"]
    return list(dict.fromkeys(found))


def metric_id(phrase: str) -> str | None:
    """The canonical id of the metric the phrase names (the last one written when it names several), or None."""
    found = metric_ids(phrase)
    return found[-1] if found else None


def find_periods(text: str, report_year: int | None = None) -> list[tuple[int, int, str, int | None, int | None]]:
    """Period expressions: (start, end, text, first year, last year). 今年/去年 need ``report_year``. The base of a
    comparison (比2007年增长, 比上年, 较去年, 与2019年相比) is not the figure's period and is left out."""
    found = []
    for name, (first, last) in FIVE_YEAR_PLANS.items():
        for m in re.finditer(rf"“?{name}”?(?:期间|时期|末|规划)?", text):
            found.append((m.start(), m.end(), m.group(), first, last))
    for m in re.finditer(r"(?:到|至)?(\d{4})年(?:底前|底|末|前)?", text):
        year = int(m.group(1))
        if 1949 < year < 2100:
            found.append((m.start(), m.end(), m.group(), year, year))
    for m in re.finditer(r"今年|本年度|去年|上年|年底前|年内", text):
        year = report_year if m.group() in ("今年", "本年度", "年底前", "年内") else (
            report_year - 1 if report_year else None)
        found.append((m.start(), m.end(), m.group(), year, year))
    found = [f for f in found if not re.search(r"(?:比|较|同|与|相比)$", text[:f[0]])]
    found.sort()
    kept = []  # drop expressions inside a longer one (2025年 inside 到2025年底)
    for item in found:
        if kept and item[0] < kept[-1][1]:
            continue
        kept.append(item)
    return kept


def strip_metric(phrase: str) -> str:
    """The metric phrase without the cue words at its edges (增长, 完成, 力争, 全年 …) and without a baseline
    (地区生产总值由2010年的…增加到 → 地区生产总值)."""
    cut = _BASELINE_CUT.search(phrase)
    if cut and cut.start() > 0:
        phrase = phrase[:cut.start()]
    previous = None
    while previous != phrase:
        previous, phrase = phrase, _NOISE_EDGES.sub("", phrase).strip()
    return phrase


def _clause_start(text: str, pos: int) -> int:
    i = pos
    while i > 0 and not _CLAUSE_BREAK.match(text[i - 1]):
        i -= 1
    return i


def _five_year_plan_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for name in FIVE_YEAR_PLANS for m in re.finditer(name, text)]


SLOGAN_UNITS = ("个", "项", "条", "张", "只", "台", "座", "件", "次", "场", "枚", "栋", "幢", "盏", "棵", "株", "宗", "艘",
                "标箱")  # 三棵树 (a company), 一盏灯


def _is_slogan_count(number: str, value: float, unit: str) -> bool:
    """一个 … 十个 / 两项 written in Chinese numerals are slogans (两个确立, 四个全面, 三个一批, 八项规定) far more
    often than counts, so they are not mentions; 3个 in digits is, and so is 十余个 (more than ten)."""
    if not number or re.match(r"\d", number) or unit not in SLOGAN_UNITS or re.search("[多余]", number):
        return False
    return value <= 10


def _in_short_quote(text: str, start: int, end: int) -> bool:
    """The figure stands inside a short quotation with words around it (“24小时不打烊”): a name or slogan."""
    for left, right in (("“", "”"), ("\"", "\""), ("「", "」")):
        opened = text.rfind(left, 0, start)
        if opened < 0 or text.rfind(right, opened + 1, start) >= 0 and left != right:
            continue
        if left == right and text.count(left, 0, start) % 2 == 0:
            continue
        closed = text.find(right, end)
        if closed >= 0 and closed - opened - 1 <= 12 and re.search(r"[\u4e00-\u9fff]", text[opened + 1:start] +
                                                                   text[end:closed]):
            return True
    return False


def _pp_points(text: str, m: re.Match) -> bool:
    """13个点 is percentage points after a rate that changes (征缴率上升13个点); 5个点 elsewhere are five sites."""
    before = text[_clause_start(text, m.start()):m.start()]
    return bool(re.search(r"率|比重|占比", before) and re.search(r"上升|下降|提高|降低|增加|减少|回落|高于|低于", before))


def _candidates(text: str):
    """(start, end, number text, value, low, high, unit written, unit key, comparator) for every quantity of the
    text, before the context checks."""
    for m in QUANTITY.finditer(text):
        if m.group("pct") is not None:
            try:
                yield m.start(), m.end(), m.group("pct"), to_number(m.group("pct")), None, None, "%", "%", "exact"
            except ValueError:
                continue
        elif m.group("denominator") is not None:  # 三分之一: a share
            value = 100 * to_number(m.group("numerator")) / to_number(m.group("denominator"))
            yield m.start(), m.end(), m.group(), value, None, None, "", "fraction", "exact"
        elif m.group("low") is not None:
            if m.group("low_unit") and m.group("unit") not in ("%", "％"):
                continue
            try:
                low, high = to_number(m.group("low")), to_number(m.group("high"))
            except ValueError:
                continue
            yield m.start(), m.end(), m.group("high"), None, low, high, m.group("unit"), m.group("unit"), "range"
        elif m.group("ratio") is not None:  # 13.3:52.9:33.8 (three parts are never a time of day)
            if m.group("ratio").count(":") + m.group("ratio").count("：") < 2 and \
                    not any(c in text[:m.start()] for c in _RATIO_CUES):
                continue
            at = m.start()
            for part in re.split(r"[:：]", m.group("ratio")):
                yield at, at + len(part), part, float(part), None, None, "", "ratio", "exact"
                at += len(part) + 1
        elif m.group("shared") is not None:  # 9.4个和8.1个百分点: 9.4个 is points; 26.2和17.5个百分点
            unit, end = m.group("shared_pp") or m.group("shared_unit"), m.end()
            try:
                value = to_number(m.group("shared"))
            except ValueError:
                continue
            yield m.start(), end, m.group("shared"), value, None, None, unit, unit, "exact"
        elif m.group("num") is not None:
            unit, end = m.group("unit1"), m.end()
            if unit == "个" and text[end:end + 1] == "点" and _pp_points(text, m):
                unit, end = "个点", end + 1
            try:
                value = to_number(m.group("num"))
            except ValueError:
                continue
            yield m.start(), end, m.group("num"), value, None, None, unit, unit, "exact"
        else:
            number = m.group("bare")
            clause = text[_clause_start(text, m.start()):m.start()]
            if _PEOPLE_AFTER.match(text[m.end():]):
                unit = "人"
            elif _MONEY_WORDS.search(clause):
                unit = "元"
            else:
                continue
            try:
                value = to_number(number)
            except ValueError:
                continue
            yield m.start(), m.end(), number, value, None, None, "", unit, "exact"


def parse_quantities(text: str, report_year: int | None = None) -> list[Mention]:
    """Every quantity mention of one sentence, in order."""
    plans = _five_year_plan_spans(text)
    periods = find_periods(text, report_year)
    mentions: list[Mention] = []
    respectively: list[bool] = []  # 分别 before the figure (or before the figure it is coordinated with)
    for start, end, number, value, low, high, written, unit, comparator in _candidates(text):
        if any(s < end and start < e for s, e in plans):
            continue  # 十四五 is a period, never 14 / 5 / 55
        if unit == "成" and re.match(r"\d", number or "0"):
            continue  # 3成 is rare; 成 is a share only after a Chinese numeral (三成)
        if unit in DIGITS_ONLY_UNITS and not re.match(r"\d", number):
            continue  # 一起, 一块, 三位一体
        if _ORDINAL_BEFORE.search(text[:start]):
            continue  # 第4名, 第十九次: an ordinal
        if unit in ("名", "位") and _RANK_BEFORE.search(text[:start]):
            continue  # 全省前5名, 倒十名: a rank
        if re.fullmatch(r"[一二两三四五六七八九十]", number or "") and text[:start].endswith("最后"):
            continue  # 最后一公里: an idiom
        if text[end:].startswith("比" + text[start:end]) or text[:start].endswith(text[start:end] + "比"):
            continue  # 一天比一天好, 一年比一年: an idiom
        if unit == "次" and (text[:start].endswith("届") or re.match(r"(?:全体)?(?:全会|会议|代表大会|常委会)", text[end:])):
            continue  # 九届十二次全会: a meeting's number
        if _in_short_quote(text, start, end):
            continue  # “24小时不打烊”, “一小时交通圈”: a name or a slogan
        if number and number[0] in "百千万亿":  # 亿元以上项目, 超千万元, 近万亩, 上千人次: only with a comparator
            if not (text[:start].endswith(("超", "近", "上", "突破", "逾", "过", "超过")) or
                    text[end:end + 2] in ("以上", "以下")):
                continue
        if unit == "个点":
            canonical, factor, dimension = "pp", 1, "points"
        elif unit in ("ratio", "fraction"):
            canonical, factor, dimension = "%", 1, "percent"
        else:
            canonical, factor, dimension = UNITS[unit]
        if value is not None and _is_slogan_count(number, value, unit):
            continue
        more = bool(re.search(rf"[多余]{_MULT}?$", number or ""))
        multiplier = re.search(rf"{_MULT}$", re.sub(r"[多余]", "", number or ""))
        digits = bool(re.match(r"\d", number or ""))
        unit_written = (multiplier.group() if multiplier and digits else "") + (written if unit not in ("ratio",
                                                                                                  "fraction") else "")
        if unit == "个点":
            unit_written = "个点"
        per = _PER.match(text, end)
        if per and dimension == "money":
            end = per.end()
            unit_written += per.group()
            if per.group(1) != "年":  # a figure of the year is the default; 元/亩 is another unit
                canonical, dimension = f"{canonical}{per.group()}", f"{dimension} per {per.group(1)}"
        if comparator == "range":
            low, high = low * factor, high * factor
            value = (low + high) / 2
        else:
            value = value * factor
        clause_start = _clause_start(text, start)
        previous = mentions[-1] if mentions else None
        phrase_start = max(clause_start, previous.end if previous and previous.end <= start else 0)
        before = text[phrase_start:start]
        clause = text[clause_start:start]
        sentence_before = text[:start]
        after = text[end:end + 2]
        approximate = False
        if more:
            comparator = "at_least"
        if comparator != "range" and not more:
            for cue, name in COMPARATOR_AFTER:
                if after.startswith(cue):
                    comparator = name
                    break
            stated_before = None
            for cue, name in COMPARATOR_BEFORE:
                if (before.rstrip().endswith(cue) or re.search(re.escape(cue) + r"\S{0,2}$", before)) and not (
                        cue == "约" and _NOT_ABOUT.search(before[:before.rfind("约") + 1])):
                    stated_before = (cue, name)
                    break
            else:
                for cue, name in COMPARATOR_RIGHT_BEFORE:
                    if before.endswith(cue) and not before.endswith(("最近", "附近", "以上", "线上", "马上")):
                        stated_before = (cue, name)
                        break
            if stated_before:
                if comparator == "exact" or (comparator == "about" and stated_before[1] == "at_most"):
                    comparator = stated_before[1]  # 控制在3%左右: at most 3%, with slack
                approximate = stated_before[0] in APPROXIMATE
            approximate = approximate or any(after.startswith(c) for c in ("左右", "上下"))
        coordinated = bool(previous and previous.end <= start and _COORDINATED.match(text[previous.end:start]))
        level_reached = bool(_LEVEL_REACHED.search(before))
        if canonical == "pp":
            quantity_type = "pp_change"
        elif dimension in ("percent", "multiple"):
            cues = before.replace("增加值", "")  # 工业增加值 names a metric, it is no growth cue
            share = any(w in clause for w in SHARE_WORDS) or level_reached or unit in ("ratio", "fraction")
            quantity_type = "growth_rate" if any(c in cues for c in GROWTH_CUES) and not share else "share"
            if coordinated and previous.dimension == dimension:
                quantity_type = previous.quantity_type  # 分别增长8.5%、10%: the second is a growth too
        elif dimension == "count":
            quantity_type = "count"
        else:
            quantity_type = "level"
        direction = None
        if any(c in before for c in DOWN):
            direction = "down"
        elif "控制" in before or comparator == "at_most":
            direction = "control"
        elif any(c in before for c in UP):
            direction = "up"
        if coordinated and direction is None:
            direction = previous.direction
        strength = next((s for s in STRENGTH if s in sentence_before), None)
        preliminary = any(p in sentence_before for p in PRELIMINARY)
        phrase = before.strip()
        metric_raw = strip_metric(phrase)
        ids = metric_ids(metric_raw)
        if any(w in phrase for w in SHARE_WORDS):
            ids = []  # a share of GDP is not GDP
        inherited = False
        if not metric_raw:
            if (phrase or coordinated) and previous and previous.metric_raw:  # …，同比增长10% / 已完成38492亩 / 、10%
                metric_raw, inherited = previous.metric_raw, True
                ids = [i for i in previous.metric_ids.split("|") if i]
            elif not re.match(rf"{_CONJ}?\d", text[end:]):  # 三成以上农户参保 / 15个示范村: the metric follows
                tail = text[end:]
                tail = tail[:next((i for i, ch in enumerate(tail) if _CLAUSE_BREAK.match(ch) or ch == "、"),
                                  len(tail))]
                metric_raw = strip_metric(tail[:12])
                ids = metric_ids(metric_raw)
        period = None
        for p in periods:  # the nearest period expression before the number, else the first after it
            if p[1] <= start:
                period = p
        if period is None and periods and periods[0][0] >= end:
            period = periods[0]
        multi_year = bool(MULTI_YEAR.search(before)) or (coordinated and previous.multi_year) or (
            "累计" in before and quantity_type in ("growth_rate", "pp_change"))  # 累计下降40.6%: over several years
        base = re.findall(r"(?:比|较)(\d{4})年", clause)
        if base and quantity_type in ("growth_rate", "pp_change", "share"):  # 2012年…比2007年增长1.3倍
            own = [p[3] for p in periods if p[1] <= start and p[3] is not None and p[3] == p[4]]
            latest = own[-1] if own else (report_year - 1 if report_year else None)
            multi_year = multi_year or bool(latest and int(base[-1]) < latest - 1)
        mentions.append(Mention(
            start=start, end=end, text=text[start:end], metric_raw=metric_raw, metric_id=ids[-1] if ids else None,
            metric_inherited=inherited, value=round(value, 6), low=low, high=high, unit=unit_written,
            unit_canonical=canonical, dimension=dimension, quantity_type=quantity_type, comparator=comparator,
            strength=strength, direction=direction, period_text=period[2] if period else "",
            period_start=period[3] if period else None, period_end=period[4] if period else None,
            preliminary=preliminary, metric_ids="|".join(ids), approximate=approximate, multi_year=multi_year))
        respectively.append("分别" in before or (coordinated and respectively[-1]))
    _distribute_metrics(mentions)
    _respectively(mentions, respectively)
    return mentions


def _respectively(mentions: list[Mention], respectively: list[bool]) -> None:
    """…达21560元，农村居民…达9173元，同比分别增长12.1%、17.2%: figures after 分别 that inherit their metric take
    the metrics of as many figures before them, in order."""
    i = 0
    while i < len(mentions):
        if not (respectively[i] and mentions[i].metric_inherited):
            i += 1
            continue
        j = i + 1
        while j < len(mentions) and respectively[j] and mentions[j].metric_inherited:
            j += 1
        group, earlier = mentions[i:j], [m for m in mentions[:i] if m.quantity_type != mentions[i].quantity_type]
        sources = earlier[-len(group):] if len(group) >= 2 and len(earlier) >= len(group) else []
        if sources and len({s.metric_ids for s in sources}) == len(group):
            for m, source in zip(group, sources):
                m.metric_raw, m.metric_id, m.metric_ids = source.metric_raw, source.metric_id, source.metric_ids
        i = j


def _distribute_metrics(mentions: list[Mention]) -> None:
    """A phrase naming several metrics gives them to its figures in order (城乡居民人均可支配收入分别增长8.7%和8.6%:
    urban 8.7%, rural 8.6%), one group of figures of the same type at a time; a single figure stands for all of
    them (城镇、农村居民人均可支配收入均增长8%)."""
    i = 0
    while i < len(mentions):
        ids = [x for x in mentions[i].metric_ids.split("|") if x]
        j = i + 1
        while j < len(mentions) and mentions[j].metric_inherited and mentions[j].metric_raw == mentions[i].metric_raw:
            j += 1
        conjoined = bool(re.search(r"[、和与及]|分别|均", mentions[i].metric_raw) or _URBAN_AND_RURAL.search(
            _normalise_metric(mentions[i].metric_raw)))
        if len(ids) >= 2 and not conjoined:  # 生产总值中工业增加值: the metric nearest the number
            for m in mentions[i:j]:
                m.metric_id, m.metric_ids = ids[-1], ids[-1]
        elif len(ids) >= 2:
            groups: dict[str, list[Mention]] = {}
            for m in mentions[i:j]:
                groups.setdefault(m.quantity_type, []).append(m)
            for group in groups.values():
                if len(group) == len(ids):
                    for m, mid in zip(group, ids):
                        m.metric_id, m.metric_ids = mid, mid
                elif len(group) == 1:
                    group[0].metric_id = ids[0]
                else:
                    for m in group:
                        m.metric_id, m.metric_ids = None, ""  # which figure is which metric is not said
        i = j


__all__ = ["METRICS", "UNITS", "FIVE_YEAR_PLANS", "Mention", "parse_quantities", "metric_id", "metric_ids",
           "to_number", "find_periods"]
