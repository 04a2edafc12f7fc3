"""`govreport train`: `spacy train` with the paths checked first, so mistakes get a clear message."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import typer

from ._util import app, fail, good


@app.command("train", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def train_command(
    ctx: typer.Context,
    config: Path = typer.Option(Path("configs/clause.cfg"), help="spaCy training config."),
    data: Path = typer.Option(Path("training"), help="Folder with train.spacy and dev.spacy (`govreport convert`)."),
    output: Path = typer.Option(None, help="Model folder; default training/models/<config name>."),
) -> None:
    """Run `python -m spacy train CONFIG` on DATA/train.spacy and DATA/dev.spacy. Extra
    options (e.g. --training.max_steps 500) are passed on to spaCy."""
    from confection import Config

    if not config.exists():
        fail(f"config {config} not found (the configs are in configs/: clause.cfg, char.cfg, pkuseg.cfg).")
    needed = {"train data": data / "train.spacy", "dev data": data / "dev.spacy"}
    try:
        cfg = Config().from_disk(config, interpolate=False)
    except Exception as err:  # confection raises several kinds for a broken file
        fail(f"config {config} cannot be read: {err}")
    paths = cfg.get("paths", {})
    extra = list(ctx.args)
    if cfg["nlp"]["tokenizer"].get("segmenter") == "pkuseg":
        for key in ("pkuseg_model", "pkuseg_user_dict"):
            value = extra[extra.index(f"--paths.{key}") + 1] if f"--paths.{key}" in extra else paths.get(key)
            needed[f"paths.{key} of {config}"] = Path(str(value))
    for key in ("vectors", "bigrams"):  # the character and bigram vectors the tok2vec starts from
        value = extra[extra.index(f"--paths.{key}") + 1] if f"--paths.{key}" in extra else paths.get(key)
        if value not in (None, "null", "None"):
            needed[f"paths.{key} of {config}"] = Path(str(value))
    missing = [f"{what}: {path}" for what, path in needed.items() if not path.exists()]
    if missing:
        fail("missing files — " + "; ".join(missing) + ". Run `govreport convert` (`govreport tokenizer` for "
             "pkuseg; `spacy project run vectors` and `spacy project run bigrams` for the character and bigram "
             "vectors) first.")
    output = output or Path("training/models") / config.stem
    command = [sys.executable, "-m", "spacy", "train", str(config), "--output", str(output),
               "--paths.train", str(needed["train data"]), "--paths.dev", str(needed["dev data"]), *extra]
    completed = subprocess.run(command)
    if completed.returncode != 0:
        fail(f"spacy train exited with {completed.returncode} (see its output above).", completed.returncode)
    good(f"trained pipeline in {output}/model-best. Next: govreport evaluate --model {output}/model-best "
         f"--config {config}")
