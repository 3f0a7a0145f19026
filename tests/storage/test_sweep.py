"""Bytes that no file names are swept by the periodic job, once older than the sweep's period;
the bytes of files, and bytes still young (an upload in flight), stay."""

from __future__ import annotations

import os
import time
from pathlib import Path

import openai

from tests.servers import running_server, standalone_env


def blob(root: Path, key: str, age: float) -> Path:
    """Bytes under `key` as local storage keeps them, written `age` seconds ago."""
    path = root / key[-2:] / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"bytes")
    written = time.time() - age
    os.utime(path, (written, written))
    return path


def test_orphaned_bytes_are_swept(tmp_path: Path) -> None:
    storage = tmp_path / "files"
    env = standalone_env(tmp_path, ASSISTANTS_ORPHAN_SWEEP_SECONDS="1")
    with (
        running_server(env, tmp_path / "server.log") as url,
        openai.OpenAI(base_url=url, api_key="any", max_retries=0) as client,
    ):
        made = client.files.create(file=("kept.txt", b"kept"), purpose="assistants")
        [kept] = [p for p in storage.rglob("*") if p.is_file()]
        os.utime(kept, (time.time() - 3600, time.time() - 3600))  # old, and named by a file
        orphan = blob(storage, "orphan-key-01", age=3600)
        young = blob(storage, "young-key-02", age=-3600)  # written "later": in flight
        deadline = time.monotonic() + 10
        while orphan.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not orphan.exists()
        assert kept.exists()
        assert young.exists()
        assert client.files.content(made.id).read() == b"kept"
