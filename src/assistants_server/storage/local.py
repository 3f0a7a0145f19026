"""Files on local disk, written through a temporary name so a reader never sees half a file."""

from __future__ import annotations

import os
from collections.abc import AsyncIterable, AsyncIterator
from pathlib import Path

import anyio

from assistants_server.storage.base import CHUNK_SIZE


class LocalStorage:
    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root).resolve()

    def _path(self, key: str) -> Path:
        if not key or "/" in key or key.startswith("."):
            raise ValueError(f"invalid storage key {key!r}")
        return self.root / key[-2:] / key

    async def write(self, key: str, chunks: AsyncIterable[bytes]) -> int:
        path = self._path(key)
        partial = path.with_name(path.name + ".partial")
        await anyio.Path(path.parent).mkdir(parents=True, exist_ok=True)
        written = 0
        try:
            async with await anyio.open_file(partial, "wb") as out:
                async for chunk in chunks:
                    await out.write(chunk)
                    written += len(chunk)
            await anyio.Path(partial).rename(path)
        except BaseException:
            with anyio.CancelScope(shield=True):
                await anyio.Path(partial).unlink(missing_ok=True)
            raise
        return written

    async def read(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        async with await anyio.open_file(self._path(key), "rb") as source:
            await source.seek(start)
            left = None if end is None else max(0, end - start)
            while left is None or left > 0:
                chunk = await source.read(CHUNK_SIZE if left is None else min(CHUNK_SIZE, left))
                if not chunk:
                    break
                left = None if left is None else left - len(chunk)
                yield chunk

    async def delete(self, key: str) -> None:
        await anyio.Path(self._path(key)).unlink(missing_ok=True)

    async def stored(self) -> AsyncIterator[tuple[str, float]]:
        if not self.root.is_dir():
            return
        for folder in sorted(self.root.iterdir()):
            if not folder.is_dir():
                continue
            for path in folder.iterdir():
                if path.suffix != ".partial" and path.is_file():
                    yield path.name, path.stat().st_mtime
