"""File wire shapes: the upload form, per version, and the record -> wire converter."""

from __future__ import annotations

from typing import Any

from assistants_server.db.models import AssistantFileRecord, FileRecord
from assistants_server.schemas._generated import v1, v2
from assistants_server.schemas.common import ApiVersion


class UploadFormV1(v1.CreateFileRequest):
    """The multipart fields besides the file's bytes, which are streamed to storage."""

    file: str  # type: ignore[assignment]  # the uploaded file's name


class UploadFormV2(v2.CreateFileRequest):
    file: str  # type: ignore[assignment]


def file_wire(record: FileRecord, version: ApiVersion) -> dict[str, Any]:
    """A file as OpenAI showed it; `expires_at` (v2) only when the file expires, and no
    `status_details` (deprecated, never set)."""
    shown: dict[str, Any] = {
        "id": record.id,
        "object": "file",
        "bytes": record.bytes,
        "created_at": record.created_at,
        "filename": record.filename,
        "purpose": record.purpose,
        "status": record.status,
    }
    if version == "v2" and record.expires_at is not None:
        shown["expires_at"] = record.expires_at
    return shown


def assistant_file_wire(link: AssistantFileRecord) -> v1.AssistantFileObject:
    return v1.AssistantFileObject(
        id=link.file_id,
        object="assistant.file",
        created_at=link.created_at,
        assistant_id=link.assistant_id,
    )
