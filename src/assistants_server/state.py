"""What the lifespan builds once and every request reaches through dependencies."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from assistants_server.config import Settings
from assistants_server.llm.registry import BackendRegistry
from assistants_server.storage.base import FileStorage


@dataclass
class AppState:
    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    storage: FileStorage
    backends: BackendRegistry
