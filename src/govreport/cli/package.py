"""`govreport package`: a trained pipeline -> an installable wheel (zh_<name>)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import typer

from ._util import app, fail, good


@app.command("package")
def package_command(
    model: Path = typer.Option(Path("training/models/clause/model-best"), help="Trained (and evaluated) pipeline."),
    out: Path = typer.Option(Path("packages"), "--out", "-o", help="Where the package folder and wheel go."),
    name: str = typer.Option("govreport", help="Package name; spaCy prefixes the language: zh_<name>."),
    version: str = typer.Option("0.1.0", help="Package version."),
    split: Path = typer.Option(Path("training/split.json"), help="Document split, recorded as training data."),
) -> None:
    """Write the label scheme, metrics, thresholds, training data and license into meta.json and build a wheel."""
    from ..labels import LABELS

    meta_path = model / "meta.json"
    if not meta_path.exists():
        fail(f"{meta_path} not found: train a pipeline first, then `govreport evaluate` it.")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if "thresholds" not in meta.get("govreport", {}):
        fail(f"{model} has no tuned thresholds: run `govreport evaluate --model {model}` first.")
    split_docs = json.loads(split.read_text(encoding="utf-8")) if split.exists() else {}
    meta.update({
        "name": name, "version": version, "license": "MIT",
        "description": "Sentence categories (doc.cats) and clause spans (doc.ents) for Chinese local government "
                       "work reports: INITIATIVE, TARGET, ACHIEVEMENT, PROBLEM. Decide categories with the tuned "
                       "thresholds in meta['govreport']['thresholds'] (govreport.predict does).",
        "author": "govreport contributors", "url": "https://github.com/govreport/govreport",
    })
    meta["govreport"].update({
        "label_scheme": [{"name": label.name, "chinese": label.chinese, "description": label.description}
                         for label in LABELS],
        "training_data": {"documents": {k: split_docs.get(k, []) for k in ("train", "dev", "test")},
                          "source": "gold annotations in annotations/gold.jsonl (Doccano export)"},
    })
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    out.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "spacy", "package", str(model), str(out), "--name", name, "--version", version,
               "--build", "wheel", "--force"]
    if "govreport_clause_labels" in meta.get("pipeline", []):
        # The clause suggester and labeller ship inside the package: it loads without govreport installed.
        from .. import clauses

        command += ["--code", clauses.__file__]
    completed = subprocess.run(command, capture_output=True, text=True)
    if completed.returncode != 0:
        fail(f"spacy package failed:\n{completed.stdout[-1500:]}{completed.stderr[-1500:]}")
    wheels = sorted(out.glob(f"zh_{name}-{version}/dist/*.whl"))
    if not wheels:
        fail(f"spacy package produced no wheel in {out}")
    good(f"built {wheels[-1]}. Install it with `pip install {wheels[-1]}`, then spacy.load(\"zh_{name}\").")
