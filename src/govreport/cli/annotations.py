"""`govreport annotations ...`: statistics of the gold annotations and agreement between passes."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import typer
from rich.table import Table

from ..labels import LABEL_NAMES
from ._util import app, console, good, read_rows, warn
from .agreement import agreement_table

annotations_app = typer.Typer(help="Gold annotations: statistics.", no_args_is_help=True)
app.add_typer(annotations_app, name="annotations")


def _counts_table(title: str, groups: dict[str, dict]) -> Table:
    table = Table(title=title)
    for column in ("", "sentences", "unlabelled", *(f"{label} sent/spans" for label in LABEL_NAMES)):
        table.add_column(column, justify="right")
    for name, g in groups.items():
        table.add_row(name, str(g["sentences"]), f"{g['unlabelled']} ({g['unlabelled'] / g['sentences']:.0%})",
                      *(f"{g[label]['sentences']} / {g[label]['spans']}" for label in LABEL_NAMES))
    return table


def corrections_table(title: str, changes: dict) -> Table:
    """Correction rate per label: categories added/removed by the annotator, suggested spans not kept."""
    table = Table(title=f"{title}: {changes['any']['sentences']} sentences, categories changed in "
                        f"{changes['any']['category_changed_rate']:.1%}")
    for column in ("label", "category added", "category removed", "category changed", "spans suggested",
                   "spans kept exactly", "spans final", "span changed"):
        table.add_column(column, justify="right")
    for label in LABEL_NAMES:
        c = changes[label]
        table.add_row(label, str(c["category_added"]), str(c["category_removed"]), f"{c['category_changed_rate']:.1%}",
                      str(c["spans_suggested"]), str(c["spans_kept"]), str(c["spans_final"]),
                      f"{c['span_changed_rate']:.1%}")
    return table


@annotations_app.command("stats")
def stats_command(
    gold: Path = typer.Option(Path("annotations/gold.jsonl"), help="Gold annotations (one row per sentence)."),
    sentences: Path = typer.Option(Path("corpus/sentences.jsonl"), help="The corpus sentences."),
    documents: Path = typer.Option(Path("corpus/documents.jsonl"), help="Document metadata (for levels)."),
    agreement_file: Path = typer.Option(Path("annotations/round-1/agreement.json"), "--agreement",
                                        help="Output of `govreport agreement ... -o FILE`."),
    out: Path = typer.Option(None, "--out", "-o",
                             help="Where the figures are written as JSON (default: stats.json beside the gold file; "
                                  "README's annotation table reads annotations/stats.json)."),
) -> None:
    """Per label and document: sentences and spans, unlabelled share, suggestion changes, agreement."""
    from ..corpus import read_jsonl
    from ..evaluate import write_json
    from ..stats import corrections_by_annotator, coverage, label_counts, suggestion_changes

    rows = read_rows(gold)
    corpus_ids = [s["id"] for s in read_jsonl(sentences)] if sentences.exists() else []
    levels = {d["doc"]: d["level"] for d in read_jsonl(documents)} if documents.exists() else {}
    console.print(_counts_table(f"Gold annotations: {gold}", label_counts(rows)))
    console.print(_counts_table("Per document", dict(sorted(label_counts(rows, key=lambda r: r["doc"]).items()))))
    by_level = label_counts(rows, key=lambda r: levels.get(r["doc"], "?"))
    console.print(_counts_table("Per document level", by_level))
    if "township" in by_level and len(by_level) > 1:
        # Issue 9 added city reports to a township corpus: the label counts before and after.
        console.print(_counts_table("Before and after adding the other levels", {
            "before (township only)": by_level["township"],
            **{f"added ({level})": counts for level, counts in by_level.items() if level != "township"},
            "after (all)": label_counts(rows)["all"]}))
    # Rounds keep their files apart (annotations/round-N/gold.jsonl beside the merged gold).
    round_of = {row["id"]: path.parent.name for path in sorted(gold.parent.glob("round-*/gold.jsonl"))
                for row in read_rows(path)}
    by_round = label_counts(rows, key=lambda r: round_of.get(r["id"], "?")) if round_of else {}
    if by_round:
        console.print(_counts_table("Per annotation round", by_round))
    rounds = {name: suggestion_changes([r for r in rows if round_of.get(r["id"]) == name]) for name in by_round}
    for name, changes in rounds.items():
        sources = sorted({(r.get("suggested") or {}).get("source", "cue words") for r in rows
                          if round_of.get(r["id"]) == name})
        console.print(corrections_table(f"Final answer vs suggestion, {name} (suggested by {', '.join(sources)})",
                                        changes))
    out = out or gold.parent / "stats.json"
    write_json(out, {"gold": str(gold), "all": label_counts(rows)["all"], "by_level": by_level,
                     "by_round": by_round, "final_vs_suggestion_by_round": rounds,
                     "resolution_by_round": {name: dict(Counter(r.get("resolution") for r in rows
                                                                if round_of.get(r["id"]) == name and r.get("resolution")))
                                             for name in by_round},
                     "resolution": dict(Counter(r.get("resolution") for r in rows if r.get("resolution"))),
                     "final_vs_suggestion": suggestion_changes(rows)})

    for annotator, changes in corrections_by_annotator(rows).items():
        sources = ", ".join(f"{source} {n}" for source, n in changes["sources"].items())
        console.print(corrections_table(f"Final answer vs suggestion ({annotator}; suggested by {sources})", changes))

    if agreement_file.exists():
        agreement = json.loads(agreement_file.read_text(encoding="utf-8"))
        if "overall" in agreement:
            console.print(agreement_table(agreement))
        else:
            warn(f"{agreement_file} is in an older format: rerun `govreport agreement FILE... -o {agreement_file}`.")
    else:
        warn(f"{agreement_file} not found: run `govreport agreement FILE... -o {agreement_file}` for agreement "
             "figures.")

    if corpus_ids:
        cov = coverage(rows, corpus_ids)
        if cov["missing"] or cov["unknown_ids"]:
            warn(f"{len(cov['missing'])} corpus sentences have no annotation row (e.g. {cov['missing'][:3]}); "
                 f"{len(cov['unknown_ids'])} rows match no corpus sentence")
        else:
            good(f"every one of the {cov['sentences']} corpus sentences has an annotation row")
