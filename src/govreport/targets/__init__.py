"""Targets and results (issue 17): quantity mentions, their roles, target ↔ result links, fulfilment, outputs.

One module per concern:

- ``quantities``: every quantity mention of a sentence (offsets, metric, value/range, unit, comparator, …);
- ``roles``: target / result / preliminary result / task assigned / task completed, from the sentence's
  categories (TARGET / ACHIEVEMENT), its section (review vs plan) and cue words;
- ``links``: task ↔ completion within a report, year Y's targets ↔ the results for Y in the report of Y+1,
  fulfilment (ratio, gap in points, met / not met, explicit statuses) and the place × year × metric panel;
- ``outputs``: CSV (UTF-8 with BOM), Parquet, Stata .dta and one HTML page per place.
"""
