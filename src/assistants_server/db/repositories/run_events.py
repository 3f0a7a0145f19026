from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, bindparam, func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from assistants_server.db.base import table_of
from assistants_server.db.models import RunEventRecord, RunRecord

_NOTIFY_EACH = "SELECT pg_notify(:channel, payload) FROM unnest(CAST(:payloads AS TEXT[])) payload"


class RunEventRepository:
    """Runs' append-only event logs. Runs are reached by id only: a run's events are read by
    whoever already holds the run (a tenant-checked request, or the executor)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def append(
        self,
        run_id: str,
        events: list[tuple[str, dict[str, Any]]],
        *,
        announce: tuple[str, str] | None = None,
    ) -> int:
        """Write `events` after the run's last one; return the last sequence number. Bumping
        the run's counter locks its row, so concurrent writers to one run queue up.
        `announce` (PostgreSQL): a NOTIFY channel and payload, sent in the same statement."""
        returned: list[Any] = [RunRecord.event_count]
        if announce is not None:
            returned.append(func.pg_notify(*announce))
        bump = (
            update(RunRecord)
            .where(RunRecord.id == run_id)
            .values(event_count=RunRecord.event_count + len(events))
            .returning(*returned)
            .execution_options(synchronize_session=False)
        )
        last, *_ = (await self.session.execute(bump)).one()
        await self.insert(run_id, last - len(events) + 1, events)
        return int(last)

    async def insert(
        self, run_id: str, first: int, events: list[tuple[str, dict[str, Any]]]
    ) -> None:
        """Write `events`, numbered from `first`, the run's counter already set."""
        if events:
            rows = [
                {"run_id": run_id, "seq": first + offset, "event": name, "data": data}
                for offset, (name, data) in enumerate(events)
            ]
            await self.session.execute(insert(RunEventRecord), rows)

    async def lock_counts(self, run_ids: Sequence[str]) -> list[Row[str, str, int]]:
        """Each run's id, status and event count, its row locked for this transaction."""
        statement = (
            select(RunRecord.id, RunRecord.status, RunRecord.event_count)
            .where(RunRecord.id.in_(run_ids))
            .with_for_update()
        )
        return list(await self.session.execute(statement))

    async def append_many(self, rows: list[dict[str, Any]], counts: list[dict[str, Any]]) -> None:
        """Write event `rows` (run_id, seq, event, data) of runs whose rows this transaction
        has locked, and set each run's `event_count` (`counts`: run_id, count)."""
        if rows:
            await self.session.execute(insert(RunEventRecord), rows)
        if counts:
            runs = table_of(RunRecord)
            bump = (
                update(runs)
                .where(runs.c.id == bindparam("run_id"))
                .values(event_count=bindparam("count"))
            )
            await self.session.execute(bump, counts)

    async def announce_each(self, channel: str, payloads: list[str]) -> None:
        """PostgreSQL: NOTIFY `channel` once per payload, on commit."""
        statement = text(_NOTIFY_EACH)
        await self.session.execute(statement, {"channel": channel, "payloads": payloads})

    async def exists(self, run_id: str) -> bool:
        statement = select(RunRecord.id).where(RunRecord.id == run_id)
        return (await self.session.execute(statement)).first() is not None

    async def after(
        self, run_id: str, seq: int, limit: int = 1000
    ) -> list[Row[int, str, dict[str, Any]]]:
        """The run's events after `seq`: (seq, event, data) rows."""
        statement = (
            select(RunEventRecord.seq, RunEventRecord.event, RunEventRecord.data)
            .where(RunEventRecord.run_id == run_id, RunEventRecord.seq > seq)
            .order_by(RunEventRecord.seq)
            .limit(limit)
        )
        return list(await self.session.execute(statement))
