"""The ingestion worker: claims vector store files waiting to be ingested and ingests a few at
once, beside the run executor (in `serve`, or alone under `assistants-server worker`).

Like runs, files are claimed with a conditional UPDATE and held under a lease that the worker
renews; a file whose worker died is claimed again once its lease lapses, and starts over.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from assistants_server import ids
from assistants_server.db.repositories.ingestion_queue import FileKey, IngestionQueue
from assistants_server.db.session import reading, writing
from assistants_server.retrieval.ingest import IngestionServices, ingest
from assistants_server.runs.events import Broker

logger = logging.getLogger(__name__)

CONCURRENT_FILES = 4  # files ingested at once by one process
IDLE_POLL_SECONDS = 0.5  # how often an idle worker looks for files queued elsewhere


class IngestionWorker:
    def __init__(
        self, services: IngestionServices, broker: Broker, *, lease_seconds: float
    ) -> None:
        self.services = services
        self.broker = broker
        self.lease_seconds = lease_seconds
        self.worker_id = ids.new("ingest_")
        self._running: dict[FileKey, asyncio.Task[None]] = {}
        self._main: asyncio.Task[None] | None = None
        self._next_renewal = 0.0

    def start(self) -> None:
        self._main = asyncio.create_task(self._serve(), name="ingestion-worker")

    async def stop(self) -> None:
        """Stop at once; files in hand are taken up again by the next worker whose sweep
        finds their lease lapsed."""
        tasks = [task for task in (self._main, *self._running.values()) if task is not None]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _serve(self) -> None:
        wake = self.broker.ingestion
        while True:
            try:
                await self._renew()
                wake.clear()
                await self._claim()
            except Exception:
                logger.exception("ingestion worker: database unavailable; retrying")
                await asyncio.sleep(1.0)
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), IDLE_POLL_SECONDS)

    async def _claim(self) -> None:
        free = CONCURRENT_FILES - len(self._running)
        if free <= 0:
            return
        maker = self.services.sessionmaker
        async with reading(maker) as session:
            waiting = await IngestionQueue(session).waiting(time.time(), free)
        for key in waiting:
            async with writing(maker) as session:
                lease = time.time() + self.lease_seconds
                if not await IngestionQueue(session).claim(key, self.worker_id, lease, time.time()):
                    continue
            task = asyncio.create_task(self._ingest(key), name=f"ingest {key[1]}")
            self._running[key] = task

    async def _ingest(self, key: FileKey) -> None:
        try:
            await ingest(self.services, key, self.worker_id, self.lease_seconds)
        finally:
            self._running.pop(key, None)
            self.broker.ingestion.set()  # a slot is free

    async def _renew(self) -> None:
        if not self._running or time.monotonic() < self._next_renewal:
            return
        self._next_renewal = time.monotonic() + self.lease_seconds / 3
        async with writing(self.services.sessionmaker) as session:
            lease = time.time() + self.lease_seconds
            await IngestionQueue(session).renew(list(self._running), self.worker_id, lease)
