"""Drop annotation rows whose sentence the corpus stage no longer produces, and log them.

When cleaning improves, a line that was wrongly kept (chrome such as （责任编辑：…）) stops being a
sentence; its annotation rows then attach to nothing. This moves them out of the annotation files
into a dated migration log (with the reason), so nothing is lost and the counts are reported.
Sentence ids depend only on document id + sentence text, so every other row stays attached.

    .venv/bin/python scripts/migrate_gold.py --reason "chrome lines removed by the layout rules (issue 14)"
"""

from __future__ import annotations

import argparse
import datetime
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", default=str(ROOT / "corpus" / "sentences.jsonl"))
    parser.add_argument("--files", nargs="+", default=[str(ROOT / "annotations" / "gold.jsonl"),
                                                       str(ROOT / "annotations" / "pulled.jsonl")])
    parser.add_argument("--reason", required=True)
    parser.add_argument("--log", default=str(ROOT / "annotations" / "migrations.jsonl"))
    args = parser.parse_args()
    ids = {json.loads(line)["id"] for line in open(args.sentences, encoding="utf-8") if line.strip()}
    date = datetime.date.today().isoformat()
    with open(args.log, "a", encoding="utf-8") as log:
        for name in args.files:
            path = Path(name).resolve()
            rows = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
            kept = [line for line in rows if json.loads(line)["id"] in ids]
            dropped = [json.loads(line) for line in rows if json.loads(line)["id"] not in ids]
            for row in dropped:
                log.write(json.dumps({"date": date, "file": path.relative_to(ROOT).as_posix(), "reason": args.reason,
                                      "row": row}, ensure_ascii=False) + "\n")
            path.write_text("".join(line + "\n" for line in kept), encoding="utf-8")
            print(f"{path.relative_to(ROOT)}: kept {len(kept)}, moved {len(dropped)} to {Path(args.log).name}"
                  + "".join(f"\n  {r['id']} {r.get('annotator', '')} {r.get('text', '')[:30]} cats={r.get('cats')}"
                            for r in dropped))


if __name__ == "__main__":
    main()
