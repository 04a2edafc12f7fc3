"""Cue-word suggestions: the rule that pre-annotates sentences for annotators.

It reads the cue lists of the label scheme (labels.py) and labels each clause with
at most one label. Its answers are *suggestions* shown to annotators (like
Prodigy's `correct` recipes) and the rule baseline of the evaluation; they are
never gold. Gold rows record the suggestion beside the final answer so the
project can report how often annotators changed it.
"""

from __future__ import annotations

import re

# Plan and review headings live beside the pipeline that also reads them (clauses.py ships in the model).
from .clauses import is_plan_section
from .labels import LABELS_BY_NAME
from .segment import clause_spans

_NUMBER = re.compile(r"\d")
# Order matters: a clause gets the first label whose cues it contains.
_PRIORITY = ("PROBLEM", "TARGET", "ACHIEVEMENT", "INITIATIVE")


def suggest_clause(clause: str, plan: bool) -> str | None:
    for name in _PRIORITY:
        if any(cue in clause for cue in LABELS_BY_NAME[name].cues):
            if name == "ACHIEVEMENT" and plan:
                return "TARGET"  # 完成/实现 in a plan section states a goal
            return name
    if plan and _NUMBER.search(clause) and re.search(r"新建|新增|建设|培育|打造|改造", clause):
        return "TARGET"
    return None


def suggest(text: str, section: str = "") -> dict:
    """{'cats': [...], 'spans': [[start, end, label], ...]} for one sentence."""
    plan = is_plan_section(section)
    spans = []
    for start, end in clause_spans(text):
        label = suggest_clause(text[start:end], plan)
        if label:
            spans.append([start, end, label])
    cats = sorted({label for _, _, label in spans})
    return {"cats": cats, "spans": spans}
