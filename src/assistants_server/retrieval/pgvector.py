"""Vectors in pgvector, where the PostgreSQL database has the extension.

At startup (`prepare`) the extension is created if it is available and the database user may
create it, and `chunks` gets an `embedding_vector vector` column (and its width) beside the
portable float32 `embedding`, which is kept so the database works without pgvector too.
Vectors written before pgvector was there are copied into the column in the background
(`backfill`). Search is an exact cosine-distance scan in
the database (`<=>`), over the stores' completed files: nothing is held in the server's memory,
and every process sees the same vectors.

The columns are not part of the ORM models or the migrations, since it exists only where the
extension does; migrations/env.py keeps autogenerate from seeing it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import bindparam, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from assistants_server.retrieval.vectors import StoreRef

logger = logging.getLogger(__name__)

BACKFILL_ROWS = 1000

_NEAREST = """
SELECT c.id, 1 - (c.embedding_vector <=> CAST(CAST(:query AS real[]) AS vector)) AS similarity
FROM chunks c
JOIN vector_store_files f ON f.vector_store_id = c.vector_store_id AND f.file_id = c.file_id
WHERE c.vector_store_id IN :stores AND f.status = 'completed'
AND c.embedding_width = :width
{files}
ORDER BY c.embedding_vector <=> CAST(CAST(:query AS real[]) AS vector), c.id
LIMIT :limit
"""


async def prepare(engine: AsyncEngine) -> bool:
    """Make pgvector ready if the database can have it; False if it cannot."""
    async with engine.begin() as connection:
        available = await connection.scalar(
            text("SELECT count(*) FROM pg_available_extensions WHERE name = 'vector'")
        )
        if not available:
            return False
        installed = await connection.scalar(
            text("SELECT count(*) FROM pg_extension WHERE extname = 'vector'")
        )
    if not installed:
        try:
            async with engine.begin() as connection:
                await connection.execute(text("CREATE EXTENSION IF NOT EXISTS vector"))
        except Exception as exc:  # e.g. the user may not create extensions
            logger.warning("pgvector is available but could not be enabled (%s)", exc)
            return False
    async with engine.begin() as connection:
        columns = await connection.scalar(
            text(
                "SELECT count(*) FROM information_schema.columns WHERE table_name = 'chunks' "
                "AND column_name IN ('embedding_vector', 'embedding_width')"
            )
        )
        if columns == 2:  # ready: no ALTER, whose table lock would stall running ingestion
            return True
        await connection.execute(
            text("ALTER TABLE chunks ADD COLUMN IF NOT EXISTS embedding_vector vector")
        )
        # the width, stored, so a search need not read every vector twice to check it
        await connection.execute(
            text(
                "ALTER TABLE chunks ADD COLUMN IF NOT EXISTS embedding_width integer "
                "GENERATED ALWAYS AS (vector_dims(embedding_vector)) STORED"
            )
        )
    return True


async def backfill(engine: AsyncEngine) -> None:
    """Copy vectors stored before pgvector was enabled into the pgvector column, a batch per
    transaction. Run in the background at startup: until a chunk's vector is copied, search
    finds that chunk by its words only."""
    copied = 0
    try:
        while True:
            async with engine.begin() as connection:
                rows = (
                    await connection.execute(
                        text(
                            "SELECT id, embedding FROM chunks WHERE embedding_vector IS NULL "
                            "AND embedding IS NOT NULL LIMIT :limit"
                        ),
                        {"limit": BACKFILL_ROWS},
                    )
                ).all()
                if not rows:
                    break
                vectors = [np.frombuffer(row.embedding, dtype="<f4") for row in rows]
                await write_vectors(connection, [row.id for row in rows], vectors)
                copied += len(rows)
    except Exception:
        logger.exception("pgvector: copying stored vectors stopped after %d", copied)
        return
    if copied:
        logger.info("pgvector: copied %d stored vectors into the pgvector column", copied)


async def write_vectors(
    connection: AsyncConnection | AsyncSession,
    chunk_ids: Sequence[int],
    vectors: Sequence[Sequence[float] | NDArray[np.float32]],
) -> None:
    # sent as real[] parameters, which the driver encodes in binary (no text formatting)
    statement = text(
        "UPDATE chunks SET embedding_vector = CAST(CAST(:vector AS real[]) AS vector) "
        "WHERE id = :id"
    )
    rows = [
        {"id": chunk_id, "vector": np.asarray(vector, dtype=np.float32).tolist()}
        for chunk_id, vector in zip(chunk_ids, vectors, strict=True)
    ]
    await connection.execute(statement, rows)


class PgVectorIndex:
    async def write(
        self, session: AsyncSession, chunk_ids: Sequence[int], vectors: Sequence[Sequence[float]]
    ) -> None:
        if chunk_ids:
            await write_vectors(session, chunk_ids, vectors)

    async def nearest(
        self,
        session: AsyncSession,
        stores: Sequence[StoreRef],
        query: NDArray[np.float32],
        limit: int,
        files: set[str] | None = None,
    ) -> list[tuple[int, float]]:
        if not stores or (files is not None and not files):
            return []
        statement = text(_NEAREST.format(files="AND c.file_id IN :files" if files else ""))
        statement = statement.bindparams(bindparam("stores", expanding=True))
        params: dict[str, object] = {
            "query": query.tolist(),
            "stores": [store.id for store in stores],
            "width": int(query.shape[0]),
            "limit": limit,
        }
        if files:
            statement = statement.bindparams(bindparam("files", expanding=True))
            params["files"] = sorted(files)
        rows = await session.execute(statement, params)
        return [(int(row.id), float(row.similarity)) for row in rows]
