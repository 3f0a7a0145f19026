"""Dependencies shared by the routers, as `Annotated` aliases. Each is an `async def`, even with
nothing to await: FastAPI runs a plain `def` dependency in a worker thread, a costly hop."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import AsyncIterator
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from assistants_server.config import Settings
from assistants_server.db.session import reading, writing
from assistants_server.errors import AuthenticationError, InvalidRequestError
from assistants_server.llm.registry import BackendRegistry
from assistants_server.runs.events import Broker
from assistants_server.schemas.common import ApiVersion
from assistants_server.state import AppState
from assistants_server.storage.base import FileStorage
from assistants_server.tools.file_search import QUERY, RESULT_CONTENT

ModelT = TypeVar("ModelT", bound=BaseModel)


async def get_state(request: Request) -> AppState:
    state: AppState = request.app.state.resources
    return state


StateDep = Annotated[AppState, Depends(get_state)]


async def get_settings(state: StateDep) -> Settings:
    return state.settings


async def get_storage(state: StateDep) -> FileStorage:
    return state.storage


async def get_backends(state: StateDep) -> BackendRegistry:
    return state.backends


async def get_broker(state: StateDep) -> Broker:
    return state.broker


SettingsDep = Annotated[Settings, Depends(get_settings)]
BrokerDep = Annotated[Broker, Depends(get_broker)]
StorageDep = Annotated[FileStorage, Depends(get_storage)]
BackendsDep = Annotated[BackendRegistry, Depends(get_backends)]


async def get_session(request: Request, state: StateDep) -> AsyncIterator[AsyncSession]:
    """One transaction per request, committed before the response is sent. GET requests only
    read, so on SQLite they neither wait for nor hold the write lock."""
    opened = reading if request.method == "GET" else writing
    async with opened(state.sessionmaker) as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]

ANONYMOUS_TENANT = "anonymous"


def tenant_of(api_key: str) -> str:
    """The tenant an API key stands for; the key itself is never stored."""
    return hashlib.sha256(api_key.encode()).hexdigest()[:32]


@functools.cache
def _tenants(api_keys: str) -> frozenset[str]:
    """The tenants of the configured keys (`ASSISTANTS_API_KEYS` as set), worked out once."""
    return frozenset(tenant_of(key.strip()) for key in api_keys.split(",") if key.strip())


async def get_tenant(request: Request, settings: SettingsDep) -> str:
    """With keys configured, only those are accepted, and each key is a tenant. Without
    (the server then listens on loopback only), every request is of one tenant, whatever
    bearer it sends or none: wrappers that read `OPENAI_API_KEY` on their own see what the
    app made."""
    if not settings.auth_required:
        return ANONYMOUS_TENANT
    scheme, _, key = request.headers.get("authorization", "").partition(" ")
    key = key.strip() if scheme.lower() == "bearer" else ""
    if not key:
        raise AuthenticationError(
            "You didn't provide an API key. You need to provide your API key in an "
            "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
            code=None,
        )
    tenant = tenant_of(key)  # compared as digests: no time to learn a key from
    if tenant not in _tenants(settings.api_keys):
        shown = key[:3] + "*" * 4 + key[-4:] if len(key) > 8 else "*" * len(key)
        raise AuthenticationError(f"Incorrect API key provided: {shown}.")
    return tenant


TenantDep = Annotated[str, Depends(get_tenant)]


async def get_api_version(request: Request) -> ApiVersion:
    """`OpenAI-Beta: assistants=v1` selects v1 shapes; anything else, or nothing, is v2."""
    beta = request.headers.get("openai-beta", "")
    flags = {part.strip() for part in beta.split(",")}
    return "v1" if "assistants=v1" in flags else "v2"


ApiVersionDep = Annotated[ApiVersion, Depends(get_api_version)]


def versioned_body(v1_model: type[ModelT], v2_model: type[ModelT]) -> Any:
    """A dependency parsing the JSON body with the request model of the asked API version."""

    async def parse(request: Request, version: ApiVersionDep) -> ModelT:
        model = v1_model if version == "v1" else v2_model
        raw = await request.body()
        try:
            return model.model_validate_json(raw or b"{}")
        except ValidationError as exc:
            errors = [{**error, "loc": ("body", *error["loc"])} for error in exc.errors()]
            raise RequestValidationError(errors, body=raw) from exc

    return Depends(parse)


POLL_AFTER_MS = "100"


def polled(response: Response, data: dict[str, Any]) -> dict[str, Any]:
    """`data`, with the header that tells the SDK's `*_and_poll` helpers to poll again after
    100 ms (they wait a second without it)."""
    response.headers["openai-poll-after-ms"] = POLL_AFTER_MS
    return data


def _included(request: Request, supported: tuple[str, ...]) -> frozenset[str]:
    """The request's `include[]` values; one not `supported` is a 400."""
    asked = request.query_params.getlist("include[]") + request.query_params.getlist("include")
    for value in asked:
        if value not in supported:
            raise InvalidRequestError(
                f"Invalid value for 'include': '{value}'. Supported values are: {list(supported)}.",
                param="include",
            )
    return frozenset(asked)


async def get_search_content(request: Request) -> bool:
    """Whether `include[]` asks for the content of file_search results (the only value the
    API defines)."""
    return bool(_included(request, (RESULT_CONTENT,)))


async def get_step_include(request: Request) -> frozenset[str]:
    """What `include[]` asks run steps to show: the content of file_search results, and (an
    extension) the query the model searched with."""
    return _included(request, (RESULT_CONTENT, QUERY))


SearchContentDep = Annotated[bool, Depends(get_search_content)]
StepIncludeDep = Annotated[frozenset[str], Depends(get_step_include)]


# The `response_model` of routes answering wire objects (dicts, or the generated models):
# FastAPI then serializes them with pydantic's Rust core. With `None` it would walk them with
# `jsonable_encoder`, about 80 µs an object. (The v1 and v2 objects share names, so no one
# model can document both.)
WIRE: Any = Any
