"""Ingestion of one vector store file, by the worker that claimed it: read the upload from
storage, extract its text, chunk it, embed the chunks, and store them; then mark the file
`completed`, or `failed` with a `last_error` the client can act on.

The file streams through: text is extracted and chunked as bytes arrive, and chunks are
embedded and written a batch at a time, each batch in its own short transaction. Chunks of a
file are searched only once the file is `completed`, so a half-ingested file is never seen.
Each batch also renews the worker's lease and checks that the file is still wanted; a file
cancelled or deleted meanwhile stops there, and its chunks go.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistants_server.db.models import FileRecord, VectorStoreFileRecord
from assistants_server.db.repositories.chunks import ChunkRepository
from assistants_server.db.repositories.ingestion_queue import FileKey, IngestionQueue
from assistants_server.db.session import reading, writing
from assistants_server.retrieval.chunking import Chunk, ChunkingStrategy, chunk_text
from assistants_server.retrieval.embeddings import Embedder
from assistants_server.retrieval.extract import ExtractionError, extract_text
from assistants_server.retrieval.vectors import VectorIndex, to_blob
from assistants_server.storage.base import FileStorage

logger = logging.getLogger(__name__)

BATCH_CHUNKS = 64  # chunks embedded in one request and written in one transaction
UNEXPECTED = "The file could not be processed because of an unexpected error; see the server log."


@dataclass(frozen=True)
class IngestionServices:
    sessionmaker: async_sessionmaker[AsyncSession]
    storage: FileStorage
    embedder: Embedder
    vectors: VectorIndex


class _Dropped(Exception):
    """The file was cancelled, deleted, or taken over while being ingested."""


@dataclass
class _Ingestion:
    services: IngestionServices
    key: FileKey
    worker_id: str
    lease_seconds: float
    usage_bytes: int = 0

    async def run(self) -> None:
        async with reading(self.services.sessionmaker) as session:
            entry = await session.get(VectorStoreFileRecord, self.key)
            upload = await session.get(FileRecord, self.key[1])
        if entry is None or upload is None:
            return
        strategy = ChunkingStrategy(entry.max_chunk_tokens, entry.chunk_overlap_tokens)
        try:
            async with writing(self.services.sessionmaker) as session:
                # an earlier attempt that died may have left chunks behind
                await ChunkRepository(session).delete_file(*self.key)
            text = extract_text(upload.filename, self.services.storage.read(upload.storage_key))
            await self._store(chunk_text(text, strategy))
        except _Dropped:
            await self._discard()
            return
        except ExtractionError as exc:
            await self._end("failed", {"code": exc.code, "message": exc.message})
            return
        except Exception:
            logger.exception("ingestion of %s into %s failed", self.key[1], self.key[0])
            await self._end("failed", {"code": "server_error", "message": UNEXPECTED})
            return
        await self._end("completed", None)

    async def _store(self, chunks: AsyncIterator[Chunk]) -> None:
        """Write the chunks a batch at a time; the next batch is cut while the last one is
        embedded and written (one batch in flight at most, so memory stays bounded)."""
        batch: list[Chunk] = []
        writing: asyncio.Task[None] | None = None
        try:
            async for chunk in chunks:
                batch.append(chunk)
                if len(batch) >= BATCH_CHUNKS:
                    if writing is not None:
                        await writing
                    writing = asyncio.create_task(self._write(batch))
                    batch = []
            if writing is not None:
                await writing
            await self._write(batch)
        finally:
            if writing is not None and not writing.done():
                writing.cancel()
                with contextlib.suppress(BaseException):
                    await writing

    async def _write(self, batch: list[Chunk]) -> None:
        if not batch:
            return
        vectors = await self.services.embedder.embed([chunk.text for chunk in batch])
        rows = []
        for offset, chunk in enumerate(batch):
            embedding = to_blob(vectors[offset]) if vectors else None
            self.usage_bytes += len(chunk.text.encode()) + len(embedding or b"")
            rows.append(
                {
                    "vector_store_id": self.key[0],
                    "file_id": self.key[1],
                    "position": chunk.index,
                    "text": chunk.text,
                    "lead": chunk.lead,
                    "tokens": chunk.tokens,
                    "embedding": embedding,
                }
            )
        async with writing(self.services.sessionmaker) as session:
            lease = time.time() + self.lease_seconds
            if not await IngestionQueue(session).still_held(self.key, self.worker_id, lease):
                raise _Dropped
            chunk_ids = await ChunkRepository(session).add_many(rows)
            if vectors:
                await self.services.vectors.write(session, chunk_ids, vectors)

    async def _end(self, status: str, last_error: dict[str, str] | None) -> None:
        try:
            async with writing(self.services.sessionmaker) as session:
                chunks = ChunkRepository(session)
                if status != "completed":
                    await chunks.delete_file(*self.key)
                finished = await IngestionQueue(session).finish(
                    self.key,
                    self.worker_id,
                    status=status,
                    usage_bytes=self.usage_bytes if status == "completed" else 0,
                    last_error=last_error,
                )
                if not finished:
                    raise _Dropped
                if status == "completed":
                    await chunks.changed(self.key[0])
        except _Dropped:
            await self._discard()

    async def _discard(self) -> None:
        async with writing(self.services.sessionmaker) as session:
            entry = await session.get(VectorStoreFileRecord, self.key)
            if entry is not None and entry.worker_id in (None, self.worker_id):
                await ChunkRepository(session).delete_file(*self.key)


async def ingest(
    services: IngestionServices, key: FileKey, worker_id: str, lease_seconds: float
) -> None:
    """Ingest the vector store file `key`, which `worker_id` has claimed."""
    await _Ingestion(services, key, worker_id, lease_seconds).run()
