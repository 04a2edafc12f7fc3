"""The README's tables and headline figures match the JSON files the committed commands wrote:
annotations/stats.json (`govreport annotations stats`), annotations/round-1/agreement*.json (`govreport
agreement`), training/metrics.json (`govreport evaluate`), training/retrain.json (`govreport retrain`),
training/bench.json (`scripts/bench_models.py`), training/bench_city.json (`scripts/bench_city.py`),
training/bench_suggestions.json (`scripts/bench_suggestions.py`). Rows marked † in the README are
declared not reproducible and are not checked."""

import json
import re

import pytest

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
PROSE = re.sub(r"\s+", " ", README)  # line breaks in the README's paragraphs do not matter
LABELS = ("INITIATIVE", "TARGET", "ACHIEVEMENT", "PROBLEM")


def load(name):
    return json.loads((ROOT / name).read_text(encoding="utf-8"))


def table(header_start: str) -> dict[str, list[str]]:
    """The README table whose header line starts with ``header_start``: {first cell: other cells}."""
    lines = README.splitlines()
    [start] = [i for i, line in enumerate(lines) if line.strip().startswith(header_start)]
    rows = {}
    for line in lines[start + 2:]:
        if not line.strip().startswith("|"):
            break
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        rows[cells[0].replace("**", "")] = [c.replace("**", "") for c in cells[1:]]
    return rows


def number(cell: str) -> float:
    return float(re.match(r"[\d,.]+", cell).group().replace(",", ""))


def f3(value: float) -> str:
    return f"{value:.3f}"


def test_annotation_tables_match_annotations_stats_json():
    stats = load("annotations/stats.json")
    rounds, changes = stats["by_round"], stats["final_vs_suggestion_by_round"]
    rows = table("| label | sentences | spans | round 1 | round 2")
    for label in LABELS:
        sentences, spans, first, second, changed_1, changed_2 = rows[label]
        assert number(sentences) == stats["all"][label]["sentences"]
        assert number(spans) == stats["all"][label]["spans"]
        assert (number(first), number(second)) == (rounds["round-1"][label]["sentences"],
                                                   rounds["round-2"][label]["sentences"])
        assert (changed_1, changed_2) == (f"{changes['round-1'][label]['category_changed_rate']:.1%}",
                                          f"{changes['round-2'][label]['category_changed_rate']:.1%}")
    sentences, _, first, second, _, _ = rows["no label"]
    assert number(sentences) == stats["all"]["unlabelled"]
    assert (number(first), number(second)) == (rounds["round-1"]["unlabelled"], rounds["round-2"]["unlabelled"])
    levels = table("| level | sentences | INITIATIVE")
    assert set(levels) == set(stats["by_level"])
    for level, cells in levels.items():
        counts = stats["by_level"][level]
        assert [number(c) for c in cells] == [counts["sentences"], *(counts[label]["sentences"] for label in LABELS),
                                              counts["unlabelled"]]
    for name, prose in (("round-1", "agreed {agreed:,}, single reading {single:,}, lead's ruling {reviewer:,}, "
                                    "senior annotator {senior:,}"),
                        ("round-2", "agreed {agreed:,}, single reading {single:,}, lead's ruling {reviewer:,}, "
                                    "first pass on span-only differences {senior:,}")):
        assert prose.format(**stats["resolution_by_round"][name]) in PROSE
    assert (f"differs from the suggestion in {changes['round-1']['any']['category_changed_rate']:.1%} of round-1 "
            f"sentences (cue words) and in {changes['round-2']['any']['category_changed_rate']:.1%}") in PROSE


def test_agreement_figures_match_the_agreement_files():
    two, three = load("annotations/round-1/agreement.json"), load("annotations/round-1/agreement_three.json")
    kappas = ", ".join(f"{label} {two['overall']['kappa'][label]['kappa']:.3f}" for label in LABELS)
    assert f"Cohen's kappa {kappas}" in PROSE
    spans = two["overall"]["span_f1"]
    assert f"span F1 {spans['exact']:.3f} exact / {spans['overlap']:.3f} overlapping" in PROSE
    fleiss = " / ".join(f"{three['overall']['kappa'][label]['kappa']:.3f}" for label in LABELS)
    assert f"Fleiss' kappa {fleiss}" in PROSE
    second = load("annotations/round-2/agreement.json")["overall"]
    kappas = ", ".join(f"{label} {second['kappa'][label]['kappa']:.3f}" for label in LABELS)
    assert f"{second['sentences']} sentences of 7 documents; Cohen's kappa {kappas}" in PROSE
    assert (f"span F1 {second['span_f1']['exact']:.3f} exact / {second['span_f1']['overlap']:.3f} overlapping, "
            f"identical answers {second['identical_answers']:.0%}") in PROSE


