"""Files in a vector store, and file batches."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response

from assistants_server.api.deps import WIRE, BrokerDep, SessionDep, TenantDep, polled
from assistants_server.pagination import ListObject, PageParamsDep, list_object
from assistants_server.runs.events import announce_work
from assistants_server.schemas._generated import v2
from assistants_server.schemas.vector_stores import (
    CreateFileBatchRequest,
    CreateVectorStoreFileRequest,
    UpdateVectorStoreFileRequest,
    vector_store_file_wire,
)
from assistants_server.services import vector_store_file_batches as batches_service
from assistants_server.services import vector_store_files as files_service

router = APIRouter(tags=["Vector stores"])

StatusFilter = Annotated[
    Literal["in_progress", "completed", "failed", "cancelled"] | None, Query(alias="filter")
]
FILE = "/vector_stores/{vector_store_id}/files/{file_id}"
BATCH = "/vector_stores/{vector_store_id}/file_batches/{batch_id}"


@router.post("/vector_stores/{vector_store_id}/files", operation_id="createVectorStoreFile")
async def create_vector_store_file(
    vector_store_id: str,
    body: CreateVectorStoreFileRequest,
    session: SessionDep,
    tenant: TenantDep,
    broker: BrokerDep,
) -> dict[str, Any]:
    await files_service.get_store(session, tenant, vector_store_id)
    [record] = await files_service.add(
        session,
        tenant,
        vector_store_id,
        [body.file_id],
        files_service.strategy(body.chunking_strategy),
        attributes=body.attributes,
    )
    await announce_work(session, broker)
    return vector_store_file_wire(record)


@router.get(
    "/vector_stores/{vector_store_id}/files",
    operation_id="listVectorStoreFiles",
    response_model=WIRE,
)
async def list_vector_store_files(
    vector_store_id: str,
    session: SessionDep,
    tenant: TenantDep,
    params: PageParamsDep,
    status: StatusFilter = None,
) -> ListObject[dict[str, Any]]:
    page = await files_service.list_page(session, tenant, vector_store_id, params, status=status)
    return list_object([vector_store_file_wire(record) for record in page.items], page)


@router.get(FILE, operation_id="getVectorStoreFile")
async def get_vector_store_file(
    vector_store_id: str, file_id: str, session: SessionDep, tenant: TenantDep, response: Response
) -> dict[str, Any]:
    record = await files_service.get(session, tenant, vector_store_id, file_id)
    return polled(response, vector_store_file_wire(record))


@router.post(FILE, operation_id="updateVectorStoreFileAttributes")
async def update_vector_store_file(
    vector_store_id: str,
    file_id: str,
    body: UpdateVectorStoreFileRequest,
    session: SessionDep,
    tenant: TenantDep,
) -> dict[str, Any]:
    record = await files_service.update_attributes(
        session, tenant, vector_store_id, file_id, body.attributes
    )
    return vector_store_file_wire(record)


@router.delete(FILE, operation_id="deleteVectorStoreFile")
async def delete_vector_store_file(
    vector_store_id: str, file_id: str, session: SessionDep, tenant: TenantDep
) -> v2.DeleteVectorStoreFileResponse:
    await files_service.remove(session, tenant, vector_store_id, file_id)
    return v2.DeleteVectorStoreFileResponse(
        id=file_id, deleted=True, object="vector_store.file.deleted"
    )


@router.get(FILE + "/content", operation_id="retrieveVectorStoreFileContent")
async def vector_store_file_content(
    vector_store_id: str, file_id: str, session: SessionDep, tenant: TenantDep
) -> dict[str, Any]:
    texts = await files_service.content(session, tenant, vector_store_id, file_id)
    return {
        "object": "vector_store.file_content.page",
        "data": [{"type": "text", "text": text} for text in texts],
        "has_more": False,
        "next_page": None,
    }


@router.post(
    "/vector_stores/{vector_store_id}/file_batches", operation_id="createVectorStoreFileBatch"
)
async def create_file_batch(
    vector_store_id: str,
    body: CreateFileBatchRequest,
    session: SessionDep,
    tenant: TenantDep,
    broker: BrokerDep,
) -> dict[str, Any]:
    batch = await batches_service.create(session, tenant, vector_store_id, body)
    await announce_work(session, broker)
    return await batches_service.shown(session, tenant, batch)


@router.get(BATCH, operation_id="getVectorStoreFileBatch")
async def get_file_batch(
    vector_store_id: str, batch_id: str, session: SessionDep, tenant: TenantDep, response: Response
) -> dict[str, Any]:
    batch = await batches_service.get(session, tenant, vector_store_id, batch_id)
    return polled(response, await batches_service.shown(session, tenant, batch))


@router.post(BATCH + "/cancel", operation_id="cancelVectorStoreFileBatch")
async def cancel_file_batch(
    vector_store_id: str, batch_id: str, session: SessionDep, tenant: TenantDep
) -> dict[str, Any]:
    batch = await batches_service.cancel(session, tenant, vector_store_id, batch_id)
    return await batches_service.shown(session, tenant, batch)


@router.get(BATCH + "/files", operation_id="listFilesInVectorStoreBatch", response_model=WIRE)
async def list_file_batch_files(
    vector_store_id: str,
    batch_id: str,
    session: SessionDep,
    tenant: TenantDep,
    params: PageParamsDep,
    status: StatusFilter = None,
) -> ListObject[dict[str, Any]]:
    await batches_service.get(session, tenant, vector_store_id, batch_id)
    page = await files_service.list_page(
        session, tenant, vector_store_id, params, status=status, batch_id=batch_id
    )
    return list_object([vector_store_file_wire(record) for record in page.items], page)
