"""Assistant requests per API version, and the record -> wire converters."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from assistants_server.db.models import AssistantRecord
from assistants_server.schemas._generated import v1, v2
from assistants_server.schemas.common import ApiVersion, Metadata, ToolsV1, ToolsV2, v1_tools

# The generated request models, narrowed by what the spec states only in prose (see
# schemas/common.py); the overrides are subtypes in intent, hence the ignores.


class CreateAssistantRequestV1(v1.CreateAssistantRequest):
    tools: ToolsV1 = Field(default_factory=list)  # type: ignore[assignment]
    metadata: Metadata = None


class ModifyAssistantRequestV1(v1.ModifyAssistantRequest):
    tools: ToolsV1 = Field(default_factory=list)  # type: ignore[assignment]
    metadata: Metadata = None


class CreateAssistantRequestV2(v2.CreateAssistantRequest):
    tools: ToolsV2 = Field(default_factory=list)  # type: ignore[assignment]
    metadata: Metadata = None  # type: ignore[assignment]


class ModifyAssistantRequestV2(v2.ModifyAssistantRequest):
    tools: ToolsV2 = Field(default_factory=list)  # type: ignore[assignment]
    metadata: Metadata = None  # type: ignore[assignment]


AssistantRequest = (
    CreateAssistantRequestV1
    | ModifyAssistantRequestV1
    | CreateAssistantRequestV2
    | ModifyAssistantRequestV2
)


def tool_resources(record: AssistantRecord) -> dict[str, Any]:
    """v2's `tool_resources`: a section for each tool the assistant has or has resources for."""
    types = {tool["type"] for tool in record.tools}
    resources: dict[str, Any] = {}
    if record.file_ids or "code_interpreter" in types:
        resources["code_interpreter"] = {"file_ids": record.file_ids}
    if record.file_search_resources or "file_search" in types:
        resources["file_search"] = record.file_search_resources or {"vector_store_ids": []}
    return resources


def _shown(
    model: type[v1.AssistantObject | v2.AssistantObject], data: dict[str, Any]
) -> dict[str, Any]:
    """`data` checked against the wire model and shown with what it gave: a nested option
    left unset (`tool_resources.file_search`, a tool's settings) is left out, never `null`."""
    shown: dict[str, Any] = model.model_validate(data).model_dump(
        mode="json", by_alias=True, exclude_unset=True
    )
    return shown


def assistant_v2(record: AssistantRecord) -> dict[str, Any]:
    return _shown(
        v2.AssistantObject,
        {
            "id": record.id,
            "object": "assistant",
            "created_at": record.created_at,
            "name": record.name,
            "description": record.description,
            "model": record.model,
            "instructions": record.instructions,
            "tools": record.tools,
            "tool_resources": tool_resources(record),
            "metadata": record.metadata_,
            "temperature": record.temperature,
            "top_p": record.top_p,
            "response_format": record.response_format or "auto",
        },
    )


def assistant_v1(record: AssistantRecord) -> dict[str, Any]:
    return _shown(
        v1.AssistantObject,
        {
            "id": record.id,
            "object": "assistant",
            "created_at": record.created_at,
            "name": record.name,
            "description": record.description,
            "model": record.model,
            "instructions": record.instructions,
            "tools": v1_tools(record.tools),
            "file_ids": record.file_ids,
            "metadata": record.metadata_,
        },
    )


def assistant_wire(record: AssistantRecord, version: ApiVersion) -> dict[str, Any]:
    return assistant_v1(record) if version == "v1" else assistant_v2(record)
