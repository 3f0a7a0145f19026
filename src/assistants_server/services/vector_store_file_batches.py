"""File batches: many files added to a vector store at once, followed as one."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from assistants_server import clock, ids
from assistants_server.db.models import VectorStoreFileBatchRecord
from assistants_server.db.repositories.vector_store_files import VectorStoreFileRepository
from assistants_server.errors import InvalidRequestError, NotFoundError
from assistants_server.schemas.vector_stores import CreateFileBatchRequest, file_batch_wire
from assistants_server.services import vector_store_files


async def create(
    session: AsyncSession, tenant_id: str, store_id: str, request: CreateFileBatchRequest
) -> VectorStoreFileBatchRecord:
    await vector_store_files.get_store(session, tenant_id, store_id)
    if (request.file_ids is None) == (request.files is None):
        raise InvalidRequestError(
            "Provide either 'file_ids' or 'files', but not both.",
            param="file_ids" if request.file_ids is not None else "files",
        )
    batch = VectorStoreFileBatchRecord(
        id=ids.new(ids.VECTOR_STORE_FILE_BATCH),
        vector_store_id=store_id,
        tenant_id=tenant_id,
        created_at=clock.now(),
        cancelled=False,
    )
    session.add(batch)
    if request.file_ids is not None:
        chunking = vector_store_files.strategy(request.chunking_strategy)
        await vector_store_files.add(
            session,
            tenant_id,
            store_id,
            request.file_ids,
            chunking,
            attributes=request.attributes,
            batch_id=batch.id,
            param="file_ids",
        )
    for index, item in enumerate(request.files or []):
        prefix = f"files[{index}]."
        chunking = vector_store_files.strategy(item.chunking_strategy, prefix=prefix)
        await vector_store_files.add(
            session,
            tenant_id,
            store_id,
            [item.file_id],
            chunking,
            attributes=item.attributes,
            batch_id=batch.id,
            param=prefix + "file_id",
        )
    await session.flush()
    return batch


async def get(
    session: AsyncSession, tenant_id: str, store_id: str, batch_id: str
) -> VectorStoreFileBatchRecord:
    await vector_store_files.get_store(session, tenant_id, store_id)
    batch = await session.get(VectorStoreFileBatchRecord, batch_id)
    if batch is None or batch.tenant_id != tenant_id or batch.vector_store_id != store_id:
        raise NotFoundError.for_object("vector store file batch", batch_id)
    return batch


async def cancel(
    session: AsyncSession, tenant_id: str, store_id: str, batch_id: str
) -> VectorStoreFileBatchRecord:
    """Cancel the files still waiting or being ingested; those already done stay done."""
    batch = await get(session, tenant_id, store_id, batch_id)
    counts = await VectorStoreFileRepository(session, tenant_id).batch_counts(batch_id)
    if counts.get("in_progress"):
        batch.cancelled = True
        await VectorStoreFileRepository(session, tenant_id).cancel_batch(batch_id)
        await session.flush()
    return batch


async def shown(
    session: AsyncSession, tenant_id: str, batch: VectorStoreFileBatchRecord
) -> dict[str, Any]:
    counts = await VectorStoreFileRepository(session, tenant_id).batch_counts(batch.id)
    return file_batch_wire(batch, counts)
