"""Benchmark of `govreport targets` (issue 17) against the hand-coded gold in annotations/targets/.

The gold (docs/TARGET_GUIDELINES.md, annotations/targets/README.md): every quantity mention of six reports
(coder A, mentions/A/), a second coder on every third sentence of them (mentions/B/), and every headline
target of two series linked to its result in the next year's report (links/A/; links/B/ on two years of
each series). The reports are read from corpus/ as `govreport targets` reads them, and the tool runs through
the Python API the CLI calls (``govreport.corpus.process_files`` + ``govreport.targets.track_targets``):
each series as one batch (its cross-year links), the six mention reports as another.

Sentence labels (the tool's role evidence), ``--labels``:
  auto   (default; what a user holding gold labels does) a document whose every sentence has a row in
         annotations/gold.jsonl gets those rows, as `govreport targets --annotations`; every other
         document the model's predictions, as `govreport targets --model`
  model  the model everywhere
  none   no labels: roles from sections and cue words only (what --annotations gives a sentence without a row)
``--compare`` adds the headline figures under the other two choices.

Measured (tool against coder A):
  mentions   precision / recall / F1, a tool mention matching a gold mention of the same sentence when their
             offsets overlap (one-to-one, largest overlap first); exact-offset F1; on matched pairs the
             accuracy of value, unit_canonical, quantity_type, comparator
  roles      accuracy on matched mentions (tool `other` and `unknown` count as gold `other`, which is its own
             class; also coarse: target+task_assigned / the three result roles / other) and the confusion table
  links      the tool's cross_year links against links/A (match: same target and result sentence, both
             mention texts overlap); precision over the tool links whose target sentence holds a gold
             headline target (the gold judges only those: the rest are counted as out of scope);
             met / not met accuracy on matched links whose gold `met` is set; beside it the same with the
             tool's `in_band` for targets written with 左右 (the gold read 左右 as a band of 0.5 point either
             way; the tool's `met` reads it as a floor, or a ceiling for control targets, with that slack)
  headline   recall of the links' target and result mentions, and their coarse role accuracy (the only
             mention gold on the hailar series)
  agreement  coder A vs coder B on B's sample: mention F1 (overlap), Cohen's kappa of the roles of matched
             mentions, link F1 and met agreement; beside it the tool against A on the same sample
Every figure is given for the documents the tool was built on (the hailar series, used by
tests/test_targets.py) and for the rest ("never seen" when first measured; the tool was then improved on the
errors of all of them, so only the held-out gold of annotations/targets/README.md is unseen now). Issue targets: mention F1 >= 0.95,
role accuracy >= 0.90, link F1 >= 0.90. Every error is written out with its sentence and, for missed
mentions and links, the reason found.

Usage:
    .venv/bin/python scripts/bench_targets.py [--model training/models/clause/model-best]
        [--annotations annotations/gold.jsonl] [--gold annotations/targets] [--labels auto|model|none]
        [--compare] [--out training/bench_targets.json]
Writes training/bench_targets.json.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent

# where each gold document's report is (documents split out of a multi-report file keep the file's name)
SOURCES = {
    "003_cfee10404340668b-05": "corpus/raw/003_cfee10404340668b.txt",
    "002_64d07a0e13e76aaa": "corpus/raw/002_64d07a0e13e76aaa.txt",
    "yixian_2019": "corpus/reports/baoding_counties/yixian_2019.txt",
    "xushui_2019": "corpus/reports/baoding_counties/xushui_2019.txt",
    "baoding_2018": "corpus/reports/hebei_repo/baoding_2018.txt",
    "hebei_2013": "corpus/reports/hebei_repo/hebei_2013.txt",
    "hebei_2026-r001": "corpus/reports/provinces_2026/hebei_2026.csv",
    **{f"hailar_{y}": f"corpus/reports/hailar/hailar_{y}.txt" for y in range(2012, 2020)},
    **{f"hebei_{y}": f"corpus/reports/hebei_repo/hebei_{y}.txt" for y in range(2021, 2026)},
    # held-out gold, coded after the tool was improved on the first gold
    "yixian_2017": "corpus/reports/baoding_counties/yixian_2017.txt",
    "hebei_2017": "corpus/reports/hebei_repo/hebei_2017.txt",
    **{f"baoding_{y}": f"corpus/reports/hebei_repo/baoding_{y}.txt" for y in (2021, 2022, 2024, 2026)},
    **{f"baoding_{y}": f"corpus/raw/baoding_{y}.txt" for y in (2023, 2025)},
}
# Two gold sets (annotations/targets/README.md): `first`, on which the tool was then improved, and `heldout`,
# coded afterwards and used only to measure. Chosen with --set.
GOLD_SETS = {
    "first": {"mentions": ["002_64d07a0e13e76aaa", "003_cfee10404340668b-05", "baoding_2018", "hebei_2013",
                           "xushui_2019", "yixian_2019"],
              "series": {"hailar": [f"hailar_{y}" for y in range(2012, 2020)],
                         "hebei": [f"hebei_{y}" for y in range(2021, 2026)] + ["hebei_2026-r001"]},
              "built_on": [f"hailar_{y}" for y in range(2012, 2020)]},
    "heldout": {"mentions": ["baoding_2026", "hebei_2017", "yixian_2017"],
                "series": {"baoding": [f"baoding_{y}" for y in range(2021, 2027)]},
                "built_on": []},
}
SERIES = GOLD_SETS["first"]["series"]
BUILT_ON = set(GOLD_SETS["first"]["built_on"])  # the tool's tests use the hailar series; everything else is unseen
MENTION_DOCS = GOLD_SETS["first"]["mentions"]
ISSUE_TARGETS = {"mention_f1": 0.95, "role_accuracy": 0.90, "link_f1": 0.90}

GOLD_ROLES = ("target", "result", "preliminary_result", "task_assigned", "task_completed", "other")
COARSE = {"target": "target", "task_assigned": "target", "result": "result", "preliminary_result": "result",
          "task_completed": "result", "other": "other"}
FIELDS = ("value", "unit_canonical", "quantity_type", "comparator")


# --- matching and scoring (pure functions; tests/test_bench_targets.py) -------------------------------------

def locate(sentence: str, text: str, occurrence: int = 1) -> tuple[int, int] | None:
    """Offsets of the occurrence-th appearance of ``text`` in the sentence, every appearance counted as the
    coders count them ("5%" inside "6.5%" is one), or None when there are fewer."""
    at, seen = -1, 0
    while True:
        at = sentence.find(text, at + 1)
        if at < 0:
            return None
        seen += 1
        if seen == occurrence:
            return at, at + len(text)


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Characters two [start, end) spans share."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match_spans(gold: list[tuple[int, int]], pred: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """One-to-one (gold index, pred index) pairs of overlapping spans of one sentence, largest overlap first
    (ties: exact offsets, then the earlier spans)."""
    candidates = sorted(((overlap(g, p), g == p, -i, -j, i, j) for i, g in enumerate(gold)
                         for j, p in enumerate(pred) if overlap(g, p) > 0), reverse=True)
    used_g, used_p, pairs = set(), set(), []
    for *_, i, j in candidates:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((i, j))
    return sorted(pairs)


def prf(tp: int, n_pred: int, n_gold: int) -> dict:
    """Precision, recall, F1 (0 when undefined) with the counts they come from."""
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "pred": n_pred,
            "gold": n_gold}


def match_mentions(gold: list[dict], pred: list[dict]) -> tuple[list[tuple[dict, dict]], list[dict], list[dict]]:
    """(matched (gold, pred) pairs, missed gold, spurious pred) for mention dicts with ``sentence_id``,
    ``start``, ``end``: overlap within the same sentence, one-to-one."""
    by_sentence: dict[str, tuple[list, list]] = defaultdict(lambda: ([], []))
    for g in gold:
        by_sentence[g["sentence_id"]][0].append(g)
    for p in pred:
        by_sentence[p["sentence_id"]][1].append(p)
    pairs, missed, spurious = [], [], []
    for gs, ps in by_sentence.values():
        matched = match_spans([(g["start"], g["end"]) for g in gs], [(p["start"], p["end"]) for p in ps])
        pairs += [(gs[i], ps[j]) for i, j in matched]
        missed += [g for i, g in enumerate(gs) if i not in {i for i, _ in matched}]
        spurious += [p for j, p in enumerate(ps) if j not in {j for _, j in matched}]
    return pairs, missed, spurious


def mention_scores(gold: list[dict], pred: list[dict]) -> dict:
    """Overlap P/R/F1 and exact-offset P/R/F1 of predicted against gold mentions."""
    pairs, _, _ = match_mentions(gold, pred)
    exact = sum(1 for g, p in pairs if (g["start"], g["end"]) == (p["start"], p["end"]))
    return {"overlap": prf(len(pairs), len(pred), len(gold)), "exact": prf(exact, len(pred), len(gold))}


def tool_role(role: str) -> str:
    """The gold class of a tool role: the same name; `unknown` (no evidence either way) is `other`."""
    return "other" if role == "unknown" else role


def same_value(gold_value, gold_unit: str, value, unit: str) -> bool:
    """The tool's value equals the gold value, the tool's value first converted to the gold's unit when the
    coder kept a unit the tool converts (米 → 公里, 斤 → 吨)."""
    from govreport.targets.quantities import UNITS

    if gold_value is None or value is None:
        return gold_value is None and value is None
    if gold_unit != unit and gold_unit in UNITS and UNITS[gold_unit][0] == unit:
        value = value / UNITS[gold_unit][1]
    return math.isclose(float(gold_value), float(value), rel_tol=1e-6, abs_tol=1e-9)


def field_correct(gold: dict, pred: dict, field: str) -> bool:
    if field == "value":
        return same_value(gold["value"], gold["unit_canonical"], pred["value"], pred["unit_canonical"])
    return gold[field] == pred[field]


def kappa(a: list[str], b: list[str]) -> float | None:
    """Cohen's kappa of two label lists (sklearn); 1.0 when both use one and the same label throughout,
    None for no items."""
    from sklearn.metrics import cohen_kappa_score

    if not a:
        return None
    if len(set(a) | set(b)) == 1:
        return 1.0
    return round(float(cohen_kappa_score(a, b)), 4)


def accuracy(flags: list[bool]) -> float | None:
    return round(sum(flags) / len(flags), 4) if flags else None


def confusion(gold: list[str], pred: list[str]) -> dict[str, dict[str, int]]:
    """{gold label: {predicted label: count}}."""
    table: dict[str, Counter] = defaultdict(Counter)
    for g, p in zip(gold, pred):
        table[g][p] += 1
    return {g: dict(c) for g, c in sorted(table.items())}


def match_links(gold: list[dict], pred: list[dict]) -> tuple[list[tuple[dict, dict]], list[dict], list[dict]]:
    """(pairs, missed, spurious) for links with ``target_id``, ``target_span``, ``result_id``,
    ``result_span``: same target and result sentence, both spans overlapping; one-to-one, in order."""
    pairs, used = [], set()
    for g in gold:
        for j, p in enumerate(pred):
            if j in used or (g["target_id"], g["result_id"]) != (p["target_id"], p["result_id"]):
                continue
            if overlap(g["target_span"], p["target_span"]) and overlap(g["result_span"], p["result_span"]):
                pairs.append((g, p))
                used.add(j)
                break
    matched_gold = {id(g) for g, _ in pairs}
    return pairs, [g for g in gold if id(g) not in matched_gold], [p for j, p in enumerate(pred) if j not in used]


_COUNT_UNIT = "个项条件家所座处套台辆张只名位次"


def miss_kind(text: str) -> str:
    """Why a gold mention's text is one the tool's patterns cannot find (a diagnosis, not a rule)."""
    from govreport.targets.quantities import UNITS

    number = r"[\d.]+|[零〇一二两三四五六七八九十百千万亿]+"
    if re.search(r"[\d万千百十][多余]", text):
        return "多/余 between the number and its unit (80多万元, 2100余名)"
    if re.fullmatch(r"[百千万亿]+\D*", text):
        return "magnitude word without a digit (亿元以上项目, 百万, 千万元)"
    if re.fullmatch(r"[\d.]+(?:万|亿)?", text):
        return "number without a unit (43万, 26.2和17.5个百分点, 13.3:52.9)"
    if re.fullmatch(rf"[一二两三四五六七八九十]{{1,2}}[{_COUNT_UNIT}]\S*", text):
        return "count in Chinese numerals up to 10 (五个集中区, 两条班列: dropped as slogans)"
    unit = re.sub(rf"^(?:{number})+(?:[-~至到]+(?:{number})+)?", "", text)
    if unit and not any(unit.startswith(u) for u in UNITS):
        return f"unit not in the tool's lexicon ({unit})"
    return "other"


# --- reading the gold -----------------------------------------------------------------------------------------

def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def gold_mentions(rows: list[dict], sentences: dict[str, dict], coder: str) -> tuple[list[dict], list[str]]:
    """Coded mention rows with offsets (``sentence_id``, ``start``, ``end``); problems for rows whose text
    is not in the sentence."""
    out, problems = [], []
    for row in rows:
        if row.get("none"):
            continue
        sentence = sentences[row["id"]]
        span = locate(sentence["text"], row["text"], row.get("occurrence") or 1)
        if span is None:
            problems.append(f"{coder} {row['id']}: {row['text']!r} occurrence {row.get('occurrence')} not found")
            continue
        out.append({**row, "sentence_id": row["id"], "doc": sentence["doc"], "start": span[0], "end": span[1],
                    "sentence": sentence["text"]})
    return out, problems


def gold_links(rows: list[dict], sentences: dict[str, dict]) -> list[dict]:
    """Link rows with the target's and result's offsets (``target_span``, ``result_span``)."""
    out = []
    for row in rows:
        target = locate(sentences[row["target_id"]]["text"], row["target_text"], row["target_occurrence"] or 1)
        result = None
        if row["result_id"]:
            result = locate(sentences[row["result_id"]]["text"], row["result_text"], row["result_occurrence"] or 1)
        out.append({**row, "target_span": target, "result_span": result})
    return out


# --- running the tool -----------------------------------------------------------------------------------------

class Corpus:
    """The gold documents read once by the corpus stage, and the model's labels computed once."""

    def __init__(self, docs: list[str], annotations: Path, model: Path):
        from govreport.convert import read_annotations
        from govreport.corpus import process_files

        result = process_files(sorted({ROOT / SOURCES[d] for d in docs}))
        self.documents = {d.doc: d for d in result.documents if d.doc in docs}
        missing = set(docs) - set(self.documents)
        if missing:
            raise SystemExit(f"documents not produced by the corpus stage: {sorted(missing)}")
        self.docs, self.model = docs, model
        self.sentences = {d: result.sentences[d] for d in docs}
        gold = {r["id"]: r for r in read_annotations(annotations)}
        self.gold_docs = {d for d in docs if all(s.id in gold for s in self.sentences[d])}
        self.gold_rows = {s.id: {**s.to_dict(), "cats": gold[s.id]["cats"], "spans": gold[s.id]["spans"]}
                          for d in self.gold_docs for s in self.sentences[d]}
        self._model_rows: dict[str, dict] | None = None

    def model_rows(self) -> dict[str, dict]:
        if self._model_rows is None:
            import spacy

            from govreport.predict import check_model, label_sentences

            nlp = spacy.load(self.model)
            rows = label_sentences([s for d in self.docs for s in self.sentences[d]], nlp, check_model(nlp))
            self._model_rows = {r["id"]: r for r in rows}
        return self._model_rows

    def run(self, labels: str) -> dict:
        """Mention records and cross-year links; which labels each document got."""
        from govreport.targets import track_targets

        source = {d: ("gold" if labels == "auto" and d in self.gold_docs else "none" if labels == "none"
                      else "model") for d in self.docs}
        rows = {}
        for d in self.docs:
            for s in self.sentences[d]:
                rows[s.id] = (self.gold_rows[s.id] if source[d] == "gold" else self.model_rows()[s.id]
                              if source[d] == "model" else {**s.to_dict(), "cats": [], "spans": []})
        in_series = {d for s in SERIES.values() for d in s}
        records, links = [], []
        for batch in [*SERIES.values(), [d for d in self.docs if d not in in_series]]:
            batch = [d for d in batch if d in self.documents]
            r, l, _ = track_targets([self.documents[d] for d in batch],
                                    [rows[s.id] for d in batch for s in self.sentences[d]])
            records += r
            links += [x for x in l if x["link_type"] == "cross_year"]
        return {"records": records, "links": links, "source": source}


