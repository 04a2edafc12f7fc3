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
from dataclasses import asdict, dataclass

import cn2an

# --- the metric synonym table: canonical id -> surface forms (longest match wins) -----------------------
# Kept small and explicit; a metric not listed keeps its raw text and gets metric_id None.
METRICS: dict[str, tuple[str, ...]] = {
    "gdp": ("地区生产总值", "国内生产总值", "生产总值", "GDP", "经济总量"),
    "general_budget_revenue": ("一般公共预算收入", "公共财政预算收入", "地方财政一般预算收入", "一般预算收入",
                               "地方一般公共预算收入"),
    "fiscal_revenue": ("财政总收入", "财政收入"),
    "urban_disposable_income": ("城镇居民人均可支配收入", "城镇常住居民人均可支配收入"),
    "rural_disposable_income": ("农村居民人均可支配收入", "农村常住居民人均可支配收入", "农牧民人均可支配收入",
                                "农民人均纯收入", "农牧民人均纯收入"),
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
}
_SYNONYMS = sorted(((s, m) for m, forms in METRICS.items() for s in forms), key=lambda p: -len(p[0]))

# --- units: surface -> (canonical unit, factor, dimension) ------------------------------------------------
# A 万/亿/千 before the unit is part of the number (2万亩 = 20000 亩), so the table holds base units only.
UNITS: dict[str, tuple[str, float, str]] = {
    "个百分点": ("pp", 1, "points"), "百分点": ("pp", 1, "points"),
    "%": ("%", 1, "percent"), "％": ("%", 1, "percent"), "成": ("%", 10, "percent"),
    "元": ("元", 1, "money"), "美元": ("美元", 1, "money"),
    "亩": ("亩", 1, "area"), "公顷": ("公顷", 1, "area"), "平方公里": ("平方公里", 1, "area"),
    "平方米": ("平方米", 1, "area"),
    "吨标准煤": ("吨标准煤", 1, "energy"), "千瓦时": ("千瓦时", 1, "energy"), "千瓦": ("千瓦", 1, "power"),
    "吨": ("吨", 1, "mass"), "公斤": ("吨", 0.001, "mass"), "斤": ("吨", 0.0005, "mass"),
    "公里": ("公里", 1, "length"), "千米": ("公里", 1, "length"), "米": ("公里", 0.001, "length"),
    "立方米": ("立方米", 1, "volume"),
    "人次": ("人次", 1, "count"), "人": ("人", 1, "count"), "名": ("人", 1, "count"), "户": ("户", 1, "count"),
    "个": ("个", 1, "count"), "所": ("所", 1, "count"), "项": ("项", 1, "count"), "家": ("家", 1, "count"),
    "套": ("套", 1, "count"), "间": ("间", 1, "count"), "座": ("座", 1, "count"), "处": ("处", 1, "count"),
    "条": ("条", 1, "count"), "台": ("台", 1, "count"), "辆": ("辆", 1, "count"), "头": ("头", 1, "count"),
    "只": ("只", 1, "count"), "张": ("张", 1, "count"), "所学校": ("所", 1, "count"),
}
_UNIT_RE = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))

FIVE_YEAR_PLANS = {"十一五": (2006, 2010), "十二五": (2011, 2015), "十三五": (2016, 2020),
                   "十四五": (2021, 2025), "十五五": (2026, 2030)}

_ARABIC = r"\d+(?:\.\d+)?(?:千万|百万|万|亿|千)?"
_CHINESE = r"[零〇一二两三四五六七八九十百千万亿]+(?:点[零〇一二三四五六七八九]+)?"
_NUMBER = f"(?:{_ARABIC}|{_CHINESE})"
_RANGE_SEP = r"(?:-|–|—|~|～|至|到)"
# 百分之X | X[unit]? SEP X unit | X unit
QUANTITY = re.compile(
    rf"百分之(?P<pct>{_CHINESE}|\d+(?:\.\d+)?)"
    rf"|(?P<low>{_NUMBER})(?P<low_unit>%|％)?{_RANGE_SEP}(?P<high>{_NUMBER})(?P<unit>{_UNIT_RE})"
    rf"|(?P<num>{_NUMBER})(?P<unit1>{_UNIT_RE})")

