"""Files in a dict: for tests and throwaway servers (`ASSISTANTS_STORAGE_URL=memory://`)."""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator

from assistants_server.storage.base import CHUNK_SIZE


class MemoryStorage:
    def __init__(self) -> None:
        self.blobs: dict[str, bytes] = {}

    async def write(self, key: str, chunks: AsyncIterable[bytes]) -> int:
        data = b"".join([chunk async for chunk in chunks])
        self.blobs[key] = data
        return len(data)

    async def read(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        if key not in self.blobs:
            raise FileNotFoundError(key)
        data = self.blobs[key][start:end]
        for offset in range(0, len(data), CHUNK_SIZE):
            yield data[offset : offset + CHUNK_SIZE]

    async def delete(self, key: str) -> None:
        self.blobs.pop(key, None)

    async def stored(self) -> AsyncIterator[tuple[str, float]]:
        for key in list(self.blobs):
            yield key, 0.0
