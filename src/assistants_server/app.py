"""The ASGI application: `create_app(settings)`; no module-level app, engine or settings."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Response
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from assistants_server import __version__, tracing
from assistants_server.api import (
    assistant_files,
    assistants,
    files,
    messages,
    models,
    run_steps,
    runs,
    threads,
    vector_store_files,
    vector_stores,
)
from assistants_server.api.inputs import BodyLimit, check_text
from assistants_server.config import Settings
from assistants_server.errors import install_handlers
from assistants_server.metrics import RequestMetrics
from assistants_server.schemas.events import stream_components
from assistants_server.state import open_state

PLAYGROUND = Path(__file__).parent / "playground"


def create_app(settings: Settings | None = None, *, with_executor: bool = True) -> FastAPI:
    """The API; with in-process workers driving runs and ingesting files unless
    `with_executor` is False (then `assistants-server worker` processes on the same database
    do that)."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with open_state(settings, with_executor=with_executor) as state:
            app.state.resources = state
            # What start-up made lives as long as the process: out of the collector's sight,
            # so its full collections (a pause for every request in flight) stay short.
            gc.collect()
            gc.freeze()
            yield

    app = FastAPI(
        title="assistants-server",
        version=__version__,
        lifespan=lifespan,
        docs_url="/docs",
        openapi_url="/openapi.json",
        dependencies=[Depends(check_text)],
    )
    app.add_middleware(BodyLimit)
    app.add_middleware(RequestMetrics)  # counts and times every answer
    if tracing.enabled():
        from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware

        app.add_middleware(OpenTelemetryMiddleware)  # outermost: a span per request
    install_handlers(app)
    # runs before threads: POST /threads/runs must not match POST /threads/{thread_id}
    routers = (
        assistants,
        assistant_files,
        files,
        models,
        runs,
        run_steps,
        threads,
        messages,
        vector_stores,
        vector_store_files,
    )
    for module in routers:
        app.include_router(module.router, prefix="/v1")

    @app.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        """Prometheus' text format; no key needed (no tenant's data is in it)."""
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    # The playground: a page of static files in the package, talking to the API like any
    # client. Under its own prefix, so a path under /v1 that matches nothing stays a 404.
    @app.get("/", include_in_schema=False)
    async def playground() -> FileResponse:
        return FileResponse(PLAYGROUND / "index.html")

    app.mount("/playground", StaticFiles(directory=PLAYGROUND), name="playground")
    _publish_stream_schemas(app)

    return app


def _publish_stream_schemas(app: FastAPI) -> None:
    """/openapi.json also describes run events (which no JSON response names): clients, the
    playground among them, can check what they read against it."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            schema.setdefault("components", {}).setdefault("schemas", {}).update(
                stream_components()
            )
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
