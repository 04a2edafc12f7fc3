"""Offline Chinese tokenizers for the pipeline: spaCy's `char` segmenter, or `pkuseg`
with a model this project trains itself (spacy-pkuseg ships no model, and nothing may
be downloaded at run time).

How the pkuseg model is made offline:
1. a user dictionary of policy terms is mined from the corpus (quoted terms such as
   “百千万工程” and recurring 3–6 character n-grams such as 人居环境);
2. the corpus sentences are segmented by bidirectional maximum matching over
   spacy-pkuseg's own dictionary (dicts/default.pkl) plus that user dictionary;
3. spacy_pkuseg.train learns a CRF segmenter from those lines.
The model directory and the user dictionary are saved inside the spaCy pipeline by
`nlp.to_disk`, so a packaged pipeline carries them.
"""

from __future__ import annotations

import pickle
import re
from collections import Counter, defaultdict
from pathlib import Path

import spacy
from spacy.language import Language

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_QUOTED = re.compile(r"[“\"]([\u4e00-\u9fff\d]{2,8})[”\"]")
MAX_WORD = 8


def blank_pipeline(segmenter: str = "char", pkuseg_model: Path | None = None,
                   user_dict: Path | None = None) -> Language:
    """A blank Chinese pipeline with the chosen segmenter, initialised offline."""
    if segmenter == "char":
        return spacy.blank("zh")
    if segmenter != "pkuseg":
        raise ValueError(f"unknown segmenter {segmenter!r}: use 'char' or 'pkuseg'")
    if pkuseg_model is None or not Path(pkuseg_model).exists():
        raise FileNotFoundError(f"pkuseg model folder {pkuseg_model} not found: run `govreport tokenizer` first")
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "pkuseg"}}})
    nlp.tokenizer.initialize(pkuseg_model=str(pkuseg_model), pkuseg_user_dict=str(user_dict) if user_dict else "default")
    return nlp


def mine_policy_terms(sentences: list[dict], min_count: int = 4, min_docs: int = 2) -> list[str]:
    """Policy terms of the corpus: quoted terms, and recurring 3–6 character n-grams
    that occur in several documents and are not just part of a longer recurring term."""
    quoted = Counter(m.group(1) for s in sentences for m in _QUOTED.finditer(s["text"]))
    counts: Counter[str] = Counter()
    docs: dict[str, set[str]] = defaultdict(set)
    for s in sentences:
        for run in _CJK_RUN.findall(s["text"]):
            for n in range(3, 7):
                for i in range(len(run) - n + 1):
                    gram = run[i : i + n]
                    counts[gram] += 1
                    docs[gram].add(s["doc"])
    frequent = {g: c for g, c in counts.items() if c >= min_count and len(docs[g]) >= min_docs}
    # Keep maximal n-grams: drop one that a one-character-longer frequent n-gram contains
    # exactly as often (it never occurs on its own).
    absorbed = set()
    for gram, count in frequent.items():
        for part in (gram[:-1], gram[1:]):
            if frequent.get(part) == count:
                absorbed.add(part)
    # A term must not swallow a list marker or hang on a function word: tokens like
    # 一是坚 would stop clause spans (which start after 一是) from aligning with tokens.
    junk = re.compile(r"^[一二三四五六七八九十]+[是要]|^[是要并和的对在等]|[的对和在是等与]$")
    terms = {g for g in frequent if g not in absorbed and not junk.search(g)}
    terms |= {t for t in quoted if not t.isdigit()}
    return sorted(terms)


def load_pkuseg_dictionary() -> set[str]:
    import spacy_pkuseg

    path = Path(spacy_pkuseg.__file__).parent / "dicts" / "default.pkl"
    with open(path, "rb") as f:
        return {w for w in pickle.load(f).split("\n") if w}


def max_match(text: str, words: set[str]) -> list[str]:
    """Bidirectional maximum matching: the split with fewer words (then fewer single characters)."""
    forward = _forward(text, words)
    backward = _backward(text, words)
    key = lambda seg: (len(seg), sum(1 for w in seg if len(w) == 1))  # noqa: E731
    return forward if key(forward) <= key(backward) else backward


def _forward(text: str, words: set[str]) -> list[str]:
    out, i = [], 0
    while i < len(text):
        for n in range(min(MAX_WORD, len(text) - i), 0, -1):
            if n == 1 or text[i : i + n] in words:
                out.append(text[i : i + n])
                i += n
                break
    return out


def _backward(text: str, words: set[str]) -> list[str]:
    out, j = [], len(text)
    while j > 0:
        for n in range(min(MAX_WORD, j), 0, -1):
            if n == 1 or text[j - n : j] in words:
                out.append(text[j - n : j])
                j -= n
                break
    return out[::-1]


def segment_for_training(text: str, words: set[str]) -> str:
    """One training line for spacy_pkuseg.train: words separated by spaces. Runs of
    digits/latin stay whole; CJK runs are split by maximum matching."""
    tokens: list[str] = []
    for piece in re.findall(r"[\u4e00-\u9fff]+|[0-9.%xX]+|[A-Za-z]+|\S", text):
        tokens += max_match(piece, words) if _CJK_RUN.fullmatch(piece) else [piece]
    return " ".join(tokens)


def train_pkuseg(sentences: list[dict], out_dir: Path, train_iter: int = 10) -> tuple[Path, Path]:
    """Train a pkuseg model on the corpus, offline. Returns (model dir, user dict file)."""
    import spacy_pkuseg

    out_dir.mkdir(parents=True, exist_ok=True)
    terms = mine_policy_terms(sentences)
    user_dict = out_dir / "user_dict.txt"
    user_dict.write_text("\n".join(terms) + "\n", encoding="utf-8")
    words = load_pkuseg_dictionary() | set(terms)
    lines = [segment_for_training(s["text"], words) for s in sentences if s["text"].strip()]
    held_out = lines[::10]  # pkuseg wants a test file; it only reports on it
    train_file, test_file = out_dir / "train.txt", out_dir / "test.txt"
    train_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    test_file.write_text("\n".join(held_out) + "\n", encoding="utf-8")
    model_dir = out_dir / "model"
    spacy_pkuseg.train(str(train_file), str(test_file), str(model_dir), train_iter=train_iter)
    return model_dir, user_dict
