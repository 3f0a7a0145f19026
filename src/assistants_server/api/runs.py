from __future__ import annotations

import weakref
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Response
from fastapi.sse import EventSourceResponse
from sqlalchemy.ext.asyncio import AsyncSession

from assistants_server.api.deps import (
    WIRE,
    ApiVersionDep,
    BrokerDep,
    SearchContentDep,
    SessionDep,
    StateDep,
    TenantDep,
    polled,
    versioned_body,
)
from assistants_server.db.session import after_rollback
from assistants_server.errors import InvalidRequestError
from assistants_server.pagination import ListObject, PageParamsDep, list_object
from assistants_server.runs.events import (
    END_EVENTS,
    FINAL_EVENTS,
    Position,
    Sent,
    Subscription,
    follow,
    subscribe_stored,
)
from assistants_server.runs.sse import stream_response
from assistants_server.runs.states import TERMINAL
from assistants_server.schemas._generated import v1, v2
from assistants_server.schemas.common import ApiVersion
from assistants_server.schemas.events import EVENT_STREAM_RESPONSES, event_data
from assistants_server.schemas.runs import (
    CreateRunRequestV1,
    CreateRunRequestV2,
    CreateThreadAndRunRequestV1,
    CreateThreadAndRunRequestV2,
    ModifyRunRequest,
    ModifyRunRequestV1,
    ModifyRunRequestV2,
    SubmitToolOutputsRequest,
    run_wire,
)
from assistants_server.services import runs as runs_service
from assistants_server.state import AppState

router = APIRouter(tags=["Assistants"])

# The SDK's *_and_poll helpers wait this long between polls (a second without the header).
CreateBody = Annotated[
    runs_service.CreateRunRequest, versioned_body(CreateRunRequestV1, CreateRunRequestV2)
]
CreateAndRunBody = Annotated[
    runs_service.CreateThreadAndRunRequest,
    versioned_body(CreateThreadAndRunRequestV1, CreateThreadAndRunRequestV2),
]
ModifyBody = Annotated[ModifyRunRequest, versioned_body(ModifyRunRequestV1, ModifyRunRequestV2)]
SubmitBody = Annotated[
    SubmitToolOutputsRequest,
    versioned_body(v1.SubmitToolOutputsRunRequest, v2.SubmitToolOutputsRunRequest),
]
RunResponse = dict[str, Any] | EventSourceResponse


def _stream(
    state: AppState, session: AsyncSession, run_id: str, after: int, version: ApiVersion
) -> EventSourceResponse:
    """The run's events after the first `after`, as they are written, then `done`. Called
    before the request's transaction commits: subscribed now, the stream is handed this
    request's events as they commit, without reading them back."""
    broker = state.broker
    subscription = broker.subscribe(run_id, after)
    after_rollback(session, lambda: broker.unsubscribe(run_id, subscription))
    return _followed(state, run_id, Position(after), subscription, version)


def _followed(
    state: AppState,
    run_id: str,
    start: Position,
    subscription: Subscription,
    version: ApiVersion,
    until: frozenset[str] = FINAL_EVENTS,
) -> EventSourceResponse:
    events = follow(state.sessionmaker, state.broker, run_id, start, subscription, until=until)
    # `follow` unsubscribes when it ends; a stream that never started (the client left first)
    # does when it is collected
    weakref.finalize(events, state.broker.unsubscribe, run_id, subscription)
    return stream_response(events, version)


@router.post(
    "/threads/runs",
    operation_id="createThreadAndRun",
    response_model=WIRE,
    responses=EVENT_STREAM_RESPONSES,
)
async def create_thread_and_run(
    session: SessionDep,
    state: StateDep,
    tenant: TenantDep,
    version: ApiVersionDep,
    body: CreateAndRunBody,
    response: Response,
    search_content: SearchContentDep,
) -> RunResponse:
    queued = await runs_service.create_thread_and_run(
        session, state.dispatch, tenant, body, search_content=search_content
    )
    if body.stream:
        return _stream(state, session, queued.run.id, 0, version)
    return polled(response, event_data(queued.shown, version))


