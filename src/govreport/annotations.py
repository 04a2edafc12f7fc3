"""Annotation rows: the project's schema, reading/writing them, and validation on the way in.

One row per example per annotator, keyed by sentence id:
  {"id", "doc", "section", "text", "cats": [LABEL...], "spans": [[start, end, LABEL], ...],
   "annotator", "suggested": {"cats": [...], "spans": [...]}}
Offsets are Python str offsets into the sentence text (Doccano's UTF-16 offsets are converted
in doccano.py before rows get here).

validate() never drops a row silently: every invalid row comes back as a reject with its
line number, id and reasons, for the caller to count and write to a rejects file.

adjudicate() merges several annotators' rows into one gold row per sentence.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Iterable

from .labels import LABELS_BY_NAME

# Clause punctuation and dashes may not open or close a span (guidelines, "Spans"): a span
# leaves out the closing punctuation and list markers like `——`. Quotes, brackets and % are
# content and may stand at an edge.
EDGE_PUNCTUATION = frozenset("，,。．.；;：:！!？?、…—")


def read_jsonl_lines(path: Path) -> list[str]:
    """The raw lines of a JSONL file: validate() parses them, so a malformed line keeps its line number."""
    return path.read_text(encoding="utf-8").splitlines()


def read_sentences(path: Path) -> dict[str, dict]:
    sentences = {}
    for line in read_jsonl_lines(path):
        if line.strip():
            row = json.loads(line)
            sentences[row["id"]] = row
    return sentences


def write_jsonl(path: Path, rows: Iterable[dict]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    return count


def _is_span(span) -> bool:
    return (isinstance(span, (list, tuple)) and len(span) == 3 and all(type(x) is int for x in span[:2])
            and isinstance(span[2], str))


def row_problems(row: dict, sentences_by_id: dict[str, dict]) -> list[str]:
    """Everything wrong with one parsed row (empty list: the row is valid)."""
    sentence_id = row.get("id")
    if not isinstance(sentence_id, str) or not sentence_id:
        return ["missing id"]
    cats, spans = row.get("cats"), row.get("spans")
    if not isinstance(cats, list) or not all(isinstance(c, str) for c in cats):
        return ["cats must be a list of label names"]
    if not isinstance(spans, list) or not all(_is_span(s) for s in spans):
        return ["spans must be a list of [start, end, label]"]

    problems = []
    sentence = sentences_by_id.get(sentence_id)
    if sentence is None:
        problems.append(f"id {sentence_id} matches no sentence")
    elif "text" in row and row["text"] != sentence["text"]:
        problems.append("text differs from the sentence text")
    text = sentence["text"] if sentence is not None else row.get("text")

    for label in sorted({*cats, *(s[2] for s in spans)}):
        if label not in LABELS_BY_NAME:
            problems.append(f"unknown label {label!r}")
    if len(set(cats)) != len(cats):
        problems.append("a category is listed twice")

    if text is None:
        return problems  # spans cannot be checked without a text
    in_range = []
    for start, end, label in spans:
        if not 0 <= start < end <= len(text):
            problems.append(f"span [{start}, {end}, {label}] out of range (text has {len(text)} characters)")
            continue
        in_range.append((start, end, label))
        piece = text[start:end]
        if piece[0].isspace() or piece[-1].isspace() or piece[0] in EDGE_PUNCTUATION or piece[-1] in EDGE_PUNCTUATION:
            problems.append(f"span [{start}, {end}, {label}] has whitespace or punctuation at an edge: {piece!r}")
    in_range.sort()
    for (s1, e1, l1), (s2, e2, l2) in zip(in_range, in_range[1:]):
        if s2 < e1:
            problems.append(f"spans [{s1}, {e1}, {l1}] and [{s2}, {e2}, {l2}] overlap")

    span_labels = {s[2] for s in spans}
    for label in cats:
        if label not in span_labels:
            problems.append(f"category {label} has no span")
    for label in sorted(span_labels - set(cats)):
        problems.append(f"span label {label} is not among the categories")
    return problems


def validate(rows: Iterable[dict | str], sentences_by_id: dict[str, dict],
             source: str = "") -> tuple[list[dict], list[dict]]:
    """Check annotation rows against the sentences: (valid_rows, rejects).

    `rows` are parsed dicts or raw JSONL lines (str); the n-th item is line n. Blank lines are
    skipped. A reject is {"source", "line", "id", "annotator", "reasons": [...], "row"}.
    A (id, annotator) pair seen on more than one line rejects all those lines: neither answer
    can be trusted over the other.
    """
    parsed: list[tuple[int, dict | str, dict | None, list[str]]] = []
    lines_by_key: dict[tuple, list[int]] = defaultdict(list)
    for number, item in enumerate(rows, start=1):
        if isinstance(item, str):
            if not item.strip():
                continue
            try:
                row = json.loads(item)
            except json.JSONDecodeError as err:
                parsed.append((number, item, None, [f"malformed JSON: {err.msg} (column {err.colno})"]))
                continue
        else:
            row = item
        if not isinstance(row, dict):
            parsed.append((number, item, None, ["not a JSON object"]))
            continue
        parsed.append((number, item, row, row_problems(row, sentences_by_id)))
        lines_by_key[(row.get("id"), row.get("annotator"))].append(number)

    valid, rejects = [], []
    for number, item, row, problems in parsed:
        if row is not None:
            lines = lines_by_key[(row.get("id"), row.get("annotator"))]
            if len(lines) > 1:
                who = f" by annotator {row['annotator']}" if row.get("annotator") else ""
                problems = problems + [f"duplicate: id {row.get('id')}{who} is on lines "
                                       f"{', '.join(map(str, lines))}"]
        if problems:
            rejects.append({"source": source, "line": number, "id": row.get("id") if row else None,
                            "annotator": row.get("annotator") if row else None, "reasons": problems, "row": item})
        else:
            valid.append(row)
    return valid, rejects


def format_reject(reject: dict) -> str:
    where = f"{reject['source']}:{reject['line']}" if reject["source"] else f"line {reject['line']}"
    return f"{where} ({reject['id'] or 'no id'}): {'; '.join(reject['reasons'])}"


def same_answer(a: dict, b: dict) -> bool:
    return set(a["cats"]) == set(b["cats"]) and sorted(map(tuple, a["spans"])) == sorted(map(tuple, b["spans"]))


def adjudicate(rows: list[dict], senior: str | list[str] | None = None,
               reviewed: dict[str, dict] | None = None) -> tuple[list[dict], list[dict], Counter]:
    """One gold answer per sentence from several annotators' rows.

    - a reviewer's answer from ``reviewed`` ({id: row}) decides whenever there is one ("reviewer");
    - every annotator gave the same answer (categories and spans): that answer ("agreed");
    - only one annotator answered: that answer ("single");
    - otherwise the answer of the first named senior annotator who answered ("senior"; several
      seniors when each document had its own first-pass annotator),
      else the sentence is listed for a reviewer and gets no gold row ("unresolved").
    Returns (gold rows, disagreements to review, counts of each resolution)."""
    seniors = [senior] if isinstance(senior, str) else list(senior or [])
    by_id: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_id[row["id"]].append(row)
    gold, disagreements, counts = [], [], Counter()
    for sentence_id, answers in by_id.items():
        base = {k: answers[0].get(k) for k in ("id", "doc", "section", "text")}
        suggested = next((a.get("suggested") for a in answers if a.get("suggested") is not None), None)
        names = [a.get("annotator") or "?" for a in answers]
        if reviewed and sentence_id in reviewed:
            how, answer = "reviewer", reviewed[sentence_id]
        elif all(same_answer(answers[0], a) for a in answers[1:]):
            how, answer = ("agreed" if len(answers) > 1 else "single"), answers[0]
        elif first_senior := next((name for name in seniors if name in names), None):
            how, answer = "senior", answers[names.index(first_senior)]
        else:
            counts["unresolved"] += 1
            disagreements.append({**base, "answers": {name: {"cats": a["cats"], "spans": a["spans"]}
                                                      for name, a in zip(names, answers)}})
            continue
        counts[how] += 1
        gold.append({**base, "cats": sorted(answer["cats"]), "spans": sorted(answer["spans"]),
                     "annotator": {"senior": first_senior if how == "senior" else None,
                                   "reviewer": "reviewer"}.get(how, "+".join(sorted(names))),
                     "resolution": how, "suggested": suggested})
    return gold, disagreements, counts
