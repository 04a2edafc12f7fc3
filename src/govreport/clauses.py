"""Clauses: the span units of docs/ANNOTATION_GUIDELINES.md ("Spans"), and the spaCy parts built on them.

- ``clause_spans``: where a sentence's spans may start and end (used by segmentation, suggestions,
  baselines and prediction).
- The clause pipeline (configs/clause.cfg): 99.5% of gold spans are exactly one clause, and a sentence's
  categories are exactly the labels of its spans. So a ``spancat`` whose suggester
  (``govreport.clause_suggester.v1``) proposes the clauses scores each clause, and
  ``govreport_clause_labels`` turns those scores into what users read:
  ``doc.ents``, each clause whose best label reaches that label's threshold, with that label; and
  ``doc.cats[LABEL]``, the highest score any clause got for LABEL. With ``cats = "mean"``, a sentence model
  that ran before (``govreport_sentence_tfidf``: a TF-IDF logistic regression over the sentence's character
  n-grams and its section kind, fitted with scikit-learn when the pipeline is initialized) is averaged into
  every clause's score first: a linear n-gram model and the clause model err differently, and the sentence's
  categories stay exactly its spans' labels. Thresholds per label are tuned after training
  (`govreport evaluate`) and saved with the component.

One self-contained file (it imports only re, json, numpy, srsly, spaCy and thinc; scikit-learn only to fit the
sentence model in training): `govreport package` ships it inside
the model package (`spacy package --code`), so a packaged pipeline loads without govreport installed;
with govreport installed, spaCy finds the same parts through entry points (pyproject.toml).
"""

# No `from __future__ import annotations`: spaCy validates factory arguments from real annotations.
import json
import re
from functools import lru_cache, partial
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Tuple

import numpy
import srsly
from spacy.language import Language
from spacy.scorer import Scorer, get_ner_prf
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.util import minibatch, registry
from thinc.api import Maxout, Model, Ops, chain, concatenate, get_current_ops, with_array
from thinc.types import Floats2d, Ragged


# Clause boundaries of the guidelines ("Spans"): ，；：。！？ and , ; : ! ? — not 、, not a
# comma inside a number (17,486), not punctuation inside quotation marks.
CLAUSE_END = "，；：。！？,;:!?"
_OPEN_QUOTES = {"“": "”", "‘": "’", "「": "」", "『": "』", "《": "》"}
# Leading words a span leaves out (list markers and connectives; guidelines + clarifications).
# Bare 指 is not among them (it starts 指导); 并 only when it is the connective, not 并网/并购.
LEADING = re.compile(
    r"^(?:(?:[一二三四五六七八九十]+[是要]|[(（][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|\d{1,2}[.、．](?!\d)"
    r"|——|--|-|同时|此外|今年以来|截至目前|截止目前|目前|其中|并(?![购网轨联入列存举重])|另外|特别是|即|是指)\s*)+"
)
TRAILING = re.compile(r"(?:\[\d+\])+$")


