"""Annotation round 2 (issue 15): the chosen documents -> sentences, batches with the model's
suggestions (Prodigy-style `correct`), and the sample for an independent second reading.

    .venv/bin/python scripts/round2_batches.py --model training/models/clause/model-best

Writes annotations/round-2/{documents,sentences}.jsonl, batches/DOC.jsonl (document order; each
row carries the model's suggestion, its margin to the thresholds and the cue-word suggestion) and
second_reading/batches/sample.jsonl (no suggestion, no first answer). Ids are the corpus stage's ids, so
the documents can later join corpus/raw without any id changing.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from govreport.corpus import process_files
from govreport.segment import clause_spans
from govreport.suggest import suggest

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "corpus" / "reports"
OUT = ROOT / "annotations" / "round-2"

# doc id -> (file under corpus/reports, why it was chosen)
DOCUMENTS = {
    "laishui_2020": ("baoding_counties/laishui_2020.txt", "county, 中国县域 page; long problems paragraph (2020)"),
    "xushui_2012": ("baoding_counties/xushui_2012.txt", "county, 马克数据网 page (literal \\r\\n); 2010s"),
    "rongcheng_2020": ("baoding_counties/rongcheng_2020.txt", "county, 马克数据网 page; short, targets for 2020"),
    "fuping_2017": ("baoding_counties/fuping_2017.txt", "county, 中国县域 page; a poverty county, 2010s"),
    "hailar_2019": ("hailar/hailar_2019.txt", "district (Inner Mongolia), GB18030; the most problem wording of the series"),
    "baoding_2014": ("hebei_repo/baoding_2014.txt", "city: 保定 in another decade than the round-1 city reports"),
    "hebei_2011": ("hebei_repo/hebei_2011.txt", "province (North), 2010s; quantified targets of a five-year plan"),
    "tianjin_2026-r001": ("provinces_2026/tianjin_2026.csv", "province-level city (North), 2026; targets paragraph"),
    "henan_2026-r001": ("provinces_2026/henan_2026.csv", "province (Central), 2026"),
    "jiangxi_2026-r001": ("provinces_2026/jiangxi_2026.csv", "province (East), 2026; many target figures"),
    "qinghai_2026-r001": ("provinces_2026/qinghai_2026.csv", "province (Northwest), 2026; problems paragraph"),
    "xizang_2026-r001": ("provinces_2026/xizang_2026.csv", "autonomous region (Southwest), 2026"),
    "government_work_reports-r005": ("national/government_work_reports.jsonl", "national, 2023 (2020s)"),
    "government_work_reports-r040": ("national/government_work_reports.jsonl", "national, 2004 (2000s)"),
}
SECOND_READING_DOCS = ["laishui_2020", "xushui_2012", "hailar_2019", "baoding_2014", "qinghai_2026-r001",
                       "jiangxi_2026-r001", "government_work_reports-r005"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="the pipeline whose suggestions annotators correct")
    parser.add_argument("--per-doc", type=int, default=45, help="second-reading sentences per document")
    parser.add_argument("--seed", type=int, default=20261126)
    args = parser.parse_args()

    import spacy

    from govreport.predict import model_suggestions

    files = sorted({REPORTS / path for path, _ in DOCUMENTS.values()})
    result = process_files(files)
    documents = [d for d in result.documents if d.doc in DOCUMENTS]
    assert {d.doc for d in documents} == set(DOCUMENTS), set(DOCUMENTS) - {d.doc for d in documents}
    nlp = spacy.load(args.model)
    source = f"model:{nlp.meta['name']}-{nlp.meta['version']}"
    (OUT / "batches").mkdir(parents=True, exist_ok=True)
    (OUT / "second_reading" / "batches").mkdir(parents=True, exist_ok=True)
    with open(OUT / "documents.jsonl", "w", encoding="utf-8") as f:
        for d in documents:
            row = {k: v for k, v in d.to_dict().items() if k not in ("text", "changes", "flags")}
            f.write(json.dumps({**row, "why_chosen": DOCUMENTS[d.doc][1]}, ensure_ascii=False) + "\n")
    rng = random.Random(args.seed)
    sample = []
    with open(OUT / "sentences.jsonl", "w", encoding="utf-8") as all_sentences:
        for d in documents:
            sentences = [s.to_dict() for s in result.sentences[d.doc]]
            suggestions = model_suggestions(sentences, nlp, source)
            with open(OUT / "batches" / f"{d.doc}.jsonl", "w", encoding="utf-8") as batch:
                for s in sentences:
                    all_sentences.write(json.dumps(s, ensure_ascii=False) + "\n")
                    m = suggestions[s["id"]]
                    cue = suggest(s["text"], s["section"])
                    batch.write(json.dumps({
                        "id": s["id"], "doc": s["doc"], "section": s["section"], "text": s["text"],
                        "clauses": [s["text"][a:b] for a, b in clause_spans(s["text"])],
                        "suggested_cats": m["cats"], "suggested_spans": [[s["text"][a:b], l] for a, b, l in m["spans"]],
                        "suggested": {"source": source, "cats": m["cats"], "spans": m["spans"], "scores": m["scores"],
                                      "margin": m["margin"]},
                        "cue_word": cue,
                    }, ensure_ascii=False) + "\n")
            if d.doc in SECOND_READING_DOCS:
                picked = sorted(rng.sample(range(len(sentences)), min(args.per_doc, len(sentences))))
                sample += [{k: sentences[i][k] for k in ("id", "doc", "section", "text")}
                           | {"clauses": [sentences[i]["text"][a:b] for a, b in clause_spans(sentences[i]["text"])]}
                           for i in picked]
            print(f"{d.doc}: {len(sentences)} sentences, level {d.level}, place {d.place or '?'}")
    with open(OUT / "second_reading" / "batches" / "sample.jsonl", "w", encoding="utf-8") as f:
        for row in sample:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"second reading: {len(sample)} sentences from {len(SECOND_READING_DOCS)} documents")


if __name__ == "__main__":
    main()
