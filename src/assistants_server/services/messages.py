"""Messages in a thread; none may be added while a run is active on it."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from assistants_server import clock, ids
from assistants_server.db.models import MessageRecord, ThreadRecord
from assistants_server.db.repositories.messages import MessageRepository
from assistants_server.db.repositories.runs import RunRepository
from assistants_server.db.repositories.threads import ThreadRepository
from assistants_server.errors import InvalidRequestError, NotFoundError
from assistants_server.pagination import Page, PageParams
from assistants_server.schemas.messages import (
    CreateMessageRequestV1,
    MessageRequest,
    ModifyMessageRequest,
    stored_attachments,
    stored_content,
)
from assistants_server.services import files as files_service
from assistants_server.services import vector_store_files
from assistants_server.services import vector_stores as vector_stores_service


async def add(
    session: AsyncSession, tenant_id: str, thread_id: str, request: MessageRequest, *, param: str
) -> MessageRecord:
    """Store a message in `thread_id` (the caller has checked the thread); `param` names the
    message in the request body, for errors about its files."""
    content = stored_content(request.content)
    attachments = stored_attachments(request)
    where = f"{param}." if param else ""
    files_param = "file_ids" if isinstance(request, CreateMessageRequestV1) else "attachments"
    attached = [attachment["file_id"] for attachment in attachments]
    await files_service.require_all(session, tenant_id, attached, param=where + files_param)
    for index, part in enumerate(content):
        if part["type"] == "image_file":
            image = [part["image_file"]["file_id"]]
            image_param = f"{where}content[{index}].image_file.file_id"
            await files_service.require_all(session, tenant_id, image, param=image_param)
    record = MessageRecord(
        id=ids.new(ids.MESSAGE),
        tenant_id=tenant_id,
        thread_id=thread_id,
        created_at=clock.now(),
        role=request.role,
        status="completed",
        content=content,
        attachments=attachments,
        metadata_=request.metadata or {},
    )
    record.completed_at = record.created_at
    searched = [a["file_id"] for a in attachments if {"type": "file_search"} in a["tools"]]
    if searched:
        await _index_attachments(session, tenant_id, thread_id, searched)
    return await MessageRepository(session, tenant_id).add(record)


async def _index_attachments(
    session: AsyncSession, tenant_id: str, thread_id: str, file_ids: list[str]
) -> None:
    """Attachments for file_search go into the thread's vector store (made if need be), as
    OpenAI did; the ingestion worker picks them up, and a run waits for them."""
    thread = await session.get(ThreadRecord, thread_id)
    assert thread is not None
    store_id = await vector_stores_service.thread_store(session, tenant_id, thread)
    chunking = vector_store_files.strategy(None)
    await vector_store_files.add(session, tenant_id, store_id, file_ids, chunking)


async def create(
    session: AsyncSession, tenant_id: str, thread_id: str, request: MessageRequest
) -> MessageRecord:
    thread = await ThreadRepository(session, tenant_id).get_for_update(thread_id)
    if thread is None:
        raise NotFoundError.for_object("thread", thread_id)
    active = await RunRepository(session, tenant_id).active_in_thread(thread_id)
    if active is not None:
        raise InvalidRequestError(
            f"Can't add messages to {thread_id} while a run {active.id} is active."
        )
    return await add(session, tenant_id, thread_id, request, param="")


async def _thread_exists(session: AsyncSession, tenant_id: str, thread_id: str) -> None:
    if await ThreadRepository(session, tenant_id).get(thread_id) is None:
        raise NotFoundError.for_object("thread", thread_id)


async def get(
    session: AsyncSession, tenant_id: str, thread_id: str, message_id: str
) -> MessageRecord:
    record = await MessageRepository(session, tenant_id).get_in_thread(thread_id, message_id)
    if record is None:
        await _thread_exists(session, tenant_id, thread_id)
        raise NotFoundError.for_object("message", message_id)
    return record


async def modify(
    session: AsyncSession,
    tenant_id: str,
    thread_id: str,
    message_id: str,
    request: ModifyMessageRequest,
) -> MessageRecord:
    record = await get(session, tenant_id, thread_id, message_id)
    if "metadata" in request.model_fields_set:
        record.metadata_ = request.metadata or {}
    await session.flush()
    return record


async def delete(session: AsyncSession, tenant_id: str, thread_id: str, message_id: str) -> None:
    record = await get(session, tenant_id, thread_id, message_id)
    await MessageRepository(session, tenant_id).delete(record)


async def list_page(
    session: AsyncSession,
    tenant_id: str,
    thread_id: str,
    params: PageParams,
    *,
    run_id: str | None = None,
) -> Page[MessageRecord]:
    await _thread_exists(session, tenant_id, thread_id)
    return await MessageRepository(session, tenant_id).list_in_thread(
        thread_id, params, run_id=run_id
    )