@router.post(
    "/threads/{thread_id}/runs",
    operation_id="createRun",
    response_model=WIRE,
    responses=EVENT_STREAM_RESPONSES,
)
async def create_run(
    thread_id: str,
    session: SessionDep,
    state: StateDep,
    tenant: TenantDep,
    version: ApiVersionDep,
    body: CreateBody,
    response: Response,
    search_content: SearchContentDep,
) -> RunResponse:
    queued = await runs_service.create(
        session, state.dispatch, tenant, thread_id, body, search_content=search_content
    )
    if body.stream:
        return _stream(state, session, queued.run.id, 0, version)
    return polled(response, event_data(queued.shown, version))


@router.get("/threads/{thread_id}/runs", operation_id="listRuns", response_model=WIRE)
async def list_runs(
    thread_id: str,
    session: SessionDep,
    tenant: TenantDep,
    version: ApiVersionDep,
    params: PageParamsDep,
) -> ListObject[dict[str, Any]]:
    page = await runs_service.list_page(session, tenant, thread_id, params)
    return list_object([run_wire(record, version) for record in page.items], page)


@router.get("/threads/{thread_id}/runs/{run_id}", operation_id="getRun")
async def get_run(
    thread_id: str,
    run_id: str,
    session: SessionDep,
    tenant: TenantDep,
    version: ApiVersionDep,
    response: Response,
) -> dict[str, Any]:
    run = await runs_service.get(session, tenant, thread_id, run_id)
    return polled(response, run_wire(run, version))


@router.post("/threads/{thread_id}/runs/{run_id}", operation_id="modifyRun")
async def modify_run(
    thread_id: str,
    run_id: str,
    session: SessionDep,
    tenant: TenantDep,
    version: ApiVersionDep,
    body: ModifyBody,
) -> dict[str, Any]:
    run = await runs_service.modify(session, tenant, thread_id, run_id, body)
    return run_wire(run, version)


@router.post("/threads/{thread_id}/runs/{run_id}/cancel", operation_id="cancelRun")
async def cancel_run(
    thread_id: str,
    run_id: str,
    session: SessionDep,
    broker: BrokerDep,
    tenant: TenantDep,
    version: ApiVersionDep,
    response: Response,
) -> dict[str, Any]:
    run = await runs_service.cancel(session, broker, tenant, thread_id, run_id)
    return polled(response, run_wire(run, version))


@router.post(
    "/threads/{thread_id}/runs/{run_id}/submit_tool_outputs",
    operation_id="submitToolOuputsToRun",
    response_model=WIRE,
    responses=EVENT_STREAM_RESPONSES,
)
async def submit_tool_ouputs_to_run(
    thread_id: str,
    run_id: str,
    session: SessionDep,
    state: StateDep,
    tenant: TenantDep,
    version: ApiVersionDep,
    body: SubmitBody,
    response: Response,
) -> RunResponse:
    queued = await runs_service.submit_tool_outputs(
        session, state.dispatch, tenant, thread_id, run_id, body
    )
    if body.stream:
        return _stream(state, session, queued.run.id, queued.start, version)
    return polled(response, event_data(queued.shown, version))


@router.get(
    "/threads/{thread_id}/runs/{run_id}/events",
    operation_id="getRunEvents",
    responses=EVENT_STREAM_RESPONSES,
)
async def get_run_events(
    thread_id: str,
    run_id: str,
    session: SessionDep,
    state: StateDep,
    tenant: TenantDep,
    version: ApiVersionDep,
    after: Annotated[str | None, Query(description="Resume after the event of this id.")] = None,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
) -> EventSourceResponse:
    """An extension: the run's events from its start (or after `Last-Event-ID`, or `after`),
    replayed, then followed as they happen, until the run ends; a run waiting on tool outputs
    is followed through them. Each event carries its `id`."""
    run = await runs_service.get(session, tenant, thread_id, run_id)
    param, resume = ("Last-Event-ID", last_event_id) if last_event_id else ("after", after)
    try:
        start = Position.parse(resume) if resume else Position(0)
    except ValueError:
        raise InvalidRequestError(
            f"Invalid event id {resume!r}: expected the `id` of an event of this run.",
            param=param,
        ) from None
    if run.status in TERMINAL and start.after >= run.event_count:
        return stream_response(_nothing(), version)  # it ended, and the client saw the end
    subscription = await subscribe_stored(session, state.broker, run.id, start)
    return _followed(state, run.id, start, subscription, version, until=END_EVENTS)


async def _nothing() -> AsyncIterator[list[Sent]]:
    return
    yield
