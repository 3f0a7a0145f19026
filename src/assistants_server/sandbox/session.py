"""A bubblewrap session: one interpreter at a time over a /mnt/data that outlives it.

`run()` holds a lock (one call at a time), watches the wall clock and the size of /mnt/data
while the code runs, and turns whatever stopped the code into an error Output that says so.
After a timeout, a cancellation, a death or a MemoryError the interpreter is killed and the
next call starts a new one (variables lost, files kept).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import shutil
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistants_server.sandbox.base import FileInfo, Limits, Output
from assistants_server.sandbox.files import DataDir, relative_name
from assistants_server.sandbox.interpreter import Interpreter, InterpreterDied
from assistants_server.sandbox.logs import Printed, compose

DATA_CHECK_SECONDS = 1.0  # how often the size of /mnt/data is checked while code runs
RESTARTED = "the session was restarted (variables lost, files kept)."


@dataclass
class _Outcome:
    printed: Printed
    traceback: str = ""
    notes: list[str] = field(default_factory=list)
    images: list[bytes] = field(default_factory=list)
    error: bool = True


class BubblewrapSession:
    def __init__(
        self,
        key: str,
        limits: Limits,
        data: DataDir,
        home: Path,
        spawn: Callable[[], Awaitable[Interpreter]],
        *,
        data_cap: bool,
        on_close: Callable[[], None],
    ) -> None:
        self.key = key
        self.fresh = True
        self._limits = limits
        self._data = data
        self._home = home  # the session's own directory on the host, data/ inside
        self._spawn = spawn
        self._data_cap = data_cap
        self._on_close = on_close
        self._interpreter: Interpreter | None = None
        self._lock = asyncio.Lock()
        self._closed = False

    @property
    def closed(self) -> bool:
        return self._closed

    async def start(self) -> None:
        self._interpreter = await self._spawn()

    async def put(self, name: str, data: bytes) -> None:
        if self._data_cap:
            await asyncio.to_thread(self._check_room, name, len(data))
        await asyncio.to_thread(self._data.write, name, data)

    async def read(self, name: str) -> bytes:
        return await asyncio.to_thread(self._data.read, name)

    async def files(self) -> list[FileInfo]:
        found = await asyncio.to_thread(self._data.snapshot)
        return [found[name] for name in sorted(found)]

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._interpreter is not None:
            await self._interpreter.dispose()
        await asyncio.to_thread(shutil.rmtree, self._home, ignore_errors=True)
        self._on_close()

    async def run(self, code: str) -> Output:
        async with self._lock:
            if self._closed:
                raise RuntimeError(f"session {self.key!r} is closed")
            self.fresh = False
            interpreter = await self._live_interpreter()
            before = await asyncio.to_thread(self._data.snapshot)
            outcome = await self._execute(interpreter, code)
            after = await asyncio.to_thread(self._data.snapshot)
            changed = sorted(name for name, info in after.items() if before.get(name) != info)
            total = sum(info.size for info in after.values())
            if self._data_cap and total > self._limits.data_bytes:
                await asyncio.to_thread(self._remove, changed)
                outcome.notes.append(
                    f"The files in /mnt/data came to {total:,} bytes, over the limit of "
                    f"{self._limits.data_bytes:,}; the files this call wrote were removed: "
                    f"{', '.join(changed)}."
                )
                outcome.error, changed = True, []
            logs = compose(
                outcome.printed, outcome.traceback, "\n".join(outcome.notes), self._limits.log_chars
            )
            return Output(logs=logs, images=outcome.images, files=changed, error=outcome.error)

    async def _live_interpreter(self) -> Interpreter:
        if self._interpreter is None or not self._interpreter.alive:
            if self._interpreter is not None:
                await self._interpreter.dispose()
            self._interpreter = None
            self._interpreter = await self._spawn()
        return self._interpreter

    async def _execute(self, interpreter: Interpreter, code: str) -> _Outcome:
        call = asyncio.create_task(interpreter.execute(code))
        call.add_done_callback(_retrieve)  # an outcome nobody awaits is no warning
        try:
            stopped = await self._watch(call)
        except asyncio.CancelledError:
            interpreter.kill()  # at once; the next run disposes of it and starts another
            call.cancel()
            raise
        if stopped:
            call.cancel()
            with contextlib.suppress(asyncio.CancelledError, InterpreterDied):
                await call
            await interpreter.dispose()
            return _Outcome(interpreter.logs.printed(), notes=[f"{stopped}; {RESTARTED}"])
        try:
            reply = call.result()
        except InterpreterDied as died:
            await interpreter.dispose()
            signalled = interpreter.killed_by is not None and not interpreter.killed
            note = self._death_note(str(died), signalled)
            return _Outcome(interpreter.logs.printed(), notes=[note])
        return self._outcome(interpreter, reply)

    async def _watch(self, call: asyncio.Task[dict[str, Any]]) -> str:
        """Wait for `call`; why it had to be stopped, or "" when it finished."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._limits.timeout_seconds
        while not call.done():
            remaining = deadline - loop.time()
            if remaining <= 0:
                return f"Execution timed out after {self._limits.timeout_seconds:g} s"
            await asyncio.wait({call}, timeout=min(remaining, DATA_CHECK_SECONDS))
            if not call.done() and self._data_cap and await self._data_over_cap():
                return (
                    f"Execution was stopped: the files in /mnt/data went over the limit of "
                    f"{self._limits.data_bytes:,} bytes"
                )
        return ""

    def _outcome(self, interpreter: Interpreter, reply: dict[str, Any]) -> _Outcome:
        exception, errno = reply.get("exception"), reply.get("errno")
        outcome = _Outcome(
            interpreter.logs.printed(),
            traceback=str(reply.get("traceback") or ""),
            error=exception is not None,
        )
        try:
            outcome.images = [base64.b64decode(image, validate=True) for image in reply["images"]]
        except (KeyError, TypeError, ValueError):
            outcome.notes.append("The figures could not be read.")
        limits = self._limits
        if exception == "MemoryError":
            interpreter.kill()
            outcome.notes.append(f"Memory limit of {limits.memory_mb} MB reached; {RESTARTED}")
        elif exception == "BlockingIOError" and errno == 11:
            outcome.notes.append(
                f"If this came from starting a process or thread: a session may run at most "
                f"{limits.processes} processes and threads."
            )
        elif errno == 27:
            outcome.notes.append(f"Files may be at most {limits.data_bytes:,} bytes.")
        return outcome

    def _death_note(self, how: str, signalled: bool) -> str:
        if self._closed:
            return "The session was closed while the code ran."
        if signalled:
            how += f" (out of memory? the limit is {self._limits.memory_mb} MB per process)"
        return f"The Python process {how}; {RESTARTED}"

    async def _data_over_cap(self) -> bool:
        found = await asyncio.to_thread(self._data.snapshot)
        return sum(info.size for info in found.values()) > self._limits.data_bytes

    def _check_room(self, name: str, size: int) -> None:
        replaced = relative_name(name)
        found = self._data.snapshot()
        total = size + sum(info.size for info in found.values() if info.name != replaced)
        if total > self._limits.data_bytes:
            raise ValueError(
                f"{name!r} would bring /mnt/data to {total:,} bytes, over the limit of "
                f"{self._limits.data_bytes:,}"
            )

    def _remove(self, names: list[str]) -> None:
        for name in names:
            with contextlib.suppress(OSError, ValueError):
                self._data.remove(name)


def _retrieve(task: asyncio.Task[Any]) -> None:
    if not task.cancelled():
        task.exception()
