#!/usr/bin/env bash
# The main job, end to end, on the corpus and annotations this repository ships:
# corpus -> (gold through a real local Doccano and back) -> statistics -> DocBins -> spacy train
# -> evaluation against baselines -> wheel -> labelled reports (predictions/).
# Set GOVREPORT_SKIP_DOCCANO=1 to leave out the Doccano round trip (it installs Doccano once, ~1 min).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"

govreport corpus --raw corpus/raw --raw corpus/reports --docs corpus/documents.txt --out corpus
if [ "${GOVREPORT_SKIP_DOCCANO:-0}" != 1 ]; then
  bash scripts/doccano_roundtrip.sh
fi
govreport annotations stats --gold annotations/gold.jsonl
govreport convert --annotations annotations/gold.jsonl --out training --split training/split.json
govreport train --config configs/clause.cfg --data training --output training/models/clause
govreport evaluate --model training/models/clause/model-best --annotations annotations/gold.jsonl \
  --split training/split.json --config configs/clause.cfg --out training/metrics.json
python scripts/bench_cleaning.py --model training/models/clause/model-best  # cleaning vs the hand-made reference
govreport package --model training/models/clause/model-best --out packages --name govreport --version 0.1.0
govreport predict corpus/raw --model training/models/clause/model-best -o predictions
echo "run_all: done. Model wheel in packages/, labelled reports in predictions/index.html"
