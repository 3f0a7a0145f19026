"""The `function` tool: the app's own functions, answered by the client. A call stops the run
in `requires_action` until `submit_tool_outputs` gives its output."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from assistants_server.db.models import RunRecord, RunStepRecord
from assistants_server.tools.base import CallContext, ModelCall, Tool


class FunctionTool(Tool):
    type = "function"
    answered_by_client = True

    def offered(self, run: RunRecord, steps: Sequence[RunStepRecord]) -> dict[str, Any] | None:
        return None  # each function is its own chat tool: see `chat_tools`

    def forced(self, run: RunRecord, steps: Sequence[RunStepRecord]) -> bool:
        return True

    def opening(self, call: ModelCall) -> dict[str, Any]:
        function = {"name": call.name, "arguments": call.arguments, "output": None}
        return {"id": call.id, "type": "function", "function": function}

    def fragment(self, call: ModelCall, piece: str) -> dict[str, Any] | None:
        return {"type": "function", "function": {"arguments": piece}}

    async def execute(self, context: CallContext, call: ModelCall) -> dict[str, Any]:
        """Nothing to run here: the call as it waits for the client's output."""
        return self.opening(call)

    def chat_call(self, call: dict[str, Any]) -> dict[str, Any]:
        function = call["function"]
        return {
            "id": call["id"],
            "type": "function",
            "function": {"name": function["name"], "arguments": function["arguments"]},
        }

    def chat_output(self, call: dict[str, Any], ordinal: int) -> str:
        return str(call["function"]["output"] or "")

    def answered(self, call: dict[str, Any], outputs: dict[str, str]) -> dict[str, Any]:
        return {**call, "function": {**call["function"], "output": outputs.get(call["id"])}}


def chat_tools(run: RunRecord) -> list[dict[str, Any]]:
    """The run's functions as chat tools (options left unset are not sent)."""
    return [
        {
            "type": "function",
            "function": {k: v for k, v in tool["function"].items() if v is not None},
        }
        for tool in run.tools
        if tool["type"] == "function"
    ]
