"""A team writing at the same time: 8, 16 and 32 annotator accounts label through the API concurrently.

Starts a throw-away Doccano on 127.0.0.1 (temp home, free port, random passwords kept in memory only),
then for each team size: one project, one slice of N examples per annotator (sentences of
corpus/sentences.jsonl that the cue-word rule labels), one account per annotator, one thread per
annotator writing categories, spans and "done" for each of its examples (every API write timed, none
retried, so every failure counts as an error). Then the admin pulls the project and every written
answer must be found, exactly, and nothing else.

Bounded: at most 64 accounts and 400 examples each, a time limit per team size (--limit-seconds; the
writers stop when it is reached), 127.0.0.1 only. Prints writes/s, p50/p95/max latency, errors, and
written vs found; writes training/bench_team.json.

  python scripts/bench_team.py                         # sizes 8 16 32, 40 examples each
  python scripts/bench_team.py --sizes 8 --examples 400
"""

from __future__ import annotations

import argparse
import json
import platform
import secrets
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from govreport.annotations import read_sentences
from govreport.doccano import Client, Credentials, DoccanoError, add_annotator, pull, push, utf16_offset
from govreport.doccano_server import DOCCANO_VERSION, Server, serve, stop
from govreport.suggest import suggest

ROOT = Path(__file__).resolve().parents[1]
MAX_ACCOUNTS, MAX_EXAMPLES = 64, 400


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def labelled_sentences(path: Path, count: int) -> list[dict]:
    """Sentences with a non-empty cue-word suggestion (so every answer has categories and spans)."""
    chosen = []
    for sentence in read_sentences(path).values():
        answer = suggest(sentence["text"], sentence.get("section") or "")
        if answer["cats"] and answer["spans"]:
            chosen.append({**sentence, "answer": answer})
            if len(chosen) == count:
                return chosen
    raise SystemExit(f"{path} has only {len(chosen)} sentences with a suggestion; {count} needed.")


class Writer(threading.Thread):
    """One annotator: logs in, then writes each example's answer (clear, categories, spans, done)."""

    def __init__(self, credentials: Credentials, project_id: int, examples: list[dict], labels: dict,
                 deadline: float, barrier: threading.Barrier):
        super().__init__()
        self.credentials, self.project_id, self.examples, self.labels = credentials, project_id, examples, labels
        self.deadline, self.barrier = deadline, barrier
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.written: dict[str, dict] = {}

    def timed(self, method, *args, **kwargs) -> None:
        start = time.perf_counter()
        try:
            self.client.call(method, *args, what="write", retries=0, **kwargs)
        finally:
            self.latencies.append(time.perf_counter() - start)

    def run(self) -> None:
        try:
            self.client = Client(self.credentials)
        except DoccanoError as err:
            self.errors.append(f"login: {err}")
            self.barrier.abort()
            return
        try:
            self.barrier.wait(timeout=300)  # everyone starts writing at once
        except threading.BrokenBarrierError:
            return
        api, project = self.client.api, self.project_id
        for example in self.examples:
            if time.monotonic() > self.deadline:
                self.errors.append("time limit reached")
                return
            answer, text, example_id = example["answer"], example["text"], example["example_id"]
            try:
                self.timed(api.delete_all_categories, project, example_id)
                self.timed(api.delete_all_spans, project, example_id)
                for label in answer["cats"]:
                    self.timed(api.create_category, project, example_id, self.labels["category"][label],
                               human_annotated=True)
                for start, end, label in answer["spans"]:
                    self.timed(api.create_span, project, example_id, utf16_offset(text, start),
                               utf16_offset(text, end), self.labels["span"][label], human_annotated=True)
                self.timed(api.update_example_state, project, example_id)
            except DoccanoError as err:
                self.errors.append(str(err))
                continue
            self.written[example["id"]] = answer


