"""Bytes no file names: an upload whose record never committed (the process died between the
two), or a delete whose bytes could not be removed. Swept once they are older than `grace`,
so an upload still in flight is never taken."""

from __future__ import annotations

import logging
import time

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistants_server.db.models import FileRecord
from assistants_server.db.session import reading
from assistants_server.storage.base import FileStorage

logger = logging.getLogger(__name__)

BATCH = 500


async def sweep_orphans(
    sessionmaker: async_sessionmaker[AsyncSession], storage: FileStorage, grace: float
) -> int:
    """Delete the bytes older than `grace` seconds that no file record names; how many."""
    cutoff = time.time() - grace
    swept = 0
    batch: list[str] = []
    async for key, written in storage.stored():
        if written <= cutoff:
            batch.append(key)
        if len(batch) >= BATCH:
            swept += await _sweep(sessionmaker, storage, batch)
            batch = []
    if batch:
        swept += await _sweep(sessionmaker, storage, batch)
    if swept:
        logger.info("swept the bytes of %d files that no file names", swept)
    return swept


async def _sweep(
    sessionmaker: async_sessionmaker[AsyncSession], storage: FileStorage, keys: list[str]
) -> int:
    async with reading(sessionmaker) as session:
        named = select(FileRecord.storage_key).where(FileRecord.storage_key.in_(keys))
        kept = set(await session.scalars(named))
    orphans = [key for key in keys if key not in kept]
    for key in orphans:
        await storage.delete(key)
    return len(orphans)
