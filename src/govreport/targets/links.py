"""Target ↔ result links, fulfilment, and the place × year × metric panel.

- **Within a report**: a ``task_completed`` mention ↔ the nearest earlier ``task_assigned`` mention of the
  same document with the same metric (``粮食种植任务38089亩，已完成38492亩`` → ratio 101.1%, met).
- **Across years**: the targets for year Y (the report delivered in Y plans Y) ↔ the results for Y (the report
  of Y+1 reviews Y), for one place (name compared without its 县/区/市/旗 suffix, so 海拉尔市 → 海拉尔区 links,
  with a lower confidence), the same canonical metric and the same quantity type.
- **Fulfilment** (``fulfilment``): the target's threshold is its value (its lower bound for a range; its upper
  bound for at_most); ``ratio`` = result / threshold for levels and counts, ``gap_pp`` = result − threshold in
  percentage points for growth rates, shares and point changes; ``met`` under the comparator: at_least,
  exact and range need result ≥ threshold (a floor), at_most / control need result ≤ threshold (a ceiling);
  a reduction stated as a rate (能耗下降3%, PM2.5下降5%以上) is met by a reduction at least as large, a level to
  come down to (降至0.5%, 下降到36微克) by a result at most that high. A target written with 左右 / 上下 / 约
  (``comparator`` about, or ``approximate`` for 控制在3%左右) allows ``tolerance_pp`` points (rates) or
  ``tolerance_ratio`` (levels) of slack on the side that fails: 增长7%左右 is met by 6.6% and by 9%.
  ``in_band`` says whether the result is within that slack of the target on either side (the "within 0.5
  point" reading of 左右: 9% against 7%左右 is met but not in band).
- **Statuses** (never a silent drop): ``met``, ``not_met``, ``preliminary_figure`` (the result is 预计; ``met``
  is still filled), ``unit_mismatch``, ``no_result_reported`` (the report reviewing the year exists and names
  no such result), ``target_not_stated`` (the report planning the year exists and sets no such target),
  ``year_missing`` (the report that would hold it is not in the series).
"""

from __future__ import annotations

import re
from collections import defaultdict

from .roles import RESULT_ROLES

STATUSES = ("met", "not_met", "preliminary_figure", "unit_mismatch", "no_result_reported", "target_not_stated",
            "year_missing")
LINK_COLUMNS = ["link_type", "place", "metric_id", "metric_raw", "quantity_type", "year", "target_mention_id",
                "result_mention_id", "target_doc", "result_doc", "target_text", "result_text", "comparator", "strength",
                "target_value", "target_unit", "result_value", "result_unit", "threshold", "ratio", "gap_pp", "met",
                "in_band", "status", "confidence", "note"]
PANEL_COLUMNS = ["place", "place_key", "year", "metric_id", "quantity_type", "target_doc", "result_doc",
                 "target_value", "target_low", "target_high", "target_unit", "comparator", "strength", "target_text",
                 "target_mention_id", "result_value", "result_unit", "result_text", "result_mention_id",
                 "preliminary", "ratio", "gap_pp", "met", "in_band", "status", "confidence", "note"]
_PLACE_SUFFIX = re.compile(r"(人民政府|政府)$")
_LEVEL_SUFFIX = re.compile(r"(自治县|自治旗|县|区|市|旗|镇|乡|街道|省|自治区)$")


def place_key(place: str) -> str:
    """A place's name without its administrative suffix: 海拉尔市 and 海拉尔区 are one series."""
    name = _PLACE_SUFFIX.sub("", place.strip())
    short = _LEVEL_SUFFIX.sub("", name)
    return short if len(short) >= 2 else name


def _is_reduction_rate(record: dict) -> bool:
    """下降3% / 削减4.5% / 下降2个百分点: the size of a fall, stated as a positive rate."""
    return record["direction"] == "down" and record["quantity_type"] in ("growth_rate", "pp_change")