def clause_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each clause of a sentence, without closing punctuation,
    list markers, leading connectives or footnote markers. Empty clauses are dropped."""
    spans = []
    begin = 0
    closing: list[str] = []
    ascii_quote_open = False
    unmatched = _unmatched_quotes(text)
    for i, ch in enumerate(text):
        if i in unmatched:
            continue  # a quote the sentence never closes (split inside it) protects nothing
        if closing and ch == closing[-1]:
            closing.pop()
        elif ch in _OPEN_QUOTES:
            closing.append(_OPEN_QUOTES[ch])
        elif ch == '"':
            ascii_quote_open = not ascii_quote_open
        elif ch in CLAUSE_END and not closing and not ascii_quote_open:
            if ch in ",，" and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit():
                continue
            _add_clause(spans, text, begin, i)
            begin = i + 1
    _add_clause(spans, text, begin, len(text))
    return spans


def _unmatched_quotes(text: str) -> set[int]:
    """Positions of opening quotes that are never closed in ``text``."""
    stack: list[tuple[str, int]] = []
    ascii_open: list[int] = []
    for i, ch in enumerate(text):
        if stack and ch == stack[-1][0]:
            stack.pop()
        elif ch in _OPEN_QUOTES:
            stack.append((_OPEN_QUOTES[ch], i))
        elif ch == '"':
            if ascii_open:
                ascii_open.pop()
            else:
                ascii_open.append(i)
    return {i for _, i in stack} | set(ascii_open)


def _add_clause(spans: list[tuple[int, int]], text: str, begin: int, end: int) -> None:
    piece = text[begin:end]
    lead = LEADING.match(piece)
    skip = lead.end() if lead else 0
    trail = TRAILING.search(piece)
    stop = trail.start() if trail else len(piece)
    core = piece[skip:stop]
    left = len(core) - len(core.lstrip(" \u3000"))
    core = core.strip(" \u3000")
    # A clause that is only closing punctuation/quotes carries nothing.
    if core and any(not _is_punct(c) for c in core):
        spans.append((begin + skip + left, begin + skip + left + len(core)))


def _is_punct(ch: str) -> bool:
    return ch in "。，、；：！？,.;:!?\"'“”‘’（）()《》【】[]—-…·" or ch.isspace()


# ---------------------------------------------------------------- sections

# Where a sentence stands decides much of its label: the same 增长7% is a TARGET in the plan part of a
# report and an ACHIEVEMENT in its review. `doc._.section` carries the heading path of the sentence
# ("2026年工作安排 > 一、…", as corpus/sentences.jsonl gives it); the tok2vec sees its kind.
# Heading words, from the headings of the 167 unlabelled reports (corpus/unlabelled; README "Choosing the
# model"): 主要任务, 对今年政府工作的建议, 总体部署 plan; 回顾, 取得…成就, 过去五年 review.
PLAN_SECTION = re.compile(r"计划|安排|思路|打算|任务|建议|目标|谋划|部署|下一步|下步|下半年|下阶段|今后|明年|(主要|重点)工作")
REVIEW_SECTION = re.compile(r"回顾|情况|成绩|成效|成就|进展|总结|以来|过去")
SECTION_KINDS = ("unknown", "plan", "review")

if not Doc.has_extension("section"):
    Doc.set_extension("section", default=None)


def heading_kind(heading: str) -> str:
    """plan, review, mixed (words of both: 发展成就和主要目标任务) or unknown."""
    plan, review = bool(PLAN_SECTION.search(heading)), bool(REVIEW_SECTION.search(heading))
    return ("mixed" if review else "plan") if plan else ("review" if review else "unknown")


@lru_cache(maxsize=4096)  # sentences of one section share it; the tok2vec and the sentence model both ask
def section_kind(section: Optional[str]) -> str:
    """plan, review or unknown. The outermost heading that is plainly one or the other decides: a report's
    parts (工作回顾, 主要任务) say it, while headings within a part often use the other's words (落实…任务
    in a review). A heading path with only mixed headings reviews (it opens with the achievements)."""
    kinds = [heading_kind(heading) for heading in section.split(" > ")] if section else []
    decided = [kind for kind in kinds if kind in ("plan", "review")]
    if decided:
        return decided[0]
    return "review" if "mixed" in kinds else "unknown"


def is_plan_section(section: Optional[str]) -> bool:
    return section_kind(section) == "plan"


def section_index(section: Optional[str]) -> int:
    """The position of the section's kind in SECTION_KINDS: the one-hot column the models read."""
    return SECTION_KINDS.index(section_kind(section))


def section_kind_columns(sections: List[Optional[str]]) -> "numpy.ndarray":
    """One-hot (sections × SECTION_KINDS) of the sections' kinds: the columns the linear models read."""
    kinds = numpy.zeros((len(sections), len(SECTION_KINDS)), dtype="float32")
    kinds[numpy.arange(len(sections)), [section_index(s) for s in sections]] = 1.0
    return kinds


