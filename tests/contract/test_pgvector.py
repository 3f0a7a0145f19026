"""Vector search in pgvector, through the official SDK: a PostgreSQL cluster that has the
extension (the `pgserver` package bundles PostgreSQL with pgvector), a server of its own on it,
and a fake model whose embeddings are hashed words (64 dimensions).

What a user would notice: the server says it uses pgvector; ingested chunks get their vector
in the database; search ranks by meaning and words together (a chunk's own text scores 1.0),
honours attribute filters and forgets deleted files; a run's file_search finds and cites the
file; and vectors stored before pgvector was enabled are copied in at startup and searched.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import subprocess
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import openai
import pytest
from sqlalchemy import insert

from assistants_server.api.deps import tenant_of
from assistants_server.db.models import (
    ChunkRecord,
    FileRecord,
    VectorStoreFileRecord,
    VectorStoreRecord,
)
from assistants_server.db.session import create_engine
from assistants_server.llm.fake import content_text, hashed_embedding
from assistants_server.retrieval.vectors import to_blob
from tests.contract.conversation import make_assistant, make_thread, text_of, wait_for_run
from tests.contract.knowledge import (
    ANSWER,
    FACTS,
    MARKER,
    OTHER,
    QUERY,
    QUESTION,
    add_text,
    upload_text,
    wait_for_store,
)
from tests.contract.test_run_lifecycle import env_for, sdk
from tests.fake_model_server import Call, FakeModelServer, Reply
from tests.servers import SERVER_BIN, new_api_key, process_env, server_process

DIMENSIONS = 64  # the fake model's embeddings
TOPICS = {
    "bees.txt": "Honeybees dance to tell the hive where nectar flowers grow.",
    "ships.txt": "Container ships cross the ocean carrying steel boxes of cargo.",
    "bread.txt": "Sourdough bread rises slowly because wild yeast ferments the dough.",
    "trains.txt": "Night trains run between capitals while passengers sleep in bunks.",
}


@dataclass(frozen=True)
class Cluster:
    """A running PostgreSQL with pgvector available (not yet created in any database)."""

    server: Any  # pgserver.PostgresServer

    def database(self, name: str) -> str:
        """CREATE DATABASE `name`; return its URL (over the cluster's Unix socket)."""
        self.server.psql(f'DROP DATABASE IF EXISTS "{name}"; CREATE DATABASE "{name}";')
        url: str = self.server.get_uri(name)
        return url


@dataclass(frozen=True)
class Server:
    url: str
    database_url: str
    log: Path


def fetch(database_url: str, sql: str, *args: Any) -> list[asyncpg.Record]:
    async def run() -> list[asyncpg.Record]:
        connection = await asyncpg.connect(database_url)
        try:
            return list(await connection.fetch(sql, *args))
        finally:
            await connection.close()

    return asyncio.run(run())


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    data = tmp_path_factory.mktemp("pgvector") / "pgdata"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
            import pgserver

            server = pgserver.get_server(data, cleanup_mode="stop")
    except ImportError as exc:
        pytest.skip(f"pgserver (PostgreSQL with pgvector) is not installed: {exc}")
    except Exception as exc:
        pytest.skip(f"pgserver could not start PostgreSQL with pgvector: {exc!r}")
    try:
        available = server.psql("SELECT name FROM pg_available_extensions WHERE name = 'vector';")
        if "vector" not in available:
            pytest.skip("the pgserver cluster has no pgvector extension")
        yield Cluster(server)
    finally:
        server.cleanup()


@pytest.fixture(scope="module")
def pg_server(
    cluster: Cluster, fake_model: FakeModelServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("server-pgvector")
    database_url = cluster.database("assistants")
    log = tmp / "server.log"
    with server_process(env_for(tmp, fake_model, database_url), log) as process:
        yield Server(process.url, database_url, log)


@pytest.fixture
def client(pg_server: Server) -> Iterator[openai.OpenAI]:
    with sdk(pg_server.url, new_api_key()) as session:
        yield session


def topical_store(client: openai.OpenAI) -> tuple[str, dict[str, str]]:
    """A store holding one short file per topic; its id and the file ids by name."""
    store = client.vector_stores.create(name="topics")
    ids = {}
    for name, text in TOPICS.items():
        added = add_text(client, store.id, text, name)
        assert added.status == "completed", added.last_error
        ids[name] = added.id
    return store.id, ids


def stored_chunks(database_url: str, file_id: str) -> list[asyncpg.Record]:
    return fetch(
        database_url,
        "SELECT id, text, embedding, embedding_vector::real[] AS vector "
        "FROM chunks WHERE file_id = $1 ORDER BY position",
        file_id,
    )


def assert_vector_of(row: asyncpg.Record) -> None:
    """The chunk's pgvector value is the fake model's embedding of its text."""
    assert row["vector"] is not None, f"chunk {row['id']} has no pgvector value"
    assert len(row["vector"]) == DIMENSIONS
    assert row["vector"] == pytest.approx(hashed_embedding(row["text"]), abs=1e-6)
    assert row["embedding"] == to_blob(row["vector"])  # the portable copy is kept too


class TestPgVectorInUse:
    def test_server_says_it_uses_pgvector(self, pg_server: Server) -> None:
        assert "vectors: pgvector" in pg_server.log.read_text()
        [extension] = fetch(
            pg_server.database_url,
            "SELECT extname FROM pg_extension WHERE extname = 'vector'",
        )
        assert extension["extname"] == "vector"
        [column] = fetch(
            pg_server.database_url,
            "SELECT udt_name FROM information_schema.columns "
            "WHERE table_name = 'chunks' AND column_name = 'embedding_vector'",
        )
        assert column["udt_name"] == "vector"

    def test_ingested_chunks_have_their_vectors(
        self, client: openai.OpenAI, pg_server: Server
    ) -> None:
        store = client.vector_stores.create(name="long")
        # a text of several chunks: 100-token chunks, no overlap
        text = " ".join(f"Paragraph {n} tells of harbour lantern number {n}." for n in range(60))
        added = add_text(
            client,
            store.id,
            text,
            "lanterns.txt",
            chunking_strategy={
                "type": "static",
                "static": {"max_chunk_size_tokens": 100, "chunk_overlap_tokens": 0},
            },
        )
        assert added.status == "completed", added.last_error

        rows = stored_chunks(pg_server.database_url, added.id)
        assert len(rows) > 1
        for row in rows:
            assert_vector_of(row)


class TestSearch:
    def test_the_file_with_the_answer_comes_first(self, client: openai.OpenAI) -> None:
        store_id, ids = topical_store(client)
        results = client.vector_stores.search(
            store_id, query="Why does sourdough bread rise with wild yeast?"
        ).data
        assert results[0].file_id == ids["bread.txt"]
        assert results[0].filename == "bread.txt"
        assert [part.text for part in results[0].content] == [TOPICS["bread.txt"]]
        scores = [r.score for r in results]
        assert all(0.0 <= score <= 1.0 for score in scores)
        assert scores == sorted(scores, reverse=True)

    @pytest.mark.parametrize("name", sorted(TOPICS))
    def test_a_chunks_own_text_scores_one(self, client: openai.OpenAI, name: str) -> None:
        """Ranked first by vector (cosine 1) and by words: only both give 1.0 (words alone
        give at most 0.5)."""
        store_id, ids = topical_store(client)
        results = client.vector_stores.search(store_id, query=TOPICS[name]).data
        assert results[0].file_id == ids[name]
        assert results[0].score == pytest.approx(1.0, abs=1e-5)
        assert all(r.score < 0.99 for r in results[1:]), [r.score for r in results]

    def test_max_num_results_and_stable_order(self, client: openai.OpenAI) -> None:
        store = client.vector_stores.create(name="many")
        for n in range(5):
            add_text(client, store.id, f"Lanterns glow number {n} in the harbour.", f"{n}.txt")
        everything = client.vector_stores.search(store.id, query="lanterns harbour").data
        assert len(everything) == 5
        again = client.vector_stores.search(store.id, query="lanterns harbour").data
        assert [(r.file_id, r.score) for r in again] == [(r.file_id, r.score) for r in everything]
        two = client.vector_stores.search(store.id, query="lanterns harbour", max_num_results=2)
        assert [r.file_id for r in two.data] == [r.file_id for r in everything[:2]]

    def test_a_store_sees_only_its_own_chunks(self, client: openai.OpenAI) -> None:
        first = client.vector_stores.create(name="first")
        second = client.vector_stores.create(name="second")
        mine = add_text(client, first.id, TOPICS["ships.txt"], "ships.txt")
        add_text(client, second.id, TOPICS["ships.txt"], "ships-too.txt")
        add_text(client, second.id, TOPICS["bees.txt"], "bees.txt")

        results = client.vector_stores.search(first.id, query=TOPICS["ships.txt"]).data
        assert [r.file_id for r in results] == [mine.id]
        assert results[0].score == pytest.approx(1.0, abs=1e-5)

    def test_another_tenant_finds_nothing(self, client: openai.OpenAI, pg_server: Server) -> None:
        store_id, _ = topical_store(client)
        with (
            sdk(pg_server.url, new_api_key()) as stranger,
            pytest.raises(openai.NotFoundError),
        ):
            stranger.vector_stores.search(store_id, query=TOPICS["bees.txt"])


ATTRIBUTES: dict[str, dict[str, Any]] = {
    "red.txt": {"team": "red", "year": 2021},
    "blue.txt": {"team": "blue", "year": 2023},
    "green.txt": {"team": "green", "year": 2025},
}


def test_filters_restrict_results(client: openai.OpenAI) -> None:
    store = client.vector_stores.create(name="filtered")
    names = {}
    for name, attributes in ATTRIBUTES.items():
        text = f"The quarterly budget of the {attributes['team']} team was approved."
        added = add_text(client, store.id, text, name, attributes=attributes)
        names[added.id] = name
    red_text = "The quarterly budget of the red team was approved."

    def found(filters: dict[str, Any] | None, query: str = "quarterly budget") -> list[str]:
        params: dict[str, Any] = {"query": query}
        if filters is not None:
            params["filters"] = filters
        return [names[r.file_id] for r in client.vector_stores.search(store.id, **params).data]

    assert set(found(None)) == set(ATTRIBUTES)
    assert found(None, red_text)[0] == "red.txt"
    # the file nearest the query is left out when the filter excludes it
    assert set(found({"type": "ne", "key": "team", "value": "red"}, red_text)) == {
        "blue.txt",
        "green.txt",
    }
    assert found({"type": "eq", "key": "team", "value": "blue"}, red_text) == ["blue.txt"]
    assert set(found({"type": "gte", "key": "year", "value": 2023})) == {"blue.txt", "green.txt"}
    either = {
        "type": "or",
        "filters": [
            {"type": "eq", "key": "team", "value": "red"},
            {"type": "eq", "key": "year", "value": 2025},
        ],
    }
    assert set(found(either)) == {"red.txt", "green.txt"}
    assert found({"type": "eq", "key": "team", "value": "purple"}) == []


class TestDeletion:
    def test_deleted_vector_store_file_leaves_search(
        self, client: openai.OpenAI, pg_server: Server
    ) -> None:
        store_id, ids = topical_store(client)
        query = TOPICS["ships.txt"]
        assert (
            client.vector_stores.search(store_id, query=query).data[0].file_id == ids["ships.txt"]
        )

        deleted = client.vector_stores.files.delete(ids["ships.txt"], vector_store_id=store_id)
        assert deleted.deleted

        results = client.vector_stores.search(store_id, query=query).data
        assert ids["ships.txt"] not in {r.file_id for r in results}
        assert all(r.score < 0.99 for r in results)
        assert stored_chunks(pg_server.database_url, ids["ships.txt"]) == []
        # the other files are still found
        bees = client.vector_stores.search(store_id, query=TOPICS["bees.txt"]).data
        assert bees[0].file_id == ids["bees.txt"]

    def test_deleted_file_leaves_every_store(self, client: openai.OpenAI) -> None:
        uploaded = upload_text(client, TOPICS["trains.txt"], "trains.txt")
        stores = [
            client.vector_stores.create(name=f"store {n}", file_ids=[uploaded.id]).id
            for n in range(2)
        ]
        for store_id in stores:
            assert wait_for_store(client, store_id).file_counts.completed == 1
            hits = client.vector_stores.search(store_id, query=TOPICS["trains.txt"]).data
            assert [r.file_id for r in hits] == [uploaded.id]

        assert client.files.delete(uploaded.id).deleted

        for store_id in stores:
            assert client.vector_stores.search(store_id, query=TOPICS["trains.txt"]).data == []


def test_run_with_file_search_finds_and_cites_the_file(
    client: openai.OpenAI, fake_model: FakeModelServer, model: str
) -> None:
    facts = upload_text(client, FACTS, "facts.txt").id
    other = upload_text(client, OTHER, "other.txt").id
    store = client.vector_stores.create(name="knowledge", file_ids=[facts, other])
    assert wait_for_store(client, store.id).file_counts.completed == 2
    fake_model.script(
        model,
        Reply(tool_calls=[Call("file_search", json.dumps({"query": QUERY}))]),
        Reply(text=ANSWER),
    )
    assistant = make_assistant(
        client,
        model,
        tools=[{"type": "file_search"}],
        tool_resources={"file_search": {"vector_store_ids": [store.id]}},
    )
    thread = make_thread(client, QUESTION)

    run = client.beta.threads.runs.create(thread.id, assistant_id=assistant.id)
    run = wait_for_run(client, thread.id, run.id)
    assert run.status == "completed", (run.status, run.last_error)

    steps = client.beta.threads.runs.steps.list(run.id, thread_id=thread.id, order="asc").data
    assert [step.type for step in steps] == ["tool_calls", "message_creation"]
    assert steps[0].step_details.type == "tool_calls"
    [call] = steps[0].step_details.tool_calls
    assert call.type == "file_search"
    results = call.file_search.results or []
    assert [(r.file_id, r.file_name) for r in results][:1] == [(facts, "facts.txt")]

    # the model was sent the facts under the first result's marker
    requests = fake_model.chat_requests(model)
    assert len(requests) == 2
    [output] = [m for m in requests[1]["messages"] if m["role"] == "tool"]
    sent = content_text(output["content"])
    assert MARKER in sent
    assert FACTS in sent

    [message] = [
        m for m in client.beta.threads.messages.list(thread.id).data if m.role == "assistant"
    ]
    assert text_of(message) == ANSWER
    [part] = message.content
    assert part.type == "text"
    [annotation] = part.text.annotations
    assert annotation.type == "file_citation"
    assert annotation.file_citation.file_id == facts
    assert part.text.value[annotation.start_index : annotation.end_index] == MARKER


# --- vectors stored before pgvector was enabled --------------------------------------------------

BACKFILL_TEXTS = [
    "Glaciers carve deep valleys as the ice creeps slowly downhill.",
    "Volcanoes release molten rock and ash when pressure builds below.",
    "Coral reefs shelter thousands of fish species in warm shallow seas.",
]
OTHER_WIDTH = 8  # a vector from an earlier embeddings model of another width


async def insert_store(database_url: str, tenant: str) -> tuple[str, str, str]:
    """A store with a completed file of BACKFILL_TEXTS' chunks (64-dim embeddings) and a
    completed file of one chunk with an 8-dim embedding, written as the server would have
    without pgvector; returns the store id and both file ids."""
    now = int(time.time())
    store_id = "vs_" + secrets.token_hex(12)
    file_id, odd_id = ("file-" + secrets.token_hex(12) for _ in range(2))
    engine = create_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                insert(FileRecord.__table__),
                [
                    {
                        "id": fid,
                        "tenant_id": tenant,
                        "created_at": now,
                        "bytes": 1,
                        "filename": name,
                        "purpose": "assistants",
                        "status": "processed",
                        "expires_at": None,
                        "storage_key": "missing-" + fid,
                    }
                    for fid, name in ((file_id, "earth.txt"), (odd_id, "older.txt"))
                ],
            )
            await connection.execute(
                insert(VectorStoreRecord.__table__),
                {
                    "id": store_id,
                    "tenant_id": tenant,
                    "created_at": now,
                    "name": "from before",
                    "description": None,
                    "metadata": {},
                    "expires_after": None,
                    "expires_at": None,
                    "last_active_at": now,
                    "chunks_version": 1,
                    "owner_id": None,
                },
            )
            await connection.execute(
                insert(VectorStoreFileRecord.__table__),
                [
                    {
                        "vector_store_id": store_id,
                        "file_id": fid,
                        "tenant_id": tenant,
                        "created_at": now,
                        "status": "completed",
                        "last_error": None,
                        "max_chunk_tokens": 800,
                        "chunk_overlap_tokens": 400,
                        "attributes": {},
                        "usage_bytes": 1,
                        "batch_id": None,
                        "worker_id": None,
                        "lease_expires_at": None,
                    }
                    for fid in (file_id, odd_id)
                ],
            )
            chunk = {"vector_store_id": store_id, "lead": 0, "tokens": 12}
            odd_text = "Deserts bloom briefly after rare spring rain."
            await connection.execute(
                insert(ChunkRecord.__table__),
                [
                    {
                        **chunk,
                        "file_id": file_id,
                        "position": position,
                        "text": text,
                        "embedding": to_blob(hashed_embedding(text)),
                    }
                    for position, text in enumerate(BACKFILL_TEXTS)
                ]
                + [
                    {
                        **chunk,
                        "file_id": odd_id,
                        "position": 0,
                        "text": odd_text,
                        "embedding": to_blob(hashed_embedding(odd_text, OTHER_WIDTH)),
                    }
                ],
            )
    finally:
        await engine.dispose()
    return store_id, file_id, odd_id


def test_vectors_stored_before_pgvector_are_copied_in_and_searched(
    cluster: Cluster, fake_model: FakeModelServer, tmp_path: Path
) -> None:
    database_url = cluster.database("backfill")
    env = env_for(tmp_path, fake_model, database_url)
    migrated = subprocess.run(
        [str(SERVER_BIN), "migrate"], env=process_env(env), capture_output=True, timeout=60
    )
    assert migrated.returncode == 0, migrated.stderr.decode()
    assert fetch(database_url, "SELECT 1 FROM pg_extension WHERE extname = 'vector'") == []
    api_key = new_api_key()
    store_id, file_id, odd_id = asyncio.run(insert_store(database_url, tenant_of(api_key)))

    log = tmp_path / "server.log"
    with server_process(env, log) as server, sdk(server.url, api_key) as client:
        started = log.read_text()
        assert "vectors: pgvector" in started
        # the copy runs in the background once the server is up
        deadline = time.monotonic() + 10
        while "copied 4 stored vectors" not in log.read_text():
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.05)

        rows = stored_chunks(database_url, file_id)
        assert [row["text"] for row in rows] == BACKFILL_TEXTS
        for row in rows:
            assert_vector_of(row)
        [odd] = stored_chunks(database_url, odd_id)
        assert odd["vector"] is not None
        assert len(odd["vector"]) == OTHER_WIDTH

        # each chunk's own text: first by vector and by words, so 1.0
        for text in BACKFILL_TEXTS:
            results = client.vector_stores.search(store_id, query=text).data
            assert results[0].content[0].text == text
            assert results[0].file_id == file_id
            assert results[0].score == pytest.approx(1.0, abs=1e-5)
        # a chunk whose vector has another width is still found by its words
        older = client.vector_stores.search(store_id, query="deserts bloom rain").data
        assert [r.file_id for r in older][:1] == [odd_id]
