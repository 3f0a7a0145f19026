"""Vector store search latency at 1,000 and 100,000 chunks, against a plain in-memory scan.

.venv/bin/python -m bench.search [--chunks 1000,100000] [--dimensions 1536] [--chunk-words 300]
                                 [--queries 12] [--rounds 4] [--server-blas-threads N]
                                 [--database-url postgresql://...]

One vector store per size is created through the API, with files of up to 1,000 chunks each
uploaded through the API; their `vector_store_files` rows (status `completed`) and chunks are
then written straight into the database: generated prose (see bench/ingestion.py) with
float32 embeddings equal to `hashed_embedding(text, dimensions)` of the fake model. The
server embeds each query with `text-embedding-3-small`, served here by a small embeddings
server of this bench giving the same vectors at the same width.

Timed, interleaved, on the same generated queries (six words each, common and rare):
(a) `vector_stores.search(query=..., max_num_results=10)` through the server; (b) the
baseline, a plain scan in this process of the same unit vectors (query . matrix,
argpartition top 10, on one BLAS thread); (c) `Searcher.search` in this process on the same
database (the server's search without HTTP), and its parts: the lexical ranking alone, the
query's embedding (a round trip to the embeddings server) and the warm vector ranking alone.
Stores are filled smallest first, and after each fill every store filled so far is measured:
the lexical index is one for the whole database, so a small store is measured alone and again
beside the larger ones. The first call per store loads its vectors into the server's memory:
it is shown apart. Checks: the vector ranking's top 10 scores equal the scan's, the server's
results equal the in-process ones, and a chunk's own text finds that chunk first.
"""

from __future__ import annotations

# ruff: noqa: E402
import os

# Scans in this process use one BLAS thread, set before numpy loads: OpenBLAS threads spin
# for a while after each product, and on a small machine they would take CPU from the server
# being timed. The server gets the shell's setting unless --server-blas-threads says.
_SHELL_BLAS_THREADS = os.environ.get("OPENBLAS_NUM_THREADS", "")
os.environ["OPENBLAS_NUM_THREADS"] = "1"

import argparse
import asyncio
import json
import math
import re
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import openai
from numpy.typing import NDArray
from sqlalchemy import text as sql
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from tests.servers import server_process

from assistants_server.api.deps import tenant_of
from assistants_server.config import Settings
from assistants_server.db.models import ChunkRecord, VectorStoreFileRecord
from assistants_server.db.session import create_engine, create_sessionmaker, reading
from assistants_server.llm.fake import hashed_embedding
from assistants_server.llm.registry import BackendRegistry
from assistants_server.retrieval import lexical, pgvector
from assistants_server.retrieval.embeddings import Embedder
from assistants_server.retrieval.search import CANDIDATES, Searcher
from assistants_server.retrieval.vectors import InDatabaseVectors, StoreRef, unit
from bench._common import median, quantile, rss_bytes, server_env
from bench.ingestion import Prose

API_KEY = "bench-search"
EMBEDDINGS_MODEL = "text-embedding-3-small"
CHUNKS_PER_FILE = 1000
BATCH = 2000
TOP = 10
MiB = 1024 * 1024
_WORD = re.compile(r"\w+")


