"""Files in vector stores: added here, ingested by the worker (retrieval/worker.py)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from assistants_server import clock
from assistants_server.db.models import VectorStoreFileRecord, VectorStoreRecord
from assistants_server.db.repositories.chunks import ChunkRepository
from assistants_server.db.repositories.vector_store_files import VectorStoreFileRepository
from assistants_server.db.repositories.vector_stores import VectorStoreRepository
from assistants_server.errors import InvalidRequestError, NotFoundError
from assistants_server.pagination import Page, PageParams
from assistants_server.retrieval.chunking import (
    AUTO,
    ChunkingStrategy,
    InvalidChunkingStrategy,
    validate_static,
)
from assistants_server.services import files as files_service


def strategy(requested: BaseModel | dict[str, Any] | None, *, prefix: str = "") -> ChunkingStrategy:
    """The chunking strategy a request asks for, as its model or dumped (`auto` if none); a
    bad `static` one is a 400 whose param is the field at fault, under `prefix`."""
    if isinstance(requested, BaseModel):
        requested = requested.model_dump(mode="json")
    if not requested or requested.get("type") == "auto":
        return AUTO
    static = requested["static"]
    try:
        return validate_static(static["max_chunk_size_tokens"], static["chunk_overlap_tokens"])
    except InvalidChunkingStrategy as exc:
        raise InvalidRequestError(exc.message, param=prefix + exc.param) from exc


async def get_store(session: AsyncSession, tenant_id: str, store_id: str) -> VectorStoreRecord:
    record = await VectorStoreRepository(session, tenant_id).get(store_id)
    if record is None:
        raise NotFoundError.for_object("vector store", store_id)
    return record


async def add(
    session: AsyncSession,
    tenant_id: str,
    store_id: str,
    file_ids: list[str],
    chunking: ChunkingStrategy,
    *,
    attributes: dict[str, Any] | None = None,
    batch_id: str | None = None,
    param: str = "file_id",
) -> list[VectorStoreFileRecord]:
    """Queue `file_ids` for ingestion into the store. A file already there is left as it is,
    unless it failed or was cancelled: then it is queued again."""
    await files_service.require_all(session, tenant_id, file_ids, param=param)
    present = await VectorStoreFileRepository(session, tenant_id).in_store(store_id, file_ids)
    now = clock.now()
    added = []
    for file_id in dict.fromkeys(file_ids):
        record = present.get(file_id)
        if record is None:
            record = VectorStoreFileRecord(vector_store_id=store_id, file_id=file_id)
            record.tenant_id, record.created_at = tenant_id, now
            session.add(record)
        elif record.status in ("in_progress", "completed"):
            added.append(record)
            continue
        record.status, record.last_error, record.usage_bytes = "in_progress", None, 0
        record.max_chunk_tokens = chunking.max_tokens
        record.chunk_overlap_tokens = chunking.overlap_tokens
        record.attributes = attributes or {}
        record.batch_id = batch_id
        record.worker_id, record.lease_expires_at = None, None
        added.append(record)
    await session.flush()
    return added


async def get(
    session: AsyncSession, tenant_id: str, store_id: str, file_id: str
) -> VectorStoreFileRecord:
    await get_store(session, tenant_id, store_id)
    record = await VectorStoreFileRepository(session, tenant_id).get(store_id, file_id)
    if record is None:
        raise NotFoundError(f"No file found with id '{file_id}' in vector store '{store_id}'.")
    return record


async def list_page(
    session: AsyncSession,
    tenant_id: str,
    store_id: str,
    params: PageParams,
    *,
    status: str | None = None,
    batch_id: str | None = None,
) -> Page[VectorStoreFileRecord]:
    await get_store(session, tenant_id, store_id)
    repository = VectorStoreFileRepository(session, tenant_id)
    return await repository.list_page(store_id, params, status=status, batch_id=batch_id)


async def update_attributes(
    session: AsyncSession,
    tenant_id: str,
    store_id: str,
    file_id: str,
    attributes: dict[str, Any] | None,
) -> VectorStoreFileRecord:
    record = await get(session, tenant_id, store_id, file_id)
    record.attributes = attributes or {}
    await session.flush()
    return record


async def remove(session: AsyncSession, tenant_id: str, store_id: str, file_id: str) -> None:
    """Take the file out of the store, and its chunks out of search (the file itself stays)."""
    record = await get(session, tenant_id, store_id, file_id)
    await session.delete(record)
    await session.flush()
    await ChunkRepository(session).changed(store_id)


async def content(session: AsyncSession, tenant_id: str, store_id: str, file_id: str) -> list[str]:
    record = await get(session, tenant_id, store_id, file_id)
    if record.status != "completed":
        raise InvalidRequestError(
            f"File '{file_id}' has status '{record.status}'; its content is available once "
            "it is completed.",
            param="file_id",
        )
    return await ChunkRepository(session).texts(store_id, file_id)
