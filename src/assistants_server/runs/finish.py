"""How runs and turns end, as changes made in a transaction: each returns the events to emit.

`settle` ends a run (or pauses it for tool outputs, see `require_action`): the run, its open
steps and its open messages together. A turn's reply is closed by `close_reply`; the turn's
`tool_calls` step is completed by `ran` for calls the server ran, or left open by
`require_action` for function calls the client answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from assistants_server import clock, ids
from assistants_server.db.models import MessageRecord, RunRecord, RunStepRecord
from assistants_server.db.repositories.messages import MessageRepository
from assistants_server.db.repositories.run_steps import RunStepRepository
from assistants_server.llm.base import Usage
from assistants_server.runs import states
from assistants_server.runs.events import RunEvent
from assistants_server.schemas.messages import message_v2
from assistants_server.schemas.run_steps import included_by, run_step_v2
from assistants_server.schemas.runs import run_v2

# What an open step and an open message become when a run ends in each status.
_STEP_STATUS = {"failed": "failed", "cancelled": "cancelled", "expired": "expired"}
_MESSAGE_REASON = {
    "failed": "run_failed",
    "cancelled": "run_cancelled",
    "expired": "run_expired",
    "incomplete": "max_tokens",
}


@dataclass(frozen=True)
class Opened:
    """A run's open messages and steps, when the caller knows them (saves looking them up)."""

    messages: list[MessageRecord]
    steps: list[RunStepRecord]


async def settle(
    session: AsyncSession,
    run: RunRecord,
    status: str,
    *,
    last_error: dict[str, Any] | None = None,
    incomplete_details: dict[str, Any] | None = None,
    opened: Opened | None = None,
) -> list[RunEvent]:
    """Move `run` (loaded in `session`) to the final `status`; close its open steps and
    messages (`opened`, else looked up) to match. Returns their events, then the run's."""
    now = clock.now()
    events: list[RunEvent] = []
    if opened is None:
        opened = Opened(
            await MessageRepository(session, run.tenant_id).open_in_run(run.id),
            await RunStepRepository(session, run.tenant_id).open_in_run(run.id),
        )
    for message in opened.messages:
        if status == "completed":
            message.status, message.completed_at = "completed", now
            events.append(("thread.message.completed", message_v2(message)))
        else:
            message.status, message.incomplete_at = "incomplete", now
            message.incomplete_details = {"reason": _MESSAGE_REASON.get(status, "run_failed")}
            events.append(("thread.message.incomplete", message_v2(message)))
    for step in opened.steps:
        step.status = _STEP_STATUS.get(status, "completed")
        setattr(step, f"{step.status}_at", now)
        if step.status == "failed":
            step.last_error = last_error
        events.append((f"thread.run.step.{step.status}", run_step_v2(step)))
    run.last_error = last_error
    run.incomplete_details = incomplete_details
    events.append((states.move(run, status, now), run_v2(run)))
    await session.flush()
    return events


def error(code: str, message: str) -> dict[str, str]:
    return {"code": code, "message": message}


def usage_of(usage: Usage, total: dict[str, int] | None = None) -> dict[str, int]:
    """`usage` as stored, added to `total` if given."""
    prompt_tokens = (total or {}).get("prompt_tokens", 0) + usage.prompt_tokens
    completion_tokens = (total or {}).get("completion_tokens", 0) + usage.completion_tokens
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
    }


@dataclass(frozen=True)
class Reply:
    """The text a turn wrote: its message and message_creation step."""

    message_id: str
    step_id: str


def close_reply(message: MessageRecord, step: RunStepRecord) -> list[RunEvent]:
    """Complete a turn's message and its message_creation step."""
    now = clock.now()
    message.status, message.completed_at = "completed", now
    step.status, step.completed_at = "completed", now
    return [
        ("thread.message.completed", message_v2(message)),
        ("thread.run.step.completed", run_step_v2(step)),
    ]


def new_step(run: RunRecord, kind: str, details: dict[str, Any]) -> RunStepRecord:
    return RunStepRecord(
        id=ids.new(ids.STEP),
        tenant_id=run.tenant_id,
        run_id=run.id,
        thread_id=run.thread_id,
        assistant_id=run.assistant_id,
        created_at=clock.now(),
        type=kind,
        status="in_progress",
        step_details=details,
        metadata_={},
    )


def ran(
    run: RunRecord, step: RunStepRecord, calls: list[dict[str, Any]], usage: Usage
) -> list[RunEvent]:
    """Complete the turn's `tool_calls` step (opened as the model wrote the calls, see
    runs/tool_calls.py) with its calls, all run by the server already, and their outputs."""
    step.step_details = {"type": "tool_calls", "tool_calls": calls}
    step.usage = usage_of(usage)
    step.status, step.completed_at = "completed", clock.now()
    return [("thread.run.step.completed", run_step_v2(step, included_by(run)))]


def require_action(
    run: RunRecord,
    step: RunStepRecord,
    calls: list[dict[str, Any]],
    functions: list[dict[str, Any]],
    usage: Usage,
    expiry_seconds: int,
) -> list[RunEvent]:
    """Wait for the outputs of the turn's `functions`, of its `calls`; their `tool_calls`
    step stays open. The calls the server ran already share the step, so the turn is one
    assistant message when the model is prompted again."""
    now = clock.now()
    step.step_details = {"type": "tool_calls", "tool_calls": calls}
    step.usage = usage_of(usage)
    run.required_action = {
        "type": "submit_tool_outputs",
        "submit_tool_outputs": {
            "tool_calls": [
                {
                    "id": call["id"],
                    "type": "function",
                    "function": {
                        "name": call["function"]["name"],
                        "arguments": call["function"]["arguments"],
                    },
                }
                for call in functions
            ]
        },
    }
    run.expires_at = now + expiry_seconds
    return [(states.move(run, "requires_action", now), run_v2(run))]
