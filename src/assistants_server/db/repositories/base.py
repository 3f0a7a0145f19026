"""What every repository shares: the tenant-scoped base statement and cursor paging."""

from __future__ import annotations

import functools
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from assistants_server import ids
from assistants_server.errors import InvalidRequestError
from assistants_server.pagination import Page, PageParams

RecordT = TypeVar("RecordT", bound=Any)


def check_cursor(params: PageParams, prefix: str) -> None:
    """A cursor must be an id of the listed kind; anything else is a 400 on that parameter."""
    for name in ("after", "before"):
        value = getattr(params, name)
        if value is not None and not ids.is_valid(value, prefix):
            raise InvalidRequestError(
                f"Invalid '{name}': expected an ID that begins with '{prefix.rstrip('_-')}'.",
                param=name,
            )


async def fetch_page(
    session: AsyncSession,
    statement: Select[Any],
    params: PageParams,
    *,
    sort: InstrumentedAttribute[Any],
    cursor: Any = None,
) -> Page[Any]:
    """One page of `statement`, ordered on the unique, creation-ordered column `sort`.

    `cursor(value)` maps an `after`/`before` id to the sort value it stands for (by default
    the id itself is that value). `before` pages are read nearest-first, then reversed, so
    `has_more` always says whether more lie further in the direction of travel.
    """
    position = cursor or (lambda value: value)
    ascending = params.order == "asc"
    if params.after is not None:
        bound: ColumnElement[Any] = position(params.after)
        statement = statement.where(sort > bound if ascending else sort < bound)
    if params.before is not None:
        bound = position(params.before)
        statement = statement.where(sort < bound if ascending else sort > bound)
    backwards = params.before is not None and params.after is None
    forward = ascending != backwards
    statement = statement.order_by(sort.asc() if forward else sort.desc()).limit(params.limit + 1)
    rows = list((await session.scalars(statement)).unique())
    has_more = len(rows) > params.limit
    rows = rows[: params.limit]
    if backwards:
        rows.reverse()
    return Page(items=rows, has_more=has_more)


_BY_ID: dict[type[Any], Select[Any]] = {}


def _by_id(model: type[Any]) -> Select[Any]:
    statement = _BY_ID.get(model)
    if statement is None:
        statement = _BY_ID[model] = select(model).where(model.id == bindparam("record_id"))
    return statement


async def record_by_id(
    session: AsyncSession, model: type[RecordT], record_id: str
) -> RecordT | None:
    """The record of `model` with this id, whoever's it is: for code that holds the id already
    (the executor). Its statement is built once: half the cost of `session.get` on a miss of
    the session's identity map, which is where such code always is."""
    params = {"record_id": record_id}
    found: RecordT | None = (await session.scalars(_by_id(model), params)).first()
    return found


class TenantRepository(Generic[RecordT]):
    """Every statement starts from `base_statement()`: another tenant's rows are not found."""

    model: ClassVar[type[Any]]
    id_prefix: ClassVar[str]

    def __init__(self, session: AsyncSession, tenant_id: str) -> None:
        self.session = session
        self.tenant_id = tenant_id

    def base_statement(self) -> Select[Any]:
        return select(self.model).where(self.model.tenant_id == self.tenant_id)

    @classmethod
    def _with_relations(cls, statement: Select[Any]) -> Select[Any]:
        """Eager loads a record type needs on every read; none by default."""
        return statement

    @classmethod
    @functools.cache
    def _get(cls) -> Select[Any]:
        """The tenant's record by id; built once per repository class."""
        model = cls.model
        by_id = model.tenant_id == bindparam("tenant_id"), model.id == bindparam("record_id")
        return cls._with_relations(select(model).where(*by_id))

    async def get(self, record_id: str) -> RecordT | None:
        params = {"tenant_id": self.tenant_id, "record_id": record_id}
        record: RecordT | None = (await self.session.scalars(self._get(), params)).first()
        return record

    async def list_page(
        self, params: PageParams, statement: Select[Any] | None = None
    ) -> Page[RecordT]:
        check_cursor(params, self.id_prefix)
        statement = self._with_relations(
            statement if statement is not None else self.base_statement()
        )
        return await fetch_page(self.session, statement, params, sort=self.model.id)

    async def add(self, record: RecordT) -> RecordT:
        self.session.add(record)
        await self.session.flush()
        return record

    async def delete(self, record: RecordT) -> None:
        await self.session.delete(record)
        await self.session.flush()
