"""Vector stores: create (with files), read, modify, delete, search; and the stores made for
an assistant's or a thread's `tool_resources.file_search`."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistants_server import clock, ids
from assistants_server.db.models import ThreadRecord, VectorStoreRecord
from assistants_server.db.repositories.vector_stores import VectorStoreRepository
from assistants_server.db.session import reading, writing
from assistants_server.errors import InvalidRequestError, NotFoundError
from assistants_server.pagination import Page, PageParams
from assistants_server.retrieval.search import Hit, Searcher
from assistants_server.schemas.vector_stores import SearchRequest, vector_store_wire
from assistants_server.services import vector_store_files

THREAD_STORE_EXPIRY = {"anchor": "last_active_at", "days": 7}  # as OpenAI made them


async def get(session: AsyncSession, tenant_id: str, store_id: str) -> VectorStoreRecord:
    return await vector_store_files.get_store(session, tenant_id, store_id)


def _expiry(record: VectorStoreRecord, expires_after: dict[str, Any] | None) -> None:
    record.expires_after = expires_after
    record.expires_at = (
        record.last_active_at + expires_after["days"] * 86_400 if expires_after else None
    )


async def create(
    session: AsyncSession,
    tenant_id: str,
    fields: dict[str, Any],
    *,
    owner_id: str | None = None,
    prefix: str = "",
) -> VectorStoreRecord:
    """A store from create-request `fields`, with its files queued for ingestion. `prefix`
    names where the request sits in its body, for error params."""
    chunking = vector_store_files.strategy(fields.get("chunking_strategy"), prefix=prefix)
    now = clock.now()
    record = VectorStoreRecord(
        id=ids.new(ids.VECTOR_STORE),
        tenant_id=tenant_id,
        created_at=now,
        name=fields.get("name") or "",
        description=fields.get("description"),
        metadata_=fields.get("metadata") or {},
        last_active_at=now,
        chunks_version=0,
        owner_id=owner_id,
    )
    _expiry(record, fields.get("expires_after"))
    await VectorStoreRepository(session, tenant_id).add(record)
    file_ids = fields.get("file_ids") or []
    if file_ids:
        await vector_store_files.add(
            session, tenant_id, record.id, file_ids, chunking, param=prefix + "file_ids"
        )
    return record


async def modify(
    session: AsyncSession, tenant_id: str, store_id: str, fields: dict[str, Any]
) -> VectorStoreRecord:
    record = await get(session, tenant_id, store_id)
    if "name" in fields:
        record.name = fields["name"] or ""
    if "metadata" in fields:
        record.metadata_ = fields["metadata"] or {}
    if "expires_after" in fields:
        _expiry(record, fields["expires_after"])
    await session.flush()
    return record


async def delete(session: AsyncSession, tenant_id: str, store_id: str) -> None:
    """Delete the store; its files' entries and chunks go with it (ON DELETE CASCADE)."""
    record = await get(session, tenant_id, store_id)
    await VectorStoreRepository(session, tenant_id).delete(record)


async def list_page(
    session: AsyncSession, tenant_id: str, params: PageParams
) -> Page[VectorStoreRecord]:
    return await VectorStoreRepository(session, tenant_id).list_page(params)


async def shown(
    session: AsyncSession, tenant_id: str, records: Sequence[VectorStoreRecord]
) -> list[dict[str, Any]]:
    """The wire form of `records`, with their file counts and usage (one query for all)."""
    tallies = await VectorStoreRepository(session, tenant_id).tallies([r.id for r in records])
    now = clock.now()
    return [
        vector_store_wire(r, tallies[r.id].counts, tallies[r.id].usage_bytes, now) for r in records
    ]


async def search(
    sessionmaker: async_sessionmaker[AsyncSession],
    searcher: Searcher,
    tenant_id: str,
    store_ids: Sequence[str],
    queries: Sequence[str],
    *,
    max_num_results: int,
    score_threshold: float = 0.0,
    condition: dict[str, Any] | None = None,
) -> list[Hit]:
    """Search the tenant's stores, then mark them used (which pushes back their expiry).

    The queries are embedded before any transaction opens, and the search itself only reads,
    so a slow embeddings model or a large first load of vectors holds no write lock; marking
    the stores used is a short write of its own.
    """
    vectors = await searcher.embed(queries)
    async with reading(sessionmaker) as session:
        hits = await searcher.search(
            session,
            tenant_id,
            store_ids,
            queries,
            vectors,
            max_num_results=max_num_results,
            score_threshold=score_threshold,
            condition=condition,
        )
    async with writing(sessionmaker) as session:
        await VectorStoreRepository(session, tenant_id).touch(store_ids, clock.now())
    return hits


SEARCH_DEPTH = 1000  # results a search pages through at most
_PAGE = re.compile(r"vsp_([0-9]+)")


