"""The role of each quantity mention, and the year its figure is for.

Roles: ``target``, ``result``, ``preliminary_result`` (预计 / 初步核算 outside a plan), ``task_assigned``
(任务 X), ``task_completed`` (已完成 X after a task of the same metric; 完成年度任务 X; 占任务的 X%),
``other`` (a figure that is neither: the baseline of a change, 由39%提高到100% → 39%; a size class,
5亿元以上项目, 超千万元企业; a description, 投资3.7亿元的项目), ``unknown`` (no evidence).

Evidence, strongest first (every record says which decided, ``role_evidence``):

1. the figure's grammar: a baseline, a size class or an attributive description is ``other``;
2. task cues: 完成…任务 X / 占计划的 X% (completed), 任务 X (assigned), 已完成 X after a task of the same metric;
3. 预计: a preliminary result, or a target when it looks ahead (预计明年) or stands in a plan section;
4. the report's section (``govreport.clauses.section_kind``): a plan section gives
   targets unless the figure is stated as past (去年, 过去五年, a year before the one planned); a review
   section gives results unless the figure is stated as a plan (计划, 谋划, 力争, 预期, 明年);
5. explicit cue words when there is no section: target cues (预期目标, 力争, 确保, 计划 …) before result
   cues (同比, 比上年, 已完成 …);
6. the sentence classifier's label span covering the number, then the sentence's categories (TARGET /
   ACHIEVEMENT): evidence about the sentence, weaker than the section and the words around the number;
7. weak target cues (左右, 以上, a comparator, a strength word) or weak result cues (完成, 实现, 达到).

So the tool works the same without a model (``--annotations`` rows or no labels at all): the labels only
decide what sections and cue words leave open.
"""

from __future__ import annotations

import re
from dataclasses import fields

from ..clauses import is_plan_section, section_kind
from .quantities import Mention, parse_quantities

ROLES = ("target", "result", "preliminary_result", "task_assigned", "task_completed", "other", "unknown")
# stated as a goal: decides without a section, and outranks a review section (计划投资2亿元 in a review); 计划
# counts as a verb only (计划种植50亩), never as a programme's name (雨露计划总共发放104人次)
PLAN_CUES = re.compile(r"谋划|力争|(?<![超出于过])预期|明年|拟|计划(?=投资|建设|种植|完成|新建|实施|开工|改造|安排|引进|培训|发放|建成|"
                       r"新增|实现|达到|总投资|用|在|于|年内|今年|明年)")
TARGET_CUES = ("预期目标", "目标", "力争", "确保", "争取", "努力", "力求", "计划", "谋划", "预期")
WEAK_TARGET_CUES = ("左右", "以上", "以内", "不低于", "不少于", "控制在")
# the head of a list of targets (主要预期目标是：生产总值增长6%，…) governs every figure after it
_TARGET_LIST = re.compile(r"(?:预期|主要)目标(?:是|为)?[：:]")
RESULT_CUES = ("同比", "比上年", "较上年", "已完成", "已经", "累计完成", "全年完成")
WEAK_RESULT_CUES = ("完成", "实现", "达到", "累计")
# stated as past inside a plan section (去年全市生产总值增长7%)
PAST_CUES = re.compile(r"(?<![比较同与])(?:去年|上年)|过去|五年来|已经|已完成")  # 比上年增长 is a growth, not past
_TASK = re.compile(r"任务")
_COMPLETED = re.compile(r"(?:已|全面|超额)?完成")
# 完成年度任务3.96万户, 占任务的162.4%, 完成全年目标的125%, 占计划投资的118.7%: the completion of a task
_COMPLETION_OF_TASK = re.compile(r"(?:完成|占|达到|为)[^，,；;。]{0,8}(?:任务|目标|计划)[^，,；;。]{0,4}$")
# 5849套棚改任务全部开工: a task said to be done
_TASK_DONE_AFTER = re.compile(r"^[^，,；;。]{0,8}任务(?:已|均|全部|提前|超额|全面)*(?:完成|开工|竣工|落实|到位)")
# 由2014年的39%提高到100%, 从21484元增长到: the first figure is the baseline of the change
_BASELINE = re.compile(r"(?:由|从)(?:\d{4}年(?:底|末)?|上年|去年)?(?:的)?$")
# 5亿元以上项目, 10蒸吨以下燃煤锅炉, 超千万元企业, 超10亿元的县: an amount that names a class of things
_CLASS_AFTER = re.compile(r"^的?[\u4e00-\u9fff]")
_NOT_A_CLASS = re.compile(r"^的?(?:目标|水平|增长|增速|规模|左右|之间|以内|成果|标准)")
_CLASS_DIMENSIONS = ("money", "area", "power", "boiler capacity", "mass", "length", "volume", "energy")
# 投资3.7亿元的项目, 占地一千亩的植物园: an amount that describes the thing it stands before
_DESCRIPTION_BEFORE = re.compile(r"(?:投资|总投资|占地|面积|总长|长|规模|容量|装机)(?:约|达|近)?$")
RECORD_COLUMNS = ["mention_id", "doc", "place", "level", "sentence_id", "section", "cats",
                  *(f.name for f in fields(Mention)), "role", "role_evidence", "year", "sentence"]
RESULT_ROLES = ("result", "preliminary_result", "task_completed")
TARGET_ROLES = ("target", "task_assigned")


