"""Line-level repairs of the text: escape sequences, entities, pinyin glosses, traditional
characters, headings, and lines broken mid-sentence."""

from __future__ import annotations

import html
import re

import opencc

from .flags import MOJIBAKE, _TONE
from .records import Change

# ---------------------------------------------------------------- escapes and entities

# Pages saved through a crawler sometimes keep the *source* of their line breaks: the four
# characters \r\n, or HTML entities such as &nbsp; instead of the characters they stand for.
LITERAL_ESCAPE = re.compile(r"\\r\\n|\\n|\\r|\\t")
HTML_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,6}|#x[0-9a-fA-F]{2,5});")


def decode_escapes(text: str) -> tuple[str, list[Change]]:
    """Literal escape sequences -> the characters they name; HTML entities -> characters."""
    changes = []
    n = len(LITERAL_ESCAPE.findall(text))
    if n:
        text = LITERAL_ESCAPE.sub(lambda m: "\t" if m.group() == "\\t" else "\n", text)
        changes.append(Change("escapes", 1, f"{n} literal escape sequences (\\r\\n, \\n, \\t) decoded"))
    entities = HTML_ENTITY.findall(text)
    if entities:
        text = HTML_ENTITY.sub(lambda m: html.unescape(m.group()), text)
        changes.append(Change("entities", 1, f"{len(entities)} HTML entities decoded, e.g. {entities[0]}"))
    return text, changes


# ---------------------------------------------------------------- glosses, traditional

# A gloss is a pinyin syllable with a tone mark right after a Chinese character:
# 鎮(zhèn) -> 鎮; (鼎田片區(qū)) -> (鼎田片區). Plain brackets such as (一) or (含…) stay.
PINYIN_GLOSS = re.compile(
    rf"(?<=[\u3400-\u9fff\uf900-\ufaff])[(（]([a-zü]*[{_TONE}][a-zü{_TONE}]*)[)）]"
)

_T2S = opencc.OpenCC("t2s")


def to_simplified(line: str) -> str:
    """OpenCC t2s, leaving mojibake as found (converting it would lose what is left of its bytes)."""
    pieces, last = [], 0
    for m in MOJIBAKE.finditer(line):
        pieces += [_T2S.convert(line[last : m.start()]), m.group()]
        last = m.end()
    return "".join(pieces) + _T2S.convert(line[last:])


# ---------------------------------------------------------------- headings

HEADING_MARKERS = (
    (1, re.compile(r"^[一二三四五六七八九十]+、")),
    (2, re.compile(r"^[(（][一二三四五六七八九十]+[)）]")),
    (3, re.compile(r"^\d{1,2}[.、．](?!\d)")),
)
# Unnumbered part headings: 2025年工作开展情况 / 下一阶段工作安排 / 2023年主要工作.
PART_HEADING = re.compile(r"^[^,，。;；:：!?！？]{2,20}(回顾|情况|安排|计划|任务|思路|打算|展望|总结)$"
                          r"|^(\d{4}年|今年|明年)[\u4e00-\u9fff]{0,4}工作$")
SENTENCE_END = "。！？；!?;"
TERMINAL_AT_LINE_END = re.compile(r"[。！？；!?;:：”\"’）)】」]$")
_META_LINE = re.compile(r"^(\d{4}年\d{1,2}月\d{1,2}日|各位代表|同志们)")
_DATE_LINE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日")


def heading_level(line: str) -> int | None:
    """Level of a heading line (0 = part, 1 = 一、, 2 = (一), 3 = 1.), or None."""
    for level, marker in HEADING_MARKERS:
        if marker.match(line):
            return level
    if PART_HEADING.match(line):
        return 0
    return None


# ---------------------------------------------------------------- broken lines

Line = tuple[int, str]  # (raw line number, text)


def _should_join(line: str, nxt: str) -> bool:
    """Was ``line`` cut mid-sentence with ``nxt`` its continuation?"""
    if heading_level(nxt) is not None or _META_LINE.match(nxt) or _DATE_LINE.match(line.lstrip("—-")):
        return False  # a date line (——2023年1月30日在…会议上) and what follows it stand apart
    if heading_level(line) is not None and len(line) < 30:
        return False
    if line.endswith((",", "，", "、")):
        return True
    # Headings and titles are short; a long line without closing punctuation is a cut paragraph.
    return len(line) >= 30 and not TERMINAL_AT_LINE_END.search(line)


def join_broken_lines(lines: list[Line], changes: list[Change]) -> list[Line]:
    joined: list[Line] = []
    for number, text in lines:
        if joined and _should_join(joined[-1][1], text):
            prev_number, prev = joined[-1]
            joined[-1] = (prev_number, prev + text)
            changes.append(Change("line_join", number, f"…{prev[-6:]} + {text[:6]}…"))
        else:
            joined.append((number, text))
    return joined
