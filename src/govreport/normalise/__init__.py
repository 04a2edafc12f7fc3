"""Stage 1a: report text as found -> clean documents with metadata.

One module per concern: ``decode`` (bytes -> text), ``text`` (escapes, entities, glosses,
traditional characters, headings, broken lines), ``layout`` (body / front matter / notes /
chrome), ``flags`` (lost characters, mojibake), ``metadata`` (place, level, years, kind).

What happens to a report, in order (each change is recorded, none is silent):

1. literal escape sequences (``\\r\\n``) and HTML entities (``&nbsp;``) are decoded;
2. a crawler header of ``key：value`` lines at the top becomes metadata;
3. pinyin glosses (``鎮(zhèn)``) are removed, traditional characters become simplified;
4. a collection (table of contents + several reports) is split into documents;
5. each document's lines are sorted into body, front matter, notes and chrome by general
   properties (``layout``); chrome is removed, notes are kept apart from the text;
6. lines broken mid-sentence (PDF extraction, CMS page breaks, links) are re-joined;
7. lost characters (``??``, U+FFFD) and mojibake are *flagged* with offsets, never deleted;
8. suspect documents (very short, no report structure, placeholder notes, cut off) are named.

Placeholders (``xx``, ``x.x%``) are content and are kept as they are.
"""

from __future__ import annotations

import re
from pathlib import Path

from .decode import decode_bytes, read_report
from .flags import find_flags
from .layout import BODY, CHROME, FRONT, NOTES, classify
from .metadata import (delivery_date, find_place, is_title, kind_of, level_of, reviewed_and_planned,
                       years_named)
from .records import CHANGE_KINDS, BadInputError, Change, Document, FileResult, Flag
from .text import (PINYIN_GLOSS, SENTENCE_END, TERMINAL_AT_LINE_END, Line, decode_escapes, heading_level,
                   join_broken_lines, to_simplified)

__all__ = ["BadInputError", "CHANGE_KINDS", "Change", "Document", "FileResult", "Flag", "PINYIN_GLOSS",
           "SENTENCE_END", "decode_bytes", "heading_level", "normalise_file", "normalise_source", "normalise_text",
           "read_report"]

# CMS template placeholders left in the text (关键词2, [!--empirenews.page--], {$title}).
TEMPLATE_JUNK = re.compile(r"关键词\d+|\[!--[a-z.]+--\]|\{\$[a-z_.]+\}")
# A note that the text is not the real report (a placeholder file with invented figures).
PLACEHOLDER_NOTE = re.compile(r"基于公开资料整理|仅供参考|示例文本|模拟数据|虚构")


def is_traditional(text: str) -> bool:
    """Written in traditional characters? OpenCC t2s also rewrites characters that simplified
    text uses legitimately (濛溪河, 乾隆), so it runs only where it changes more than 2% of the text."""
    han = [ch for ch in text if "\u3400" <= ch <= "\u9fff"]
    if not han:
        return False
    sample = "".join(han[:20000])
    changed = sum(1 for a, b in zip(sample, to_simplified(sample)) if a != b)
    return changed > 0.02 * len(sample)


def _clean_lines(text: str) -> tuple[list[Line], list[Change]]:
    """Line-level repairs: whitespace, glosses, t2s, dashes, template junk. Empty lines dropped."""
    out: list[Line] = []
    changes: list[Change] = []
    traditional = is_traditional(text)
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.replace("\u200b", "").replace("\ufeff", "").replace("\xa0", " ").strip(" \t\u3000")
        line = re.sub(r"[ \t]{2,}|\t", " ", line) if "\t" in line else line
        if not line:
            continue
        glosses = PINYIN_GLOSS.findall(line)
        if glosses:
            line = PINYIN_GLOSS.sub("", line)
            changes.append(Change("pinyin_gloss", number, f"{len(glosses)} glosses, e.g. ({glosses[0]})"))
        simplified = to_simplified(line) if traditional else line
        if simplified != line:
            converted = sum(1 for a, b in zip(line, simplified) if a != b)
            changes.append(Change("traditional", number, f"{converted} characters"))
            line = simplified
        if "\u2015" in line:  # ―― (horizontal bar) is the crawler's stand-in for the dash ——
            changes.append(Change("dash", number, f"{line.count(chr(0x2015))} × ― -> —"))
            line = line.replace("\u2015", "\u2014")
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
        place = find_place([t for _, t in part_lines])
        entry = next((e for e in entries if place and e[1].startswith(place) and e[0] not in used), None)
        number = entry[0] if entry else len(entries) + j + 1
        used.add(number)
        parts.append((f"{stem}-{number:02d}", entry[1] if entry else "", part_lines))
    for number, title in entries:
        if number not in used:
            changes.append(Change("missing_part", body[-1][0], f"{number}. {title}"))
    return parts, changes


