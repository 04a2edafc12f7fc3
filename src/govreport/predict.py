"""Stage 4: label whole reports with a trained pipeline.

Raw files go through the same normalise + segment as the corpus stage, then the
pipeline labels every sentence (``nlp.pipe`` in batches). Categories are decided
with the per-label thresholds tuned on dev and stored in the package's meta.json.

Python API::

    import spacy
    from govreport.predict import label_report
    nlp = spacy.load("zh_govreport")
    rows = label_report(open("report.txt", encoding="utf-8").read(), nlp)
"""

from __future__ import annotations

import csv
import html
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Callable, Iterable

from spacy.language import Language

from .labels import LABEL_NAMES, LABELS_BY_NAME
from .normalise import Document, normalise_text
from .segment import Sentence, segment


class ModelError(Exception):
    """The pipeline cannot be used to label reports (missing components or labels)."""


def check_model(nlp: Language) -> dict[str, float]:
    """Raise ModelError unless the pipeline predicts our labels; return its thresholds."""
    problems = []
    if "textcat_multilabel" not in nlp.pipe_names:
        problems.append("no textcat_multilabel component")
    elif missing := set(LABEL_NAMES) - set(nlp.get_pipe("textcat_multilabel").labels):
        problems.append(f"textcat_multilabel lacks {', '.join(sorted(missing))}")
    if "ner" not in nlp.pipe_names:
        problems.append("no ner component")
    elif missing := set(LABEL_NAMES) - set(nlp.get_pipe("ner").labels):
        problems.append(f"ner lacks {', '.join(sorted(missing))}")
    if problems:
        raise ModelError(f"this pipeline cannot label reports: {'; '.join(problems)} "
                         f"(expected labels {', '.join(LABEL_NAMES)})")
    thresholds = nlp.meta.get("govreport", {}).get("thresholds", {})
    return {label: round(float(thresholds.get(label, 0.5)), 4) for label in LABEL_NAMES}


def label_sentences(sentences: list[Sentence], nlp: Language, thresholds: dict[str, float],
                    batch_size: int = 256, n_process: int = 1,
                    on_batch: Callable[[int], None] = lambda n: None) -> list[dict]:
    rows = []
    docs = nlp.pipe((s.text for s in sentences), batch_size=batch_size, n_process=n_process)
    for i, (sentence, doc) in enumerate(zip(sentences, docs), start=1):
        scores = {label: round(float(doc.cats.get(label, 0.0)), 4) for label in LABEL_NAMES}
        rows.append({
            **sentence.to_dict(),
            "scores": scores,
            "cats": [label for label in LABEL_NAMES if scores[label] >= thresholds[label]],
            "spans": [[e.start_char, e.end_char, e.label_] for e in doc.ents],
        })
        if i % batch_size == 0:
            on_batch(batch_size)
    on_batch(len(rows) % batch_size)
    return rows


def model_suggestions(sentences: Iterable[dict], nlp: Language, source: str, batch_size: int = 256,
                      on_batch: Callable[[int], None] = lambda n: None) -> dict[str, dict]:
    """Pre-annotations for sentence rows (id, text): {id: {"cats", "spans", "source", "scores", "margin"}}.

    Categories use the model's tuned thresholds; spans are its entities whose label is among the
    categories (an entity of a label the classifier rejects would contradict the suggestion). ``margin`` is how far the label score
    nearest to its threshold lies from it: small means the model is unsure (`--order uncertain`)."""
    thresholds = check_model(nlp)
    rows = list(sentences)
    out = {}
    docs = nlp.pipe((r["text"] for r in rows), batch_size=batch_size)
    for i, (row, doc) in enumerate(zip(rows, docs), start=1):
        scores = {label: round(float(doc.cats.get(label, 0.0)), 4) for label in LABEL_NAMES}
        cats = [label for label in LABEL_NAMES if scores[label] >= thresholds[label]]
        spans = [[e.start_char, e.end_char, e.label_] for e in doc.ents if e.label_ in cats]
        margin = min(abs(scores[label] - thresholds[label]) for label in LABEL_NAMES)
        out[row["id"]] = {"cats": cats, "spans": spans, "source": source, "scores": scores,
                          "margin": round(margin, 4)}
        if i % batch_size == 0:
            on_batch(batch_size)
    on_batch(len(rows) % batch_size)
    return out


def label_report(text: str, nlp: Language, source: str = "report.txt") -> list[dict]:
    """Label one report given as text: one row per sentence (see docs/SCHEMAS.md, predictions)."""
    thresholds = check_model(nlp)
    result = normalise_text(text, source)
    sentences = [s for d in result.documents for s in segment(d)]
    return label_sentences(sentences, nlp, thresholds)


# ------------------------------------------------------------------ outputs

CSV_COLUMNS = ["id", "doc", "section", "start", "end", "text", *[f"score_{l}" for l in LABEL_NAMES], "cats", "spans"]


def write_jsonl(rows: Iterable[dict], path: Path) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


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
