"""The clause units of docs/ANNOTATION_GUIDELINES.md ("Spans"): where a sentence's spans may start and end.

Standalone on purpose (it imports only ``re``): `govreport package` ships this file inside the model
package (`spacy package --code`), where the clause suggester of the span categorizer uses it, so a
packaged pipeline loads without govreport installed.
"""

from __future__ import annotations

import re

# Clause boundaries of the guidelines ("Spans"): ，；：。！？ and , ; : ! ? — not 、, not a
# comma inside a number (17,486), not punctuation inside quotation marks.
CLAUSE_END = "，；：。！？,;:!?"
_OPEN_QUOTES = {"“": "”", "‘": "’", "「": "」", "『": "』", "《": "》"}
# Leading words a span leaves out (list markers and connectives; guidelines + clarifications).
# Bare 指 is not among them (it starts 指导); 并 only when it is the connective, not 并网/并购.
LEADING = re.compile(
    r"^(?:(?:[一二三四五六七八九十]+[是要]|[(（][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|\d{1,2}[.、．](?!\d)"
    r"|——|--|-|同时|此外|今年以来|截至目前|截止目前|目前|其中|并(?![购网轨联入列存举重])|另外|特别是|即|是指)\s*)+"
)
TRAILING = re.compile(r"(?:\[\d+\])+$")


def clause_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each clause of a sentence, without closing punctuation,
    list markers, leading connectives or footnote markers. Empty clauses are dropped."""
    spans = []
    begin = 0
    closing: list[str] = []
    ascii_quote_open = False
    unmatched = _unmatched_quotes(text)
    for i, ch in enumerate(text):
        if i in unmatched:
            continue  # a quote the sentence never closes (split inside it) protects nothing
        if closing and ch == closing[-1]:
            closing.pop()
        elif ch in _OPEN_QUOTES:
            closing.append(_OPEN_QUOTES[ch])
        elif ch == '"':
            ascii_quote_open = not ascii_quote_open
        elif ch in CLAUSE_END and not closing and not ascii_quote_open:
            if ch in ",，" and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit():
                continue
            _add_clause(spans, text, begin, i)
            begin = i + 1
    _add_clause(spans, text, begin, len(text))
    return spans


def _unmatched_quotes(text: str) -> set[int]:
    """Positions of opening quotes that are never closed in ``text``."""
    stack: list[tuple[str, int]] = []
    ascii_open: list[int] = []
    for i, ch in enumerate(text):
        if stack and ch == stack[-1][0]:
            stack.pop()
        elif ch in _OPEN_QUOTES:
            stack.append((_OPEN_QUOTES[ch], i))
        elif ch == '"':
            if ascii_open:
                ascii_open.pop()
            else:
                ascii_open.append(i)
    return {i for _, i in stack} | set(ascii_open)


def _add_clause(spans: list[tuple[int, int]], text: str, begin: int, end: int) -> None:
    piece = text[begin:end]
    lead = LEADING.match(piece)
    skip = lead.end() if lead else 0
    trail = TRAILING.search(piece)
    stop = trail.start() if trail else len(piece)
    core = piece[skip:stop]
    left = len(core) - len(core.lstrip(" \u3000"))
    core = core.strip(" \u3000")
    # A clause that is only closing punctuation/quotes carries nothing.
    if core and any(not _is_punct(c) for c in core):
        spans.append((begin + skip + left, begin + skip + left + len(core)))


def _is_punct(ch: str) -> bool:
    return ch in "。，、；：！？,.;:!?\"'“”‘’（）()《》【】[]—-…·" or ch.isspace()
