import shutil
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
sys.path.insert(0, str(ROOT / "scripts"))


def invoke(*args) -> str:
    """Run a govreport command in-process; fail the test with its output if it fails."""
    from govreport.cli import app

    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="session")
def tiny_pipeline(tmp_path_factory) -> Path:
    """A real pipeline: the tiny fixture annotations -> convert -> `spacy train` -> evaluate.
    Trained long enough to learn the fixture by heart, so its predictions are not empty."""
    work = tmp_path_factory.mktemp("tiny_pipeline")
    split = work / "split.json"
    shutil.copy(FIXTURES / "split_tiny.json", split)
    gold = FIXTURES / "annotations_tiny.jsonl"
    invoke("convert", "--annotations", gold, "--out", work, "--split", split)
    invoke("train", "--config", ROOT / "configs" / "char.cfg", "--data", work, "--output", work / "models",
           "--training.max_steps", "200", "--training.eval_frequency", "50")
    model = work / "models" / "model-best"
    invoke("evaluate", "--model", model, "--annotations", gold, "--split", split, "--out", work / "metrics.json")
    return model
