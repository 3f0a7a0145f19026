"""Announcements between processes on PostgreSQL, over LISTEN/NOTIFY.

Writers announce the runs whose events they wrote (`RUN_EVENTS`, many runs a payload), each
queued run (`WORK`) and each cancel of a run in progress (`CANCELS`) in the transaction that
writes it, so PostgreSQL delivers the announcement when it commits. Each process listens on one
connection of its own and passes on what other processes announced: the new events of the runs
followed here are read at once, in one statement for all of them, and handed to their
followers; executors look for work at once; the executor driving a cancelled run stops it at
once. Without this (SQLite, or while the listening connection is down) followers and executors
find out by polling, a little later.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from typing import Any

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistants_server.db.repositories.run_events import RunEventRepository
from assistants_server.db.session import async_url, reading
from assistants_server.runs.events import CANCELS, RUN_EVENTS, WORK, Broker, Numbered

logger = logging.getLogger(__name__)

RECONNECT_SECONDS = 2.0


def is_postgres(database_url: str) -> bool:
    return async_url(database_url).get_backend_name() == "postgresql"


class PostgresListener:
    """With a `sessionmaker`, the events other processes announce are read here for all the
    runs followed in this process at once, a statement for many runs, and handed to their
    followers; without, each follower reads its own run's."""

    def __init__(
        self,
        database_url: str,
        broker: Broker,
        sessionmaker: async_sessionmaker[AsyncSession] | None = None,
    ) -> None:
        url = async_url(database_url).set(drivername="postgresql")
        self._dsn = url.render_as_string(hide_password=False)
        self._broker = broker
        self._sessionmaker = sessionmaker
        self._announced: set[str] = set()
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    def start(self) -> None:
        self._broker.announces = True
        self._tasks.append(asyncio.create_task(self._listen(), name="postgres-listener"))
        if self._sessionmaker is not None:
            self._tasks.append(asyncio.create_task(self._feed(), name="announced-events"))

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _feed(self) -> None:
        """Read the announced runs' new events, for every follower here at once."""
        assert self._sessionmaker is not None
        while True:
            await self._wake.wait()
            self._wake.clear()
            announced, self._announced = list(self._announced), set()
            after = self._broker.delivered(announced)
            if not after:
                continue
            try:
                async with reading(self._sessionmaker) as session:
                    rows = await RunEventRepository(session).after_each(after)
            except Exception as exc:
                logger.warning("cannot read announced run events (%s)", exc)
                for run_id in after:
                    self._broker.poke(run_id)  # their followers read for themselves
                continue
            for run_id, numbered in itertools.groupby(rows, key=lambda row: row[0]):
                events = [Numbered(seq, name, data) for _, seq, name, data in numbered]
                self._broker.publish(run_id, events)

    async def _listen(self) -> None:
        while True:
            try:
                await self._listen_once()
                logger.warning("lost the LISTEN connection to PostgreSQL; reconnecting")
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                logger.warning("cannot LISTEN on PostgreSQL (%s); polling meanwhile", exc)
            await asyncio.sleep(RECONNECT_SECONDS)

    async def _listen_once(self) -> None:
        """Listen on one connection until it is lost."""
        connection = await asyncpg.connect(self._dsn)
        try:
            lost = asyncio.Event()
            connection.add_termination_listener(lambda _: lost.set())
            await connection.add_listener(RUN_EVENTS, self._on_run_events)
            await connection.add_listener(WORK, self._on_work)
            await connection.add_listener(CANCELS, self._on_cancel)
            self._broker.wake_workers()  # announcements may have been missed meanwhile
            await lost.wait()
        finally:
            if not connection.is_closed():
                await connection.close()

    def _on_run_events(self, _connection: Any, _pid: int, _channel: str, payload: str) -> None:
        origin, *run_ids = payload.split(" ")
        if origin == self._broker.origin:
            return
        if self._sessionmaker is None:
            for run_id in run_ids:
                self._broker.poke(run_id)
            return
        self._announced.update(run_ids)
        self._wake.set()

    def _on_cancel(self, _connection: Any, _pid: int, _channel: str, payload: str) -> None:
        self._broker.cancel(payload)

    def _on_work(self, _connection: Any, _pid: int, _channel: str, payload: str) -> None:
        if payload != self._broker.origin:
            self._broker.wake_workers()