def make_doc(nlp: Language, text: str, section: Optional[str] = None) -> Doc:
    """A doc to run the pipeline on, with the sentence's section (None when unknown)."""
    doc = nlp.make_doc(text)
    doc._.section = section or None
    return doc


@registry.architectures("govreport.SectionEmbed.v1")
def build_section_embed(embed: Model, width: int, sections: bool = True) -> Model:
    """``embed``'s token vectors with the one-hot kind of the doc's section, mixed back to ``width``.
    ``sections = false`` gives ``embed`` alone (the model without sections, for comparison)."""
    if not sections:
        return embed
    return chain(concatenate(embed, Model("section_kind", _section_forward)),
                 with_array(Maxout(width, nP=3, normalize=True, dropout=0.0)))


def _section_forward(model: Model, docs: List[Doc], is_train: bool):
    ops = model.ops
    vectors: List[Floats2d] = []
    for doc in docs:
        vector = ops.alloc2f(len(doc), len(SECTION_KINDS))
        vector[:, section_index(doc._.section)] = 1.0
        vectors.append(vector)
    return vectors, lambda d_vectors: []


@registry.architectures("govreport.BigramEmbed.v1")
def build_bigram_embed(embed: Model, width: int, vectors: Optional[str] = None) -> Model:
    """``embed``'s token vectors with the static vectors of the two character bigrams a token is part of (its
    left neighbour + itself, itself + its right neighbour), mixed back to ``width``. Chinese words are mostly two
    characters: the bigram vectors, trained on the unlabelled reports (``vectors``: an .npz with ``keys`` and
    ``vectors``, made by `scripts/pretrain_vectors.py bigrams`), carry what the words mean without a segmenter.
    The table is read once, when the pipeline is initialized, and saved with the model; it is not trained.
    ``vectors = null`` gives ``embed`` alone."""
    if not vectors:
        return embed
    return chain(concatenate(embed, Model("bigram_vectors", _bigram_forward, init=_bigram_init,
                                          attrs={"path": vectors, "keys": ""}, params={"E": None})),
                 with_array(Maxout(width, nP=3, normalize=True, dropout=0.0)))


_BIGRAM_INDEX: Dict[int, Tuple[str, "numpy.ndarray", "numpy.ndarray", "numpy.ndarray"]] = {}


def _bigram_init(model: Model, X=None, Y=None) -> None:
    with numpy.load(model.attrs["path"]) as table:
        keys, vectors = [str(key) for key in table["keys"]], table["vectors"].astype("float32")
    # Row 0 is the zero vector of every bigram the table does not have.
    model.set_param("E", model.ops.asarray2f(numpy.vstack([numpy.zeros((1, vectors.shape[1]), "f"), vectors])))
    model.attrs["keys"] = "\n".join(keys)


def _bigram_index(model: Model) -> Tuple["numpy.ndarray", "numpy.ndarray", "numpy.ndarray"]:
    """The table's characters as sorted ORTH hashes; its bigrams as sorted codes (position of the first character
    in that array * (its length + 1) + position of the second + 1); and each code's table row. Built once per
    model from the saved keys (again when they change: initialize, from_bytes), so that a batch is looked up with
    numpy instead of token by token."""
    index = _BIGRAM_INDEX.get(model.id)
    if index is None or index[0] is not model.attrs["keys"]:
        from spacy.strings import hash_string

        keys = model.attrs["keys"].split("\n")
        rows = numpy.asarray([row for row, key in enumerate(keys, 1) if len(key) == 2], dtype="int64")
        keys = [key for key in keys if len(key) == 2]
        chars = numpy.asarray(sorted({hash_string(ch) for key in keys for ch in key}), dtype="uint64")
        first = numpy.searchsorted(chars, numpy.asarray([hash_string(key[0]) for key in keys], dtype="uint64"))
        second = numpy.searchsorted(chars, numpy.asarray([hash_string(key[1]) for key in keys], dtype="uint64"))
        codes = first.astype("int64") * (len(chars) + 1) + second + 1
        order = numpy.argsort(codes)
        index = _BIGRAM_INDEX[model.id] = (model.attrs["keys"], chars, codes[order], rows[order])
    return index[1:]


