"""What the lifespan (or a standalone worker) builds once and every request reaches through
dependencies."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from assistants_server import metrics
from assistants_server.config import Settings, with_config_file
from assistants_server.db import sqlite
from assistants_server.db.repositories.ingestion_queue import FileKey
from assistants_server.db.session import create_engine, create_sessionmaker
from assistants_server.jobs.periodic import Periodic, PeriodicJobs
from assistants_server.jobs.worker import LeasedWorker
from assistants_server.llm.registry import BackendRegistry
from assistants_server.retrieval import pgvector
from assistants_server.retrieval.embeddings import Embedder
from assistants_server.retrieval.ingest import IngestionServices
from assistants_server.retrieval.search import Searcher
from assistants_server.retrieval.vectors import InDatabaseVectors, VectorIndex
from assistants_server.retrieval.worker import ingestion_worker
from assistants_server.runs.context import RunServices
from assistants_server.runs.dispatch import Dispatch
from assistants_server.runs.events import Broker
from assistants_server.runs.executor import RunExecutor
from assistants_server.runs.notify import PostgresListener, is_postgres
from assistants_server.runs.writer import RunWriter
from assistants_server.sandbox.base import Limits, SandboxUnavailable
from assistants_server.sandbox.bubblewrap import BubblewrapSandbox
from assistants_server.sandbox.pool import SessionPool
from assistants_server.storage.base import FileStorage, open_storage
from assistants_server.storage.sweep import sweep_orphans
from assistants_server.tools.code_interpreter import CodeServices

logger = logging.getLogger(__name__)


@dataclass
class AppState:
    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    storage: FileStorage
    backends: BackendRegistry
    broker: Broker
    searcher: Searcher
    code: CodeServices = field(default_factory=lambda: CodeServices(None, "not started"))
    executor: RunExecutor | None = None
    ingestion: LeasedWorker[FileKey] | None = None

    @property
    def dispatch(self) -> Dispatch:
        return Dispatch(self.broker, self.executor, self.settings.tool_outputs_timeout)

    def run_services(self, writer: RunWriter) -> RunServices:
        return RunServices(
            sessionmaker=self.sessionmaker,
            broker=self.broker,
            writer=writer,
            backends=self.backends,
            storage=self.storage,
            searcher=self.searcher,
            action_expiry_seconds=self.settings.tool_outputs_timeout,
            code=self.code,
        )

    def ingestion_services(self) -> IngestionServices:
        return IngestionServices(
            sessionmaker=self.sessionmaker,
            storage=self.storage,
            embedder=self.searcher.embedder,
            vectors=self.searcher.vectors,
        )


async def _vector_index(engine: AsyncEngine) -> VectorIndex:
    """pgvector where the PostgreSQL database has it, else vectors in the `chunks` table."""
    if engine.dialect.name == "postgresql" and await pgvector.prepare(engine):
        logger.info("vectors: pgvector")
        return pgvector.PgVectorIndex()
    return InDatabaseVectors()


def _periodic_worker(state: AppState) -> LeasedWorker[str]:
    """The jobs run every so often, by one worker at a time across processes."""
    every = state.settings.orphan_sweep_seconds
    sweep = partial(sweep_orphans, state.sessionmaker, state.storage, every)
    jobs = PeriodicJobs(state.sessionmaker, [Periodic("sweep-orphaned-bytes", every, sweep)])
    lease = state.settings.run_lease_seconds
    return LeasedWorker(jobs, capacity=1, lease_seconds=lease, poll_seconds=min(every / 4, 30))


def _code_services(settings: Settings) -> CodeServices:
    """Sessions for code_interpreter, or why there are none (said once, here)."""
    if settings.code_sandbox == "none":
        reason = "code execution is turned off (ASSISTANTS_CODE_SANDBOX=none)"
        logger.info("code_interpreter is unavailable: %s", reason)
        return CodeServices(None, reason)
    root = settings.code_dir or Path(tempfile.mkdtemp(prefix="assistants-code-"))
    root.mkdir(parents=True, exist_ok=True)
    sandbox = BubblewrapSandbox(root)
    try:
        sandbox.check()
    except SandboxUnavailable as exc:
        logger.warning("code_interpreter is unavailable: %s", exc)
        return CodeServices(None, str(exc))
    limits = Limits(
        timeout_seconds=settings.code_timeout,
        memory_mb=settings.code_memory_mb,
        processes=settings.code_processes,
        data_bytes=settings.code_data_mb * 1024 * 1024,
        log_chars=settings.code_log_chars,
    )
    pool = SessionPool(sandbox, limits, settings.code_sessions, settings.code_idle_seconds)
    return CodeServices(pool)


@asynccontextmanager
async def open_state(settings: Settings, *, with_executor: bool) -> AsyncIterator[AppState]:
    """Engine, storage, backends, broker and searcher; with workers driving runs and
    ingesting files if asked."""
    settings = with_config_file(settings)
    engine = create_engine(settings.database_url)
    backends = BackendRegistry.from_settings(settings)
    state = AppState(
        settings=settings,
        engine=engine,
        sessionmaker=create_sessionmaker(engine),
        storage=open_storage(settings.storage_url),
        backends=backends,
        broker=Broker(),
        searcher=Searcher(
            Embedder(backends, settings.embeddings_model), await _vector_index(engine)
        ),
    )
    tasks = [asyncio.create_task(metrics.refresh_queue_gauges(state.sessionmaker))]
    if engine.dialect.name == "sqlite":
        tasks.append(asyncio.create_task(sqlite.checkpoint_forever(engine), name="checkpoint"))
    if isinstance(state.searcher.vectors, pgvector.PgVectorIndex):
        tasks.append(asyncio.create_task(pgvector.backfill(engine), name="pgvector-backfill"))
    listener = None
    if is_postgres(settings.database_url):
        listener = PostgresListener(settings.database_url, state.broker, state.sessionmaker)
        listener.start()
    writer = None
    if with_executor:
        state.code = _code_services(settings)
        pool = state.code.pool
        if pool is not None:
            metrics.SANDBOX_SESSIONS.set_function(lambda: pool.live)
        writer = RunWriter(state.sessionmaker, state.broker)
        writer.start()
        state.executor = RunExecutor(
            state.run_services(writer),
            max_concurrent_runs=settings.max_concurrent_runs,
            lease_seconds=settings.run_lease_seconds,
        )
        state.executor.start()
        state.ingestion = ingestion_worker(
            state.ingestion_services(), state.broker, lease_seconds=settings.run_lease_seconds
        )
        state.ingestion.start()
        periodic = _periodic_worker(state)
        periodic.start()
    try:
        yield state
    finally:
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if state.ingestion is not None:
            await state.ingestion.stop()
            await periodic.stop()
        if state.executor is not None:
            await state.executor.stop()
        if writer is not None:
            await writer.stop()
        if state.code.pool is not None:
            await state.code.pool.close_all()
        if listener is not None:
            await listener.stop()
        await backends.aclose()
        await engine.dispose()
