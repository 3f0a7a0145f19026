from __future__ import annotations

from typing import Any

from sqlalchemy import Select, bindparam, select

from assistants_server import ids
from assistants_server.db.models import RunRecord
from assistants_server.db.repositories.base import TenantRepository
from assistants_server.pagination import Page, PageParams

ACTIVE_STATUSES = ("queued", "in_progress", "requires_action", "cancelling")


class RunRepository(TenantRepository[RunRecord]):
    model = RunRecord
    id_prefix = ids.RUN

    def in_thread(self, thread_id: str) -> Select[Any]:
        return self.base_statement().where(RunRecord.thread_id == thread_id)

    async def get_in_thread(
        self, thread_id: str, run_id: str, *, for_update: bool = False
    ) -> RunRecord | None:
        statement = self.in_thread(thread_id).where(RunRecord.id == run_id)
        if for_update:
            statement = statement.with_for_update()
        record: RunRecord | None = (await self.session.scalars(statement)).first()
        return record

    async def list_in_thread(self, thread_id: str, params: PageParams) -> Page[RunRecord]:
        return await self.list_page(params, self.in_thread(thread_id))

    async def active_in_thread(self, thread_id: str) -> RunRecord | None:
        params = {"tenant_id": self.tenant_id, "thread_id": thread_id}
        record: RunRecord | None = (await self.session.scalars(_ACTIVE, params)).first()
        return record


_ACTIVE = (
    select(RunRecord)
    .where(
        RunRecord.tenant_id == bindparam("tenant_id"),
        RunRecord.thread_id == bindparam("thread_id"),
        RunRecord.status.in_(ACTIVE_STATUSES),
    )
    .limit(1)
)
