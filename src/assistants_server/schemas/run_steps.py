"""Run step converters: record -> wire, per API version."""

from __future__ import annotations

from typing import Any

from assistants_server.db.models import RunStepRecord
from assistants_server.schemas.common import ApiVersion
from assistants_server.tools import registry


def step_details_v2(details: dict[str, Any], search_content: bool = False) -> dict[str, Any]:
    if details.get("type") != "tool_calls":
        return details
    calls = [registry.shown(call, search_content) for call in details["tool_calls"]]
    return {**details, "tool_calls": calls}


def run_step_v2(record: RunStepRecord, search_content: bool = False) -> dict[str, Any]:
    return {
        "id": record.id,
        "object": "thread.run.step",
        "created_at": record.created_at,
        "assistant_id": record.assistant_id,
        "thread_id": record.thread_id,
        "run_id": record.run_id,
        "type": record.type,
        "status": record.status,
        "step_details": step_details_v2(record.step_details, search_content),
        "last_error": record.last_error,
        "expired_at": record.expired_at,
        "cancelled_at": record.cancelled_at,
        "failed_at": record.failed_at,
        "completed_at": record.completed_at,
        "metadata": record.metadata_,
        "usage": record.usage,
    }


def step_details_v1(details: dict[str, Any]) -> dict[str, Any]:
    """v2 step details as v1 shows them (a `file_search` call is a `retrieval` call)."""
    if details.get("type") != "tool_calls":
        return details
    return {**details, "tool_calls": [registry.shown_v1(call) for call in details["tool_calls"]]}


def run_step_v1(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "step_details": step_details_v1(data["step_details"])}


def run_step_wire(
    record: RunStepRecord, version: ApiVersion, search_content: bool = False
) -> dict[str, Any]:
    data = run_step_v2(record, search_content)
    return run_step_v1(data) if version == "v1" else data
