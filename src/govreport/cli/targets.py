"""`govreport targets`: quantity mentions, target ↔ result links and a place × year × metric panel."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import typer

from ._util import app, fail, good, read_rows, warn


@app.command("targets")
def targets_command(
    paths: list[Path] = typer.Argument(..., help="Report files and/or folders of reports, as found."),
    model: str = typer.Option(None, "--model", "-m", help="Installed package (zh_govreport) or pipeline folder: "
                              "its categories are evidence for the roles."),
    annotations: Path = typer.Option(None, "--annotations", help="Gold annotation rows (JSONL) instead of a model: "
                                     "the gold categories of each sentence are the evidence."),
    out: Path = typer.Option(Path("targets"), "--out", "-o", help="Output folder."),
    tolerance_pp: float = typer.Option(0.5, help="左右 (about): how many points short of a rate target still meets it."),
    tolerance_ratio: float = typer.Option(0.02, help="左右 (about): how far short of a level target (fraction) "
                                          "still meets it."),
) -> None:
    """Write mentions / links / panel as .csv (UTF-8 with BOM), .parquet and .dta, and html/PLACE.html."""
    from ..corpus import list_inputs, process_files
    from ..targets import track_targets
    from ..targets.outputs import write_place_pages, write_table

    if (model is None) == (annotations is None):
        fail("pass exactly one of --model MODEL (predicted categories) or --annotations GOLD.jsonl (gold categories).")
    try:
        files = list_inputs(paths)
    except FileNotFoundError as err:
        fail(f"{err}.")
    if not files:
        fail(f"no report files in {', '.join(map(str, paths))}.")
    result = process_files(files)
    sentences = [s for d in result.documents for s in result.sentences[d.doc]]
    if annotations is not None:
        gold = {row["id"]: row for row in read_rows(annotations)}
        rows = [{**s.to_dict(), "cats": gold[s.id]["cats"], "spans": gold[s.id]["spans"]} if s.id in gold
                else {**s.to_dict(), "cats": [], "spans": []} for s in sentences]
        unlabelled = sum(s.id not in gold for s in sentences)
        if unlabelled:
            warn(f"{unlabelled} of {len(sentences)} sentences have no row in {annotations}: their roles come "
                 "from section and cue words only")
    else:
        import spacy

        from ..predict import ModelError, check_model, label_sentences
        try:
            nlp = spacy.load(model)
            thresholds = check_model(nlp)
        except (OSError, ModelError) as err:
            fail(f"cannot use model {model!r}: {str(err).splitlines()[0][:200]}")
        rows = label_sentences(sentences, nlp, thresholds)
    records, links, panel = track_targets(result.documents, rows, tolerance_pp, tolerance_ratio)
    out.mkdir(parents=True, exist_ok=True)
    from ..targets.links import PANEL_COLUMNS, LINK_COLUMNS
    from ..targets.roles import RECORD_COLUMNS
    write_table(records, out, "mentions", RECORD_COLUMNS)
    write_table(links, out, "links", LINK_COLUMNS)
    write_table(panel, out, "panel", PANEL_COLUMNS)
    pages = write_place_pages(panel, records, out)
    statuses = Counter(r["status"] for r in panel)
    summary = {"documents": len(result.documents), "sentences": len(sentences), "mentions": len(records),
               "roles": dict(Counter(r["role"] for r in records)),
               "links": dict(Counter(l["link_type"] for l in links)), "panel_rows": len(panel),
               "statuses": dict(statuses), "skipped": [s.to_dict() for s in result.skipped]}
    (out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for s in result.skipped:
        warn(f"skipped {s.file}: {s.reason}")
    good(f"{len(records)} quantity mentions in {len(result.documents)} documents; "
         f"links {summary['links'] or 0}; panel {len(panel)} rows {dict(statuses)}; {len(pages)} place pages: {out}/")
