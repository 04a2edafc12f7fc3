"""Annotation statistics and agreement between two sets of answers.

- ``label_counts``: per label, sentences and spans (overall, per document, per level);
- ``suggestion_changes``: how often the final answer differs from the suggestion, per label;
- ``annotator_agreement``: agreement between annotators (or a first and an independent second
  pass): Cohen's kappa per category for two, Fleiss' kappa for more, and span F1, overall and per
  document.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from itertools import combinations

from sklearn.metrics import cohen_kappa_score

from .evaluate import span_metrics
from .labels import LABEL_NAMES


def label_counts(rows: list[dict], key=lambda row: "all") -> dict[str, dict]:
    """{group: {"sentences", "unlabelled", LABEL: {"sentences", "spans"}}}."""
    groups: dict[str, dict] = defaultdict(lambda: {"sentences": 0, "unlabelled": 0,
                                                   **{label: {"sentences": 0, "spans": 0} for label in LABEL_NAMES}})
    for row in rows:
        group = groups[key(row)]
        group["sentences"] += 1
        group["unlabelled"] += not row["cats"]
        for label in set(row["cats"]):
            group[label]["sentences"] += 1
        for _, _, label in row["spans"]:
            group[label]["spans"] += 1
    return dict(groups)


def suggestion_changes(rows: list[dict]) -> dict[str, dict]:
    """Per label: in how many sentences the final category differs from the suggested one
    (added or removed), and how many suggested spans were not kept exactly / gold spans not suggested."""
    out = {}
    with_suggestion = [r for r in rows if r.get("suggested") is not None]
    for label in LABEL_NAMES:
        added = sum(1 for r in with_suggestion if label in r["cats"] and label not in r["suggested"]["cats"])
        removed = sum(1 for r in with_suggestion if label not in r["cats"] and label in r["suggested"]["cats"])
        suggested_spans = [(r["id"], tuple(s)) for r in with_suggestion for s in r["suggested"]["spans"] if s[2] == label]
        final_spans = {(r["id"], tuple(s)) for r in with_suggestion for s in r["spans"] if s[2] == label}
        kept = sum(1 for s in suggested_spans if s in final_spans)
        out[label] = {
            "sentences": len(with_suggestion),
            "category_added": added,
            "category_removed": removed,
            "category_changed_rate": (added + removed) / len(with_suggestion) if with_suggestion else 0.0,
            "spans_suggested": len(suggested_spans),
            "spans_kept": kept,
            "spans_final": len(final_spans),
            "span_changed_rate": 1 - (2 * kept / (len(suggested_spans) + len(final_spans)))
            if suggested_spans or final_spans else 0.0,
        }
    changed = sum(1 for r in with_suggestion if set(r["cats"]) != set(r["suggested"]["cats"]))
    out["any"] = {"sentences": len(with_suggestion), "category_changed": changed,
                  "category_changed_rate": changed / len(with_suggestion) if with_suggestion else 0.0}
    return out


def corrections_by_annotator(rows: list[dict]) -> dict[str, dict]:
    """suggestion_changes for each annotator's rows that carry a suggestion, plus where the
    suggestions came from (``suggested.source``: a model name, or the cue-word rule). A gold file
    (one row per sentence, whoever decided it) is one group, "gold"."""
    one_per_sentence = len({row["id"] for row in rows}) == len(rows)
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        if row.get("suggested") is not None:
            groups["gold" if one_per_sentence and row.get("resolution") else row.get("annotator") or "?"].append(row)
    return {name: {**suggestion_changes(group),
                   "sources": dict(Counter(r["suggested"].get("source", "rules") for r in group))}
            for name, group in sorted(groups.items())}


def coverage(rows: list[dict], sentence_ids: list[str]) -> dict:
    answered = Counter(r["id"] for r in rows)
    missing = [i for i in sentence_ids if i not in answered]
    return {"sentences": len(sentence_ids), "answered": len(sentence_ids) - len(missing), "missing": missing,
            "unknown_ids": sorted(set(answered) - set(sentence_ids))}


def fleiss_kappa(ratings: list[list[int]]) -> float:
    """Fleiss' kappa for yes/no ratings: one list per item, one 0/1 per rater (same raters for all items).
    NaN when chance agreement is total (every rater says the same for every item)."""
    raters = len(ratings[0])
    yes = [sum(item) for item in ratings]
    per_item = [(y * y + (raters - y) ** 2 - raters) / (raters * (raters - 1)) for y in yes]
    observed = sum(per_item) / len(ratings)
    p_yes = sum(yes) / (len(ratings) * raters)
    expected = p_yes ** 2 + (1 - p_yes) ** 2
    return float("nan") if expected == 1 else (observed - expected) / (1 - expected)


def _kappa(ratings: list[list[int]]) -> float | None:
    """Cohen's kappa for two raters, Fleiss' for more; None when undefined (the label is never or always used)."""
    if len({value for item in ratings for value in item}) < 2:
        return None
    if len(ratings[0]) == 2:
        value = float(cohen_kappa_score([a for a, _ in ratings], [b for _, b in ratings]))
    else:
        value = fleiss_kappa(ratings)
    return None if math.isnan(value) else value


def _agreement_block(answers: list[list[dict]], annotators: list[str]) -> dict:
    """answers: per item, one row per annotator (in the order of ``annotators``)."""
    block: dict = {"sentences": len(answers), "kappa": {}}
    for label in LABEL_NAMES:
        ratings = [[int(label in row["cats"]) for row in item] for item in answers]
        block["kappa"][label] = {
            "kappa": _kappa(ratings),
            "observed_agreement": sum(1 for item in ratings if len(set(item)) == 1) / len(ratings),
            "per_annotator": {name: sum(item[i] for item in ratings) for i, name in enumerate(annotators)},
        }
    # Span F1 between each pair (the second scored against the first), averaged over pairs.
    pairs = list(combinations(range(len(annotators)), 2))
    f = {"exact": 0.0, "overlap": 0.0}
    for i, j in pairs:
        m = span_metrics([[tuple(s) for s in item[i]["spans"]] for item in answers],
                         [[tuple(s) for s in item[j]["spans"]] for item in answers])
        for kind in f:
            f[kind] += m[kind]["f"] / len(pairs)
    block["span_f1"] = f
    block["identical_answers"] = sum(
        1 for item in answers if len({(frozenset(r["cats"]), frozenset(map(tuple, r["spans"]))) for r in item}) == 1
    ) / len(answers)
    return block


def annotator_agreement(rows: list[dict], annotators: list[str] | None = None) -> dict:
    """Agreement between the annotators of ``rows`` (annotation rows with an ``annotator``) on the
    sentences every one of them answered: overall and per document. Sentences answered by only
    some annotators are counted, not compared."""
    by_annotator: dict[str, dict[str, dict]] = defaultdict(dict)
    for row in rows:
        by_annotator[row.get("annotator") or "?"][row["id"]] = row
    names = sorted(by_annotator) if annotators is None else list(annotators)
    missing = [name for name in names if name not in by_annotator]
    if missing:
        raise ValueError(f"no rows by annotator {', '.join(missing)} (annotators present: "
                         f"{', '.join(sorted(by_annotator))})")
    if len(names) < 2:
        raise ValueError(f"agreement needs at least two annotators; the rows have {', '.join(names) or 'none'}")
    all_ids = set().union(*(by_annotator[name] for name in names))
    shared = [i for i in sorted(all_ids) if all(i in by_annotator[name] for name in names)]
    if not shared:
        raise ValueError(f"annotators {', '.join(names)} share no answered sentence")
    items = [[by_annotator[name][i] for name in names] for i in shared]
    per_doc: dict[str, list] = defaultdict(list)
    for item in items:
        per_doc[item[0]["doc"]].append(item)
    return {
        "annotators": names,
        "measure": "Cohen's kappa" if len(names) == 2 else "Fleiss' kappa",
        "compared": len(shared),
        "not_compared": len(all_ids) - len(shared),
        "overall": _agreement_block(items, names),
        "per_document": {doc: _agreement_block(doc_items, names) for doc, doc_items in sorted(per_doc.items())},
    }
