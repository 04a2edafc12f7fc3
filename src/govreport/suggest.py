"""Cue-word suggestions: the rule that pre-annotates sentences for annotators.

It reads the cue lists of the label scheme (labels.py) and labels each clause with
at most one label. Its answers are *suggestions* shown to annotators (like
Prodigy's `correct` recipes) and the rule baseline of the evaluation; they are
never gold. Gold rows record the suggestion beside the final answer so the
project can report how often annotators changed it.
"""

from __future__ import annotations

import re

from .labels import LABELS_BY_NAME
from .segment import clause_spans

# Sections that plan the future: a counted output there is a quota (TARGET), not a result.
PLAN_SECTION = re.compile(r"计划|安排|思路|打算|目标任务|下一步|下步|下半年|下阶段|今后|明年|(主要|重点)工作")
_NUMBER = re.compile(r"\d")
# Order matters: a clause gets the first label whose cues it contains.
_PRIORITY = ("PROBLEM", "TARGET", "ACHIEVEMENT", "INITIATIVE")


# ... unless the heading looks back (2022年以来主要工作回顾, 工作完成情况).
REVIEW_SECTION = re.compile(r"回顾|情况|成绩|成效|总结|以来")


def is_plan_section(section: str) -> bool:
    headings = [section.split(" > ")[-1], section.split(" > ")[0]] if section else []
    return any(PLAN_SECTION.search(h) and not REVIEW_SECTION.search(h) for h in headings)


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