class _EmbeddingsHandler(BaseHTTPRequestHandler):
    """`POST /v1/embeddings`: `hashed_embedding(text, dimensions)` for each input."""

    dimensions: ClassVar[int]

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        if self.path != "/v1/embeddings":
            self._send(404, {"error": {"message": "not found", "type": "invalid_request_error"}})
            return
        given = body.get("input", [])
        texts = [given] if isinstance(given, str) else [str(text) for text in given]
        data = [
            {"object": "embedding", "index": i, "embedding": hashed_embedding(t, self.dimensions)}
            for i, t in enumerate(texts)
        ]
        usage = {"prompt_tokens": 0, "total_tokens": 0}
        self._send(200, {"object": "list", "data": data, "model": body["model"], "usage": usage})

    def _send(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@contextmanager
def _embeddings_server(dimensions: int) -> Iterator[str]:
    """Serve embeddings of width `dimensions` on loopback; yield the /v1 URL."""

    class Handler(_EmbeddingsHandler):
        pass

    Handler.dimensions = dimensions
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    finally:
        httpd.shutdown()
        httpd.server_close()


class _Hasher:
    """`hashed_embedding(text, dimensions)` as float32, with each word's slot and sign
    remembered (the vocabulary is small), so 100,000 chunks embed in seconds."""

    def __init__(self, dimensions: int) -> None:
        self.dimensions = dimensions
        self.known: dict[str, tuple[int, float]] = {}

    def __call__(self, text: str) -> NDArray[np.float32]:
        slots, signs = [], []
        for word in _WORD.findall(text.lower()):
            hit = self.known.get(word)
            if hit is None:
                one = hashed_embedding(word, self.dimensions)
                slot = next(i for i, value in enumerate(one) if value)
                hit = self.known[word] = (slot, math.copysign(1.0, one[slot]))
            slots.append(hit[0])
            signs.append(hit[1])
        vector = np.bincount(slots, weights=signs, minlength=self.dimensions)
        norm = math.sqrt(float(np.dot(vector, vector)))
        return (vector / norm if norm else vector).astype(np.float32)


@dataclass
class Store:
    size: int
    id: str = ""
    version: int = 0
    matrix: NDArray[np.float32] = field(default_factory=lambda: np.zeros((0, 0), np.float32))
    chunk_ids: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    sample: str = ""  # the text of one chunk
    fill_seconds: float = 0.0


async def _fill(
    database_url: str,
    store: Store,
    file_ids: list[str],
    prose: Prose,
    hasher: _Hasher,
    chunk_words: int,
) -> None:
    """Write `store.size` chunks into the store's files, marked completed; keep their unit
    vectors in `store.matrix` and their ids in `store.chunk_ids`, row for row."""
    tenant = tenant_of(API_KEY)
    now = int(time.time())
    store.matrix = np.empty((store.size, hasher.dimensions), dtype=np.float32)
    engine = create_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                VectorStoreFileRecord.__table__.insert(),
                [
                    {
                        "vector_store_id": store.id,
                        "file_id": file_id,
                        "tenant_id": tenant,
                        "created_at": now,
                        "status": "completed",
                        "last_error": None,
                        "max_chunk_tokens": 800,
                        "chunk_overlap_tokens": 400,
                        "attributes": {},
                        "usage_bytes": 0,
                        "batch_id": None,
                        "worker_id": None,
                        "lease_expires_at": None,
                    }
                    for file_id in file_ids
                ],
            )
        for start in range(0, store.size, BATCH):
            count = min(BATCH, store.size - start)
            words = prose.words(count * chunk_words)
            rows = []
            for offset in range(count):
                index = start + offset
                text = prose.sentences(words[offset * chunk_words : (offset + 1) * chunk_words])
                vector = hasher(text)
                store.matrix[index] = vector
                if index == store.size // 2:
                    store.sample = text
                rows.append(
                    {
                        "vector_store_id": store.id,
                        "file_id": file_ids[index // CHUNKS_PER_FILE],
                        "position": index % CHUNKS_PER_FILE,
                        "text": text,
                        "lead": 0,
                        "tokens": len(text) // 3,  # an estimate; search does not read it
                        "embedding": vector.astype("<f4").tobytes(),
                    }
                )
            async with engine.begin() as connection:
                await connection.execute(ChunkRecord.__table__.insert(), rows)
        async with engine.begin() as connection:
            await connection.execute(
                sql("UPDATE vector_stores SET chunks_version = chunks_version + 1 WHERE id = :s"),
                {"s": store.id},
            )
            store.version = (
                await connection.execute(
                    sql("SELECT chunks_version FROM vector_stores WHERE id = :s"), {"s": store.id}
                )
            ).scalar_one()
            found = await connection.execute(
                sql("SELECT id FROM chunks WHERE vector_store_id = :s ORDER BY id"),
                {"s": store.id},
            )
            store.chunk_ids = np.array([row[0] for row in found], dtype=np.int64)
        await _into_pgvector(engine, store)
    finally:
        await engine.dispose()
    if len(store.chunk_ids) != store.size:
        raise SystemExit(f"{store.id}: {len(store.chunk_ids)} chunks stored of {store.size}")


async def _into_pgvector(engine: AsyncEngine, store: Store) -> None:
    """Where the server keeps vectors in pgvector, put the filled chunks' vectors there too,
    as ingestion would have (the server copies stored vectors only when it starts)."""
    if engine.dialect.name != "postgresql":
        return
    async with engine.begin() as connection:
        column = await connection.scalar(
            sql(
                "SELECT count(*) FROM information_schema.columns "
                "WHERE table_name = 'chunks' AND column_name = 'embedding_vector'"
            )
        )
    if not column:
        return
    for start in range(0, len(store.chunk_ids), BATCH):
        async with engine.begin() as connection:
            ids = [int(chunk_id) for chunk_id in store.chunk_ids[start : start + BATCH]]
            await pgvector.write_vectors(connection, ids, store.matrix[start : start + BATCH])


def _scan(matrix: NDArray[np.float32], query: NDArray[np.float32]) -> NDArray[np.intp]:
    """The baseline: rows of the `TOP` best cosine similarities, best first."""
    scores = matrix @ query
    top = np.argpartition(-scores, TOP - 1)[:TOP]
    return top[np.argsort(-scores[top])]


def _timed(call: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


@dataclass
class InProcess:
    """The server's search pieces, built as the server builds them, on the same database."""

    runner: asyncio.Runner
    sessionmaker: async_sessionmaker[AsyncSession]
    searcher: Searcher
    tenant: str

    def _session(self, work: Callable[[AsyncSession], Any]) -> Any:
        async def run() -> Any:
            async with reading(self.sessionmaker) as session:
                return await work(session)

        return self.runner.run(run())

    def search(self, store: Store, query: str) -> list[tuple[str, float, str]]:
        """As the server searches: the query embedded first, then ranked in a session."""
        vectors = self.runner.run(self.searcher.embed([query]))
        hits = self._session(
            lambda session: self.searcher.search(
                session, self.tenant, [store.id], [query], vectors, max_num_results=TOP
            )
        )
        return [(hit.file_id, hit.score, hit.text) for hit in hits]

    def lexical(self, store: Store, query: str) -> list[tuple[int, float]]:
        return self._session(lambda session: lexical.rank(session, [store.id], query, CANDIDATES))

    def embed(self, query: str) -> list[list[float]] | None:
        return self.runner.run(self.searcher.embed([query]))

    def nearest(self, store: Store, vector: NDArray[np.float32]) -> list[tuple[int, float]]:
        ref = StoreRef(store.id, store.version)
        return self._session(
            lambda session: self.searcher.vectors.nearest(session, [ref], vector, CANDIDATES)
        )


MEASURES = (
    ("(a) HTTP vector_stores.search", "http"),
    ("(b) numpy scan (baseline)", "scan"),
    ("(c) Searcher.search in-process", "searcher"),
    ("    lexical.rank alone", "lexical"),
    ("    query embedding round trip", "embed"),
    ("    vectors.nearest alone (warm)", "nearest"),
)


def _checks(
    client: openai.OpenAI,
    local: InProcess,
    store: Store,
    queries: list[str],
    vectors: list[NDArray[np.float32]],
) -> list[str]:
    """What the results must be, checked once per store before timing."""
    notes = []
    for query, vector in zip(queries, vectors, strict=True):
        rows = _scan(store.matrix, vector)
        want = (store.matrix[rows] @ vector).astype(np.float64)
        got = np.array([score for _, score in local.nearest(store, vector)[:TOP]])
        if len(got) != len(want) or not np.allclose(got, want, atol=1e-5):
            notes.append(f"FAILED: vectors.nearest scores {got} != scan {want} for {query!r}")
        page = client.vector_stores.search(store.id, query=query, max_num_results=TOP)
        served = [(r.file_id, r.score, r.content[0].text) for r in page.data]
        if len(served) != TOP:
            notes.append(f"FAILED: {len(served)} results for {query!r}")
        expected = local.search(store, query)
        same_order = [(f, t) for f, _, t in served] == [(f, t) for f, _, t in expected]
        scores = np.array([score for _, score, _ in served])
        close = len(scores) == len(expected) and np.allclose(
            scores, [score for _, score, _ in expected], atol=1e-3
        )
        if not (same_order and close):  # pgvector's float arithmetic differs in the last bits
            notes.append(f"FAILED: HTTP results differ from the in-process ones for {query!r}")
    if not notes:
        notes.append(f"top {TOP} vector scores = scan, HTTP results = in-process, all queries")
    page = client.vector_stores.search(store.id, query=store.sample, max_num_results=TOP)
    first = page.data[0] if page.data else None
    if first is None or first.content[0].text != store.sample:
        got = repr(first.content[0].text[:60]) if first else "no results"
        notes.append(f"FAILED: a chunk's own text did not find it first: got {got}")
    else:
        notes.append(f"a chunk's own text finds it first (score {first.score:.3f})")
    return notes


def _round(
    client: openai.OpenAI,
    local: InProcess,
    store: Store,
    queries: list[str],
    vectors: list[NDArray[np.float32]],
    samples: dict[str, list[float]],
) -> None:
    """Each measure once per query, one after the other, so drift hits them alike."""
    for query, vector in zip(queries, vectors, strict=True):
        calls: dict[str, Callable[[], Any]] = {
            "http": lambda q=query: client.vector_stores.search(
                store.id, query=q, max_num_results=TOP
            ),
            "scan": lambda v=vector: _scan(store.matrix, v),
            "searcher": lambda q=query: local.search(store, q),
            "lexical": lambda q=query: local.lexical(store, q),
            "embed": lambda q=query: local.embed(q),
            "nearest": lambda v=vector: local.nearest(store, v),
        }
        for name, call in calls.items():
            seconds, _ = _timed(call)
            samples.setdefault(name, []).append(seconds)


@dataclass
class Column:
    """The figures of one store, measured when the database held `total` chunks."""

    store: Store
    total: int
    samples: dict[str, list[float]] = field(default_factory=dict)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chunks", default="1000,100000", help="store sizes, comma-separated")
    parser.add_argument("--dimensions", type=int, default=1536)
    parser.add_argument("--chunk-words", type=int, default=300)
    parser.add_argument("--queries", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument(
        "--server-blas-threads",
        help="OPENBLAS_NUM_THREADS for the server; default: as in this shell (unset: all CPUs)",
    )
    parser.add_argument("--database-url", help="a PostgreSQL URL; default: a temp SQLite file")
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.chunks.split(","))

    hasher = _Hasher(args.dimensions)
    prose = Prose(seed=2)
    queries = [" ".join(prose.words(6)) for _ in range(args.queries)]
    sample = prose.sentences(prose.words(args.chunk_words))
    expected = np.asarray(hashed_embedding(sample, args.dimensions), dtype=np.float32)
    if not np.array_equal(hasher(sample), expected):
        raise SystemExit("the fast embedding differs from hashed_embedding")
    vectors = [unit(hashed_embedding(query, args.dimensions)) for query in queries]

    stores = [Store(size) for size in sizes]
    columns: list[Column] = []
    cold: dict[tuple[str, int], float] = {}
    checks: dict[int, list[str]] = {}
    rss: list[tuple[str, int]] = []
    blas_threads = args.server_blas_threads or _SHELL_BLAS_THREADS
    with (
        tempfile.TemporaryDirectory() as tmp,
        _embeddings_server(args.dimensions) as embeddings_url,
    ):
        env = {
            **server_env(Path(tmp), args.database_url, embeddings_url, api_keys=API_KEY),
            "OPENBLAS_NUM_THREADS": blas_threads,  # "" leaves it unset
        }
        database_url = env["ASSISTANTS_DATABASE_URL"]
        with (
            server_process(env, Path(tmp) / "server.log") as server,
            openai.OpenAI(
                base_url=server.url, api_key=API_KEY, max_retries=0, timeout=600
            ) as client,
            asyncio.Runner() as runner,
        ):
            settings = Settings(
                database_url=database_url,
                llm_base_url=embeddings_url,
                llm_api_key=None,
                config=None,
                embeddings_model=EMBEDDINGS_MODEL,
            )
            backends = BackendRegistry.from_settings(settings)
            engine = create_engine(database_url)
            # the same kind of vector index as the server: pgvector where it uses it
            uses_pgvector = "vectors: pgvector" in (Path(tmp) / "server.log").read_text()
            index_kind = "pgvector" if uses_pgvector else "vectors in memory"
            index = pgvector.PgVectorIndex() if uses_pgvector else InDatabaseVectors()
            local = InProcess(
                runner,
                create_sessionmaker(engine),
                Searcher(Embedder(backends, EMBEDDINGS_MODEL), index),
                tenant_of(API_KEY),
            )
            try:
                rss.append(("idle", rss_bytes(server.pid)))
                total = 0
                for filled, store in enumerate(stores, start=1):
                    # fill the next store, then measure every store filled so far: the
                    # smaller ones again beside the larger, since the database holds both
                    started = time.perf_counter()
                    store.id = client.vector_stores.create(name=f"{store.size} chunks").id
                    file_ids = [
                        client.files.create(
                            file=(f"doc-{number:04}.txt", b"filled by bench.search"),
                            purpose="assistants",
                        ).id
                        for number in range(math.ceil(store.size / CHUNKS_PER_FILE))
                    ]
                    runner.run(
                        _fill(database_url, store, file_ids, prose, hasher, args.chunk_words)
                    )
                    store.fill_seconds = time.perf_counter() - started
                    total += store.size
                    query = queries[0]
                    cold[("http", store.size)], _ = _timed(
                        lambda store=store, query=query: client.vector_stores.search(
                            store.id, query=query, max_num_results=TOP
                        )
                    )
                    cold[("searcher", store.size)], _ = _timed(
                        lambda store=store, query=query: local.search(store, query)
                    )
                    rss.append((f"{store.size:,} loaded", rss_bytes(server.pid)))
                    checks[store.size] = _checks(client, local, store, queries, vectors)
                    phase = [Column(other, total) for other in reversed(stores[:filled])]
                    for _ in range(args.rounds):
                        for column in phase:
                            _round(client, local, column.store, queries, vectors, column.samples)
                    columns += phase
            finally:
                runner.run(backends.aclose())
                runner.run(engine.dispose())

    database = ("PostgreSQL" if args.database_url else "SQLite") + f" ({index_kind})"
    print(  # noqa: T201
        f"vector store search, max_num_results={TOP}, {args.dimensions}-dim float32 vectors, "
        f"chunks of {args.chunk_words} words, {database}, server OPENBLAS_NUM_THREADS="
        f"{blas_threads or 'unset'}; {args.queries} queries x {args.rounds} rounds, "
        f"interleaved; medians and p90 of {args.queries * args.rounds} calls"
    )
    print(  # noqa: T201
        "filled: "
        + ", ".join(f"{s.size:,} chunks in {s.fill_seconds:.1f} s" for s in stores)
        + "; server RSS "
        + ", ".join(f"{label} {value / MiB:.0f} MiB" for label, value in rss)
    )
    print(f"{'':36}{'median':>10} {'p90':>9} {'x scan':>8}")  # noqa: T201
    for column in columns:
        scan = median(column.samples["scan"])
        print(f"{column.store.size:,} chunks (the database holds {column.total:,})")  # noqa: T201
        for label, name in MEASURES:
            got = column.samples[name]
            print(  # noqa: T201
                f"  {label:32}  {median(got) * 1000:7.2f} ms {quantile(got, 0.9) * 1000:6.2f} ms "
                f"{median(got) / scan:7.1f}x"
            )
    for name, label in (("http", "HTTP"), ("searcher", "in-process Searcher")):
        print(  # noqa: T201
            f"cold first call, {label}: "
            + ", ".join(f"{cold[(name, size)] * 1000:.0f} ms at {size:,}" for size in sizes)
        )
    for size in sizes:
        print(f"checks at {size:,}: " + "; ".join(checks[size]))  # noqa: T201


if __name__ == "__main__":
    main()
