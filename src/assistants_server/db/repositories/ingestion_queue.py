from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, and_, or_, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from assistants_server.db.models import VectorStoreFileRecord

FileKey = tuple[str, str]  # (vector store id, file id)

_FILE = VectorStoreFileRecord


class IngestionQueue:
    """Vector store files seen as a queue by ingestion workers: a file `in_progress` that no
    live lease holds is free to claim. Not tenant scoped: workers serve every tenant."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _free(self, now: float) -> ColumnElement[bool]:
        unheld = or_(_FILE.worker_id.is_(None), _FILE.lease_expires_at < now)
        return and_(_FILE.status == "in_progress", unheld)

    async def waiting(self, now: float, limit: int) -> list[FileKey]:
        statement = (
            select(_FILE.vector_store_id, _FILE.file_id)
            .where(self._free(now))
            .order_by(_FILE.created_at, _FILE.file_id)
            .limit(limit)
        )
        return [(row[0], row[1]) for row in await self.session.execute(statement)]

    async def claim(self, key: FileKey, worker_id: str, lease_until: float, now: float) -> bool:
        statement = (
            update(_FILE)
            .where(_FILE.vector_store_id == key[0], _FILE.file_id == key[1], self._free(now))
            .values(worker_id=worker_id, lease_expires_at=lease_until)
            .execution_options(synchronize_session=False)
        )
        claimed: bool = (await self.session.execute(statement)).rowcount == 1  # type: ignore[attr-defined]
        return claimed

    async def renew(self, keys: Sequence[FileKey], worker_id: str, lease_until: float) -> None:
        statement = (
            update(_FILE)
            .where(tuple_(_FILE.vector_store_id, _FILE.file_id).in_(keys))
            .where(_FILE.worker_id == worker_id)
            .values(lease_expires_at=lease_until)
            .execution_options(synchronize_session=False)
        )
        await self.session.execute(statement)

    async def _update_held(self, key: FileKey, worker_id: str, values: dict[str, object]) -> bool:
        """Set `values` on the file if this worker still holds it and it is still wanted (not
        cancelled, not deleted); whether it did."""
        statement = (
            update(_FILE)
            .where(
                _FILE.vector_store_id == key[0],
                _FILE.file_id == key[1],
                _FILE.worker_id == worker_id,
                _FILE.status == "in_progress",
            )
            .values(values)
            .execution_options(synchronize_session=False)
        )
        held: bool = (await self.session.execute(statement)).rowcount == 1  # type: ignore[attr-defined]
        return held

    async def still_held(self, key: FileKey, worker_id: str, lease_until: float) -> bool:
        """Renew the lease on one file, if this worker still holds it and it is still wanted."""
        return await self._update_held(key, worker_id, {"lease_expires_at": lease_until})

    async def finish(
        self,
        key: FileKey,
        worker_id: str,
        *,
        status: str,
        usage_bytes: int = 0,
        last_error: dict[str, str] | None = None,
    ) -> bool:
        """Give the file its final status, if this worker still holds it and it is wanted."""
        final = {"status": status, "usage_bytes": usage_bytes, "last_error": last_error}
        return await self._update_held(
            key, worker_id, {**final, "worker_id": None, "lease_expires_at": None}
        )