def _clause_before(text: str, position: int) -> str:
    start = max(text.rfind(ch, 0, position) for ch in "，,；;。：:")
    return text[start + 1:position]


def neither_role(mention: Mention, text: str) -> str | None:
    """Why a figure is neither a target nor a result (a baseline, a size class, a description), or None."""
    before, after = text[:mention.start], text[mention.end:]
    if _BASELINE.search(before) and re.search(r"(?:到|至|为)", after[:30]):
        return "baseline of a change (由X到Y)"
    if mention.dimension in _CLASS_DIMENSIONS and mention.comparator != "range":
        bound = re.match(r"^(?:及以上|以上|以下)", after)
        rest = after[bound.end():] if bound else after
        if (bound or re.search(r"(?:超过|超)$", before)) and _CLASS_AFTER.match(rest) and not _NOT_A_CLASS.match(rest):
            return "size class (X以上项目, 超X企业)"
        if after.startswith("的") and _DESCRIPTION_BEFORE.search(before):
            return "description (投资X的项目)"
    return None


def assign_role(mention: Mention, earlier: list[tuple[Mention, str]], text: str, cats: list[str],
                spans: list, section: str, planned_years: list[int] | None = None) -> tuple[str, str]:
    """(role, evidence) for one mention; ``earlier`` holds the sentence's previous mentions with their roles."""
    before = _clause_before(text, mention.start)
    sentence_before = text[:mention.start]
    kind = section_kind(section)
    plan, review = kind == "plan", kind == "review"
    if earlier and text[earlier[-1][0].end:mention.start] in (":", "："):  # 由2007年的13.3:52.9:33.8
        return earlier[-1][1], "part of a structure X:Y:Z"
    why = neither_role(mention, text)
    if why:
        return "other", why
    if _COMPLETION_OF_TASK.search(before) or _TASK_DONE_AFTER.match(text[mention.end:]):
        return "task_completed", "cue 完成 of a task"
    if _TASK.search(before):
        return "task_assigned", "cue 任务"
    if _COMPLETED.search(before) and any(role == "task_assigned" and m.metric_raw == mention.metric_raw
                                         for m, role in earlier):
        return "task_completed", "cue 完成 after a task"
    if mention.preliminary:
        if plan or re.search(r"预计[^，,；;。]{0,6}(?:明年|下一年|今后|未来)", sentence_before):
            return "target", "cue 预计 looking ahead"
        return "preliminary_result", "cue 预计"
    if plan:
        years = [int(y) for y in re.findall(r"(?<![比较与同])(\d{4})年", before)]
        if PAST_CUES.search(before) or (years and planned_years and years[-1] < min(planned_years)):
            return "result", "stated as past in a plan section"
        return "target", "plan section"
    if review:
        if PLAN_CUES.search(before):
            return "target", "stated as a plan in a review section"
        return "result", "review section"
    if any(c in before for c in TARGET_CUES) or mention.strength or _TARGET_LIST.search(sentence_before):
        return "target", "target cue"
    if any(c in before for c in RESULT_CUES):
        return "result", "result cue"
    covering = {label for s, e, label in spans if s <= mention.start and mention.end <= e}
    for source, labels in (("span", covering), ("category", set(cats))):
        if "TARGET" in labels and "ACHIEVEMENT" not in labels:
            return "target", f"{source} TARGET"
        if "ACHIEVEMENT" in labels and "TARGET" not in labels:
            return "result", f"{source} ACHIEVEMENT"
    if any(c in before for c in WEAK_TARGET_CUES) or mention.comparator in ("about", "at_least", "at_most", "range"):
        return "target", "weak target cue"
    if any(c in before for c in WEAK_RESULT_CUES):
        return "result", "weak result cue"
    return "unknown", "no evidence"


_SEVERAL_YEARS = re.compile(r"五年|十[一二三四五]五|[两三四五]年(?!工作)")


def plans_several_years(section: str) -> bool:
    """A plan part for several years (今后五年的主要任务, “十四五”时期的目标) and no part for one year inside it."""
    headings = section.split(" > ") if section else []
    return not any(re.search(r"\d{4}年", h) for h in headings) and any(_SEVERAL_YEARS.search(h) for h in headings)


def figure_year(mention: Mention, role: str, planned_years: list[int], reviewed_years: list[int],
                section: str = "") -> int | None:
    """The year a figure is for: an explicit single year in the sentence (2019年, 今年), else the year the
    report plans (targets; tasks in a plan section) or reviews (results; tasks in a review section); None for
    a multi-year figure (十四五, 2021-2025年, 年均, 五年累计) and for a target of a plan part for several years
    (今后五年 …) that names no year."""
    if mention.multi_year:
        return None
    if mention.period_start is not None and mention.period_start == mention.period_end:
        return mention.period_start
    if mention.period_start is not None:
        return None
    forward = role == "target" or (role == "task_assigned" and is_plan_section(section))
    if forward and is_plan_section(section) and plans_several_years(section):
        return None
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
                                         row.get("spans") or [], row.get("section", ""), planned)
            earlier.append((mention, role))
            records.append({
                "mention_id": f"{row['id']}#{number}", "doc": row["doc"], "place": document.place,
                "level": document.level, "sentence_id": row["id"], "section": row.get("section", ""),
                "cats": "|".join(row.get("cats") or []), **mention.to_dict(), "role": role,
                "role_evidence": evidence,
                "year": figure_year(mention, role, planned, reviewed, row.get("section", "")), "sentence": row["text"]})
    return records
