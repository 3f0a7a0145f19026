"""Engine and sessionmaker from a database URL, in the form users already write."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.dialects import registry
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session

from assistants_server.db import sqlite

_ASYNC_DRIVERS = {"sqlite": "sqlite+inline", "postgresql": "postgresql+asyncpg"}
registry.register("sqlite.inline", "assistants_server.db.sqlite", "InlineSQLiteDialect")


def async_url(database_url: str) -> URL:
    """`sqlite:///x.db` -> the inline SQLite dialect (db/sqlite.py), as is `sqlite+aiosqlite`;
    `postgresql://` -> asyncpg; `postgres://` too. Other drivers named for PostgreSQL are kept."""
    url = make_url(database_url.replace("postgres://", "postgresql://", 1))
    backend = url.get_backend_name()
    if backend not in _ASYNC_DRIVERS:
        raise ValueError(f"unsupported database {backend!r}: use sqlite:// or postgresql://")
    if url.drivername == backend or backend == "sqlite":
        url = url.set(drivername=_ASYNC_DRIVERS[backend])
    return url


def create_engine(database_url: str) -> AsyncEngine:
    url = async_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        # connections are cheap (a file handle); each session holds one while it lives
        engine = create_async_engine(
            url,
            pool_size=100,
            max_overflow=400,
            pool_timeout=120,
            pool_reset_on_return=None,  # sessions end their transactions themselves
        )
        sqlite.prepare(engine.sync_engine)
        return engine
    return create_async_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def after_commit(session: AsyncSession | Session, callback: Callable[[], None]) -> None:
    """Call `callback` once the session's transaction has committed (never on rollback): how
    workers are woken and stream followers told, only after the rows they will read exist."""
    session.info.setdefault("after_commit", []).append(callback)


def after_rollback(session: AsyncSession | Session, callback: Callable[[], None]) -> None:
    """Call `callback` if the session's transaction rolls back instead of committing."""
    session.info.setdefault("after_rollback", []).append(callback)


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    session.info.pop("after_rollback", None)
    for callback in session.info.pop("after_commit", []):
        callback()


@event.listens_for(Session, "after_rollback")
def _run_after_rollback(session: Session) -> None:
    session.info.pop("after_commit", None)
    for callback in session.info.pop("after_rollback", []):
        callback()


@asynccontextmanager
async def _opened(sessionmaker: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """A session, closed when the block ends. SQLAlchemy closes one in a task of its own, so
    that a cancel cannot cut the close short; on SQLite nothing in a close waits, so it is
    closed here at once, without that task."""
    session = sessionmaker()
    if session.bind is None or session.bind.dialect.name != "sqlite":
        async with session:
            yield session
        return
    try:
        yield session
    finally:
        await session.close()


@asynccontextmanager
async def writing(sessionmaker: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """A session in a transaction, committed when the block ends (rolled back if it raises).
    Use it instead of `sessionmaker.begin()`, which commits in a task of its own, a turn of the
    event loop later: SQLite's write lock would be held, idle, all that while."""
    async with _opened(sessionmaker) as session, session.begin():
        yield session


@asynccontextmanager
async def reading(sessionmaker: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """A session that only reads: on SQLite it does not wait for, or hold, the write lock."""
    async with _opened(sessionmaker) as session:
        await session.connection(execution_options={sqlite.READ_ONLY: True})
        yield session