# --- the benchmark ----------------------------------------------------------------------------------------------

def _show(g: dict | None = None, p: dict | None = None) -> dict:
    item = {"sentence_id": (g or p)["sentence_id"]}
    if g:
        item["gold"] = {k: g[k] for k in ("text", "metric", "value", "unit_canonical", "quantity_type", "comparator",
                                         "role")}
    if p:
        item["tool"] = {k: p[k] for k in ("text", "metric_raw", "value", "unit_canonical", "quantity_type",
                                         "comparator", "role", "role_evidence")}
    item["sentence"] = (g or p)["sentence"]
    return item


def mention_block(gold: list[dict], pred: list[dict]) -> tuple[dict, dict]:
    """Figures and errors for gold mentions against the tool's mentions of the same sentences."""
    pairs, missed, spurious = match_mentions(gold, pred)
    scores = mention_scores(gold, pred)
    gold_roles = [g["role"] for g, _ in pairs]
    tool_roles = [tool_role(p["role"]) for _, p in pairs]
    figures = {"gold": len(gold), "tool": len(pred), "matched": len(pairs), "overlap": scores["overlap"],
               "exact": scores["exact"],
               "field_accuracy": {f: accuracy([field_correct(g, p, f) for g, p in pairs]) for f in FIELDS},
               "role_accuracy": accuracy([g == t for g, t in zip(gold_roles, tool_roles)]),
               "role_accuracy_coarse": accuracy([COARSE[g] == COARSE[t] for g, t in zip(gold_roles, tool_roles)]),
               "role_kappa": kappa(gold_roles, tool_roles), "role_confusion": confusion(gold_roles, tool_roles)}
    errors = {"missed": [{**_show(g=g), "kind": miss_kind(g["text"])} for g in missed],
              "spurious": [_show(p=p) for p in spurious],
              "offsets": [_show(g, p) for g, p in pairs if (g["start"], g["end"]) != (p["start"], p["end"])],
              **{f: [_show(g, p) for g, p in pairs if not field_correct(g, p, f)] for f in FIELDS},
              "role": [_show(g, p) for g, p in pairs if g["role"] != tool_role(p["role"])]}
    return figures, errors


