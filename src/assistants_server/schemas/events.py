"""Stream events as a client of either API version sees them.

Events are stored as sent to v2 clients; a v1 client gets each object through the same v1
converter its REST responses use.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from pydantic import TypeAdapter

from assistants_server.schemas._generated import v2
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


# How a run's event stream is described in the server's OpenAPI document: each frame's `data`
# is JSON of the schema its `event` names (the spec's AssistantStreamEvent, published as
# components), and its `id` is where `Last-Event-ID` resumes.
_COMPONENT = "#/components/schemas/{model}"
EVENT_STREAM_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The run's events as server-sent events, ending with `done`.",
        "content": {
            "text/event-stream": {"itemSchema": {"$ref": _COMPONENT.format(model="RunEventFrame")}}
        },
    }
}


def _leaves(schema: dict[str, Any], components: dict[str, Any]) -> list[dict[str, Any]]:
    """The `{event, data}` variants of a (nested) union of stream events."""
    if "$ref" in schema:
        return _leaves(components[schema["$ref"].rsplit("/", 1)[1]], components)
    if "anyOf" in schema or "oneOf" in schema:
        variants = schema.get("anyOf") or schema["oneOf"]
        return [leaf for variant in variants for leaf in _leaves(variant, components)]
    return [schema]


def _frame(leaf: dict[str, Any]) -> dict[str, Any]:
    event, data = leaf["properties"]["event"], leaf["properties"]["data"]
    content = (
        {"const": data["const"]}
        if "const" in data
        else {"contentMediaType": "application/json", "contentSchema": data}
    )
    return {
        "type": "object",
        "required": ["event", "data"],
        "properties": {
            "id": {"type": "string", "description": "Resume after this event with it."},
            "event": {"const": event["const"]},
            "data": {"type": "string", **content},
        },
    }


@functools.cache
def stream_components() -> dict[str, Any]:
    """OpenAPI components: AssistantStreamEvent and every schema it refers to (the run, step,
    message and delta objects), and RunEventFrame, one frame of a stream."""
    schema = TypeAdapter(v2.AssistantStreamEvent).json_schema(
        ref_template=_COMPONENT, mode="serialization"
    )
    components: dict[str, Any] = {**schema.pop("$defs"), "AssistantStreamEvent": schema}
    frames = [_frame(leaf) for leaf in _leaves(schema, components)]
    components["RunEventFrame"] = {
        "description": "One server-sent event of a run's stream.",
        "oneOf": frames,
    }
    return components
