"""Break one thing at a time and check that the test suite notices (issue 20).

Each mutation is a literal text replacement in one or more files of a scratch copy of the repository
(the files `git ls-files` lists, tracked or new but not ignored, as they are in the working tree, copied into a temporary folder that
shares this checkout's `.venv/` and `.doccano/` through symlinks). The copy's tests then run with the
copy's `src/` first on PYTHONPATH, so they exercise the mutated code; the checkout itself is never
touched. A mutation is *caught* when pytest fails, *missed* when it passes.

To keep the run short on a 2-core machine, each mutation runs only the test files that cover the part
it breaks (listed with it below, and printed), with `-x` (stop at the first failure). Before the
mutations, the same test files run once unmutated: a failure there makes every "caught" meaningless,
so the script stops.

    .venv/bin/python scripts/mutation_check.py            # all mutations
    .venv/bin/python scripts/mutation_check.py --only learn_rate_zero thresholds_ignored

Exit status 1 if any mutation is missed (or the unmutated run fails), else 0.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"

PREDICT_TESTS = ("tests/test_model_behaviour.py", "tests/test_predict.py")


@dataclass(frozen=True)
class Mutation:
    name: str
    what: str
    edits: tuple[tuple[str, str, str], ...]  # (file, old text, new text); old must occur exactly once
    tests: tuple[str, ...]


MUTATIONS = (
    Mutation("learn_rate_zero", "a model that learns nothing: learn_rate = 0.0 in configs/clause.cfg",
             (("configs/clause.cfg", "use_averages = false\neps = 0.00000001\nlearn_rate = 0.001",  # training's,
               "use_averages = false\neps = 0.00000001\nlearn_rate = 0.0"),),                      # not pretraining's
             ("tests/test_model_behaviour.py",)),
    Mutation("span_labels_rotated", "predict: each entity's label replaced by the next label of the scheme",
             (("src/govreport/predict.py",
               "        if entity.label_ in decided and start < end:\n"
               "            spans.append([start, end, entity.label_])",
               "        label = LABEL_NAMES[(LABEL_NAMES.index(entity.label_) + 1) % len(LABEL_NAMES)]\n"
               "        if label in decided and start < end:\n"
               "            spans.append([start, end, label])"),),
             PREDICT_TESTS),
    Mutation("scores_to_wrong_label", "predict: each label gets the score of the next label",
             (("src/govreport/predict.py",
               "scores = {label: round(float(doc.cats.get(label, 0.0)), 4) for label in LABEL_NAMES}",
               "scores = {label: round(float(doc.cats.get(LABEL_NAMES[(i + 1) % len(LABEL_NAMES)], 0.0)), 4)\n"
               "              for i, label in enumerate(LABEL_NAMES)}"),),
             PREDICT_TESTS),
    Mutation("span_end_shifted", "predict: every entity ends one character early",
             (("src/govreport/predict.py", "_trim(text, entity.start_char, entity.end_char)",
               "_trim(text, entity.start_char, entity.end_char - 1)"),),
             PREDICT_TESTS),
    Mutation("thresholds_ignored", "predict: 0.5 instead of the thresholds stored in the model",
             (("src/govreport/predict.py", "if scores[label] >= thresholds[label]]", "if scores[label] >= 0.5]"),),
             PREDICT_TESTS),
    Mutation("spans_not_filtered", "predict: entities kept whatever the decided categories (the bug of issue 20)",
             (("src/govreport/predict.py", "        if entity.label_ in decided and start < end:",
               "        if start < end:"),),
             PREDICT_TESTS),
    Mutation("categories_without_span_kept", "predict: a decided category with no span left is kept",
             (("src/govreport/predict.py", "    cats = [label for label in decided if any(span[2] == label for span in spans)]",
               "    cats = decided"),),
             PREDICT_TESTS),
    Mutation("section_not_given", "predict: sentences go to the pipeline without their section",
             (("src/govreport/predict.py", "(make_doc(nlp, s.text, s.section) for s in sentences)",
               "(make_doc(nlp, s.text, None) for s in sentences)"),),
             PREDICT_TESTS),
    Mutation("section_not_read_in_training", "govreport.Corpus.v1: the predicted doc does not get the gold doc's section",
             (("src/govreport/train.py", "                example.predicted._.section = example.reference._.section\n", "                pass\n"),),
             ("tests/test_convert.py",)),
    Mutation("clause_thresholds_ignored", "clause labeller: 0.5 for every label instead of the tuned thresholds",
             (("src/govreport/clauses.py", "if score >= thresholds.get(label, 1.0) and", "if score >= 0.5 and"),),
             ("tests/test_clause_components.py",)),
    Mutation("clause_first_label_not_best", "clause labeller: a clause keeps the first label that passes, not the best",
             (("src/govreport/clauses.py", "(key not in best or score > best[key][0])", "key not in best"),),
             ("tests/test_clause_components.py",)),
    Mutation("sentence_scores_not_averaged", "clause labeller: the text classifier's sentence scores are left out",
             (("src/govreport/clauses.py", '        mean = self.cfg["cats"] == "mean"\n', "        mean = False\n"),),
             ("tests/test_clause_components.py",)),
    Mutation("sentence_tfidf_blind_to_section", "the sentence TF-IDF model does not get the section's kind",
             (("src/govreport/clauses.py", "            logits += self.coef[[n_text + section_index(doc._.section)",
               "            logits += 0 * self.coef[[n_text + section_index(doc._.section)"),),
             ("tests/test_clause_components.py",)),
    Mutation("inner_heading_decides", "section kind: the innermost heading with a kind decides, not the outermost",
             (("src/govreport/clauses.py", "        return decided[0]", "        return decided[-1]"),),
             ("tests/test_clause_components.py",)),
    Mutation("bigram_neighbours_swapped", "bigram vectors: each character gets the bigram after it as the one before",
             (("src/govreport/clauses.py", "hstack([vectors[:-1], vectors[1:]])",
               "hstack([vectors[1:], vectors[:-1]])"),),
             ("tests/test_clause_components.py",)),
    Mutation("split_leaks_test_into_train", "convert: the first test document is also written to train.spacy",
             (("src/govreport/convert.py", "        for doc_id in split[name]:\n",
               "        for doc_id in split[name] + (split[\"test\"][:1] if name == \"train\" else []):\n"),),
             ("tests/test_convert.py",)),
    Mutation("utf16_conversion_removed", "doccano: Python offsets sent and read as if they were UTF-16 offsets",
             (("src/govreport/doccano.py", "    return len(text[:index].encode(\"utf-16-le\")) // 2",
               "    return index"),
              ("src/govreport/doccano.py", "    count = 0\n    for index, char in enumerate(text):",
               "    return units\n    count = 0\n    for index, char in enumerate(text):")),
             ("tests/test_annotations_validation.py", "tests/test_doccano_integration.py")),
    Mutation("pull_drops_unconfirmed", "doccano: pull exports only confirmed examples even when asked for all",
             (("src/govreport/doccano.py", "client.export_zip(project[\"id\"], only_confirmed)",
               "client.export_zip(project[\"id\"], True)"),),
             ("tests/test_model_in_loop.py",)),
)


def scratch_copy(target: Path) -> None:
    """The tracked files as they are in the working tree, plus symlinks to the shared environments."""
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True,
                           check=True).stdout.split("\0")
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name, follow_symlinks=False)
    for shared in (".venv", ".doccano"):
        if (ROOT / shared).exists():
            (target / shared).symlink_to(ROOT / shared)


def apply(mutation: Mutation, target: Path) -> None:
    for name, old, new in mutation.edits:
        path = target / name
        text = path.read_text(encoding="utf-8")
        if text.count(old) != 1:
            raise SystemExit(f"mutation {mutation.name}: {name} contains the text to replace "
                             f"{text.count(old)} times, not once; update the mutation")
        path.write_text(text.replace(old, new), encoding="utf-8")


def run_tests(target: Path, tests: tuple[str, ...]) -> tuple[bool, str, float]:
    """(passed, first failing test or "", seconds)."""
    env = {**os.environ, "PYTHONPATH": str(target / "src")}
    start = time.perf_counter()
    completed = subprocess.run([str(PYTHON), "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests],
                               cwd=target, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    failed = re.findall(r"^(?:FAILED|ERROR) (\S+)", completed.stdout, flags=re.MULTILINE)
    if completed.returncode != 0 and not failed:
        failed = [f"pytest exit {completed.returncode}: {completed.stdout.strip().splitlines()[-1:]}"]
    return completed.returncode == 0, failed[0] if failed else "", seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="names of the mutations to run (default: all)")
    args = parser.parse_args()
    chosen = [m for m in MUTATIONS if not args.only or m.name in args.only]
    started = time.perf_counter()
    rows = []
    with tempfile.TemporaryDirectory(prefix="govreport-mutation-") as folder:
        pristine = Path(folder) / "pristine"
        scratch_copy(pristine)
        check = subprocess.run([str(PYTHON), "-c", "import govreport.predict as m; print(m.__file__)"], cwd=pristine,
                               env={**os.environ, "PYTHONPATH": str(pristine / "src")}, capture_output=True, text=True)
        if not check.stdout.strip().startswith(str(pristine)):
            print(f"the scratch copy does not import its own govreport ({check.stdout.strip()}{check.stderr})")
            return 1
        all_tests = tuple(dict.fromkeys(t for m in chosen for t in m.tests))
        print(f"unmutated run of {' '.join(all_tests)} ...", flush=True)
        passed, failed, seconds = run_tests(pristine, all_tests)
        print(f"  {'passed' if passed else 'FAILED: ' + failed} in {seconds:.0f} s", flush=True)
        if not passed:
            return 1
        for mutation in chosen:
            work = Path(folder) / mutation.name
            shutil.copytree(pristine, work, symlinks=True)
            apply(mutation, work)
            print(f"{mutation.name}: {mutation.what}; running {' '.join(mutation.tests)} ...", flush=True)
            passed, failed, seconds = run_tests(work, mutation.tests)
            rows.append((mutation.name, not passed, failed, seconds))
            print(f"  {'caught by ' + failed if not passed else 'MISSED'} ({seconds:.0f} s)", flush=True)
            shutil.rmtree(work)
    total = time.perf_counter() - started
    width = max(len(name) for name, *_ in rows)
    test_width = max(len("by which test (first failure)"), *(len(failed) for _, _, failed, _ in rows))
    print(f"\n{'mutation':<{width}}  caught?  {'by which test (first failure)':<{test_width}}  seconds")
    for name, caught, failed, seconds in rows:
        print(f"{name:<{width}}  {'yes' if caught else 'NO':<7}  {failed or '-':<{test_width}}  {seconds:7.0f}")
    missed = [name for name, caught, *_ in rows if not caught]
    print(f"\n{len(rows) - len(missed)} of {len(rows)} mutations caught, {len(missed)} missed"
          f"{': ' + ', '.join(missed) if missed else ''}; total {total / 60:.1f} min (test files per mutation "
          "only, see the docstring)")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
