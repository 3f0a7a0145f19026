from __future__ import annotations

from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import selectinload

from assistants_server import ids
from assistants_server.db.models import AssistantRecord
from assistants_server.db.repositories.base import TenantRepository


class AssistantRepository(TenantRepository[AssistantRecord]):
    model = AssistantRecord
    id_prefix = ids.ASSISTANT

    @classmethod
    def _with_relations(cls, statement: Select[Any]) -> Select[Any]:
        return statement.options(selectinload(AssistantRecord.file_links))

    async def get_settings(self, assistant_id: str) -> AssistantRecord | None:
        """The assistant without its file links: what a run snapshots."""
        params = {"tenant_id": self.tenant_id, "record_id": assistant_id}
        found = await self.session.scalars(_SETTINGS, params)
        record: AssistantRecord | None = found.first()
        return record


_SETTINGS = select(AssistantRecord).where(
    AssistantRecord.tenant_id == bindparam("tenant_id"),
    AssistantRecord.id == bindparam("record_id"),
)
