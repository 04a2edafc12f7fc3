"""Merge the rounds' gold into annotations/gold.jsonl (what convert and training read).

Each round keeps its own files apart (annotations/round-N/: decisions, notes, pulled export,
agreement, adjudication, gold.jsonl); the merged file is their union in round order. A sentence
may appear in one round only: two rounds answering the same id is an error to settle first.

    python scripts/merge_gold.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    rounds = sorted((ROOT / "annotations").glob("round-*/gold.jsonl"), key=lambda p: int(p.parent.name.split("-")[1]))
    seen: dict[str, str] = {}
    lines = []
    for path in rounds:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            sentence_id = json.loads(line)["id"]
            if sentence_id in seen:
                print(f"{path.relative_to(ROOT)}: {sentence_id} is already answered in {seen[sentence_id]}")
                return 1
            seen[sentence_id] = path.parent.name
            lines.append(line)
    (ROOT / "annotations" / "gold.jsonl").write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    counts = {r: sum(1 for v in seen.values() if v == r) for r in dict.fromkeys(seen.values())}
    print(f"annotations/gold.jsonl: {len(lines)} sentences ({', '.join(f'{r} {n}' for r, n in counts.items())})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
