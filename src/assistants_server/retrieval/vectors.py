"""Vector storage behind one interface.

`InDatabaseVectors`, the default, keeps each chunk's embedding in the `chunks` table (float32,
little-endian) and searches by exact cosine similarity over the vectors of a store held in
memory. Exact search needs no index to tune and gives stable results; the vectors are what a
plain in-memory scan would hold.

A store's vectors are loaded on its first search, streamed into place a batch of rows at a
time. When the store's `chunks_version` changes, only what changed is read again: the chunks of
files that are new (or were ingested anew) are loaded as one more segment, and the rows of
files that left the store are masked out. Segments are merged once there are many of them, or
once half their rows are dead.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from assistants_server.db.models import ChunkRecord, VectorStoreFileRecord
from assistants_server.db.sqlite import OFFLOADED

CACHE_BYTES = 2 << 30  # vectors kept in memory across all stores, least recently used dropped
MAX_SEGMENTS = 8
LOAD_BATCH_ROWS = 2000


def to_blob(vector: Sequence[float]) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def unit(vector: Sequence[float]) -> NDArray[np.float32]:
    array = np.asarray(vector, dtype=np.float32)
    norm = float(np.linalg.norm(array))
    return array / norm if norm else array


@dataclass(frozen=True)
class StoreRef:
    id: str
    chunks_version: int


class VectorIndex(Protocol):
    async def write(
        self, session: AsyncSession, chunk_ids: Sequence[int], vectors: Sequence[Sequence[float]]
    ) -> None:
        """Store the vectors of chunks just written (whose `embedding` column holds them)."""
        ...

    async def nearest(
        self,
        session: AsyncSession,
        stores: Sequence[StoreRef],
        query: NDArray[np.float32],
        limit: int,
        files: set[str] | None = None,
    ) -> list[tuple[int, float]]:
        """Up to `limit` (chunk id, cosine similarity) pairs, most similar first, over the
        completed files of `stores` (only `files`, when given)."""
        ...


@dataclass
class _Segment:
    chunk_ids: NDArray[np.int64]
    file_ids: NDArray[np.str_]
    vectors: NDArray[np.float32]  # one unit row per chunk
    live: NDArray[np.bool_]  # False for rows of files that left the store

    @property
    def nbytes(self) -> int:
        return int(self.vectors.nbytes + self.chunk_ids.nbytes + self.file_ids.nbytes)


@dataclass
class _Store:
    version: int = -1
    width: int | None = None
    files: dict[str, int] = field(default_factory=dict)  # file id -> its first chunk id
    segments: list[_Segment] = field(default_factory=list)

    @property
    def nbytes(self) -> int:
        return sum(segment.nbytes for segment in self.segments)

    def nearest(
        self, query: NDArray[np.float32], limit: int, files: set[str] | None
    ) -> list[tuple[int, float]]:
        if self.width != query.shape[0]:
            return []
        found: list[tuple[int, float]] = []
        allowed = list(files) if files is not None else None
        for segment in self.segments:
            if not len(segment.chunk_ids):
                continue
            scores = segment.vectors @ query
            keep = segment.live
            if allowed is not None:
                keep = keep & np.isin(segment.file_ids, allowed)
            scores = np.where(keep, scores, -np.inf)
            count = min(limit, len(scores))
            top = np.argpartition(-scores, count - 1)[:count]
            found += [(int(segment.chunk_ids[i]), float(scores[i])) for i in top if keep[i]]
        return found


class InDatabaseVectors:
    def __init__(self, cache_bytes: int = CACHE_BYTES) -> None:
        self._cache: OrderedDict[str, _Store] = OrderedDict()
        self._cache_bytes = cache_bytes
        self._locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def write(
        self, session: AsyncSession, chunk_ids: Sequence[int], vectors: Sequence[Sequence[float]]
    ) -> None:
        """Nothing to do: the chunks' `embedding` column is the storage."""

    async def nearest(
        self,
        session: AsyncSession,
        stores: Sequence[StoreRef],
        query: NDArray[np.float32],
        limit: int,
        files: set[str] | None = None,
    ) -> list[tuple[int, float]]:
        found: list[tuple[int, float]] = []
        for ref in stores:
            store = await self._current(session, ref)
            found += store.nearest(query, limit, files)
        found.sort(key=lambda pair: (-pair[1], pair[0]))
        return found[:limit]

    async def _current(self, session: AsyncSession, ref: StoreRef) -> _Store:
        """The store's vectors as of `ref.chunks_version`; concurrent searches of a store
        that changed wait for one refresh."""
        cached = self._cache.get(ref.id)
        if cached is None or cached.version != ref.chunks_version:
            async with self._locks[ref.id]:
                cached = self._cache.get(ref.id) or _Store()
                if cached.version != ref.chunks_version:
                    await _refresh(session, ref, cached)
                    self._cache[ref.id] = cached
                    self._evict()
        self._cache.move_to_end(ref.id)
        return cached

    def _evict(self) -> None:
        total = sum(store.nbytes for store in self._cache.values())
        while total > self._cache_bytes and len(self._cache) > 1:
            store_id, dropped = self._cache.popitem(last=False)
            self._locks.pop(store_id, None)
            total -= dropped.nbytes


