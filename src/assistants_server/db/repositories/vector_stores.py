from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select

from assistants_server import ids
from assistants_server.db.models import VectorStoreFileRecord, VectorStoreRecord
from assistants_server.db.repositories.base import TenantRepository


@dataclass
class FileTally:
    """A vector store's files by status, and the bytes they use."""

    counts: dict[str, int] = field(default_factory=dict)
    usage_bytes: int = 0


class VectorStoreRepository(TenantRepository[VectorStoreRecord]):
    model = VectorStoreRecord
    id_prefix = ids.VECTOR_STORE

    async def in_ids(self, store_ids: Sequence[str]) -> list[VectorStoreRecord]:
        statement = self.base_statement().where(VectorStoreRecord.id.in_(store_ids))
        return list(await self.session.scalars(statement))

    async def owned_by(self, owner_id: str) -> VectorStoreRecord | None:
        statement = self.base_statement().where(VectorStoreRecord.owner_id == owner_id)
        record: VectorStoreRecord | None = (await self.session.scalars(statement)).first()
        return record

    async def tallies(self, store_ids: Sequence[str]) -> dict[str, FileTally]:
        statement = (
            select(
                VectorStoreFileRecord.vector_store_id,
                VectorStoreFileRecord.status,
                func.count(),
                func.sum(VectorStoreFileRecord.usage_bytes),
            )
            .where(VectorStoreFileRecord.vector_store_id.in_(store_ids))
            .group_by(VectorStoreFileRecord.vector_store_id, VectorStoreFileRecord.status)
        )
        tallies = {store_id: FileTally() for store_id in store_ids}
        for store_id, status, count, usage in await self.session.execute(statement):
            tallies[store_id].counts[status] = count
            tallies[store_id].usage_bytes += int(usage or 0)
        return tallies

    async def touch(self, store_ids: Sequence[str], now: int) -> None:
        """Mark the stores used now: `last_active_at`, and the expiry that counts from it."""
        for record in await self.in_ids(store_ids):
            record.last_active_at = now
            if record.expires_after is not None:
                record.expires_at = now + record.expires_after["days"] * 86_400
        await self.session.flush()
