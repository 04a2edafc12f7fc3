"""Rendering of predicted rows (``govreport.predict``): CSV for Excel/WPS and HTML pages
with the spans highlighted (one per document, plus an index)."""

from __future__ import annotations

import csv
import html
from collections import Counter, defaultdict
from pathlib import Path
from typing import Iterable

from .labels import LABEL_NAMES, LABELS_BY_NAME
from .normalise import Document


CSV_COLUMNS = ["id", "doc", "section", "start", "end", "text", *[f"score_{l}" for l in LABEL_NAMES], "cats", "spans"]


def write_csv(rows: Iterable[dict], path: Path) -> None:
    """UTF-8 with BOM, so Excel and WPS open the Chinese text intact."""
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(CSV_COLUMNS)
        for row in rows:
            spans = "; ".join(f"{label}:{row['text'][s:e]}" for s, e, label in row["spans"])
            writer.writerow([row["id"], row["doc"], row["section"], row["start"], row["end"], row["text"],
                             *[row["scores"][label] for label in LABEL_NAMES], "|".join(row["cats"]), spans])


_CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;max-width:60em;margin:2em auto;
line-height:1.9;color:#222;padding:0 1em}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:right}
td:first-child,th:first-child{text-align:left}
mark.entity{padding:.1em .3em;margin:0 .1em;border-radius:.3em;line-height:1}
mark.entity span.label{font-size:.6em;font-weight:bold;margin-left:.4em;vertical-align:middle;font-family:sans-serif}
p.line{margin:.4em 0}.meta{color:#666}li{margin:.2em 0}
"""


def _colour(label: str) -> str:
    return LABELS_BY_NAME[label].colour + "55"  # translucent background


def _render_line(text: str, spans: list[tuple[int, int, str]]) -> str:
    """One line of the document with spans as displaCy-style <mark class="entity"> elements."""
    out, last = [], 0
    for start, end, label in sorted(spans):
        out.append(html.escape(text[last:start]))
        out.append(f'<mark class="entity {label}" data-label="{label}" style="background:{_colour(label)}">'
                   f'{html.escape(text[start:end])}<span class="label">{label}</span></mark>')
        last = end
    out.append(html.escape(text[last:]))
    return "".join(out)


def render_document_html(document: Document, rows: list[dict]) -> str:
    """A self-contained page: counts per section, lists per label, the text with spans highlighted."""
    text = document.text
    spans_by_line: dict[int, list] = defaultdict(list)
    line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    for row in rows:
        line = text.count("\n", 0, row["start"])
        for s, e, label in row["spans"]:
            offset = row["start"] - line_starts[line]
            spans_by_line[line].append((offset + s, offset + e, label))
    sections: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        sections[row["section"] or "(前言)"].update(row["cats"])
        sections[row["section"] or "(前言)"]["sentences"] += 1
    parts = [f"<!DOCTYPE html><html lang='zh'><head><meta charset='utf-8'><title>{html.escape(document.title)}</title>"
             f"<style>{_CSS}</style></head><body>",
             f"<h1>{html.escape(document.title)}</h1>",
             f"<p class='meta'>{html.escape(document.place)} · {html.escape(document.kind)} · "
             f"{', '.join(map(str, document.years))} · {len(rows)} sentences · source {html.escape(document.source)}</p>",
             "<h2>Per section</h2><table><tr><th>section</th><th>sentences</th>",
             *[f"<th>{label}</th>" for label in LABEL_NAMES], "</tr>"]
    for section, counts in sections.items():
        parts.append(f"<tr><td>{html.escape(section)}</td><td>{counts['sentences']}</td>"
                     + "".join(f"<td>{counts[label]}</td>" for label in LABEL_NAMES) + "</tr>")
    parts.append("</table>")
    for label in ("TARGET", "ACHIEVEMENT", "PROBLEM"):
        chosen = [r for r in rows if label in r["cats"]]
        parts.append(f"<h2 id='{label}'>{label} · {LABELS_BY_NAME[label].chinese} ({len(chosen)})</h2><ul>")
        parts += [f"<li>{html.escape(r['text'])} <span class='meta'>({html.escape(r['section'])})</span></li>"
                  for r in chosen]
        parts.append("</ul>")
    parts.append("<h2 id='document'>Document</h2>")
    for number, line in enumerate(text.split("\n")):
        parts.append(f"<p class='line'>{_render_line(line, spans_by_line.get(number, []))}</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


def render_index_html(summaries: list[dict], skipped: list[dict]) -> str:
    parts = [f"<!DOCTYPE html><html lang='zh'><head><meta charset='utf-8'><title>govreport predictions</title>"
             f"<style>{_CSS}</style></head><body><h1>Reports labelled</h1><table><tr><th>document</th>"
             "<th>sentences</th>", *[f"<th>{label}</th>" for label in LABEL_NAMES], "</tr>"]
    for s in summaries:
        parts.append(f"<tr><td><a href='{html.escape(s['html'])}'>{html.escape(s['title'])}</a></td>"
                     f"<td>{s['sentences']}</td>" + "".join(f"<td>{s['counts'][l]}</td>" for l in LABEL_NAMES)
                     + "</tr>")
    parts.append("</table>")
    if skipped:
        parts.append("<h2>Skipped files</h2><ul>")
        parts += [f"<li>{html.escape(s['file'])}: {html.escape(s['reason'])}</li>" for s in skipped]
        parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts)