def link_miss_reason(g: dict, records: list[dict]) -> str:
    """Why the tool has no link for a gold link: the first step of its chain that fails."""
    def find(sid, span):
        found = [r for r in records if r["sentence_id"] == sid and overlap((r["start"], r["end"]), span)]
        return found[0] if found else None

    t, r = find(g["target_id"], g["target_span"]), find(g["result_id"], g["result_span"])
    if t is None or r is None:
        return "mention not found"
    if t["role"] != "target":
        return f"target read as {t['role']} ({t['role_evidence']})"
    if r["role"] not in ("result", "preliminary_result"):
        return f"result read as {r['role']} ({r['role_evidence']})"
    if not t["metric_raw"] or not r["metric_raw"]:
        return "no metric phrase found (" + " / ".join(f"{x['text']} in {x['sentence'][:30]}" for x in (t, r)
                                                       if not x["metric_raw"]) + ")"
    if not t["metric_id"] or not r["metric_id"]:
        return "metric not in METRICS (" + " / ".join(x["metric_raw"] for x in (t, r) if not x["metric_id"]) + ")"
    if t["metric_id"] != r["metric_id"]:
        return f"metrics differ ({t['metric_id']} / {r['metric_id']})"
    if (t["quantity_type"], t["unit_canonical"]) != (r["quantity_type"], r["unit_canonical"]):
        return "target and result of different type or unit (gold links a rate to a level)"
    if t["year"] is None or r["year"] != t["year"]:
        return f"year: target {t['year']}, result {r['year']}"
    return "another result of the same metric and year picked"