def run_size(admin: Client, size: int, examples_each: int, sentences: list[dict], limit: float) -> dict:
    project = f"team-{size}"
    rows = sentences[: size * examples_each]
    result = push(admin, project, rows, batch_size=500, guideline="bench")
    by_id = admin.examples_by_sentence_id(result.project_id)
    for row in rows:
        row["example_id"] = by_id[row["id"]]["id"]
    labels = {kind: admin.label_ids(result.project_id, kind) for kind in ("category", "span")}
    accounts = []
    for number in range(1, size + 1):
        credentials = Credentials(admin.url, f"t{size}_ann{number:02d}", secrets.token_urlsafe(16))
        add_annotator(admin, project, credentials.username, credentials.password)
        accounts.append(credentials)
    barrier = threading.Barrier(size + 1)
    deadline = time.monotonic() + limit
    writers = [Writer(credentials, result.project_id, rows[i * examples_each:(i + 1) * examples_each], labels,
                      deadline, barrier) for i, credentials in enumerate(accounts)]
    for writer in writers:
        writer.start()
    barrier.wait(timeout=300)
    start = time.perf_counter()
    for writer in writers:
        writer.join()
    seconds = time.perf_counter() - start

    files = pull(admin, project)  # only examples marked done, one file per annotator
    found = {}
    for annotator, lines in files.items():
        for line in lines:
            if line.strip():
                row = json.loads(line)
                text = row["text"]
                spans = sorted([s, e, label] for s, e, label in row["entities"])
                found[(annotator, row["id"])] = (sorted(row["cats"]), spans)
    written = {}
    for writer in writers:
        for sentence_id, answer in writer.written.items():
            text = next(r["text"] for r in writer.examples if r["id"] == sentence_id)
            spans = sorted([utf16_offset(text, s), utf16_offset(text, e), label] for s, e, label in answer["spans"])
            written[(writer.credentials.username, sentence_id)] = (sorted(answer["cats"]), spans)
    latencies = sorted(latency for writer in writers for latency in writer.latencies)
    errors = [error for writer in writers for error in writer.errors]
    quantile = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000 if latencies else 0.0  # noqa: E731
    return {
        "accounts": size, "examples_each": examples_each, "writes": len(latencies), "seconds": round(seconds, 2),
        "writes_per_s": round(len(latencies) / seconds, 1) if seconds else 0.0,
        "p50_ms": round(quantile(0.50), 1), "p95_ms": round(quantile(0.95), 1), "max_ms": round(quantile(1.0), 1),
        "mean_ms": round(statistics.fmean(latencies) * 1000, 1) if latencies else 0.0,
        "errors": len(errors), "first_errors": sorted(set(errors))[:5],
        "answers_written": len(written), "answers_found": len(found),
        "found_equals_written": found == written,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[8, 16, 32])
    parser.add_argument("--examples", type=int, default=40, help="examples per annotator")
    parser.add_argument("--limit-seconds", type=float, default=240.0, help="time limit per team size")
    parser.add_argument("--sentences", type=Path, default=ROOT / "corpus" / "sentences.jsonl")
    parser.add_argument("--out", type=Path, default=ROOT / "training" / "bench_team.json")
    args = parser.parse_args()
    if max(args.sizes) > MAX_ACCOUNTS or args.examples > MAX_EXAMPLES or min(args.sizes) < 1:
        raise SystemExit(f"bounded: 1-{MAX_ACCOUNTS} accounts, at most {MAX_EXAMPLES} examples each.")
    console = Console(width=150)
    sentences = labelled_sentences(args.sentences, max(args.sizes) * args.examples)
    home = Path(tempfile.mkdtemp(prefix="govreport-bench-team-"))
    server = Server.at(home, ROOT / ".doccano" / "venv", free_port())  # 127.0.0.1 only
    admin_credentials = Credentials(server.url, "bench_lead", secrets.token_urlsafe(16))
    results = []
    try:
        console.print(f"starting a throw-away Doccano at {server.url} ({home})")
        serve(server, admin_credentials.username, admin_credentials.password, log=console.print)
        admin = Client(admin_credentials)
        for size in args.sizes:
            console.print(f"{size} annotators x {args.examples} examples ...")
            results.append(run_size(admin, size, args.examples, [dict(s) for s in sentences], args.limit_seconds))
    finally:
        stop(server)
    table = Table(title=f"Doccano {DOCCANO_VERSION}, SQLite, gunicorn 2 workers, 127.0.0.1")
    for column in ("accounts", "examples each", "writes", "s", "writes/s", "p50 ms", "p95 ms", "max ms", "errors",
                   "answers written", "found after pull", "equal"):
        table.add_column(column, justify="right")
    for r in results:
        table.add_row(*map(str, (r["accounts"], r["examples_each"], r["writes"], r["seconds"], r["writes_per_s"],
                                 r["p50_ms"], r["p95_ms"], r["max_ms"], r["errors"], r["answers_written"],
                                 r["answers_found"], "yes" if r["found_equals_written"] else "NO")))
    console.print(table)
    for r in results:
        for error in r["first_errors"]:
            console.print(f"[red]{r['accounts']} accounts: {error}[/red]")
    args.out.write_text(json.dumps({"database": "sqlite", "doccano": DOCCANO_VERSION, "python": platform.python_version(),
                                    "date": time.strftime("%Y-%m-%d"), "results": results}, indent=1) + "\n")
    console.print(f"written to {args.out}")
    if not all(r["found_equals_written"] and not r["errors"] for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
