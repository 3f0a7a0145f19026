from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter

from assistants_server.api.deps import ApiVersionDep, SessionDep, TenantDep, versioned_body
from assistants_server.schemas._generated import v2
from assistants_server.schemas.threads import (
    CreateThreadRequestV1,
    CreateThreadRequestV2,
    ModifyThreadRequest,
    ModifyThreadRequestV1,
    ModifyThreadRequestV2,
    ThreadRequest,
    thread_wire,
)
from assistants_server.services import threads as threads_service

router = APIRouter(tags=["Assistants"])

CreateBody = Annotated[ThreadRequest, versioned_body(CreateThreadRequestV1, CreateThreadRequestV2)]
ModifyBody = Annotated[
    ModifyThreadRequest, versioned_body(ModifyThreadRequestV1, ModifyThreadRequestV2)
]


@router.post("/threads", operation_id="createThread")
async def create_thread(
    session: SessionDep, tenant: TenantDep, version: ApiVersionDep, body: CreateBody
) -> dict[str, Any]:
    record = await threads_service.create(session, tenant, body)
    return thread_wire(record, version)


@router.get("/threads/{thread_id}", operation_id="getThread")
async def get_thread(
    thread_id: str, session: SessionDep, tenant: TenantDep, version: ApiVersionDep
) -> dict[str, Any]:
    record = await threads_service.get(session, tenant, thread_id)
    return thread_wire(record, version)


@router.post("/threads/{thread_id}", operation_id="modifyThread")
async def modify_thread(
    thread_id: str, session: SessionDep, tenant: TenantDep, version: ApiVersionDep, body: ModifyBody
) -> dict[str, Any]:
    record = await threads_service.modify(session, tenant, thread_id, body)
    return thread_wire(record, version)


@router.delete("/threads/{thread_id}", operation_id="deleteThread")
async def delete_thread(
    thread_id: str, session: SessionDep, tenant: TenantDep
) -> v2.DeleteThreadResponse:
    await threads_service.delete(session, tenant, thread_id)
    return v2.DeleteThreadResponse(id=thread_id, deleted=True, object="thread.deleted")