def link_block(gold: list[dict], pred: list[dict], records: list[dict]) -> tuple[dict, dict]:
    """Link figures of the tool's links against gold link rows (a row without a result is no link, but a
    tool link from its target is judged, and wrong)."""
    gold_pos = [g for g in gold if g["result_id"]]
    target_sentences = {g["target_id"] for g in gold}
    judged = [p for p in pred if p["target_id"] in target_sentences]
    pairs, missed, spurious = match_links(gold_pos, judged)
    met = [(g["met"], p["met"]) for g, p in pairs if g["met"] is not None]
    # the gold read 左右 as a band (within 0.5 point either way); the tool's `met` reads it as a floor (or a
    # ceiling) with that slack and gives the band reading as `in_band`: compared here for approximate targets
    band = [(g["met"], p["in_band"] if p.get("in_band") is not None else p["met"]) for g, p in pairs
            if g["met"] is not None]
    figures = {"gold_links": len(gold_pos), "gold_targets": len(gold), "tool_links": len(pred),
               "tool_links_judged": len(judged), "tool_links_out_of_scope": len(pred) - len(judged),
               "scores": prf(len(pairs), len(judged), len(gold_pos)),
               "met_accuracy": accuracy([g == p for g, p in met]), "met_judged": len(met),
               "met_correct": sum(g == p for g, p in met),
               "met_band_accuracy": accuracy([g == p for g, p in band]), "met_band_correct": sum(g == p for g, p in band)}
    keep = ("year", "metric", "target_id", "target_text", "result_id", "result_text", "met", "note")
    errors = {"missed": [{**{k: g[k] for k in keep}, "reason": link_miss_reason(g, records)} for g in missed],
              "spurious": [{k: p[k] for k in ("year", "metric_raw", "target_id", "target_text", "result_id",
                                             "result_text", "met", "status", "note")} for p in spurious],
              "met": [{**{k: g[k] for k in keep}, "tool_met": p["met"], "tool_status": p["status"],
                       "tool_comparator": p["comparator"]} for g, p in pairs
                      if g["met"] is not None and g["met"] != p["met"]]}
    return figures, errors


