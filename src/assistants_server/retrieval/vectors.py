"""Vector storage behind one interface.

`InDatabaseVectors`, the default, keeps each chunk's embedding in the `chunks` table (float32,
little-endian) and searches by exact cosine similarity over a matrix per vector store, loaded
once and kept in memory until the store's `chunks_version` changes. Exact search needs no
index to tune and gives stable results; the matrix is what a plain in-memory scan would hold.
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from assistants_server.db.models import ChunkRecord, VectorStoreFileRecord

CACHE_BYTES = 1 << 30  # vectors kept in memory across all stores, least recently used dropped


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


@dataclass(frozen=True)
class _Matrix:
    version: int
    chunk_ids: NDArray[np.int64]
    file_ids: NDArray[np.str_]
    vectors: NDArray[np.float32]  # one unit row per chunk

    @property
    def nbytes(self) -> int:
        return int(self.vectors.nbytes + self.chunk_ids.nbytes + self.file_ids.nbytes)


class InDatabaseVectors:
    def __init__(self, cache_bytes: int = CACHE_BYTES) -> None:
        self._cache: OrderedDict[str, _Matrix] = OrderedDict()
        self._cache_bytes = cache_bytes

    async def nearest(
        self,
        session: AsyncSession,
        stores: Sequence[StoreRef],
        query: NDArray[np.float32],
        limit: int,
        files: set[str] | None = None,
    ) -> list[tuple[int, float]]:
        found: list[tuple[int, float]] = []
        for store in stores:
            matrix = await self._matrix(session, store)
            if not len(matrix.chunk_ids) or matrix.vectors.shape[1] != query.shape[0]:
                continue
            scores = matrix.vectors @ query
            if files is not None:
                scores = np.where(np.isin(matrix.file_ids, list(files)), scores, -np.inf)
            count = min(limit, len(scores))
            top = np.argpartition(-scores, count - 1)[:count]
            found += [
                (int(matrix.chunk_ids[i]), float(scores[i])) for i in top if np.isfinite(scores[i])
            ]
        found.sort(key=lambda pair: (-pair[1], pair[0]))
        return found[:limit]

    async def _matrix(self, session: AsyncSession, store: StoreRef) -> _Matrix:
        cached = self._cache.get(store.id)
        if cached is not None and cached.version == store.chunks_version:
            self._cache.move_to_end(store.id)
            return cached
        matrix = await _load(session, store)
        self._cache[store.id] = matrix
        total = sum(entry.nbytes for entry in self._cache.values())
        while total > self._cache_bytes and len(self._cache) > 1:
            _, dropped = self._cache.popitem(last=False)
            total -= dropped.nbytes
        return matrix


async def _load(session: AsyncSession, store: StoreRef) -> _Matrix:
    statement = (
        select(ChunkRecord.id, ChunkRecord.file_id, ChunkRecord.embedding)
        .join(
            VectorStoreFileRecord,
            (VectorStoreFileRecord.vector_store_id == ChunkRecord.vector_store_id)
            & (VectorStoreFileRecord.file_id == ChunkRecord.file_id),
        )
        .where(
            ChunkRecord.vector_store_id == store.id,
            VectorStoreFileRecord.status == "completed",
            ChunkRecord.embedding.is_not(None),
        )
        .order_by(ChunkRecord.id)
    )
    rows = (await session.execute(statement)).all()
    if rows:  # vectors of another width (a changed embeddings model) are left out
        width = Counter(len(row.embedding) for row in rows).most_common(1)[0][0]
        rows = [row for row in rows if len(row.embedding) == width]
    if not rows:
        empty = np.zeros((0, 0), dtype=np.float32)
        return _Matrix(store.chunks_version, np.zeros(0, np.int64), np.zeros(0, np.str_), empty)
    vectors = np.frombuffer(b"".join(row.embedding for row in rows), dtype="<f4")
    vectors = vectors.reshape(len(rows), -1).astype(np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors = (vectors / np.where(norms == 0, 1, norms)).astype(np.float32)
    return _Matrix(
        version=store.chunks_version,
        chunk_ids=np.array([row.id for row in rows], dtype=np.int64),
        file_ids=np.array([row.file_id for row in rows], dtype=np.str_),
        vectors=vectors,
    )
