"""Announcements between processes on PostgreSQL: what one process writes wakes another's
stream followers and executor at once, and never its own (those are told in memory)."""

from __future__ import annotations

import asyncio
import os

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistants_server.db.migrate import upgrade_to_head
from assistants_server.db.models import RunRecord
from assistants_server.db.session import create_engine, create_sessionmaker
from assistants_server.runs.events import (
    RUN_EVENTS,
    Broker,
    announce_work,
    emit,
    run_announcements,
)
from assistants_server.runs.notify import PostgresListener
from tests.runs.records import new_run
from tests.servers import create_database


@pytest.fixture
async def database(postgres_server: str | None) -> str:
    if postgres_server is None:
        if os.environ.get("ASSISTANTS_TEST_REQUIRE_POSTGRES") == "1":
            pytest.fail("PostgreSQL is required but missing")
        pytest.skip("PostgreSQL binaries not found")
    return await asyncio.to_thread(create_database, postgres_server, "notify")


async def listening(
    database: str, broker: Broker, sessionmaker: async_sessionmaker[AsyncSession] | None = None
) -> PostgresListener:
    listener = PostgresListener(database, broker, sessionmaker)
    listener.start()
    for _ in range(100):  # until it has connected: it wakes its executor then
        if broker.work.is_set():
            broker.work.clear()
            return listener
        await asyncio.sleep(0.05)
    pytest.fail("the listener did not connect")


async def until(condition: asyncio.Event) -> bool:
    try:
        await asyncio.wait_for(condition.wait(), 5)
    except TimeoutError:
        return False
    return True


async def test_run_events_and_work_reach_other_processes_only(database: str) -> None:
    here, there = Broker(), Broker()
    listeners = [await listening(database, here), await listening(database, there)]
    assert here.announces
    assert here.origin != there.origin
    seen_here, seen_there = here.subscribe("run_x"), there.subscribe("run_x")
    engine = create_engine(database)
    try:
        async with create_sessionmaker(engine).begin() as session:
            payload = f"{here.origin} run_x"  # what `emit` announces for each write
            await session.execute(select(func.pg_notify(RUN_EVENTS, payload)))
            await announce_work(session, here)
        assert await until(there.work)
        assert await until(seen_there.ready)
        assert seen_there.take() == ([], True)  # read the database: the events are there
        assert here.work.is_set()  # told in memory, after the commit
        assert not seen_here.ready.is_set()
        assert seen_here.take() == ([], False)
    finally:
        await engine.dispose()
        for listener in listeners:
            await listener.stop()


def test_many_runs_are_announced_in_few_payloads_within_postgresqls_limit() -> None:
    run_ids = [f"run_{n:022d}" for n in range(1000)]
    payloads = run_announcements("origin", run_ids)
    assert 1 < len(payloads) < 10
    assert all(len(payload.encode()) <= 8000 for payload in payloads)
    named = [run_id for payload in payloads for run_id in payload.split(" ")[1:]]
    assert named == run_ids
    assert all(payload.split(" ")[0] == "origin" for payload in payloads)
    assert run_announcements("origin", []) == []


async def test_announced_events_reach_followers_here_without_each_reading(database: str) -> None:
    """A run written by another process: this process reads its new events once, for all
    its followers, and hands them over as it does its own."""
    await asyncio.to_thread(upgrade_to_head, database)
    engine = create_engine(database)
    maker = create_sessionmaker(engine)
    here, there = Broker(), Broker()
    listeners = [await listening(database, here), await listening(database, there, maker)]
    run_id, _ = await new_run(maker)
    first, second = there.subscribe(run_id), there.subscribe(run_id)
    try:
        async with maker.begin() as session:
            run = await session.get(RunRecord, run_id)
            assert run is not None
            await emit(session, here, run, ("thread.run.step.created", {"id": "step_1"}))
            await emit(session, here, run, ("thread.run.step.completed", {"id": "step_1"}))
        assert await until(first.ready)
        for subscription in (first, second):
            pending, stale = subscription.take()
            assert [(e.seq, e.name) for e in pending] == [
                (1, "thread.run.step.created"),
                (2, "thread.run.step.completed"),
            ]
            assert not stale  # handed over: no need to read the database
        assert there.delivered([run_id, "run_other"]) == {run_id: 2}
    finally:
        for listener in listeners:
            await listener.stop()
        await engine.dispose()
