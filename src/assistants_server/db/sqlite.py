"""SQLite under the async engine, with statements run inline on the event loop.

SQLite answers from its page cache in microseconds: far less than a hop to a worker thread and
back, which is what a thread-per-connection driver pays for every call (about 0.2 ms, and a
wait for the GIL under load). So this dialect calls `sqlite3` directly from the greenlet that
SQLAlchemy's asyncio layer runs it in, with three guards that keep the loop from stalling:

- One writer at a time in this process: a write transaction waits, asynchronously, for the
  engine's lock before `BEGIN IMMEDIATE`, so SQLite's busy handler (a sleep that would block the
  loop) is never met inside the process. A lock held by another process is waited for with
  asyncio sleeps.
- Statements executed with `OFFLOAD` (full-text and vector searches, loading vectors) run in a
  worker thread, rows and all, as a thread-per-connection driver would.
- Automatic WAL checkpoints (a copy and an fsync) are off on these connections:
  `checkpoint_forever` runs them in a thread, beside the engine.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections import deque
from collections.abc import Sequence
from typing import Any

from sqlalchemy import event, pool
from sqlalchemy.dialects.sqlite.base import SQLiteExecutionContext
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.util import await_

logger = logging.getLogger(__name__)

OFFLOAD = "assistants_offload"  # execution option: run this statement in a worker thread
OFFLOADED = {OFFLOAD: True}  # the same, to spread into `execution_options(**OFFLOADED)`
READ_ONLY = "assistants_read_only"  # execution option: begin without taking the write lock
BUSY_TIMEOUT_MS = 50  # SQLite's own wait: only a reader meeting a rare WAL recovery uses it
LOCK_WAIT_SECONDS = 30.0  # how long a writer waits for another process to let go


async def _passed() -> None:
    """An await that never suspends."""


class _Cursor:
    """A `sqlite3.Cursor`. After an offloaded statement: the rows it fetched in the worker
    thread, or, for a streamed (server-side) result, further fetches in that thread too."""

    def __init__(self, connection: InlineConnection, server_side: bool) -> None:
        self._cursor = connection.sqlite.cursor()
        self._server_side = server_side
        self._offloaded = False
        self._rows: deque[Any] | None = None  # fetched already
        self._description: Any = None

    @property
    def description(self) -> Any:
        return self._description if self._rows is not None else self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value

    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> _Cursor:
        self._rows, self._offloaded = None, False
        self._cursor.execute(sql, parameters)
        await_(_passed())  # SQLAlchemy's AsyncConnection checks that its driver awaited
        return self

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> _Cursor:
        self._rows, self._offloaded = None, False
        self._cursor.executemany(sql, rows)
        await_(_passed())
        return self

    def execute_offloaded(self, sql: str, parameters: Sequence[Any]) -> None:
        self._rows, self._offloaded = None, True
        if self._server_side:
            await_(asyncio.to_thread(self._cursor.execute, sql, parameters))
            return

        def run() -> tuple[Any, list[Any]]:
            self._cursor.execute(sql, parameters)
            return self._cursor.description, self._cursor.fetchall()

        self._description, rows = await_(asyncio.to_thread(run))
        self._rows = deque(rows)

    def _fetch(self, fetch: Any, *args: Any) -> Any:
        if self._offloaded:
            return await_(asyncio.to_thread(fetch, *args))
        return fetch(*args)

    def fetchone(self) -> Any:
        if self._rows is None:
            return self._fetch(self._cursor.fetchone)
        return self._rows.popleft() if self._rows else None

    def fetchmany(self, size: int | None = None) -> list[Any]:
        if self._rows is None:
            return list(self._fetch(self._cursor.fetchmany, size or self._cursor.arraysize))
        count = min(size or self._cursor.arraysize, len(self._rows))
        return [self._rows.popleft() for _ in range(count)]

    def fetchall(self) -> list[Any]:
        if self._rows is None:
            return list(self._fetch(self._cursor.fetchall))
        rows, self._rows = list(self._rows), deque()
        return rows

    async def _async_soft_close(self) -> None:
        """SQLAlchemy's asyncio layer calls this once a buffered result is made: take the
        rest of the rows now, so the statement is finished."""
        if self._rows is None and self._cursor.description is not None:
            self._description = self._cursor.description
            self._rows = deque(self._cursor.fetchall())

    def close(self) -> None:
        self._cursor.close()


class InlineConnection:
    """A `sqlite3.Connection` that takes its engine's write lock for write transactions."""

    def __init__(self, connection: sqlite3.Connection, writer: asyncio.Lock) -> None:
        self.sqlite = connection
        self._writer = writer
        self._writing = False

    @property
    def isolation_level(self) -> str | None:
        return self.sqlite.isolation_level

    @isolation_level.setter
    def isolation_level(self, value: Any) -> None:
        self.sqlite.isolation_level = value

    def cursor(self, server_side: bool = False) -> _Cursor:
        return _Cursor(self, server_side)

    def begin(self, *, write: bool) -> None:
        if not write:
            self.sqlite.execute("BEGIN")
            return
        await_(self._writer.acquire())
        self._writing = True
        try:
            self._begin_immediate()
        except BaseException:
            self._release()
            raise

    def _begin_immediate(self) -> None:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        pause = 0.005
        while True:
            try:
                self.sqlite.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
            await_(asyncio.sleep(pause))  # another process writes: wait without blocking
            pause = min(pause * 2, 0.1)

    def _release(self) -> None:
        if self._writing:
            self._writing = False
            self._writer.release()

    def commit(self) -> None:
        try:
            self.sqlite.commit()
        finally:
            self._release()

    def rollback(self) -> None:
        try:
            self.sqlite.rollback()
        finally:
            self._release()

    def close(self) -> None:
        try:
            self.sqlite.close()
        finally:
            self._release()

    def create_function(self, *args: Any, **kwargs: Any) -> None:
        self.sqlite.create_function(*args, **kwargs)


