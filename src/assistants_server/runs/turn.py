"""One turn of a run: the chat request built, the model's stream consumed (text into the
reply, calls into the turn's tool_calls step), the calls the server answers run, and the
turn's end committed."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from assistants_server import metrics, tracing
from assistants_server.db.models import RunRecord
from assistants_server.llm.base import (
    ChatRequest,
    Finished,
    LLMError,
    TextDelta,
    ToolCallDelta,
    Usage,
)
from assistants_server.runs import conclude, prompt, tokens
from assistants_server.runs.context import RunServices, TurnInputs, unroutable
from assistants_server.runs.reply import ReplyText
from assistants_server.runs.tool_calls import TurnCalls
from assistants_server.runs.writer import RunLog
from assistants_server.tools import citations, registry


@dataclass
class Turn:
    services: RunServices
    log: RunLog
    run: RunRecord  # as loaded at the start of the turn; changes reload it

    async def play(self, inputs: TurnInputs) -> bool:
        """Play the turn; True if the run goes on with another turn at once."""
        with tracing.span("model turn", model=self.run.model) as current:
            return await self._play(inputs, current)

    async def _play(self, inputs: TurnInputs, current: Any) -> bool:
        steps = inputs.tool_steps
        cited = citations.CitedText(registry.cited_calls(steps), registry.linked_files(steps))
        own = [m.id for m in inputs.messages if m.run_id == self.run.id and m.role == "assistant"]
        parts = registry.message_parts(steps, after=own[-1] if own else None)
        reply = ReplyText(self.log, self.run, cited, parts)
        offered = registry.offered(self.run, steps)
        calls = TurnCalls(self.log, self.run, offered, reply.close_early)
        backend, model = self._backend()
        request = await self._request(inputs, model, offered)
        if request is None:
            return False
        timing = _Timing(self.run.model, backend.name)
        finished = await _consume(backend.stream_chat(request), reply, calls, timing)
        reply.end()
        usage = finished.usage or Usage(
            prompt_tokens=tokens.count_messages(request.messages),
            completion_tokens=tokens.count("".join(reply.written))
            + sum(tokens.count(call.arguments) for call in calls.made),
        )
        timing.done(usage)
        tracing.set_attributes(
            current,
            backend=backend.name,
            prompt_tokens=usage.prompt_tokens,
            completion_tokens=usage.completion_tokens,
            time_to_first_token=timing.first_token,
        )
        await reply.closed()
        made = await calls.execute(self.services) if finished.finish_reason != "length" else []
        end = conclude.TurnEnd(
            run_id=self.run.id,
            reply=reply,
            step_id=calls.step_id,
            calls=made,
            finish_reason=finished.finish_reason,
            usage=usage,
            expiry_seconds=self.services.action_expiry_seconds,
        )
        await self.log.commit(end)
        return end.goes_on

    def _backend(self) -> Any:
        resolved = self.services.backends.resolve(self.run.model)
        if resolved is None:
            raise LLMError("server", unroutable(self.services, self.run.model))
        return resolved

    async def _request(
        self, inputs: TurnInputs, model: str, offered: dict[str, registry.Offer]
    ) -> ChatRequest | None:
        """The chat request of this turn, to `model` as its backend names it; None if the
        run ended for its budgets."""
        run = self.run
        budget = None
        if run.max_prompt_tokens is not None:
            budget = run.max_prompt_tokens - (run.usage or {}).get("prompt_tokens", 0)
        try:
            messages = prompt.build(run, inputs.messages, inputs.tool_steps, inputs.images, budget)
        except prompt.PromptTooLong:
            await conclude.settle(
                self.log, run, "incomplete", None, {"reason": "max_prompt_tokens"}
            )
            return None
        request = prompt.chat_request(run, model, messages, inputs.tool_steps, offered)
        if request.max_tokens is not None and request.max_tokens <= 0:
            reason = {"reason": "max_completion_tokens"}
            await conclude.settle(self.log, run, "incomplete", None, reason)
            return None
        return request


@dataclass
class _Timing:
    """A turn's time to first token and length, and its tokens, for the metrics."""

    model: str
    backend: str
    started: float = field(default_factory=time.perf_counter)
    first_token: float | None = None  # seconds

    def token(self) -> None:
        if self.first_token is None:
            self.first_token = time.perf_counter() - self.started
            metrics.FIRST_TOKEN_SECONDS.labels(self.model, self.backend).observe(self.first_token)

    def done(self, usage: Usage) -> None:
        elapsed = time.perf_counter() - self.started
        metrics.TURN_SECONDS.labels(self.model, self.backend).observe(elapsed)
        metrics.TOKENS.labels(self.model, "prompt").inc(usage.prompt_tokens)
        metrics.TOKENS.labels(self.model, "completion").inc(usage.completion_tokens)


async def _consume(events: Any, reply: ReplyText, calls: TurnCalls, timing: _Timing) -> Finished:
    """The model's stream: text into the reply as it comes, tool calls into the step."""
    try:
        async for event in events:
            if isinstance(event, (TextDelta, ToolCallDelta)):
                timing.token()
            if isinstance(event, TextDelta):
                if event.text:
                    reply.feed(event.text)
            elif isinstance(event, ToolCallDelta):
                calls.take(event)
            elif isinstance(event, Finished):
                return event
    finally:
        aclose = getattr(events, "aclose", None)
        if aclose is not None:
            await aclose()
    raise LLMError("server", "The model's stream ended before it finished.")
