from __future__ import annotations

from typing import Any

from sqlalchemy import Select

from assistants_server import ids
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
        statement = self.in_thread(thread_id).order_by(MessageRecord.id.desc()).limit(limit)
        records: list[MessageRecord] = list(await self.session.scalars(statement))
        records.reverse()
        return records

    async def open_in_run(self, run_id: str) -> list[MessageRecord]:
        statement = self.base_statement().where(
            MessageRecord.run_id == run_id, MessageRecord.status == "in_progress"
        )
        return list(await self.session.scalars(statement.order_by(MessageRecord.id)))
