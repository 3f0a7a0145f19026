"""One live session per key (a thread id), at most `max_sessions`, none idle for long.

`session(key)` returns the key's session, or starts one (`fresh`) when there is none or it is
closed or idle too long; callers asking for the same key meanwhile wait for the same start.
A start beyond `max_sessions` first closes the least recently used session (even mid-run: its
call ends with an error saying so). A sweep task, started with the first session, closes the
sessions idle longer than `idle_seconds`; `close_all()` stops it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass

from assistants_server.sandbox.base import Limits, Sandbox, Session

_log = logging.getLogger(__name__)


@dataclass
class _Entry:
    session: Session
    used: float  # time.monotonic() of the last session() call


class SessionPool:
    def __init__(
        self,
        sandbox: Sandbox,
        limits: Limits,
        max_sessions: int = 32,
        idle_seconds: float = 1200,
    ) -> None:
        self._sandbox = sandbox
        self._limits = limits
        self._max_sessions = max_sessions
        self._idle_seconds = idle_seconds
        self._entries: OrderedDict[str, _Entry] = OrderedDict()  # least recently used first
        self._starting: dict[str, asyncio.Task[Session]] = {}
        self._sweeper: asyncio.Task[None] | None = None

    @property
    def live(self) -> int:
        return len(self._entries)

    async def session(self, key: str) -> Session:
        if self._sweeper is None:
            self._sweeper = asyncio.create_task(self._sweep())
        entry = self._entries.get(key)
        if entry is not None:
            if not entry.session.closed and not self._idle(entry, time.monotonic()):
                entry.used = time.monotonic()
                self._entries.move_to_end(key)
                return entry.session
            await self._close_entry(key)
        starting = self._starting.get(key)
        if starting is None:
            starting = asyncio.create_task(self._start(key))
            starting.add_done_callback(_retrieve)  # its waiters may all have been cancelled
            self._starting[key] = starting
        return await asyncio.shield(starting)

    async def close(self, key: str) -> None:
        await self._close_entry(key)

    async def close_all(self) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sweeper
            self._sweeper = None
        for starting in list(self._starting.values()):
            with contextlib.suppress(Exception):
                await starting
        while self._entries:
            await self._close_entry(next(iter(self._entries)))

    async def _start(self, key: str) -> Session:
        try:
            while self._entries and len(self._entries) + len(self._starting) > self._max_sessions:
                await self._close_entry(next(iter(self._entries)))
            session = await self._sandbox.start(key, self._limits)
            self._entries[key] = _Entry(session, time.monotonic())
            return session
        finally:
            del self._starting[key]

    async def _close_entry(self, key: str) -> None:
        entry = self._entries.pop(key, None)  # gone before the await: no one else gets it
        if entry is not None:
            await entry.session.close()

    def _idle(self, entry: _Entry, now: float) -> bool:
        return now - entry.used > self._idle_seconds

    async def _sweep(self) -> None:
        interval = max(0.05, min(60.0, self._idle_seconds / 4))
        while True:
            await asyncio.sleep(interval)
            now = time.monotonic()
            for key in [key for key, entry in self._entries.items() if self._idle(entry, now)]:
                entry = self._entries.get(key)
                if entry is None or not self._idle(entry, time.monotonic()):
                    continue  # used meanwhile
                try:
                    await self._close_entry(key)
                except Exception:
                    _log.exception("closing idle sandbox session %r", key)


def _retrieve(task: asyncio.Task[Session]) -> None:
    if not task.cancelled():
        task.exception()
