"""Annotation statistics and agreement between two sets of answers.

- ``label_counts``: per label, sentences and spans (overall, per document, per level);
- ``suggestion_changes``: how often the final answer differs from the suggestion, per label;
- ``agreement``: Cohen's kappa per category and span F1 between two answer sets for the
  same sentences (two annotators, or a first and an independent second pass).
"""

from __future__ import annotations

from collections import Counter, defaultdict

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


def agreement(first: list[dict], second: list[dict]) -> dict:
    """Cohen's kappa per category and span F1 (second pass scored against the first) on the
    sentences both sets answer."""
    by_id = {r["id"]: r for r in first}
    pairs = [(by_id[r["id"]], r) for r in second if r["id"] in by_id]
    if not pairs:
        raise ValueError("the two answer sets share no sentence id")
    out: dict = {"sentences": len(pairs), "documents": len({a["doc"] for a, _ in pairs}), "kappa": {}}
    for label in LABEL_NAMES:
        a = [int(label in x["cats"]) for x, _ in pairs]
        b = [int(label in y["cats"]) for _, y in pairs]
        agree = sum(1 for i, j in zip(a, b) if i == j) / len(pairs)
        # kappa is undefined when neither pass ever uses the label; report agreement then.
        kappa = float(cohen_kappa_score(a, b)) if len(set(a) | set(b)) > 1 else float("nan")
        out["kappa"][label] = {"kappa": kappa, "observed_agreement": agree, "first": sum(a), "second": sum(b)}
    out["spans"] = span_metrics([[tuple(s) for s in x["spans"]] for x, _ in pairs],
                                [[tuple(s) for s in y["spans"]] for _, y in pairs])
    out["exact_same_answer"] = sum(
        1 for x, y in pairs if set(x["cats"]) == set(y["cats"]) and sorted(map(tuple, x["spans"])) ==
        sorted(map(tuple, y["spans"]))) / len(pairs)
    out["disagreements"] = [
        {"id": x["id"], "text": x["text"], "first": {"cats": x["cats"], "spans": x["spans"]},
         "second": {"cats": y["cats"], "spans": y["spans"]}}
        for x, y in pairs if set(x["cats"]) != set(y["cats"])]
    return out


def coverage(rows: list[dict], sentence_ids: list[str]) -> dict:
    answered = Counter(r["id"] for r in rows)
    missing = [i for i in sentence_ids if i not in answered]
    return {"sentences": len(sentence_ids), "answered": len(sentence_ids) - len(missing), "missing": missing,
            "unknown_ids": sorted(set(answered) - set(sentence_ids))}