def _apply_layout(lines: list[Line], changes: list[Change]) -> tuple[list[Line], list[Line], list[Line]]:
    """(kept lines, notes lines, front-matter lines); chrome is recorded in ``changes``."""
    layout = classify([t for _, t in lines])
    kept, notes, front = [], [], []
    for (number, _), label, text in zip(lines, layout.labels, layout.lines):
        if label == CHROME:
            changes.append(Change("chrome", number, text[:60]))
        elif label == NOTES:
            notes.append((number, text))
        else:
            kept.append((number, text))
            if label == FRONT:
                front.append((number, text))
    for index, removed, why in layout.inline:
        changes.append(Change("inline_chrome", lines[index][0], f"{why}: {removed.strip()[:40]}"))
    if notes:
        changes.append(Change("notes", notes[0][0], f"{len(notes)} lines of notes kept apart ({notes[0][1][:20]}…)"))
    return kept, notes, front


def _make_document(doc_id: str, toc_title: str, lines: list[Line], source: str, encoding: str,
                   changes: list[Change], header: dict[str, str] | None = None) -> Document:
    header = header or {}
    lines, notes, front = _apply_layout(lines, changes)
    if not lines:
        raise BadInputError(source, "nothing left after removing web-page chrome: no report text")
    lines = join_broken_lines(lines, changes)
    texts = [t for _, t in lines]
    text = "\n".join(texts)
    numbers = [n for n, _ in lines]
    issuer = re.match(r"(.{2,8}?(?:省|市|县|区|镇|乡|自治区|旗|州))人民政府", header.get("发文单位", ""))
    place = (header.get("place") or header.get("province") or (issuer.group(1) if issuer else "")
             or find_place([header[k] for k in ("标题", "title") if header.get(k)] + texts))
    first = texts[0]
    if header.get("标题") or header.get("title"):
        title = to_simplified(header.get("标题") or header["title"])
    elif is_title(first):
        title = first if (not place or place in first or first != "政府工作报告") else f"{place}{first}"
    else:
        title = toc_title or ""
    kind = kind_of(title, "\n".join(texts[:2]))
    if not title:
        title = f"{place}{kind}" if place else kind
    # the meeting line may stand in the title (政府工作报告——2013年1月26日在…会议上)
    delivered = delivery_date([t for _, t in front] + texts[:15]) or delivery_date([title])
    reviewed, planned = reviewed_and_planned(texts, delivered)
    document = Document(
        doc=doc_id, source=source, encoding=encoding, title=title, place=place, level=level_of(place),
        years=years_named(title, texts), kind=kind, text=text, line_numbers=numbers,
        changes=sorted(changes, key=lambda c: c.line),
        published=header.get("发文时间", header.get("publish_date", "")),
        url=header.get("来源URL", header.get("source_url", header.get("url", header.get("来源", "")))),
        delivered=delivered, reviewed_years=reviewed, planned_years=planned,
        notes="\n".join(t for _, t in notes),
        metadata={k: v for k, v in header.items() if k not in ("正文",)},
    )
    document.flags = find_flags(text, document.raw_line_at)
    if not TERMINAL_AT_LINE_END.search(texts[-1]) and heading_level(texts[-1]) is None and len(texts[-1]) > 12:
        document.changes.append(Change("truncated", numbers[-1], texts[-1][-20:]))
    document.suspect = suspect_reasons(document)
    return document


