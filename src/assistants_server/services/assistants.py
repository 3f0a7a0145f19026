"""Assistants: one store for both API versions (see DESIGN.md, "Surfaces")."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from assistants_server import clock, ids
from assistants_server.db.models import AssistantRecord
from assistants_server.db.repositories.assistant_files import AssistantFileRepository
from assistants_server.db.repositories.assistants import AssistantRepository
from assistants_server.errors import InvalidRequestError, NotFoundError
from assistants_server.pagination import Page, PageParams
from assistants_server.schemas.assistants import AssistantRequest
from assistants_server.schemas.common import stored_response_format, stored_tools
from assistants_server.services import files as files_service
from assistants_server.services import vector_stores as vector_stores_service

MAX_FILES = 20

# Request fields stored as they are, by column name.
_PLAIN_FIELDS = {
    "model": "model",
    "name": "name",
    "description": "description",
    "instructions": "instructions",
    "temperature": "temperature",
    "top_p": "top_p",
    "response_format": "response_format",
    "reasoning_effort": "reasoning_effort",
    "metadata": "metadata_",
}


def _changes(fields: dict[str, Any]) -> tuple[dict[str, Any], list[str] | None, str]:
    """Column values and the assistant's file ids (None: unchanged) from a request of either
    version: v1's `file_ids` and v2's `tool_resources.code_interpreter.file_ids` are one list."""
    columns = {column: fields[key] for key, column in _PLAIN_FIELDS.items() if key in fields}
    if "metadata_" in columns and columns["metadata_"] is None:
        columns["metadata_"] = {}
    if "tools" in fields:
        columns["tools"] = stored_tools(fields["tools"])
    if columns.get("response_format") is not None:
        columns["response_format"] = stored_response_format(columns["response_format"])
    file_ids: list[str] | None = fields.get("file_ids")
    files_param = "file_ids"
    resources = fields.get("tool_resources")
    if "tool_resources" in fields and resources is None:
        resources = {"code_interpreter": {"file_ids": []}, "file_search": None}
    if resources is not None:
        if "code_interpreter" in resources:
            file_ids = (resources["code_interpreter"] or {}).get("file_ids", [])
            files_param = "tool_resources.code_interpreter.file_ids"
        if "file_search" in resources:  # resolved by `_with_vector_stores`
            columns["file_search_resources"] = resources["file_search"]
    return columns, file_ids, files_param


def too_many_files(param: str) -> InvalidRequestError:
    return InvalidRequestError(
        f"An assistant can have at most {MAX_FILES} files attached.", param=param
    )


async def _with_vector_stores(
    session: AsyncSession, tenant_id: str, columns: dict[str, Any]
) -> dict[str, Any]:
    """`columns` with `tool_resources.file_search` checked, and its inline stores made."""
    if "file_search_resources" not in columns:
        return columns
    resources = await vector_stores_service.file_search_resources(
        session,
        tenant_id,
        columns["file_search_resources"],
        prefix="tool_resources.file_search.",
    )
    return {**columns, "file_search_resources": resources}


async def _check_files(
    session: AsyncSession, tenant_id: str, file_ids: list[str], param: str
) -> None:
    if len(set(file_ids)) > MAX_FILES:
        raise too_many_files(param)
    await files_service.require_all(session, tenant_id, file_ids, param=param)


async def get(session: AsyncSession, tenant_id: str, assistant_id: str) -> AssistantRecord:
    record = await AssistantRepository(session, tenant_id).get(assistant_id)
    if record is None:
        raise NotFoundError.for_object("assistant", assistant_id)
    return record


async def create(
    session: AsyncSession, tenant_id: str, request: AssistantRequest
) -> AssistantRecord:
    columns, file_ids, files_param = _changes(
        request.model_dump(mode="json", by_alias=True, exclude_unset=True)
    )
    file_ids = list(dict.fromkeys(file_ids or []))
    await _check_files(session, tenant_id, file_ids, files_param)
    columns = await _with_vector_stores(session, tenant_id, columns)
    record = AssistantRecord(
        id=ids.new(ids.ASSISTANT),
        tenant_id=tenant_id,
        created_at=clock.now(),
        **{"tools": [], "metadata_": {}, **columns},
    )
    links = AssistantFileRepository(session, tenant_id)
    record.file_links = [
        links.new_link(record.id, file_id, record.created_at) for file_id in file_ids
    ]
    return await AssistantRepository(session, tenant_id).add(record)


async def modify(
    session: AsyncSession, tenant_id: str, assistant_id: str, request: AssistantRequest
) -> AssistantRecord:
    record = await get(session, tenant_id, assistant_id)
    columns, file_ids, files_param = _changes(
        request.model_dump(mode="json", by_alias=True, exclude_unset=True)
    )
    if columns.get("model", record.model) is None:
        raise InvalidRequestError("'model' cannot be null.", param="model")
    columns = await _with_vector_stores(session, tenant_id, columns)
    for column, value in columns.items():
        setattr(record, column, value)
    await session.flush()
    if file_ids is not None:
        await _check_files(session, tenant_id, file_ids, files_param)
        await AssistantFileRepository(session, tenant_id).replace(record.id, file_ids, clock.now())
        await session.refresh(record, ["file_links"])
    return record


async def delete(session: AsyncSession, tenant_id: str, assistant_id: str) -> None:
    record = await get(session, tenant_id, assistant_id)
    await AssistantRepository(session, tenant_id).delete(record)


async def list_page(
    session: AsyncSession, tenant_id: str, params: PageParams
) -> Page[AssistantRecord]:
    return await AssistantRepository(session, tenant_id).list_page(params)
