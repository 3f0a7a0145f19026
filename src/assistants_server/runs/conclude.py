"""How a turn, or the run, ends: each a change committed through the run's log (see
runs/writer.py), made in the writer's transaction."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from assistants_server.db.models import RunRecord, RunStepRecord
from assistants_server.db.repositories.base import record_by_id
from assistants_server.llm.base import Usage
from assistants_server.runs import finish, states
from assistants_server.runs.events import RunEvent
from assistants_server.runs.reply import ReplyText
from assistants_server.runs.writer import RunLog, RunLost
from assistants_server.tools import registry


async def settle(
    log: RunLog,
    run: RunRecord,
    status: str,
    last_error: dict[str, Any] | None = None,
    incomplete_details: dict[str, Any] | None = None,
) -> None:
    """End the run unless something else (a cancel, a recovery) already did."""

    async def change(session: AsyncSession) -> list[RunEvent]:
        current = await record_by_id(session, RunRecord, run.id)
        if current is None or not states.can_move(current.status, status):
            return []
        return await finish.settle(
            session,
            current,
            status,
            last_error=last_error,
            incomplete_details=incomplete_details,
        )

    with contextlib.suppress(RunLost):
        await log.commit(change)


@dataclass
class TurnEnd:
    """The change that ends a turn: the reply closed with its final text, the usage counted,
    then the run incomplete (cut short), waiting for the client's outputs, going on (the
    server ran the calls), or completed. `goes_on` says which, once committed."""

    run_id: str
    reply: ReplyText
    step_id: str | None  # the turn's tool_calls step, if the model called tools
    calls: list[dict[str, Any]]  # as the step keeps them, run or waiting for the client
    finish_reason: str
    usage: Usage
    expiry_seconds: int
    goes_on: bool = False

    async def __call__(self, session: AsyncSession) -> list[RunEvent]:
        with session.no_autoflush:  # one flush at the end writes every change
            run = await record_by_id(session, RunRecord, self.run_id)
            if run is None or run.status not in ("in_progress", "cancelling"):
                return []
            message, step = await self.reply.records(session)
            calls_step = None
            if self.step_id is not None:
                calls_step = await record_by_id(session, RunStepRecord, self.step_id)
            run.usage = finish.usage_of(self.usage, run.usage)
            if step is not None and calls_step is None:
                step.usage = finish.usage_of(self.usage)
            steps = [s for s in (step, calls_step) if s is not None]
            opened = finish.Opened([message] if message else [], steps)
            if self.finish_reason == "length":  # the reply is left incomplete
                reason = {"reason": "max_completion_tokens"}
                return await finish.settle(
                    session, run, "incomplete", incomplete_details=reason, opened=opened
                )
            if run.status != "in_progress" or calls_step is None or not self.calls:
                status = "cancelled" if self.calls else "completed"  # a reply done is done
                shown = self.reply.parts_delta(message.id) if message is not None else []
                return shown + await finish.settle(session, run, status, opened=opened)
            events = []
            if message is not None and step is not None:
                events = self.reply.parts_delta(message.id) + finish.close_reply(message, step)
            waiting = [c for c in self.calls if registry.tool(c["type"]).answered_by_client]
            if waiting:
                return events + finish.require_action(
                    run, calls_step, self.calls, waiting, self.usage, self.expiry_seconds
                )
            self.goes_on = True
            return events + finish.ran(run, calls_step, self.calls, self.usage)
