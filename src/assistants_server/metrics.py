"""Prometheus metrics of this process, served at `GET /metrics` (a worker serves them on
`--metrics-port`). Each process counts what it did itself: scrape every API process and
worker, and sum across them.

The queue gauges (`assistants_runs_queued`, `assistants_oldest_queued_run_age_seconds`,
`assistants_ingestion_backlog`) are read from the database every few seconds, so every process
shows the same figure: take their max, not their sum.

Labels are bounded: route templates (never ids), run statuses, models and backends as
configured, tool types. Nothing names a tenant.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable
from typing import Any

from prometheus_client import Counter, Gauge, Histogram
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistants_server import ids, logs
from assistants_server.db.models import RunRecord, VectorStoreFileRecord
from assistants_server.db.session import reading

logger = logging.getLogger(__name__)

FINISHED = {
    "thread.run.completed": "completed",
    "thread.run.incomplete": "incomplete",
    "thread.run.failed": "failed",
    "thread.run.cancelled": "cancelled",
    "thread.run.expired": "expired",
}
SECONDS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600)

REQUESTS = Counter(
    "assistants_http_requests", "HTTP requests answered", ["method", "route", "status"]
)
REQUEST_SECONDS = Histogram(
    "assistants_http_request_duration_seconds",
    "Time to answer an HTTP request (a stream: until it ends)",
    ["method", "route"],
    buckets=SECONDS,
)
RUNS_FINISHED = Counter("assistants_runs_finished", "Runs that ended, by status", ["status"])
RUN_SECONDS = Histogram(
    "assistants_run_duration_seconds",
    "Seconds from a run's creation to its end",
    ["model"],
    buckets=SECONDS,
)
FIRST_TOKEN_SECONDS = Histogram(
    "assistants_time_to_first_token_seconds",
    "Seconds from a model turn's request to the model's first token",
    ["model", "backend"],
    buckets=SECONDS,
)
TURN_SECONDS = Histogram(
    "assistants_model_turn_duration_seconds",
    "Seconds of one model turn, request to the end of its stream",
    ["model", "backend"],
    buckets=SECONDS,
)
TOKENS = Counter("assistants_tokens", "Tokens used, by model and kind", ["model", "kind"])
TOOL_CALLS = Counter("assistants_tool_calls", "Tool calls made", ["tool", "outcome"])
TOOL_SECONDS = Histogram(
    "assistants_tool_call_duration_seconds",
    "Seconds a tool call took the server (client-answered calls: none)",
    ["tool"],
    buckets=SECONDS,
)
RUNS_QUEUED = Gauge("assistants_runs_queued", "Runs waiting to be claimed")
OLDEST_QUEUED = Gauge(
    "assistants_oldest_queued_run_age_seconds", "Age of the oldest queued run (0: none)"
)
INGESTION_BACKLOG = Gauge(
    "assistants_ingestion_backlog", "Vector store files waiting to be ingested"
)
SANDBOX_SESSIONS = Gauge("assistants_sandbox_sessions", "Live code_interpreter sessions")


def runs_ended(events: Iterable[tuple[Any, ...]]) -> None:
    """Count the runs that `events` (name, data pairs, or numbered events) end."""
    now = time.time()
    for event in events:
        name, data = (event[1], event[2]) if len(event) > 2 else (event[0], event[1])
        status = FINISHED.get(name)
        if status is None:
            continue
        RUNS_FINISHED.labels(status).inc()
        created = data.get("created_at")
        if isinstance(created, int | float):
            RUN_SECONDS.labels(str(data.get("model", ""))).observe(max(0.0, now - created))


class RequestMetrics:
    """Counts and times every HTTP request by its route's template, and gives each response
    an `x-request-id` (the SDKs show it as `_request_id`), kept in the scope's `state`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = "req_" + ids.new("")
        scope.setdefault("state", {})["request_id"] = request_id
        logs.bind(request_id=request_id)  # this request's task only
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-request-id", request_id.encode()),
                ]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            route = _template(scope)
            method = scope["method"]
            REQUESTS.labels(method, route, str(status)).inc()
            REQUEST_SECONDS.labels(method, route).observe(time.perf_counter() - started)


def _template(scope: Scope) -> str:
    """The matched route's path template, with the prefix its router was included under."""
    route = scope.get("route")
    template = getattr(route, "path", None)
    regex = getattr(route, "path_regex", None)
    if template is None:
        return "unmatched"
    path: str = scope["path"]
    if regex is None or regex.match(path):
        return str(template)
    for index in range(1, len(path)):
        if path[index] == "/" and regex.match(path[index:]):
            return path[:index] + str(template)
    return str(template)


REFRESH_SECONDS = 5.0


async def refresh_queue_gauges(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    """Keep the queue gauges current, from the database, until cancelled."""
    queued = select(func.count(), func.min(RunRecord.created_at)).where(
        RunRecord.status == "queued"
    )
    backlog = select(func.count()).where(VectorStoreFileRecord.status == "in_progress")
    while True:
        try:
            async with reading(sessionmaker) as session:
                count, oldest = (await session.execute(queued)).one()
                pending = await session.scalar(backlog)
        except Exception:
            logger.warning("metrics: the queue gauges could not be read", exc_info=True)
        else:
            RUNS_QUEUED.set(count)
            OLDEST_QUEUED.set(max(0.0, time.time() - oldest) if oldest else 0.0)
            INGESTION_BACKLOG.set(pending or 0)
        await asyncio.sleep(REFRESH_SECONDS)
