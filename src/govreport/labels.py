"""The label scheme: the one place that names the labels.

Doccano set-up, validation, conversion, training, evaluation and prediction all
read this module; nothing else spells out a label name.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Label:
    name: str
    chinese: str
    description: str
    colour: str  # Doccano label background colour
    shortcut: str  # Doccano keyboard shortcut
    cues: tuple[str, ...]  # cue words from the guidelines: hints for suggestions, never the rule


LABELS: tuple[Label, ...] = (
    Label(
        "INITIATIVE",
        "举措",
        "a concrete action, measure, programme or mechanism the government carried out or will carry out",
        "#1f77b4",
        "i",
        ("推进", "开展", "实施", "落实", "加强", "建立", "健全", "组织", "推动", "加快", "深化", "整治", "启动"),
    ),
    Label(
        "TARGET",
        "目标",
        "a goal, quota, plan figure, deadline or commitment to reach a state",
        "#ff7f0e",
        "t",
        ("目标", "任务数", "计划", "力争", "确保", "争取", "预期", "以上", "左右"),
    ),
    Label(
        "ACHIEVEMENT",
        "成绩",
        "a realised result: completed quantities, growth figures, honours, passed inspections",
        "#2ca02c",
        "a",
        ("完成", "实现", "建成", "累计", "同比增长", "达到", "获评", "荣获", "通过验收", "显著改善"),
    ),
    Label(
        "PROBLEM",
        "问题",
        "a shortcoming, difficulty, risk or challenge that the report acknowledges",
        "#d62728",
        "p",
        ("不足", "短板", "薄弱", "困难", "压力", "有待", "仍需", "滞后", "不强", "不高", "问题和挑战"),
    ),
)

LABEL_NAMES: tuple[str, ...] = tuple(label.name for label in LABELS)
LABELS_BY_NAME: dict[str, Label] = {label.name: label for label in LABELS}


def check_label(name: str) -> str:
    """Return ``name`` if it is in the scheme, else raise ValueError naming the scheme."""
    if name not in LABELS_BY_NAME:
        raise ValueError(f"unknown label {name!r} (the scheme has {', '.join(LABEL_NAMES)})")
    return name

# The doc.spans key under which gold clause spans are stored and the span categorizer predicts.
SPANS_KEY = "sc"
