"""Vectors held in memory (`retrieval.vectors.InDatabaseVectors`) against a real SQLite database:
every search gives what an exact scan over the store's searchable chunks gives, however the
store changed since its vectors were loaded, and a refresh reads only the files that changed."""

from __future__ import annotations

import asyncio
import re
import shutil
import sqlite3
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray
from sqlalchemy import delete, event, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from assistants_server.db.migrate import upgrade_to_head
from assistants_server.db.models import (
    ChunkRecord,
    FileRecord,
    VectorStoreFileRecord,
    VectorStoreRecord,
)
from assistants_server.db.repositories.chunks import ChunkRepository
from assistants_server.db.session import create_engine, create_sessionmaker, reading
from assistants_server.retrieval.vectors import (
    MAX_SEGMENTS,
    InDatabaseVectors,
    StoreRef,
    to_blob,
    unit,
)

WIDTH = 32
TENANT = "tenant_vectors"


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database at head, made once and copied for each test."""
    path = tmp_path_factory.mktemp("vectors-template") / "template.db"
    upgrade_to_head(f"sqlite:///{path}")
    return path


@pytest.fixture
def database(migrated: Path, tmp_path: Path) -> Path:
    path = tmp_path / "vectors.db"
    shutil.copyfile(migrated, path)
    return path


@pytest.fixture
async def engine(database: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(f"sqlite:///{database}")
    yield engine
    await engine.dispose()


@pytest.fixture
def maker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_sessionmaker(engine)


@dataclass
class Store:
    """A vector store written the way ingestion writes it, and what it holds: file id -> the
    file's chunks as (chunk id, vector), for the brute-force answer."""

    maker: async_sessionmaker[AsyncSession]
    id: str
    chunks: dict[str, list[tuple[int, NDArray[np.float32]]]] = field(default_factory=dict)
    unsearched: set[str] = field(default_factory=set)  # files present but not completed

    @classmethod
    async def create(cls, maker: async_sessionmaker[AsyncSession], store_id: str) -> Store:
        now = int(time.time())
        async with maker.begin() as session:
            session.add(
                VectorStoreRecord(id=store_id, tenant_id=TENANT, created_at=now, last_active_at=now)
            )
        return cls(maker, store_id)

    async def add(
        self, file_id: str, vectors: NDArray[np.float32], status: str = "completed"
    ) -> list[int]:
        """Add a file with one chunk per row of `vectors`; return the chunk ids."""
        now = int(time.time())
        async with self.maker.begin() as session:
            if await session.get(FileRecord, file_id) is None:
                session.add(
                    FileRecord(
                        id=file_id,
                        tenant_id=TENANT,
                        created_at=now,
                        bytes=100,
                        filename=f"{file_id}.txt",
                        purpose="assistants",
                        status="processed",
                        storage_key=file_id,
                    )
                )
            session.add(
                VectorStoreFileRecord(
                    vector_store_id=self.id,
                    file_id=file_id,
                    tenant_id=TENANT,
                    created_at=now,
                    status=status,
                    max_chunk_tokens=800,
                    chunk_overlap_tokens=400,
                )
            )
            await session.flush()
            ids = await self._insert(session, file_id, vectors)
            if status == "completed":
                await ChunkRepository(session).changed(self.id)
        self._track(file_id, ids, vectors, status)
        return ids

    async def reingest(self, file_id: str, vectors: NDArray[np.float32]) -> list[int]:
        """Replace the file's chunks by new ones, as a second ingestion does."""
        async with self.maker.begin() as session:
            await ChunkRepository(session).delete_file(self.id, file_id)
            ids = await self._insert(session, file_id, vectors)
            await ChunkRepository(session).changed(self.id)
        self._track(file_id, ids, vectors, "completed")
        return ids

    async def complete(self, file_id: str) -> None:
        async with self.maker.begin() as session:
            await session.execute(
                update(VectorStoreFileRecord)
                .where(
                    VectorStoreFileRecord.vector_store_id == self.id,
                    VectorStoreFileRecord.file_id == file_id,
                )
                .values(status="completed")
            )
            await ChunkRepository(session).changed(self.id)
        self.unsearched.discard(file_id)

    async def remove(self, file_id: str) -> None:
        """Delete the vector store file; its chunks go with it (ON DELETE CASCADE)."""
        async with self.maker.begin() as session:
            await session.execute(
                delete(VectorStoreFileRecord).where(
                    VectorStoreFileRecord.vector_store_id == self.id,
                    VectorStoreFileRecord.file_id == file_id,
                )
            )
            await ChunkRepository(session).changed(self.id)
        self.chunks.pop(file_id, None)
        self.unsearched.discard(file_id)

    async def ref(self) -> StoreRef:
        async with reading(self.maker) as session:
            version = await session.scalar(
                select(VectorStoreRecord.chunks_version).where(VectorStoreRecord.id == self.id)
            )
        assert version is not None
        return StoreRef(self.id, version)

    async def _insert(
        self, session: AsyncSession, file_id: str, vectors: NDArray[np.float32]
    ) -> list[int]:
        records = [
            ChunkRecord(
                vector_store_id=self.id,
                file_id=file_id,
                position=position,
                text=f"{file_id} chunk {position}",
                lead=0,
                tokens=4,
                embedding=to_blob(vector.tolist()),
            )
            for position, vector in enumerate(vectors)
        ]
        session.add_all(records)
        await session.flush()
        return [record.id for record in records]

    def _track(
        self, file_id: str, ids: list[int], vectors: NDArray[np.float32], status: str
    ) -> None:
        self.chunks[file_id] = list(zip(ids, vectors, strict=True))
        if status == "completed":
            self.unsearched.discard(file_id)
        else:
            self.unsearched.add(file_id)

    def rows(self, files: set[str] | None = None) -> list[tuple[int, NDArray[np.float32]]]:
        """The searchable chunks: of completed files (of `files`), and as wide as the store's
        vectors (WIDTH here; narrower ones come from another embeddings model)."""
        return [
            (chunk_id, vector)
            for file_id, rows in self.chunks.items()
            if file_id not in self.unsearched and (files is None or file_id in files)
            for chunk_id, vector in rows
            if len(vector) == WIDTH
        ]