def _page_start(page: str | None) -> int:
    """Where the page named by a `next_page` token starts in the ranking; 0 for the first."""
    if page is None:
        return 0
    found = _PAGE.fullmatch(page)
    if found is None or int(found.group(1)) >= SEARCH_DEPTH:
        raise InvalidRequestError(
            f"Invalid 'page': '{page}' is not a next_page token of this search.", param="page"
        )
    return int(found.group(1))


async def search_page(
    sessionmaker: async_sessionmaker[AsyncSession],
    searcher: Searcher,
    tenant_id: str,
    store_id: str,
    request: SearchRequest,
    page: str | None = None,
) -> dict[str, Any]:
    """`POST /vector_stores/{id}/search`: one result per chunk, best first, `max_num_results`
    a page. `page` is a previous page's `next_page`: the same search, further down."""
    start = _page_start(page)
    async with reading(sessionmaker) as session:
        record = await get(session, tenant_id, store_id)
    if record.expires_at is not None and record.expires_at <= clock.now():
        raise InvalidRequestError(
            f"Vector store '{store_id}' has expired and can no longer be searched.",
            param="vector_store_id",
        )
    queries = [request.query] if isinstance(request.query, str) else [q.root for q in request.query]
    options = request.ranking_options
    end = start + request.max_num_results
    ranked = await search(
        sessionmaker,
        searcher,
        tenant_id,
        [store_id],
        queries,
        max_num_results=min(end + 1, SEARCH_DEPTH),
        score_threshold=options.score_threshold if options is not None else 0.0,
        condition=request.filters.model_dump() if request.filters is not None else None,
    )
    more = len(ranked) > end
    return {
        "object": "vector_store.search_results.page",
        "search_query": queries,
        "data": [
            {
                "file_id": hit.file_id,
                "filename": hit.filename,
                "score": hit.score,
                "attributes": hit.attributes,
                "content": [{"type": "text", "text": hit.text}],
            }
            for hit in ranked[start:end]
        ],
        "has_more": more,
        "next_page": f"vsp_{end}" if more else None,
    }


async def file_search_resources(
    session: AsyncSession,
    tenant_id: str,
    file_search: dict[str, Any] | None,
    *,
    prefix: str,
) -> dict[str, Any] | None:
    """`tool_resources.file_search` as stored: the ids checked, and the stores the request
    asks to be made (`vector_stores`) made, with their files queued."""
    if file_search is None:
        return None
    store_ids = list(file_search.get("vector_store_ids") or [])
    found = await VectorStoreRepository(session, tenant_id).in_ids(store_ids) if store_ids else []
    known = {record.id for record in found}
    for index, store_id in enumerate(store_ids):
        if store_id not in known:
            raise NotFoundError.for_object(
                "vector store", store_id, param=f"{prefix}vector_store_ids[{index}]"
            )
    for index, helper in enumerate(file_search.get("vector_stores") or []):
        made = await create(session, tenant_id, helper, prefix=f"{prefix}vector_stores[{index}].")
        store_ids.append(made.id)
    if len(store_ids) > 1:
        raise InvalidRequestError(
            "There can be a maximum of 1 vector store attached; give either "
            "'vector_store_ids' or 'vector_stores', with one store.",
            param=f"{prefix}vector_store_ids",
        )
    return {"vector_store_ids": store_ids}


async def thread_store(session: AsyncSession, tenant_id: str, thread: ThreadRecord) -> str:
    """The id of the store a thread's file_search attachments go to: the thread's own store
    if it has one, else a new one, which is attached to the thread."""
    current = (thread.tool_resources.get("file_search") or {}).get("vector_store_ids") or []
    if current:
        return str(current[0])
    made = await create(
        session,
        tenant_id,
        {"expires_after": THREAD_STORE_EXPIRY, "name": ""},
        owner_id=thread.id,
    )
    thread.tool_resources = {
        **thread.tool_resources,
        "file_search": {"vector_store_ids": [made.id]},
    }
    return made.id


async def owned_store(
    session: AsyncSession, tenant_id: str, owner_id: str, file_ids: list[str]
) -> str:
    """The store holding exactly `file_ids` for `owner_id` (a v1 assistant's retrieval
    files), made or brought up to date: missing files queued, dropped files removed."""
    repository = VectorStoreRepository(session, tenant_id)
    record = await repository.owned_by(owner_id)
    if record is None:
        record = await create(session, tenant_id, {"name": f"{owner_id} files"}, owner_id=owner_id)
    page = await vector_store_files.list_page(
        session, tenant_id, record.id, PageParams(limit=10_000, order="asc")
    )
    present = {entry.file_id for entry in page.items}
    for file_id in present - set(file_ids):
        await vector_store_files.remove(session, tenant_id, record.id, file_id)
    missing = [file_id for file_id in file_ids if file_id not in present]
    if missing:
        chunking = vector_store_files.strategy(None)
        await vector_store_files.add(session, tenant_id, record.id, missing, chunking)
    return record.id
