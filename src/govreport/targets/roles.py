"""The role of each quantity mention, and the year its figure is for.

Roles: ``target``, ``result``, ``preliminary_result`` (预计 / 初步核算 outside a plan), ``task_assigned``
(任务 X), ``task_completed`` (已完成 X after a task of the same metric in the sentence), ``unknown`` (no
evidence). Evidence, strongest first: cue words (任务, 完成 after a task, 预计), the sentence's label span
covering the number (TARGET / ACHIEVEMENT), the sentence's categories, the section (plan vs review:
``govreport.suggest.is_plan_section`` / ``REVIEW_SECTION``), then target cues (力争, 确保, 左右, 以上, 目标) or
result cues (同比, 比上年, 完成, 实现). Every record says which evidence decided (``role_evidence``).
"""

from __future__ import annotations

import re
from dataclasses import fields

from ..suggest import REVIEW_SECTION, is_plan_section
from .quantities import Mention, parse_quantities

ROLES = ("target", "result", "preliminary_result", "task_assigned", "task_completed", "unknown")
TARGET_CUES = ("力争", "确保", "争取", "努力", "目标", "预期", "左右", "以上", "以内", "不低于", "不少于", "控制在")
RESULT_CUES = ("同比", "比上年", "较上年", "完成", "实现", "达到", "累计")
_TASK = re.compile(r"任务")
_COMPLETED = re.compile(r"(?:已|全面|超额)?完成")
RECORD_COLUMNS = ["mention_id", "doc", "place", "level", "sentence_id", "section", "cats",
                  *(f.name for f in fields(Mention)), "role", "role_evidence", "year", "sentence"]
RESULT_ROLES = ("result", "preliminary_result", "task_completed")
TARGET_ROLES = ("target", "task_assigned")


def _clause_before(text: str, position: int) -> str:
    start = max(text.rfind(ch, 0, position) for ch in "，,；;。：:")
    return text[start + 1:position]


def assign_role(mention: Mention, earlier: list[tuple[Mention, str]], text: str, cats: list[str],
                spans: list, section: str) -> tuple[str, str]:
    """(role, evidence) for one mention; ``earlier`` holds the sentence's previous mentions with their roles."""
    before = _clause_before(text, mention.start)
    plan = is_plan_section(section)
    review = bool(section) and bool(REVIEW_SECTION.search(section)) and not plan
    if _TASK.search(before):
        return "task_assigned", "cue 任务"
    if _COMPLETED.search(before) and any(role == "task_assigned" and m.metric_raw == mention.metric_raw
                                         for m, role in earlier):
        return "task_completed", "cue 完成 after a task"
    if mention.preliminary and not plan:
        return "preliminary_result", "cue 预计"
    covering = {label for s, e, label in spans if s <= mention.start and mention.end <= e}
    for source, labels in (("span", covering), ("category", set(cats))):
        if "TARGET" in labels and "ACHIEVEMENT" not in labels:
            return "target", f"{source} TARGET"
        if "ACHIEVEMENT" in labels and "TARGET" not in labels:
            return "result", f"{source} ACHIEVEMENT"
    if plan:
        return "target", "plan section"
    if review:
        return "result", "review section"
    if any(c in before for c in TARGET_CUES) or mention.comparator in ("about", "at_least", "at_most", "range") \
            or mention.strength:
        return "target", "target cue"
    if any(c in before for c in RESULT_CUES):
        return "result", "result cue"
    return "unknown", "no evidence"


def figure_year(mention: Mention, role: str, planned_years: list[int], reviewed_years: list[int],
                section: str = "") -> int | None:
    """The year a figure is for: an explicit single year in the sentence (2019年, 今年), else the year the
    report plans (targets; tasks in a plan section) or reviews (results; tasks in a review section); None for
    a multi-year period (十四五, 2021-2025年)."""
    if mention.period_start is not None and mention.period_start == mention.period_end:
        return mention.period_start
    if mention.period_start is not None:
        return None
    forward = role == "target" or (role == "task_assigned" and is_plan_section(section))
    years = planned_years if forward else reviewed_years
    return years[-1] if years else None


def mention_records(rows: list[dict], document) -> list[dict]:
    """One record per quantity mention of a document's sentence rows (id, section, text, cats, spans):
    the sentence's fields, the mention's fields, ``role``, ``role_evidence`` and ``year``."""
    planned = list(getattr(document, "planned_years", []) or [])
    reviewed = list(getattr(document, "reviewed_years", []) or [])
    report_year = planned[-1] if planned else (reviewed[-1] + 1 if reviewed else None)
    records = []
    for row in rows:
        earlier: list[tuple[Mention, str]] = []
        for number, mention in enumerate(parse_quantities(row["text"], report_year), start=1):
            role, evidence = assign_role(mention, earlier, row["text"], row.get("cats") or [],
                                         row.get("spans") or [], row.get("section", ""))
            earlier.append((mention, role))
            records.append({
                "mention_id": f"{row['id']}#{number}", "doc": row["doc"], "place": document.place,
                "level": document.level, "sentence_id": row["id"], "section": row.get("section", ""),
                "cats": "|".join(row.get("cats") or []), **mention.to_dict(), "role": role,
                "role_evidence": evidence,
                "year": figure_year(mention, role, planned, reviewed, row.get("section", "")), "sentence": row["text"]})
    return records
