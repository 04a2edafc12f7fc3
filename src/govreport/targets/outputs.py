"""Write mentions, links and the panel as CSV (UTF-8 with BOM), Parquet (pyarrow) and Stata .dta (pandas),
and one self-contained HTML page per place (no scripts, no CDN)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd

TABLES = ("mentions", "links", "panel")
STATA_RENAMED = {"start": "char_start", "end": "char_end"}  # `end` is a reserved word in Stata
_UNSAFE_IN_FILE_NAMES = re.compile(r"[\\/:*?<>|\s]")


def _frame(rows: list[dict], columns: list[str] | None = None) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns)
    return frame


def _stata_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Stata's rules: names of ≤ 32 ASCII characters, no None in text columns, booleans as 0/1 bytes."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if values.map(lambda v: isinstance(v, bool)).any() or values.dtype == bool:
            out[column] = values.map(lambda v: None if v is None or v != v else int(bool(v))).astype("float64")
        elif values.dtype == object or str(values.dtype).startswith("str"):
            numeric = pd.to_numeric(values, errors="coerce")
            if values.dropna().map(lambda v: isinstance(v, (int, float))).all() and values.notna().any():
                out[column] = numeric.astype("float64")
            else:
                out[column] = values.map(lambda v: "" if v is None or (isinstance(v, float) and v != v) else str(v))
                out[column] = out[column].astype(object)
    out = out.rename(columns=STATA_RENAMED)
    out.columns = [re.sub(r"\W", "_", c)[:32] for c in out.columns]
    return out


def write_table(rows: list[dict], out_dir: Path, name: str, columns: list[str] | None = None) -> list[Path]:
    """OUT/NAME.csv (UTF-8 with BOM), NAME.parquet, NAME.dta; an empty table still gets its header."""
    frame = _frame(rows, columns)
    paths = [out_dir / f"{name}.csv", out_dir / f"{name}.parquet", out_dir / f"{name}.dta"]
    frame.to_csv(paths[0], index=False, encoding="utf-8-sig")
    frame.to_parquet(paths[1], engine="pyarrow", index=False)
    stata = _stata_frame(frame)
    long_text = [c for c in stata.columns if stata[c].dtype == object
                 and max((len(str(v).encode("utf-8")) for v in stata[c]), default=0) > 2000]
    stata.to_stata(paths[2], write_index=False, version=118, convert_strl=long_text)
    return paths


def _number(value, unit) -> str:
    if value is None or value != value:
        return ""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{text}{'' if unit in (None, '') else (' ' + unit if unit not in ('%',) else unit)}"


def render_place_html(place: str, panel_rows: list[dict], records: dict[str, dict]) -> str:
    """One page: a table per metric (year, target, result, ratio / gap, status) with a bar chart drawn in
    inline SVG; every number links to its sentence, listed at the bottom of the page."""
    esc = html.escape
    parts = [f"<!doctype html><html lang='zh'><head><meta charset='utf-8'><title>{esc(place)}: targets and results"
             "</title><style>body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse;"
             "margin-bottom:1em}td,th{border:1px solid #ccc;padding:.2em .6em}.met{color:#060}.not_met{color:#a00}"
             "li:target{background:#ffc}</style></head><body>", f"<h1>{esc(place)}: targets and results</h1>"]
    cited = []
    metrics = sorted({(r["metric_id"], r["quantity_type"]) for r in panel_rows})
    for metric, quantity_type in metrics:
        rows = sorted((r for r in panel_rows if (r["metric_id"], r["quantity_type"]) == (metric, quantity_type)),
                      key=lambda r: r["year"])
        parts.append(f"<h2 id='{esc(metric)}-{esc(quantity_type)}'>{esc(metric)} ({esc(quantity_type)})</h2>")
        values = [v for r in rows for v in (r["target_value"], r["result_value"]) if v is not None and v == v]
        top = max([abs(v) for v in values] + [1e-9])
        bars = []
        for i, r in enumerate(rows):
            for j, (value, colour) in enumerate(((r["target_value"], "#88a"), (r["result_value"], "#e93"))):
                if value is not None and value == value:
                    height = 80 * abs(value) / top
                    bars.append(f"<rect x='{i * 50 + j * 18 + 5}' y='{90 - height:.1f}' width='16' "
                                f"height='{height:.1f}' fill='{colour}'/>")
            bars.append(f"<text x='{i * 50 + 5}' y='104' font-size='11'>{r['year']}</text>")
        parts.append(f"<svg width='{len(rows) * 50 + 10}' height='110' role='img' aria-label='target (blue) and "
                     f"result (orange) per year'>{''.join(bars)}</svg>")
        parts.append("<table><tr><th>year</th><th>target</th><th>result</th><th>ratio / gap (pp)</th>"
                     "<th>status</th><th>note</th></tr>")
        for r in rows:
            cells = []
            for value_key, unit_key, mention_key, comparator in (
                    ("target_value", "target_unit", "target_mention_id", r["comparator"]),
                    ("result_value", "result_unit", "result_mention_id", None)):
                mention_id = r[mention_key]
                text = _number(r[value_key], r[unit_key])
                if mention_id:
                    cited.append(mention_id)
                    suffix = f" ({esc(comparator)})" if comparator and comparator != "exact" else ""
                    cells.append(f"<a href='#m-{esc(mention_id)}'>{esc(text)}</a>{suffix}")
                else:
                    cells.append("")
            fulfil = (f"{r['ratio']:.1%}" if r["ratio"] is not None and r["ratio"] == r["ratio"]
                      else (f"{r['gap_pp']:+.2f}" if r["gap_pp"] is not None and r["gap_pp"] == r["gap_pp"] else ""))
            status_class = "met" if r["met"] is True else ("not_met" if r["met"] is False else "")
            parts.append(f"<tr><td>{r['year']}</td><td>{cells[0]}</td><td>{cells[1]}</td><td>{fulfil}</td>"
                         f"<td class='{status_class}'>{esc(str(r['status']))}</td><td>{esc(r['note'] or '')}</td></tr>")
        parts.append("</table>")
    parts.append("<h2>Sentences</h2><ol>")
    for mention_id in dict.fromkeys(cited):
        m = records.get(mention_id)
        if not m:
            continue
        sentence = m["sentence"]
        marked = (esc(sentence[:m["start"]]) + "<mark>" + esc(sentence[m["start"]:m["end"]]) + "</mark>"
                  + esc(sentence[m["end"]:]))
        parts.append(f"<li id='m-{esc(mention_id)}'><small>{esc(m['doc'])} · {esc(m['role'])} · "
                     f"{esc(m['section'])}</small><br>{marked}</li>")
    parts.append("</ol></body></html>")
    return "\n".join(parts)


def write_place_pages(panel_rows: list[dict], records: list[dict], out_dir: Path) -> list[Path]:
    """OUT/html/PLACE.html for every place of the panel."""
    by_id = {r["mention_id"]: r for r in records}
    (out_dir / "html").mkdir(parents=True, exist_ok=True)
    paths = []
    for key in sorted({r["place_key"] for r in panel_rows}):
        rows = [r for r in panel_rows if r["place_key"] == key]
        path = out_dir / "html" / (_UNSAFE_IN_FILE_NAMES.sub("_", key) + ".html")
        path.write_text(render_place_html(rows[0]["place"], rows, by_id), encoding="utf-8")
        paths.append(path)
    return paths
