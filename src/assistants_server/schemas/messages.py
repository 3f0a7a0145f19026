"""Message requests per API version, content parsing, and the record -> wire converters."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from assistants_server.db.models import MessageRecord
from assistants_server.schemas._generated import v1, v2
from assistants_server.schemas.common import ApiVersion, Metadata


class CreateMessageRequestV1(v1.CreateMessageRequest):
    metadata: Metadata = None


class CreateMessageRequestV2(v2.CreateMessageRequest):
    metadata: Metadata = None  # type: ignore[assignment]


class ModifyMessageRequestV1(v1.ModifyRunRequest):  # the v1 spec's ModifyMessageRequest
    metadata: Metadata = None


class ModifyMessageRequestV2(v2.ModifyMessageRequest):
    metadata: Metadata = None  # type: ignore[assignment]


MessageRequest = CreateMessageRequestV1 | CreateMessageRequestV2
ModifyMessageRequest = ModifyMessageRequestV1 | ModifyMessageRequestV2


def text_part(value: str, annotations: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"type": "text", "text": {"value": value, "annotations": annotations or []}}


def stored_content(content: str | BaseModel) -> list[dict[str, Any]]:
    """A request's content as stored content parts: a string is one text part."""
    if isinstance(content, str):
        return [text_part(content)]
    parts: list[dict[str, Any]] = []
    dumped: list[dict[str, Any]] = content.model_dump(mode="json", by_alias=True)  # type: ignore[assignment]
    for part in dumped:
        if part["type"] == "text":
            parts.append(text_part(part["text"]))
        else:
            parts.append(part)
    return parts


def stored_attachments(request: MessageRequest) -> list[dict[str, Any]]:
    """v2 attachments as given; v1 `file_ids` become attachments for file search."""
    if isinstance(request, CreateMessageRequestV1):
        return [
            {"file_id": file_id, "tools": [{"type": "file_search"}]} for file_id in request.file_ids
        ]
    return [
        {
            "file_id": attachment.file_id,
            "tools": attachment.model_dump(mode="json", by_alias=True)["tools"] or [],
        }
        for attachment in request.attachments or []
    ]


def message_v2_content(content: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Content as v2 shows it: citations are stored with v1's `quote`, which v2 dropped."""
    if not any(part["type"] == "text" and part["text"]["annotations"] for part in content):
        return content
    shown = []
    for part in content:
        if part["type"] == "text" and part["text"]["annotations"]:
            annotations = [_unquoted(annotation) for annotation in part["text"]["annotations"]]
            part = {**part, "text": {**part["text"], "annotations": annotations}}
        shown.append(part)
    return shown


def _unquoted(annotation: dict[str, Any]) -> dict[str, Any]:
    if annotation["type"] != "file_citation":
        return annotation
    citation = {"file_id": annotation["file_citation"]["file_id"]}
    return {**annotation, "file_citation": citation}


def message_v2(record: MessageRecord, *, quotes: bool = False) -> dict[str, Any]:
    return {
        "id": record.id,
        "object": "thread.message",
        "created_at": record.created_at,
        "thread_id": record.thread_id,
        "status": record.status,
        "incomplete_details": record.incomplete_details,
        "completed_at": record.completed_at,
        "incomplete_at": record.incomplete_at,
        "role": record.role,
        "content": record.content if quotes else message_v2_content(record.content),
        "assistant_id": record.assistant_id,
        "run_id": record.run_id,
        "attachments": record.attachments,
        "metadata": record.metadata_,
    }


def message_v1(data: dict[str, Any]) -> dict[str, Any]:
    """A v2 message as v1 shows it: `file_ids` in place of `attachments`."""
    shown = {key: value for key, value in data.items() if key != "attachments"}
    shown["file_ids"] = [attachment["file_id"] for attachment in data["attachments"] or []]
    return shown


def message_wire(record: MessageRecord, version: ApiVersion) -> dict[str, Any]:
    if version == "v1":
        return message_v1(message_v2(record, quotes=True))
    return message_v2(record)


def message_file_v1(record: MessageRecord, file_id: str) -> dict[str, Any]:
    return {
        "id": file_id,
        "object": "thread.message.file",
        "created_at": record.created_at,
        "message_id": record.id,
    }