class _DBAPI:
    """The `sqlite3` module, with `connect` making inline connections that share one write
    lock: one per engine, as `import_dbapi` is called once per engine."""

    paramstyle = "qmark"

    def __init__(self) -> None:
        self.writer = asyncio.Lock()

    def __getattr__(self, name: str) -> Any:
        return getattr(sqlite3, name)

    def connect(self, *args: Any, **kwargs: Any) -> InlineConnection:
        kwargs["check_same_thread"] = False  # offloaded statements run in a worker thread
        kwargs.pop("factory", None)
        return InlineConnection(sqlite3.connect(*args, **kwargs), self.writer)


class _ExecutionContext(SQLiteExecutionContext):
    def create_server_side_cursor(self) -> Any:
        return self._dbapi_connection.cursor(server_side=True)


class InlineSQLiteDialect(SQLiteDialect_pysqlite):
    driver = "inline"
    is_async = True
    supports_statement_cache = True
    supports_server_side_cursors = True
    execution_ctx_cls = _ExecutionContext

    @classmethod
    def import_dbapi(cls) -> Any:
        return _DBAPI()

    @classmethod
    def get_pool_class(cls, url: URL) -> type[pool.Pool]:
        return pool.AsyncAdaptedQueuePool if cls._is_url_file_db(url) else pool.StaticPool

    def get_driver_connection(self, connection: Any) -> Any:
        return connection

    def do_execute(self, cursor: Any, statement: str, parameters: Any, context: Any = None) -> None:
        if context is not None and context.execution_options.get(OFFLOAD):
            cursor.execute_offloaded(statement, parameters)
        else:
            cursor.execute(statement, parameters)

    def do_terminate(self, dbapi_connection: Any) -> None:
        dbapi_connection.close()


def _configure(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # transactions are begun by `_begin`
    for pragma in (
        "foreign_keys=ON",
        "journal_mode=WAL",
        "synchronous=NORMAL",  # durable in WAL mode, and far fewer fsyncs
        f"busy_timeout={BUSY_TIMEOUT_MS}",
        "wal_autocheckpoint=0",  # see `checkpoint`
    ):
        dbapi_connection.sqlite.execute(f"PRAGMA {pragma}")


def _begin(connection: Connection) -> None:
    """Write transactions take the write lock at BEGIN (a deferred transaction that reads, then
    writes, could fail with "database is locked" instead of waiting its turn); sessions opened
    with `READ_ONLY` begin without it."""
    read_only = bool(connection.get_execution_options().get(READ_ONLY))
    dbapi_connection: Any = connection.connection.dbapi_connection
    dbapi_connection.begin(write=not read_only)


def prepare(engine: Engine) -> None:
    """Install the connection set-up and the begin hook on a sync engine of this dialect."""
    event.listen(engine, "connect", _configure)
    event.listen(engine, "begin", _begin)


CHECKPOINT_SECONDS = 1.0


async def checkpoint_forever(engine: AsyncEngine) -> None:
    """Copy the WAL back into the database file every `CHECKPOINT_SECONDS`, in a worker thread
    on a connection of its own (PASSIVE: it never waits for readers or writers), so the copy
    and the fsync it ends with stay off the loop."""
    path = engine.url.database
    if not path or path == ":memory:":
        return

    def checkpoint() -> None:
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            connection.close()

    while True:
        await asyncio.sleep(CHECKPOINT_SECONDS)
        try:
            await asyncio.to_thread(checkpoint)
        except sqlite3.Error as exc:
            logger.warning("SQLite checkpoint failed (%s); trying again", exc)
