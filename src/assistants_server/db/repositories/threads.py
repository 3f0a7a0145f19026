from __future__ import annotations

from assistants_server import ids
from assistants_server.db.models import ThreadRecord
from assistants_server.db.repositories.base import TenantRepository


class ThreadRepository(TenantRepository[ThreadRecord]):
    model = ThreadRecord
    id_prefix = ids.THREAD

    async def get_for_update(self, thread_id: str) -> ThreadRecord | None:
        """The thread, locked until the transaction ends (PostgreSQL; SQLite's writes are
        serialised already): how runs and messages on one thread take their turn."""
        params = {"tenant_id": self.tenant_id, "record_id": thread_id}
        record: ThreadRecord | None = (await self.session.scalars(_LOCKED, params)).first()
        return record


_LOCKED = ThreadRepository._get().with_for_update()
