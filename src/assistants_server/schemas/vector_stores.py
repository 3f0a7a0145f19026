"""Vector store requests and the record -> wire converters (v2 only: v1 has no vector stores).

The generated models are used as they are, except where the spec states a rule only in prose
(attributes: at most 16) or where the generator misreads it: the search `filters` union has a
discriminator without a mapping, so the generated model expects `type` to be a schema name.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from assistants_server.db.models import (
    VectorStoreFileBatchRecord,
    VectorStoreFileRecord,
    VectorStoreRecord,
)
from assistants_server.schemas._base import WireModel
from assistants_server.schemas._generated import v2
from assistants_server.schemas.common import Metadata

MAX_ATTRIBUTES = 16
STATUSES = ("in_progress", "completed", "failed", "cancelled")

Attributes = (
    Annotated[
        dict[
            Annotated[str, StringConstraints(max_length=64)],
            Annotated[str, StringConstraints(max_length=512)] | bool | float,
        ],
        Field(max_length=MAX_ATTRIBUTES),
    ]
    | None
)


class ComparisonFilter(WireModel):
    type: Literal["eq", "ne", "gt", "gte", "lt", "lte", "in", "nin"] = "eq"
    key: str
    value: str | bool | float | list[str | float]


class CompoundFilter(WireModel):
    type: Literal["and", "or"]
    filters: list[ComparisonFilter | CompoundFilter]


class CreateVectorStoreRequest(v2.CreateVectorStoreRequest):
    metadata: Metadata = None  # type: ignore[assignment]
    # discriminated, so a bad `static` value is reported as such, not as "not 'auto'"
    chunking_strategy: v2.ChunkingStrategyRequestParam | None = None  # type: ignore[assignment]


class UpdateVectorStoreRequest(v2.UpdateVectorStoreRequest):
    metadata: Metadata = None  # type: ignore[assignment]


class CreateVectorStoreFileRequest(v2.CreateVectorStoreFileRequest):
    attributes: Attributes = None  # type: ignore[assignment]


class UpdateVectorStoreFileRequest(v2.UpdateVectorStoreFileAttributesRequest):
    attributes: Attributes  # type: ignore[assignment]


class CreateFileBatchRequest(WireModel):
    """`file_ids` or `files` (each with its own attributes and chunking), not both."""

    file_ids: Annotated[list[str] | None, Field(min_length=1, max_length=2000)] = None
    files: Annotated[
        list[CreateVectorStoreFileRequest] | None, Field(min_length=1, max_length=2000)
    ] = None
    chunking_strategy: v2.ChunkingStrategyRequestParam | None = None
    attributes: Attributes = None


class SearchRequest(v2.VectorStoreSearchRequest):
    filters: ComparisonFilter | CompoundFilter | None = None  # type: ignore[assignment]


def file_counts(counts: dict[str, int]) -> dict[str, int]:
    shown = {status: counts.get(status, 0) for status in STATUSES}
    return {**shown, "total": sum(shown.values())}


def vector_store_status(record: VectorStoreRecord, counts: dict[str, int], now: int) -> str:
    if record.expires_at is not None and record.expires_at <= now:
        return "expired"
    return "in_progress" if counts.get("in_progress") else "completed"


def vector_store_wire(
    record: VectorStoreRecord, counts: dict[str, int], usage_bytes: int, now: int
) -> dict[str, Any]:
    shown = {
        "id": record.id,
        "object": "vector_store",
        "created_at": record.created_at,
        "name": record.name,
        "usage_bytes": usage_bytes,
        "file_counts": file_counts(counts),
        "status": vector_store_status(record, counts, now),
        "expires_after": record.expires_after,
        "expires_at": record.expires_at,
        "last_active_at": record.last_active_at,
        "metadata": record.metadata_,
    }
    if record.expires_after is None:  # an object when set, left out when not (OpenAI's shape)
        del shown["expires_after"]
    return shown


def vector_store_file_wire(record: VectorStoreFileRecord) -> dict[str, Any]:
    return {
        "id": record.file_id,
        "object": "vector_store.file",
        "usage_bytes": record.usage_bytes,
        "created_at": record.created_at,
        "vector_store_id": record.vector_store_id,
        "status": record.status,
        "last_error": record.last_error,
        "chunking_strategy": {
            "type": "static",
            "static": {
                "max_chunk_size_tokens": record.max_chunk_tokens,
                "chunk_overlap_tokens": record.chunk_overlap_tokens,
            },
        },
        "attributes": record.attributes,
    }


def batch_status(record: VectorStoreFileBatchRecord, counts: dict[str, int]) -> str:
    if record.cancelled:
        return "cancelled"
    if counts.get("in_progress"):
        return "in_progress"
    return "failed" if counts.get("failed") == sum(counts.values()) else "completed"


def file_batch_wire(record: VectorStoreFileBatchRecord, counts: dict[str, int]) -> dict[str, Any]:
    return {
        "id": record.id,
        "object": "vector_store.files_batch",
        "created_at": record.created_at,
        "vector_store_id": record.vector_store_id,
        "status": batch_status(record, counts),
        "file_counts": file_counts(counts),
    }