def suspect_reasons(document: Document) -> list[str]:
    """Why a document should not be trusted as a full report ([] when nothing is odd)."""
    reasons = []
    body_chars = sum(1 for ch in document.text if "\u3400" <= ch <= "\u9fff")
    if body_chars < 1500:
        reasons.append(f"very short: {body_chars} Chinese characters of body")
    lines = document.text.split("\n")
    if not any(re.match(r"^(各位代表|同志们|代表们)", t) for t in lines) and \
            sum(1 for t in lines if heading_level(t) is not None) < 2:
        reasons.append("no report structure: no 各位代表 opening and fewer than 2 section headings")
    if m := PLACEHOLDER_NOTE.search("\n".join(document.metadata.values()) + document.text + document.notes):
        reasons.append(f"placeholder note: '{m.group()}'")
    if any(c.kind == "truncated" for c in document.changes):
        reasons.append("cut off mid-sentence at the end")
    return reasons


_HEADER_FIELD = re.compile(r"^([\u4e00-\u9fffA-Za-z]{2,8})\s*[:：]\s*(.*)$")


def _read_header(text: str) -> tuple[str, dict[str, str], list[Change]]:
    """A crawler header (``key：value`` lines at the very top, e.g. 标题：…/发文单位：…/来源URL：…,
    often closed by 正文：) is metadata, not body: its lines are blanked (line numbers stay) and
    its fields returned. At least three fields, or a closing 正文：, make a header."""
    lines = text.split("\n")
    fields: dict[str, str] = {}
    numbers: list[int] = []
    for number, line in enumerate(lines[:15], start=1):
        m = _HEADER_FIELD.match(line.strip())
        if not m:
            if line.strip():
                break
            continue
        if len(m.group(2)) > 200 or (m.group(1) != "正文" and not m.group(2).strip()):
            break
        fields[m.group(1)] = m.group(2).strip()
        numbers.append(number)
        if m.group(1) == "正文":
            break
    if "正文" not in fields and len(fields) < 3:  # not a crawler header after all
        return text, {}, []
    changes = [Change("crawler_header", n, lines[n - 1].strip()[:80]) for n in numbers]
    for n in numbers:
        lines[n - 1] = ""
    return "\n".join(lines), fields, changes


def normalise_text(text: str, source: str, encoding: str = "utf_8", doc_id: str | None = None,
                   metadata: dict[str, str] | None = None) -> FileResult:
    """Normalise the decoded text of one report (or collection) into clean documents.

    ``doc_id`` defaults to the file stem; ``metadata`` (e.g. a table's other columns) is kept on
    every document and wins over what the text says."""
    text, escape_changes = decode_escapes(text)
    placeholder = PLACEHOLDER_NOTE.search(text)  # a note anywhere in the file, chrome included
    if placeholder:
        metadata = {**(metadata or {}), "placeholder_note": placeholder.group()}
    text, header, header_changes = _read_header(text)
    header = {**header, **(metadata or {})}
    lines, changes = _clean_lines(text)
    changes = escape_changes + header_changes + changes
    if not lines:
        raise BadInputError(source, "no text: the report is empty once whitespace is removed")
    stem = doc_id or Path(source).stem
    parts, file_changes = _split_collection(lines, stem)
    documents = []
    starts = [part_lines[0][0] for _, _, part_lines in parts]
    for j, (part_id, toc_title, part_lines) in enumerate(parts):
        # Each change belongs to the document whose raw-line range holds it (the first
        # document also takes what stood before it, the last what stood after it).
        low = starts[j] if j else 0
        high = starts[j + 1] if j + 1 < len(parts) else float("inf")
        own = [c for c in changes if low <= c.line < high]
        documents.append(_make_document(part_id, toc_title, part_lines, Path(source).name, encoding, own, header))
    return FileResult(source=Path(source).name, encoding=encoding, documents=documents, changes=file_changes)


def normalise_source(source) -> FileResult:
    """Normalise one report as found (a :class:`govreport.readers.Source`): a file, or a table row."""
    result = normalise_text(source.text, source.file, source.encoding, doc_id=source.doc, metadata=source.metadata)
    for document in result.documents:
        document.file, document.row, document.source = source.file, source.row, Path(source.file).name
        document.changes = [Change("reader", 1, note) for note in source.notes] + document.changes
    return result


def normalise_file(path: Path) -> FileResult:
    text, encoding = read_report(path)
    return normalise_text(text, path.name, encoding)
