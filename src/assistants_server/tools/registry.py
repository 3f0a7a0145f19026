"""Every tool type, by the `type` of the API's tool objects."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from assistants_server.db.models import RunRecord, RunStepRecord
from assistants_server.tools.base import Tool
from assistants_server.tools.file_search import FileSearchTool
from assistants_server.tools.function import FunctionTool, chat_tools

FUNCTION = FunctionTool()
TOOLS: dict[str, Tool] = {tool.type: tool for tool in (FUNCTION, FileSearchTool())}


def tool(type_: str) -> Tool:
    return TOOLS[type_]


def of_run(run: RunRecord) -> list[Tool]:
    """The tools the run has (each type once), in the order it names them."""
    types = dict.fromkeys(spec["type"] for spec in run.tools if spec["type"] in TOOLS)
    return [TOOLS[type_] for type_ in types]


def offered(run: RunRecord, steps: Sequence[RunStepRecord]) -> dict[str, Tool]:
    """The built-in tools offered to the model this turn, by the function name it calls."""
    return {
        chat["function"]["name"]: tool
        for tool in of_run(run)
        if (chat := tool.offered(run, steps)) is not None
    }


def chat_tools_of(run: RunRecord, steps: Sequence[RunStepRecord]) -> list[dict[str, Any]]:
    """The chat request's `tools` this turn: the run's functions and offered built-ins."""
    built_in = [chat for tool in of_run(run) if (chat := tool.offered(run, steps)) is not None]
    return [*chat_tools(run), *built_in]


def shown(call: dict[str, Any], search_content: bool = False) -> dict[str, Any]:
    known = TOOLS.get(call.get("type", ""))
    return known.shown(call, search_content) if known is not None else call


def shown_v1(call: dict[str, Any]) -> dict[str, Any]:
    known = TOOLS.get(call.get("type", ""))
    return known.shown_v1(call) if known is not None else call
