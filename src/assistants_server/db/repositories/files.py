from __future__ import annotations

from sqlalchemy import select

from assistants_server import ids
from assistants_server.db.models import FileRecord, VectorStoreFileRecord
from assistants_server.db.repositories.base import TenantRepository
from assistants_server.pagination import Page, PageParams


class FileRepository(TenantRepository[FileRecord]):
    model = FileRecord
    id_prefix = ids.FILE

    async def list_by_purpose(self, params: PageParams, purpose: str | None) -> Page[FileRecord]:
        statement = self.base_statement()
        if purpose is not None:
            statement = statement.where(FileRecord.purpose == purpose)
        return await self.list_page(params, statement)

    async def existing_ids(self, file_ids: list[str]) -> set[str]:
        statement = self.base_statement().where(FileRecord.id.in_(file_ids))
        return {record.id for record in await self.session.scalars(statement)}

    async def vector_stores_of(self, file_id: str) -> list[str]:
        statement = select(VectorStoreFileRecord.vector_store_id).where(
            VectorStoreFileRecord.file_id == file_id
        )
        return list(await self.session.scalars(statement))
