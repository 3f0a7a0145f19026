"""Handing new and continued runs to a worker."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from sqlalchemy.ext.asyncio import AsyncSession

from assistants_server.db.models import RunRecord
from assistants_server.db.repositories.messages import MessageRepository
from assistants_server.db.session import after_commit, after_rollback
from assistants_server.runs import states
from assistants_server.runs.context import HISTORY_LIMIT
from assistants_server.runs.events import Broker, RunEvent, announce_work
from assistants_server.runs.executor import RunExecutor
from assistants_server.schemas.runs import run_v2


@dataclass(frozen=True)
class Dispatch:
    broker: Broker
    executor: RunExecutor | None  # this process's, when it drives runs
    expiry_seconds: int  # how long a run may wait for tool outputs

    async def start(self, session: AsyncSession, run: RunRecord, now: int) -> list[RunEvent]:
        """Hand over a run that is `queued` in this transaction. When this process's executor
        has room, the run is claimed for it in this same transaction (no other worker ever
        sees it queued) and starts the moment it commits; otherwise whichever worker claims
        it first drives it. Returns the events of the claim, to emit after the queued one."""
        executor = self.executor
        if executor is None or not executor.reserve():
            await announce_work(session, self.broker)
            return []
        run.worker_id, run.lease_expires_at = executor.worker_id, executor.lease_until()
        event = states.move(run, "in_progress", now)
        # the prompt's messages too, so the model is asked the moment this commits
        history = MessageRepository(session, run.tenant_id)
        messages = await history.latest(run.thread_id, HISTORY_LIMIT)
        after_commit(session, partial(executor.adopt, run, messages))
        after_rollback(session, executor.release)
        return [(event, run_v2(run))]
