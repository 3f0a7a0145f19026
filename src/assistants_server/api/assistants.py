from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter

from assistants_server.api.deps import WIRE, ApiVersionDep, SessionDep, TenantDep, versioned_body
from assistants_server.pagination import ListObject, PageParamsDep, list_object
from assistants_server.schemas._generated import v2
from assistants_server.schemas.assistants import (
    AssistantRequest,
    CreateAssistantRequestV1,
    CreateAssistantRequestV2,
    ModifyAssistantRequestV1,
    ModifyAssistantRequestV2,
    assistant_wire,
)
from assistants_server.services import assistants as assistants_service

router = APIRouter(tags=["Assistants"])

AssistantObject = dict[str, Any]  # v1 or v2, as `assistant_wire` shows it
CreateBody = Annotated[
    AssistantRequest, versioned_body(CreateAssistantRequestV1, CreateAssistantRequestV2)
]
ModifyBody = Annotated[
    AssistantRequest, versioned_body(ModifyAssistantRequestV1, ModifyAssistantRequestV2)
]


@router.post("/assistants", operation_id="createAssistant", response_model=WIRE)
async def create_assistant(
    session: SessionDep,
    tenant: TenantDep,
    version: ApiVersionDep,
    body: CreateBody,
) -> AssistantObject:
    record = await assistants_service.create(session, tenant, body)
    return assistant_wire(record, version)


@router.get("/assistants", operation_id="listAssistants", response_model=WIRE)
async def list_assistants(
    session: SessionDep, tenant: TenantDep, version: ApiVersionDep, params: PageParamsDep
) -> ListObject[AssistantObject]:
    page = await assistants_service.list_page(session, tenant, params)
    return list_object([assistant_wire(record, version) for record in page.items], page)


@router.get("/assistants/{assistant_id}", operation_id="getAssistant", response_model=WIRE)
async def get_assistant(
    assistant_id: str, session: SessionDep, tenant: TenantDep, version: ApiVersionDep
) -> AssistantObject:
    record = await assistants_service.get(session, tenant, assistant_id)
    return assistant_wire(record, version)


@router.post("/assistants/{assistant_id}", operation_id="modifyAssistant", response_model=WIRE)
async def modify_assistant(
    assistant_id: str,
    session: SessionDep,
    tenant: TenantDep,
    version: ApiVersionDep,
    body: ModifyBody,
) -> AssistantObject:
    record = await assistants_service.modify(session, tenant, assistant_id, body)
    return assistant_wire(record, version)


@router.delete("/assistants/{assistant_id}", operation_id="deleteAssistant")
async def delete_assistant(
    assistant_id: str, session: SessionDep, tenant: TenantDep
) -> v2.DeleteAssistantResponse:
    await assistants_service.delete(session, tenant, assistant_id)
    return v2.DeleteAssistantResponse(id=assistant_id, deleted=True, object="assistant.deleted")
