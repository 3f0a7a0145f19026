"""`s3://` storage against a real S3-compatible server (moto's, a process of its own on
loopback): streamed writes in parts, reads and ranges, deletes; and a server on it, through
the SDK."""

from __future__ import annotations

import asyncio
import os
import secrets
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import boto3
import openai
import pytest

from assistants_server.storage.s3 import PART_SIZE, S3Storage
from tests.servers import free_port, running_server, standalone_env, stop_process, wait_until_up

BUCKET = "assistants-test"


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A moto S3 server on loopback, with the AWS settings pointing at it."""
    port = free_port()
    server = Path(sys.executable).with_name("moto_server")
    log = (tmp_path_factory.mktemp("moto") / "moto.log").open("wb")
    process = subprocess.Popen(
        [str(server), "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=subprocess.STDOUT
    )
    endpoint = f"http://127.0.0.1:{port}"
    settings = {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    saved = {key: os.environ.get(key) for key in settings}
    os.environ.update(settings)
    try:
        wait_until_up(endpoint + "/moto-api/", process)
        boto3.client("s3").create_bucket(Bucket=BUCKET)
        yield endpoint
    finally:
        stop_process(process)
        log.close()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def objects(prefix: str) -> list[str]:
    listed = boto3.client("s3").list_objects_v2(Bucket=BUCKET, Prefix=prefix)
    return [item["Key"] for item in listed.get("Contents", [])]


async def chunks(data: bytes, size: int = 1024 * 1024) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


async def collected(stream: AsyncIterator[bytes]) -> bytes:
    return b"".join([chunk async for chunk in stream])


def test_write_read_range_delete(s3_endpoint: str) -> None:
    prefix = "unit-" + secrets.token_hex(4)
    storage = S3Storage(f"s3://{BUCKET}/{prefix}")
    small, large = b"hello", os.urandom(2 * PART_SIZE + 12345)  # three parts

    async def scenario() -> None:
        assert await storage.write("small", chunks(small)) == len(small)
        assert await storage.write("large", chunks(large)) == len(large)
        assert await collected(storage.read("small")) == small
        assert await collected(storage.read("large")) == large
        middle = await collected(storage.read("large", PART_SIZE - 10, PART_SIZE + 10))
        assert middle == large[PART_SIZE - 10 : PART_SIZE + 10]
        assert await collected(storage.read("large", len(large) - 5)) == large[-5:]
        with pytest.raises(FileNotFoundError):
            await collected(storage.read("absent"))
        listed = {key: written async for key, written in storage.stored()}
        assert set(listed) == {"small", "large"}
        assert all(abs(written - time.time()) < 300 for written in listed.values())
        await storage.delete("small")
        await storage.delete("absent")  # no error
        await storage.aclose()

    asyncio.run(scenario())
    assert objects(prefix) == [f"{prefix}/large"]


def test_a_failed_write_leaves_nothing(s3_endpoint: str) -> None:
    prefix = "failed-" + secrets.token_hex(4)
    storage = S3Storage(f"s3://{BUCKET}/{prefix}")

    async def broken() -> AsyncIterator[bytes]:
        yield os.urandom(PART_SIZE + 1)  # a part is uploaded
        raise ConnectionResetError("the client went away")

    async def scenario() -> None:
        with pytest.raises(ConnectionResetError):
            await storage.write("partial", broken())
        await storage.aclose()

    asyncio.run(scenario())
    assert objects(prefix) == []
    uploads = boto3.client("s3").list_multipart_uploads(Bucket=BUCKET, Prefix=prefix)
    assert uploads.get("Uploads", []) == []


def test_a_server_on_s3(s3_endpoint: str, tmp_path: Path) -> None:
    prefix = "server-" + secrets.token_hex(4)
    env = standalone_env(tmp_path, ASSISTANTS_STORAGE_URL=f"s3://{BUCKET}/{prefix}")
    data = os.urandom(PART_SIZE + 777)
    with (
        running_server(env, tmp_path / "server.log") as url,
        openai.OpenAI(base_url=url, api_key="any", max_retries=0) as client,
    ):
        made = client.files.create(file=("blob.bin", data), purpose="assistants")
        assert len(objects(prefix)) == 1
        assert client.files.content(made.id).read() == data
        client.files.delete(made.id)
        deadline = time.monotonic() + 5
        while objects(prefix) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert objects(prefix) == []  # deleted once the deleting transaction committed
