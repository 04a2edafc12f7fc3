"""Targets and results (issue 17): quantity mentions, their roles, target ↔ result links, fulfilment, outputs.

One module per concern:

- ``quantities``: every quantity mention of a sentence (offsets, metric, value/range, unit, comparator, …);
- ``roles``: target / result / preliminary result / task assigned / task completed, from the sentence's
  categories (TARGET / ACHIEVEMENT), its section (review vs plan) and cue words;
- ``links``: task ↔ completion within a report, year Y's targets ↔ the results for Y in the report of Y+1,
  fulfilment (ratio, gap in points, met / not met, explicit statuses) and the place × year × metric panel;
- ``outputs``: CSV (UTF-8 with BOM), Parquet, Stata .dta and one HTML page per place.
"""


def track_targets(documents: list, rows: list[dict], tolerance_pp: float = 0.5,
                  tolerance_ratio: float = 0.02) -> tuple[list[dict], list[dict], list[dict]]:
    """(mention records, links, panel rows) for documents (``govreport.normalise.Document``) and their
    sentence rows (``id``, ``doc``, ``section``, ``text``, ``cats``, ``spans``: predictions or gold)."""
    from .links import build_panel, cross_year_links, within_report_links
    from .roles import mention_records

    tolerances = {"tolerance_pp": tolerance_pp, "tolerance_ratio": tolerance_ratio}
    by_doc: dict[str, list[dict]] = {}
    for row in rows:
        by_doc.setdefault(row["doc"], []).append(row)
    records = [r for d in documents for r in mention_records(by_doc.get(d.doc, []), d)]
    links = within_report_links(records, **tolerances) + cross_year_links(records, documents, **tolerances)
    panel = build_panel(records, documents, links, **tolerances)
    return records, links, panel
