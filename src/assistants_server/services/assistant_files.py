"""v1 assistant files: attach, list, look up and detach files on an assistant."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from assistants_server import clock
from assistants_server.db.models import AssistantFileRecord
from assistants_server.db.repositories.assistant_files import AssistantFileRepository
from assistants_server.errors import NotFoundError
from assistants_server.pagination import Page, PageParams
from assistants_server.services import assistants as assistants_service
from assistants_server.services import files as files_service


async def attach(
    session: AsyncSession, tenant_id: str, assistant_id: str, file_id: str
) -> AssistantFileRecord:
    await assistants_service.get(session, tenant_id, assistant_id)
    await files_service.require_all(session, tenant_id, [file_id], param="file_id")
    links = AssistantFileRepository(session, tenant_id)
    existing = await links.get_link(assistant_id, file_id)
    if existing is not None:
        return existing
    if await links.count(assistant_id) >= assistants_service.MAX_FILES:
        raise assistants_service.too_many_files("file_id")
    return await links.add(links.new_link(assistant_id, file_id, clock.now()))


async def get(
    session: AsyncSession, tenant_id: str, assistant_id: str, file_id: str
) -> AssistantFileRecord:
    await assistants_service.get(session, tenant_id, assistant_id)
    link = await AssistantFileRepository(session, tenant_id).get_link(assistant_id, file_id)
    if link is None:
        raise NotFoundError(
            f"No file found with id '{file_id}' on assistant '{assistant_id}'.", param="file_id"
        )
    return link


async def detach(session: AsyncSession, tenant_id: str, assistant_id: str, file_id: str) -> None:
    link = await get(session, tenant_id, assistant_id, file_id)
    await AssistantFileRepository(session, tenant_id).delete(link)


async def list_page(
    session: AsyncSession, tenant_id: str, assistant_id: str, params: PageParams
) -> Page[AssistantFileRecord]:
    await assistants_service.get(session, tenant_id, assistant_id)
    return await AssistantFileRepository(session, tenant_id).list_for_assistant(
        assistant_id, params
    )
