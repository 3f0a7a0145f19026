"""Jobs run every so often, each by one worker at a time whichever process it is in: a kind
of job of the shared leased worker (jobs/worker.py). A job is due at its row's `next_run_at`;
the worker that claims it holds it under a lease, runs it, and sets when it is next due. A
job whose worker died is claimed again once its lease lapses."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial

from sqlalchemy import and_, or_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistants_server.db.models import PeriodicJobRecord
from assistants_server.db.session import writing
from assistants_server.jobs.worker import Job

logger = logging.getLogger(__name__)

_JOB = PeriodicJobRecord


@dataclass(frozen=True)
class Periodic:
    name: str
    every_seconds: float
    run: Callable[[], Awaitable[object]]


class PeriodicJobs:
    name = "periodic"

    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], jobs: list[Periodic]
    ) -> None:
        self.sessionmaker = sessionmaker
        self.jobs = {job.name: job for job in jobs}
        self.wake = asyncio.Event()  # nobody queues these: the worker's poll finds them due

    async def claim(self, room: int, worker_id: str, lease_until: float) -> list[tuple[str, Job]]:
        now = time.time()
        claimed: list[tuple[str, Job]] = []
        async with writing(self.sessionmaker) as session:
            await self._ensure_rows(session, now)
            for name in list(self.jobs)[:room]:
                free = or_(_JOB.worker_id.is_(None), _JOB.lease_expires_at < now)
                statement = (
                    update(_JOB)
                    .where(_JOB.name == name, _JOB.next_run_at <= now, free)
                    .values(worker_id=worker_id, lease_expires_at=lease_until)
                    .execution_options(synchronize_session=False)
                )
                if (await session.execute(statement)).rowcount:  # type: ignore[attr-defined]
                    claimed.append((name, partial(self._run, self.jobs[name], worker_id)))
        return claimed

    async def _ensure_rows(self, session: AsyncSession, now: float) -> None:
        """A row for each job (first due now), made once, whichever process gets there."""
        dialect = session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        rows = [{"name": name, "next_run_at": now} for name in self.jobs]
        await session.execute(insert(_JOB).values(rows).on_conflict_do_nothing())

    async def _run(self, job: Periodic, worker_id: str) -> None:
        try:
            await job.run()
        except Exception:
            logger.exception("periodic job %s failed; it runs again when next due", job.name)
        finally:
            async with writing(self.sessionmaker) as session:
                await session.execute(
                    update(_JOB)
                    .where(_JOB.name == job.name, _JOB.worker_id == worker_id)
                    .values(
                        next_run_at=time.time() + job.every_seconds,
                        worker_id=None,
                        lease_expires_at=None,
                    )
                    .execution_options(synchronize_session=False)
                )

    async def renew(self, keys: list[str], worker_id: str, lease_until: float) -> None:
        async with writing(self.sessionmaker) as session:
            held = and_(_JOB.name.in_(keys), _JOB.worker_id == worker_id)
            await session.execute(
                update(_JOB)
                .where(held)
                .values(lease_expires_at=lease_until)
                .execution_options(synchronize_session=False)
            )

    async def sweep(self, held: set[str]) -> None:
        return None  # a job whose lease lapsed is free to claim again