def fulfilment(target: dict, result: dict, tolerance_pp: float = 0.5, tolerance_ratio: float = 0.02) -> dict:
    """{threshold, ratio, gap_pp, met, in_band, status} for one target and its result (mention records)."""
    out = {"threshold": None, "ratio": None, "gap_pp": None, "met": None, "in_band": None, "status": None}
    if target["unit_canonical"] != result["unit_canonical"] or target["quantity_type"] != result["quantity_type"]:
        out["status"] = "unit_mismatch"
        return out
    value = result["value"]
    reduction = _is_reduction_rate(target)
    if reduction and result["direction"] == "up":
        value = -value  # the target wanted a fall of 3%; the result is a rise
    # a ceiling: at most / control, or a level to come down to (降至0.5%); a fall of at least X% is a floor
    downward = target["comparator"] == "at_most" or target["direction"] == "control" or (
        target["direction"] == "down" and not reduction)
    if target["comparator"] == "range":
        threshold = target["high"] if downward else target["low"]
    else:
        threshold = target["value"]
    out["threshold"] = threshold
    rate = target["dimension"] in ("percent", "points")
    if rate:
        out["gap_pp"] = round(value - threshold, 4)
    elif threshold:
        out["ratio"] = round(value / threshold, 4)
    slack = 0.0
    approximate = target["comparator"] == "about" or target.get("approximate")
    tolerance = tolerance_pp if rate else abs(threshold) * tolerance_ratio
    if approximate:
        slack = tolerance
    out["met"] = bool(value <= threshold + slack) if downward else bool(value >= threshold - slack)
    if approximate:
        out["in_band"] = bool(abs(value - target["value"]) <= tolerance + 1e-9)
    elif target["comparator"] == "range":
        out["in_band"] = bool(target["low"] <= value <= target["high"])
    out["status"] = "preliminary_figure" if result["preliminary"] else ("met" if out["met"] else "not_met")
    return out


def _link_row(kind: str, target: dict, result: dict, confidence: float, note: str, metric: str | None = None,
              **tolerances) -> dict:
    return {"link_type": kind, "place": result["place"], "metric_id": metric or target["metric_id"],
            "metric_raw": target["metric_raw"], "quantity_type": target["quantity_type"], "year": target["year"],
            "target_mention_id": target["mention_id"], "result_mention_id": result["mention_id"],
            "target_doc": target["doc"], "result_doc": result["doc"], "target_text": target["text"],
            "result_text": result["text"], "comparator": target["comparator"], "strength": target["strength"],
            "target_value": target["value"], "target_unit": target["unit_canonical"],
            "result_value": result["value"], "result_unit": result["unit_canonical"],
            **fulfilment(target, result, **tolerances), "confidence": round(confidence, 3), "note": note}


def within_report_links(records: list[dict], **tolerances) -> list[dict]:
    """task_completed ↔ the nearest earlier task_assigned of the same document and metric."""
    links = []
    for i, done in enumerate(records):
        if done["role"] != "task_completed":
            continue
        for task in reversed(records[:i]):
            if task["doc"] == done["doc"] and task["role"] == "task_assigned" \
                    and task["metric_raw"] == done["metric_raw"]:
                same_sentence = task["sentence_id"] == done["sentence_id"]
                links.append(_link_row("within_report", task, done, 1.0 if same_sentence else 0.8,
                                       "" if same_sentence else "task and completion in different sentences",
                                       **tolerances))
                break
    return links


def _series_key(record: dict) -> tuple:
    return (record["metric_id"], record["quantity_type"])


def metrics_of(record: dict) -> list[str]:
    """Every metric a mention stands for: its ``metric_ids`` (城乡居民收入均增长8%: urban and rural), else its id."""
    found = [m for m in (record.get("metric_ids") or "").split("|") if m]
    return found or ([record["metric_id"]] if record["metric_id"] else [])


