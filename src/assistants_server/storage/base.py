"""The file storage interface: routers and services never touch disks or buckets directly."""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator
from typing import Protocol

CHUNK_SIZE = 1024 * 1024


class FileStorage(Protocol):
    async def write(self, key: str, chunks: AsyncIterable[bytes]) -> int:
        """Store the bytes under `key` (all or nothing); return how many were written."""
        ...

    def read(self, key: str) -> AsyncIterator[bytes]:
        """The stored bytes, in chunks of at most CHUNK_SIZE."""
        ...

    async def delete(self, key: str) -> None:
        """Remove `key`; a missing key is not an error."""
        ...


def open_storage(url: str) -> FileStorage:
    """`./data/files`, `/abs/path` or `file:///abs/path` -> local disk; `memory://` -> memory."""
    from assistants_server.storage.local import LocalStorage
    from assistants_server.storage.memory import MemoryStorage

    if url.startswith("memory://"):
        return MemoryStorage()
    if url.startswith("file://"):
        return LocalStorage(url.removeprefix("file://"))
    if "://" in url:
        raise ValueError(f"unsupported storage URL {url!r}: use a path or file://")
    return LocalStorage(url)
