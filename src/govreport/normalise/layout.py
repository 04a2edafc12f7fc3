"""Which lines of a page are the report: body, front matter, notes or chrome.

A report found on the web is wrapped in whatever the site or crawler added. Instead of a list of
sites, the decision rests on properties every work report shares:

- the speech opens with a greeting (各位代表：/同志们：) or, in a written summary, with its first
  sentence of prose or its first numbered heading; what stands before that is front matter (title,
  meeting/date line, speaker) when it looks like it, else chrome;
- it ends with its last sentence of prose (a closing appeal 让我们…奋斗！ where there is one);
  after that come notes (名词解释, 注释, footnote explanations) and then chrome;
- chrome is short and unpunctuated (navigation, tag clouds, counters, share bars), repeats what
  came before (a teaser of the opening, a second copy of the page), or uses the vocabulary every
  site shares (版权所有, ICP备, 责任编辑, 上一篇, 分享到, 扫码…);
- inside the body only lines that are chrome by that vocabulary are taken out, and inside a line
  only watermarks (letter-spaced text, a URL with its lead-in, a short tail after the last
  sentence end).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import heading_level

BODY, FRONT, NOTES, CHROME = "body", "front", "notes", "chrome"

GREETING = re.compile(r"^(各位代表|各位委员|代表们|同志们|女士们)([、，,][^：:，,。]{1,10})?[，,：:！!]")
# The closing appeal of a speech: 让我们……而努力奋斗！ / ……万岁！
CLOSING = re.compile(r"让我们.{4,}[！!]$|万岁[！!]$|(奋斗|努力|前进)[！!]$")
_PUNCT = re.compile(r"[，。；！？,;!?：:]")
_CLAUSE_PUNCT = re.compile(r"[，。；！？,;!?]")
_ENDS_SENTENCE = re.compile(r"[。！？；!?;][”’」』）)]*$")
# Page meta fields: a line with two of them (时间：… 作者：… 来源：… 阅读：…) is a page's byline.
META_FIELD = re.compile(r"(时间|日期|作者|来源|阅读|评论|浏览|点击|编辑|发布|字号|字体)\s*[:：]")
_CJK = re.compile(r"[\u3400-\u9fff]")
TEASER_END = re.compile(r"(\.{3,}|…{1,}|。{3,})$")

# Lines a site adds around every page, by shared web vocabulary (never a site's name).
CHROME_STRONG = re.compile(
    r"^(header|footer|nav)?\s*(头部|底部|顶部|页眉|页脚|导航)$|"
    r"来源[:：].{0,60}(发布|时间)[:：]|"
    r"(浏览|阅读|点击)(次数|量)[:：]|字体大小[:：]|【\s*(打印|关闭|字号|字体)|^(打印本页|关闭窗口|返回顶部)$|"
    r"扫描.{0,6}二维码|扫一扫|扫码|关注.{0,8}公众号|加QQ|QQ好友|获[得取]更多|"
    r"^附件下载[:：]?$|^分享到?[:：]|^(上一篇|下一篇|上一页|下一页)[:：]?|"
    r"^责任编辑|^\(?（?责任编辑|版权所有|ICP备|公网安备|网站标识码|^主办[:：]|^承办[:：]|^技术支持[:：]?|"
    r"^(相关|延伸)(文章|新闻|报道|链接|附件|阅读|评论)|^(本栏|本站)(最新|推荐)|^(编辑|热门|热点|精彩|今日)推荐$|^(阅读|点击)排行|^标签云$|"
    r"^当前位置|^您(当前)?的位置|^网站地图$|^(联系|关于)(我们|本站)",
    re.IGNORECASE,
)
# Words of disclaimers and licence notices: a line using them never ends the report.
DISCLAIMER = re.compile(r"本站|本网|版权|转载|侵权|免责|著作权|公有领域|维基|本作品")
# A photo caption: 某某作政府工作报告。本报记者 某某摄
CAPTION = re.compile(r"(记者|摄影|供图).{0,12}摄?$|摄$")
KEY_VALUE = re.compile(r"^[\u4e00-\u9fffA-Za-z]{1,6}\s*[:：]\s*\S{0,40}$")
NOTES_HEADING = re.compile(r"^[※*【\[]*\s*(名词解释|名词注释|注释|注解|附注|释义|说明|附件\s*\d*)\s*[※*】\]]*\s*[:：]?.{0,24}$")
FOOTNOTE_DEF = re.compile(r"^[\[〔【(（]?\d{1,3}[\]〕】)）.、．]\s*[：:]?\s*[“\"「]?[^，。]{1,30}?[”\"」]?\s*[：:]")
SIGN_OFF = re.compile(r"^[\u4e00-\u9fff]{2,20}(人民政府|委员会|办公室)$|^(19|20)\d\d年\d{1,2}月(\d{1,2}日)?$")
FRONT_LINE = re.compile(
    r"(报告|总结|计划|决议)\s*$|"                                        # title
    r"(会议|大会)上?$|在.{2,24}(会议|大会)上|^\d{4}年\d{1,2}月\d{1,2}日在|^[—\-－]{1,2}\s*\d{4}年|^[(（].{0,4}[〇○零一二三四五六七八九]{4}年.{1,8}[)）]$|"  # meeting/date line
    r"(省长|市长|县长|区长|镇长|乡长|旗长|州长|主席|总理|书记)[\s\u3000?？]*[\u4e00-\u9fff·]{2,4}$|^报告人[:：]"  # speaker
)

# Inside a line: letter-spaced text (马 克 数 据 网), a URL with its lead-in, a counter after the end.
SPACED_RUN = re.compile(r"(?:[\u4e00-\u9fff] ){3,}[\u4e00-\u9fff]")
URL_WITH_LEAD = re.compile(r"\s*(?:[\u4e00-\u9fff]{0,6}[:：])?\s*(?:https?://|www\.)[\w./?=&%#-]+")
_SENTENCE_END = "。！？!?；;"


def cjk_count(line: str) -> int:
    return len(_CJK.findall(line))


def is_prose(line: str) -> bool:
    """Text written in sentences: punctuated, or closed by a sentence end. A colon inside a line
    does not make prose (资料:某省2003年政府工作报告 is a link title); one that ends it does."""
    n = cjk_count(line)
    punctuated = bool(_CLAUSE_PUNCT.search(line)) or line.endswith(("：", ":"))
    return (n >= 8 and punctuated) or (n >= 4 and bool(_ENDS_SENTENCE.search(line)))


def _key(line: str) -> str:
    return re.sub(r"\s+", "", line)


@dataclass
class Layout:
    labels: list[str]  # one per line
    inline: list[tuple[int, str, str]]  # (line index, removed text, why) taken out inside body lines
    lines: list[str]  # the lines after inline removals
    start: int | None  # first body line
    end: int | None  # last body line


def strip_inline_chrome(line: str) -> tuple[str, list[tuple[str, str]]]:
    """Watermarks inside a body line -> (line without them, [(removed, why)])."""
    removed = []
    if not SPACED_RUN.fullmatch(line.strip()):  # a letter-spaced title line stays as it is
        for m in reversed(list(SPACED_RUN.finditer(line))):
            # take the run with the unspaced words glued to its left (百度搜索马 克 数 据 网)
            left = m.start()
            while left > 0 and _CJK.match(line[left - 1]) and left > m.start() - 6:
                left -= 1
            if left > 0 and line[left - 1] not in " \u3000" + _SENTENCE_END:
                left = m.start()
            removed.append((line[left : m.end()], "letter-spaced watermark"))
            line = line[:left] + line[m.end() :]
    for m in reversed(list(URL_WITH_LEAD.finditer(line))):
        removed.append((m.group(), "URL"))
        line = line[: m.start()] + line[m.end() :]
    # a short unpunctuated tail after the last sentence end: a counter or a site's name
    m = re.search(rf"([{_SENTENCE_END}][”’」』）)]*)(\s*[^{_SENTENCE_END}，,：:]{{1,12}})$", line)
    if m and (m.group(2)[:1].isspace() or m.group(2).strip().isdigit()) and cjk_count(line) > 20 \
            and not _PUNCT.search(m.group(2)) and heading_level(m.group(2).strip()) is None:
        removed.append((m.group(2), "tail after the last sentence"))
        line = line[: m.end(1)]
    return line.rstrip(), removed


class _LaterText:
    """The page's text without whitespace, to ask whether a line's words stand again further on."""

    def __init__(self, lines: list[str]):
        keys = [_key(line) for line in lines]
        self.text = "".join(keys)
        self.ends = [0] * len(keys)  # where the text after line i starts
        offset = 0
        for i, key in enumerate(keys):
            offset += len(key)
            self.ends[i] = offset

    def repeats(self, i: int, key: str) -> bool:
        return self.text.find(key, self.ends[i]) >= 0


def _teaser(lines: list[str], i: int, later: _LaterText) -> bool:
    """A summary that repeats the opening (内容摘要: …) or stops with ......"""
    line = lines[i]
    if TEASER_END.search(line):
        return True
    key = _key(line)[:24]
    return len(key) >= 16 and later.repeats(i, key)


def _is_chrome(line: str) -> bool:
    if len(line) > 80 and is_prose(line):
        return False  # a paragraph of the report may use any of these words (获得更多, 分享经验)
    return bool(CHROME_STRONG.search(line)) or len(META_FIELD.findall(line)) >= 2 or (len(line) <= 40 and bool(CAPTION.search(line)) and "记者" in line)


def find_start(lines: list[str], later: _LaterText | None = None) -> int | None:
    later = later or _LaterText(lines)
    first_text = None
    for i, line in enumerate(lines):
        if _is_chrome(line) or KEY_VALUE.match(line):
            continue
        if (is_prose(line) or heading_level(line) in (0, 1, 2)) and not _teaser(lines, i, later):
            if not (len(line) <= 40 and CAPTION.search(line)):
                first_text = i
                break
    greeting = next((i for i, line in enumerate(lines) if GREETING.match(line)), None)
    if greeting is None:
        return first_text
    if first_text is None or greeting <= first_text:
        return greeting
    # prose before the greeting: a slogan or caption on the page, or the report's own opening?
    before = [x for x in lines[first_text:greeting] if is_prose(x) and not _is_chrome(x)]
    return greeting if sum(cjk_count(x) for x in before) < 200 else first_text


def classify(lines: list[str]) -> Layout:
    n = len(lines)
    labels = [CHROME] * n
    later = _LaterText(lines)
    start = find_start(lines, later)
    if start is None:
        return Layout(labels, [], list(lines), None, None)
    notes_at = next((i for i in range(start + 1, n) if NOTES_HEADING.match(lines[i]) and not is_prose(lines[i])
                     or FOOTNOTE_DEF.match(lines[i]) and _footnotes_follow(lines, i)), None)
    region = notes_at if notes_at is not None else n
    # A line most of whose 8-character pieces stood earlier repeats what came before (a teaser at
    # the end, a second copy of the page with its links broken differently).
    seen: set[str] = set()
    repeat = [False] * n
    for i in range(start, n):
        key = _key(lines[i])
        pieces = {key[j : j + 8] for j in range(0, max(1, len(key) - 7))}
        if len(key) >= 10:
            repeat[i] = sum(1 for p in pieces if p in seen) >= 0.6 * len(pieces)
        seen |= pieces

    def ends_body(i: int) -> bool:
        line = lines[i]
        return (is_prose(line) or GREETING.match(line) is not None) and not repeat[i] and not _is_chrome(line) \
            and not DISCLAIMER.search(line) and not TEASER_END.search(line)

    candidates = [i for i in range(start, region) if ends_body(i)]
    # A closing appeal in the last fifth of the speech ends it; else its last line of prose does.
    late = candidates[int(len(candidates) * 0.8)] if candidates else start
    closing = [i for i in range(late, region) if CLOSING.search(lines[i]) and not repeat[i]]
    end = closing[-1] if closing else (candidates[-1] if candidates else start)
    while end + 1 < region and heading_level(lines[end + 1]) is not None and not _is_chrome(lines[end + 1]) \
            and not repeat[end + 1]:
        end += 1  # a report cut off after a heading keeps the heading

    for i in range(start, end + 1):
        labels[i] = CHROME if _is_chrome(lines[i]) else BODY
    # front matter: walking back from the start, the meeting/speaker/date lines and the title
    for i in range(start - 1, max(-1, start - 16), -1):
        name_alone = re.fullmatch(r"[\u4e00-\u9fff·]{2,4}", lines[i]) and (i + 1 == start or labels[i + 1] == FRONT)
        if (FRONT_LINE.search(lines[i]) or name_alone) and not KEY_VALUE.match(lines[i]) \
                and not _is_chrome(lines[i]) and not _teaser(lines, i, later) and len(lines[i]) <= 60:
            labels[i] = FRONT
            if re.search(r"(报告|总结|计划|决议)\s*$", lines[i]):
                break
    # after the body: notes (to their last note-like line), sign-off lines, then chrome
    if notes_at is not None:
        last_note = notes_at
        for i in range(notes_at, n):
            line = lines[i]
            if (FOOTNOTE_DEF.match(line) or is_prose(line)) and not repeat[i] and not _is_chrome(line) \
                    and not DISCLAIMER.search(line):
                last_note = i
        for i in range(notes_at, last_note + 1):
            labels[i] = CHROME if _is_chrome(lines[i]) else NOTES
    for i in range(end + 1, n):
        if labels[i] == CHROME and SIGN_OFF.match(lines[i]) and i - end <= 3:
            labels[i] = FRONT

    out_lines, inline = list(lines), []
    for i in range(n):
        if labels[i] in (BODY, NOTES):
            cleaned, removed = strip_inline_chrome(lines[i])
            if removed:
                out_lines[i] = cleaned
                inline += [(i, text, why) for text, why in removed]
    return Layout(labels, inline, out_lines, start, end)


def _footnotes_follow(lines: list[str], i: int) -> bool:
    """Three or more footnote explanations among the next five lines: a notes block starts here."""
    return sum(1 for line in lines[i : i + 5] if FOOTNOTE_DEF.match(line)) >= 3
