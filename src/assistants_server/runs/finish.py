"""Ending a run, or pausing it for tool outputs: one place settles the run, its open steps and
its open messages together, and emits what changed."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from assistants_server import clock
from assistants_server.db.models import RunRecord
from assistants_server.db.repositories.messages import MessageRepository
from assistants_server.db.repositories.run_steps import RunStepRepository
from assistants_server.runs import states
from assistants_server.runs.events import Broker, emit
from assistants_server.schemas.messages import message_v2
from assistants_server.schemas.run_steps import run_step_v2
from assistants_server.schemas.runs import run_v2

# What an open step and an open message become when a run ends in each status.
_STEP_STATUS = {"failed": "failed", "cancelled": "cancelled", "expired": "expired"}
_MESSAGE_REASON = {
    "failed": "run_failed",
    "cancelled": "run_cancelled",
    "expired": "run_expired",
    "incomplete": "max_tokens",
}


async def settle(
    session: AsyncSession,
    broker: Broker,
    run: RunRecord,
    status: str,
    *,
    last_error: dict[str, Any] | None = None,
    incomplete_details: dict[str, Any] | None = None,
) -> None:
    """Move `run` (loaded in `session`) to the final `status`; close its open steps and
    messages to match; emit their events, then the run's."""
    now = clock.now()
    events: list[tuple[str, dict[str, Any]]] = []
    for message in await MessageRepository(session, run.tenant_id).open_in_run(run.id):
        if status == "completed":
            message.status, message.completed_at = "completed", now
            events.append(("thread.message.completed", message_v2(message)))
        else:
            message.status, message.incomplete_at = "incomplete", now
            message.incomplete_details = {"reason": _MESSAGE_REASON.get(status, "run_failed")}
            events.append(("thread.message.incomplete", message_v2(message)))
    for step in await RunStepRepository(session, run.tenant_id).open_in_run(run.id):
        step.status = _STEP_STATUS.get(status, "completed")
        setattr(step, f"{step.status}_at", now)
        if step.status == "failed":
            step.last_error = last_error
        events.append((f"thread.run.step.{step.status}", run_step_v2(step)))
    run.last_error = last_error
    run.incomplete_details = incomplete_details
    events.append((states.move(run, status, now), run_v2(run)))
    await session.flush()
    await emit(session, broker, run.id, *events)


def error(code: str, message: str) -> dict[str, str]:
    return {"code": code, "message": message}
