from __future__ import annotations

from sqlalchemy import Select
from sqlalchemy.orm import selectinload

from assistants_server import ids
from assistants_server.db.models import AssistantRecord
from assistants_server.db.repositories.base import TenantRepository


class AssistantRepository(TenantRepository[AssistantRecord]):
    model = AssistantRecord
    id_prefix = ids.ASSISTANT

    def _with_relations(
        self, statement: Select[tuple[AssistantRecord]]
    ) -> Select[tuple[AssistantRecord]]:
        return statement.options(selectinload(AssistantRecord.file_links))
