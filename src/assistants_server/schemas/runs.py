"""Run requests per API version, and the record -> wire converters."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from assistants_server.db.models import RunRecord
from assistants_server.schemas._generated import v1, v2
from assistants_server.schemas.common import ApiVersion, Metadata, ToolV1, ToolV2, v1_tools
from assistants_server.schemas.messages import CreateMessageRequestV1, CreateMessageRequestV2
from assistants_server.schemas.threads import CreateThreadRequestV1, CreateThreadRequestV2

MAX_RUN_TOOLS = 20  # the spec's bound on a run's tool overrides

RunToolsV1 = Annotated[list[ToolV1], Field(max_length=MAX_RUN_TOOLS)]
RunToolsV2 = Annotated[list[ToolV2], Field(max_length=MAX_RUN_TOOLS)]


class CreateRunRequestV1(v1.CreateRunRequest):
    additional_messages: list[CreateMessageRequestV1] | None = None  # type: ignore[assignment]
    tools: RunToolsV1 | None = None  # type: ignore[assignment]
    metadata: Metadata = None


class CreateRunRequestV2(v2.CreateRunRequest):
    additional_messages: list[CreateMessageRequestV2] | None = None  # type: ignore[assignment]
    tools: RunToolsV2 | None = None  # type: ignore[assignment]
    metadata: Metadata = None  # type: ignore[assignment]


class CreateThreadAndRunRequestV1(v1.CreateThreadAndRunRequest):
    thread: CreateThreadRequestV1 | None = None
    tools: RunToolsV1 | None = None  # type: ignore[assignment]
    metadata: Metadata = None


class CreateThreadAndRunRequestV2(v2.CreateThreadAndRunRequest):
    thread: CreateThreadRequestV2 | None = None
    tools: RunToolsV2 | None = None  # type: ignore[assignment]
    metadata: Metadata = None  # type: ignore[assignment]


class ModifyRunRequestV1(v1.ModifyRunRequest):
    metadata: Metadata = None


class ModifyRunRequestV2(v1.ModifyRunRequest):  # v2 names no schema of its own: the same body
    metadata: Metadata = None


RunRequest = (
    CreateRunRequestV1
    | CreateRunRequestV2
    | CreateThreadAndRunRequestV1
    | CreateThreadAndRunRequestV2
)
ModifyRunRequest = ModifyRunRequestV1 | ModifyRunRequestV2
SubmitToolOutputsRequest = v1.SubmitToolOutputsRunRequest | v2.SubmitToolOutputsRunRequest


def _run_v2(record: RunRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "object": "thread.run",
        "created_at": record.created_at,
        "thread_id": record.thread_id,
        "assistant_id": record.assistant_id,
        "status": record.status,
        "required_action": record.required_action,
        "last_error": record.last_error,
        "expires_at": record.expires_at,
        "started_at": record.started_at,
        "cancelled_at": record.cancelled_at,
        "failed_at": record.failed_at,
        "completed_at": record.completed_at,
        "incomplete_details": record.incomplete_details,
        "model": record.model,
        "instructions": record.instructions,
        "tools": record.tools,
        "metadata": record.metadata_,
        "usage": record.usage,
        "temperature": record.temperature,
        "top_p": record.top_p,
        "max_prompt_tokens": record.max_prompt_tokens,
        "max_completion_tokens": record.max_completion_tokens,
        "truncation_strategy": record.truncation_strategy,
        "tool_choice": record.tool_choice,
        "parallel_tool_calls": record.parallel_tool_calls,
        "response_format": record.response_format,
    }


V1_FILE_IDS = "_v1_file_ids"  # a run's `file_ids`, kept beside its v2 form for v1 clients


def run_v2(record: RunRecord) -> dict[str, Any]:
    """The run as v2 shows it, with its v1 `file_ids` under `V1_FILE_IDS` when it has any
    (`v2_only` takes that out; stream events keep it until they are sent)."""
    data = _run_v2(record)
    if record.file_ids:
        data[V1_FILE_IDS] = record.file_ids
    return data


def v2_only(data: dict[str, Any]) -> dict[str, Any]:
    if V1_FILE_IDS not in data:
        return data
    return {key: value for key, value in data.items() if key != V1_FILE_IDS}


def run_v1(data: dict[str, Any]) -> dict[str, Any]:
    """A v2 run as v1 shows it: `retrieval` for `file_search`, `file_ids` (the assistant's when
    the run was made), no `parallel_tool_calls`."""
    hidden = ("parallel_tool_calls", V1_FILE_IDS)
    shown = {key: value for key, value in data.items() if key not in hidden}
    shown["tools"] = v1_tools(data["tools"])
    shown["file_ids"] = data.get(V1_FILE_IDS, [])
    return shown


def run_wire(record: RunRecord, version: ApiVersion) -> dict[str, Any]:
    data = run_v2(record)
    return run_v1(data) if version == "v1" else v2_only(data)
