"""A run's events: written to the database first, then published; streams replay, then follow.

Every change a client can observe (run, step, message) is appended to `run_events` in the
transaction that makes it. Once that transaction commits, in-process followers are told; a
follower in another process finds the rows on its next poll.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import defaultdict
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistants_server.db.repositories.run_events import RunEventRepository
from assistants_server.db.session import after_commit, reading

# A stream ends after the event that leaves the run waiting on nobody but the client.
FINAL_EVENTS = frozenset(
    {
        "thread.run.completed",
        "thread.run.incomplete",
        "thread.run.failed",
        "thread.run.cancelled",
        "thread.run.expired",
        "thread.run.requires_action",
    }
)
FOLLOW_POLL_SECONDS = 0.25  # for events written by another process
HEARTBEAT_SECONDS = 15.0  # a quiet stream says it is alive this often (proxies close idle ones)

RunEvent = tuple[str, dict[str, Any]]


class Broker:
    """In-process notifications: which runs have new events, and that work is queued."""

    def __init__(self) -> None:
        self._followers: defaultdict[str, set[asyncio.Event]] = defaultdict(set)
        self.work = asyncio.Event()

    def publish(self, run_id: str) -> None:
        for waiter in self._followers.get(run_id, ()):
            waiter.set()

    def subscribe(self, run_id: str) -> asyncio.Event:
        waiter = asyncio.Event()
        self._followers[run_id].add(waiter)
        return waiter

    def unsubscribe(self, run_id: str, waiter: asyncio.Event) -> None:
        followers = self._followers.get(run_id)
        if followers is not None:
            followers.discard(waiter)
            if not followers:
                del self._followers[run_id]

    def wake_workers(self) -> None:
        self.work.set()


async def emit(
    session: AsyncSession, broker: Broker, run_id: str, *events: tuple[str, dict[str, Any]]
) -> int:
    """Append `events` to the run's log in this transaction; publish them once it commits.
    Returns the sequence number of the last one."""
    last = await RunEventRepository(session).append(run_id, list(events))
    after_commit(session, lambda: broker.publish(run_id))
    return last


async def follow(
    sessionmaker: async_sessionmaker[AsyncSession], broker: Broker, run_id: str, after: int = 0
) -> AsyncIterator[RunEvent | None]:
    """The run's events after sequence number `after`, as they are written, up to the first
    final event; `None` when nothing happened for `HEARTBEAT_SECONDS`. No session is held
    between reads."""
    waiter = broker.subscribe(run_id)
    quiet_since = time.monotonic()
    try:
        while True:
            waiter.clear()
            async with reading(sessionmaker) as session:
                rows = await RunEventRepository(session).after(run_id, after)
            for row in rows:
                after = row.seq
                yield row.event, row.data
                if row.event in FINAL_EVENTS:
                    return
            if rows:
                quiet_since = time.monotonic()
                continue
            if time.monotonic() - quiet_since >= HEARTBEAT_SECONDS:
                quiet_since = time.monotonic()
                async with reading(sessionmaker) as session:
                    if not await RunEventRepository(session).exists(run_id):
                        return  # its thread was deleted
                yield None
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(waiter.wait(), FOLLOW_POLL_SECONDS)
    finally:
        broker.unsubscribe(run_id, waiter)
