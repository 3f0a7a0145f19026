"""A run's events: written to the database first, then published; streams replay, then follow.

Every change a client can observe (run, step, message) is appended to `run_events` in the
transaction that makes it. Once that transaction commits, in-process followers are told; a
follower in another process finds the rows on its next poll.
"""

from __future__ import annotations

import asyncio
import secrets
import time
import weakref
from collections import defaultdict, deque
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import func, select
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
RUN_EVENTS = "assistants_run_events"  # PostgreSQL channels: "<run id> <origin>"
WORK = "assistants_work"  # "<origin>": a run was queued
FOLLOW_POLL_SECONDS = (0.1, 1.0)  # idle re-reads, backing off: events of other processes
HEARTBEAT_SECONDS = 15.0  # a quiet stream says it is alive this often (proxies close idle ones)

RunEvent = tuple[str, dict[str, Any]]
Numbered = tuple[int, str, dict[str, Any]]


class Subscription:
    """What one follower has been told about a run since it last looked."""

    def __init__(self) -> None:
        self.pending: deque[Numbered] = deque()
        self.stale = False  # another process wrote events: read them from the database
        self.ready = asyncio.Event()

    def take(self) -> tuple[list[Numbered], bool]:
        """The events handed over since the last take, and whether to read the database."""
        self.ready.clear()
        taken, stale = list(self.pending), self.stale
        self.pending.clear()
        self.stale = False
        return taken, stale


class Broker:
    """In-process notifications: a run's committed events, handed to its followers as they
    are, and that work is queued. With `runs/notify.py` listening (PostgreSQL), other
    processes' writes are announced too (`poke`, `wake_workers`)."""

    def __init__(self) -> None:
        self.origin = secrets.token_hex(8)  # this process, in what it announces to others
        self.announces = False  # whether writers should announce their events to others
        # weak: a stream that never started (its client left first) drops out by itself
        self._followers: defaultdict[str, weakref.WeakSet[Subscription]] = defaultdict(
            weakref.WeakSet
        )
        self.work = asyncio.Event()  # for the run executor
        self.ingestion = asyncio.Event()  # for the ingestion worker (retrieval/worker.py)

    def publish(self, run_id: str, events: list[Numbered]) -> None:
        followers = self._followers.get(run_id)
        if followers is None:
            return
        for subscription in followers:
            subscription.pending.extend(events)
            subscription.ready.set()
        if not followers:
            del self._followers[run_id]

    def poke(self, run_id: str) -> None:
        """Another process wrote events of this run."""
        for subscription in self._followers.get(run_id, ()):
            subscription.stale = True
            subscription.ready.set()

    def subscribe(self, run_id: str) -> Subscription:
        subscription = Subscription()
        self._followers[run_id].add(subscription)
        return subscription

    def unsubscribe(self, run_id: str, subscription: Subscription) -> None:
        followers = self._followers.get(run_id)
        if followers is not None:
            followers.discard(subscription)
            if not followers:
                del self._followers[run_id]

    def wake_workers(self) -> None:
        self.work.set()
        self.ingestion.set()


async def announce_work(session: AsyncSession, broker: Broker) -> None:
    """Tell this process's workers, and (when announcing) other processes', that a run or a
    file was queued in this transaction, once it commits."""
    after_commit(session, broker.wake_workers)
    if broker.announces:
        await session.execute(select(func.pg_notify(WORK, broker.origin)))


async def emit(session: AsyncSession, broker: Broker, run_id: str, *events: RunEvent) -> str:
    """Append `events` to the run's log in this transaction; publish them once it commits.
    Returns the run's status as this transaction sees it."""
    announce = (RUN_EVENTS, f"{run_id} {broker.origin}") if broker.announces else None
    events_log = RunEventRepository(session)
    last, status = await events_log.append(run_id, list(events), announce=announce)
    first = last - len(events) + 1
    numbered = [(first + offset, name, data) for offset, (name, data) in enumerate(events)]
    after_commit(session, lambda: broker.publish(run_id, numbered))
    return status


async def _read(
    sessionmaker: async_sessionmaker[AsyncSession], run_id: str, after: int
) -> list[Numbered] | None:
    """The run's stored events after `after`; None if the run is gone (thread deleted)."""
    async with reading(sessionmaker) as session:
        events = RunEventRepository(session)
        rows = await events.after(run_id, after)
        if not rows and not await events.exists(run_id):
            return None
    return [(row.seq, row.event, row.data) for row in rows]


async def follow(
    sessionmaker: async_sessionmaker[AsyncSession],
    broker: Broker,
    run_id: str,
    after: int = 0,
    subscription: Subscription | None = None,
) -> AsyncIterator[RunEvent | None]:
    """The run's events after sequence number `after`, as they are written, up to the first
    final event; `None` when nothing happened for `HEARTBEAT_SECONDS`.

    Events committed in this process arrive from the broker without a read; the database is
    read at the start, on a gap in the numbering, and when idle (backing off), which is how
    events written by another process arrive. No session is held between reads. A
    `subscription` taken before the events after `after` were committed saves the first read.
    """
    must_read = subscription is None
    if subscription is None:
        subscription = broker.subscribe(run_id)
    poll = FOLLOW_POLL_SECONDS[0]
    quiet_since = time.monotonic()
    try:
        while True:
            batch: list[Numbered] = []
            if must_read:
                stored = await _read(sessionmaker, run_id, after)
                if stored is None:
                    return
                batch, must_read = stored, False
            taken, stale = subscription.take()
            moved = False
            for seq, name, data in [*batch, *taken]:
                if seq <= after:
                    continue
                if seq != after + 1:  # written elsewhere too: the database has them all
                    must_read = True
                    break
                after, moved = seq, True
                yield name, data
                if name in FINAL_EVENTS:
                    return
            if must_read or stale:  # a gap, or another process announced new events
                must_read = True
                continue
            if moved:
                poll, quiet_since = FOLLOW_POLL_SECONDS[0], time.monotonic()
                continue
            if time.monotonic() - quiet_since >= HEARTBEAT_SECONDS:
                quiet_since = time.monotonic()
                yield None
            try:
                await asyncio.wait_for(subscription.ready.wait(), poll)
            except TimeoutError:
                must_read, poll = True, min(poll * 2, FOLLOW_POLL_SECONDS[1])
    finally:
        broker.unsubscribe(run_id, subscription)