def headline_block(links: list[dict], records: list[dict]) -> tuple[dict, list]:
    """Recall and coarse role accuracy of the tool on the mentions the link gold names (targets, results)."""
    seen, mentions = set(), []
    for g in links:
        for kind, sid, span in (("target", g["target_id"], g["target_span"]),
                                ("result", g["result_id"], g["result_span"])):
            if sid and span and (sid, span) not in seen:
                seen.add((sid, span))
                mentions.append({"sentence_id": sid, "start": span[0], "end": span[1], "role": kind})
    sids = {m["sentence_id"] for m in mentions}
    pairs, missed, _ = match_mentions(mentions, [r for r in records if r["sentence_id"] in sids])
    right = [g["role"] == COARSE[tool_role(p["role"])] for g, p in pairs]
    errors = [{"sentence_id": g["sentence_id"], "gold_role": g["role"], "tool_role": p["role"],
               "tool_text": p["text"], "role_evidence": p["role_evidence"], "section": p["section"]}
              for (g, p), ok in zip(pairs, right) if not ok]
    errors += [{"sentence_id": g["sentence_id"], "gold_role": g["role"], "missed": True,
                "span": [g["start"], g["end"]]} for g in missed]
    return {"mentions": len(mentions), "found": len(pairs), "roles_right": sum(right),
            "recall": accuracy([True] * len(pairs) + [False] * len(missed)),
            "role_accuracy_coarse": accuracy(right)}, errors


def agreement(a: list[dict], b: list[dict], links_a: list[dict], links_b: list[dict]) -> dict:
    """Coder A against coder B on B's sample (B taken as the prediction; F1 and kappa are symmetric)."""
    pairs, _, _ = match_mentions(a, b)
    ra, rb = [x["role"] for x, _ in pairs], [y["role"] for _, y in pairs]
    years = {(r["series"], r["year"]) for r in links_b}
    la = [r for r in links_a if (r["series"], r["year"]) in years]
    pa, pb = [r for r in la if r["result_id"]], [r for r in links_b if r["result_id"]]
    lpairs, _, _ = match_links(pa, pb)
    met = [(x["met"], y["met"]) for x, y in lpairs if x["met"] is not None or y["met"] is not None]

    def targets(rows):
        return [{"sentence_id": r["target_id"], "start": r["target_span"][0], "end": r["target_span"][1]}
                for r in rows]

    return {"mentions": mention_scores(a, b), "roles_matched": len(pairs),
            "role_accuracy": accuracy([x == y for x, y in zip(ra, rb)]), "role_kappa": kappa(ra, rb),
            "role_confusion": confusion(ra, rb),
            "field_accuracy": {f: accuracy([field_correct(x, y, f) for x, y in pairs]) for f in FIELDS},
            "link_years": sorted(f"{s} {y}" for s, y in years),
            "headline_targets": mention_scores(targets(la), targets(links_b))["overlap"],
            "links": prf(len(lpairs), len(pb), len(pa)),
            "met_agreement": accuracy([x == y for x, y in met]), "met_compared": len(met)}


class Gold:
    """Everything under annotations/targets/, with offsets."""

    def __init__(self, root: Path):
        self.mention_docs = sorted(MENTION_DOCS)
        self.docs = sorted(set(self.mention_docs) | {d for s in SERIES.values() for d in s})
        # only the inputs of the documents measured: input/ also holds reports coded for later measurements
        self.sentences = {row["id"]: row for doc in self.docs for row in read_jsonl(root / "input" / f"{doc}.jsonl")}
        self.sample_ids = {row["id"] for doc in self.mention_docs if (root / "input_sample" / f"{doc}.jsonl").exists()
                           for row in read_jsonl(root / "input_sample" / f"{doc}.jsonl")}
        def coded(coder: str, name: str) -> list[dict]:
            path = root / name.split("/")[0] / coder / f"{name.split('/')[1]}.jsonl"
            return read_jsonl(path) if path.exists() else []  # a second coder covers only some

        self.mentions_a, problems_a = gold_mentions(
            [r for doc in self.mention_docs for r in coded("A", f"mentions/{doc}")], self.sentences, "A")
        self.mentions_b, problems_b = gold_mentions(
            [r for doc in self.mention_docs for r in coded("B", f"mentions/{doc}")], self.sentences, "B")
        self.links_a = {s: gold_links(coded("A", f"links/{s}"), self.sentences) for s in SERIES}
        self.links_b = {s: gold_links(coded("B", f"links/{s}"), self.sentences) for s in SERIES}
        self.problems = problems_a + problems_b + [
            f"link {s} {r['year']} {r['metric']}: text not found" for s in SERIES
            for r in self.links_a[s] + self.links_b[s]
            if r["target_span"] is None or (r["result_id"] and r["result_span"] is None)]


