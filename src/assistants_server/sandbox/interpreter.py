"""One sandboxed interpreter as the server drives it: the bwrap process and its three pipes.

stdin carries requests, stdout replies (see driver.py for the framing), stderr the code's
output, read all the time by a task into a LogCollector. Nothing from the sandbox is trusted:
a reply larger than MAX_REPLY_BYTES, malformed, or missing is the interpreter's death.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import signal
import struct
from typing import Any

from assistants_server.sandbox.base import SandboxUnavailable
from assistants_server.sandbox.logs import LogCollector

MAX_REPLY_BYTES = 64 * 1024 * 1024  # images included
READY_SECONDS = 30.0
SENTINEL_SECONDS = 5.0  # after a reply, for the output before it to arrive
_HEADER = struct.Struct(">I")


class InterpreterDied(Exception):
    """The process ended, or broke the protocol; the message says how."""


class Interpreter:
    def __init__(self, process: asyncio.subprocess.Process, log_bytes: int) -> None:
        self.logs = LogCollector(log_bytes)
        self._process = process
        self._killed = False
        self._log_reader = asyncio.create_task(self._read_logs())

    @classmethod
    async def spawn(cls, argv: list[str], pass_fds: list[int], log_bytes: int) -> Interpreter:
        """Start the sandbox and wait for the driver's `ready`; SandboxUnavailable if it fails."""
        process = await asyncio.create_subprocess_exec(
            *argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            pass_fds=pass_fds,
            start_new_session=True,
        )
        interpreter = cls(process, log_bytes)
        try:
            reply = await asyncio.wait_for(interpreter._receive(), READY_SECONDS)
            if reply.get("ready") is not True:
                raise InterpreterDied("did not start")
        except (InterpreterDied, TimeoutError) as error:
            await interpreter.dispose()
            said = interpreter.logs.printed().text.strip()
            why = str(error) or "no answer in time"
            raise SandboxUnavailable(f"the sandbox did not start ({why}): {said}") from None
        except BaseException:
            await interpreter.dispose()
            raise
        return interpreter

    @property
    def alive(self) -> bool:
        return not self._killed and self._process.returncode is None

    @property
    def killed(self) -> bool:
        """kill() was called: the server stopped it."""
        return self._killed

    async def execute(self, code: str) -> dict[str, Any]:
        """Run `code`; the driver's reply, once the output printed before it is collected."""
        sentinel = f"\0<end of output {secrets.token_hex(16)}>\0"
        self.logs.begin(sentinel.encode())
        await self._send({"code": code, "sentinel": sentinel})
        reply = await self._receive()
        await self.logs.finished(SENTINEL_SECONDS)
        return reply

    def kill(self) -> None:
        """Stop the sandbox now: bwrap's init dies with it, and the kernel kills the rest of its
        pid namespace."""
        self._killed = True
        if self._process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self._process.kill()

    async def dispose(self) -> None:
        """Kill, reap, and stop reading the logs (their end collected first, briefly)."""
        self.kill()
        if self._process.stdin is not None:
            self._process.stdin.close()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._process.wait(), 5.0)
        await self.logs.finished(1.0)
        self._log_reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._log_reader

    @property
    def killed_by(self) -> int | None:
        """The signal that killed the driver, if one did."""
        code = self._process.returncode
        if code is not None and (code < 0 or 128 < code < 128 + 65):
            return -code if code < 0 else code - 128  # bwrap exits 128 + the signal's number
        return None

    def how_it_ended(self) -> str:
        code, number = self._process.returncode, self.killed_by
        if code is None:
            return "stopped answering"
        if number is not None:
            with contextlib.suppress(ValueError):
                return f"was killed by signal {number} ({signal.Signals(number).name})"
            return f"was killed by signal {number}"
        return f"exited with status {code}"

    async def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps(message).encode()
        stdin = self._process.stdin
        assert stdin is not None
        try:
            stdin.write(_HEADER.pack(len(body)) + body)
            await stdin.drain()
        except (BrokenPipeError, ConnectionResetError):
            raise InterpreterDied(await self._ended()) from None

    async def _receive(self) -> dict[str, Any]:
        stdout = self._process.stdout
        assert stdout is not None
        try:
            (size,) = _HEADER.unpack(await stdout.readexactly(_HEADER.size))
            if size > MAX_REPLY_BYTES:
                self.kill()
                raise InterpreterDied(f"sent a reply of {size:,} bytes, over the limit")
            reply = json.loads(await stdout.readexactly(size))
        except asyncio.IncompleteReadError:
            raise InterpreterDied(await self._ended()) from None
        except ValueError:
            self.kill()
            raise InterpreterDied("sent a malformed reply") from None
        if not isinstance(reply, dict):
            self.kill()
            raise InterpreterDied("sent a malformed reply")
        return reply

    async def _ended(self) -> str:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._process.wait(), 5.0)
        return self.how_it_ended()

    async def _read_logs(self) -> None:
        stderr = self._process.stderr
        assert stderr is not None
        while chunk := await stderr.read(65536):
            self.logs.feed(chunk)
        self.logs.end_of_stream()
