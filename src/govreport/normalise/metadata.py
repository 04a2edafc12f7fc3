"""Metadata read from the text itself: place, level, kind, title, years, delivery date.

Used where the file name and any crawler header or table column say nothing. The rules rest on
the fixed parts of a government work report (the meeting line, the speaker line, the issuing
government, section headings), not on any one file.
"""

from __future__ import annotations

import re

from .text import HEADING_MARKERS, TERMINAL_AT_LINE_END, heading_level

# The 34 provincial-level divisions: a 市 among them (北京市) is a province-level government.
PROVINCES = (
    "北京市 天津市 上海市 重庆市 河北省 山西省 辽宁省 吉林省 黑龙江省 江苏省 浙江省 安徽省 福建省 江西省 山东省 "
    "河南省 湖北省 湖南省 广东省 海南省 四川省 贵州省 云南省 陕西省 甘肃省 青海省 台湾省 内蒙古自治区 "
    "广西壮族自治区 西藏自治区 宁夏回族自治区 新疆维吾尔自治区 香港特别行政区 澳门特别行政区"
).split()
# Characters of meeting lines and titles that never stand in a place name.
_NOT_IN_PLACE = "会议届次在年月日第的"
_PLACE = rf"[^\W\d_{_NOT_IN_PLACE}]{{1,10}}?(?:特别行政区|自治区|自治州|自治县|街道|省|市|州|盟|县|旗|区|镇|乡)"
_PLACE_PATTERNS = [
    re.compile(p)
    for p in (
        rf"代表({_PLACE})(?:第[一二三四五六七八九十]+届)?人民政府",
        rf"在({_PLACE})第[一二三四五六七八九十]+届人民代表大会",
        rf"^({_PLACE})人民政府(?:代?[省市县区镇乡州盟旗]长|主席)",
        rf"^(?:\d{{4}}年)?({_PLACE})(?:\d{{4}}年)?(?:人民)?政府工作报告$",
        r"^([\u4e00-\u9fffx]{2,5}?[镇乡])(?:\d{4}|x{2,4}|政府|年度|人民政府)",
        r"在(?:[\u4e00-\u9fff]{2,4}?[市区县])*([\u4e00-\u9fff]{2,4}?[镇乡])(?:第|十|人民|$)",
    )
]
_NATIONAL = re.compile(r"全国人民代表大会|国务院总理|中华人民共和国国务院|国务院政府工作报告")

_NOT_PLACES = {"乡镇", "城镇", "集镇", "全镇", "我镇", "本镇", "各镇", "村镇", "市镇", "小镇", "强镇", "名镇", "城乡",
               "全乡", "我乡", "本乡", "家乡", "下乡", "返乡", "美丽乡", "示范镇", "卫生镇", "特色小镇", "全县", "全市",
               "全省", "全区", "我县", "我市", "我省", "我区", "本县", "本市"}


def find_place(lines: list[str]) -> str:
    """The government the report is about, from its first lines; '' when none is named."""
    head = lines[:12]
    for pattern in _PLACE_PATTERNS:
        for line in head:
            m = pattern.search(line)
            if m and m.group(1) not in _NOT_PLACES and not _PLACE_GENERIC.match(m.group(1)):
                return last_unit(m.group(1))
    if any(_NATIONAL.search(line) for line in head):
        return "中华人民共和国"
    # Fall back to the county or township named most often at the start of a clause (a report names its own
    # place again and again);
    # a three-character name wins over its two-character tail when it is nearly as frequent.
    text = "\n".join(lines)
    governments = [n for n in re.findall(r"(?:代表|本届|[^\u4e00-\u9fff]|^)([\u4e00-\u9fffx]{2,3}?[县镇乡区])(?:人民政府|政府)",
                                         text, re.M) if not _PLACE_GENERIC.match(n)
                   and not any(n.endswith(word) for word in _NOT_PLACES)]
    if governments:  # a government that names itself (我代表容城县人民政府) is the report's place
        return max(sorted(set(governments)), key=governments.count)
    counts = {}
    for size in (2, 3):
        for name in re.findall(rf"(?<![\u4e00-\u9fff])(?=([\u4e00-\u9fffx]{{{size}}}[县镇乡])(?!村|镇|长|党|城|域|级|委))", text):
            if not any(name.endswith(word) for word in _NOT_PLACES) and not _PLACE_GENERIC.match(name):
                counts[name] = counts.get(name, 0) + 1
    if not counts:
        return ""
    best = max(sorted(counts), key=lambda n: (counts[n], len(n)))
    longer = [n for n in counts if len(n) > len(best) and n.endswith(best) and counts[n] >= 0.8 * counts[best]]
    best = max(longer, key=lambda n: counts[n]) if longer else best
    # named once or twice: more likely a phrase (依法治县) than the place, unless a template placeholder (xx镇)
    return best if counts[best] >= 3 or best.startswith("x") else ""


