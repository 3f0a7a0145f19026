"""Multipart uploads streamed to file storage: never held in memory, never named by the client.

Starlette's parser spools each file part to a temporary file (in memory only up to 1 MB);
the request stream is counted as it is read, so an upload over the limit is refused as soon
as it passes it, and a `Content-Length` over the limit before any of it is read.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator
from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from assistants_server import ids
from assistants_server.api.inputs import NUL, nul_error
from assistants_server.errors import InvalidRequestError, PayloadTooLargeError
from assistants_server.storage.base import CHUNK_SIZE, FileStorage

FormT = TypeVar("FormT", bound=BaseModel)

_FORM_OVERHEAD = 1024 * 1024  # room for boundaries and the other fields


@dataclass(frozen=True)
class StoredUpload:
    storage_key: str
    filename: str
    size: int


def _too_large(max_bytes: int) -> PayloadTooLargeError:
    return PayloadTooLargeError(
        f"File is too large. The maximum size of an upload is {max_bytes} bytes.", param="file"
    )


async def _counted(
    stream: AsyncIterator[bytes], limit: int, max_bytes: int
) -> AsyncGenerator[bytes, None]:
    seen = 0
    async for chunk in stream:
        seen += len(chunk)
        if seen > limit:
            raise _too_large(max_bytes)
        yield chunk


async def _chunks(upload: UploadFile) -> AsyncIterator[bytes]:
    while chunk := await upload.read(CHUNK_SIZE):
        yield chunk


def _nest(items: list[tuple[str, Any]]) -> dict[str, Any]:
    """Form names as the SDKs send nested params: `expires_after[anchor]` -> nested dict."""
    fields: dict[str, Any] = {}
    for name, value in items:
        if "[" in name and name.endswith("]"):
            outer, inner = name[:-1].split("[", 1)
            nested = fields.setdefault(outer, {})
            if isinstance(nested, dict):
                nested[inner] = value
                continue
        fields[name] = value
    return fields


async def receive_upload(
    request: Request, storage: FileStorage, form_model: type[FormT], *, max_bytes: int
) -> tuple[FormT, StoredUpload]:
    """Store the request's one file part and validate the other fields with `form_model`
    (whose `file` field receives the filename). Nothing stays stored if anything fails."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise InvalidRequestError(
            "Expected a multipart/form-data request with a 'file' part.", param="file"
        )
    limit = max_bytes + _FORM_OVERHEAD
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(max_bytes)
    parser = MultiPartParser(
        request.headers, _counted(request.stream(), limit, max_bytes), max_files=1, max_fields=16
    )
    try:
        form = await parser.parse()
    except MultiPartException as exc:
        raise InvalidRequestError(f"Invalid multipart body: {exc.message}") from exc
    items = list(form.multi_items())
    upload = next((value for _, value in items if isinstance(value, UploadFile)), None)
    try:
        if upload is None or upload.size is None:
            raise InvalidRequestError("Missing required parameter: 'file'.", param="file")
        if upload.size > max_bytes:
            raise _too_large(max_bytes)
        filename = upload.filename or "upload"
        for name, value in items:
            text = value.filename or "" if isinstance(value, UploadFile) else value
            if NUL in text or NUL in name:
                raise nul_error("file" if isinstance(value, UploadFile) else name)
        fields = _nest([(k, filename if isinstance(v, UploadFile) else v) for k, v in items])
        try:
            parsed = form_model.model_validate(fields)
        except ValidationError as exc:
            errors = [{**error, "loc": ("body", *error["loc"])} for error in exc.errors()]
            raise RequestValidationError(errors, body=fields) from exc
        key = ids.new(ids.STORAGE_KEY)
        size = await storage.write(key, _chunks(upload))
        return parsed, StoredUpload(storage_key=key, filename=filename, size=size)
    finally:
        await form.close()
