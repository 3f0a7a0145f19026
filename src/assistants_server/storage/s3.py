"""Files in an S3 bucket (AWS, MinIO or any S3-compatible store), streamed both ways.

`s3://bucket/prefix`, with the standard AWS settings: `AWS_ACCESS_KEY_ID`,
`AWS_SECRET_ACCESS_KEY`, `AWS_REGION` (or `AWS_DEFAULT_REGION`), and `AWS_ENDPOINT_URL` for a
store other than AWS. A write of more than one part is a multipart upload, of PART_SIZE parts,
aborted if anything fails: an object is whole or absent, and an upload never sits in memory
beyond one part. Reads stream the object, or a byte range of it.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterable, AsyncIterator
from typing import Any

from aiobotocore.session import get_session
from botocore.exceptions import ClientError

from assistants_server.storage.base import CHUNK_SIZE

PART_SIZE = 8 * 1024 * 1024  # S3 wants parts of at least 5 MiB, but the last


class S3Storage:
    def __init__(self, url: str) -> None:
        bucket, _, prefix = url.removeprefix("s3://").partition("/")
        if not bucket:
            raise ValueError(f"invalid storage URL {url!r}: expected s3://bucket[/prefix]")
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self._session = get_session()
        self._client: Any = None
        self._exit: contextlib.AsyncExitStack | None = None

    async def _s3(self) -> Any:
        """One client for the process, opened on first use."""
        if self._client is None:
            self._exit = contextlib.AsyncExitStack()
            self._client = await self._exit.enter_async_context(self._session.create_client("s3"))
        return self._client

    async def aclose(self) -> None:
        if self._exit is not None:
            await self._exit.aclose()
            self._client = self._exit = None

    def _key(self, key: str) -> str:
        if not key or "/" in key or key.startswith("."):
            raise ValueError(f"invalid storage key {key!r}")
        return self.prefix + key

    async def write(self, key: str, chunks: AsyncIterable[bytes]) -> int:
        s3, name = await self._s3(), self._key(key)
        parts: list[dict[str, Any]] = []
        upload_id = None
        buffer, written = bytearray(), 0
        try:
            async for chunk in chunks:
                buffer += chunk
                written += len(chunk)
                while len(buffer) >= PART_SIZE:
                    if upload_id is None:
                        started = await s3.create_multipart_upload(Bucket=self.bucket, Key=name)
                        upload_id = started["UploadId"]
                    part, buffer = bytes(buffer[:PART_SIZE]), buffer[PART_SIZE:]
                    parts.append(await self._part(s3, name, upload_id, len(parts) + 1, part))
            if upload_id is None:
                await s3.put_object(Bucket=self.bucket, Key=name, Body=bytes(buffer))
                return written
            if buffer or not parts:
                parts.append(await self._part(s3, name, upload_id, len(parts) + 1, bytes(buffer)))
            await s3.complete_multipart_upload(
                Bucket=self.bucket, Key=name, UploadId=upload_id, MultipartUpload={"Parts": parts}
            )
        except BaseException:
            if upload_id is not None:
                with contextlib.suppress(Exception):
                    await s3.abort_multipart_upload(
                        Bucket=self.bucket, Key=name, UploadId=upload_id
                    )
            raise
        return written

    async def _part(
        self, s3: Any, name: str, upload_id: str, number: int, data: bytes
    ) -> dict[str, Any]:
        answer = await s3.upload_part(
            Bucket=self.bucket, Key=name, UploadId=upload_id, PartNumber=number, Body=data
        )
        return {"PartNumber": number, "ETag": answer["ETag"]}

    async def read(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        s3 = await self._s3()
        options: dict[str, Any] = {}
        if start or end is not None:
            options["Range"] = f"bytes={start}-{'' if end is None else end - 1}"
        try:
            answer = await s3.get_object(Bucket=self.bucket, Key=self._key(key), **options)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                raise FileNotFoundError(key) from exc
            raise
        async with answer["Body"] as body:
            while chunk := await body.read(CHUNK_SIZE):
                yield chunk

    async def delete(self, key: str) -> None:
        s3 = await self._s3()
        await s3.delete_object(Bucket=self.bucket, Key=self._key(key))  # absent: no error

    async def stored(self) -> AsyncIterator[tuple[str, float]]:
        s3 = await self._s3()
        pages = s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix)
        async for page in pages:
            for item in page.get("Contents", []):
                yield item["Key"].removeprefix(self.prefix), item["LastModified"].timestamp()