# 抚州市临川区罗针镇 names three governments; the report is about the last.
_HIGHER_UNIT = re.compile(r"^[\u4e00-\u9fff]{2,8}?(?:自治区|自治州|省|市|州|盟|区|县)(?=[\u4e00-\u9fffx]{2,}"
                          r"(?:自治县|街道|市|州|县|旗|区|镇|乡)$)")


def last_unit(place: str) -> str:
    while m := _HIGHER_UNIT.match(place):
        place = place[m.end():]
    return place


_PLACE_GENERIC = re.compile(r"^(全|我|本|各|该|代表|在|年|省|市|县|区)")


def level_of(place: str) -> str:
    """township / county / district / city / province / national / unknown, from the place name."""
    if place == "中华人民共和国":
        return "national"
    if place in PROVINCES:
        return "province"
    if place.endswith(("镇", "乡", "街道")):
        return "township"
    if place.endswith(("县", "旗", "自治县")):
        return "county"
    if place.endswith("区"):
        return "district"
    if place.endswith(("市", "州", "盟")):
        return "city"
    return "unknown"


def kind_of(title: str, lead: str) -> str:
    if "工作报告" in title:
        return "工作报告"
    if "总结" in title or ("情况" in lead and "计划" in lead):
        return "工作总结"
    if "计划" in title:
        return "工作计划"
    return "工作报告"


def is_title(line: str) -> bool:
    numbered = any(marker.match(line) for _, marker in HEADING_MARKERS)
    return (len(line) <= 40 and not numbered and not TERMINAL_AT_LINE_END.search(line)
            and bool(re.search(r"报告|总结|计划|思路|决议", line)))


def years_named(title: str, lines: list[str]) -> list[int]:
    probe = [title] + lines[:3] + [line for line in lines if heading_level(line) in (0, 1)]
    return sorted({int(y) for y in re.findall(r"((?:19|20)\d\d)年", "\n".join(probe))})


_CN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0", "Ｏ": "0", "O": "0"}
_DATE = re.compile(r"((?:19|20)\d\d|[〇○零一二三四五六七八九ＯO]{4})年([\d一二三四五六七八九十]{1,3})月"
                   r"([\d一二三四五六七八九十]{1,3})日")


def _cn_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if "十" in text:  # 十, 十二, 二十, 二十一
        tens, _, units = text.partition("十")
        return int(_CN_DIGITS.get(tens, "1")) * 10 + (int(_CN_DIGITS[units]) if units else 0)
    return int("".join(_CN_DIGITS[c] for c in text))


def delivery_date(lines: list[str]) -> str:
    """ISO date of the meeting line (——2021年2月5日在…会议上 / （二〇〇三年一月十日）), else ''."""
    for line in lines[:15]:
        if not re.search(r"会议|大会|^[—\-－(（]", line):
            continue
        m = _DATE.search(line)
        if m:
            year = m.group(1)
            year = int(year) if year.isdigit() else int("".join(_CN_DIGITS[c] for c in year))
            return f"{year:04d}-{_cn_number(m.group(2)):02d}-{_cn_number(m.group(3)):02d}"
    return ""


_REVIEW_HEADING = re.compile(r"回顾|情况|过去|成绩|成就")
_PLAN_HEADING = re.compile(r"安排|任务|计划|目标|建议|打算|思路|工作重点|主要工作")


def reviewed_and_planned(lines: list[str], delivered: str) -> tuple[list[int], list[int]]:
    """Years the report reviews and plans, from its part headings; the delivery year is planned
    and the year before it reviewed when the headings name no year. A review part whose heading names
    no year (过去五年工作回顾) reviews the year before the first one planned; a plan part whose heading
    names no year (今后工作安排) plans the year after the last one reviewed."""
    reviewed, planned = set(), set()
    review_heading = plan_heading = False
    for line in lines:
        if heading_level(line) not in (0, 1) or len(line) > 40:
            continue
        years = {int(y) for y in re.findall(r"((?:19|20)\d\d)年", line)}
        if _REVIEW_HEADING.search(line):
            reviewed |= years
            review_heading = True
        elif _PLAN_HEADING.search(line):
            planned |= years
            plan_heading = True
    if delivered and not planned:
        planned.add(int(delivered[:4]))
    if delivered and not reviewed:
        reviewed.add(int(delivered[:4]) - 1)
    if review_heading and not reviewed and planned:
        reviewed.add(min(planned) - 1)
    if plan_heading and not planned and reviewed:
        planned.add(max(reviewed) + 1)
    return sorted(reviewed), sorted(planned)
