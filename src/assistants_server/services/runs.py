"""Runs: created queued for the executor, then cancelled, answered with tool outputs, listed.

A run snapshots what it will send the model (model, instructions, tools, sampling) when it is
created, as OpenAI's runs did: changing the assistant later does not change a run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from assistants_server import clock, ids, tracing
from assistants_server.db.models import AssistantRecord, RunRecord, ThreadRecord
from assistants_server.db.repositories.assistant_files import AssistantFileRepository
from assistants_server.db.repositories.assistants import AssistantRepository
from assistants_server.db.repositories.run_steps import RunStepRepository
from assistants_server.db.repositories.runs import RunRepository
from assistants_server.errors import InvalidRequestError, NotFoundError
from assistants_server.pagination import Page, PageParams
from assistants_server.runs import states
from assistants_server.runs.dispatch import Dispatch
from assistants_server.runs.events import Broker, announce_cancel, emit
from assistants_server.runs.finish import settle
from assistants_server.schemas.common import stored_response_format, stored_tools
from assistants_server.schemas.messages import MessageRequest
from assistants_server.schemas.run_steps import included_by, run_step_v2
from assistants_server.schemas.runs import (
    CreateRunRequestV1,
    CreateRunRequestV2,
    CreateThreadAndRunRequestV1,
    CreateThreadAndRunRequestV2,
    ModifyRunRequest,
    SubmitToolOutputsRequest,
    run_v2,
)
from assistants_server.schemas.threads import thread_v2
from assistants_server.services import messages as messages_service
from assistants_server.services import threads as threads_service
from assistants_server.tools import registry


@dataclass(frozen=True)
class Queued:
    """A run just queued, perhaps claimed already by this process in the same transaction:
    the record, and the run as its `thread.run.queued` event shows it (status `queued`), which
    the request answers, as OpenAI's did; `start` is the number of the run's events before
    these, where a stream of the rest begins."""

    run: RunRecord
    shown: dict[str, Any]
    start: int = 0


CreateRunRequest = CreateRunRequestV1 | CreateRunRequestV2
CreateThreadAndRunRequest = CreateThreadAndRunRequestV1 | CreateThreadAndRunRequestV2
DEFAULT_TRUNCATION = {"type": "auto", "last_messages": None}


def _instructions(assistant: AssistantRecord, fields: dict[str, Any]) -> str:
    instructions = fields.get("instructions")
    if instructions is None:
        instructions = assistant.instructions or ""
    extra = fields.get("additional_instructions")
    if extra:
        instructions = f"{instructions}\n\n{extra}" if instructions else extra
    return str(instructions)


def _check_tool_choice(tool_choice: Any, tools: list[dict[str, Any]]) -> None:
    if not isinstance(tool_choice, dict):
        return
    if tool_choice.get("type") == "function":
        name = (tool_choice.get("function") or {}).get("name")
        names = {tool["function"]["name"] for tool in tools if tool["type"] == "function"}
        if name not in names:
            raise InvalidRequestError(
                f"Tool choice '{name}' is not one of the run's function tools.",
                param="tool_choice",
            )
    elif not any(tool["type"] == tool_choice.get("type") for tool in tools):
        raise InvalidRequestError(
            f"Tool choice '{tool_choice.get('type')}' is not one of the run's tools.",
            param="tool_choice",
        )


def _new_run(
    tenant_id: str,
    thread_id: str,
    assistant: AssistantRecord,
    fields: dict[str, Any],
    expiry_seconds: int,
) -> RunRecord:
    tools = stored_tools(fields["tools"]) if fields.get("tools") is not None else assistant.tools
    tool_choice = fields.get("tool_choice") or "auto"
    _check_tool_choice(tool_choice, tools)
    now = clock.now()
    return RunRecord(
        id=ids.new(ids.RUN),
        tenant_id=tenant_id,
        thread_id=thread_id,
        assistant_id=assistant.id,
        created_at=now,
        status="queued",
        expires_at=now + expiry_seconds,
        model=fields.get("model") or assistant.model,
        instructions=_instructions(assistant, fields),
        tools=tools,
        metadata_=fields.get("metadata") or {},
        temperature=fields.get("temperature", assistant.temperature),
        top_p=fields.get("top_p", assistant.top_p),
        max_prompt_tokens=fields.get("max_prompt_tokens"),
        max_completion_tokens=fields.get("max_completion_tokens"),
        truncation_strategy=fields.get("truncation_strategy") or DEFAULT_TRUNCATION,
        tool_choice=tool_choice,
        parallel_tool_calls=fields.get("parallel_tool_calls") is not False,
        response_format=stored_response_format(fields.get("response_format"))
        or assistant.response_format
        or "auto",
        reasoning_effort=fields.get("reasoning_effort") or assistant.reasoning_effort,
        event_count=0,
    )


async def _enqueue(
    session: AsyncSession,
    dispatch: Dispatch,
    thread: ThreadRecord,
    fields: dict[str, Any],
    *first_events: tuple[str, dict[str, Any]],
    search_content: bool = False,
) -> Queued:
    tenant_id = thread.tenant_id
    assistant = await AssistantRepository(session, tenant_id).get_settings(fields["assistant_id"])
    if assistant is None:
        raise NotFoundError.for_object("assistant", fields["assistant_id"])
    active = await RunRepository(session, tenant_id).active_in_thread(thread.id)
    if active is not None:
        raise InvalidRequestError(f"Thread {thread.id} already has an active run {active.id}.")
    run = _new_run(tenant_id, thread.id, assistant, fields, dispatch.expiry_seconds)
    links = AssistantFileRepository(session, tenant_id)
    run.file_ids = await links.file_ids(assistant.id)  # what a v1 run shows
    run.vector_store_ids = []
    for tool in registry.of_run(run):  # the resources its tools read (file_search's stores)
        await tool.prepare(session, assistant, thread, run)
    run.include_search_content = search_content
    run.trace_parent = tracing.traceparent()
    data = run_v2(run)
    queued = [("thread.run.created", data), ("thread.run.queued", data)]
    started = await dispatch.start(session, run, run.created_at)
    session.add(run)  # inserted with its first events, by `emit`
    await emit(session, dispatch.broker, run, *first_events, *queued, *started)
    return Queued(run, data)


async def create(
    session: AsyncSession,
    dispatch: Dispatch,
    tenant_id: str,
    thread_id: str,
    request: CreateRunRequest,
    *,
    search_content: bool = False,
) -> Queued:
    """`search_content`: the run's file_search steps show their results' content."""
    thread = await threads_service.lock(session, tenant_id, thread_id)
    fields = request.model_dump(mode="json", by_alias=True, exclude_unset=True)
    additional: list[MessageRequest] = list(request.additional_messages or [])
    for index, message in enumerate(additional):
        await messages_service.add(
            session, tenant_id, thread_id, message, param=f"additional_messages[{index}]"
        )
    return await _enqueue(session, dispatch, thread, fields, search_content=search_content)


async def create_thread_and_run(
    session: AsyncSession,
    dispatch: Dispatch,
    tenant_id: str,
    request: CreateThreadAndRunRequest,
    *,
    search_content: bool = False,
) -> Queued:
    fields = request.model_dump(mode="json", by_alias=True, exclude_unset=True)
    thread = await threads_service.create(session, tenant_id, request.thread, prefix="thread.")
    resources = fields.get("tool_resources")
    if resources:
        await threads_service.set_tool_resources(session, thread, resources)
    created = ("thread.created", thread_v2(thread))
    return await _enqueue(session, dispatch, thread, fields, created, search_content=search_content)


async def get(
    session: AsyncSession, tenant_id: str, thread_id: str, run_id: str, *, lock: bool = False
) -> RunRecord:
    """The run (locked for the transaction if `lock`); 404 naming the thread if that is what
    is missing."""
    runs = RunRepository(session, tenant_id)
    record = await runs.get_in_thread(thread_id, run_id, for_update=lock)
    if record is None:
        await threads_service.get(session, tenant_id, thread_id)
        raise NotFoundError.for_object("run", run_id)
    return record


async def list_page(
    session: AsyncSession, tenant_id: str, thread_id: str, params: PageParams
) -> Page[RunRecord]:
    await threads_service.get(session, tenant_id, thread_id)
    return await RunRepository(session, tenant_id).list_in_thread(thread_id, params)


async def modify(
    session: AsyncSession, tenant_id: str, thread_id: str, run_id: str, request: ModifyRunRequest
) -> RunRecord:
    record = await get(session, tenant_id, thread_id, run_id)
    if "metadata" in request.model_fields_set:
        record.metadata_ = request.metadata or {}
    await session.flush()
    return record


async def cancel(
    session: AsyncSession, broker: Broker, tenant_id: str, thread_id: str, run_id: str
) -> RunRecord:
    """A queued run, or one waiting for tool outputs, is cancelled at once. A run in progress
    becomes `cancelling`; its executor, told once this commits, says so on the run's stream,
    stops the model and settles it (it alone writes the events of a run it drives)."""
    run = await get(session, tenant_id, thread_id, run_id, lock=True)
    if run.status in ("queued", "requires_action"):
        await emit(session, broker, run, *await settle(session, run, "cancelled"))
    elif run.status == "in_progress":
        states.move(run, "cancelling", clock.now())
        await session.flush()
        await announce_cancel(session, broker, run.id)
    elif run.status != "cancelling":
        raise InvalidRequestError(f"Cannot cancel run with status '{run.status}'.")
    return run


def _answered_calls(run: RunRecord, request: SubmitToolOutputsRequest) -> dict[str, str]:
    """The submitted outputs by call id, checked against the calls the run is waiting on."""
    assert run.required_action is not None
    pending = [call["id"] for call in run.required_action["submit_tool_outputs"]["tool_calls"]]
    outputs: dict[str, str] = {}
    for index, item in enumerate(request.model_dump()["tool_outputs"]):
        call_id = item.get("tool_call_id")
        if call_id not in pending:
            raise InvalidRequestError(
                f"No tool call found with id '{call_id}' in run {run.id}.",
                param=f"tool_outputs[{index}].tool_call_id",
            )
        outputs[call_id] = item.get("output") or ""
    if set(outputs) != set(pending):
        raise InvalidRequestError(
            f"Expected tool outputs for call_ids {pending}, got {list(outputs)}.",
            param="tool_outputs",
        )
    return outputs


async def submit_tool_outputs(
    session: AsyncSession,
    dispatch: Dispatch,
    tenant_id: str,
    thread_id: str,
    run_id: str,
    request: SubmitToolOutputsRequest,
) -> Queued:
    """Record the outputs on the run's tool step and queue the run to continue."""
    run = await get(session, tenant_id, thread_id, run_id, lock=True)
    if run.status != "requires_action" or run.required_action is None:
        raise InvalidRequestError(f'Runs in status "{run.status}" do not accept tool outputs.')
    now = clock.now()
    if run.expires_at is not None and run.expires_at <= now:
        raise InvalidRequestError(f"Run {run.id} has expired and no longer accepts tool outputs.")
    outputs = _answered_calls(run, request)
    start = run.event_count
    events: list[tuple[str, dict[str, Any]]] = []
    for step in await RunStepRepository(session, tenant_id).open_in_run(run.id):
        if step.type != "tool_calls":
            continue
        calls = [  # the calls the server ran, if any, are done already
            registry.tool(call["type"]).answered(call, outputs)
            for call in step.step_details["tool_calls"]
        ]
        step.step_details = {**step.step_details, "tool_calls": calls}
        step.status, step.completed_at = "completed", now
        shown = run_step_v2(step, included_by(run))
        events.append(("thread.run.step.completed", shown))
    run.expires_at = now + dispatch.expiry_seconds
    event = states.move(run, "queued", now)
    queued = run_v2(run)
    events.append((event, queued))
    events += await dispatch.start(session, run, now)
    await session.flush()
    await emit(session, dispatch.broker, run, *events)
    return Queued(run, queued, start)