SelectT = TypeVar("SelectT", bound=Select[*tuple[Any, ...]])


def _searchable(statement: SelectT, store_id: str) -> SelectT:
    """`statement` narrowed to the embedded chunks of the store's completed files."""
    return statement.join(
        VectorStoreFileRecord,
        (VectorStoreFileRecord.vector_store_id == ChunkRecord.vector_store_id)
        & (VectorStoreFileRecord.file_id == ChunkRecord.file_id),
    ).where(
        ChunkRecord.vector_store_id == store_id,
        VectorStoreFileRecord.status == "completed",
        ChunkRecord.embedding.is_not(None),
    )


async def _refresh(session: AsyncSession, ref: StoreRef, store: _Store) -> None:
    """Bring `store` up to `ref`: mask files that left, load files that came."""
    marked = select(ChunkRecord.file_id, func.min(ChunkRecord.id)).group_by(ChunkRecord.file_id)
    current = {row[0]: row[1] for row in await session.execute(_searchable(marked, ref.id))}
    gone = [file_id for file_id, first in store.files.items() if current.get(file_id) != first]
    if gone:
        for segment in store.segments:
            segment.live &= ~np.isin(segment.file_ids, gone)
    wanted = {file_id for file_id, first in current.items() if store.files.get(file_id) != first}
    if wanted:
        loaded = await _load(session, ref.id, wanted, store)
        if loaded is not None:
            store.segments.append(loaded)
    store.files = current
    store.version = ref.chunks_version
    dead = sum(int((~segment.live).sum()) for segment in store.segments)
    rows = sum(len(segment.live) for segment in store.segments)
    if len(store.segments) > MAX_SEGMENTS or (rows and dead * 2 > rows):
        store.segments = [_merged(store.segments)]


async def _load(
    session: AsyncSession, store_id: str, wanted: set[str], store: _Store
) -> _Segment | None:
    """The vectors of the `wanted` files' chunks, streamed into one array."""
    counted = _searchable(select(func.count()).select_from(ChunkRecord), store_id)
    if store.files:  # a refresh: only the new files (the first load takes all, filtered below)
        counted = counted.where(ChunkRecord.file_id.in_(wanted))
    capacity = int(await session.scalar(counted) or 0)
    statement = _searchable(
        select(ChunkRecord.id, ChunkRecord.file_id, ChunkRecord.embedding), store_id
    )
    if store.files:
        statement = statement.where(ChunkRecord.file_id.in_(wanted))
    chunk_ids = np.empty(capacity, dtype=np.int64)
    file_ids: list[str] = []
    vectors: NDArray[np.float32] | None = None
    filled = 0
    result = await session.stream(statement.order_by(ChunkRecord.id).execution_options(**OFFLOADED))
    async for rows in result.partitions(LOAD_BATCH_ROWS):
        for chunk_id, file_id, blob in rows:
            if blob is None or filled >= capacity or file_id not in wanted:
                continue  # a file that completed after the count: the next refresh has it
            if store.width is None:
                store.width = len(blob) // 4
            if len(blob) != store.width * 4:
                continue  # a vector of another width (the embeddings model was changed)
            if vectors is None:
                vectors = np.empty((capacity, store.width), dtype=np.float32)
            vectors[filled] = np.frombuffer(blob, dtype="<f4")
            chunk_ids[filled] = chunk_id
            file_ids.append(file_id)
            filled += 1
    if vectors is None or not filled:
        return None
    vectors = vectors[:filled]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    np.divide(vectors, np.where(norms == 0, 1, norms), out=vectors)
    return _Segment(
        chunk_ids=chunk_ids[:filled],
        file_ids=np.array(file_ids, dtype=np.str_),
        vectors=vectors,
        live=np.ones(filled, dtype=np.bool_),
    )


def _merged(segments: list[_Segment]) -> _Segment:
    """One segment holding the live rows of `segments`."""
    return _Segment(
        chunk_ids=np.concatenate([s.chunk_ids[s.live] for s in segments]),
        file_ids=np.concatenate([s.file_ids[s.live] for s in segments]),
        vectors=np.concatenate([s.vectors[s.live] for s in segments]),
        live=np.ones(sum(int(s.live.sum()) for s in segments), dtype=np.bool_),
    )
