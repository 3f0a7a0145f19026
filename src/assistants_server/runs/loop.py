"""One turn of a run: prompt the model, stream its reply into a step, a message and events, and
stop at the next resting status (completed, requires_action, incomplete, cancelled, failed).

No session is held across a model `await`: each write is its own short transaction.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from assistants_server import clock, ids
from assistants_server.db.models import MessageRecord, RunRecord, RunStepRecord
from assistants_server.db.session import reading
from assistants_server.llm.base import (
    ChatEvent,
    Finished,
    LLMError,
    TextDelta,
    ToolCallDelta,
    Usage,
)
from assistants_server.runs import prompt, states, tokens
from assistants_server.runs.context import RunServices, TurnInputs, load_turn_inputs, unroutable
from assistants_server.runs.events import emit
from assistants_server.runs.finish import error, settle
from assistants_server.schemas.messages import message_v2, message_v2_content, text_part
from assistants_server.schemas.run_steps import run_step_v2
from assistants_server.schemas.runs import run_v2
from assistants_server.tools import citations, file_search

logger = logging.getLogger(__name__)

FLUSH_SECONDS = 0.05  # after the first delta, text is written at most this often
CHECK_SECONDS = 0.25  # a silent stream still looks for a cancel this often
ERROR_CODES = {
    "rate_limit": "rate_limit_exceeded",
    "invalid_request": "invalid_prompt",
    "server": "server_error",
}
UNEXPECTED = "The run failed on the server because of an unexpected error; see the server log."


async def execute(services: RunServices, run_id: str, run: RunRecord | None = None) -> None:
    """Play the turns of an `in_progress` run the caller has claimed (`run`: its state as the
    claim committed it, if the caller has it) until it rests: turns that end in a server-side
    tool call (file_search) are followed by the next turn at once."""
    try:
        waited = False
        while True:
            inputs = await load_turn_inputs(services, run_id, run)
            if inputs is None:
                return
            if not waited and file_search.offered(inputs.run, inputs.tool_steps):
                waited = True
                status = await file_search.wait_for_files(
                    services.sessionmaker, services.broker, inputs.run
                )
                if status == "cancelling":
                    await settle_by_id(services, run_id, "cancelled")
                if status != "in_progress":
                    return
            if not await _Turn(services, inputs.run).play(inputs):
                return
            run = None
    except LLMError as exc:
        await settle_by_id(services, run_id, "failed", error(ERROR_CODES[exc.kind], exc.message))
    except Exception:
        logger.exception("run %s failed", run_id)
        await settle_by_id(services, run_id, "failed", error("server_error", UNEXPECTED))


async def settle_by_id(
    services: RunServices,
    run_id: str,
    status: str,
    last_error: dict[str, Any] | None = None,
    incomplete_details: dict[str, Any] | None = None,
) -> None:
    """End the run unless something else (a cancel, a recovery) already did."""
    async with services.sessionmaker.begin() as session:
        run = await session.get(RunRecord, run_id, with_for_update=True)
        if run is None or not states.can_move(run.status, status):
            return
        await settle(
            session,
            services.broker,
            run,
            status,
            last_error=last_error,
            incomplete_details=incomplete_details,
        )


def add_usage(total: dict[str, int] | None, usage: Usage) -> dict[str, int]:
    prompt_tokens = (total or {}).get("prompt_tokens", 0) + usage.prompt_tokens
    completion_tokens = (total or {}).get("completion_tokens", 0) + usage.completion_tokens
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
    }


def _usage_dict(usage: Usage) -> dict[str, int]:
    return add_usage(None, usage)


@dataclass
class _ToolCall:
    id: str = ""
    name: str = ""
    arguments: str = ""


@dataclass
class _Turn:
    services: RunServices
    run: RunRecord  # as loaded at the start of the turn; writes reload it
    message_id: str | None = None
    step_id: str | None = None
    text: list[str] = field(default_factory=list)
    unsent: list[str] = field(default_factory=list)
    calls: dict[int, _ToolCall] = field(default_factory=dict)
    _opened: MessageRecord | None = None  # the message, until its first write
    last_write: float = 0.0
    searching: bool = False  # file_search is offered this turn
    sources: list[dict[str, Any]] = field(default_factory=list)  # the run's searches so far

    async def play(self, inputs: TurnInputs) -> bool:
        """Play the turn; True if the run goes on with another turn at once."""
        run = self.run
        self.searching = file_search.offered(run, inputs.tool_steps)
        self.sources = file_search.calls_of(inputs.tool_steps)
        resolved = self.services.backends.resolve(run.model)
        if resolved is None:
            raise LLMError("server", unroutable(self.services, run.model))
        backend, model = resolved
        budget = None
        if run.max_prompt_tokens is not None:
            budget = run.max_prompt_tokens - (run.usage or {}).get("prompt_tokens", 0)
        try:
            messages = prompt.build(run, inputs.messages, inputs.tool_steps, inputs.images, budget)
        except prompt.PromptTooLong:
            await settle_by_id(
                self.services, run.id, "incomplete", None, {"reason": "max_prompt_tokens"}
            )
            return False
        request = prompt.chat_request(
            run, model, messages, searching=self.searching, searched=bool(self.sources)
        )
        if request.max_tokens is not None and request.max_tokens <= 0:
            await settle_by_id(
                self.services, run.id, "incomplete", None, {"reason": "max_completion_tokens"}
            )
            return False
        finished = await self._stream(backend.stream_chat(request))
        if finished is None:
            await self._end_cancelled()
            return False
        usage = finished.usage or Usage(
            prompt_tokens=tokens.count_messages(messages),
            completion_tokens=tokens.count("".join(self.text))
            + sum(tokens.count(call.arguments) for call in self.calls.values()),
        )
        return await self._conclude(finished.finish_reason, usage)

    async def _stream(self, events: AsyncIterator[ChatEvent]) -> Finished | None:
        """Consume the model's stream, writing text as it comes; None if the run was cancelled."""
        pending: asyncio.Future[ChatEvent | None] | None = None
        try:
            while True:
                if pending is None:
                    pending = asyncio.ensure_future(anext(events, None))
                wait = FLUSH_SECONDS if self.unsent else CHECK_SECONDS
                done, _ = await asyncio.wait({pending}, timeout=wait)
                if not done:
                    if await self._write() == "cancelling":
                        return None
                    continue
                event, pending = pending.result(), None
                if event is None:
                    raise LLMError("server", "The model's stream ended before it finished.")
                if isinstance(event, Finished):
                    return event
                if isinstance(event, TextDelta) and event.text:
                    self.text.append(event.text)
                    self.unsent.append(event.text)
                elif isinstance(event, ToolCallDelta):
                    call = self.calls.setdefault(event.index, _ToolCall())
                    call.id = event.id or call.id
                    call.name = event.name or call.name
                    call.arguments += event.arguments
                due = self.message_id is None and self.unsent
                if (due or time.monotonic() - self.last_write >= FLUSH_SECONDS) and (
                    await self._write() == "cancelling"
                ):
                    return None
        finally:
            if pending is not None and not pending.done():
                pending.cancel()
                with contextlib.suppress(BaseException):
                    await pending
            aclose = getattr(events, "aclose", None)
            if aclose is not None:
                await aclose()

    def _drain(self, session: AsyncSession) -> list[tuple[str, dict[str, Any]]]:
        """Events for text not yet written: the step and message first, when this is the first."""
        if not self.unsent:
            return []
        events: list[tuple[str, dict[str, Any]]] = []
        if self.message_id is None:
            step, message = self._new_message(session)
            step_data, message_data = run_step_v2(step), message_v2(message)
            events += [
                ("thread.run.step.created", step_data),
                ("thread.run.step.in_progress", step_data),
                ("thread.message.created", message_data),
                ("thread.message.in_progress", message_data),
            ]
        delta = {"index": 0, "type": "text", "text": {"value": "".join(self.unsent)}}
        self.unsent.clear()
        data = {
            "id": self.message_id,
            "object": "thread.message.delta",
            "delta": {"content": [delta]},
        }
        events.append(("thread.message.delta", data))
        return events

    def _new_message(self, session: AsyncSession) -> tuple[RunStepRecord, MessageRecord]:
        run, now = self.run, clock.now()
        self.message_id, self.step_id = ids.new(ids.MESSAGE), ids.new(ids.STEP)
        message = MessageRecord(
            id=self.message_id,
            tenant_id=run.tenant_id,
            thread_id=run.thread_id,
            created_at=now,
            role="assistant",
            status="in_progress",
            content=[],
            attachments=[],
            assistant_id=run.assistant_id,
            run_id=run.id,
            metadata_={},
        )
        step = self._new_step(
            self.step_id,
            "message_creation",
            {"type": "message_creation", "message_creation": {"message_id": self.message_id}},
        )
        session.add_all([message, step])
        self._opened = message
        return step, message

    def _new_step(self, step_id: str, kind: str, details: dict[str, Any]) -> RunStepRecord:
        run = self.run
        return RunStepRecord(
            id=step_id,
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

    async def _write(self) -> str | None:
        """Write pending text; return the run's status, so a cancel is seen promptly."""
        self.last_write = time.monotonic()
        if not self.unsent:
            async with reading(self.services.sessionmaker) as session:
                statement = select(RunRecord.status).where(RunRecord.id == self.run.id)
                return await session.scalar(statement)
        async with self.services.sessionmaker.begin() as session:
            events = await self._save_text(session)
            return await emit(session, self.services.broker, self.run.id, *events)

    async def _save_text(
        self, session: AsyncSession, *, final: bool = False
    ) -> list[tuple[str, dict[str, Any]]]:
        """Events for the text not yet sent, and the message's content brought up to date, so
        pollers see the reply grow and an interrupted run keeps what was said. The `final`
        text has its citation markers turned into annotations (see tools/citations.py)."""
        events = self._drain(session)
        if self.message_id is None:
            return events
        value = "".join(self.text)
        annotations: list[dict[str, Any]] = []
        if final:
            value, annotations = citations.annotate(value, self.sources)
        content = [text_part(value, annotations)]
        if annotations:  # streamed too, so a client's snapshot of the message has them
            events.append(("thread.message.delta", self._annotations_delta(content)))
        if self._opened is not None:  # new in this session: inserted with its text
            self._opened.content, self._opened = content, None
        else:
            saved = update(MessageRecord).where(MessageRecord.id == self.message_id)
            await session.execute(saved.values(content=content))
        await session.flush()
        return events

    def _annotations_delta(self, content: list[dict[str, Any]]) -> dict[str, Any]:
        shown = message_v2_content(content)[0]["text"]["annotations"]
        indexed = [{"index": index, **annotation} for index, annotation in enumerate(shown)]
        delta = {"index": 0, "type": "text", "text": {"annotations": indexed}}
        return {
            "id": self.message_id,
            "object": "thread.message.delta",
            "delta": {"content": [delta]},
        }

    async def _end_cancelled(self) -> None:
        async with self.services.sessionmaker.begin() as session:
            run = await session.get(RunRecord, self.run.id, with_for_update=True)
            if run is None or not states.can_move(run.status, "cancelled"):
                return
            await emit(session, self.services.broker, run.id, *await self._save_text(session))
            await settle(session, self.services.broker, run, "cancelled")

    async def _conclude(self, finish_reason: str, usage: Usage) -> bool:
        """Write the turn's end; True if the run goes on with another turn at once (the model
        searched, and there is nothing else to wait for)."""
        calls = [call for _, call in sorted(self.calls.items()) if call.name]
        if calls and not self.run.parallel_tool_calls:
            calls = calls[:1]
        searches = [c for c in calls if self.searching and c.name == file_search.NAME]
        functions = [call for call in calls if call not in searches]
        found = []
        if finish_reason != "length":
            for call in searches:
                call_id = call.id or f"call_{ids.new('')}"
                found.append(
                    await file_search.search(
                        self.services.sessionmaker,
                        self.services.searcher,
                        self.run,
                        call_id,
                        call.arguments,
                    )
                )
        async with self.services.sessionmaker.begin() as session:
            run = await session.get(RunRecord, self.run.id, with_for_update=True)
            if run is None or run.status not in ("in_progress", "cancelling"):
                return False
            events = await self._save_text(session, final=True)
            run.usage = add_usage(run.usage, usage)
            if self.step_id is not None and not calls:
                step = await session.get(RunStepRecord, self.step_id)
                assert step is not None
                step.usage = _usage_dict(usage)
            if events:
                await emit(session, self.services.broker, run.id, *events)
            if finish_reason == "length":
                await settle(
                    session,
                    self.services.broker,
                    run,
                    "incomplete",
                    incomplete_details={"reason": "max_completion_tokens"},
                )
            elif functions and run.status == "in_progress":
                await self._require_action(session, run, functions, usage, found)
            elif found and run.status == "in_progress":
                await self._searched(session, run, found, usage)
                return True
            else:
                status = "cancelled" if calls else "completed"
                await settle(session, self.services.broker, run, status)
        return False

    async def _close_reply(self, session: AsyncSession) -> list[tuple[str, dict[str, Any]]]:
        """Complete the turn's message and its step, if the model wrote text."""
        if self.message_id is None:
            return []
        now = clock.now()
        message = await session.get(MessageRecord, self.message_id)
        step = await session.get(RunStepRecord, self.step_id)
        assert message is not None
        assert step is not None
        if message.status != "in_progress":
            return []
        message.status, message.completed_at = "completed", now
        step.status, step.completed_at = "completed", now
        return [
            ("thread.message.completed", message_v2(message)),
            ("thread.run.step.completed", run_step_v2(step)),
        ]

    async def _searched(
        self,
        session: AsyncSession,
        run: RunRecord,
        calls: list[dict[str, Any]],
        usage: Usage | None,
    ) -> None:
        """Record the turn's file_search calls, with their results, as a completed step."""
        events = await self._close_reply(session)
        step = self._new_step(
            ids.new(ids.STEP), "tool_calls", {"type": "tool_calls", "tool_calls": calls}
        )
        step.usage = _usage_dict(usage) if usage is not None else None
        step.status, step.completed_at = "completed", clock.now()
        session.add(step)
        content = run.include_search_content
        shown = run_step_v2(step, content)
        opened = {**shown, "status": "in_progress", "completed_at": None}
        opened["step_details"] = {"type": "tool_calls", "tool_calls": []}
        started = [
            {"index": i, "id": call["id"], "type": file_search.NAME, file_search.NAME: {}}
            for i, call in enumerate(calls)
        ]
        delta = {
            "id": step.id,
            "object": "thread.run.step.delta",
            "delta": {"step_details": {"type": "tool_calls", "tool_calls": started}},
        }
        events += [
            ("thread.run.step.created", opened),
            ("thread.run.step.in_progress", opened),
            ("thread.run.step.delta", delta),
            ("thread.run.step.completed", shown),
        ]
        await session.flush()
        await emit(session, self.services.broker, run.id, *events)

    async def _require_action(
        self,
        session: AsyncSession,
        run: RunRecord,
        calls: list[_ToolCall],
        usage: Usage,
        searched: list[dict[str, Any]],
    ) -> None:
        """Close the reply (if any), open a `tool_calls` step, and wait for the outputs. The
        turn's file_search calls (`searched`, done already) share the step, so the turn is
        one assistant message when the model is prompted again."""
        now = clock.now()
        events = await self._close_reply(session)
        functions: list[dict[str, Any]] = [
            {
                "id": call.id or f"call_{ids.new('')}",
                "type": "function",
                "function": {"name": call.name, "arguments": call.arguments, "output": None},
            }
            for call in calls
        ]
        details = {"type": "tool_calls", "tool_calls": [*searched, *functions]}
        step = self._new_step(ids.new(ids.STEP), "tool_calls", details)
        step.usage = _usage_dict(usage)
        session.add(step)
        shown = run_step_v2(step, run.include_search_content)
        created = {**shown, "step_details": {"type": "tool_calls", "tool_calls": []}}
        shown_calls = shown["step_details"]["tool_calls"]
        delta = {
            "id": step.id,
            "object": "thread.run.step.delta",
            "delta": {
                "step_details": {
                    "type": "tool_calls",
                    "tool_calls": [{"index": i, **call} for i, call in enumerate(shown_calls)],
                }
            },
        }
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
        run.expires_at = now + self.services.action_expiry_seconds
        event = states.move(run, "requires_action", now)
        events += [
            ("thread.run.step.created", created),
            ("thread.run.step.in_progress", created),
            ("thread.run.step.delta", delta),
            (event, run_v2(run)),
        ]
        await session.flush()
        await emit(session, self.services.broker, run.id, *events)
