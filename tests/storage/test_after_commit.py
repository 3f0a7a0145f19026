"""A file's bytes go only once the transaction that deletes its record commits."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

from assistants_server.db.session import create_engine, create_sessionmaker
from assistants_server.storage.base import delete_after_commit
from assistants_server.storage.memory import MemoryStorage


async def one(data: bytes) -> AsyncIterator[bytes]:
    yield data


def test_bytes_outlive_a_rolled_back_delete(tmp_path: Path) -> None:
    async def scenario() -> None:
        storage = MemoryStorage()
        await storage.write("key", one(b"bytes"))
        engine = create_engine(f"sqlite:///{tmp_path / 'a.db'}")
        maker = create_sessionmaker(engine)
        async with maker() as session:
            delete_after_commit(session, storage, "key")
            await session.rollback()
        await asyncio.sleep(0.05)
        assert storage.blobs == {"key": b"bytes"}
        async with maker() as session:
            delete_after_commit(session, storage, "key")
            await session.commit()
        await asyncio.sleep(0.05)
        assert storage.blobs == {}
        await engine.dispose()

    asyncio.run(scenario())
