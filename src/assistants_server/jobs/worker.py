"""One leased worker loop for every kind of job held in the database (runs, file ingestion).

The database is the queue. A job kind (`Jobs`) says how to claim up to n jobs under a lease
(a conditional UPDATE, so any number of processes share the queue safely), how to renew the
leases of the jobs in hand, and what else its sweep does (fail or retry jobs whose worker
died: their lease lapsed). `LeasedWorker` runs the loop, written once: sweep and renew every
third of a lease, claim while there is room, run each job in a task of its own, wake when told
work is waiting (or poll), retry after a database error, and stop at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, Protocol, TypeVar

from assistants_server import ids

logger = logging.getLogger(__name__)

IDLE_POLL_SECONDS = 0.5  # how often an idle worker looks for jobs queued by other processes
RETRY_SECONDS = 1.0  # after the database failed the loop

KeyT = TypeVar("KeyT", bound=Hashable)

Job = Callable[[], Awaitable[None]]


class Jobs(Protocol[KeyT]):
    name: str
    wake: asyncio.Event  # set when jobs may be waiting (or a slot came free)

    async def claim(self, room: int, worker_id: str, lease_until: float) -> list[tuple[KeyT, Job]]:
        """Claim up to `room` jobs for `worker_id` until `lease_until`; each with what runs
        it."""
        ...

    async def renew(self, keys: list[KeyT], worker_id: str, lease_until: float) -> None:
        """Extend the leases of the jobs in hand."""
        ...

    async def sweep(self, held: set[KeyT]) -> None:
        """What else a sweep does (jobs left behind by a dead worker; overdue ones)."""
        ...


class LeasedWorker(Generic[KeyT]):
    def __init__(
        self,
        jobs: Jobs[KeyT],
        *,
        capacity: int,
        lease_seconds: float,
        poll_seconds: float = IDLE_POLL_SECONDS,
    ) -> None:
        self.jobs = jobs
        self.poll_seconds = poll_seconds
        self.capacity = capacity
        self.lease_seconds = lease_seconds
        self.worker_id = ids.new(f"{jobs.name}_")
        self.running: dict[KeyT, asyncio.Task[None]] = {}
        self.reserved = 0  # slots promised to jobs claimed elsewhere (see RunExecutor)
        self._main: asyncio.Task[None] | None = None
        self._next_sweep = 0.0

    @property
    def started(self) -> bool:
        return self._main is not None

    def free(self) -> int:
        return self.capacity - len(self.running) - self.reserved

    def lease_until(self) -> float:
        return time.time() + self.lease_seconds

    def start(self) -> None:
        self._main = asyncio.create_task(self._serve(), name=f"{self.jobs.name}-worker")

    async def stop(self) -> None:
        """Stop claiming, and cancel the jobs in hand (each job says what that means)."""
        tasks = [task for task in (self._main, *self.running.values()) if task is not None]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def run(self, key: KeyT, job: Job) -> None:
        """Run a job this worker holds the lease of, in a task of its own."""
        self.running[key] = asyncio.create_task(self._job(key, job), name=f"{self.jobs.name} {key}")

    async def _job(self, key: KeyT, job: Job) -> None:
        try:
            await job()
        finally:
            self.running.pop(key, None)
            self.jobs.wake.set()  # a slot is free

    async def _serve(self) -> None:
        wake = self.jobs.wake
        while True:
            try:
                await self._sweep()
                wake.clear()
                claimed = await self._claim()
            except Exception:
                logger.exception("%s worker: database unavailable; retrying", self.jobs.name)
                await asyncio.sleep(RETRY_SECONDS)
                continue
            if not claimed or self.free() <= 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wake.wait(), self.poll_seconds)

    async def _claim(self) -> int:
        room = self.free()
        if room <= 0:
            return 0
        self.reserved += room  # held against other claims of this process meanwhile
        try:
            claimed = await self.jobs.claim(room, self.worker_id, self.lease_until())
        finally:
            self.reserved -= room
        for key, job in claimed:
            self.run(key, job)
        return len(claimed)

    async def _sweep(self) -> None:
        """Every third of a lease: renew the leases in hand, then the kind's own sweep."""
        if time.monotonic() < self._next_sweep:
            return
        self._next_sweep = time.monotonic() + self.lease_seconds / 3
        if self.running:
            await self.jobs.renew(list(self.running), self.worker_id, self.lease_until())
        await self.jobs.sweep(set(self.running))
