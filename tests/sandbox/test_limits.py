"""Bombs and endless loops: each is stopped, says so, leaves the server responsive, and the
session works again on the next call."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable

import pytest

from assistants_server.sandbox import Limits, Output, Session
from assistants_server.sandbox.session import RESTARTED
from tests.sandbox.conftest import StartSession

FORK_BOMB = "import os\nwhile True:\n    os.fork()\n"
QUIET_FORK_BOMB = """
import os
while True:
    try:
        os.fork()
    except OSError:
        pass
"""
ALLOCATION = "x = bytearray(10**11)"
GROWTH = "chunks = []\nwhile True:\n    chunks.append(bytearray(10**7))"
ENDLESS = "while True:\n    pass"


async def watched(call: Awaitable[Output]) -> tuple[Output, float]:
    """The call's output, and the longest time the event loop went without running a ticking
    task meanwhile: the server stays responsive if it is short."""
    gaps = [0.0]

    async def tick() -> None:
        last = time.monotonic()
        while True:
            await asyncio.sleep(0.01)
            now = time.monotonic()
            gaps.append(now - last)
            last = now

    ticker = asyncio.create_task(tick())
    try:
        output = await call
    finally:
        ticker.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await ticker
    return output, max(gaps)


async def works_again(session: Session) -> None:
    output = await session.run("print('still here')")
    assert (output.logs, output.error) == ("still here\n", False)


async def test_fork_bomb(start_session: StartSession) -> None:
    session = await start_session()
    output, gap = await watched(session.run(FORK_BOMB))
    assert output.error
    assert "BlockingIOError: [Errno 11] Resource temporarily unavailable" in output.logs
    assert "a session may run at most 64 processes and threads" in output.logs
    assert gap < 0.5
    await works_again(session)


async def test_fork_bomb_that_keeps_trying(start_session: StartSession) -> None:
    session = await start_session(limits=Limits(timeout_seconds=2))
    output, gap = await watched(session.run(QUIET_FORK_BOMB))
    assert output.error
    assert output.logs.endswith(f"Execution timed out after 2 s; {RESTARTED}")
    assert gap < 0.5
    await works_again(session)


@pytest.mark.parametrize("code", [ALLOCATION, GROWTH], ids=["allocation", "growth"])
async def test_memory_bomb(start_session: StartSession, code: str) -> None:
    session = await start_session()
    await session.run("kept = 1")
    output, gap = await watched(session.run(code))
    assert output.error
    assert "MemoryError" in output.logs
    assert output.logs.endswith(f"Memory limit of 1024 MB reached; {RESTARTED}")
    assert gap < 0.5
    await works_again(session)
    assert "NameError" in (await session.run("kept")).logs


async def test_endless_loop(start_session: StartSession) -> None:
    session = await start_session(limits=Limits(timeout_seconds=1))
    await session.put("kept.txt", b"kept")
    await session.run("x = 1")
    started = time.monotonic()
    output, gap = await watched(session.run(ENDLESS))
    assert 1 <= time.monotonic() - started < 3
    assert output == Output(
        logs=f"Execution timed out after 1 s; {RESTARTED}",
        images=[],
        files=[],
        error=True,
    )
    assert gap < 0.5
    await works_again(session)
    assert "NameError: name 'x' is not defined" in (await session.run("x")).logs
    assert await session.read("kept.txt") == b"kept"


async def test_output_before_a_timeout_is_kept(start_session: StartSession) -> None:
    session = await start_session(limits=Limits(timeout_seconds=1))
    output = await session.run("print('started')\nwhile True:\n    pass")
    assert output.logs.startswith("started\nExecution timed out after 1 s")


async def test_data_written_during_a_run_is_watched(start_session: StartSession) -> None:
    """Many files, each under the size limit, are stopped while the code runs, not after."""
    session = await start_session(limits=Limits(data_bytes=4 * 1024 * 1024))
    output = await session.run(
        "import itertools\n"
        "for n in itertools.count():\n"
        "    with open(f'part-{n}.bin', 'wb') as file:\n"
        "        file.write(bytes(1024 * 1024))\n"
        "    if n > 8:\n"
        "        import time; time.sleep(0.05)\n"
    )
    assert output.error
    assert "Execution was stopped: the files in /mnt/data went over the limit" in output.logs
    assert await session.files() == []
    await works_again(session)
