"""Alembic environment: async engine, URL from the caller or from ASSISTANTS_DATABASE_URL."""

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from assistants_server.config import Settings
from assistants_server.db import models  # noqa: F401  (registers every table)
from assistants_server.db.base import Base
from assistants_server.db.session import create_engine

config = context.config
database_url = config.attributes.get("database_url") or Settings().database_url


# Made outside the models: the chunks' full-text index (raw DDL in its migration), and the
# pgvector columns, added at startup where the extension exists (retrieval/pgvector.py).
_OUTSIDE_MODELS = ("chunks_fts", "search_vector", "ix_chunks_search_vector", "embedding_")


def _include_object(
    obj: object, name: str | None, kind: str, reflected: bool, compare_to: object
) -> bool:
    return not (reflected and name is not None and name.startswith(_OUTSIDE_MODELS))


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        compare_type=True,
        include_object=_include_object,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async() -> None:
    engine = create_engine(database_url)
    async with engine.connect() as connection:
        await connection.run_sync(_run)
        await connection.commit()
    await engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run against a database")
asyncio.run(_run_async())