def metric_cells(result: dict) -> list[str]:
    per_label = result["cats"]["per_label"]
    return [f3(result["cats"]["macro_f"]), *(f3(per_label[label]["f"]) for label in LABELS),
            f3(result["spans"]["exact"]["f"]), f3(result["spans"]["overlap"]["f"])]


def test_grouped_cv_and_level_tables_match_bench_json():
    bench = load("training/bench.json")
    now, before = bench["grouped_cv"], bench["grouped_cv_before"]["models"]
    rows = table("| model | macro-F1 | INITIATIVE | TARGET | ACHIEVEMENT | PROBLEM | span exact F1")
    sources = {"spaCy, `configs/clause.cfg` (shipped)": now["spacy-clause"],
               "spaCy, the same pipelines given sentences without their section (plain `nlp(text)`)":
                   now["spacy-clause-text-only"],
               "spaCy, the same config without the bigram vectors (¶ commit d543e7d, the config shipped before)":
                   bench["grouped_cv_nobigrams"]["models"]["spacy-clause"],
               "spaCy, ¶ given sentences without their section":
                   bench["grouped_cv_nobigrams"]["models"]["spacy-clause-text-only"],
               "spaCy, ¶ with its tok2vec started from `spacy pretrain` weights": now["spacy-clause-pretrained"],
               "spaCy, ¶ multiplying with blis (§ commit 27eb8ea)": bench["grouped_cv_blis"]["models"]["spacy-clause"],
               "spaCy, the config shipped before (‡ commit daf46ee: spaCy's n-gram textcat as the sentence model)":
                   bench["grouped_cv_textcat"]["models"]["spacy-clause"],
               "spaCy, the config before that († commit 10ea0c0: no sentence model, the earlier heading words)":
                   before["spacy-clause"],
               "spaCy, that config without sections († commit 10ea0c0)": before["spacy-clause-nosection"],
               "TF-IDF char 1–3-grams + LR + the section's kind, C tuned on dev (clauses for spans)": now["tfidf-section"],
               "TF-IDF char 1–3-grams + LR, C tuned on dev (clauses for spans)": now["tfidf"],
               "cue-word rules (they read the section too)": now["rules"], "majority": now["majority"]}
    if "spacy-clause-pkuseg" in now:
        sources["spaCy, `configs/clause_pkuseg.cfg`: pkuseg words and word vectors instead of characters (seed 0)"] = \
            now["spacy-clause-pkuseg"]
    if "spacy-clause-notextcat" in now:
        sources["spaCy, the same config without the sentence model (clause scores alone)"] = now["spacy-clause-notextcat"]
    assert set(rows) == set(sources)
    for name, result in sources.items():
        assert rows[name][:7] == metric_cells(result), name
        seconds, speed = rows[name][7:]
        assert number(seconds) == pytest.approx(result["train_seconds_per_fold"], abs=0.51)
        assert number(speed) == pytest.approx(result["sentences_per_second"], abs=0.51)
    bench = now
    levels = table("| model | city (")
    for key in ("spacy-clause", "tfidf-section", "tfidf", "rules"):
        by_level = bench[key]["by_level"]
        assert levels[key] == [f"{f3(by_level[lv]['cats']['macro_f'])} / {f3(by_level[lv]['spans']['overlap']['f'])}"
                               for lv in sorted(by_level)], key


def test_city_table_matches_bench_city_json():
    settings = load("training/bench_city.json")["settings"]
    rows = table("| model | TARGET township only")
    names = {"spaCy (earlier config)": "spacy-char", "TF-IDF + LR": "tfidf", "cue-word rules": "rules"}
    assert set(rows) == set(names)
    for name, key in names.items():
        expected = [f3(settings[s][key]["cats"]["per_label"][label]["f"]) for label in ("TARGET", "PROBLEM")
                    for s in ("township only", "township + city in training", "all documents")]
        expected.append(f"{f3(settings['township only'][key]['cats']['macro_f'])} → "
                        f"{f3(settings['township + city in training'][key]['cats']['macro_f'])}")
        assert rows[name] == expected, name


