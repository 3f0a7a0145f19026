from __future__ import annotations

from sqlalchemy import bindparam, delete, func, select

from assistants_server import ids
from assistants_server.db.models import AssistantFileRecord
from assistants_server.db.repositories.base import TenantRepository, check_cursor, fetch_page
from assistants_server.pagination import Page, PageParams


class AssistantFileRepository(TenantRepository[AssistantFileRecord]):
    """Links between assistants and files, keyed by (assistant_id, file_id)."""

    model = AssistantFileRecord
    id_prefix = ids.FILE

    async def get_link(self, assistant_id: str, file_id: str) -> AssistantFileRecord | None:
        statement = self.base_statement().where(
            AssistantFileRecord.assistant_id == assistant_id,
            AssistantFileRecord.file_id == file_id,
        )
        link: AssistantFileRecord | None = (await self.session.scalars(statement)).first()
        return link

    async def list_for_assistant(
        self, assistant_id: str, params: PageParams
    ) -> Page[AssistantFileRecord]:
        check_cursor(params, ids.FILE)
        links = AssistantFileRecord

        def position_of(file_id: str) -> object:
            return (
                select(links.position)
                .where(links.assistant_id == assistant_id, links.file_id == file_id)
                .scalar_subquery()
            )

        statement = self.base_statement().where(links.assistant_id == assistant_id)
        return await fetch_page(
            self.session, statement, params, sort=links.position, cursor=position_of
        )

    async def replace(self, assistant_id: str, file_ids: list[str], created_at: int) -> None:
        """Make `file_ids` exactly the assistant's files, keeping links that stay."""
        await self.session.execute(
            delete(AssistantFileRecord).where(
                AssistantFileRecord.assistant_id == assistant_id,
                AssistantFileRecord.file_id.not_in(file_ids),
            )
        )
        kept = set(
            await self.session.scalars(
                select(AssistantFileRecord.file_id).where(
                    AssistantFileRecord.assistant_id == assistant_id
                )
            )
        )
        for file_id in dict.fromkeys(file_ids):
            if file_id not in kept:
                self.session.add(self.new_link(assistant_id, file_id, created_at))
        await self.session.flush()

    def new_link(self, assistant_id: str, file_id: str, created_at: int) -> AssistantFileRecord:
        return AssistantFileRecord(
            assistant_id=assistant_id,
            file_id=file_id,
            tenant_id=self.tenant_id,
            created_at=created_at,
            position=ids.new(""),
        )

    async def file_ids(self, assistant_id: str) -> list[str]:
        """The assistant's files, in the order they were attached."""
        params = {"tenant_id": self.tenant_id, "assistant_id": assistant_id}
        return list(await self.session.scalars(_FILE_IDS, params))

    async def count(self, assistant_id: str) -> int:
        statement = select(func.count()).where(AssistantFileRecord.assistant_id == assistant_id)
        return (await self.session.scalar(statement)) or 0


_FILE_IDS = (
    select(AssistantFileRecord.file_id)
    .where(
        AssistantFileRecord.tenant_id == bindparam("tenant_id"),
        AssistantFileRecord.assistant_id == bindparam("assistant_id"),
    )
    .order_by(AssistantFileRecord.position)
)
