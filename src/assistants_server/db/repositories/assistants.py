from __future__ import annotations

from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import selectinload

from assistants_server import ids
from assistants_server.db.models import AssistantRecord
from assistants_server.db.repositories.base import TenantRepository


class AssistantRepository(TenantRepository[AssistantRecord]):
    model = AssistantRecord
    id_prefix = ids.ASSISTANT

    def _with_relations(self, statement: Select[Any]) -> Select[Any]:
        return statement.options(selectinload(AssistantRecord.file_links))

    async def get_settings(self, assistant_id: str) -> AssistantRecord | None:
        """The assistant without its file links: what a run snapshots."""
        statement = self.base_statement().where(AssistantRecord.id == assistant_id)
        record: AssistantRecord | None = (await self.session.scalars(statement)).first()
        return record
