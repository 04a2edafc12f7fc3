"""Stage 3a: gold annotations -> spaCy DocBin files, split by document.

A document is wholly in train, dev or test (sentences of one report are too alike
to be split apart). The split is written to a JSON file and reused, so the same
command gives the same split. Every span is checked against the tokenizer's token
boundaries; a misaligned span is reported with its example id and counted, and
then snapped outward to token boundaries (``--alignment expand``), dropped
(``contract`` finds nothing) or made an error (``strict``).
"""

from __future__ import annotations

import json
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, DocBin

from .clauses import make_doc as clause_doc
from .labels import LABEL_NAMES, SPANS_KEY

SPLITS = ("train", "dev", "test")


class ConvertError(Exception):
    """Bad input for conversion; the message names what and where."""


@dataclass
class Misaligned:
    id: str
    start: int
    end: int
    label: str
    text: str
    snapped_to: str | None  # the text of the span actually kept, or None if dropped

    def to_dict(self) -> dict:
        return self.__dict__.copy()


@dataclass
class ConvertResult:
    split: dict[str, list[str]]
    counts: dict[str, dict] = field(default_factory=dict)  # split -> {"docs", "sentences", labels...}
    misaligned: list[Misaligned] = field(default_factory=list)


def read_annotations(path: Path) -> list[dict]:
    """Rows of the annotation schema; clear errors for a missing/empty file or a bad line."""
    if not path.exists():
        raise ConvertError(f"{path}: annotation file not found (pull it with `govreport doccano pull`)")
    rows = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as err:
                raise ConvertError(f"{path}:{number}: not valid JSON ({err.msg})") from err
            missing = [k for k in ("id", "doc", "text", "cats", "spans") if k not in row]
            if missing:
                raise ConvertError(f"{path}:{number}: example {row.get('id', '?')} lacks {', '.join(missing)}")
            for label in list(row["cats"]) + [s[2] for s in row["spans"]]:
                if label not in LABEL_NAMES:
                    raise ConvertError(f"{path}:{number}: example {row['id']} has unknown label {label!r} "
                                       f"(the scheme has {', '.join(LABEL_NAMES)})")
            rows.append(row)
    if not rows:
        raise ConvertError(f"{path}: no annotations in the file")
    return rows


def make_split(doc_sizes: dict[str, int], seed: int = 0, dev_share: float = 0.15,
               test_share: float = 0.15) -> dict[str, list[str]]:
    """Assign whole documents to test, dev, train (in that order) until each share is reached."""
    docs = sorted(doc_sizes)
    random.Random(seed).shuffle(docs)
    total = sum(doc_sizes.values())
    split = {"train": [], "dev": [], "test": []}
    wanted = {"test": test_share * total, "dev": dev_share * total}
    filled = {"test": 0, "dev": 0}
    for doc in docs:
        for name in ("test", "dev"):
            if filled[name] < wanted[name] and len(docs) - sum(map(len, split.values())) > 1:
                split[name].append(doc)
                filled[name] += doc_sizes[doc]
                break
        else:
            split["train"].append(doc)
    return {name: sorted(split[name]) for name in SPLITS}


def document_folds(doc_sizes: dict[str, int], k: int, seed: int = 0) -> list[list[str]]:
    """k folds of whole documents with about equal sentence counts (largest first, to the smallest fold)."""
    docs = sorted(doc_sizes, key=lambda d: (-doc_sizes[d], d))
    rng = random.Random(seed)
    folds: list[list[str]] = [[] for _ in range(k)]
    sizes = [0] * k
    for doc in docs:
        smallest = min(range(k), key=lambda i: (sizes[i], rng.random()))
        folds[smallest].append(doc)
        sizes[smallest] += doc_sizes[doc]
    return [sorted(f) for f in folds]


def load_or_make_split(path: Path, doc_sizes: dict[str, int], seed: int) -> dict[str, list[str]]:
    if path.exists():
        split = json.loads(path.read_text(encoding="utf-8"))
        known = {d for name in SPLITS for d in split.get(name, [])}
        new = sorted(set(doc_sizes) - known)
        if new:
            raise ConvertError(f"{path}: documents {', '.join(new)} are in no split. Delete the file to make a new "
                               "split, or add them to one of its lists by hand.")
        return {name: [d for d in split[name] if d in doc_sizes] for name in SPLITS}
    split = make_split(doc_sizes, seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({**split, "seed": seed}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return split


def make_doc(nlp: Language, row: dict, alignment: str, misaligned: list[Misaligned]) -> Doc:
    doc = clause_doc(nlp, row["text"], row.get("section"))
    doc.cats = {label: 1.0 if label in row["cats"] else 0.0 for label in LABEL_NAMES}
    ents = []
    for start, end, label in row["spans"]:
        span = doc.char_span(start, end, label=label)
        if span is None:
            snapped = None if alignment == "strict" else doc.char_span(start, end, label=label, alignment_mode=alignment)
            misaligned.append(Misaligned(row["id"], start, end, label, row["text"][start:end],
                                         snapped.text if snapped is not None else None))
            span = snapped
        if span is not None:
            ents.append(span)
    try:
        doc.ents = ents
    except ValueError as err:
        raise ConvertError(f"example {row['id']}: overlapping spans after token alignment ({err})") from err
    doc.spans[SPANS_KEY] = list(doc.ents)  # the same spans for a span categorizer (configs/clause.cfg)
    return doc


def convert(rows: list[dict], nlp: Language, out_dir: Path, split_path: Path, seed: int = 0,
            alignment: str = "expand") -> ConvertResult:
    if alignment not in ("expand", "contract", "strict"):
        raise ConvertError(f"unknown alignment {alignment!r}: use expand, contract or strict")
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_doc[row["doc"]].append(row)
    split = load_or_make_split(split_path, {d: len(r) for d, r in by_doc.items()}, seed)
    train_labels = Counter(label for d in split["train"] for row in by_doc[d] for label in row["cats"])
    absent = [label for label in LABEL_NAMES if not train_labels[label]]
    if absent:
        raise ConvertError(f"label(s) {', '.join(absent)} never occur in the train split ({', '.join(split['train'])}); "
                           f"the model could not learn them. Annotate more, or make another split (--seed).")
    result = ConvertResult(split=split)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in SPLITS:
        docbin = DocBin(store_user_data=True)  # keeps doc._.section
        labels: Counter[str] = Counter()
        for doc_id in split[name]:
            for row in by_doc[doc_id]:
                docbin.add(make_doc(nlp, row, alignment, result.misaligned))
                labels.update(row["cats"])
        docbin.to_disk(out_dir / f"{name}.spacy")
        result.counts[name] = {"docs": len(split[name]), "sentences": sum(len(by_doc[d]) for d in split[name]),
                               **{label: labels[label] for label in LABEL_NAMES}}
    if alignment == "strict" and result.misaligned:
        first = result.misaligned[0]
        raise ConvertError(f"{len(result.misaligned)} spans do not fall on token boundaries, e.g. example {first.id} "
                           f"[{first.start}, {first.end}] {first.text!r}; use --alignment expand to snap them")
    report = {"split": split, "counts": result.counts, "misaligned": [m.to_dict() for m in result.misaligned]}
    (out_dir / "convert_report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n",
                                                 encoding="utf-8")
    return result
