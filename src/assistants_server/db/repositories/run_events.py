from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ARRAY,
    JSON,
    ColumnElement,
    Integer,
    Row,
    Select,
    String,
    any_,
    bindparam,
    func,
    insert,
    literal_column,
    select,
    text,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from assistants_server.db.base import table_of
from assistants_server.db.models import RunEventRecord, RunRecord

_NOTIFY_EACH = "SELECT pg_notify(:channel, payload) FROM unnest(CAST(:payloads AS TEXT[])) payload"
_AFTER_EACH = """
SELECT e.run_id, e.seq, e.event, e.data FROM run_events e
JOIN unnest(CAST(:ids AS TEXT[]), CAST(:afters AS INTEGER[])) AS p(run_id, after)
  ON e.run_id = p.run_id AND e.seq > p.after
ORDER BY e.run_id, e.seq
"""
# Built once: the writer runs them many times a second.
_INSERT = insert(RunEventRecord)
_SET_COUNT = (
    update(table_of(RunRecord))
    .where(table_of(RunRecord).c.id == bindparam("run_id"))
    .values(event_count=bindparam("count"))
)


@functools.cache
def _locking(dialect: str) -> Select[str, str, int]:
    """Runs' id, status and event count, their rows locked, for a list of ids given as one
    parameter `ids` (an array, or JSON on SQLite): an IN list of hundreds of parameters costs
    far more to render each time."""
    columns = select(RunRecord.id, RunRecord.status, RunRecord.event_count)
    if dialect == "sqlite":
        listed: Select[Any] = select(literal_column("value")).select_from(
            func.json_each(bindparam("ids"))
        )
        return columns.where(RunRecord.id.in_(listed.scalar_subquery()))
    ids: ColumnElement[Any] = any_(bindparam("ids", type_=ARRAY(String)))
    return columns.where(RunRecord.id == ids).with_for_update()


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
            await self.session.execute(_INSERT, rows)

    async def lock_counts(self, run_ids: Sequence[str]) -> list[Row[str, str, int]]:
        """Each run's id, status and event count, its row locked for this transaction."""
        dialect = self.session.get_bind().dialect.name
        ids = json.dumps(list(run_ids)) if dialect == "sqlite" else list(run_ids)
        return list(await self.session.execute(_locking(dialect), {"ids": ids}))

    async def append_many(self, rows: list[dict[str, Any]], counts: list[dict[str, Any]]) -> None:
        """Write event `rows` (run_id, seq, event, data) of runs whose rows this transaction
        has locked, and set each run's `event_count` (`counts`: run_id, count)."""
        if rows:
            await self.session.execute(_INSERT, rows)
        if counts:
            await self.session.execute(_SET_COUNT, counts)

    async def announce_each(self, channel: str, payloads: list[str]) -> None:
        """PostgreSQL: NOTIFY `channel` once per payload, on commit."""
        statement = text(_NOTIFY_EACH)
        await self.session.execute(statement, {"channel": channel, "payloads": payloads})

    async def after_each(self, after: dict[str, int]) -> list[Row[str, int, str, dict[str, Any]]]:
        """PostgreSQL: the events of each run in `after` (run id -> number) after its number,
        in order, in one statement."""
        statement = text(_AFTER_EACH).columns(
            run_id=String(), seq=Integer(), event=String(), data=JSON()
        )
        params = {"ids": list(after), "afters": list(after.values())}
        return list(await self.session.execute(statement, params))

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
