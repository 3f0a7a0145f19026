from __future__ import annotations

from assistants_server import ids
from assistants_server.db.models import RunStepRecord
from assistants_server.db.repositories.base import TenantRepository
from assistants_server.pagination import Page, PageParams


class RunStepRepository(TenantRepository[RunStepRecord]):
    model = RunStepRecord
    id_prefix = ids.STEP

    async def get_in_run(self, run_id: str, step_id: str) -> RunStepRecord | None:
        statement = self.base_statement().where(
            RunStepRecord.run_id == run_id, RunStepRecord.id == step_id
        )
        record: RunStepRecord | None = (await self.session.scalars(statement)).first()
        return record

    async def list_in_run(self, run_id: str, params: PageParams) -> Page[RunStepRecord]:
        statement = self.base_statement().where(RunStepRecord.run_id == run_id)
        return await self.list_page(params, statement)

    async def open_in_run(self, run_id: str) -> list[RunStepRecord]:
        statement = self.base_statement().where(
            RunStepRecord.run_id == run_id, RunStepRecord.status == "in_progress"
        )
        return list(await self.session.scalars(statement.order_by(RunStepRecord.id)))

    async def tool_steps_in_run(self, run_id: str) -> list[RunStepRecord]:
        statement = self.base_statement().where(
            RunStepRecord.run_id == run_id, RunStepRecord.type == "tool_calls"
        )
        return list(await self.session.scalars(statement.order_by(RunStepRecord.id)))
