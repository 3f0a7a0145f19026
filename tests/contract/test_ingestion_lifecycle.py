"""A server killed while it ingests a file: the file is claimed again once its lease lapses, by
the next server on the same database, and ingested once, whole, with nothing left over from the
attempt that died."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine

from assistants_server.db.models import ChunkRecord, VectorStoreFileRecord
from assistants_server.db.session import async_url
from tests.contract.test_run_lifecycle import env_for, postgres_database, sdk
from tests.fake_model_server import FakeModelServer
from tests.servers import server_process

LEASE_SECONDS = 2
TEXT_BYTES = 4 * 1024 * 1024  # ingested in a few seconds (about 1-2 MB/s on SQLite)
LAST_LINE = "In the end the quartermaster Zebulon Quillfeather counted every barrel twice."
VOCABULARY = (
    "harbour lantern rope tide gull anchor ledger cargo sail mast keel compass chart "
    "storm fog reef island cove pier net salt brine oar hull deck cabin galley lamp "
    "bell whistle signal current drift north south east west morning evening winter"
)


def long_text(size: int, seed: int = 7) -> str:
    """About `size` bytes of varied lines (numbers keep chunks apart), then LAST_LINE."""
    rng = random.Random(seed)
    vocabulary = VOCABULARY.split()
    lines, total = [], 0
    while total < size:
        words = [rng.choice(vocabulary) for _ in range(rng.randint(6, 18))]
        words.insert(rng.randrange(len(words)), f"no.{rng.randint(0, 10**6)}")
        line = " ".join(words).capitalize() + rng.choice([".", ".", "!", "?", ";"])
        lines.append(line)
        total += len(line) + 1
        if rng.random() < 0.1:
            lines.append("")
    lines.append(LAST_LINE)
    return "\n".join(lines) + "\n"


async def ingestion_state(database_url: str, store_id: str, file_id: str) -> tuple[str, int]:
    """The vector store file's status and how many chunks of it are stored, read from the
    database directly (the API shows neither mid-ingestion)."""
    engine = create_async_engine(async_url(database_url))
    try:
        async with engine.connect() as connection:
            status = await connection.scalar(
                select(VectorStoreFileRecord.status).where(
                    VectorStoreFileRecord.vector_store_id == store_id,
                    VectorStoreFileRecord.file_id == file_id,
                )
            )
            chunks = await connection.scalar(
                select(func.count())
                .select_from(ChunkRecord)
                .where(ChunkRecord.vector_store_id == store_id, ChunkRecord.file_id == file_id)
            )
    finally:
        await engine.dispose()
    return str(status), int(chunks or 0)


async def wait_for_chunks(
    database_url: str, store_id: str, file_id: str, patience: float = 20
) -> None:
    """Wait until the first batches of the file's chunks are written."""
    deadline = time.monotonic() + patience
    while True:
        status, chunks = await ingestion_state(database_url, store_id, file_id)
        assert status == "in_progress", f"ingestion ended ({status}) before it was interrupted"
        if chunks > 0:
            return
        assert time.monotonic() < deadline, f"no chunk of {file_id} written within {patience}s"
        await asyncio.sleep(0.05)


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_file_whose_ingestion_was_interrupted_is_ingested_again_whole(
    database: str,
    tmp_path: Path,
    postgres_server: str | None,
    api_key: str,
    fake_model: FakeModelServer,
) -> None:
    database_url = (
        f"sqlite:///{tmp_path / 'assistants.db'}"
        if database == "sqlite"
        else postgres_database(postgres_server, "ingestion_lifecycle")
    )
    env = env_for(
        tmp_path,
        fake_model,
        database_url,
        ASSISTANTS_RUN_LEASE_SECONDS=str(LEASE_SECONDS),
        ASSISTANTS_MAX_UPLOAD_BYTES=str(4 * TEXT_BYTES),
    )
    text = long_text(TEXT_BYTES)

    with (
        server_process(env, tmp_path / "server-a.log") as server_a,
        sdk(server_a.url, api_key) as client,
    ):
        uploaded = client.files.create(file=("log.txt", text.encode()), purpose="assistants")
        store = client.vector_stores.create(name="logbook")
        added = client.vector_stores.files.create(store.id, file_id=uploaded.id)
        assert added.status == "in_progress"
        asyncio.run(wait_for_chunks(database_url, store.id, uploaded.id))
        os.kill(server_a.pid, signal.SIGKILL)

    # the first attempt died partway: some chunks written, the file still in progress
    status, partial = asyncio.run(ingestion_state(database_url, store.id, uploaded.id))
    assert status == "in_progress"
    assert partial > 0

    with (
        server_process(env, tmp_path / "server-b.log") as server_b,
        sdk(server_b.url, api_key) as client,
    ):
        interrupted = client.vector_stores.files.retrieve(uploaded.id, vector_store_id=store.id)
        assert interrupted.status == "in_progress"
        assert client.vector_stores.retrieve(store.id).status == "in_progress"

        deadline = time.monotonic() + 60
        while True:
            done = client.vector_stores.files.retrieve(uploaded.id, vector_store_id=store.id)
            if done.status != "in_progress":
                break
            assert time.monotonic() < deadline, "vector store file still in_progress after 60s"
            time.sleep(0.1)
        assert (done.status, done.last_error) == ("completed", None)
        assert done.usage_bytes > 0

        parts = client.vector_stores.files.content(uploaded.id, vector_store_id=store.id).data
        assert all(part.type == "text" for part in parts)
        content = "".join(part.text or "" for part in parts)
        assert len(content) == len(text)
        assert content == text  # no chunk twice, none missing

        results = client.vector_stores.search(
            store.id, query="quartermaster Zebulon Quillfeather", max_num_results=3
        ).data
        assert results, "the file's last line is not found"
        assert results[0].file_id == uploaded.id
        assert LAST_LINE in "".join(part.text for part in results[0].content)

        finished = client.vector_stores.retrieve(store.id)
        assert finished.status == "completed"
        counts = finished.file_counts
        assert (counts.in_progress, counts.completed, counts.failed, counts.cancelled) == (
            0,
            1,
            0,
            0,
        )
        assert counts.total == 1
        assert finished.usage_bytes == done.usage_bytes
