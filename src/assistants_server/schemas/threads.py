"""Thread requests per API version, and the record -> wire converters."""

from __future__ import annotations

from typing import Any

from assistants_server.db.models import ThreadRecord
from assistants_server.schemas._generated import v1, v2
from assistants_server.schemas.common import ApiVersion, Metadata, without_nulls
from assistants_server.schemas.messages import CreateMessageRequestV1, CreateMessageRequestV2


class CreateThreadRequestV1(v1.CreateThreadRequest):
    messages: list[CreateMessageRequestV1] | None = None  # type: ignore[assignment]
    metadata: Metadata = None


class CreateThreadRequestV2(v2.CreateThreadRequest):
    messages: list[CreateMessageRequestV2] | None = None  # type: ignore[assignment]
    metadata: Metadata = None  # type: ignore[assignment]


class ModifyThreadRequestV1(v1.ModifyRunRequest):  # the v1 spec's ModifyThreadRequest
    metadata: Metadata = None


class ModifyThreadRequestV2(v2.ModifyThreadRequest):
    metadata: Metadata = None  # type: ignore[assignment]


ThreadRequest = CreateThreadRequestV1 | CreateThreadRequestV2
ModifyThreadRequest = ModifyThreadRequestV1 | ModifyThreadRequestV2


def thread_v2(record: ThreadRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "object": "thread",
        "created_at": record.created_at,
        "tool_resources": without_nulls(record.tool_resources)
        if isinstance(record.tool_resources, dict)
        else record.tool_resources,
        "metadata": record.metadata_,
    }


def thread_v1(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key != "tool_resources"}


def thread_wire(record: ThreadRecord, version: ApiVersion) -> dict[str, Any]:
    data = thread_v2(record)
    return thread_v1(data) if version == "v1" else data
