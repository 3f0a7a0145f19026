"""Search over vector stores: lexical and vector rankings fused by reciprocal rank.

Each query gives a lexical ranking (always) and a vector ranking (when the embeddings model
answers). Each ranking holds chunks with a relevance in 0..1: cosine similarity for vectors
(negative counts as 0), BM25 / ts_rank relative to the best match for words. A chunk's fused
score is the sum over the rankings of relevance / (RRF_K + rank), divided by what a chunk
ranked first, and fully relevant, in every ranking would get. So scores lie in 0..1; 1.0
means every ranking put the chunk first with full relevance; and a chunk that is merely the
nearest of unrelated texts scores near 0, so `score_threshold` means something. Ties are
broken by chunk id, so the same search gives the same order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from assistants_server import clock
from assistants_server.db.repositories.chunks import ChunkRepository
from assistants_server.db.repositories.vector_store_files import VectorStoreFileRepository
from assistants_server.db.repositories.vector_stores import VectorStoreRepository
from assistants_server.retrieval import filters, lexical
from assistants_server.retrieval.embeddings import Embedder
from assistants_server.retrieval.vectors import StoreRef, VectorIndex, unit

RRF_K = 60
CANDIDATES = 100  # chunks each ranking contributes at least


@dataclass(frozen=True)
class Hit:
    chunk_id: int
    vector_store_id: str
    file_id: str
    filename: str
    score: float
    text: str
    attributes: dict[str, Any]


@dataclass(frozen=True)
class Searcher:
    embedder: Embedder
    vectors: VectorIndex

    async def embed(self, queries: Sequence[str]) -> list[list[float]] | None:
        """The queries' vectors, for `search`: asked before any transaction opens, so that no
        database lock is held while the embeddings model answers."""
        return await self.embedder.embed(list(queries)) if queries else None

    async def search(
        self,
        session: AsyncSession,
        tenant_id: str,
        store_ids: Sequence[str],
        queries: Sequence[str],
        vectors: list[list[float]] | None,
        *,
        max_num_results: int,
        score_threshold: float = 0.0,
        condition: dict[str, Any] | None = None,
    ) -> list[Hit]:
        """The best chunks for `queries` (with their `vectors`, if any) in the tenant's live
        (unexpired) stores `store_ids`, among the files whose attributes match `condition`."""
        now = clock.now()
        stores = [
            StoreRef(record.id, record.chunks_version)
            for record in await VectorStoreRepository(session, tenant_id).in_ids(store_ids)
            if record.expires_at is None or record.expires_at > now
        ]
        live = [store.id for store in stores]
        if not live or not queries:
            return []
        files = None
        if condition is not None:
            entries = await VectorStoreFileRepository(session, tenant_id).completed(live)
            files = {e.file_id for e in entries if filters.matches(condition, e.attributes)}
        depth = max(CANDIDATES, 2 * max_num_results)
        rankings = [await lexical.rank(session, live, query, depth, files) for query in queries]
        if vectors is not None:
            for vector in vectors:
                nearest = await self.vectors.nearest(session, stores, unit(vector), depth, files)
                rankings.append([(chunk_id, max(0.0, score)) for chunk_id, score in nearest])
        scored = _fuse(rankings)
        best = [pair for pair in scored if pair[1] >= score_threshold][:max_num_results]
        found = await ChunkRepository(session).found([chunk_id for chunk_id, _ in best])
        return [
            Hit(
                chunk_id=chunk_id,
                vector_store_id=row.vector_store_id,
                file_id=row.file_id,
                filename=row.filename,
                score=score,
                text=row.text,
                attributes=row.attributes,
            )
            for chunk_id, score in best
            if (row := found.get(chunk_id)) is not None
        ]


def _fuse(rankings: list[list[tuple[int, float]]]) -> list[tuple[int, float]]:
    """Reciprocal-rank fusion of `rankings` (chunk id, relevance), weighted by relevance and
    normalised to 0..1, best first, ties by id."""
    if not rankings:
        return []
    totals: defaultdict[int, float] = defaultdict(float)
    for ranking in rankings:
        for rank, (chunk_id, relevance) in enumerate(ranking, start=1):
            totals[chunk_id] += relevance / (RRF_K + rank)
    perfect = len(rankings) / (RRF_K + 1)
    scored = [
        (chunk_id, min(1.0, total / perfect)) for chunk_id, total in totals.items() if total > 0
    ]
    scored.sort(key=lambda pair: (-pair[1], pair[0]))
    return scored
