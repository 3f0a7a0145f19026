"""A Sandbox that runs nothing, for tests: sessions answer run() from a script of Outputs
(an empty Output once it is used up), record the code, and keep put files in memory."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from assistants_server.sandbox.base import FileInfo, Limits, Output, SandboxUnavailable
from assistants_server.sandbox.files import relative_name


class FakeSession:
    def __init__(self, key: str, script: list[Output]) -> None:
        self.key = key
        self.fresh = True
        self.closed = False
        self.codes: list[str] = []  # what run() was given, in order
        self.data: dict[str, bytes] = {}
        self._script = script

    async def put(self, name: str, data: bytes) -> None:
        self.data[relative_name(name)] = data

    async def run(self, code: str) -> Output:
        if self.closed:
            raise RuntimeError(f"session {self.key!r} is closed")
        self.fresh = False
        self.codes.append(code)
        return self._script.pop(0) if self._script else Output("", [], [], False)

    async def read(self, name: str) -> bytes:
        try:
            return self.data[relative_name(name)]
        except KeyError:
            raise FileNotFoundError(name) from None

    async def files(self) -> list[FileInfo]:
        return [FileInfo(name, len(self.data[name]), 0) for name in sorted(self.data)]

    async def close(self) -> None:
        self.closed = True
        self.data.clear()


class FakeSandbox:
    """`script`: the Outputs of the sessions' run() calls, in order, across sessions. While
    `unavailable` is set, check() and start() raise SandboxUnavailable with it; `delay`
    seconds pass in each start()."""

    def __init__(
        self, script: Sequence[Output] = (), *, delay: float = 0.0, unavailable: str = ""
    ) -> None:
        self.script = list(script)
        self.delay = delay
        self.unavailable = unavailable
        self.sessions: list[FakeSession] = []  # every session started

    def check(self) -> None:
        if self.unavailable:
            raise SandboxUnavailable(self.unavailable)

    async def start(self, key: str, limits: Limits) -> FakeSession:
        await asyncio.sleep(self.delay)
        self.check()
        session = FakeSession(key, self.script)
        self.sessions.append(session)
        return session