def test_learning_curve_tables_match_learning_curve_json():
    results = load("training/learning_curve.json")["results"]
    rows = [line for line in README.splitlines() if line.startswith(("| spacy | ", "| tfidf | "))]
    curve = [r for r in rows if r.count("|") == 11]
    expected = []
    for model in ("spacy", "tfidf"):
        for r in sorted((x for x in results if x["model"] == model), key=lambda x: x["fraction"]):
            a = r["scores"]["all"]
            expected.append(f"| {model} | {r['fraction']:.0%} | {r['train_documents']} | {r['train_sentences']:,} | "
                            + " | ".join(f3(a[k]) for k in ("macro_f1", *LABELS, "span_overlap_f1")) + " |")
    assert curve == expected
    levels = table("| model | township | county | district | province | national |")
    for r in (x for x in results if x["fraction"] == 1.0):
        assert levels[r["model"]] == [f"{f3(r['scores'][lv]['macro_f1'])} ({r['scores'][lv]['sentences']:,})"
                                      for lv in ("township", "county", "district", "province", "national")]


def test_suggestion_figures_match_bench_suggestions_json():
    rates = load("training/bench_suggestions.json")["correction_rates"]
    model, rule = rates["model"], rates["cue-word rule"]
    assert (f"change of the category set in **{model['any']['category_changed_rate']:.1%}** of sentences, the "
            f"cue-word rule's in {rule['any']['category_changed_rate']:.1%}") in PROSE
    per_label = ", ".join(f"{label} {model[label]['category_changed_rate']:.1%} vs {rule[label]['category_changed_rate']:.1%}"
                          for label in LABELS)
    assert f"per label, categories: {per_label}" in PROSE


def test_cleaning_table_matches_bench_cleaning_json():
    totals = {row["split"]: row for row in load("corpus/bench_cleaning.json")["table"] if row["format"] == "all"}
    rows = table("| split | documents | output sentences | chrome sentences")
    for name, split in (("held out", "heldout"), ("used while building", "dev")):
        t = totals[split]
        assert rows[name] == [str(t["documents"]), f"{t['sentences']:,}",
                              f"{t['chrome_sentences']} ({t['chrome_share']:.2%})", str(t["chrome_labelled"]),
                              f"{t['body_kept']:.2%}", str(t["escapes"])], name


def test_speed_figures_match_their_files():
    corpus, predict = load("training/bench_corpus.json"), load("training/bench_predict.json")
    assert f"{corpus['chars_per_second']:,} raw characters/s" in PROSE
    one = next(run for run in predict["runs"] if run["processes"] == 1 and run["raw"] == "corpus/raw")
    assert f"{one['sentences_per_second']} sentences/s end to end for `govreport predict corpus/raw` with one process" in PROSE


def test_targets_table_matches_bench_targets_files():
    rows = table("| | mention P / R | mention F1")
    sources = {"first gold, before any change": "training/bench_targets_before.json",
               "first gold, after the changes it prompted": "training/bench_targets.json",
               "held-out gold": "training/bench_targets_heldout.json"}
    for name, path in sources.items():
        figures = load(path)["figures"]["all"]
        cells = rows[name]
        assert cells[1] == f3(figures["mention_f1"]) and cells[2] == f3(figures["role_accuracy"]), name
        assert cells[4] == f3(figures["link_f1"]) and cells[5].startswith(f3(figures["met_accuracy"])), name
        assert cells[6] == f"`{path}`"
    coders = load("training/bench_targets.json")["agreement"]["coders"]
    cells = rows["coder A vs coder B (sample)"]
    assert cells[1] == f3(coders["mentions"]["overlap"]["f1"])
    assert cells[2] == f"{f3(coders['role_accuracy'])} (kappa {f3(coders['role_kappa'])})"
    assert cells[4] == f3(coders["links"]["f1"])


def test_scale_table_and_paper_figures_match_bench_scale_json():
    bench = load("training/bench_scale.json")
    rows = table("| run | documents | sentences | seconds | documents/s | sentences/s | peak MB per worker")
    assert len(rows) == len(bench["rows"])
    for cells, row in zip(rows.values(), bench["rows"].values()):
        assert cells[:5] == [str(row["documents"]), f"{row['sentences']:,}", f"{row['seconds']:.1f}",
                             f"{row['documents_per_s']:.2f}", f"{row['sentences_per_s']:.0f}"]
        assert cells[5] == ", ".join(map(str, row.get("peak_memory_mb", [])))
    assert f"2 workers vs 1: {bench['speedup_2_vs_1_worker']:.2f}×" in PROSE
    alone = bench["rows"]["1 process, no Dask"]
    assert f"one process labelled {alone['documents_per_s']:.2f} documents/s" in PROSE
    assert f"about {round(400_000 / (alone['documents_per_s'] * 3600))} core-hours" in PROSE
    assert f"{round(alone['sentences'] / alone['documents'])} sentences per report" in PROSE


