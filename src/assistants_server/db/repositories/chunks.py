from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession

from assistants_server.db.models import (
    ChunkRecord,
    FileRecord,
    VectorStoreFileRecord,
    VectorStoreRecord,
)
from assistants_server.db.sqlite import OFFLOADED


class ChunkRepository:
    """Chunks of vector store files. Not tenant scoped: callers reach chunks through a vector
    store or a file they have already found for the tenant."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_many(self, rows: list[dict[str, Any]]) -> list[int]:
        """Insert `rows`; their ids, in the same order."""
        if not rows:
            return []
        statement = insert(ChunkRecord).returning(ChunkRecord.id, sort_by_parameter_order=True)
        return list(await self.session.scalars(statement.execution_options(**OFFLOADED), rows))

    async def delete_file(self, store_id: str, file_id: str) -> None:
        statement = delete(ChunkRecord).where(
            ChunkRecord.vector_store_id == store_id, ChunkRecord.file_id == file_id
        )
        await self.session.execute(statement.execution_options(synchronize_session=False))

    async def changed(self, store_id: str) -> None:
        """Tell readers of the store's vectors that its searchable chunks changed."""
        statement = (
            update(VectorStoreRecord)
            .where(VectorStoreRecord.id == store_id)
            .values(chunks_version=VectorStoreRecord.chunks_version + 1)
            .execution_options(synchronize_session=False)
        )
        await self.session.execute(statement)

    async def texts(self, store_id: str, file_id: str) -> list[str]:
        """The file's text in order, each chunk without the overlap it repeats."""
        statement = (
            select(ChunkRecord.text, ChunkRecord.lead)
            .where(ChunkRecord.vector_store_id == store_id, ChunkRecord.file_id == file_id)
            .order_by(ChunkRecord.position)
        )
        return [text[lead:] for text, lead in await self.session.execute(statement)]

    async def found(self, chunk_ids: Sequence[int]) -> dict[int, Row[Any]]:
        """Chunks by id, with their file's name and attributes in its store."""
        statement = (
            select(
                ChunkRecord.id,
                ChunkRecord.vector_store_id,
                ChunkRecord.file_id,
                ChunkRecord.text,
                FileRecord.filename,
                VectorStoreFileRecord.attributes,
            )
            .join(FileRecord, FileRecord.id == ChunkRecord.file_id)
            .join(
                VectorStoreFileRecord,
                (VectorStoreFileRecord.vector_store_id == ChunkRecord.vector_store_id)
                & (VectorStoreFileRecord.file_id == ChunkRecord.file_id),
            )
            .where(ChunkRecord.id.in_(chunk_ids))
        )
        return {row.id: row for row in await self.session.execute(statement)}
