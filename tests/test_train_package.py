"""Real `spacy train` on tiny data, evaluate against baselines, package, install the wheel
into a fresh virtualenv and load it by name with the network cut off."""

import json
import subprocess
import sys
import venv
from pathlib import Path

from conftest import FIXTURES, invoke


def test_train_evaluate_package_and_load_offline(tiny_pipeline, tmp_path):
    model = tiny_pipeline
    split = FIXTURES / "split_tiny.json"
    metrics = json.loads((model.parents[1] / "metrics.json").read_text())
    assert set(metrics["test"]) == {"spacy", "tfidf", "tfidf-section", "rules", "majority"}
    for result in metrics["test"].values():
        assert set(result["cats"]["per_label"]) == {"INITIATIVE", "TARGET", "ACHIEVEMENT", "PROBLEM"}
    thresholds = json.loads((model / "meta.json").read_text())["govreport"]["thresholds"]
    assert set(thresholds) == {"INITIATIVE", "TARGET", "ACHIEVEMENT", "PROBLEM"}

    invoke("package", "--model", model, "--out", tmp_path / "packages", "--name", "govreport_test",
           "--split", split)
    [wheel] = list((tmp_path / "packages").glob("zh_govreport_test-*/dist/*.whl"))

    # A fresh virtualenv that sees spaCy (from this environment) but not the model until the wheel is installed.
    fresh = tmp_path / "fresh"
    venv.create(fresh, with_pip=True)
    python = fresh / "bin" / "python"
    purelib = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    ours = subprocess.run([sys.executable, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    # ... every installed package except govreport itself (its code and its metadata, whose entry points
    # spaCy would follow): the wheel must bring everything the pipeline needs.
    view = tmp_path / "deps"
    view.mkdir()
    for entry in Path(ours).iterdir():
        if not entry.name.lower().startswith(("govreport", "__editable__.govreport", "__editable___govreport")):
            (view / entry.name).symlink_to(entry)
    Path(purelib, "deps.pth").write_text(str(view) + "\n")
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", wheel], check=True)
    script = ("import json, socket, sys, spacy\n"
              "try:\n    socket.create_connection(('pypi.org', 443), timeout=3); print('NETWORK')\n"
              "except OSError:\n    pass\n"
              "import importlib.util\n"
              "assert importlib.util.find_spec('govreport') is None, 'govreport is importable here'\n"
              "nlp = spacy.load('zh_govreport_test')\n"
              "doc = nlp('严格落实粮食安全责任制。')\n"
              "def labels(section):  # the README's way to give a sentence its section\n"
              "    doc = nlp.make_doc('新建文化广场3个。'); doc._.section = section\n"
              "    return [e.label_ for e in nlp(doc).ents]\n"
              "print(json.dumps({'cats': sorted(doc.cats), 'ents': [e.label_ for e in doc.ents], "
              "'plan': labels('二、2025年工作安排'), 'review': labels('一、2024年工作情况'), "
              "'pipeline': nlp.pipe_names, 'meta': sorted(nlp.meta['govreport']), 'sklearn': 'sklearn' in sys.modules, "
              "'blis': nlp.get_pipe('tok2vec').model.ops.use_blis}))\n")
    # unshare -n: a new network namespace with no interfaces, so any download attempt fails.
    completed = subprocess.run(["unshare", "-n", python, "-c", script], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
    assert "NETWORK" not in completed.stdout
    loaded = json.loads(completed.stdout.strip().splitlines()[-1])
    assert loaded["cats"] == ["ACHIEVEMENT", "INITIATIVE", "PROBLEM", "TARGET"]
    # the clause suggester and labeller came inside the wheel (spacy package --code), not from govreport
    assert loaded["pipeline"] == ["tok2vec", "spancat", "sentence_tfidf", "govreport_clause_labels"]
    assert set(loaded["ents"]) <= {"ACHIEVEMENT", "INITIATIVE", "PROBLEM", "TARGET"}
    # doc._.section exists without govreport, and the packaged pipeline reads it (trained pairs of the fixture)
    assert (loaded["plan"], loaded["review"]) == (["TARGET"], ["ACHIEVEMENT"])
    assert {"thresholds", "label_scheme", "training_data", "test_metrics"} <= set(loaded["meta"])
    # the sentence model scores from its stored arrays: scikit-learn is needed to fit it, not to use it
    assert loaded["sklearn"] is False
    # the config's after_pipeline_creation callback came inside the wheel too: matrix products through numpy
    assert loaded["blis"] is False
