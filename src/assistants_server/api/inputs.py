"""Checks every request passes before a route reads it: a body's size (`BodyLimit`; uploads,
multipart, have their own), and no NUL character in any text (`check_text`: PostgreSQL
stores none, in text or in JSON; SQLite is held to the same rule so the two databases answer
alike)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistants_server.errors import InvalidRequestError, PayloadTooLargeError

MAX_JSON_BYTES = 32 * 1024 * 1024  # a JSON body's largest size; uploads have their own limit
NUL = "\x00"


class BodyLimit:
    """Refuses a body over MAX_JSON_BYTES with a 413 in the API's error shape: at once when
    its `Content-Length` says so, else as soon as it passes the limit while being read."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or _multipart(scope):
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > MAX_JSON_BYTES:
            response = JSONResponse(_too_large().body(), status_code=413)
            await response(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > MAX_JSON_BYTES:
                raise _too_large()  # inside the route: answered by the error handlers
            return message

        await self.app(scope, counted, send)


def _multipart(scope: Scope) -> bool:
    content_type: bytes = dict(scope["headers"]).get(b"content-type", b"")
    return content_type.startswith(b"multipart/")


def _too_large() -> PayloadTooLargeError:
    return PayloadTooLargeError(
        f"The request body is too large: at most {MAX_JSON_BYTES} bytes are accepted."
    )


def nul_error(param: str) -> InvalidRequestError:
    return InvalidRequestError(
        f"Invalid value for '{param}': text must not contain NUL characters (\\u0000).",
        param=param,
    )


async def check_text(request: Request) -> None:
    """A NUL in a query parameter or anywhere in a JSON body is a 400 naming where it is."""
    for name, value in request.query_params.multi_items():
        if NUL in value or NUL in name:
            raise nul_error(name)
    if request.method in ("GET", "DELETE", "HEAD"):
        return
    if not request.headers.get("content-type", "").startswith("application/json"):
        return  # uploads check their own fields
    raw = await request.body()  # kept by the request for the route's own parsing
    if b"\\u0000" not in raw:
        return
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):
        return  # not JSON: the route says so
    path = _nul_path(body, "")
    if path is not None:
        raise nul_error(path or "body")


def _nul_path(value: Any, path: str) -> str | None:
    """Where in `value` the first text holding a NUL is (`a.b[0].c`); None if nowhere."""
    if isinstance(value, str):
        return path if NUL in value else None
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _nul_path(item, f"{path}[{index}]")
            if found is not None:
                return found
    elif isinstance(value, dict):
        for key, item in value.items():
            here = f"{path}.{key}" if path else key
            if NUL in key:
                return here
            found = _nul_path(item, here)
            if found is not None:
                return found
    return None
