from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from assistants_server.api.deps import WIRE, ApiVersionDep, SessionDep, StepIncludeDep, TenantDep
from assistants_server.pagination import ListObject, PageParamsDep, list_object
from assistants_server.schemas.run_steps import run_step_wire
from assistants_server.services import run_steps as run_steps_service

router = APIRouter(tags=["Assistants"])


@router.get(
    "/threads/{thread_id}/runs/{run_id}/steps", operation_id="listRunSteps", response_model=WIRE
)
async def list_run_steps(
    thread_id: str,
    run_id: str,
    session: SessionDep,
    tenant: TenantDep,
    version: ApiVersionDep,
    params: PageParamsDep,
    include: StepIncludeDep,
) -> ListObject[dict[str, Any]]:
    page = await run_steps_service.list_page(session, tenant, thread_id, run_id, params)
    steps = [run_step_wire(record, version, include) for record in page.items]
    return list_object(steps, page)


@router.get("/threads/{thread_id}/runs/{run_id}/steps/{step_id}", operation_id="getRunStep")
async def get_run_step(
    thread_id: str,
    run_id: str,
    step_id: str,
    session: SessionDep,
    tenant: TenantDep,
    version: ApiVersionDep,
    include: StepIncludeDep,
) -> dict[str, Any]:
    record = await run_steps_service.get(session, tenant, thread_id, run_id, step_id)
    return run_step_wire(record, version, include)
