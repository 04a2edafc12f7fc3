import json
import os
import secrets
import shutil
import socket
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
sys.path.insert(0, str(ROOT / "scripts"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def doccano(tmp_path_factory):
    """A REAL Doccano 1.8.4 server on 127.0.0.1 with random admin credentials in the environment;
    stopped at the end. The first run installs Doccano into .doccano/venv (about a minute). If the
    server cannot start, the fixture raises: the tests that use it error, none is skipped."""
    from govreport.doccano import Credentials
    from govreport.doccano_server import Server, serve, stop

    server = Server.at(tmp_path_factory.mktemp("doccano_home"), ROOT / ".doccano" / "venv", free_port())
    credentials = Credentials(server.url, "admin_" + secrets.token_hex(4), secrets.token_urlsafe(16))
    saved = {key: os.environ.get(key) for key in ("DOCCANO_URL", "DOCCANO_USERNAME", "DOCCANO_PASSWORD")}
    os.environ.update(DOCCANO_URL=credentials.url, DOCCANO_USERNAME=credentials.username,
                      DOCCANO_PASSWORD=credentials.password)
    try:
        serve(server, credentials.username, credentials.password, log=lambda message: None)
        yield credentials
    finally:
        stop(server)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def invoke(*args) -> str:
    """Run a govreport command in-process; fail the test with its output if it fails."""
    from govreport.cli import app

    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="session")
def tiny_pipeline(tmp_path_factory) -> Path:
    """A real pipeline: the tiny fixture annotations -> convert -> `spacy train` -> evaluate.
    Trained long enough (600 steps, about 20 s) to learn its 28 training sentences by heart and to label
    unseen sentences of obvious class (tests/test_model_behaviour.py holds it to that)."""
    work = tmp_path_factory.mktemp("tiny_pipeline")
    split = work / "split.json"
    shutil.copy(FIXTURES / "split_tiny.json", split)
    gold = FIXTURES / "annotations_tiny.jsonl"
    invoke("convert", "--annotations", gold, "--out", work, "--split", split)
    invoke("train", "--config", ROOT / "configs" / "clause.cfg", "--data", work, "--output", work / "models",
           "--paths.vectors", ROOT / "training" / "vectors", "--paths.bigrams", ROOT / "training" / "bigrams.npz",
           "--training.max_steps", "600", "--training.eval_frequency", "100")
    # model-last, trained the full 600 steps: model-best is the step that did best on six dev sentences,
    # often an early, half-trained one
    model = work / "models" / "model-last"
    # Thresholds tuned on the training document: a pipeline trained on 28 sentences cannot label the six
    # unseen dev sentences well, and thresholds tuned on them are arbitrary (as low as 0.05, letting in
    # every clause the span categorizer proposes); the behaviour tests check what the pipeline learned.
    evaluate_split = work / "evaluate_split.json"
    evaluate_split.write_text(json.dumps({**json.loads(split.read_text()), "dev": ["t1"]}))
    invoke("evaluate", "--model", model, "--annotations", gold, "--split", evaluate_split, "--out", work / "metrics.json")
    return model
