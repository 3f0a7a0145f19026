"""Errors, answered in OpenAI's shape: `{"error": {"message", "type", "param", "code"}}`.

    APIError                 500 server_error
    ├── InvalidRequestError  400 invalid_request_error (bad input and state conflicts)
    ├── AuthenticationError  401 invalid_request_error, code invalid_api_key
    ├── NotFoundError        404 invalid_request_error
    ├── PayloadTooLargeError 413 invalid_request_error
    └── RateLimitError       429 rate_limit_exceeded

Routers and services raise these; the handlers registered by `install_handlers` turn them,
FastAPI's validation errors and Starlette's HTTP errors into the envelope.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.routing import Match

logger = logging.getLogger(__name__)


class APIError(Exception):
    status_code = 500
    error_type = "server_error"
    default_code: str | None = None

    def __init__(self, message: str, *, param: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.param = param
        self.code = code if code is not None else self.default_code

    def body(self) -> dict[str, Any]:
        return error_body(self.message, self.error_type, param=self.param, code=self.code)


class InvalidRequestError(APIError):
    status_code = 400
    error_type = "invalid_request_error"


class AuthenticationError(APIError):
    status_code = 401
    error_type = "invalid_request_error"
    default_code = "invalid_api_key"


class NotFoundError(APIError):
    status_code = 404
    error_type = "invalid_request_error"

    @classmethod
    def for_object(cls, kind: str, object_id: str, *, param: str | None = None) -> NotFoundError:
        return cls(f"No {kind} found with id '{object_id}'.", param=param)


class PayloadTooLargeError(APIError):
    status_code = 413
    error_type = "invalid_request_error"


class RateLimitError(APIError):
    status_code = 429
    error_type = "rate_limit_exceeded"
    default_code = "rate_limit_exceeded"


def error_body(
    message: str, error_type: str, *, param: str | None = None, code: str | None = None
) -> dict[str, Any]:
    return {"error": {"message": message, "type": error_type, "param": param, "code": code}}


_FIELD_NAME = re.compile(r"[a-z][a-z0-9_]*")


def _param_path(loc: tuple[Any, ...], body: Any) -> str | None:
    """`('body', 'tools', 0, 'function', 'name')` -> `tools[0].function.name`.

    Union validation inserts the variant's tag or class name into the location; those steps
    are not keys of the submitted data, so walking the data alongside the path drops them.
    """
    if loc and loc[0] in ("query", "path", "header"):
        return ".".join(str(step) for step in loc[1:]) or None
    if loc and loc[0] == "body":
        loc = loc[1:]
    if "[key]" in loc:  # a bad key of a map: the map is the parameter
        loc = loc[: loc.index("[key]") - 1]
    path = ""
    data = body
    for index, step in enumerate(loc):
        last = index == len(loc) - 1
        if isinstance(step, int):
            path += f"[{step}]"
            data = data[step] if isinstance(data, list) and step < len(data) else None
            continue
        if not isinstance(data, dict) or (
            step not in data and (not last or not _FIELD_NAME.fullmatch(step))
        ):
            continue  # a union variant's name (`str`, `literal['auto']`, a class), not a field
        path += f".{step}" if path else str(step)
        data = data.get(step) if isinstance(data, dict) else None
    return path or None


INVALID_JSON = (
    "We could not parse the JSON body of your request. The API expects a JSON payload, but "
    "what was sent was not valid JSON."
)


def _validation_message(error: dict[str, Any], param: str | None) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    name = param or "body"
    if kind == "json_invalid":
        return INVALID_JSON
    if kind == "extra_forbidden":
        return f"Unrecognized request argument supplied: {name}"
    if kind == "missing":
        return f"Missing required parameter: '{name}'."
    if kind == "string_too_long":
        return (
            f"Invalid '{name}': string too long. Expected a string with maximum length "
            f"{ctx.get('max_length')}, but got a string with length {len(error['input'])} instead."
        )
    if kind == "too_long" and ctx.get("field_type") == "Dictionary":
        given = error.get("input")
        count = len(given) if isinstance(given, dict) else ctx.get("actual_length")
        return (
            f"Invalid '{name}': too many properties. Expected an object with at most "
            f"{ctx.get('max_length')} properties, but got an object with {count} properties "
            "instead."
        )
    if kind == "too_long":
        return (
            f"Invalid '{name}': array too long. Expected an array with maximum length "
            f"{ctx.get('max_length')}, but got an array with length {ctx.get('actual_length')} "
            "instead."
        )
    if kind == "string_pattern_mismatch":
        return (
            f"Invalid '{name}': string does not match pattern. Expected a string that matches "
            f"the pattern '{ctx.get('pattern')}'."
        )
    if kind.startswith("openai_"):
        return str(error["msg"])
    if kind.endswith("_type") or kind == "model_attributes_type":
        return f"Invalid type for '{name}': {error['msg']}."
    return f"Invalid value for '{name}': {error['msg']}."


def validation_error(exc: RequestValidationError) -> InvalidRequestError:
    errors = exc.errors()
    first = errors[0] if errors else {"type": "value_error", "loc": (), "msg": "invalid request"}
    body = exc.body
    if first["type"] == "json_invalid":
        body = None
    elif isinstance(body, (bytes, str)):
        try:
            body = json.loads(body)
        except (ValueError, RecursionError):
            body = None
    param = _param_path(tuple(first.get("loc", ())), body)
    if first["type"] == "json_invalid":
        param = None
    return InvalidRequestError(_validation_message(first, param), param=param)


def _respond(error: APIError) -> JSONResponse:
    return JSONResponse(error.body(), status_code=error.status_code)


async def _on_api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, APIError)
    return _respond(exc)


async def _on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return _respond(validation_error(exc))


_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _allowed_methods(request: Request) -> set[str]:
    """Every method some route serves at this path (Starlette names only the first route's)."""
    routes = request.app.router.routes
    return {
        method
        for method in _METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] == Match.FULL for route in routes
        )
    }


async def _on_http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    headers = getattr(exc, "headers", None)
    if exc.status_code == 404:
        message = f"Invalid URL ({request.method} {request.url.path})"
    elif exc.status_code == 405:
        message = f"Method {request.method} is not allowed for {request.url.path}."
        headers = {"Allow": ", ".join(sorted(_allowed_methods(request)))}
    elif exc.detail == "There was an error parsing the body":  # FastAPI's own body parsing
        message = INVALID_JSON
    else:
        message = str(exc.detail)
    error_type = "invalid_request_error" if exc.status_code < 500 else "server_error"
    return JSONResponse(
        error_body(message, error_type), status_code=exc.status_code, headers=headers
    )


async def _on_disconnect(request: Request, exc: Exception) -> Response:
    """The client left before its request was read: nothing to answer, nothing went wrong."""
    logger.info("client disconnected before %s %s was read", request.method, request.url.path)
    return Response(status_code=400)


async def _on_unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    logger.exception("unhandled error on %s %s", request.method, request.url.path)
    return _respond(APIError("The server had an error while processing your request."))


def install_handlers(app: FastAPI) -> None:
    app.add_exception_handler(APIError, _on_api_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(ClientDisconnect, _on_disconnect)
    app.add_exception_handler(Exception, _on_unexpected_error)