def evaluate(gold: Gold, tool: dict) -> dict:
    """Every figure and error of one tool run."""
    records = tool["records"]
    by_id = {r["mention_id"]: r for r in records}
    mention_sids = {sid for sid, s in gold.sentences.items() if s["doc"] in gold.mention_docs}
    pred = [r for r in records if r["sentence_id"] in mention_sids]
    mentions, mention_errors = mention_block(gold.mentions_a, pred)
    per_doc = {}
    for doc in gold.mention_docs:
        f, _ = mention_block([m for m in gold.mentions_a if m["doc"] == doc], [r for r in pred if r["doc"] == doc])
        per_doc[doc] = {"labels": tool["source"][doc], "gold": f["gold"], "tool": f["tool"],
                        "precision": f["overlap"]["precision"], "recall": f["overlap"]["recall"],
                        "f1": f["overlap"]["f1"], "exact_f1": f["exact"]["f1"], "role_accuracy": f["role_accuracy"]}
    links = []
    for link in tool["links"]:
        t, r = by_id[link["target_mention_id"]], by_id[link["result_mention_id"]]
        links.append({**link, "target_id": t["sentence_id"], "target_span": (t["start"], t["end"]),
                      "result_id": r["sentence_id"], "result_span": (r["start"], r["end"])})
    link_figs, link_errs, head_figs, head_errs = {}, {}, {}, {}
    for s, docs in SERIES.items():
        in_series = [r for r in records if r["doc"] in docs]
        link_figs[s], link_errs[s] = link_block(gold.links_a[s], [l for l in links if l["target_doc"] in docs],
                                                in_series)
        head_figs[s], head_errs[s] = headline_block(gold.links_a[s], in_series)

    a_sample = [m for m in gold.mentions_a if m["sentence_id"] in gold.sample_ids]
    agree = agreement(a_sample, gold.mentions_b, [r for s in SERIES for r in gold.links_a[s]],
                      [r for s in SERIES for r in gold.links_b[s]])
    on_sample, _ = mention_block(a_sample, [r for r in pred if r["sentence_id"] in gold.sample_ids])
    b_years = {(r["series"], r["year"]) for s in SERIES for r in gold.links_b[s]}
    series_of = {d: s for s, docs in SERIES.items() for d in docs}
    sample_links, _ = link_block([r for s in SERIES for r in gold.links_a[s] if (r["series"], r["year"]) in b_years],
                                 [l for l in links if (series_of[l["target_doc"]], l["year"]) in b_years], records)

    def split(series: list[str], with_mentions: bool) -> dict:
        """The issue's figures and their companions over some series (and the mention gold, all unseen)."""
        lk = prf(*(sum(link_figs[s]["scores"][k] for s in series) for k in ("tp", "pred", "gold")))
        met_n = sum(link_figs[s]["met_judged"] for s in series)
        found = sum(head_figs[s]["found"] for s in series)
        total = sum(head_figs[s]["mentions"] for s in series)
        m = mentions if with_mentions else None
        return {"mention_precision": m and m["overlap"]["precision"], "mention_recall": m and m["overlap"]["recall"],
                "mention_f1": m and m["overlap"]["f1"], "mention_exact_f1": m and m["exact"]["f1"],
                "role_accuracy": m and m["role_accuracy"], "role_accuracy_coarse": m and m["role_accuracy_coarse"],
                "link_precision": lk["precision"], "link_recall": lk["recall"], "link_f1": lk["f1"],
                "met_accuracy": accuracy([True] * sum(link_figs[s]["met_correct"] for s in series)
                                         + [False] * (met_n - sum(link_figs[s]["met_correct"] for s in series))),
                "met_band_accuracy": accuracy([True] * sum(link_figs[s]["met_band_correct"] for s in series)
                                              + [False] * (met_n - sum(link_figs[s]["met_band_correct"]
                                                                       for s in series))),
                "headline_recall": round(found / total, 4) if total else None,
                "headline_role_accuracy": accuracy([True] * sum(head_figs[s]["roles_right"] for s in series)
                                                   + [False] * (found - sum(head_figs[s]["roles_right"]
                                                                            for s in series)))}

    built = [s for s in SERIES if set(SERIES[s]) <= BUILT_ON]
    figures = {"built_on": split(built, False) if built else None,
               "never_seen": split([s for s in SERIES if s not in built], True), "all": split(list(SERIES), True)}
    return {"figures": figures, "label_source": tool["source"],
            "mentions": {**mentions, "per_document": per_doc}, "links": link_figs, "headline_mentions": head_figs,
            "agreement": {"coders": agree, "tool_vs_A_on_sample": {
                "mentions": {k: on_sample[k] for k in ("overlap", "exact", "role_accuracy", "role_kappa",
                                                       "field_accuracy")},
                "links": sample_links}},
            "errors": {"mentions": mention_errors, "links": link_errs, "headline_mentions": head_errs}}


# --- printing -----------------------------------------------------------------------------------------------------

NAMES = {"mention_precision": "mention precision (overlap)", "mention_recall": "mention recall (overlap)",
         "mention_f1": "mention F1 (overlap)", "mention_exact_f1": "mention F1 (exact offsets)",
         "role_accuracy": "role accuracy (6 classes)", "role_accuracy_coarse": "role accuracy (target/result/other)",
         "link_precision": "link precision", "link_recall": "link recall", "link_f1": "link F1",
         "met_accuracy": "met / not met accuracy",
         "met_band_accuracy": "met accuracy, 左右 as a band (tool in_band)", "headline_recall": "headline mentions found",
         "headline_role_accuracy": "headline mention roles (target/result)"}


def pct(x) -> str:
    return "-" if x is None else f"{100 * x:.1f}"


