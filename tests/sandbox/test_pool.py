"""SessionPool: one session per key, least recently used evicted, idle ones swept."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import pytest

from assistants_server.sandbox import Limits, Sandbox, SandboxUnavailable
from assistants_server.sandbox.bubblewrap import BubblewrapSandbox
from assistants_server.sandbox.fake import FakeSandbox
from assistants_server.sandbox.pool import SessionPool

MakePool = Callable[..., SessionPool]


@pytest.fixture
async def make_pool() -> AsyncIterator[MakePool]:
    pools: list[SessionPool] = []

    def make(sandbox: Sandbox, max_sessions: int = 32, idle_seconds: float = 1200) -> SessionPool:
        pool = SessionPool(sandbox, Limits(), max_sessions, idle_seconds)
        pools.append(pool)
        return pool

    yield make
    for pool in pools:
        await pool.close_all()


async def test_one_session_per_key(make_pool: MakePool) -> None:
    sandbox = FakeSandbox()
    pool = make_pool(sandbox)
    first = await pool.session("thread_a")
    assert await pool.session("thread_a") is first
    assert await pool.session("thread_b") is not first
    assert (pool.live, len(sandbox.sessions)) == (2, 2)


async def test_concurrent_callers_share_one_start(make_pool: MakePool) -> None:
    sandbox = FakeSandbox(delay=0.05)
    pool = make_pool(sandbox)
    sessions = await asyncio.gather(*(pool.session("thread") for _ in range(10)))
    assert all(session is sessions[0] for session in sessions)
    assert len(sandbox.sessions) == 1


async def test_least_recently_used_is_closed_first(make_pool: MakePool) -> None:
    pool = make_pool(FakeSandbox(), max_sessions=2)
    a = await pool.session("a")
    b = await pool.session("b")
    assert await pool.session("a") is a
    c = await pool.session("c")
    assert (a.closed, b.closed, c.closed, pool.live) == (False, True, False, 2)
    assert await pool.session("b") is not b  # a new one, `a` closed for it
    assert a.closed


async def test_idle_sessions_are_swept(make_pool: MakePool) -> None:
    pool = make_pool(FakeSandbox(), idle_seconds=0.2)
    idle = await pool.session("idle")
    busy = await pool.session("busy")
    for _ in range(5):
        await asyncio.sleep(0.1)
        assert await pool.session("busy") is busy
    assert (idle.closed, busy.closed, pool.live) == (True, False, 1)
    replaced = await pool.session("idle")
    assert replaced is not idle
    assert replaced.fresh


async def test_a_closed_session_is_replaced(make_pool: MakePool) -> None:
    pool = make_pool(FakeSandbox())
    session = await pool.session("thread")
    await session.close()
    assert await pool.session("thread") is not session


async def test_close_and_close_all(make_pool: MakePool) -> None:
    pool = make_pool(FakeSandbox())
    a, b, c = [await pool.session(key) for key in "abc"]
    await pool.close("a")
    assert (a.closed, pool.live) == (True, 2)
    await pool.close("missing")
    await pool.close_all()
    assert (b.closed, c.closed, pool.live) == (True, True, 0)


async def test_a_failed_start_reaches_every_caller_and_is_retried(make_pool: MakePool) -> None:
    sandbox = FakeSandbox(delay=0.05, unavailable="not today")
    pool = make_pool(sandbox)
    results = await asyncio.gather(*(pool.session("t") for _ in range(3)), return_exceptions=True)
    assert [str(result) for result in results] == ["not today"] * 3
    assert all(isinstance(result, SandboxUnavailable) for result in results)
    sandbox.unavailable = ""
    assert (await pool.session("t")).key == "t"


async def test_real_sessions_shared_and_taking_turns(
    make_pool: MakePool, sandbox: BubblewrapSandbox
) -> None:
    pool = make_pool(sandbox)
    sessions = await asyncio.gather(*(pool.session("thread") for _ in range(5)))
    assert len({id(session) for session in sessions}) == 1
    outputs = await asyncio.gather(
        sessions[0].run("import time\ntime.sleep(0.2)\ncount = 1"),
        *(session.run("count += 1\ncount") for session in sessions[1:]),
    )
    assert [output.logs for output in outputs] == ["", "2\n", "3\n", "4\n", "5\n"]
