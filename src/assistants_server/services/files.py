"""Files: metadata in the database, bytes in file storage."""

from __future__ import annotations

from collections.abc import AsyncIterator

from sqlalchemy.ext.asyncio import AsyncSession

from assistants_server import clock, ids
from assistants_server.db.models import FileRecord
from assistants_server.db.repositories.chunks import ChunkRepository
from assistants_server.db.repositories.files import FileRepository
from assistants_server.errors import NotFoundError
from assistants_server.pagination import Page, PageParams
from assistants_server.storage.base import FileStorage, delete_after_commit


async def create(
    session: AsyncSession,
    tenant_id: str,
    *,
    storage_key: str,
    filename: str,
    size: int,
    purpose: str,
    expires_after_seconds: int | None = None,
) -> FileRecord:
    """Record a file whose bytes are already stored under `storage_key`. Identical uploads
    are separate files: each gets its own id."""
    created_at = clock.now()
    record = FileRecord(
        id=ids.new(ids.FILE),
        tenant_id=tenant_id,
        created_at=created_at,
        bytes=size,
        filename=filename,
        purpose=purpose,
        status="processed",
        expires_at=created_at + expires_after_seconds if expires_after_seconds else None,
        storage_key=storage_key,
    )
    return await FileRepository(session, tenant_id).add(record)


async def get(session: AsyncSession, tenant_id: str, file_id: str) -> FileRecord:
    record = await FileRepository(session, tenant_id).get(file_id)
    if record is None:
        raise NotFoundError.for_object("file", file_id)
    return record


async def require_all(
    session: AsyncSession, tenant_id: str, file_ids: list[str], *, param: str
) -> None:
    """404 naming the first of `file_ids` this tenant has no file for."""
    found = await FileRepository(session, tenant_id).existing_ids(file_ids) if file_ids else set()
    for file_id in file_ids:
        if file_id not in found:
            raise NotFoundError.for_object("file", file_id, param=param)


async def list_page(
    session: AsyncSession, tenant_id: str, params: PageParams, *, purpose: str | None
) -> Page[FileRecord]:
    return await FileRepository(session, tenant_id).list_by_purpose(params, purpose)


async def delete(session: AsyncSession, tenant_id: str, storage: FileStorage, file_id: str) -> None:
    """Delete the file; assistants and vector stores that use it lose it (their links, and the
    file's chunks, cascade), nothing else."""
    record = await get(session, tenant_id, file_id)
    stores = await FileRepository(session, tenant_id).vector_stores_of(file_id)
    await FileRepository(session, tenant_id).delete(record)
    chunks = ChunkRepository(session)
    for store_id in stores:
        await chunks.changed(store_id)
    delete_after_commit(session, storage, record.storage_key)


async def content(
    session: AsyncSession, tenant_id: str, storage: FileStorage, file_id: str
) -> tuple[FileRecord, AsyncIterator[bytes]]:
    record = await get(session, tenant_id, file_id)
    return record, storage.read(record.storage_key)