def brute_force(
    rows: list[tuple[int, NDArray[np.float32]]], query: NDArray[np.float32], limit: int
) -> list[tuple[int, float]]:
    """Exact cosine similarity over `rows`, in float64: the answer every search must give."""
    wanted = np.asarray(query, dtype=np.float64)
    wanted = wanted / np.linalg.norm(wanted)
    scored = []
    for chunk_id, vector in rows:
        if len(vector) != len(wanted):
            continue
        row = np.asarray(vector, dtype=np.float64)
        scored.append((chunk_id, float(row @ wanted / np.linalg.norm(row))))
    scored.sort(key=lambda pair: (-pair[1], pair[0]))
    return scored[:limit]


async def nearest(
    index: InDatabaseVectors,
    stores: list[Store],
    query: NDArray[np.float32],
    limit: int,
    files: set[str] | None = None,
) -> list[tuple[int, float]]:
    refs = [await store.ref() for store in stores]
    async with reading(stores[0].maker) as session:
        return await index.nearest(session, refs, unit(query.tolist()), limit, files)


def assert_exact(
    found: list[tuple[int, float]], expected: list[tuple[int, float]], context: str = ""
) -> None:
    assert [chunk_id for chunk_id, _ in found] == [chunk_id for chunk_id, _ in expected], context
    for (_, score), (_, want) in zip(found, expected, strict=True):
        assert score == pytest.approx(want, abs=1e-5), context