def _bigram_rows(model: Model, orths: "numpy.ndarray") -> "numpy.ndarray":
    """The table row of each bigram (orths[i], orths[i + 1]) of a run of ORTH hashes; 0 where the table has none."""
    chars, codes, rows = _bigram_index(model)
    if len(orths) < 2 or not len(codes):
        return numpy.zeros(max(len(orths) - 1, 0), dtype="int64")
    position = numpy.minimum(numpy.searchsorted(chars, orths), len(chars) - 1)
    known = chars[position] == orths
    code = position[:-1].astype("int64") * (len(chars) + 1) + position[1:] + 1
    found = numpy.minimum(numpy.searchsorted(codes, code), len(codes) - 1)
    return numpy.where((codes[found] == code) & known[:-1] & known[1:], rows[found], 0)


def _bigram_forward(model: Model, docs: List[Doc], is_train: bool):
    from spacy.attrs import ORTH

    table = model.get_param("E")
    # one lookup for the whole batch; the pairs that straddle two docs are never read
    orths = [doc.to_array(ORTH) for doc in docs]
    pairs = _bigram_rows(model, numpy.concatenate(orths) if orths else numpy.zeros(0, dtype="uint64"))
    outputs: List[Floats2d] = []
    start = 0
    for doc in docs:
        # token i: the bigram ending at it (rows[i]) and the one starting at it (rows[i + 1])
        rows = numpy.concatenate([[0], pairs[start:start + len(doc) - 1], [0]]) if len(doc) else numpy.zeros(1, "int64")
        vectors = table[rows]
        outputs.append(model.ops.xp.hstack([vectors[:-1], vectors[1:]]))
        start += len(doc)
    return outputs, lambda d_outputs: []


@registry.callbacks("govreport.numpy_matmul.v1")
def build_numpy_matmul() -> Callable[[Language], Language]:
    """An ``[nlp.after_pipeline_creation]`` callback: the CPU layers do their matrix products with numpy's BLAS
    (OpenBLAS in numpy's wheels) instead of thinc's default blis. Same scores to 1e-6; 1.35 times the sentences/s
    per core on the machine of README "Benchmarks", and numpy may use every core. A GPU's ops are left alone."""
    from thinc.api import NumpyOps

    def use_numpy_matmul(nlp: Language) -> Language:
        ops = NumpyOps(use_blis=False)
        for _, component in nlp.pipeline:
            model = getattr(component, "model", None)
            if isinstance(model, Model) and type(model.ops) is NumpyOps:
                for node in model.walk():
                    node.ops = ops
        return nlp

    return use_numpy_matmul


# ---------------------------------------------------------------- the clause pipeline

SUGGESTER = "govreport.clause_suggester.v1"
FACTORY = "govreport_clause_labels"


def suggest_clauses(docs: Iterable[Doc], *, ops: Optional[Ops] = None) -> Ragged:
    """Token (start, end) of every clause of each doc, as spaCy's span suggesters return them."""
    ops = ops or get_current_ops()
    spans, lengths = [], []
    for doc in docs:
        count = 0
        for start_char, end_char in clause_spans(doc.text):
            span = doc.char_span(start_char, end_char, alignment_mode="expand")
            if span is not None and len(span):
                spans.append([span.start, span.end])
                count += 1
        lengths.append(count)
    data = ops.asarray2i(spans) if spans else ops.xp.zeros((0, 0), dtype="i")
    return Ragged(data, ops.asarray1i(lengths))


