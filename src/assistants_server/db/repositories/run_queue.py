from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from assistants_server.db.models import RunRecord


class RunQueue:
    """The runs table seen as a queue by the executor: claims, leases, overdue runs. Not tenant
    scoped: workers serve every tenant."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def claim(
        self, limit: int, worker_id: str, lease_until: float, now: int
    ) -> list[RunRecord]:
        """Take up to `limit` queued runs, oldest first, in one statement: each run matches
        exactly one worker's UPDATE (on PostgreSQL, rows another worker is taking are skipped;
        SQLite has one writer at a time). `started_at` is kept from a run's first claim (a run
        is queued again after its tool outputs arrive)."""
        queued = (
            select(RunRecord.id)
            .where(RunRecord.status == "queued")
            .order_by(RunRecord.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        statement = (
            update(RunRecord)
            .where(RunRecord.id.in_(queued.scalar_subquery()), RunRecord.status == "queued")
            .values(
                status="in_progress",
                worker_id=worker_id,
                lease_expires_at=lease_until,
                started_at=func.coalesce(RunRecord.started_at, now),
            )
            .returning(RunRecord)
            .execution_options(synchronize_session=False)
        )
        return list(await self.session.scalars(statement))

    async def renew(self, run_ids: Sequence[str], worker_id: str, lease_until: float) -> None:
        statement = (
            update(RunRecord)
            .where(RunRecord.id.in_(run_ids), RunRecord.worker_id == worker_id)
            .values(lease_expires_at=lease_until)
            .execution_options(synchronize_session=False)
        )
        await self.session.execute(statement)

    async def _locked(self, statement: Select[Any], limit: int) -> list[RunRecord]:
        """Rows locked for this transaction; rows another executor has locked are skipped."""
        locked = statement.limit(limit).with_for_update(skip_locked=True)
        return list(await self.session.scalars(locked))

    async def abandoned(self, now: float, limit: int = 100) -> list[RunRecord]:
        """Runs a worker held whose lease ran out: that worker died or was stopped."""
        statement = select(RunRecord).where(
            RunRecord.status.in_(("in_progress", "cancelling")),
            RunRecord.lease_expires_at < now,
        )
        return await self._locked(statement, limit)

    async def overdue(self, now: int, limit: int = 100) -> list[RunRecord]:
        """Runs left waiting for tool outputs past their `expires_at`."""
        statement = select(RunRecord).where(
            RunRecord.status == "requires_action", RunRecord.expires_at <= now
        )
        return await self._locked(statement, limit)
