"""Threads: a conversation's messages and the resources its runs may use."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from assistants_server import clock, ids
from assistants_server.db.models import ThreadRecord
from assistants_server.db.repositories.threads import ThreadRepository
from assistants_server.errors import NotFoundError
from assistants_server.schemas.messages import MessageRequest
from assistants_server.schemas.threads import ModifyThreadRequest, ThreadRequest
from assistants_server.services import assistants as assistants_service
from assistants_server.services import files as files_service
from assistants_server.services import messages as messages_service
from assistants_server.services import vector_stores as vector_stores_service

PARAM = "tool_resources.code_interpreter.file_ids"


async def _tool_resources(
    session: AsyncSession, tenant_id: str, resources: dict[str, Any] | None, prefix: str
) -> dict[str, Any]:
    """Tool resources as stored, in v2 form, with the files checked."""
    stored: dict[str, Any] = {}
    if not resources:
        return stored
    if resources.get("code_interpreter") is not None:
        file_ids = list(dict.fromkeys(resources["code_interpreter"].get("file_ids") or []))
        if len(file_ids) > assistants_service.MAX_FILES:
            raise assistants_service.too_many_files(prefix + PARAM)
        await files_service.require_all(session, tenant_id, file_ids, param=prefix + PARAM)
        stored["code_interpreter"] = {"file_ids": file_ids}
    if resources.get("file_search") is not None:
        stored["file_search"] = await vector_stores_service.file_search_resources(
            session,
            tenant_id,
            resources["file_search"],
            prefix=prefix + "tool_resources.file_search.",
        )
    return stored


async def get(session: AsyncSession, tenant_id: str, thread_id: str) -> ThreadRecord:
    record = await ThreadRepository(session, tenant_id).get(thread_id)
    if record is None:
        raise NotFoundError.for_object("thread", thread_id)
    return record


async def lock(session: AsyncSession, tenant_id: str, thread_id: str) -> ThreadRecord:
    """The thread, locked for the rest of the transaction, so runs and messages on it are
    created one at a time."""
    record = await ThreadRepository(session, tenant_id).get_for_update(thread_id)
    if record is None:
        raise NotFoundError.for_object("thread", thread_id)
    return record


async def create(
    session: AsyncSession, tenant_id: str, request: ThreadRequest | None, *, prefix: str = ""
) -> ThreadRecord:
    """A thread with its first messages. `prefix` names where the request sits in its body
    (`thread.` inside a create-and-run request), for error params."""
    fields = request.model_dump(mode="json", by_alias=True, exclude_unset=True) if request else {}
    now = clock.now()
    record = ThreadRecord(
        id=ids.new(ids.THREAD),
        tenant_id=tenant_id,
        created_at=now,
        tool_resources=await _tool_resources(
            session, tenant_id, fields.get("tool_resources"), prefix
        ),
        metadata_=fields.get("metadata") or {},
    )
    await ThreadRepository(session, tenant_id).add(record)
    messages: list[MessageRequest] = list(request.messages or []) if request else []
    for index, message in enumerate(messages):
        await messages_service.add(
            session, tenant_id, record.id, message, param=f"{prefix}messages[{index}]"
        )
    return record


async def modify(
    session: AsyncSession, tenant_id: str, thread_id: str, request: ModifyThreadRequest
) -> ThreadRecord:
    record = await get(session, tenant_id, thread_id)
    fields = request.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if "metadata" in fields:
        record.metadata_ = fields["metadata"] or {}
    if "tool_resources" in fields:
        await set_tool_resources(session, record, fields["tool_resources"])
    await session.flush()
    return record


async def set_tool_resources(
    session: AsyncSession, record: ThreadRecord, resources: dict[str, Any] | None
) -> None:
    """Replace the sections of the thread's tool resources that `resources` names."""
    changes = await _tool_resources(session, record.tenant_id, resources, "")
    record.tool_resources = {**record.tool_resources, **changes}


async def delete(session: AsyncSession, tenant_id: str, thread_id: str) -> None:
    """Delete the thread; its messages, runs, steps and events go with it (ON DELETE CASCADE)."""
    record = await get(session, tenant_id, thread_id)
    await ThreadRepository(session, tenant_id).delete(record)
