"""A turn's tool calls as the model writes them, streamed as OpenAI streamed them.

The first piece of a call opens the turn's `tool_calls` step (`thread.run.step.created`,
`.in_progress`); each call then appears in a `thread.run.step.delta` with its index in the
step, id and name, and a function call's arguments follow in fragments as they come. A
file_search call shows as `{"type": "file_search", "file_search": {}}`: the server runs it,
and its query and results come with the step's completion.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from assistants_server import ids
from assistants_server.db.models import RunRecord
from assistants_server.llm.base import ToolCallDelta
from assistants_server.runs import finish
from assistants_server.runs.writer import RunLog
from assistants_server.schemas.run_steps import run_step_v2
from assistants_server.tools import file_search

STEP_DELTA = "thread.run.step.delta"


@dataclass
class Call:
    id: str = ""
    name: str = ""
    arguments: str = ""
    search: bool = False  # a file_search call, run by the server
    shown: bool = False  # published in the step; its index there is its place in `TurnCalls.made`


@dataclass
class TurnCalls:
    log: RunLog
    run: RunRecord
    searching: bool  # file_search is offered this turn
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
            if delta.arguments and not call.search:
                self._delta(call, {"type": "function", "function": {"arguments": delta.arguments}})
        elif call.name and (self.run.parallel_tool_calls or not self.made):
            self._show(call)

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
        call.search = self.searching and call.name == file_search.NAME
        call.shown = True
        self.made.append(call)
        if call.search:
            fragment: dict[str, Any] = {"type": "file_search", "file_search": {}}
        else:
            function = {"name": call.name, "arguments": call.arguments, "output": None}
            fragment = {"type": "function", "function": function}
        self._delta(call, {"id": call.id, **fragment})

    def _delta(self, call: Call, fragment: dict[str, Any]) -> None:
        indexed = {"index": self.made.index(call), **fragment}
        delta = {"step_details": {"type": "tool_calls", "tool_calls": [indexed]}}
        self.log.live((STEP_DELTA, {"id": self.step_id, "object": STEP_DELTA, "delta": delta}))
