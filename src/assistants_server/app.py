"""The ASGI application: `create_app(settings)`; no module-level app, engine or settings."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from assistants_server import __version__
from assistants_server.api import assistant_files, assistants, files, models
from assistants_server.config import Settings
from assistants_server.db.session import create_engine, create_sessionmaker
from assistants_server.errors import install_handlers
from assistants_server.llm.registry import BackendRegistry
from assistants_server.state import AppState
from assistants_server.storage.base import open_storage


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(settings.database_url)
        backends = BackendRegistry.from_settings(settings)
        app.state.resources = AppState(
            settings=settings,
            engine=engine,
            sessionmaker=create_sessionmaker(engine),
            storage=open_storage(settings.storage_url),
            backends=backends,
        )
        try:
            yield
        finally:
            await backends.aclose()
            await engine.dispose()

    app = FastAPI(
        title="assistants-server",
        version=__version__,
        lifespan=lifespan,
        docs_url="/docs",
        openapi_url="/openapi.json",
    )
    install_handlers(app)
    for module in (assistants, assistant_files, files, models):
        app.include_router(module.router, prefix="/v1")

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
