"""A turn's tool calls: streamed as the model writes them, as OpenAI streamed them, then run.

The first piece of a call opens the turn's `tool_calls` step (`thread.run.step.created`,
`.in_progress`); each call then appears in a `thread.run.step.delta` with its index in the
step, id and type (`Tool.opening`), and its arguments follow in fragments as they come, where
the tool shows them (a function's `arguments`, code_interpreter's `input`). Once the model is
done, `execute` runs the calls the server answers, in order; their tools may publish more
deltas (outputs) as they go.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from assistants_server import ids, metrics, tracing
from assistants_server.db.models import RunRecord
from assistants_server.llm.base import ToolCallDelta
from assistants_server.runs import finish
from assistants_server.runs.writer import RunLog
from assistants_server.schemas.run_steps import run_step_v2
from assistants_server.tools import registry
from assistants_server.tools.base import CallContext, ModelCall, Tool
from assistants_server.tools.registry import Offer

STEP_DELTA = "thread.run.step.delta"


@dataclass
class Call:
    id: str = ""
    name: str = ""
    arguments: str = ""
    tool: Tool = registry.FUNCTION
    shown: bool = False  # published in the step; its index there is its place in `TurnCalls.made`

    def model_call(self) -> ModelCall:
        return ModelCall(self.id, self.name, self.arguments)


@dataclass
class TurnCalls:
    log: RunLog
    run: RunRecord
    offered: dict[str, Offer]  # the built-ins offered this turn, by function name
    before_step: Callable[[], None]  # called as the step opens (the turn's text is over)
    step_id: str | None = None  # the turn's tool_calls step, once opened
    made: list[Call] = field(default_factory=list)  # in the step's order (with parallel
    # tool calls off, the first call only)
    _by_index: dict[int, Call] = field(default_factory=dict)

    def take(self, delta: ToolCallDelta) -> None:
        call = self._by_index.setdefault(delta.index, Call())
        call.id = delta.id or call.id
        call.name = delta.name or call.name
        call.arguments += delta.arguments
        if call.shown:
            if delta.arguments:
                fragment = call.tool.fragment(call.model_call(), delta.arguments)
                if fragment is not None:
                    self._delta(call, fragment)
        elif call.name and (self.run.parallel_tool_calls or not self.made):
            self._show(call)

    async def execute(self, services: Any) -> list[dict[str, Any]]:
        """Execute the calls (a client-answered call is left waiting); each as its step
        keeps it, in the step's order."""
        done: list[dict[str, Any]] = []
        for call in self.made:
            context = CallContext(
                run=self.run,
                services=services,
                emit=lambda fragment, call=call: self._delta(call, fragment),  # type: ignore[misc]
            )
            started, outcome = time.perf_counter(), "error"
            try:
                with tracing.span("tool call", tool=call.tool.type, call_id=call.id):
                    done.append(await call.tool.execute(context, call.model_call()))
                outcome = "waiting" if call.tool.answered_by_client else "completed"
            finally:
                metrics.TOOL_CALLS.labels(call.tool.type, outcome).inc()
                if not call.tool.answered_by_client:
                    elapsed = time.perf_counter() - started
                    metrics.TOOL_SECONDS.labels(call.tool.type).observe(elapsed)
        return done

    def _show(self, call: Call) -> None:
        if self.step_id is None:
            self.before_step()
            step = finish.new_step(self.run, "tool_calls", {"type": "tool_calls", "tool_calls": []})
            self.step_id = step.id
            shown = run_step_v2(step)
            self.log.live(
                ("thread.run.step.created", shown),
                ("thread.run.step.in_progress", shown),
                records=[step],
            )
        call.id = call.id or f"call_{ids.new('')}"
        offer = self.offered.get(call.name)
        call.tool = offer.tool if offer is not None else registry.FUNCTION
        call.shown = True
        self.made.append(call)
        self._delta(call, call.tool.opening(call.model_call()))

    def _delta(self, call: Call, fragment: dict[str, Any]) -> None:
        indexed = {"index": self.made.index(call), **fragment}
        delta = {"step_details": {"type": "tool_calls", "tool_calls": [indexed]}}
        self.log.live((STEP_DELTA, {"id": self.step_id, "object": STEP_DELTA, "delta": delta}))
