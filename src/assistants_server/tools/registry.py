"""Every tool type, by the `type` of the API's tool objects."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from assistants_server.db.models import RunRecord, RunStepRecord
from assistants_server.tools.base import Tool
from assistants_server.tools.code_interpreter import CodeInterpreterTool
from assistants_server.tools.file_search import FileSearchTool
from assistants_server.tools.function import FunctionTool

FUNCTION = FunctionTool()
TOOLS: dict[str, Tool] = {
    tool.type: tool for tool in (FUNCTION, FileSearchTool(), CodeInterpreterTool())
}


def tool(type_: str) -> Tool:
    return TOOLS[type_]


def of_run(run: RunRecord) -> list[Tool]:
    """The tools the run has (each type once), in the order it names them."""
    types = dict.fromkeys(spec["type"] for spec in run.tools if spec["type"] in TOOLS)
    return [TOOLS[type_] for type_ in types]


@dataclass(frozen=True)
class Offer:
    """A built-in tool offered this turn, and the chat tool the model sees for it."""

    tool: Tool
    chat: dict[str, Any]


def offered(run: RunRecord, steps: Sequence[RunStepRecord]) -> dict[str, Offer]:
    """The built-in tools offered to the model this turn, by the function name it calls."""
    return {
        chat["function"]["name"]: Offer(tool, chat)
        for tool in of_run(run)
        if (chat := tool.offered(run, steps)) is not None
    }


def shown(call: dict[str, Any], include: frozenset[str] = frozenset()) -> dict[str, Any]:
    known = TOOLS.get(call.get("type", ""))
    return known.shown(call, include) if known is not None else call


def shown_v1(call: dict[str, Any]) -> dict[str, Any]:
    known = TOOLS.get(call.get("type", ""))
    return known.shown_v1(call) if known is not None else call


def _calls(steps: Sequence[RunStepRecord]) -> list[dict[str, Any]]:
    return [
        call
        for step in steps
        if step.status == "completed"
        for call in step.step_details.get("tool_calls", ())
        if call.get("type") in TOOLS
    ]


def cited_calls(steps: Sequence[RunStepRecord]) -> list[dict[str, Any]]:
    """The run's calls whose results citation markers name, in order (file_search's)."""
    return [call for call in _calls(steps) if TOOLS[call["type"]].cited]


def linked_files(steps: Sequence[RunStepRecord]) -> dict[str, str]:
    """What a reply may link to (`sandbox:/mnt/data/NAME`), with the files' ids."""
    links: dict[str, str] = {}
    for call in _calls(steps):
        links.update(TOOLS[call["type"]].linked_files(call))
    return links


def message_parts(steps: Sequence[RunStepRecord], after: str | None) -> list[dict[str, Any]]:
    """Content parts the calls made after the run's reply `after` (any, if None) add to the
    next reply (code's images). Ids end in a time-ordered suffix."""
    since = after.rsplit("_", 1)[-1] if after else ""
    return [
        part
        for step in steps
        if step.status == "completed" and step.id.rsplit("_", 1)[-1] > since
        for call in step.step_details.get("tool_calls", ())
        if call.get("type") in TOOLS
        for part in TOOLS[call["type"]].message_parts(call)
    ]
