from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import (
    JSON,
    BindParameter,
    ColumnElement,
    Select,
    String,
    Update,
    bindparam,
    cast,
    func,
    literal_column,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from assistants_server import ids
from assistants_server.db.base import table_of
from assistants_server.db.models import MessageRecord
from assistants_server.db.repositories.base import TenantRepository
from assistants_server.pagination import Page, PageParams


class MessageRepository(TenantRepository[MessageRecord]):
    model = MessageRecord
    id_prefix = ids.MESSAGE

    def in_thread(self, thread_id: str) -> Select[Any]:
        return self.base_statement().where(MessageRecord.thread_id == thread_id)

    async def get_in_thread(self, thread_id: str, message_id: str) -> MessageRecord | None:
        statement = self.in_thread(thread_id).where(MessageRecord.id == message_id)
        record: MessageRecord | None = (await self.session.scalars(statement)).first()
        return record

    async def list_in_thread(
        self, thread_id: str, params: PageParams, *, run_id: str | None = None
    ) -> Page[MessageRecord]:
        statement = self.in_thread(thread_id)
        if run_id is not None:
            statement = statement.where(MessageRecord.run_id == run_id)
        return await self.list_page(params, statement)

    async def latest(self, thread_id: str, limit: int) -> list[MessageRecord]:
        """The thread's last `limit` messages, oldest first."""
        params = {"tenant_id": self.tenant_id, "thread_id": thread_id, "limit": limit}
        records: list[MessageRecord] = list(await self.session.scalars(_LATEST, params))
        records.reverse()
        return records

    async def in_run(self, run_id: str) -> list[MessageRecord]:
        statement = self.base_statement().where(MessageRecord.run_id == run_id)
        return list(await self.session.scalars(statement.order_by(MessageRecord.id)))

    async def open_in_run(self, run_id: str) -> list[MessageRecord]:
        statement = self.base_statement().where(
            MessageRecord.run_id == run_id, MessageRecord.status == "in_progress"
        )
        return list(await self.session.scalars(statement.order_by(MessageRecord.id)))


_LATEST = (
    select(MessageRecord)
    .where(
        MessageRecord.tenant_id == bindparam("tenant_id"),
        MessageRecord.thread_id == bindparam("thread_id"),
    )
    .order_by(MessageRecord.id.desc())
    .limit(bindparam("limit"))
)


@functools.cache
def _appending(dialect: str) -> Update:
    """The statement appending `text` to the message `message_id`'s first text part."""
    messages = table_of(MessageRecord)
    content = messages.c.content
    more: BindParameter[str] = bindparam("text", type_=String())
    appended: ColumnElement[Any]
    if dialect == "sqlite":
        path: ColumnElement[Any] = literal_column("'$[0].text.value'")
        appended = func.json_set(content, path, func.json_extract(content, path).concat(more))
    else:  # PostgreSQL keeps JSON as text: edit it as jsonb
        path = literal_column("'{0,text,value}'")
        current = cast(content, JSONB)
        value = func.to_jsonb(current.op("#>>")(path).concat(more))
        appended = cast(func.jsonb_set(current, path, value), JSON)
    return update(messages).where(messages.c.id == bindparam("message_id")).values(content=appended)


async def append_text(session: AsyncSession, pieces: list[dict[str, str]]) -> None:
    """Append text (`pieces`: message_id, text) to messages' first content part, as a reply
    streams: in SQL, so the text written before is neither read nor sent again."""
    if pieces:
        await session.execute(_appending(session.get_bind().dialect.name), pieces)
