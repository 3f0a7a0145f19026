"""Migrations: a full round trip, and no difference between the models and the migrations."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect

from assistants_server.db.base import Base
from assistants_server.db.migrate import alembic_config
from assistants_server.db.session import create_engine
from tests.conftest import database_url


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, postgres_server: str | None, tmp_path: Path) -> str:
    return database_url(request.param, postgres_server, tmp_path, "migrations")


def _tables(url: str) -> set[str]:
    async def read() -> set[str]:
        engine = create_engine(url)
        async with engine.connect() as connection:
            names = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
        await engine.dispose()
        # SQLite's full-text index of chunks is a virtual table with shadow tables, made by
        # the migration outside the models
        return {name for name in names if not name.startswith("chunks_fts")} - {"alembic_version"}

    return asyncio.run(read())


def test_upgrade_downgrade_round_trip(url: str) -> None:
    config = alembic_config(url)
    command.upgrade(config, "head")
    assert _tables(url) == set(Base.metadata.tables)
    command.downgrade(config, "base")
    assert _tables(url) == set()
    command.upgrade(config, "head")
    assert _tables(url) == set(Base.metadata.tables)


def test_models_match_migrations(url: str) -> None:
    config = alembic_config(url)
    command.upgrade(config, "head")
    command.check(config)  # raises if autogenerate would produce any operation