# 由2010年的5.24亿元增加到2015年的15.07亿元: the year's figure as the end of a multi-year change, which a report
# also states on its own in the review of the year
_END_OF_CHANGE = re.compile(r"(?:由|从)\d{4}年")


def _pick(candidates: list[dict], target: dict) -> tuple[dict, float, str]:
    """The best result for a target: one that names only this metric first, then one stated on its own (not
    as the end of a multi-year change), then the same raw metric text, then a result (not a preliminary
    figure), then stated (not inherited), then first."""
    ranked = sorted(candidates, key=lambda r: (len(metrics_of(r)) > 1, bool(_END_OF_CHANGE.search(r["sentence"])),
                                               r["metric_raw"] != target["metric_raw"], r["role"] != "result",
                                               r["metric_inherited"]))
    best = ranked[0]
    confidence, notes = 1.0, []
    if best["metric_raw"] != target["metric_raw"]:
        confidence -= 0.1
        notes.append(f"metric written {target['metric_raw']} / {best['metric_raw']}")
    if len(candidates) > 1:
        confidence -= 0.2
        notes.append(f"{len(candidates)} results of this metric that year")
    return best, confidence, "; ".join(notes)


def cross_year_links(records: list[dict], documents: list, **tolerances) -> list[dict]:
    """Year Y's targets ↔ results for Y in the report that reviews Y, per place (see the module docstring).
    A target that stands for several metrics (城乡居民收入均增长8%) gets one link per metric. When the report
    reviewing Y gives the metric only in another type or unit (the target a growth rate, the result a level),
    the target is linked to it with status ``unit_mismatch`` (no ratio, no met) rather than left unlinked."""
    names = {d.doc: d.place for d in documents}
    links = []
    results = defaultdict(list)
    for r in records:
        if r["role"] in ("result", "preliminary_result") and r["year"] is not None:
            for metric in metrics_of(r):
                results[(place_key(r["place"]), r["year"], metric)].append(r)
    for t in records:
        if t["role"] != "target" or t["year"] is None:
            continue
        for metric in metrics_of(t):
            found = [r for r in results.get((place_key(t["place"]), t["year"], metric), []) if r["doc"] != t["doc"]]
            candidates = [r for r in found if r["quantity_type"] == t["quantity_type"]]
            mismatch = not candidates
            if mismatch:
                candidates = found
            if not candidates:
                continue
            result, confidence, note = _pick(candidates, t)
            if mismatch:
                confidence -= 0.3
                note = "; ".join(filter(None, [note, f"only a {result['quantity_type']} in {result['unit_canonical']}"
                                                     f" reported for a {t['quantity_type']} target"]))
            if names.get(t["doc"]) != names.get(result["doc"]):
                confidence -= 0.2
                note = "; ".join(filter(None, [note, f"place written {t['place']} / {result['place']}"]))
            links.append(_link_row("cross_year", t, result, max(confidence, 0.1), note, metric, **tolerances))
    return links


def _unit_mismatch_candidates(records: list[dict], target: dict) -> list[dict]:
    """Results for the same place, year and metric whose unit or type differs from the target's."""
    return [r for r in records if r["role"] in ("result", "preliminary_result") and r["metric_id"] == target["metric_id"]
            and r["year"] == target["year"] and place_key(r["place"]) == place_key(target["place"])
            and r["doc"] != target["doc"] and r["dimension"] == target["dimension"]]


