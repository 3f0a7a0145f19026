from __future__ import annotations

from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from assistants_server.db.models import RunEventRecord, RunRecord


class RunEventRepository:
    """A run's append-only event log. Runs are reached by id only: a run's events are read by
    whoever already holds the run (a tenant-checked request, or the executor)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def append(
        self,
        run_id: str,
        events: list[tuple[str, dict[str, Any]]],
        *,
        announce: tuple[str, str] | None = None,
    ) -> tuple[int, str]:
        """Write `events` after the run's last one; return the last sequence number and the
        run's status. Bumping the run's counter locks its row, so concurrent writers to one
        run queue up. `announce` (PostgreSQL): a NOTIFY channel and payload, sent in the
        same statement."""
        returned: list[Any] = [RunRecord.event_count, RunRecord.status]
        if announce is not None:
            returned.append(func.pg_notify(*announce))
        bump = (
            update(RunRecord)
            .where(RunRecord.id == run_id)
            .values(event_count=RunRecord.event_count + len(events))
            .returning(*returned)
            .execution_options(synchronize_session=False)
        )
        last, status, *_ = (await self.session.execute(bump)).one()
        if not events:
            return last, status
        first = last - len(events) + 1
        rows = [
            {"run_id": run_id, "seq": first + offset, "event": name, "data": data}
            for offset, (name, data) in enumerate(events)
        ]
        await self.session.execute(insert(RunEventRecord), rows)
        return last, status

    async def exists(self, run_id: str) -> bool:
        statement = select(RunRecord.id).where(RunRecord.id == run_id)
        return (await self.session.execute(statement)).first() is not None

    async def after(self, run_id: str, seq: int, limit: int = 1000) -> list[RunEventRecord]:
        statement = (
            select(RunEventRecord)
            .where(RunEventRecord.run_id == run_id, RunEventRecord.seq > seq)
            .order_by(RunEventRecord.seq)
            .limit(limit)
        )
        return list(await self.session.scalars(statement))
