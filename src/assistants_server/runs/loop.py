"""Driving a run: turns of prompting the model and streaming its reply, until the run rests
(completed, requires_action, incomplete, cancelled, failed).

Everything a turn says goes through the run's log (runs/writer.py): the model's text is
published the moment it arrives and written in the writer's next batch; a turn's end is one
change, written before its events are published. No session is held across a model `await`.

A cancel stops the run's task wherever it is (the model's stream, a search, a wait): the run
is then settled `cancelled`, with what the model wrote so far.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from assistants_server import clock, ids
from assistants_server.db.models import MessageRecord, RunRecord, RunStepRecord
from assistants_server.db.repositories.base import record_by_id
from assistants_server.llm.base import (
    ChatRequest,
    Finished,
    LLMError,
    TextDelta,
    ToolCallDelta,
    Usage,
)
from assistants_server.runs import finish, prompt, states, tokens
from assistants_server.runs.context import RunServices, TurnInputs, load_turn_inputs, unroutable
from assistants_server.runs.events import RunEvent
from assistants_server.runs.tool_calls import Call, TurnCalls
from assistants_server.runs.writer import RunLog, RunLost
from assistants_server.schemas.messages import message_v2, message_v2_content, text_part
from assistants_server.schemas.run_steps import run_step_v2
from assistants_server.schemas.runs import run_v2
from assistants_server.tools import citations, file_search

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
    stop = _Stop()
    log = services.writer.open(run.id, run.event_count, stop)
    try:
        await _drive(services, log, run, messages)
    except asyncio.CancelledError:
        if not stop.requested:  # the server is stopping
            await _settle(log, run, "failed", finish.error("server_error", INTERRUPTED))
            raise
        _uncancel()
        await _cancelled(log, run)
    except RunLost:
        pass
    except LLMError as exc:
        await _settle(log, run, "failed", finish.error(ERROR_CODES[exc.kind], exc.message))
    except Exception:
        logger.exception("run %s failed", run.id)
        await _settle(log, run, "failed", finish.error("server_error", UNEXPECTED))
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
    run: RunRecord | None = claimed
    inputs: TurnInputs | None = None
    waited = False
    while True:
        inputs = await load_turn_inputs(services, claimed.id, run, inputs, messages)
        if inputs is None:
            return
        status = inputs.run.status
        if not waited and file_search.offered(inputs.run, inputs.tool_steps):
            waited = True
            wait = file_search.wait_for_files(services.sessionmaker, services.broker, inputs.run)
            status = await wait or "gone"
        if status == "cancelling":
            await _cancelled(log, inputs.run)
        if status != "in_progress":
            return
        if not await _Turn(services, log, inputs.run).play(inputs):
            return
        run, messages = None, None


async def _settle(
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


async def _cancelled(log: RunLog, run: RunRecord) -> None:
    """The run was asked to cancel: say so, then settle it, keeping what was written."""
    log.live(("thread.run.cancelling", {**run_v2(run), "status": "cancelling"}))
    await _settle(log, run, "cancelled")


@dataclass
class _Turn:
    """One turn: the model's reply streamed into the log, then the turn's end committed."""

    services: RunServices
    log: RunLog
    run: RunRecord  # as loaded at the start of the turn; changes reload it
    reply: finish.Reply | None = None
    text: list[str] = field(default_factory=list)  # as the model wrote it
    cited: citations.CitedText = field(default_factory=lambda: citations.CitedText([]))
    calls: TurnCalls | None = None
    replied: list[asyncio.Future[list[RunEvent]]] = field(default_factory=list)  # replies
    # closed before the turn's end

    async def play(self, inputs: TurnInputs) -> bool:
        """Play the turn; True if the run goes on with another turn at once."""
        request = await self._request(inputs)
        if request is None:
            return False
        backend, _ = self._backend()
        finished = await self._stream(backend.stream_chat(request))
        self._give(self.cited.end())
        usage = finished.usage or Usage(
            prompt_tokens=tokens.count_messages(request.messages),
            completion_tokens=tokens.count("".join(self.text))
            + sum(tokens.count(call.arguments) for call in self._calls().made),
        )
        return await self._conclude(finished.finish_reason, usage)

    def _backend(self) -> Any:
        resolved = self.services.backends.resolve(self.run.model)
        if resolved is None:
            raise LLMError("server", unroutable(self.services, self.run.model))
        return resolved

    async def _request(self, inputs: TurnInputs) -> ChatRequest | None:
        """The chat request of this turn; None if the run ended for its budgets."""
        run, (_, model) = self.run, self._backend()
        searching = file_search.offered(run, inputs.tool_steps)
        self.calls = TurnCalls(self.log, run, searching, self._end_reply)
        sources = file_search.calls_of(inputs.tool_steps)  # the run's searches so far
        self.cited = citations.CitedText(sources)
        budget = None
        if run.max_prompt_tokens is not None:
            budget = run.max_prompt_tokens - (run.usage or {}).get("prompt_tokens", 0)
        try:
            messages = prompt.build(run, inputs.messages, inputs.tool_steps, inputs.images, budget)
        except prompt.PromptTooLong:
            await _settle(self.log, run, "incomplete", None, {"reason": "max_prompt_tokens"})
            return None
        request = prompt.chat_request(
            run, model, messages, searching=searching, searched=bool(sources)
        )
        if request.max_tokens is not None and request.max_tokens <= 0:
            await _settle(self.log, run, "incomplete", None, {"reason": "max_completion_tokens"})
            return None
        return request

    async def _stream(self, events: Any) -> Finished:
        """Consume the model's stream: text into the log as it comes, tool calls gathered."""
        try:
            async for event in events:
                if isinstance(event, TextDelta):
                    if event.text:
                        self._say(event.text)
                elif isinstance(event, ToolCallDelta):
                    self._calls().take(event)
                elif isinstance(event, Finished):
                    return event
        finally:
            aclose = getattr(events, "aclose", None)
            if aclose is not None:
                await aclose()
        raise LLMError("server", "The model's stream ended before it finished.")

    def _say(self, piece: str) -> None:
        self.text.append(piece)
        self._give(self.cited.feed(piece))

    def _give(self, pieces: list[citations.Piece]) -> None:
        """Publish the reply's text that can no longer change; a cited marker goes out in one
        piece with its annotation (shown as v2 shows it, numbered in the message)."""
        for text, annotation in pieces:
            if self.reply is None:
                self._open_reply()
            assert self.reply is not None
            if annotation is None:
                self.log.text(self.reply.message_id, text)
                continue
            shown = message_v2_content([text_part(text, [annotation])])[0]["text"]
            numbered = {"index": len(self.cited.annotations) - 1, **shown["annotations"][0]}
            self.log.cite(self.reply.message_id, text, numbered)

    def _open_reply(self) -> None:
        """The turn's first text: its message and message_creation step, published at once
        and written with the text."""
        run, now = self.run, clock.now()
        message = MessageRecord(
            id=ids.new(ids.MESSAGE),
            tenant_id=run.tenant_id,
            thread_id=run.thread_id,
            created_at=now,
            role="assistant",
            status="in_progress",
            content=[text_part("")],
            attachments=[],
            assistant_id=run.assistant_id,
            run_id=run.id,
            metadata_={},
        )
        details = {"type": "message_creation", "message_creation": {"message_id": message.id}}
        step = finish.new_step(run, "message_creation", details)
        self.reply = finish.Reply(message.id, step.id)
        shown_step, shown_message = run_step_v2(step), message_v2(message)
        shown_message["content"] = []
        self.log.live(
            ("thread.run.step.created", shown_step),
            ("thread.run.step.in_progress", shown_step),
            ("thread.message.created", shown_message),
            ("thread.message.in_progress", shown_message),
            records=[message, step],
        )

    def _end_reply(self) -> None:
        """The model turned from text to tool calls: its message is complete, as OpenAI's
        was before the calls' step opened. Text after the calls would be a new message."""
        self._give(self.cited.end())
        reply, self.reply = self.reply, None
        cited, self.cited = self.cited, citations.CitedText(self.cited.calls)
        if reply is None:
            return

        async def change(session: AsyncSession) -> list[RunEvent]:
            with session.no_autoflush:
                run = await record_by_id(session, RunRecord, self.run.id)
                message, step = await self._reply_records(session, reply)
                if run is None or run.status != "in_progress" or not (message and step):
                    return []
                message.content = [text_part(cited.value, cited.annotations)]
                events = finish.close_reply(message, step)
            await session.flush()
            return events

        closing = self.log.submit(change)
        closing.add_done_callback(lambda done: done.cancelled() or done.exception())
        self.replied.append(closing)

    def _calls(self) -> TurnCalls:
        assert self.calls is not None
        return self.calls

    async def _conclude(self, finish_reason: str, usage: Usage) -> bool:
        """Commit the turn's end; True if the run goes on with another turn at once (the
        model searched, and there is nothing else to wait for)."""
        for closing in self.replied:
            await asyncio.shield(closing)
        turn_calls = self._calls()
        calls = turn_calls.made
        made: list[dict[str, Any]] = []  # as the step keeps them
        if finish_reason != "length":
            for call in calls:
                if not call.search:
                    made.append(_function_call(call))
                    continue
                made.append(
                    await file_search.search(
                        self.services.sessionmaker,
                        self.services.searcher,
                        self.run,
                        call.id,
                        call.arguments,
                    )
                )
        functions = any(call["type"] == "function" for call in made)
        goes_on = False

        async def change(session: AsyncSession) -> list[RunEvent]:
            nonlocal goes_on
            with session.no_autoflush:  # one flush at the end writes every change
                run = await record_by_id(session, RunRecord, self.run.id)
                if run is None or run.status not in ("in_progress", "cancelling"):
                    return []
                message, step = await self._reply_records(session)
                calls_step = None
                if turn_calls.step_id is not None:
                    calls_step = await record_by_id(session, RunStepRecord, turn_calls.step_id)
                self._close_text(message)
                events: list[RunEvent] = []
                run.usage = finish.usage_of(usage, run.usage)
                if step is not None and not calls:
                    step.usage = finish.usage_of(usage)
                steps = [s for s in (step, calls_step) if s is not None]
                opened = finish.Opened([message] if message else [], steps)
                if finish_reason == "length":  # the reply is left incomplete
                    reason = {"reason": "max_completion_tokens"}
                    return events + await finish.settle(
                        session, run, "incomplete", incomplete_details=reason, opened=opened
                    )
                if run.status == "in_progress" and made and calls_step is not None:
                    if message is not None and step is not None:
                        events += finish.close_reply(message, step)
                    if functions:
                        expiry = self.services.action_expiry_seconds
                        return events + finish.require_action(run, calls_step, made, usage, expiry)
                    goes_on = True
                    return events + finish.searched(run, calls_step, made, usage)
                status = "cancelled" if calls else "completed"
                return events + await finish.settle(session, run, status, opened=opened)

        await self.log.commit(change)
        return goes_on

    async def _reply_records(
        self, session: AsyncSession, reply: finish.Reply | None = None
    ) -> tuple[MessageRecord | None, RunStepRecord | None]:
        """The turn's message and message_creation step (`reply`, by default the open one),
        if the model wrote text and they are still open."""
        reply = reply or self.reply
        if reply is None:
            return None, None
        message = await record_by_id(session, MessageRecord, reply.message_id)
        step = await record_by_id(session, RunStepRecord, reply.step_id)
        if message is None or step is None or message.status != "in_progress":
            return None, None
        return message, step

    def _close_text(self, message: MessageRecord | None) -> None:
        """The reply's final text, written once: what was streamed, with the annotations of
        its citation markers (see tools/citations.py)."""
        if message is not None:
            message.content = [text_part(self.cited.value, self.cited.annotations)]


def _function_call(call: Call) -> dict[str, Any]:
    return {
        "id": call.id,
        "type": "function",
        "function": {"name": call.name, "arguments": call.arguments, "output": None},
    }
