"""Stage 1a: raw report files as found -> clean documents with metadata.

What happens to a file, in order (each change is recorded, none is silent):

1. decode: the encoding is detected with charset-normalizer (UTF-8 with or
   without BOM, GBK/GB18030, Big5, UTF-16); empty, binary and undecodable files
   raise :class:`BadInputError` naming the file (and line, where one applies);
2. pinyin glosses after a character (``鎮(zhèn)``) are removed; real brackets stay;
3. traditional -> simplified with OpenCC ``t2s`` (also mends 全麵/製定);
4. web-page chrome lines and template junk (``关键词2``) are removed;
5. a collection (table of contents + several reports) is split into documents;
6. lines broken mid-sentence (PDF extraction, CMS page breaks) are re-joined;
7. mojibake and U+FFFD are *flagged* with offsets, never silently deleted:
   the mojibake in the seeds lost bytes, so it cannot be repaired reliably.

Placeholders (``xx``, ``x.x%``) are content and are kept as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import opencc
from charset_normalizer import from_bytes

# ---------------------------------------------------------------- errors


class BadInputError(Exception):
    """A file that cannot be read as a report; the message says what and where."""

    def __init__(self, path: Path | str, reason: str, line: int | None = None):
        self.path = str(path)
        self.reason = reason
        self.line = line
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {reason}")


# ---------------------------------------------------------------- records


@dataclass
class Change:
    """Something normalisation removed, converted, joined or flagged."""

    kind: str  # see CHANGE_KINDS
    line: int  # 1-based line in the raw file
    text: str  # what was removed/flagged (shortened), or a description

    def to_dict(self) -> dict:
        return {"kind": self.kind, "line": self.line, "text": self.text}


CHANGE_KINDS = {
    "chrome": "web-page chrome line removed",
    "template_junk": "template junk removed inside a line",
    "pinyin_gloss": "pinyin gloss removed",
    "traditional": "traditional characters converted to simplified",
    "line_join": "line broken mid-sentence re-joined",
    "front_matter": "collection title / table of contents (not part of any report)",
    "crawler_header": "crawler header line (标题/发文单位/发文时间/来源URL/正文): metadata, not body",
    "dash": "horizontal bars ―― replaced by the dash ——",
    "missing_part": "listed in the table of contents but not in the file",
    "truncated": "document ends mid-sentence (file truncated?)",
}


@dataclass
class Flag:
    """A span of the clean text that is kept but needs a human look."""

    kind: str  # "mojibake" | "replacement_char" | "lost_char"
    start: int
    end: int
    text: str
    line: int

    def to_dict(self) -> dict:
        return {"kind": self.kind, "start": self.start, "end": self.end, "text": self.text, "line": self.line}


@dataclass
class Document:
    doc: str  # stable document id
    source: str  # raw file name
    encoding: str
    title: str
    place: str
    level: str  # township | county | city | unknown
    years: list[int]
    kind: str  # 工作报告 | 工作总结 | 工作计划
    text: str  # the clean document; sentence offsets point into it
    line_numbers: list[int]  # raw-file line number of each line of ``text``
    changes: list[Change] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    published: str = ""  # from a crawler header, as written there
    url: str = ""  # the page the report was taken from (crawler header)

    def raw_line_at(self, offset: int) -> int:
        return self.line_numbers[self.text.count("\n", 0, offset)]

    def to_dict(self) -> dict:
        return {
            "doc": self.doc,
            "source": self.source,
            "encoding": self.encoding,
            "title": self.title,
            "place": self.place,
            "level": self.level,
            "years": self.years,
            "kind": self.kind,
            "published": self.published,
            "url": self.url,
            "chars": len(self.text),
            "changes": [c.to_dict() for c in self.changes],
            "flags": [f.to_dict() for f in self.flags],
            "text": self.text,
        }


@dataclass
class FileResult:
    source: str
    encoding: str
    documents: list[Document]
    changes: list[Change]  # file-level (front matter, missing parts)


# ---------------------------------------------------------------- decoding

_BINARY_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"%PDF": "a PDF document (extract its text first, e.g. with pdftotext)",
    b"PK\x03\x04": "a ZIP archive (or .docx/.xlsx)",
    b"\xd0\xcf\x11\xe0": "an old Office document (.doc/.xls)",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"\x7fELF": "an executable",
}


def _first_bad_line(data: bytes) -> int:
    """Line of the first byte that is invalid UTF-8 (the most common intended encoding)."""
    try:
        data.decode("utf-8")
        return 1
    except UnicodeDecodeError as err:
        return data.count(b"\n", 0, err.start) + 1


def decode_bytes(data: bytes, path: Path | str = "<bytes>") -> tuple[str, str]:
    """Return (text, encoding name). Raise BadInputError for empty/binary/undecodable input."""
    if not data.strip():
        raise BadInputError(path, "empty file: nothing to read")
    for magic, what in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise BadInputError(path, f"binary file: this is {what}, not a text report")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf_16"
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf_8_sig"
    best = from_bytes(data).best()
    if best is None:
        if b"\x00" in data:
            raise BadInputError(path, "binary file: contains NUL bytes and no text encoding fits")
        raise BadInputError(
            path,
            "undecodable: no text encoding fits the bytes (tried UTF-8, GB18030, Big5, UTF-16, ...); "
            "first invalid UTF-8 byte is here",
            line=_first_bad_line(data),
        )
    text = str(best)
    if text.startswith("\ufeff"):
        text = text[1:]
    visible = [ch for ch in text if not ch.isspace()]
    controls = sum(1 for ch in visible if ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0)
    if visible and controls / len(visible) > 0.01:
        raise BadInputError(path, f"binary file: {controls} control characters after decoding as {best.encoding}")
    cjk = sum(1 for ch in visible if _is_cjk(ch))
    if cjk < max(1, 0.1 * len(visible)):
        raise BadInputError(
            path,
            f"not Chinese text: decoded as {best.encoding} but only {cjk} of {len(visible)} characters are Chinese "
            "(wrong encoding or not a report)",
            line=_first_bad_line(data),
        )
    return text, best.encoding


def read_report(path: Path) -> tuple[str, str]:
    try:
        data = path.read_bytes()
    except OSError as err:
        raise BadInputError(path, f"cannot read: {err.strerror}") from err
    return decode_bytes(data, path)


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\U00020000" <= ch <= "\U0003134f"


# ---------------------------------------------------------------- line rules

_TONE = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
# A gloss is a pinyin syllable with a tone mark right after a Chinese character:
# 鎮(zhèn) -> 鎮; (鼎田片區(qū)) -> (鼎田片區). Plain brackets such as (一) or (含…) stay.
PINYIN_GLOSS = re.compile(
    rf"(?<=[\u3400-\u9fff\uf900-\ufaff])[(（]([a-zü]*[{_TONE}][a-zü{_TONE}]*)[)）]"
)

CHROME_LINE = [
    re.compile(p)
    for p in (
        r"^(头部|底部|顶部|页眉|页脚|footer底部|header|footer)$",
        r"来源[:：].{0,60}发布时间[:：]",
        r"浏览次数[:：]|字体大小[:：]|【\s*(打印|关闭)\s*】|^(打印本页|关闭窗口)",
        r"扫描.{0,6}二维码|加QQ好友|获得更多文稿",
        r"^附件下载[:：]?$",
        r"^分享到[:：]",
    )
]
TEMPLATE_JUNK = re.compile(r"关键词\d+|\[!--[a-z.]+--\]")

# ---------------------------------------------------------------- flags

# Mojibake left by a one-byte shift of GBK bytes: a '?' for the lost byte inside Chinese
# text, followed by mis-paired characters up to the ASCII byte where decoding resynchronised.
MOJIBAKE = re.compile(rf"(?<=[\u3400-\u9fff、])\?[^\s,，。、；]{{0,12}}[A-Za-z)!?;{_TONE}]")


_T2S = opencc.OpenCC("t2s")


def _to_simplified(line: str) -> str:
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
# Unnumbered part headings such as 2025年工作开展情况 / 下一阶段工作安排.
PART_HEADING = re.compile(r"^[^,，。;；:：!?！？]{2,20}(回顾|情况|安排|计划|任务|思路|打算|展望|总结)$"
                          r"|^\d{4}年(主要|重点)工作$")  # 保定 2023: `2023年主要工作` opens the plan
SENTENCE_END = "。！？；!?;"
_TERMINAL_AT_LINE_END = re.compile(r"[。！？；!?;:：”\"’）)】」]$")
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


def _should_join(line: str, nxt: str) -> bool:
    """Was ``line`` cut mid-sentence with ``nxt`` its continuation?"""
    if heading_level(nxt) is not None or _META_LINE.match(nxt) or _DATE_LINE.match(line.lstrip("—-")):
        return False  # a date line (——2023年1月30日在…会议上) and what follows it stand apart
    if heading_level(line) is not None and len(line) < 30:
        return False
    if line.endswith((",", "，", "、")):
        return True
    # Headings and titles are short; a long line without closing punctuation is a cut paragraph.
    return len(line) >= 30 and not _TERMINAL_AT_LINE_END.search(line)


def _lines_with_offsets(text: str):
    offset = 0
    for line in text.split("\n"):
        yield offset, line
        offset += len(line) + 1


def find_flags(text: str, line_of) -> list[Flag]:
    flags = [Flag("mojibake", m.start(), m.end(), m.group(), line_of(m.start())) for m in MOJIBAKE.finditer(text)]
    # A '?' inside an open quotation and followed by Chinese stands for a character the source
    # lost ("才乡?老三桥" for 才乡·老三桥), not for a question.
    for line_start, line in _lines_with_offsets(text):
        for m in re.finditer(r"\?(?=[\u4e00-\u9fff])", line):
            before = line[: m.start()]
            if before.count('"') % 2 == 1 or before.count("“") > before.count("”"):
                flags.append(Flag("lost_char", line_start + m.start(), line_start + m.end(),
                                  line[max(0, m.start() - 5): m.end() + 5], line_of(line_start + m.start())))
    flags += [
        Flag("replacement_char", m.start(), m.end(), text[max(0, m.start() - 5) : m.end() + 5], line_of(m.start()))
        for m in re.finditer("\ufffd+", text)
    ]
    return sorted(flags, key=lambda f: f.start)


# ---------------------------------------------------------------- metadata

_PLACE_PATTERNS = [
    re.compile(p)
    for p in (
        r"^([\u4e00-\u9fffx]{2,5}?[镇乡])(?:\d{4}|x{2,4}|政府|年度|人民政府)",
        r"代表([\u4e00-\u9fff]{2,5}?[镇乡])人民政府",
        r"在(?:[\u4e00-\u9fff]{2,4}?[市区县])*([\u4e00-\u9fff]{2,4}?[镇乡])(?:第|十|人民|$)",
        r"^(?:[\u4e00-\u9fff\d]{0,12}?以来,)?([\u4e00-\u9fffx]{2,4}?[镇乡])(?:在|始终|坚持)",
        r"(?:^|\d{4}年)([\u4e00-\u9fff]{2,5}?[市县区])(?:人民政府|政府工作报告)",
    )
]


_NOT_PLACES = {"乡镇", "城镇", "集镇", "全镇", "我镇", "本镇", "各镇", "村镇", "市镇", "小镇", "强镇", "名镇", "城乡",
               "全乡", "我乡", "本乡", "家乡", "下乡", "返乡", "美丽乡", "示范镇", "卫生镇", "特色小镇"}


def _find_place(lines: list[str]) -> str:
    for pattern in _PLACE_PATTERNS:
        for line in lines[:8]:
            m = pattern.search(line)
            if m:
                return m.group(1)
    # Fall back to the township named most often, placeholders (xx镇) included.
    names = re.findall(r"(?<![\u4e00-\u9fff])([\u4e00-\u9fffx]{2,3}[镇乡])(?=人民政府|全民|上下|党委|政府|在|坚持)",
                       "\n".join(lines))
    names = [n for n in names if n not in _NOT_PLACES and n[-2:] not in _NOT_PLACES]
    return max(set(names), key=names.count) if names else ""


def _level(place: str) -> str:
    if place.endswith(("镇", "乡", "街道")):
        return "township"
    if place.endswith(("县", "区")):
        return "county"
    if place.endswith("市"):
        return "city"
    return "unknown"


def _kind(title: str, lead: str) -> str:
    if "工作报告" in title:
        return "工作报告"
    if "总结" in title or ("情况" in lead and "计划" in lead):
        return "工作总结"
    if "计划" in title:
        return "工作计划"
    return "工作报告"


def _is_title(line: str) -> bool:
    numbered = any(marker.match(line) for _, marker in HEADING_MARKERS)
    return (len(line) <= 40 and not numbered and not _TERMINAL_AT_LINE_END.search(line)
            and bool(re.search(r"报告|总结|计划|思路", line)))


def _years(title: str, lines: list[str]) -> list[int]:
    probe = [title] + lines[:3] + [line for line in lines if heading_level(line) in (0, 1)]
    return sorted({int(y) for y in re.findall(r"(20\d\d)年", "\n".join(probe))})


# ---------------------------------------------------------------- the stage

Line = tuple[int, str]  # (raw line number, text)


def _clean_lines(text: str) -> tuple[list[Line], list[Change]]:
    """Line-level rules: whitespace, glosses, t2s, chrome, junk. Empty lines dropped."""
    out: list[Line] = []
    changes: list[Change] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.replace("\u200b", "").replace("\ufeff", "").replace("\xa0", " ").strip(" \t\u3000")
        if not line:
            continue
        glosses = PINYIN_GLOSS.findall(line)
        if glosses:
            line = PINYIN_GLOSS.sub("", line)
            changes.append(Change("pinyin_gloss", number, f"{len(glosses)} glosses, e.g. ({glosses[0]})"))
        simplified = _to_simplified(line)
        if simplified != line:
            converted = sum(1 for a, b in zip(line, simplified) if a != b)
            changes.append(Change("traditional", number, f"{converted} characters"))
            line = simplified
        if "\u2015" in line:  # ―― (horizontal bar) is the crawler's stand-in for the dash ——
            changes.append(Change("dash", number, f"{line.count(chr(0x2015))} × ― -> —"))
            line = line.replace("\u2015", "\u2014")
        if any(p.search(line) for p in CHROME_LINE):
            changes.append(Change("chrome", number, line[:60]))
            continue
        junk = TEMPLATE_JUNK.findall(line)
        if junk:
            line = TEMPLATE_JUNK.sub("", line).strip()
            changes.append(Change("template_junk", number, " ".join(junk)))
            if not line:
                continue
        out.append((number, line))
    return out, changes


_TOC_HEADER = re.compile(r"^目\s*录$")
_TOC_ENTRY = re.compile(r"^(\d{1,2})[.、．]\s*(\S+?)\s+\d+$")
_PART_START = re.compile(r"^([\u4e00-\u9fff]{0,8}?)政府工作报告$")


def _split_collection(lines: list[Line], stem: str) -> tuple[list[tuple[str, str, list[Line]]], list[Change]]:
    """Split a collection (title, 目录, N reports) into (doc id, toc title, lines) parts.

    A file without a table of contents is one document with id ``stem``.
    """
    toc_at = next((i for i, (_, t) in enumerate(lines[:10]) if _TOC_HEADER.match(t)), None)
    if toc_at is None:
        return [(stem, "", lines)], []
    changes = [Change("front_matter", n, t) for n, t in lines[: toc_at + 1]]
    entries: list[tuple[int, str]] = []
    i = toc_at + 1
    while i < len(lines) and (m := _TOC_ENTRY.match(lines[i][1])):
        entries.append((int(m.group(1)), m.group(2)))
        changes.append(Change("front_matter", *lines[i]))
        i += 1
    body = lines[i:]
    starts = [k for k, (_, t) in enumerate(body) if _PART_START.match(t)]
    if not starts:
        return [(stem, "", body)], changes
    parts = []
    used: set[int] = set()
    for j, k in enumerate(starts):
        part_lines = body[k : starts[j + 1] if j + 1 < len(starts) else len(body)]
        place = _find_place([t for _, t in part_lines])
        entry = next((e for e in entries if place and e[1].startswith(place) and e[0] not in used), None)
        number = entry[0] if entry else len(entries) + j + 1
        used.add(number)
        parts.append((f"{stem}-{number:02d}", entry[1] if entry else "", part_lines))
    for number, title in entries:
        if number not in used:
            changes.append(Change("missing_part", body[-1][0], f"{number}. {title}"))
    return parts, changes


def _join_broken_lines(lines: list[Line], changes: list[Change]) -> list[Line]:
    joined: list[Line] = []
    for number, text in lines:
        if joined and _should_join(joined[-1][1], text):
            prev_number, prev = joined[-1]
            joined[-1] = (prev_number, prev + text)
            changes.append(Change("line_join", number, f"…{prev[-6:]} + {text[:6]}…"))
        else:
            joined.append((number, text))
    return joined


def _make_document(doc_id: str, toc_title: str, lines: list[Line], source: str, encoding: str,
                   changes: list[Change], header: dict[str, str] | None = None) -> Document:
    header = header or {}
    lines = _join_broken_lines(lines, changes)
    texts = [t for _, t in lines]
    text = "\n".join(texts)
    numbers = [n for n, _ in lines]
    issuer = re.match(r"(.{2,8}?[省市县区镇乡])人民政府", header.get("发文单位", ""))
    place = issuer.group(1) if issuer else _find_place(([header["标题"]] if "标题" in header else []) + texts)
    first = texts[0]
    if header.get("标题"):
        title = _T2S.convert(header["标题"])
    elif _is_title(first):
        title = first if (not place or place in first or first != "政府工作报告") else f"{place}{first}"
    else:
        title = toc_title or ""
    kind = _kind(title, "\n".join(texts[:2]))
    if not title:
        title = f"{place}{kind}" if place else kind
    document = Document(
        doc=doc_id, source=source, encoding=encoding, title=title, place=place, level=_level(place),
        years=_years(title, texts), kind=kind, text=text, line_numbers=numbers,
        changes=sorted(changes, key=lambda c: c.line),
        published=header.get("发文时间", ""), url=header.get("来源URL", header.get("来源", "")),
    )
    document.flags = find_flags(text, document.raw_line_at)
    if not _TERMINAL_AT_LINE_END.search(texts[-1]) and heading_level(texts[-1]) is None and len(texts[-1]) > 12:
        document.changes.append(Change("truncated", numbers[-1], texts[-1][-20:]))
    return document


_HEADER_FIELD = re.compile(r"^(标题|发文单位|发文时间|来源URL|来源|正文)\s*[:：]\s*(.*)$")


def _read_header(text: str) -> tuple[str, dict[str, str], list[Change]]:
    """A crawler header (标题：…/发文单位：…/发文时间：…/来源URL：…/正文：) is metadata, not
    body: its lines are blanked (line numbers stay) and its fields returned."""
    lines = text.split("\n")
    fields: dict[str, str] = {}
    changes: list[Change] = []
    for number, line in enumerate(lines[:12], start=1):
        m = _HEADER_FIELD.match(line.strip())
        if not m:
            if line.strip():
                break
            continue
        fields[m.group(1)] = m.group(2).strip()
        changes.append(Change("crawler_header", number, line.strip()[:80]))
        lines[number - 1] = ""
        if m.group(1) == "正文":
            break
    if "正文" not in fields:  # not a crawler header after all
        return text, {}, []
    return "\n".join(lines), fields, changes


def normalise_text(text: str, source: str, encoding: str = "utf_8") -> FileResult:
    """Normalise decoded text of one raw file into one or more clean documents."""
    text, header, header_changes = _read_header(text)
    lines, changes = _clean_lines(text)
    changes = header_changes + changes
    if not lines:
        raise BadInputError(source, "nothing left after removing web-page chrome: the file has no report text")
    stem = Path(source).stem
    parts, file_changes = _split_collection(lines, stem)
    documents = []
    starts = [part_lines[0][0] for _, _, part_lines in parts]
    for j, (doc_id, toc_title, part_lines) in enumerate(parts):
        # Each change belongs to the document whose raw-line range holds it (the first
        # document also takes what stood before it, the last what stood after it).
        low = starts[j] if j else 0
        high = starts[j + 1] if j + 1 < len(parts) else float("inf")
        own = [c for c in changes if low <= c.line < high]
        documents.append(_make_document(doc_id, toc_title, part_lines, Path(source).name, encoding, own, header))
    return FileResult(source=Path(source).name, encoding=encoding, documents=documents, changes=file_changes)


def normalise_file(path: Path) -> FileResult:
    text, encoding = read_report(path)
    return normalise_text(text, path.name, encoding)
