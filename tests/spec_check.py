"""Every JSON response a test receives, checked against the OpenAPI document of its API version
(`../shared/spec`), with `openapi-core`. The tests' clients call `check` from an httpx response
hook; what is outside the spec is kept in `violations`, and the test fails at its end.

OpenAI's own answers differed from its documents in a few places; the server does as OpenAI did
there, and `as_openai_answered` writes each into the document (the fuzz run, `make fuzz`,
checks against the same):

- an empty page has `first_id` and `last_id` null (the documents want strings; the SDKs read
  null);
- v1's assistant-file and message-file lists are documented with a required `items`; OpenAI
  sent `data`, which the v1 SDK reads;
- a file shows the purpose it was uploaded with, though the documents' file object lists fewer
  purposes than uploads accept (`evals`; for v1, every purpose newer than v1).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import openai
import yaml
from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.templating.paths.exceptions import PathError
from werkzeug.datastructures import Headers, ImmutableMultiDict

SPEC = Path(__file__).resolve().parents[2] / "shared" / "spec"
PURPOSES = [
    "assistants",
    "assistants_output",
    "batch",
    "batch_output",
    "fine-tune",
    "fine-tune-results",
    "vision",
    "user_data",
    "evals",
]


def as_openai_answered(version: str) -> dict[str, Any]:
    """The `version` document, with the exceptions above written into it."""
    document: dict[str, Any] = yaml.safe_load(
        (SPEC / f"assistants-{version}.openapi.yaml").read_text()
    )
    schemas = document["components"]["schemas"]
    for name, schema in schemas.items():
        properties = schema.get("properties", {}) if isinstance(schema, dict) else {}
        if not name.startswith("List") or "first_id" not in properties:
            continue
        for cursor in ("first_id", "last_id"):
            if version == "v1":
                properties[cursor] = {**properties[cursor], "nullable": True}
            else:
                properties[cursor] = {**properties[cursor], "type": ["string", "null"]}
        schema["required"] = [key for key in schema["required"] if key != "items"]
    schemas["OpenAIFile"]["properties"]["purpose"]["enum"] = PURPOSES
    return document


violations: list[str] = []


@functools.cache
def _document(version: str) -> OpenAPI:
    return OpenAPI.from_dict(as_openai_answered(version))


@dataclass
class _Request:
    """An httpx request as openapi-core reads one."""

    request: httpx.Request
    parameters: RequestParameters = field(default_factory=RequestParameters)

    def __post_init__(self) -> None:
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(self.request.url.params.multi_items())
        )

    @property
    def host_url(self) -> str:
        return "https://api.openai.com"

    @property
    def path(self) -> str:
        return re.sub(r"^.*?/v1/", "/v1/", self.request.url.path)

    @property
    def method(self) -> str:
        return self.request.method.lower()

    @property
    def body(self) -> bytes | None:
        return None

    @property
    def content_type(self) -> str:
        return self.request.headers.get("content-type", "").lower()


@dataclass
class _Response:
    response: httpx.Response

    @property
    def status_code(self) -> int:
        return self.response.status_code

    @property
    def content_type(self) -> str:
        return self.response.headers.get("content-type", "").lower()

    @property
    def headers(self) -> Headers:
        return Headers(dict(self.response.headers))

    @property
    def data(self) -> bytes:
        return self.response.content


def check(response: httpx.Response) -> None:
    """Keep in `violations` what of `response` (a 2xx JSON answer) the spec does not allow."""
    if not 200 <= response.status_code < 300:
        return
    if not response.headers.get("content-type", "").startswith("application/json"):
        return
    response.read()
    beta = response.request.headers.get("openai-beta", "")
    version = "v1" if "assistants=v1" in beta else "v2"
    try:
        _document(version).validate_response(_Request(response.request), _Response(response))
    except PathError:
        return  # not in this version's document: an extension (`/v1/models`), or v1-only
    except Exception as exc:
        errors = _schema_errors(exc)
        shown = [f"{'.'.join(map(str, e.path))}: {e.message}" for e in errors] or [repr(exc)]
        request = response.request
        violations.append(f"{request.method} {request.url.path} ({version}): {shown}")


def _schema_errors(exc: BaseException) -> list[Any]:
    """The schema errors under openapi-core's exception."""
    found: list[Any] = []
    seen: BaseException | None = exc
    while seen is not None:
        found.extend(getattr(seen, "schema_errors", ()) or ())
        seen = seen.__cause__
    return found


HOOKS: dict[str, list[Any]] = {"response": [check]}


def checked_openai(**options: Any) -> openai.OpenAI:
    """An `openai.OpenAI(**options)` client whose every response is checked."""
    return openai.OpenAI(http_client=openai.DefaultHttpxClient(event_hooks=HOOKS), **options)


def checked_http(**options: Any) -> httpx.Client:
    """An `httpx.Client(**options)` whose every response is checked."""
    return httpx.Client(event_hooks=HOOKS, **options)