def build_panel(records: list[dict], documents: list, links: list[dict], **tolerances) -> list[dict]:
    """Place × year × metric rows (metric = metric_id and quantity type) over every year of a place's series."""
    by_place: dict[str, list] = defaultdict(list)
    for d in documents:
        by_place[place_key(d.place)].append(d)
    cross = {(l["target_mention_id"], l["metric_id"]): l for l in links if l["link_type"] == "cross_year"}
    rows = []
    for key, docs in sorted(by_place.items()):
        planned = {y: d for d in docs for y in d.planned_years}
        reviewed = {y: d for d in docs for y in d.reviewed_years}
        years = sorted(set(planned) | set(reviewed))
        if not years:
            continue
        place_records = [{**r, "metric_id": m} for r in records if place_key(r["place"]) == key
                         for m in metrics_of(r)]  # a figure for urban and rural income counts for both
        series = sorted({_series_key(r) for r in place_records
                         if r["role"] in ("target", "result", "preliminary_result")})
        for metric, quantity_type in series:
            seen = [r["year"] for r in place_records if _series_key(r) == (metric, quantity_type)
                    and r["year"] is not None and r["role"] in ("target", "result", "preliminary_result")]
            if not seen:
                continue  # only multi-year figures (年均, 十四五): no year of the panel
            for year in range(min(seen), max(seen) + 1):  # a year inside the metric's span is never dropped
                targets = [r for r in place_records if r["role"] == "target" and r["year"] == year
                           and _series_key(r) == (metric, quantity_type)]
                found = [r for r in place_records if r["role"] in RESULT_ROLES and r["year"] == year
                         and _series_key(r) == (metric, quantity_type) and r["role"] != "task_completed"]
                target = targets[0] if targets else None
                row = {"place": docs[0].place, "place_key": key, "year": year, "metric_id": metric,
                       "quantity_type": quantity_type,
                       "target_doc": planned[year].doc if year in planned else None,
                       "result_doc": reviewed[year].doc if year in reviewed else None,
                       "target_value": None, "target_low": None, "target_high": None, "target_unit": None,
                       "comparator": None, "strength": None, "target_text": None, "target_mention_id": None,
                       "result_value": None, "result_unit": None, "result_text": None, "result_mention_id": None,
                       "preliminary": None, "ratio": None, "gap_pp": None, "met": None, "in_band": None, "status": None,
                       "confidence": None, "note": ""}
                if target:
                    row.update(target_value=target["value"], target_low=target["low"], target_high=target["high"],
                               target_unit=target["unit_canonical"], comparator=target["comparator"],
                               strength=target["strength"], target_text=target["text"],
                               target_mention_id=target["mention_id"])
                link = cross.get((target["mention_id"], metric)) if target else None
                result = None
                if link:
                    result = next(r for r in records if r["mention_id"] == link["result_mention_id"])
                elif found:
                    result = found[0]
                if result:
                    row.update(result_value=result["value"], result_unit=result["unit_canonical"],
                               result_text=result["text"], result_mention_id=result["mention_id"],
                               preliminary=result["preliminary"])
                if target and link:
                    row.update(ratio=link["ratio"], gap_pp=link["gap_pp"], met=link["met"], in_band=link["in_band"],
                               status=link["status"],
                               confidence=link["confidence"], note=link["note"])
                elif target:
                    mismatched = _unit_mismatch_candidates(records, target)
                    if mismatched:
                        m = mismatched[0]
                        row.update(status="unit_mismatch", result_value=m["value"], result_unit=m["unit_canonical"],
                                   result_text=m["text"], result_mention_id=m["mention_id"],
                                   note=f"target in {target['unit_canonical']}, result in {m['unit_canonical']}")
                    elif year in reviewed:
                        row.update(status="no_result_reported")
                    else:
                        row.update(status="year_missing", note=f"no report reviewing {year} in the series")
                elif result:
                    if year in planned:
                        row.update(status="target_not_stated")
                    else:
                        row.update(status="year_missing", note=f"no report planning {year} in the series")
                else:
                    missing = [what for what, have in (("planning", year in planned), ("reviewing", year in reviewed))
                               if not have]
                    if missing:
                        row.update(status="year_missing",
                                   note=f"no report {' or '.join(missing)} {year} in the series")
                    else:
                        continue  # neither a target nor a result for this metric in either report: not a row
                rows.append(row)
    return rows