COMPARATOR_BEFORE = (  # (cue, comparator); longest first so 不低于 is never read as 低于
    ("不低于", "at_least"), ("不少于", "at_least"), ("不超过", "at_most"), ("不高于", "at_most"),
    ("控制在", "at_most"), ("至少", "at_least"), ("超过", "at_least"), ("高于", "at_least"), ("逾", "at_least"),
    ("低于", "at_most"), ("约", "about"))
COMPARATOR_AFTER = (("左右", "about"), ("上下", "about"), ("以上", "at_least"), ("以内", "at_most"),
                    ("以下", "at_most"), ("多", "at_least"), ("余", "at_least"))
STRENGTH = ("确保", "力争", "争取", "努力", "力求", "必须")
PRELIMINARY = ("预计", "初步核算", "初步统计", "预估")
GROWTH_CUES = ("增长", "增速", "增幅", "涨幅", "下降", "降低", "提高", "上涨", "回落", "同比", "年均", "增加", "减少")
SHARE_WORDS = ("比重", "占比", "所占")  # 非公经济增加值占地区生产总值的比重达到70%: a share, not GDP
UP = ("增长", "提高", "提升", "上涨", "增加", "新增", "新建", "扩大")
DOWN = ("下降", "降低", "减少", "压减", "回落")
# words taken off both ends of the metric phrase (what is left names the metric); never from its middle,
# so 一般公共预算收入 keeps its 共
_NOISE_WORDS = (r"全年|全县|全区|全市|全省|全旗|全镇|全乡|全国|预计|初步核算|同比|比上年|年均|分别|累计|共|实现|已完成|完成|"
                r"达到|达|增长|增速|增幅|涨幅|下降|降低|提高到|提高|提升|上涨|增加|减少|控制在|不低于|不少于|不超过|超过|"
                r"至少|力争|确保|争取|努力|任务|目标|主要预期目标是|预期目标|其中|为|在|以上|左右|约|和|与|及|"
                r"\d{4}年(?:底前|底|末)?|今年|去年|上年|到|了|是|建成|建设|实施|改造|培育|打造|引进|新建|新增")
_NOISE_EDGES = re.compile(rf"^(?:{_NOISE_WORDS})+|(?:{_NOISE_WORDS})+$")
_CLAUSE_BREAK = re.compile(r"[，,；;。：:！!？?、（）()“”\"\s]")


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

    def to_dict(self) -> dict:
        return asdict(self)


def to_number(number: str) -> float:
    """The value of a matched number only (``2万`` → 20000, ``一百二十万`` → 1200000, ``1.2亿``)."""
    return float(cn2an.cn2an(number, "smart"))


def metric_id(phrase: str) -> str | None:
    """The canonical id of the longest synonym inside the phrase, or None."""
    for surface, mid in _SYNONYMS:
        if surface in phrase:
            return mid
    return None


def find_periods(text: str, report_year: int | None = None) -> list[tuple[int, int, str, int | None, int | None]]:
    """Period expressions: (start, end, text, first year, last year). 今年/去年 need ``report_year``."""
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
    found.sort()
    kept = []  # drop expressions inside a longer one (2025年 inside 到2025年底)
    for item in found:
        if kept and item[0] < kept[-1][1]:
            continue
        kept.append(item)
    return kept


def strip_metric(phrase: str) -> str:
    """The metric phrase without the cue words at its edges (增长, 完成, 力争, 全年 …)."""
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


def _is_slogan_count(text: str, m: re.Match, value: float, unit: str) -> bool:
    """一个 … 十个 / 两项 written in Chinese numerals are slogans (两个确立, 四个全面, 三个一批) far more often
    than counts, so they are not mentions; 3个 in digits is."""
    number = m.group("num") or ""
    if not number or re.match(r"\d", number) or unit not in ("个", "项", "条", "张", "只", "台", "座", "件"):
        return False
    return value <= 10


