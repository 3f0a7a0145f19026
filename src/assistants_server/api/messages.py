from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from assistants_server.api.deps import WIRE, ApiVersionDep, SessionDep, TenantDep, versioned_body
from assistants_server.errors import NotFoundError
from assistants_server.pagination import ListObject, PageParamsDep, list_object, page_of
from assistants_server.schemas._generated import v2
from assistants_server.schemas.messages import (
    CreateMessageRequestV1,
    CreateMessageRequestV2,
    MessageRequest,
    ModifyMessageRequest,
    ModifyMessageRequestV1,
    ModifyMessageRequestV2,
    message_file_v1,
    message_wire,
)
from assistants_server.services import messages as messages_service

router = APIRouter(tags=["Assistants"])

CreateBody = Annotated[
    MessageRequest, versioned_body(CreateMessageRequestV1, CreateMessageRequestV2)
]
ModifyBody = Annotated[
    ModifyMessageRequest, versioned_body(ModifyMessageRequestV1, ModifyMessageRequestV2)
]


@router.post("/threads/{thread_id}/messages", operation_id="createMessage")
async def create_message(
    thread_id: str, session: SessionDep, tenant: TenantDep, version: ApiVersionDep, body: CreateBody
) -> dict[str, Any]:
    record = await messages_service.create(session, tenant, thread_id, body)
    return message_wire(record, version)


@router.get("/threads/{thread_id}/messages", operation_id="listMessages", response_model=WIRE)
async def list_messages(
    thread_id: str,
    session: SessionDep,
    tenant: TenantDep,
    version: ApiVersionDep,
    params: PageParamsDep,
    run_id: Annotated[str | None, Query()] = None,
) -> ListObject[dict[str, Any]]:
    page = await messages_service.list_page(session, tenant, thread_id, params, run_id=run_id)
    return list_object([message_wire(record, version) for record in page.items], page)


@router.get("/threads/{thread_id}/messages/{message_id}", operation_id="getMessage")
async def get_message(
    thread_id: str,
    message_id: str,
    session: SessionDep,
    tenant: TenantDep,
    version: ApiVersionDep,
) -> dict[str, Any]:
    record = await messages_service.get(session, tenant, thread_id, message_id)
    return message_wire(record, version)


@router.post("/threads/{thread_id}/messages/{message_id}", operation_id="modifyMessage")
async def modify_message(
    thread_id: str,
    message_id: str,
    session: SessionDep,
    tenant: TenantDep,
    version: ApiVersionDep,
    body: ModifyBody,
) -> dict[str, Any]:
    record = await messages_service.modify(session, tenant, thread_id, message_id, body)
    return message_wire(record, version)


@router.delete("/threads/{thread_id}/messages/{message_id}", operation_id="deleteMessage")
async def delete_message(
    thread_id: str, message_id: str, session: SessionDep, tenant: TenantDep
) -> v2.DeleteMessageResponse:
    await messages_service.delete(session, tenant, thread_id, message_id)
    return v2.DeleteMessageResponse(id=message_id, deleted=True, object="thread.message.deleted")


@router.get(
    "/threads/{thread_id}/messages/{message_id}/files",
    operation_id="listMessageFiles",
    response_model=WIRE,
)
async def list_message_files(
    thread_id: str, message_id: str, session: SessionDep, tenant: TenantDep, params: PageParamsDep
) -> ListObject[dict[str, Any]]:
    """v1's message files: the message's attachments, in the order they were attached."""
    record = await messages_service.get(session, tenant, thread_id, message_id)
    page = page_of(list(record.file_ids), list(record.file_ids), params)
    return list_object([message_file_v1(record, file_id) for file_id in page.items], page)


@router.get(
    "/threads/{thread_id}/messages/{message_id}/files/{file_id}", operation_id="getMessageFile"
)
async def get_message_file(
    thread_id: str, message_id: str, file_id: str, session: SessionDep, tenant: TenantDep
) -> dict[str, Any]:
    record = await messages_service.get(session, tenant, thread_id, message_id)
    if file_id not in record.file_ids:
        raise NotFoundError.for_object("file", file_id)
    return message_file_v1(record, file_id)
