"""Cursor pagination as the Assistants API defines it: limit, order, after, before."""

from dataclasses import dataclass
from typing import Annotated, Any, Generic, Literal, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel

T = TypeVar("T")
ItemT = TypeVar("ItemT")

Order = Literal["asc", "desc"]


@dataclass(frozen=True)
class PageParams:
    limit: int = 20
    order: Order = "desc"
    after: str | None = None
    before: str | None = None


def paging(default: int = 20, maximum: int = 100) -> Any:
    """The `limit`/`order`/`after`/`before` query parameters as a dependency. (This module
    has no `from __future__ import annotations`: FastAPI must see `maximum` evaluated.)"""

    async def page_params(
        limit: Annotated[int, Query(ge=1, le=maximum)] = default,
        order: Annotated[Order, Query()] = "desc",
        after: Annotated[str | None, Query()] = None,
        before: Annotated[str | None, Query()] = None,
    ) -> PageParams:
        return PageParams(limit=limit, order=order, after=after, before=before)

    return Depends(page_params)


PageParamsDep = Annotated[PageParams, paging()]
# `GET /files` pages up to 10,000 and returns them all by default (spec: listFiles).
FilePageParamsDep = Annotated[PageParams, paging(default=10_000, maximum=10_000)]


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    has_more: bool


def page_of(items: list[T], ids: list[str], params: PageParams) -> Page[T]:
    """A page of a list kept in memory, in creation order, with `ids[i]` naming `items[i]`:
    the same cursor rules as the database's pages (`db.repositories.base.fetch_page`). A cursor
    naming no item yields an empty page, as one past the end would."""
    ordered = list(zip(ids, items, strict=True))
    if params.order == "desc":
        ordered.reverse()
    names = [name for name, _ in ordered]
    start, stop = 0, len(ordered)
    for cursor, after in ((params.after, True), (params.before, False)):
        if cursor is None:
            continue
        if cursor not in names:
            return Page(items=[], has_more=False)
        index = names.index(cursor)
        start, stop = (max(start, index + 1), stop) if after else (start, min(stop, index))
    window = [item for _, item in ordered[start:stop]]
    if params.before is not None and params.after is None:  # read nearest-first
        return Page(items=window[-params.limit :], has_more=len(window) > params.limit)
    return Page(items=window[: params.limit], has_more=len(window) > params.limit)


class ListObject(BaseModel, Generic[ItemT]):
    """The list envelope. The spec marks `first_id`/`last_id` required strings, but an empty
    page has neither: they are null then, as OpenAI sent them and the SDKs read them."""

    object: Literal["list"] = "list"
    data: list[ItemT]
    first_id: str | None
    last_id: str | None
    has_more: bool


def list_object(data: list[ItemT], page: Page[Any], id_of: str = "id") -> ListObject[ItemT]:
    ids = [item[id_of] if isinstance(item, dict) else getattr(item, id_of) for item in data]
    return ListObject[ItemT](
        data=data,
        first_id=ids[0] if ids else None,
        last_id=ids[-1] if ids else None,
        has_more=page.has_more,
    )