@registry.misc(SUGGESTER)
def build_clause_suggester() -> Callable[..., Ragged]:
    return suggest_clauses


class ClauseLabels:
    """Clause scores of a span categorizer -> doc.ents and doc.cats (see the module docstring)."""

    def __init__(self, name: str, spans_key: str, spancat: str, threshold: float, cats: str):
        if cats not in ("clauses", "mean"):
            raise ValueError(f"{name}: cats must be 'clauses' or 'mean', got {cats!r}")
        self.name = name
        self.cfg = {"spans_key": spans_key, "spancat": spancat, "threshold": threshold, "cats": cats,
                    "labels": [], "thresholds": {}}

    @property
    def labels(self) -> List[str]:
        return list(self.cfg["labels"])

    @property
    def thresholds(self) -> Dict[str, float]:
        return {label: float(self.cfg["thresholds"].get(label, self.cfg["threshold"])) for label in self.labels}

    def set_thresholds(self, thresholds: Dict[str, float]) -> None:
        unknown = set(thresholds) - set(self.labels)
        if unknown:
            raise ValueError(f"{self.name}: no such label(s) {sorted(unknown)}; labels are {self.labels}")
        self.cfg["thresholds"] = {label: float(value) for label, value in thresholds.items()}

    def initialize(self, get_examples: Callable[[], Iterable[Example]], *, nlp: Language) -> None:
        self.cfg["labels"] = list(nlp.get_pipe(self.cfg["spancat"]).labels)

    def __call__(self, doc: Doc) -> Doc:
        group = doc.spans.get(self.cfg["spans_key"], [])
        scores = group.attrs.get("scores", []) if len(group) else []
        thresholds = self.thresholds
        # "mean": the text classifier's sentence score, averaged into each clause's (0 when it did not run)
        mean = self.cfg["cats"] == "mean"
        sentence = {label: doc.cats.get(label, 0.0) for label in self.labels}
        best: Dict[Tuple[int, int], Tuple[float, str]] = {}
        top = {label: sentence[label] / 2 if mean else 0.0 for label in self.labels}
        for span, score in zip(group, scores):
            label = span.label_
            score = (float(score) + sentence.get(label, 0.0)) / 2 if mean else float(score)
            top[label] = max(top.get(label, 0.0), score)
            key = (span.start, span.end)
            if score >= thresholds.get(label, 1.0) and (key not in best or score > best[key][0]):
                best[key] = (score, label)
        doc.ents = [Span(doc, start, end, label=label) for (start, end), (_, label) in sorted(best.items())]
        for label, score in top.items():
            doc.cats[label] = score
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 1000) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)

    def score(self, examples: Iterable[Example], **kwargs) -> dict:
        examples = list(examples)
        scores = get_ner_prf(examples)
        scores.update(Scorer.score_cats(examples, "cats", labels=self.labels, multi_label=True,
                                        threshold=self.cfg["threshold"]))
        return scores

    def to_disk(self, path, *, exclude=tuple()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "cfg.json").write_text(json.dumps(self.cfg, ensure_ascii=False, indent=1), encoding="utf-8")

    def from_disk(self, path, *, exclude=tuple()) -> "ClauseLabels":
        self.cfg.update(json.loads((Path(path) / "cfg.json").read_text(encoding="utf-8")))
        return self

    def to_bytes(self, *, exclude=tuple()) -> bytes:
        return json.dumps(self.cfg).encode("utf-8")

    def from_bytes(self, data: bytes, *, exclude=tuple()) -> "ClauseLabels":
        self.cfg.update(json.loads(data.decode("utf-8")))
        return self


def make_clause_labels(nlp: Language, name: str, spans_key: str, spancat: str, threshold: float,
                       cats: str) -> ClauseLabels:
    return ClauseLabels(name, spans_key, spancat, threshold, cats)


