"""Time push / annotate / pull of the whole corpus against a local Doccano; print a table.

Usage:
  python scripts/bench_doccano.py                  # starts a throw-away server (temp home, free port)
  python scripts/bench_doccano.py --running        # uses DOCCANO_URL / DOCCANO_USERNAME / DOCCANO_PASSWORD
Options: --sentences FILE (default corpus/sentences.jsonl), --annotate N (answers to write, default all).
The answers written are the cue-word suggestions, so pull has something to convert and check.
"""

from __future__ import annotations

import argparse
import secrets
import shutil
import socket
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from govreport.annotations import read_sentences
from govreport.doccano import Client, Credentials, annotate, convert_export, pull, push
from govreport.doccano_server import Server, serve, stop
from govreport.suggest import suggest

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def timed(results: list, step: str, count_label, function):
    start = time.perf_counter()
    value = function()
    seconds = time.perf_counter() - start
    count = count_label(value)
    results.append((step, count, seconds))
    return value


def bench(credentials: Credentials, sentences: dict[str, dict], n_annotate: int | None) -> list:
    project = f"bench-{time.strftime('%Y%m%d-%H%M%S')}"
    results: list = []
    client = timed(results, "login", lambda _: 1, lambda: Client(credentials))
    timed(results, "push (new project)", lambda r: r.uploaded, lambda: push(client, project, sentences.values()))
    timed(results, "push again (no-op)", lambda r: r.already_there, lambda: push(client, project, sentences.values()))
    answers = [{"id": sid, **suggest(s["text"], s["section"])} for sid, s in list(sentences.items())[:n_annotate]]
    timed(results, "annotate (API writes)", lambda r: r[0], lambda: annotate(client, project, answers))
    files = timed(results, "pull: export + download", lambda f: sum(len(v) for v in f.values()),
                  lambda: pull(client, project))
    timed(results, "pull: convert + validate", lambda r: len(r[0]), lambda: convert_export(files, sentences))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=Path, default=ROOT / "corpus" / "sentences.jsonl")
    parser.add_argument("--running", action="store_true", help="use the server named by DOCCANO_URL")
    parser.add_argument("--annotate", type=int, default=None, help="answers to write (default: all)")
    args = parser.parse_args()
    sentences = read_sentences(args.sentences)

    server = None
    if args.running:
        credentials = Credentials.from_env()
    else:
        server = Server.at(Path(tempfile.mkdtemp(prefix="bench_doccano_")), ROOT / ".doccano" / "venv", free_port())
        credentials = Credentials(server.url, "bench", secrets.token_urlsafe(16))
        start = time.perf_counter()
        serve(server, credentials.username, credentials.password, log=lambda m: None)
        print(f"server started in {time.perf_counter() - start:.1f} s at {server.url}")
    try:
        results = bench(credentials, sentences, args.annotate)
    finally:
        if server is not None:
            stop(server)
            shutil.rmtree(server.home, ignore_errors=True)

    table = Table(title=f"Doccano round trip: {len(sentences)} sentences from {args.sentences.name}")
    for column in ("step", "rows", "seconds", "rows/s"):
        table.add_column(column, justify="left" if column == "step" else "right")
    for step, count, seconds in results:
        table.add_row(step, str(count), f"{seconds:.2f}", f"{count / seconds:.0f}" if seconds else "-")
    Console().print(table)


if __name__ == "__main__":
    main()
