"""The file storage interface: routers and services never touch disks or buckets directly."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterable, AsyncIterator
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from assistants_server.db.session import after_commit

logger = logging.getLogger(__name__)

CHUNK_SIZE = 1024 * 1024


class FileStorage(Protocol):
    async def write(self, key: str, chunks: AsyncIterable[bytes]) -> int:
        """Store the bytes under `key` (all or nothing); return how many were written."""
        ...

    def read(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        """The stored bytes from `start` up to `end` (exclusive; None: the end), in chunks of
        at most CHUNK_SIZE. FileNotFoundError if `key` is absent."""
        ...

    async def delete(self, key: str) -> None:
        """Remove `key`; a missing key is not an error."""
        ...

    def stored(self) -> AsyncIterator[tuple[str, float]]:
        """Every key held, with when it was written (Unix time)."""
        ...


def open_storage(url: str) -> FileStorage:
    """`./data/files`, `/abs/path` or `file:///abs/path` -> local disk; `s3://bucket/prefix`
    -> S3 or an S3-compatible store; `memory://` -> memory."""
    from assistants_server.storage.local import LocalStorage
    from assistants_server.storage.memory import MemoryStorage

    if url.startswith("memory://"):
        return MemoryStorage()
    if url.startswith("s3://"):
        from assistants_server.storage.s3 import S3Storage

        return S3Storage(url)
    if url.startswith("file://"):
        return LocalStorage(url.removeprefix("file://"))
    if "://" in url:
        raise ValueError(f"unsupported storage URL {url!r}: use a path, file:// or s3://")
    return LocalStorage(url)


def delete_after_commit(session: AsyncSession, storage: FileStorage, key: str) -> None:
    """Delete `key`'s bytes once the session's transaction commits (a rolled-back delete
    keeps them): in a task of its own, logged if it fails (the bytes are then orphans)."""

    async def delete() -> None:
        try:
            await storage.delete(key)
        except Exception:
            logger.exception("the bytes of %s could not be deleted", key)

    def start() -> None:
        task = asyncio.get_running_loop().create_task(delete())
        _deleting.add(task)
        task.add_done_callback(_deleting.discard)

    after_commit(session, start)


_deleting: set[asyncio.Task[None]] = set()  # held until done, as the loop holds tasks weakly