async def assert_matches_scan(
    index: InDatabaseVectors,
    store: Store,
    rng: np.random.Generator,
    files: set[str] | None = None,
    queries: int = 3,
) -> None:
    """Random queries, and one equal to each kind of stored chunk, at a small limit and at a
    limit past everything: the index answers as the exact scan does."""
    rows = store.rows(files)
    candidates = [rng.standard_normal(WIDTH).astype(np.float32) for _ in range(queries)]
    candidates += [vector for _, vector in rows[:: max(1, len(rows) // 3)]]
    for query in candidates:
        for limit in (1, 5, len(rows) + 10):
            found = await nearest(index, [store], query, limit, files)
            assert_exact(found, brute_force(rows, query, limit), f"limit {limit}")


def vectors(rng: np.random.Generator, count: int, width: int = WIDTH) -> NDArray[np.float32]:
    # not unit length: the index must normalise what it reads
    return (rng.standard_normal((count, width)) * rng.uniform(0.5, 3.0)).astype(np.float32)


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20261122)


@pytest.fixture
async def store(maker: async_sessionmaker[AsyncSession]) -> Store:
    return await Store.create(maker, "vs_main")


# --- first load --------------------------------------------------------------------------------


async def test_the_chunk_equal_to_the_query_comes_first(
    store: Store, rng: np.random.Generator
) -> None:
    ids = {name: await store.add(name, vectors(rng, 6)) for name in ("file-a", "file-b", "file-c")}
    index = InDatabaseVectors()
    target_id, target = store.chunks["file-b"][3]
    assert target_id == ids["file-b"][3]

    found = await nearest(index, [store], target * 7.5, 5)
    assert found[0][0] == target_id
    assert found[0][1] == pytest.approx(1.0, abs=1e-5)
    assert len(found) == 5
    assert all(found[0][1] > score for _, score in found[1:])
    assert_exact(found, brute_force(store.rows(), target, 5))

    everything = await nearest(index, [store], target, 100)
    assert sorted(chunk_id for chunk_id, _ in everything) == sorted(
        chunk_id for chunk_ids in ids.values() for chunk_id in chunk_ids
    )
    await assert_matches_scan(index, store, rng)


async def test_an_empty_store_finds_nothing(store: Store, rng: np.random.Generator) -> None:
    index = InDatabaseVectors()
    assert await nearest(index, [store], vectors(rng, 1)[0], 10) == []
    await store.add("file-a", vectors(rng, 3))
    assert len(await nearest(index, [store], vectors(rng, 1)[0], 10)) == 3


async def test_several_stores_are_searched_together(
    maker: async_sessionmaker[AsyncSession], store: Store, rng: np.random.Generator
) -> None:
    other = await Store.create(maker, "vs_other")
    await store.add("file-a", vectors(rng, 5))
    await other.add("file-b", vectors(rng, 5))
    await other.add("file-c", vectors(rng, 5))
    index = InDatabaseVectors()
    both = store.rows() + other.rows()
    for query in [*vectors(rng, 3), store.rows()[2][1], other.rows()[7][1]]:
        for limit in (1, 4, 30):
            found = await nearest(index, [store, other], query, limit)
            assert_exact(found, brute_force(both, query, limit))
    # each store alone still holds only its own chunks
    assert {chunk_id for chunk_id, _ in await nearest(index, [other], vectors(rng, 1)[0], 30)} == {
        chunk_id for chunk_id, _ in other.rows()
    }


# --- refreshes ---------------------------------------------------------------------------------


async def test_a_file_added_after_the_first_search_is_found(
    store: Store, rng: np.random.Generator
) -> None:
    await store.add("file-a", vectors(rng, 8))
    index = InDatabaseVectors()
    await assert_matches_scan(index, store, rng)

    added = await store.add("file-b", vectors(rng, 4))
    _, target = store.chunks["file-b"][2]
    found = await nearest(index, [store], target, 3)
    assert found[0][0] == added[2]
    assert found[0][1] == pytest.approx(1.0, abs=1e-5)
    await assert_matches_scan(index, store, rng)


async def test_a_removed_file_is_never_returned(store: Store, rng: np.random.Generator) -> None:
    for name in ("file-a", "file-b", "file-c"):
        await store.add(name, vectors(rng, 6))
    index = InDatabaseVectors()
    await assert_matches_scan(index, store, rng)
    removed = dict(store.chunks["file-b"])

    await store.remove("file-b")
    for query in removed.values():
        found = await nearest(index, [store], query, 100)
        assert not {chunk_id for chunk_id, _ in found} & set(removed)
        assert len(found) == 12
        assert_exact(found, brute_force(store.rows(), query, 100))
    await assert_matches_scan(index, store, rng)

    # and once every file has left, nothing is found
    await store.remove("file-a")
    await store.remove("file-c")
    assert await nearest(index, [store], vectors(rng, 1)[0], 10) == []


async def test_a_file_ingested_anew_gives_only_its_new_chunks(
    store: Store, rng: np.random.Generator
) -> None:
    for name in ("file-a", "file-b", "file-c"):
        await store.add(name, vectors(rng, 5))
    index = InDatabaseVectors()
    await assert_matches_scan(index, store, rng)
    old = dict(store.chunks["file-a"])

    new_ids = await store.reingest("file-a", vectors(rng, 3))
    assert not set(new_ids) & set(old)  # not the last rows: the database gives new ids
    for query in old.values():
        found = await nearest(index, [store], query, 100)
        assert not {chunk_id for chunk_id, _ in found} & set(old)
        assert_exact(found, brute_force(store.rows(), query, 100))
    _, target = store.chunks["file-a"][1]
    found = await nearest(index, [store], target, 1)
    assert found[0][0] == new_ids[1]
    assert found[0][1] == pytest.approx(1.0, abs=1e-5)
    await assert_matches_scan(index, store, rng)


async def test_the_last_file_ingested_anew_gives_its_new_vectors(
    store: Store, rng: np.random.Generator
) -> None:
    """The file whose chunks are the newest rows leaves the store and is added back (say with
    another chunking) before the next search: SQLite may hand its new chunks the ids the old
    ones had, yet searches must see the new vectors, never the old."""
    await store.add("file-a", vectors(rng, 5))
    await store.add("file-b", vectors(rng, 6))
    index = InDatabaseVectors()
    await assert_matches_scan(index, store, rng)
    old = dict(store.chunks["file-b"])

    await store.remove("file-b")
    new_ids = await store.add("file-b", vectors(rng, 3))
    ids = f"new chunk ids {new_ids}, old {list(old)}"
    for chunk_id, query in store.chunks["file-b"]:
        found = await nearest(index, [store], query, 1)
        assert found[0][0] == chunk_id, ids
        assert found[0][1] == pytest.approx(1.0, abs=1e-5), ids
    stale = {chunk_id for chunk_id in old if chunk_id not in new_ids}
    everything = await nearest(index, [store], vectors(rng, 1)[0], 100)
    assert not {chunk_id for chunk_id, _ in everything} & stale
    await assert_matches_scan(index, store, rng)


async def test_files_limits_the_search_to_those_files(
    store: Store, rng: np.random.Generator
) -> None:
    for name in ("file-a", "file-b", "file-c"):
        await store.add(name, vectors(rng, 6))
    index = InDatabaseVectors()
    await assert_matches_scan(index, store, rng, files={"file-a"})
    await assert_matches_scan(index, store, rng, files={"file-a", "file-c"})
    # the nearest chunk of the whole store is in file-b; limited to file-c, it is not returned
    _, target = store.chunks["file-b"][0]
    found = await nearest(index, [store], target, 100, files={"file-c"})
    assert {chunk_id for chunk_id, _ in found} == {
        chunk_id for chunk_id, _ in store.chunks["file-c"]
    }
    assert await nearest(index, [store], target, 10, files=set()) == []
    assert await nearest(index, [store], target, 10, files={"file-unknown"}) == []
    # after a refresh too
    await store.add("file-d", vectors(rng, 2))
    await assert_matches_scan(index, store, rng, files={"file-d", "file-b"})


async def test_only_completed_files_are_searched(store: Store, rng: np.random.Generator) -> None:
    await store.add("file-a", vectors(rng, 4))
    await store.add("file-b", vectors(rng, 4), status="in_progress")
    await store.add("file-c", vectors(rng, 4), status="failed")
    index = InDatabaseVectors()
    pending = {chunk_id for name in ("file-b", "file-c") for chunk_id, _ in store.chunks[name]}
    for name in ("file-b", "file-c"):
        _, query = store.chunks[name][0]
        found = await nearest(index, [store], query, 100)
        assert not {chunk_id for chunk_id, _ in found} & pending
    await assert_matches_scan(index, store, rng)

    # an in-progress file that completes later is found from then on
    await store.add("file-d", vectors(rng, 2), status="in_progress")
    await assert_matches_scan(index, store, rng)
    await store.complete("file-d")
    _, query = store.chunks["file-d"][1]
    found = await nearest(index, [store], query, 1)
    assert found[0][0] == store.chunks["file-d"][1][0]
    await store.complete("file-b")
    await assert_matches_scan(index, store, rng)


async def test_vectors_of_another_width_are_ignored(store: Store, rng: np.random.Generator) -> None:
    await store.add("file-a", vectors(rng, 5))
    await store.add("file-narrow", vectors(rng, 4, width=WIDTH // 2))
    index = InDatabaseVectors()
    await assert_matches_scan(index, store, rng)  # brute_force skips the narrow rows too
    found = await nearest(index, [store], vectors(rng, 1)[0], 100)
    assert {chunk_id for chunk_id, _ in found} == {
        chunk_id for chunk_id, _ in store.chunks["file-a"]
    }
    # a query of another width finds nothing, and does not fail
    assert await nearest(index, [store], vectors(rng, 1, width=WIDTH // 2)[0], 10) == []
    # a narrow file added by a refresh is ignored as well
    await store.add("file-narrow-2", vectors(rng, 3, width=WIDTH // 2))
    await store.add("file-b", vectors(rng, 3))
    await assert_matches_scan(index, store, rng)


async def test_many_refreshes_keep_every_chunk(store: Store, rng: np.random.Generator) -> None:
    """More refreshes than MAX_SEGMENTS, files coming, leaving and ingested anew: the segments
    are merged along the way and every search stays exact."""
    index = InDatabaseVectors()
    await store.add("file-0", vectors(rng, 5))
    await assert_matches_scan(index, store, rng, queries=1)
    for step in range(1, 3 * MAX_SEGMENTS + 2):
        await store.add(f"file-{step}", vectors(rng, int(rng.integers(1, 6))))
        if step % 4 == 0:
            await store.remove(f"file-{step - 3}")
        if step % 5 == 0:
            await store.reingest("file-0", vectors(rng, int(rng.integers(1, 6))))
        await assert_matches_scan(index, store, rng, queries=1)
    # most files leave at once: more than half the rows are dead
    for name in list(store.chunks)[: len(store.chunks) * 2 // 3]:
        await store.remove(name)
    await assert_matches_scan(index, store, rng)
    await store.add("file-last", vectors(rng, 3))
    await assert_matches_scan(index, store, rng)
    # a fresh index, loading everything at once, agrees
    query = vectors(rng, 1)[0]
    assert_exact(
        await nearest(InDatabaseVectors(), [store], query, 50),
        await nearest(index, [store], query, 50),
    )


# --- what a refresh reads ------------------------------------------------------------------------


@contextmanager
def vector_reads(engine: AsyncEngine, database: Path) -> Iterator[list[int]]:
    """Count the chunk rows whose embeddings the index reads: every statement selecting
    `chunks.embedding` is recorded with its parameters, and run again on leaving the block
    (nothing is written meanwhile) to count the rows it returned. The list holds one count per
    statement."""
    statements: list[tuple[str, Any]] = []

    def record(
        conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool
    ) -> None:
        columns = re.split(r"\bFROM\b", statement.upper(), maxsplit=1)[0]
        if columns.lstrip().startswith("SELECT") and "CHUNKS.EMBEDDING" in columns:
            statements.append((statement, parameters))

    counts: list[int] = []
    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield counts
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
    with sqlite3.connect(database) as connection:
        counts += [len(connection.execute(sql, params).fetchall()) for sql, params in statements]


async def test_a_refresh_reads_only_the_files_that_came(
    engine: AsyncEngine, database: Path, store: Store, rng: np.random.Generator
) -> None:
    for name in ("file-a", "file-b", "file-c"):
        await store.add(name, vectors(rng, 40))
    index = InDatabaseVectors()
    query = vectors(rng, 1)[0]

    with vector_reads(engine, database) as first:
        await nearest(index, [store], query, 5)
    assert sum(first) == 120

    with vector_reads(engine, database) as unchanged:
        await nearest(index, [store], query, 5)
    assert sum(unchanged) == 0

    await store.add("file-d", vectors(rng, 2))
    with vector_reads(engine, database) as added:
        found = await nearest(index, [store], store.chunks["file-d"][0][1], 5)
    assert sum(added) == 2
    assert found[0][0] == store.chunks["file-d"][0][0]

    await store.remove("file-b")
    with vector_reads(engine, database) as removed:
        found = await nearest(index, [store], query, 200)
    assert sum(removed) == 0
    assert_exact(found, brute_force(store.rows(), query, 200))

    await store.reingest("file-c", vectors(rng, 3))
    with vector_reads(engine, database) as again:
        found = await nearest(index, [store], query, 200)
    assert sum(again) == 3
    assert_exact(found, brute_force(store.rows(), query, 200))


async def test_concurrent_searches_of_a_changed_store_load_it_once(
    engine: AsyncEngine, database: Path, store: Store, rng: np.random.Generator
) -> None:
    await store.add("file-a", vectors(rng, 30))
    index = InDatabaseVectors()
    query = vectors(rng, 1)[0]
    await nearest(index, [store], query, 5)
    await store.add("file-b", vectors(rng, 7))

    with vector_reads(engine, database) as reads:
        results = await asyncio.gather(*(nearest(index, [store], query, 10) for _ in range(4)))
    assert sum(reads) == 7
    expected = brute_force(store.rows(), query, 10)
    for found in results:
        assert_exact(found, expected)
