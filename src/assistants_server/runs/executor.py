"""The executor: runs as a job kind of the shared leased worker (jobs/worker.py), each driven
through `loop.execute`.

A run is claimed with a conditional UPDATE, up to CLAIM_BATCH in one transaction with their
`in_progress` events. The worker renews the leases of the runs in hand; its sweep fails runs
whose executor died (their lease lapsed) and expires runs left waiting for tool outputs. On
top of the queue, an API request may claim a run for this process in its own transaction
(`reserve`, then `adopt` once it commits): the run never waits queued.
"""

from __future__ import annotations

import asyncio
import time
from functools import partial

from assistants_server import clock
from assistants_server.db.models import MessageRecord, RunRecord
from assistants_server.db.repositories.run_queue import RunQueue
from assistants_server.db.session import writing
from assistants_server.jobs.worker import Job, LeasedWorker
from assistants_server.runs import loop
from assistants_server.runs.context import RunServices
from assistants_server.runs.events import emit, emit_many
from assistants_server.runs.finish import error, settle
from assistants_server.schemas.runs import run_v2

CLAIM_BATCH = 64  # runs claimed in one transaction at most


class RunJobs:
    name = "runs"

    def __init__(self, services: RunServices) -> None:
        self.services = services
        self.wake: asyncio.Event = services.broker.work

    def job(self, run: RunRecord, messages: list[MessageRecord] | None = None) -> Job:
        return partial(loop.execute, self.services, run, messages)

    async def claim(self, room: int, worker_id: str, lease_until: float) -> list[tuple[str, Job]]:
        async with writing(self.services.sessionmaker) as session:
            queue = RunQueue(session)
            runs = await queue.claim(min(room, CLAIM_BATCH), worker_id, lease_until, clock.now())
            started = [(run, [("thread.run.in_progress", run_v2(run))]) for run in runs]
            await emit_many(session, self.services.broker, started)
        return [(run.id, self.job(run)) for run in runs]

    async def renew(self, keys: list[str], worker_id: str, lease_until: float) -> None:
        async with writing(self.services.sessionmaker) as session:
            await RunQueue(session).renew(keys, worker_id, lease_until)

    async def sweep(self, held: set[str]) -> None:
        """Fail runs whose executor died; expire runs left waiting for tool outputs."""
        broker = self.services.broker
        async with writing(self.services.sessionmaker) as session:
            queue = RunQueue(session)
            for run in await queue.abandoned(time.time()):
                if run.id in held:
                    continue
                if run.status == "cancelling":
                    events = await settle(session, run, "cancelled")
                else:
                    interrupted = error("server_error", loop.INTERRUPTED)
                    events = await settle(session, run, "failed", last_error=interrupted)
                await emit(session, broker, run, *events)
            for run in await queue.overdue(clock.now()):
                await emit(session, broker, run, *await settle(session, run, "expired"))


class RunExecutor(LeasedWorker[str]):
    def __init__(
        self, services: RunServices, *, max_concurrent_runs: int, lease_seconds: float
    ) -> None:
        self.run_jobs = RunJobs(services)
        super().__init__(self.run_jobs, capacity=max_concurrent_runs, lease_seconds=lease_seconds)
        self.services = services

    def reserve(self) -> bool:
        """Promise a slot to a run that the caller claims in its own transaction; the caller
        then calls `adopt` once that commits, or `release` if it rolls back."""
        if not self.started or self.free() <= 0:
            return False
        self.reserved += 1
        return True

    def release(self) -> None:
        self.reserved -= 1

    def adopt(self, run: RunRecord, messages: list[MessageRecord]) -> None:
        """Drive `run`, claimed for this executor by the transaction that just committed it,
        which read its thread's `messages` too (so neither is read back)."""
        self.reserved -= 1
        self.run(run.id, self.run_jobs.job(run, messages))
