"""Sandboxes and sessions for the tests; every test skips, with the reason, where bubblewrap
cannot start a sandbox."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from assistants_server.sandbox import Limits, SandboxUnavailable, Session
from assistants_server.sandbox.bubblewrap import BubblewrapSandbox

MakeSandbox = Callable[..., BubblewrapSandbox]
StartSession = Callable[..., Awaitable[Session]]


@pytest.fixture
def make_sandbox(tmp_path: Path) -> MakeSandbox:
    """`make_sandbox(**weakenings)`: a sandbox keeping its sessions under tmp_path."""

    def make(**options: Any) -> BubblewrapSandbox:
        sandbox = BubblewrapSandbox(tmp_path / "sessions", **options)
        try:
            sandbox.check()
        except SandboxUnavailable as reason:
            pytest.skip(f"no sandbox here: {reason}")
        return sandbox

    return make


@pytest.fixture
def sandbox(make_sandbox: MakeSandbox) -> BubblewrapSandbox:
    return make_sandbox()


@pytest.fixture
async def start_session(sandbox: BubblewrapSandbox) -> AsyncIterator[StartSession]:
    """`await start_session(sandbox=<default>, limits=Limits(), key="thread")`; all are closed
    when the test ends."""
    started: list[Session] = []

    async def start(
        on: BubblewrapSandbox | None = None, limits: Limits | None = None, key: str = "thread"
    ) -> Session:
        session = await (on or sandbox).start(key, limits or Limits())
        started.append(session)
        return session

    yield start
    for session in started:
        await session.close()


async def probe(session: Session, code: str) -> Any:
    """Run a probe, which prints its findings as JSON on its last line."""
    output = await session.run(code)
    assert not output.error, output.logs
    return json.loads(output.logs.strip().splitlines()[-1])
