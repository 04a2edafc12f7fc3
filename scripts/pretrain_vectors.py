"""Domain pretraining from the unlabelled reports, for the tok2vec of configs/clause.cfg.

Four steps (project.yml `unlabelled`, `vectors`, `bigrams`, `pretrain`), all offline and reproducible:

1. ``unlabelled``: every shipped report (corpus/raw, corpus/reports) goes through the corpus stage
   (`govreport.corpus.process_files`: reading, cleaning, sentences); duplicates are dropped, and so are the
   annotated documents (corpus/documents.txt) and every copy of them, so that no document the models are
   scored on is in the pretraining text. Writes corpus/unlabelled/sentences.txt (one sentence per line) and
   corpus/unlabelled/documents.tsv (each input document: kept, or why not).
2. ``vectors``: word2vec (gensim, skip-gram, one worker and a fixed seed and hash, so the same text gives the
   same vectors) over the characters of those sentences; then `spacy init vectors` writes training/vectors.
3. ``bigrams``: word2vec the same way over each sentence's overlapping character bigrams (增长率 -> 增长 长率), the
   28,071 seen 10 times or more, 64 dimensions: training/bigrams.npz for govreport.BigramEmbed.v1. About 1.5 minutes.
4. ``tok2vec``: `spacy pretrain` of the config's tok2vec on those sentences (spaCy's masked-character objective,
   `spacy init fill-config --pretraining` defaults; a fixed seed, one thread), whose weights the config's
   ``paths.init_tok2vec`` starts training from: training/pretrain/tok2vec.bin. About 15 minutes for 2 epochs.

Usage:
  .venv/bin/python scripts/pretrain_vectors.py unlabelled [--raw corpus/raw --raw corpus/reports]
  .venv/bin/python scripts/pretrain_vectors.py vectors [--dim 100 --epochs 10]
  .venv/bin/python scripts/pretrain_vectors.py bigrams [--dim 64 --epochs 5 --min-count 10]
  .venv/bin/python scripts/pretrain_vectors.py words [--pkuseg training/pkuseg]   (the comparison with a segmenter)
  .venv/bin/python scripts/pretrain_vectors.py tok2vec [--config configs/clause.cfg --epochs 2]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

UNLABELLED = Path("corpus/unlabelled")


def stable_hash(text: str) -> int:
    """gensim seeds each vector with hash(word): Python's hash changes per process, crc32 does not."""
    return zlib.crc32(text.encode("utf-8"))