def print_report(console: Console, report: dict, examples: int) -> None:
    figures = report["figures"]
    t = Table(title="govreport targets against the hand-coded gold (coder A); % "
                    "(mention gold exists only for never-seen reports)")
    t.add_column("figure")
    for col in ("built on (hailar)", "never seen", "all", "issue target"):
        t.add_column(col, justify="right")
    for key, name in NAMES.items():
        target, value = ISSUE_TARGETS.get(key), figures["all"][key]
        mark = "" if target is None else (" [green]reached[/]" if value is not None and value >= target
                                          else " [red]not reached[/]")
        t.add_row(name, *(pct(figures[k][key] if figures[k] else None) for k in ("built_on", "never_seen", "all")),
                  f"≥ {100 * target:.0f}{mark}" if target else "")
    console.print(t)

    m = report["mentions"]
    t = Table(title=f"Mentions per document (never seen): {m['gold']} gold, {m['tool']} tool, {m['matched']} matched")
    for col in ("document", "labels", "gold", "tool", "precision", "recall", "F1", "exact F1", "role acc"):
        t.add_column(col, justify="left" if col in ("document", "labels") else "right")
    for doc, f in m["per_document"].items():
        t.add_row(doc, f["labels"], str(f["gold"]), str(f["tool"]), pct(f["precision"]), pct(f["recall"]),
                  pct(f["f1"]), pct(f["exact_f1"]), pct(f["role_accuracy"]))
    o = m["overlap"]
    t.add_row("all", "", str(o["gold"]), str(o["pred"]), pct(o["precision"]), pct(o["recall"]), pct(o["f1"]),
              pct(m["exact"]["f1"]), pct(m["role_accuracy"]))
    console.print(t)
    t = Table(title="Matched mentions: fields equal to the gold (value compared in the coder's unit)")
    for f in FIELDS:
        t.add_column(f, justify="right")
    t.add_row(*(pct(m["field_accuracy"][f]) for f in FIELDS))
    console.print(t)

    t = Table(title=f"Roles of matched mentions: gold (rows) × tool (columns; unknown counted as other); "
                    f"kappa {m['role_kappa']}")
    cols = [r for r in GOLD_ROLES if any(r in row for row in m["role_confusion"].values())]
    t.add_column("gold \\ tool")
    for c in cols:
        t.add_column(c, justify="right")
    for g, row in m["role_confusion"].items():
        t.add_row(g, *(str(row.get(c, 0)) for c in cols))
    console.print(t)

    t = Table(title="Cross-year links against links/A "
                    "(precision over the tool links from gold headline-target sentences)")
    for col in ("series", "gold links", "gold targets", "tool links", "judged", "precision", "recall", "F1",
                "met acc (n)", "headline found", "headline roles"):
        t.add_column(col, justify="left" if col == "series" else "right")
    for s in SERIES:
        f, h = report["links"][s], report["headline_mentions"][s]
        t.add_row(s + (" (built on)" if set(SERIES[s]) <= BUILT_ON else " (never seen)"), str(f["gold_links"]),
                  str(f["gold_targets"]), str(f["tool_links"]), str(f["tool_links_judged"]),
                  pct(f["scores"]["precision"]), pct(f["scores"]["recall"]), pct(f["scores"]["f1"]),
                  f"{pct(f['met_accuracy'])} ({f['met_judged']})", f"{h['found']}/{h['mentions']}",
                  pct(h["role_accuracy_coarse"]))
    console.print(t)

    a, ts = report["agreement"]["coders"], report["agreement"]["tool_vs_A_on_sample"]
    t = Table(title=f"Agreement on the second coder's sample ({report['sample_sentences']} sentences; links: "
                    f"{', '.join(a['link_years'])})")
    for col in ("pair", "mention F1", "exact F1", "role acc", "role kappa", "value acc", "link F1",
                "met agreement (n)"):
        t.add_column(col, justify="left" if col == "pair" else "right")
    t.add_row("coder A vs coder B", pct(a["mentions"]["overlap"]["f1"]), pct(a["mentions"]["exact"]["f1"]),
              pct(a["role_accuracy"]), str(a["role_kappa"]), pct(a["field_accuracy"]["value"]),
              pct(a["links"]["f1"]), f"{pct(a['met_agreement'])} ({a['met_compared']})")
    tm, tl = ts["mentions"], ts["links"]
    t.add_row("tool vs coder A", pct(tm["overlap"]["f1"]), pct(tm["exact"]["f1"]), pct(tm["role_accuracy"]),
              str(tm["role_kappa"]), pct(tm["field_accuracy"]["value"]), pct(tl["scores"]["f1"]),
              f"{pct(tl['met_accuracy'])} ({tl['met_judged']})")
    console.print(t)

    if report.get("compare"):
        t = Table(title="The same figures with other sentence labels")
        t.add_column("labels")
        for key in ("mention_f1", "role_accuracy", "role_accuracy_coarse", "link_f1", "met_accuracy",
                    "headline_role_accuracy"):
            t.add_column(NAMES[key], justify="right")
        for name, figs in [(report["labels"] + " (above)", figures), *report["compare"].items()]:
            t.add_row(name, *(pct(figs["all"][k]) for k in ("mention_f1", "role_accuracy", "role_accuracy_coarse",
                                                           "link_f1", "met_accuracy", "headline_role_accuracy")))
        console.print(t)

    errors = report["errors"]
    t = Table(title="Tool errors by kind (mentions against coder A, links against links/A)")
    t.add_column("kind")
    t.add_column("n", justify="right")
    t.add_column("examples")
    kinds = Counter(e["kind"] for e in errors["mentions"]["missed"])
    for kind, n in kinds.most_common():
        items = [e for e in errors["mentions"]["missed"] if e["kind"] == kind]
        t.add_row(f"mention missed: {kind}", str(n), "; ".join(e["gold"]["text"] for e in items[:examples]))
    t.add_row("mention spurious", str(len(errors["mentions"]["spurious"])),
              "; ".join(e["tool"]["text"] for e in errors["mentions"]["spurious"][:examples]))
    for field in ("offsets", *FIELDS):
        items = errors["mentions"][field]
        key = "text" if field == "offsets" else field
        t.add_row(f"mention {field}", str(len(items)), "; ".join(
            f"{e['gold']['text']} {e['gold'][key]}→{e['tool'][key]}" for e in items[:examples]))
    roles = Counter((e["gold"]["role"], e["tool"]["role"], e["tool"]["role_evidence"])
                    for e in errors["mentions"]["role"])
    for (g, p, ev), n in roles.most_common():
        items = [e for e in errors["mentions"]["role"] if (e["gold"]["role"], e["tool"]["role"],
                                                            e["tool"]["role_evidence"]) == (g, p, ev)]
        t.add_row(f"role {g} → {p} ({ev})", str(n), "; ".join(e["gold"]["text"] for e in items[:examples]))
    for s in SERIES:
        reasons = Counter(re.sub(r" \(.*", "", e["reason"]) for e in errors["links"][s]["missed"])
        for reason, n in reasons.most_common():
            items = [e for e in errors["links"][s]["missed"] if e["reason"].startswith(reason)]
            t.add_row(f"link missed ({s}): {reason}", str(n), "; ".join(
                f"{e['year']} {e['metric']} {e['target_text']}→{e['result_text']}" for e in items[:examples]))
        items = errors["links"][s]["spurious"]
        t.add_row(f"link spurious ({s})", str(len(items)), "; ".join(
            f"{e['year']} {e['metric_raw']} {e['target_text']}→{e['result_text']}" for e in items[:examples]))
        items = errors["links"][s]["met"]
        t.add_row(f"link met wrong ({s})", str(len(items)), "; ".join(
            f"{e['year']} {e['metric']} {e['target_text']}→{e['result_text']} gold {e['met']}"
            for e in items[:examples]))
    console.print(t)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=Path("training/models/clause/model-best"))
    parser.add_argument("--annotations", type=Path, default=Path("annotations/gold.jsonl"),
                        help="gold sentence labels, used (--labels auto) for the documents they cover entirely")
    parser.add_argument("--gold", type=Path, default=Path("annotations/targets"))
    parser.add_argument("--labels", choices=("auto", "model", "none"), default="auto")
    parser.add_argument("--compare", action="store_true", help="also give the figures under the other label choices")
    parser.add_argument("--set", dest="gold_set", choices=sorted(GOLD_SETS), default="first",
                        help="first: the gold the tool was improved on; heldout: coded afterwards, only measured")
    parser.add_argument("--out", type=Path, help="default training/bench_targets.json (first), "
                                                   "training/bench_targets_heldout.json (heldout)")
    parser.add_argument("--examples", type=int, default=3, help="examples printed per error kind")
    args = parser.parse_args()
    global SERIES, BUILT_ON, MENTION_DOCS
    chosen = GOLD_SETS[args.gold_set]
    SERIES, BUILT_ON, MENTION_DOCS = chosen["series"], set(chosen["built_on"]), chosen["mentions"]
    args.out = args.out or Path("training/bench_targets.json" if args.gold_set == "first"
                                else f"training/bench_targets_{args.gold_set}.json")
    started = time.perf_counter()
    console = Console(width=180)

    gold = Gold(args.gold)
    corpus = Corpus(gold.docs, args.annotations, args.model)
    changed = [sid for sid, s in gold.sentences.items()
               if s["text"] != next((x.text for x in corpus.sentences[s["doc"]] if x.id == sid), None)]
    if changed:
        raise SystemExit(f"{len(changed)} gold sentences differ from the corpus stage's, e.g. {changed[:3]}")
    report = evaluate(gold, corpus.run(args.labels))
    compare = {}
    if args.compare:
        for labels in ("auto", "model", "none"):
            if labels != args.labels:
                compare[labels] = evaluate(gold, corpus.run(labels))["figures"]
    seconds = round(time.perf_counter() - started, 1)
    source = report["label_source"]
    how = {"auto": f"gold sentence labels from {args.annotations} (as --annotations) for "
                   f"{', '.join(d for d in gold.docs if source[d] == 'gold')}, whose every sentence has a gold row; "
                   f"the model {args.model} (as --model) for the other {sum(v == 'model' for v in source.values())}",
           "model": f"the model {args.model} (as --model) for every document",
           "none": "no sentence labels: roles from sections and cue words only"}[args.labels]
    meta = {}
    if any(v == "model" for v in source.values()) or args.compare:
        meta_path = args.model / "meta.json"
        if meta_path.exists():
            m = json.loads(meta_path.read_text(encoding="utf-8"))
            meta = {"name": m.get("name"), "version": m.get("version")}
    report = {"command": " ".join(["python scripts/bench_targets.py", *sys.argv[1:]]), "seconds": seconds,
              "gold_set": args.gold_set,
              "labels": args.labels, "labels_used": how, "model": str(args.model), "model_meta": meta,
              "annotations": str(args.annotations), "documents": gold.docs, "built_on": sorted(BUILT_ON),
              "issue_targets": ISSUE_TARGETS, "sample_sentences": len(gold.sample_ids),
              "gold_problems": gold.problems, **report, "compare": compare}
    console.print(f"[bold]govreport targets[/] on {len(gold.docs)} gold reports; sentence labels: {how}.")
    if gold.problems:
        console.print(f"[yellow]gold rows not located ({len(gold.problems)}):[/] " + "; ".join(gold.problems[:5]))
    print_report(console, report, args.examples)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    console.print(f"written to {args.out} in {seconds} s")


if __name__ == "__main__":
    main()
