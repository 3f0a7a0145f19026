from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from assistants_server import ids
from assistants_server.db.models import VectorStoreFileRecord
from assistants_server.db.repositories.base import check_cursor, fetch_page
from assistants_server.pagination import Page, PageParams


class VectorStoreFileRepository:
    """The files of one tenant's vector stores, paged on the file id (a vector store file's
    id is its file's id, which is ordered by creation)."""

    def __init__(self, session: AsyncSession, tenant_id: str) -> None:
        self.session = session
        self.tenant_id = tenant_id

    async def get(self, store_id: str, file_id: str) -> VectorStoreFileRecord | None:
        record = await self.session.get(VectorStoreFileRecord, (store_id, file_id))
        return record if record is not None and record.tenant_id == self.tenant_id else None

    async def in_store(
        self, store_id: str, file_ids: Sequence[str]
    ) -> dict[str, VectorStoreFileRecord]:
        statement = select(VectorStoreFileRecord).where(
            VectorStoreFileRecord.vector_store_id == store_id,
            VectorStoreFileRecord.file_id.in_(file_ids),
        )
        return {record.file_id: record for record in await self.session.scalars(statement)}

    async def list_page(
        self,
        store_id: str,
        params: PageParams,
        *,
        status: str | None = None,
        batch_id: str | None = None,
    ) -> Page[VectorStoreFileRecord]:
        check_cursor(params, ids.FILE)
        statement = select(VectorStoreFileRecord).where(
            VectorStoreFileRecord.vector_store_id == store_id
        )
        if status is not None:
            statement = statement.where(VectorStoreFileRecord.status == status)
        if batch_id is not None:
            statement = statement.where(VectorStoreFileRecord.batch_id == batch_id)
        return await fetch_page(self.session, statement, params, sort=VectorStoreFileRecord.file_id)

    async def completed(self, store_ids: Sequence[str]) -> list[VectorStoreFileRecord]:
        statement = select(VectorStoreFileRecord).where(
            VectorStoreFileRecord.vector_store_id.in_(store_ids),
            VectorStoreFileRecord.status == "completed",
        )
        return list(await self.session.scalars(statement))

    async def pending_count(self, store_ids: Sequence[str]) -> int:
        statement = select(func.count()).where(
            VectorStoreFileRecord.vector_store_id.in_(store_ids),
            VectorStoreFileRecord.status == "in_progress",
        )
        return int(await self.session.scalar(statement) or 0)

    async def batch_counts(self, batch_id: str) -> dict[str, int]:
        statement = (
            select(VectorStoreFileRecord.status, func.count())
            .where(VectorStoreFileRecord.batch_id == batch_id)
            .group_by(VectorStoreFileRecord.status)
        )
        return {row[0]: row[1] for row in await self.session.execute(statement)}

    async def cancel_batch(self, batch_id: str) -> None:
        statement = (
            update(VectorStoreFileRecord)
            .where(
                VectorStoreFileRecord.batch_id == batch_id,
                VectorStoreFileRecord.status == "in_progress",
            )
            .values(status="cancelled", worker_id=None, lease_expires_at=None)
            .execution_options(synchronize_session=False)
        )
        await self.session.execute(statement)
