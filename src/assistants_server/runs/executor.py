"""The executor: claims queued runs from the database and drives each through `loop.execute`.

The database is the queue. A claim is a conditional UPDATE, so any number of executors (in
`serve`, or alone under `assistants-server worker`) share one database safely. Each holds a
lease on the runs it executes and renews it; a run whose lease ran out was left behind by an
executor that died, and is failed with a clear error instead of staying `in_progress` forever.
Runs waiting for tool outputs past `expires_at` expire.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from assistants_server import clock, ids
from assistants_server.db.models import MessageRecord, RunRecord
from assistants_server.db.repositories.run_queue import RunQueue
from assistants_server.db.session import writing
from assistants_server.runs import loop
from assistants_server.runs.context import RunServices
from assistants_server.runs.events import emit, emit_many
from assistants_server.runs.finish import error, settle
from assistants_server.schemas.runs import run_v2

logger = logging.getLogger(__name__)

IDLE_POLL_SECONDS = 0.5  # how often an idle executor looks for runs queued by other processes
CLAIM_BATCH = 64  # runs claimed in one transaction at most


class RunExecutor:
    def __init__(
        self, services: RunServices, *, max_concurrent_runs: int, lease_seconds: float
    ) -> None:
        self.services = services
        self.capacity = max_concurrent_runs
        self.lease_seconds = lease_seconds
        self.worker_id = ids.new("worker_")
        self._running: dict[str, asyncio.Task[None]] = {}
        self._reserved = 0  # slots promised to runs claimed by this process's API requests
        self._main: asyncio.Task[None] | None = None
        self._next_sweep = 0.0

    def _free(self) -> int:
        return self.capacity - len(self._running) - self._reserved

    def reserve(self) -> bool:
        """Promise a slot to a run that the caller claims in its own transaction; the caller
        then calls `adopt` once that commits, or `release` if it rolls back."""
        if self._main is None or self._free() <= 0:
            return False
        self._reserved += 1
        return True

    def release(self) -> None:
        self._reserved -= 1

    def adopt(self, run: RunRecord, messages: list[MessageRecord]) -> None:
        """Drive `run`, claimed for this executor by the transaction that just committed it,
        which read its thread's `messages` too (so neither is read back)."""
        self._reserved -= 1
        self._start(run, messages)

    def _start(self, run: RunRecord, messages: list[MessageRecord] | None = None) -> None:
        task = asyncio.create_task(self._execute(run, messages), name=f"run {run.id}")
        self._running[run.id] = task

    def lease_until(self) -> float:
        return time.time() + self.lease_seconds

    def start(self) -> None:
        self._main = asyncio.create_task(self._serve(), name="run-executor")

    async def stop(self) -> None:
        """Stop claiming, and stop the runs in hand: each fails itself at once, so that
        nobody waits for their leases to lapse. (After a crash, the lease is what frees them.)
        The run writer must still be writing meanwhile."""
        tasks = [task for task in (self._main, *self._running.values()) if task is not None]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _serve(self) -> None:
        work = self.services.broker.work
        while True:
            try:
                await self._housekeeping()
                work.clear()
                claimed = await self._claim()
            except Exception:
                logger.exception("run executor: database unavailable; retrying")
                await asyncio.sleep(1.0)
                continue
            if not claimed or self._free() <= 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(work.wait(), IDLE_POLL_SECONDS)

    async def _execute(self, run: RunRecord, messages: list[MessageRecord] | None) -> None:
        try:
            await loop.execute(self.services, run, messages)
        finally:
            self._running.pop(run.id, None)
            self.services.broker.work.set()  # a slot is free

    async def _claim(self) -> int:
        """Claim queued runs while there is room, at most `CLAIM_BATCH` in one transaction,
        and start them; return how many."""
        room = min(self._free(), CLAIM_BATCH)
        if room <= 0:
            return 0
        self._reserved += room  # held against requests of this process meanwhile
        try:
            async with writing(self.services.sessionmaker) as session:
                queue, lease = RunQueue(session), self.lease_until()
                runs = await queue.claim(room, self.worker_id, lease, clock.now())
                started = [(run, [("thread.run.in_progress", run_v2(run))]) for run in runs]
                await emit_many(session, self.services.broker, started)
        finally:
            self._reserved -= room
        for run in runs:
            self._start(run)
        return len(runs)

    async def _housekeeping(self) -> None:
        """Renew our leases; fail runs whose executor died; expire runs left waiting."""
        if time.monotonic() < self._next_sweep:
            return
        self._next_sweep = time.monotonic() + self.lease_seconds / 3
        broker = self.services.broker
        async with writing(self.services.sessionmaker) as session:
            queue = RunQueue(session)
            if self._running:
                lease = self.lease_until()
                await queue.renew(list(self._running), self.worker_id, lease)
            for run in await queue.abandoned(time.time()):
                if run.id in self._running:
                    continue
                if run.status == "cancelling":
                    events = await settle(session, run, "cancelled")
                else:
                    interrupted = error("server_error", loop.INTERRUPTED)
                    events = await settle(session, run, "failed", last_error=interrupted)
                await emit(session, broker, run, *events)
            for run in await queue.overdue(clock.now()):
                await emit(session, broker, run, *await settle(session, run, "expired"))
