"""What the code_interpreter tool asks of a sandbox: sessions that run Python and keep files.

A session is a persistent interpreter (variables survive between `run()` calls) with a
directory, `/mnt/data`, that holds the thread's files and survives interpreter restarts.
`bubblewrap.py` is the real implementation; `pool.py` keeps one session per thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Limits:
    """What one session may use. `memory_mb` is the address space (RLIMIT_AS) of each process
    in the session; `processes` counts processes and threads together."""

    timeout_seconds: float = 60.0  # wall time per run() call
    memory_mb: int = 1024
    processes: int = 64
    data_bytes: int = 512 * 1024 * 1024  # total size of the files under /mnt/data
    log_chars: int = 20_000  # logs returned per call; longer is truncated with a note


@dataclass(frozen=True)
class FileInfo:
    name: str  # relative to /mnt/data, e.g. "out/chart.png"
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class Output:
    """What one `run()` produced. `logs`: stdout and stderr interleaved as printed, then the
    traceback if the code raised, then why the call was stopped if it was; `images`: PNG bytes of
    the matplotlib figures the code left open; `files`: names under /mnt/data created or changed."""

    logs: str
    images: list[bytes]
    files: list[str]
    error: bool  # the code raised, or was stopped (timeout, memory, processes, data size)


class SandboxUnavailable(Exception):
    """Code cannot run here; the message says why (not Linux, no user namespaces, no bwrap)."""


class Session(Protocol):
    key: str
    fresh: bool  # True until the first run(): the caller puts its files in then

    @property
    def closed(self) -> bool:
        """close() was called: the session is dead."""
        ...

    async def put(self, name: str, data: bytes) -> None:
        """Write /mnt/data/<name>; ValueError for a name outside /mnt/data, or if the files
        would go over Limits.data_bytes."""
        ...

    async def run(self, code: str) -> Output:
        """Run `code` in the session's interpreter. If the awaiting task is cancelled the code
        is stopped at once (the next run restarts the interpreter, files kept)."""
        ...

    async def read(self, name: str) -> bytes:
        """A file under /mnt/data; ValueError for a name outside it or not a regular file."""
        ...

    async def files(self) -> list[FileInfo]: ...

    async def close(self) -> None:
        """Stop the interpreter and delete the session's files."""
        ...


class Sandbox(Protocol):
    def check(self) -> None:
        """Raise SandboxUnavailable, with the reason, if sessions cannot start here."""
        ...

    async def start(self, key: str, limits: Limits) -> Session: ...
