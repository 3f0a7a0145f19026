"""Run step converters: record -> wire, per API version."""

from __future__ import annotations

from typing import Any

from assistants_server.db.models import RunStepRecord
from assistants_server.schemas.common import ApiVersion


def run_step_v2(record: RunStepRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "object": "thread.run.step",
        "created_at": record.created_at,
        "assistant_id": record.assistant_id,
        "thread_id": record.thread_id,
        "run_id": record.run_id,
        "type": record.type,
        "status": record.status,
        "step_details": record.step_details,
        "last_error": record.last_error,
        "expired_at": record.expired_at,
        "cancelled_at": record.cancelled_at,
        "failed_at": record.failed_at,
        "completed_at": record.completed_at,
        "metadata": record.metadata_,
        "usage": record.usage,
    }


def _v1_tool_call(call: dict[str, Any]) -> dict[str, Any]:
    if call.get("type") != "file_search":
        return call
    shown: dict[str, Any] = {"id": call.get("id"), "type": "retrieval", "retrieval": {}}
    return {"index": call["index"], **shown} if "index" in call else shown


def step_details_v1(details: dict[str, Any]) -> dict[str, Any]:
    """v2 step details as v1 shows them: a `file_search` call is a `retrieval` call."""
    if details.get("type") != "tool_calls":
        return details
    return {**details, "tool_calls": [_v1_tool_call(call) for call in details["tool_calls"]]}


def run_step_v1(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "step_details": step_details_v1(data["step_details"])}


def run_step_wire(record: RunStepRecord, version: ApiVersion) -> dict[str, Any]:
    data = run_step_v2(record)
    return run_step_v1(data) if version == "v1" else data