def test_leave_one_level_out_table_matches_bench_json():
    lolo = load("training/bench.json")["leave_one_level_out"]
    rows = table("| level (sentences) | spaCy macro-F1")

    def cell(m):
        per_label = m["cats"]["per_label"]
        return " / ".join(f3(x) for x in (m["cats"]["macro_f"], per_label["TARGET"]["f"], per_label["PROBLEM"]["f"],
                                           m["spans"]["overlap"]["f"]))

    assert len(rows) == len(lolo["spacy-clause"])
    for level, m in lolo["spacy-clause"].items():
        assert rows[f"{level} ({m['sentences']:,})"] == [cell(m), cell(lolo["tfidf-section"][level]),
                                                          cell(lolo["tfidf"][level]),
                                                          f3(lolo["rules"][level]["cats"]["macro_f"])], level


def test_leave_one_level_out_leads_by_seed_match_bench_json():
    bench = load("training/bench.json")
    lolo, before = bench["leave_one_level_out"], bench["grouped_cv_nobigrams"]["leave_one_level_out"]
    rows = table("| level | shipped seed 0 | shipped seed 1 | ¶ seed 0 | ¶ seed 1 |")
    runs = [lolo["spacy-clause"], lolo["spacy-clause-seed1"], before["spacy-clause"], lolo["spacy-clause-nobigrams-seed1"]]
    assert set(rows) == set(lolo["spacy-clause"])
    for level, cells in rows.items():
        baseline = lolo["tfidf-section"][level]["cats"]["macro_f"]
        assert cells == [f"{run[level]['cats']['macro_f'] - baseline:+.3f}" for run in runs], level


def test_seed_table_and_issue_16_figures_match_bench_json():
    bench = load("training/bench.json")
    runs = bench["seeds"]["runs"]
    rows = table("| figure | seed 0 | seed 1 | seed 2 | max − min |")
    for key, cells in rows.items():
        values = [runs[seed][key] for seed in runs]
        assert cells == [*(f3(v) for v in values), f3(max(values) - min(values))], key
    clause, tfidf = bench["grouped_cv"]["spacy-clause"], bench["grouped_cv"]["tfidf"]
    assert f"{f3(clause['cats']['macro_f'])} against TF-IDF's {f3(tfidf['cats']['macro_f'])}" in PROSE
    dropout = {key: f3(m["cats"]["macro_f"]) for key, m in bench["grouped_cv_before"]["models"].items()
               if "dropout" in key}
    assert (f"with no dropout the pipeline scored {dropout['spacy-clause-dropout0.0']} with sections and "
            f"{dropout['spacy-clause-dropout0.0-text-only']} without; with 0.3, {dropout['spacy-clause-dropout0.3']} "
            f"and {dropout['spacy-clause-dropout0.3-text-only']}") in PROSE
    with_sections = bench["grouped_cv"]["tfidf-section"]["cats"]["macro_f"]
    assert f"TF-IDF given the section too ({f3(with_sections)}, {clause['cats']['macro_f'] - with_sections:+.3f}" in PROSE
    assert f"{bench['speed']['sentences_per_second']:,} sentences/s (one process" in PROSE
    assert f"{f3(load('training/metrics.json')['test']['spacy']['spans']['overlap']['f'])} in `training/metrics.json`" in PROSE


def test_grouped_cv_per_seed_table_matches_bench_json():
    everything = load("training/bench.json")
    bench, before = everything["grouped_cv"], everything["grouped_cv_nobigrams"]["models"]
    rows = table("| grouped CV figure | spaCy seed 0 | spaCy seed 1 | spaCy seed 2 | ¶ seed 0 | ¶ seed 1 | ¶ seed 2 | "
                 "TF-IDF + section |")
    runs = [*(bench[key] for key in ("spacy-clause", "spacy-clause-seed1", "spacy-clause-seed2")),
            *(before[key] for key in ("spacy-clause", "spacy-clause-seed1", "spacy-clause-seed2")), bench["tfidf-section"]]
    figures = {"macro-F1": lambda m: m["cats"]["macro_f"], "TARGET": lambda m: m["cats"]["per_label"]["TARGET"]["f"],
               "PROBLEM": lambda m: m["cats"]["per_label"]["PROBLEM"]["f"],
               "span overlap F1": lambda m: m["spans"]["overlap"]["f"]}
    assert set(rows) == set(figures)
    for name, get in figures.items():
        assert rows[name] == [f3(get(m)) for m in runs], name
