"""Vector stores (v2 only; served whatever the `OpenAI-Beta` header)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from assistants_server.api.deps import WIRE, BrokerDep, SessionDep, StateDep, TenantDep
from assistants_server.pagination import ListObject, PageParamsDep, list_object
from assistants_server.runs.events import announce_work
from assistants_server.schemas._generated import v2
from assistants_server.schemas.vector_stores import (
    CreateVectorStoreRequest,
    SearchRequest,
    UpdateVectorStoreRequest,
)
from assistants_server.services import vector_stores as vector_stores_service

router = APIRouter(tags=["Vector stores"])


def _fields(body: Any) -> dict[str, Any]:
    fields: dict[str, Any] = body.model_dump(mode="json", by_alias=True, exclude_unset=True)
    return fields


@router.post("/vector_stores", operation_id="createVectorStore")
async def create_vector_store(
    body: CreateVectorStoreRequest, session: SessionDep, tenant: TenantDep, broker: BrokerDep
) -> dict[str, Any]:
    record = await vector_stores_service.create(session, tenant, _fields(body))
    if body.file_ids:
        await announce_work(session, broker)
    return (await vector_stores_service.shown(session, tenant, [record]))[0]


@router.get("/vector_stores", operation_id="listVectorStores", response_model=WIRE)
async def list_vector_stores(
    session: SessionDep, tenant: TenantDep, params: PageParamsDep
) -> ListObject[dict[str, Any]]:
    page = await vector_stores_service.list_page(session, tenant, params)
    return list_object(await vector_stores_service.shown(session, tenant, page.items), page)


@router.get("/vector_stores/{vector_store_id}", operation_id="getVectorStore")
async def get_vector_store(
    vector_store_id: str, session: SessionDep, tenant: TenantDep
) -> dict[str, Any]:
    record = await vector_stores_service.get(session, tenant, vector_store_id)
    return (await vector_stores_service.shown(session, tenant, [record]))[0]


@router.post("/vector_stores/{vector_store_id}", operation_id="modifyVectorStore")
async def modify_vector_store(
    vector_store_id: str, body: UpdateVectorStoreRequest, session: SessionDep, tenant: TenantDep
) -> dict[str, Any]:
    record = await vector_stores_service.modify(session, tenant, vector_store_id, _fields(body))
    return (await vector_stores_service.shown(session, tenant, [record]))[0]


@router.delete("/vector_stores/{vector_store_id}", operation_id="deleteVectorStore")
async def delete_vector_store(
    vector_store_id: str, session: SessionDep, tenant: TenantDep
) -> v2.DeleteVectorStoreResponse:
    await vector_stores_service.delete(session, tenant, vector_store_id)
    return v2.DeleteVectorStoreResponse(
        id=vector_store_id, deleted=True, object="vector_store.deleted"
    )


@router.post("/vector_stores/{vector_store_id}/search", operation_id="searchVectorStore")
async def search_vector_store(
    vector_store_id: str,
    body: SearchRequest,
    state: StateDep,
    tenant: TenantDep,
    page: Annotated[str | None, Query(description="a previous page's `next_page`")] = None,
) -> dict[str, Any]:
    """No request session: the search reads, then marks the store used in a short write. The
    `page` query parameter (an extension: the spec's request has no cursor) fetches the page a
    previous one named in `next_page`."""
    return await vector_stores_service.search_page(
        state.sessionmaker, state.searcher, tenant, vector_store_id, body, page
    )
