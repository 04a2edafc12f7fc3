"""Cleaning benchmark: the corpus stage against the hand-made reference (issue 14).

For each of the 40 reference documents (tests/data/cleaning_reference/, see
scripts/cleaning_reference.py) the report is read as found, cleaned and segmented, and every
output sentence is located in the reference to find what kind of line it came from.

Per format and per split (dev = looked at while writing the rules, heldout = not), it prints:
  chrome sentences   output sentences that come from chrome lines (share of all output sentences)
  chrome labelled    of those, how many `predict` gives a label (with --model)
  body kept          share of the reference's body characters found in the output text
  escapes            output sentences still holding \\r\\n-style escapes or HTML entities

    .venv/bin/python scripts/bench_cleaning.py [--model training/models/clause/model-best]
Writes corpus/bench_cleaning.json.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cleaning_reference import DOCUMENTS, REPORTS, load  # noqa: E402

from govreport.readers import Source, read_inputs  # noqa: E402
from govreport.normalise import normalise_source  # noqa: E402
from govreport.segment import segment  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ESCAPES = re.compile(r"\\r|\\n|\\t|&(?:[a-zA-Z]{2,8}|#\d+);")
FORMATS = {
    "hebei_repo": "crawler header .txt (hebei.gov.cn, ce.cn, hbrd)",
    "baoding_counties/zgxy": "中国县域 page .txt",
    "baoding_counties/mkdata": "马克数据网 page .txt (literal \\r\\n)",
    "provinces_2026": "CSV rows (provincial)",
    "national": "JSONL rows (national)",
    "hailar": "GB18030 .txt (clean)",
}


def format_of(rel: str) -> str:
    folder = rel.split("/")[0]
    if folder == "baoding_counties":
        raw = (REPORTS / rel).read_bytes()
        return "baoding_counties/mkdata" if b"\\r\\n" in raw else "baoding_counties/zgxy"
    return folder


def _key(text: str) -> str:
    """What both sides are compared on: no whitespace, dashes and entities folded."""
    text = re.sub(r"&nbsp;|&#160;", "", text).replace("\u2015", "\u2014")
    return re.sub(r"\s+", "", text)


def reference_index(rows: list[dict]) -> tuple[str, list[str]]:
    """The reference as one key string and the label of each of its characters."""
    chars, labels = [], []
    for row in rows:
        key = _key(row["text"])
        chars.append(key)
        labels += [row["label"]] * len(key)
    return "".join(chars), labels


def read_source(rel: str, row: int | None) -> Source:
    sources = [s for s in read_inputs([REPORTS / rel]) if isinstance(s, Source)]
    if row is None:
        return sources[0]
    return next(s for s in sources if s.row == row)


def locate(sentence: str, ref: str, labels: list[str], cursor: int) -> tuple[str, int]:
    """Label of the reference stretch a sentence came from (majority of its characters)."""
    key = _key(sentence)
    if not key:
        return "empty", cursor
    # The same words may stand twice (a teaser of the opening, a second copy of the page): take
    # the first place after the previous sentence that is not chrome, else the first place at all.
    places, at = [], ref.find(key, cursor)
    while at >= 0 and len(places) < 20:
        places.append(at)
        at = ref.find(key, at + 1)
    kept = [p for p in places if labels[p + len(key) // 2] != "chrome"]
    at = kept[0] if kept else (places[0] if places else ref.find(key))
    if at < 0:  # the cleaner changed the text (repairs, joins): match its two halves
        half = max(4, len(key) // 2)
        at = ref.find(key[:half], cursor)
        if at < 0:
            at = ref.find(key[-half:])
            at = at - (len(key) - half) if at >= 0 else -1
        if at < 0:
            return "unmatched", cursor
    at = max(0, at)
    span = labels[at : at + len(key)] or ["unmatched"]
    return max(set(span), key=span.count), at + len(key)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="pipeline to count chrome sentences that predict labels")
    parser.add_argument("--out", default=str(ROOT / "corpus" / "bench_cleaning.json"))
    args = parser.parse_args()
    nlp = thresholds = None
    if args.model:
        import spacy

        from govreport.predict import check_model, label_sentences
        nlp = spacy.load(args.model)
        thresholds = check_model(nlp)

    totals: dict[tuple[str, str], dict] = defaultdict(lambda: defaultdict(int))
    per_document = {}
    for name, (rel, row, split) in DOCUMENTS.items():
        ref, labels = reference_index(load(name))
        source = read_source(rel, row)
        result = normalise_source(source)
        documents = result.documents
        sentences = [s for d in documents for s in segment(d)]
        out_key = _key("\n".join(d.text for d in documents))
        counts = defaultdict(int)
        chrome_sentences = []
        cursor = 0
        for sentence in sentences:
            label, cursor = locate(sentence.text, ref, labels, cursor)
            counts[label] += 1
            if label == "chrome":
                chrome_sentences.append(sentence)
            if ESCAPES.search(sentence.text):
                counts["escapes"] += 1
        body_total = body_kept = 0
        for r in load(name):
            key = _key(r["text"])
            if r["label"] == "body" and key:
                body_total += len(key)
                body_kept += len(key) if key in out_key else 0
        labelled = 0
        if nlp is not None and chrome_sentences:
            rows = label_sentences(chrome_sentences, nlp, thresholds)
            labelled = sum(1 for r in rows if r["cats"])
        doc = {"format": format_of(rel), "split": split, "sentences": len(sentences),
               "chrome": counts["chrome"], "chrome_labelled": labelled if nlp is not None else None,
               "front": counts["front"], "notes": counts["notes"], "unmatched": counts["unmatched"],
               "escapes": counts["escapes"], "body_chars": body_total, "body_kept": body_kept,
               "chrome_examples": [s.text[:40] for s in chrome_sentences[:5]],
               "suspect": sorted({r for d in documents for r in d.suspect})}
        per_document[name] = doc
        for group in ((doc["format"], split), ("all", split)):
            t = totals[group]
            for k in ("sentences", "chrome", "front", "notes", "unmatched", "escapes", "body_chars", "body_kept"):
                t[k] += doc[k]
            t["chrome_labelled"] += labelled
            t["documents"] += 1

    header = (f"{'format':42} {'split':8} {'docs':>4} {'sentences':>9} {'chrome':>7} {'chrome %':>8} "
              f"{'labelled':>8} {'body kept %':>11} {'escapes':>7} {'unmatched':>9}")
    print(header)
    print("-" * len(header))
    table = []
    for (fmt, split), t in sorted(totals.items(), key=lambda kv: (kv[0][0] == "all", kv[0][0], kv[0][1])):
        chrome_share = t["chrome"] / t["sentences"] if t["sentences"] else 0.0
        kept = t["body_kept"] / t["body_chars"] if t["body_chars"] else 1.0
        row = {"format": fmt, "split": split, "documents": t["documents"], "sentences": t["sentences"],
               "chrome_sentences": t["chrome"], "chrome_share": round(chrome_share, 4),
               "chrome_labelled": t["chrome_labelled"] if nlp is not None else None,
               "body_kept": round(kept, 4), "escapes": t["escapes"], "unmatched": t["unmatched"]}
        table.append(row)
        labelled = str(t["chrome_labelled"]) if nlp is not None else "-"
        print(f"{FORMATS.get(fmt, fmt):42} {split:8} {t['documents']:>4} {t['sentences']:>9} {t['chrome']:>7} "
              f"{100 * chrome_share:>7.2f}% {labelled:>8} {100 * kept:>10.2f}% {t['escapes']:>7} {t['unmatched']:>9}")
    Path(args.out).write_text(json.dumps({"model": args.model, "table": table, "documents": per_document},
                                         ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"\nwritten to {args.out}; targets: chrome <= 0.5% of output, body kept >= 99.5%, 0 escapes")


if __name__ == "__main__":
    main()
