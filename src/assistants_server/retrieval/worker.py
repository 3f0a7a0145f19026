"""File ingestion as a job kind of the shared leased worker (jobs/worker.py), beside the run
executor (in `serve`, or alone under `assistants-server worker`).

A vector store file `in_progress` that no live lease holds is free to claim; a file whose
worker died is claimed again once its lease lapses, and starts over.
"""

from __future__ import annotations

import time
from functools import partial

from assistants_server.db.repositories.ingestion_queue import FileKey, IngestionQueue
from assistants_server.db.session import reading, writing
from assistants_server.jobs.worker import Job, LeasedWorker
from assistants_server.retrieval.ingest import IngestionServices, ingest
from assistants_server.runs.events import Broker

CONCURRENT_FILES = 4  # files ingested at once by one process


class IngestionJobs:
    name = "ingest"

    def __init__(self, services: IngestionServices, broker: Broker, lease_seconds: float) -> None:
        self.services = services
        self.wake = broker.ingestion
        self.lease_seconds = lease_seconds

    async def claim(
        self, room: int, worker_id: str, lease_until: float
    ) -> list[tuple[FileKey, Job]]:
        maker = self.services.sessionmaker
        async with reading(maker) as session:
            waiting = await IngestionQueue(session).waiting(time.time(), room)
        claimed: list[tuple[FileKey, Job]] = []
        for key in waiting:
            async with writing(maker) as session:
                queue = IngestionQueue(session)
                if await queue.claim(key, worker_id, lease_until, time.time()):
                    job = partial(ingest, self.services, key, worker_id, self.lease_seconds)
                    claimed.append((key, job))
        return claimed

    async def renew(self, keys: list[FileKey], worker_id: str, lease_until: float) -> None:
        async with writing(self.services.sessionmaker) as session:
            await IngestionQueue(session).renew(keys, worker_id, lease_until)

    async def sweep(self, held: set[FileKey]) -> None:
        return None  # a file whose lease lapsed is free to claim again: nothing to do


def ingestion_worker(
    services: IngestionServices, broker: Broker, *, lease_seconds: float
) -> LeasedWorker[FileKey]:
    jobs = IngestionJobs(services, broker, lease_seconds)
    return LeasedWorker(jobs, capacity=CONCURRENT_FILES, lease_seconds=lease_seconds)
