"""Run step converters: record -> wire, per API version."""

from __future__ import annotations

from typing import Any

from assistants_server.db.models import RunRecord, RunStepRecord
from assistants_server.schemas.common import ApiVersion
from assistants_server.tools import registry
from assistants_server.tools.file_search import RESULT_CONTENT


def included_by(run: RunRecord) -> frozenset[str]:
    """What a run's stream shows of its steps: the `include[]` the run was created with."""
    return frozenset({RESULT_CONTENT}) if run.include_search_content else frozenset()


def step_details_v2(
    details: dict[str, Any], include: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """`include`: the request's `include[]` values."""
    if details.get("type") != "tool_calls":
        return details
    calls = [registry.shown(call, include) for call in details["tool_calls"]]
    return {**details, "tool_calls": calls}


def run_step_v2(record: RunStepRecord, include: frozenset[str] = frozenset()) -> dict[str, Any]:
    return {
        "id": record.id,
        "object": "thread.run.step",
        "created_at": record.created_at,
        "assistant_id": record.assistant_id,
        "thread_id": record.thread_id,
        "run_id": record.run_id,
        "type": record.type,
        "status": record.status,
        "step_details": step_details_v2(record.step_details, include),
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
    record: RunStepRecord, version: ApiVersion, include: frozenset[str] = frozenset()
) -> dict[str, Any]:
    data = run_step_v2(record, include)
    return run_step_v1(data) if version == "v1" else data