def parse_quantities(text: str, report_year: int | None = None) -> list[Mention]:
    """Every quantity mention of one sentence, in order."""
    plans = _five_year_plan_spans(text)
    periods = find_periods(text, report_year)
    mentions: list[Mention] = []
    for m in QUANTITY.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in plans):
            continue  # 十四五 is a period, never 14 / 5 / 55
        if m.group("pct") is not None:
            unit, low = "%", None
            try:
                value = to_number(m.group("pct"))
            except ValueError:
                continue
            comparator, high = "exact", None
        elif m.group("low") is not None:
            unit = m.group("unit")
            try:
                low, high = to_number(m.group("low")), to_number(m.group("high"))
            except ValueError:
                continue
            if m.group("low_unit") and unit not in ("%", "％"):
                continue
            comparator, value = "range", None
        else:
            unit = m.group("unit1")
            try:
                value = to_number(m.group("num"))
            except ValueError:
                continue
            comparator, low, high = "exact", None, None
        number_text = m.group("num") or m.group("high") or ""
        if unit == "成" and re.fullmatch(r"\d.*", number_text or "0"):
            continue  # 3成 is rare; 成 is a share only after a Chinese numeral (三成)
        canonical, factor, dimension = UNITS[unit]
        if value is not None and _is_slogan_count(text, m, value, unit):
            continue
        multiplier = re.search(r"(千万|百万|万|亿|千)$", number_text)
        unit_written = (multiplier.group() if multiplier and re.match(r"\d", number_text) else "") + unit
        if comparator == "range":
            low, high = low * factor, high * factor
            value = (low + high) / 2
        else:
            value = value * factor
        before = text[_clause_start(text, m.start()):m.start()]
        sentence_before = text[:m.start()]
        after = text[m.end():m.end() + 2]
        if comparator != "range":
            for cue, name in COMPARATOR_AFTER:
                if after.startswith(cue):
                    comparator = name
                    break
            else:
                for cue, name in COMPARATOR_BEFORE:
                    if before.rstrip().endswith(cue) or re.search(re.escape(cue) + r"\S{0,2}$", before):
                        comparator = name
                        break
        if canonical == "pp":
            quantity_type = "pp_change"
        elif dimension == "percent":
            cues = before.replace("增加值", "")  # 工业增加值 names a metric, it is no growth cue
            share = any(w in before for w in SHARE_WORDS)
            quantity_type = "growth_rate" if any(c in cues for c in GROWTH_CUES) and not share else "share"
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
        strength = next((s for s in STRENGTH if s in sentence_before), None)
        preliminary = any(p in sentence_before for p in PRELIMINARY)
        phrase = before.strip()
        metric_raw = strip_metric(phrase)
        mid = metric_id(phrase)
        if any(w in phrase for w in SHARE_WORDS):
            mid = None  # a share of GDP is not GDP
        inherited = False
        if not metric_raw:
            if phrase and mentions and mentions[-1].metric_raw:  # …，同比增长10% / 已完成38492亩
                metric_raw, mid, inherited = mentions[-1].metric_raw, mentions[-1].metric_id, True
            else:  # 三成以上农户参保 / 15个示范村: the metric follows the number
                tail = text[m.end():]
                tail = tail[:next((i for i, ch in enumerate(tail) if _CLAUSE_BREAK.match(ch)), len(tail))]
                metric_raw = strip_metric(tail[:12])
                mid = metric_id(metric_raw)
        period = None
        for p in periods:  # the nearest period expression before the number, else the first after it
            if p[1] <= m.start():
                period = p
        if period is None and periods and periods[0][0] >= m.end():
            period = periods[0]
        mentions.append(Mention(
            start=m.start(), end=m.end(), text=m.group(), metric_raw=metric_raw, metric_id=mid,
            metric_inherited=inherited, value=round(value, 6), low=low, high=high, unit=unit_written,
            unit_canonical=canonical, dimension=dimension, quantity_type=quantity_type, comparator=comparator,
            strength=strength, direction=direction, period_text=period[2] if period else "",
            period_start=period[3] if period else None, period_end=period[4] if period else None,
            preliminary=preliminary))
    return mentions


__all__ = ["METRICS", "UNITS", "FIVE_YEAR_PLANS", "Mention", "parse_quantities", "metric_id", "to_number",
           "find_periods"]
