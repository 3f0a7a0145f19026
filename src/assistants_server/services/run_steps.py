"""Run steps: read-only views of what a run did."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from assistants_server.db.models import RunStepRecord
from assistants_server.db.repositories.run_steps import RunStepRepository
from assistants_server.errors import NotFoundError
from assistants_server.pagination import Page, PageParams
from assistants_server.services import runs as runs_service


async def get(
    session: AsyncSession, tenant_id: str, thread_id: str, run_id: str, step_id: str
) -> RunStepRecord:
    await runs_service.get(session, tenant_id, thread_id, run_id)
    record = await RunStepRepository(session, tenant_id).get_in_run(run_id, step_id)
    if record is None:
        raise NotFoundError.for_object("run step", step_id)
    return record


async def list_page(
    session: AsyncSession, tenant_id: str, thread_id: str, run_id: str, params: PageParams
) -> Page[RunStepRecord]:
    await runs_service.get(session, tenant_id, thread_id, run_id)
    return await RunStepRepository(session, tenant_id).list_in_run(run_id, params)