def build_unlabelled(raw: list[Path], annotated: Path, out: Path) -> None:
    from govreport.corpus import process_files
    from govreport.segment import segment

    result = process_files(raw)
    gold = {line.strip() for line in annotated.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")}
    documents = [d for f in result.files for d in f.documents]
    duplicate_of = {d.doc: d.duplicate_of for d in result.duplicates}
    # A copy of an annotated report is annotated too: drop it whichever copy was kept.
    copies_of_gold = {doc for doc, of in duplicate_of.items() if of in gold} | {
        of for doc, of in duplicate_of.items() if doc in gold}
    out.mkdir(parents=True, exist_ok=True)
    kept_docs = kept_sentences = chars = 0
    with open(out / "sentences.txt", "w", encoding="utf-8") as text_file, \
            open(out / "documents.tsv", "w", encoding="utf-8") as table:
        table.write("doc\tfile\trow\tlevel\tsentences\tchars\tstatus\n")
        for document in sorted(documents, key=lambda d: d.doc):
            sentences = result.sentences.get(document.doc) or segment(document)
            if document.doc in gold or document.doc in copies_of_gold:
                status = "left out: annotated (corpus/documents.txt) or a copy of an annotated report"
            elif document.doc in duplicate_of:
                status = f"left out: duplicate of {duplicate_of[document.doc]}"
            else:
                status = "kept"
                for sentence in sentences:
                    text_file.write(sentence.text.replace("\n", " ") + "\n")
                kept_docs += 1
                kept_sentences += len(sentences)
                chars += sum(len(s.text) for s in sentences)
            row = "" if document.row is None else str(document.row)
            table.write(f"{document.doc}\t{document.file}\t{row}\t{document.level}\t{len(sentences)}\t"
                        f"{sum(len(s.text) for s in sentences)}\t{status}\n")
    print(f"{kept_docs} of {len(documents)} documents kept: {kept_sentences:,} sentences, {chars:,} characters "
          f"-> {out}/sentences.txt; skipped inputs: {len(result.skipped)} (see {out}/documents.tsv)")


def word2vec(corpus: list[list[str]], dim: int, epochs: int, min_count: int):
    """gensim skip-gram with one worker, a fixed seed and a stable hash: the same text gives the same vectors."""
    from gensim.models import Word2Vec

    return Word2Vec(corpus, vector_size=dim, window=5, min_count=min_count, sg=1, negative=10, epochs=epochs,
                    workers=1, seed=0, hashfxn=stable_hash)


def save_spacy_vectors(model, out: Path) -> None:
    """`spacy init vectors` of a gensim model's vectors: a spaCy vectors folder at ``out``."""
    with tempfile.TemporaryDirectory() as tmp:
        text = Path(tmp) / "vectors.txt"
        model.wv.save_word2vec_format(str(text))
        subprocess.run([sys.executable, "-m", "spacy", "init", "vectors", "zh", str(text), str(out)],
                       check=True, capture_output=True)


def sentence_characters(sentences_path: Path) -> list[list[str]]:
    lines = sentences_path.read_text(encoding="utf-8").splitlines()
    return [[ch for ch in line if not ch.isspace()] for line in lines if line.strip()]


def train_vectors(sentences_path: Path, out: Path, dim: int, epochs: int, min_count: int) -> None:
    corpus = sentence_characters(sentences_path)
    model = word2vec(corpus, dim, epochs, min_count)
    save_spacy_vectors(model, out)
    print(f"{len(model.wv):,} characters x {dim} dimensions from {len(corpus):,} sentences -> {out}")


def train_bigram_vectors(sentences_path: Path, out: Path, dim: int, epochs: int, min_count: int) -> None:
    """word2vec over each sentence's overlapping character bigrams (增长率 -> 增长, 长率): the vectors of
    govreport.BigramEmbed.v1, in an .npz of ``keys`` and ``vectors`` (most frequent first)."""
    import numpy

    corpus = [[a + b for a, b in zip(chars, chars[1:])] for chars in sentence_characters(sentences_path)]
    model = word2vec(corpus, dim, epochs, min_count)
    out.parent.mkdir(parents=True, exist_ok=True)
    numpy.savez_compressed(out, keys=numpy.asarray(model.wv.index_to_key), vectors=model.wv.vectors.astype("float16"))
    print(f"{len(model.wv):,} bigrams x {dim} dimensions from {len(corpus):,} sentences -> {out}")


def train_word_vectors(sentences_path: Path, pkuseg_dir: Path, out: Path, dim: int, epochs: int, min_count: int) -> None:
    """word2vec over the words pkuseg (the model `govreport tokenizer` trains) cuts the sentences into: the vectors
    of configs/clause_pkuseg.cfg, the comparison with a segmenter (README "Choosing the model")."""
    import spacy_pkuseg

    if not (pkuseg_dir / "model").exists():
        raise SystemExit(f"{pkuseg_dir}/model is missing: make it with `govreport tokenizer --out {pkuseg_dir}`.")
    segmenter = spacy_pkuseg.pkuseg(model_name=str(pkuseg_dir / "model"), user_dict=str(pkuseg_dir / "user_dict.txt"))
    lines = [line for line in sentences_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    corpus = [[word for word in segmenter.cut(line) if not word.isspace()] for line in lines]
    model = word2vec(corpus, dim, epochs, min_count)
    save_spacy_vectors(model, out)
    print(f"{len(model.wv):,} words x {dim} dimensions from {len(corpus):,} sentences -> {out}")


def pretrain_tok2vec(sentences_path: Path, config: Path, epochs: int, out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "sentences.jsonl"  # spaCy's pretraining corpus reads JSONL
        with raw.open("w", encoding="utf-8") as f:
            for line in sentences_path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    f.write(json.dumps({"text": line}, ensure_ascii=False) + "\n")
        filled = Path(tmp) / "pretrain.cfg"
        subprocess.run([sys.executable, "-m", "spacy", "init", "fill-config", str(config), str(filled),
                        "--pretraining"], check=True, capture_output=True)
        env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}  # the same weights every time
        subprocess.run([sys.executable, "-m", "spacy", "pretrain", str(filled), str(Path(tmp) / "epochs"),
                        "--paths.raw_text", str(raw), "--paths.init_tok2vec", "null",
                        # the tok2vec as it was when pretraining was tried (README), before the bigram vectors
                        "--paths.bigrams", "null",
                        "--pretraining.max_epochs", str(epochs)], check=True, env=env)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(Path(tmp) / "epochs" / f"model{epochs - 1}.bin", out)
    print(f"tok2vec of {config} pretrained for {epochs} epochs on {sentences_path} -> {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="step", required=True)
    unlabelled = sub.add_parser("unlabelled", help="Clean, deduplicate and hold out: corpus/unlabelled/")
    unlabelled.add_argument("--raw", type=Path, action="append", help="Report folders (repeatable).")
    unlabelled.add_argument("--annotated", type=Path, default=Path("corpus/documents.txt"))
    unlabelled.add_argument("--out", type=Path, default=UNLABELLED)

    def word2vec_step(name: str, help: str, out: str, dim: int, epochs: int, min_count: int):
        step = sub.add_parser(name, help=help)
        step.add_argument("--sentences", type=Path, default=UNLABELLED / "sentences.txt")
        step.add_argument("--out", type=Path, default=Path(out))
        step.add_argument("--dim", type=int, default=dim)
        step.add_argument("--epochs", type=int, default=epochs)
        step.add_argument("--min-count", type=int, default=min_count)
        return step

    word2vec_step("vectors", "Character word2vec -> spaCy vectors", "training/vectors", 100, 10, 3)
    word2vec_step("bigrams", "Character-bigram word2vec -> .npz for govreport.BigramEmbed.v1", "training/bigrams.npz",
                  64, 5, 10)
    words = word2vec_step("words", "pkuseg words -> word2vec -> spaCy vectors (configs/clause_pkuseg.cfg)",
                          "training/word_vectors", 100, 10, 3)
    words.add_argument("--pkuseg", type=Path, default=Path("training/pkuseg"), help="`govreport tokenizer` output.")
    tok2vec = sub.add_parser("tok2vec", help="spacy pretrain of the config's tok2vec -> init_tok2vec weights")
    tok2vec.add_argument("--sentences", type=Path, default=UNLABELLED / "sentences.txt")
    tok2vec.add_argument("--config", type=Path, default=Path("configs/clause.cfg"))
    tok2vec.add_argument("--epochs", type=int, default=2)
    tok2vec.add_argument("--out", type=Path, default=Path("training/pretrain/tok2vec.bin"))
    args = parser.parse_args()
    if args.step == "unlabelled":
        build_unlabelled(args.raw or [Path("corpus/raw"), Path("corpus/reports")], args.annotated, args.out)
    elif args.step == "vectors":
        train_vectors(args.sentences, args.out, args.dim, args.epochs, args.min_count)
    elif args.step == "words":
        train_word_vectors(args.sentences, args.pkuseg, args.out, args.dim, args.epochs, args.min_count)
    elif args.step == "bigrams":
        train_bigram_vectors(args.sentences, args.out, args.dim, args.epochs, args.min_count)
    else:
        pretrain_tok2vec(args.sentences, args.config, args.epochs, args.out)


if __name__ == "__main__":
    main()