# Registered once: when govreport is installed as well as the model package, the package's copy of
# this file finds the factory already there (through govreport's entry point) and leaves it.
if not Language.has_factory(FACTORY):
    Language.factory(
        FACTORY,
        default_config={"spans_key": "sc", "spancat": "spancat", "threshold": 0.5, "cats": "clauses"},
        default_score_weights={"ents_f": 0.5, "cats_macro_f": 0.5, "ents_p": None, "ents_r": None,
                               "ents_per_type": None, "cats_score": None},
    )(make_clause_labels)


# ---------------------------------------------------------------- the sentence model

# A TF-IDF logistic regression over the sentence's character n-grams and its section's kind, fitted with
# scikit-learn when the pipeline is initialized (`spacy train` hands it the training corpus) and kept as
# plain arrays, so the packaged pipeline scores sentences with numpy alone. spaCy's bag-of-n-grams textcat,
# trained by gradient steps beside the spancat, learned the same kind of model less well (README "Choosing
# the model"); a convex fit also leaves nothing to the seed.
TFIDF_FACTORY = "govreport_sentence_tfidf"


def char_ngrams(text: str, ngram_size: int = 3) -> List[str]:
    """Every character n-gram of ``text`` for n = 1..ngram_size (whitespace runs read as one space)."""
    text = re.sub(r"\s+", " ", text)
    return [text[i:i + n] for n in range(1, ngram_size + 1) for i in range(len(text) - n + 1)]


