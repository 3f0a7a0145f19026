"""Driving a run: turns of prompting the model and streaming its reply (runs/turn.py), until
the run rests (completed, requires_action, incomplete, cancelled, failed).

Everything a turn says goes through the run's log (runs/writer.py): the model's text is
published the moment it arrives and written in the writer's next batch; a turn's end is one
change, written before its events are published. No session is held across a model `await`.

A cancel is noticed one way: whatever learns of it (the cancel's announcement, the writer
seeing the run's status, a turn reading it) calls the log's `stop`, which cancels the run's
task wherever it is (the model's stream, a tool call, a wait). The task then settles the run
`cancelled`, keeping what the model wrote so far.
"""

from __future__ import annotations

import asyncio
import logging

from assistants_server import logs, tracing
from assistants_server.db.models import MessageRecord, RunRecord
from assistants_server.llm.base import LLMError
from assistants_server.runs import finish
from assistants_server.runs.conclude import settle
from assistants_server.runs.context import RunServices, TurnInputs, load_turn_inputs
from assistants_server.runs.turn import Turn
from assistants_server.runs.writer import RunLog, RunLost
from assistants_server.schemas.runs import run_v2
from assistants_server.tools import registry

logger = logging.getLogger(__name__)

ERROR_CODES = {
    "rate_limit": "rate_limit_exceeded",
    "invalid_request": "invalid_prompt",
    "server": "server_error",
}
UNEXPECTED = "The run failed on the server because of an unexpected error; see the server log."
INTERRUPTED = (
    "The server executing this run stopped before it finished (a restart or a crash). "
    "Create a new run to continue the conversation."
)


class _Stop:
    """Stops a run's task when its run is asked to cancel (or lost); remembers that it did,
    so the task tells a cancel from a shutdown."""

    def __init__(self) -> None:
        self.task = asyncio.current_task()
        self.requested = False

    def __call__(self) -> None:
        if not self.requested and self.task is not None:
            self.requested = True
            self.task.cancel()


async def execute(
    services: RunServices, run: RunRecord, messages: list[MessageRecord] | None = None
) -> None:
    """Drive `run`, `in_progress` and claimed by the caller (in the state the claim
    committed, with its thread's `messages` if the claim read them), until it rests."""
    logs.bind(run_id=run.id, thread_id=run.thread_id, tenant=logs.tenant_hash(run.tenant_id))
    stop = _Stop()
    log = services.writer.open(run.id, run.event_count, stop)
    try:
        with tracing.span("run", link=run.trace_parent, run_id=run.id, model=run.model):
            await _drive(services, log, run, messages)
    except asyncio.CancelledError:
        if not stop.requested:  # the server is stopping
            await settle(log, run, "failed", finish.error("server_error", INTERRUPTED))
            raise
        _uncancel()
        log.live(("thread.run.cancelling", {**run_v2(run), "status": "cancelling"}))
        await settle(log, run, "cancelled")
    except RunLost:
        pass
    except LLMError as exc:
        await settle(log, run, "failed", finish.error(ERROR_CODES[exc.kind], exc.message))
    except Exception:
        logger.exception("run %s failed", run.id)
        await settle(log, run, "failed", finish.error("server_error", UNEXPECTED))
    finally:
        services.writer.close(log)


def _uncancel() -> None:
    task = asyncio.current_task()
    if task is not None:
        task.uncancel()


async def _drive(
    services: RunServices,
    log: RunLog,
    claimed: RunRecord,
    messages: list[MessageRecord] | None,
) -> None:
    """Turn after turn, each from what the run is when it starts, until the run rests."""
    run: RunRecord | None = claimed
    inputs: TurnInputs | None = None
    first = True
    while True:
        inputs = await load_turn_inputs(services, claimed.id, run, inputs, messages)
        if inputs is None:
            return
        if inputs.run.status == "cancelling":
            log.stop()
            await asyncio.sleep(0)  # the cancel arrives here, and `execute` settles the run
        if first:
            first = False
            if await _tools_ready(services, inputs):  # time passed: read the run again
                run, messages = None, None
                continue
        if not await Turn(services, log, inputs.run).play(inputs):
            return
        run, messages = None, None


async def _tools_ready(services: RunServices, inputs: TurnInputs) -> bool:
    """Wait until what the run's tools read is ready; whether any had to wait."""
    waited = False
    for tool in registry.of_run(inputs.run):
        waited |= await tool.ready(inputs.run, inputs.tool_steps, services)
    return waited
