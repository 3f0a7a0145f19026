"""Announcements between processes on PostgreSQL, over LISTEN/NOTIFY.

Writers announce each run event (`RUN_EVENTS`), each queued run (`WORK`) and each cancel of a
run in progress (`CANCELS`) in the transaction that writes it, so PostgreSQL delivers the
announcement when it commits. Each process listens
on one connection of its own and passes on what other processes announced: stream followers
re-read the run's events at once, executors look for work at once, and the executor driving a
cancelled run stops it at once. Without this (SQLite, or
while the listening connection is down) they find out by polling, a little later.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import asyncpg

from assistants_server.db.session import async_url
from assistants_server.runs.events import CANCELS, RUN_EVENTS, WORK, Broker

logger = logging.getLogger(__name__)

RECONNECT_SECONDS = 2.0


def is_postgres(database_url: str) -> bool:
    return async_url(database_url).get_backend_name() == "postgresql"


class PostgresListener:
    def __init__(self, database_url: str, broker: Broker) -> None:
        url = async_url(database_url).set(drivername="postgresql")
        self._dsn = url.render_as_string(hide_password=False)
        self._broker = broker
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._broker.announces = True
        self._task = asyncio.create_task(self._listen(), name="postgres-listener")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

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
        if origin != self._broker.origin:
            for run_id in run_ids:
                self._broker.poke(run_id)

    def _on_cancel(self, _connection: Any, _pid: int, _channel: str, payload: str) -> None:
        self._broker.cancel(payload)

    def _on_work(self, _connection: Any, _pid: int, _channel: str, payload: str) -> None:
        if payload != self._broker.origin:
            self._broker.wake_workers()