class SentenceTfidf:
    """Sets doc.cats[label] to a logistic regression's probability over TF-IDF character n-grams (sublinear
    term frequency, L2-normalised) plus the one-hot kind of the doc's section."""

    def __init__(self, name: str, ngram_size: int, C: float, class_weight: Optional[str], sections: bool):
        self.name = name
        self.cfg = {"ngram_size": ngram_size, "C": C, "class_weight": class_weight, "sections": sections,
                    "labels": []}
        self.vocab: Dict[str, int] = {}
        self.idf = self.coef = self.intercept = None

    @property
    def labels(self) -> List[str]:
        return list(self.cfg["labels"])

    def initialize(self, get_examples: Callable[[], Iterable[Example]], *, nlp: Language) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.multiclass import OneVsRestClassifier

        # Each sentence once with its section and once without: the other parts see both over their epochs
        # when the reader hides sections (section_dropout), and a sentence given no section is labelled
        # too. Repeats (oversampled examples) count once; the fit does not depend on the seed.
        seen, texts, sections, cats = set(), [], [], []
        for example in get_examples():
            text, section, answer = example.reference.text, example.reference._.section or None, example.reference.cats
            for key in ((text, section), (text, None)) if self.cfg["sections"] else ((text, None),):
                if (key, tuple(sorted(answer.items()))) not in seen:
                    seen.add((key, tuple(sorted(answer.items()))))
                    texts.append(key[0])
                    sections.append(key[1])
                    cats.append(answer)
        labels = sorted({label for c in cats for label in c})
        y = numpy.array([[1 if c.get(label, 0.0) >= 0.5 else 0 for label in labels] for c in cats])
        missing = [label for i, label in enumerate(labels) if len(set(y[:, i])) < 2]
        if not texts or missing:
            raise ValueError(f"{self.name}: every label needs positive and negative training examples; "
                             f"{missing or 'no examples'} do(es) not have both")
        vectorizer = TfidfVectorizer(analyzer=partial(char_ngrams, ngram_size=self.cfg["ngram_size"]),
                                     sublinear_tf=True)
        x = vectorizer.fit_transform(texts)
        self.vocab = {ngram: int(i) for ngram, i in vectorizer.vocabulary_.items()}
        self.idf = vectorizer.idf_.astype("float32")
        model = OneVsRestClassifier(LogisticRegression(C=self.cfg["C"], class_weight=self.cfg["class_weight"],
                                                       max_iter=2000))
        model.fit(self._with_sections(x, sections), y)
        self.coef = numpy.vstack([e.coef_[0] for e in model.estimators_]).T.astype("float32")
        self.intercept = numpy.array([e.intercept_[0] for e in model.estimators_], dtype="float32")
        self.cfg["labels"] = labels

    def _with_sections(self, x, sections):
        from scipy.sparse import csr_matrix, hstack

        kinds = (section_kind_columns(sections) if self.cfg["sections"]
                 else numpy.zeros((x.shape[0], len(SECTION_KINDS)), dtype="float32"))
        return hstack([x, csr_matrix(kinds)]).tocsr()

    def predict_proba(self, docs: List[Doc]) -> "numpy.ndarray":
        """(docs × labels) probabilities, as scikit-learn's predict_proba gives them. One pass of numpy over
        the whole batch: the n-grams' (doc, column) pairs are counted, weighted and summed per doc at once."""
        n_text = len(self.vocab)
        logits = numpy.tile(self.intercept.astype("float64"), (len(docs), 1))
        rows: List[int] = []
        columns: List[int] = []
        for row, doc in enumerate(docs):
            found = [c for c in map(self.vocab.get, char_ngrams(doc.text, self.cfg["ngram_size"])) if c is not None]
            columns.extend(found)
            rows.extend([row] * len(found))
        if columns:
            keys, counts = numpy.unique(numpy.asarray(rows, dtype="int64") * n_text + numpy.asarray(columns), return_counts=True)
            row_of, column_of = numpy.divmod(keys, n_text)
            weights = (1.0 + numpy.log(counts)) * self.idf[column_of]  # sublinear tf × idf
            weights /= numpy.sqrt(numpy.bincount(row_of, weights=weights ** 2, minlength=len(docs)))[row_of]  # L2
            products = weights[:, None] * self.coef[column_of]
            for label in range(logits.shape[1]):
                logits[:, label] += numpy.bincount(row_of, weights=products[:, label], minlength=len(docs))
        if self.cfg["sections"]:
            logits += self.coef[[n_text + section_index(doc._.section) for doc in docs]]
        return 1.0 / (1.0 + numpy.exp(-logits))

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 1000) -> Iterable[Doc]:
        for batch in minibatch(docs, size=batch_size):
            for doc, probs in zip(batch, self.predict_proba(batch) if self.coef is not None else []):
                for label, prob in zip(self.labels, probs):
                    doc.cats[label] = float(prob)
            yield from batch

    def _data(self) -> dict:
        return {"cfg": self.cfg, "vocab": self.vocab, "idf": self.idf, "coef": self.coef,
                "intercept": self.intercept}

    def _set(self, data: dict) -> "SentenceTfidf":
        self.cfg.update(data["cfg"])
        self.vocab, self.idf, self.coef, self.intercept = data["vocab"], data["idf"], data["coef"], data["intercept"]
        return self

    def to_bytes(self, *, exclude=tuple()) -> bytes:
        return srsly.msgpack_dumps(self._data())

    def from_bytes(self, data: bytes, *, exclude=tuple()) -> "SentenceTfidf":
        return self._set(srsly.msgpack_loads(data))

    def to_disk(self, path, *, exclude=tuple()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "model.msgpack").write_bytes(self.to_bytes())

    def from_disk(self, path, *, exclude=tuple()) -> "SentenceTfidf":
        return self.from_bytes((Path(path) / "model.msgpack").read_bytes())


def make_sentence_tfidf(nlp: Language, name: str, ngram_size: int, C: float, class_weight: Optional[str],
                        sections: bool) -> SentenceTfidf:
    return SentenceTfidf(name, ngram_size, C, class_weight, sections)


if not Language.has_factory(TFIDF_FACTORY):
    Language.factory(
        TFIDF_FACTORY,
        default_config={"ngram_size": 3, "C": 10.0, "class_weight": "balanced", "sections": True},
    )(make_sentence_tfidf)
