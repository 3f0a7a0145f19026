"""Stream events as a client of either API version sees them.

Events are stored as sent to v2 clients; a v1 client gets each object through the same v1
converter its REST responses use.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from assistants_server.schemas.common import ApiVersion
from assistants_server.schemas.messages import message_v1
from assistants_server.schemas.run_steps import run_step_v1, step_details_v1
from assistants_server.schemas.runs import run_v1, v2_only
from assistants_server.schemas.threads import thread_v1


def _step_delta_v1(data: dict[str, Any]) -> dict[str, Any]:
    delta = data["delta"]
    if "step_details" not in delta:
        return data
    return {**data, "delta": {**delta, "step_details": step_details_v1(delta["step_details"])}}


_V1_BY_OBJECT: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "thread": thread_v1,
    "thread.run": run_v1,
    "thread.run.step": run_step_v1,
    "thread.run.step.delta": _step_delta_v1,
    "thread.message": message_v1,
}


def event_data(data: dict[str, Any], version: ApiVersion) -> dict[str, Any]:
    if version == "v2":
        return v2_only(data) if data.get("object") == "thread.run" else data
    convert = _V1_BY_OBJECT.get(data.get("object", ""))
    return convert(data) if convert else data
