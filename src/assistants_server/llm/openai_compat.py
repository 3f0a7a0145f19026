"""Any OpenAI-compatible `/v1` endpoint: vLLM, Ollama, llama.cpp, LM Studio, TGI, OpenAI...

Chat completions are always streamed (`stream: true`, usage requested in a final chunk). A
request that fails before anything has been yielded — 429, 5xx, or no connection — is tried
again with exponential backoff (honouring `Retry-After` up to a cap); a stream that has
started is never replayed.

The client is aiohttp: each streamed chunk costs it about half the CPU it costs httpx (one
read of the socket per token, measured on loopback), and a run receives one chunk per token.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, AsyncIterator
from typing import Any

import aiohttp
from pydantic import BaseModel, ValidationError

from assistants_server import tracing
from assistants_server.llm.base import (
    ChatEvent,
    ChatRequest,
    ErrorKind,
    Finished,
    LLMError,
    ModelInfo,
    TextDelta,
    ToolCallDelta,
    Usage,
)

_INVALID_REQUEST = frozenset({400, 404, 413, 422})
_BAD_KEY = frozenset({401, 403})
# Failures worth another try: the request never reached a model.
_RETRYABLE_TRANSPORT = (aiohttp.ClientConnectionError,)


class _ModelEntry(BaseModel):
    id: str
    created: int = 0
    owned_by: str | None = None


class _ModelList(BaseModel):
    data: list[_ModelEntry]


class _ErrorDetail(BaseModel):
    message: str = ""


class _ErrorBody(BaseModel):
    error: _ErrorDetail | str


class _FunctionDelta(BaseModel):
    name: str | None = None
    arguments: str | None = None


class _ToolCallChunk(BaseModel):
    index: int = 0
    id: str | None = None
    function: _FunctionDelta | None = None


class _Delta(BaseModel):
    content: str | None = None
    tool_calls: list[_ToolCallChunk] | None = None


class _Choice(BaseModel):
    delta: _Delta | None = None
    finish_reason: str | None = None


class _Usage(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0


class _Chunk(BaseModel):
    choices: list[_Choice] = []
    usage: _Usage | None = None
    error: _ErrorDetail | str | None = None


class _Embedding(BaseModel):
    index: int
    embedding: list[float]


class _EmbeddingList(BaseModel):
    data: list[_Embedding]


def _chat_body(request: ChatRequest) -> dict[str, Any]:
    optional = {
        "tools": request.tools,
        "tool_choice": request.tool_choice,
        "parallel_tool_calls": request.parallel_tool_calls if request.tools else None,
        "temperature": request.temperature,
        "top_p": request.top_p,
        "max_tokens": request.max_tokens,
        "response_format": request.response_format,
        "reasoning_effort": request.reasoning_effort,
    }
    return {
        "model": request.model,
        "messages": request.messages,
        "stream": True,
        "stream_options": {"include_usage": True},
        **{key: value for key, value in optional.items() if value is not None},
    }


def _error_text(status: int, reason: str, body: bytes) -> str:
    """The backend's own error message: `{"error": {"message"}}`, else the start of the body."""
    try:
        error = _ErrorBody.model_validate_json(body).error
    except ValidationError:
        return body[:500].decode(errors="replace").strip() or reason or f"HTTP {status}"
    return error if isinstance(error, str) else error.message


def _retry_after(response: aiohttp.ClientResponse) -> float | None:
    try:
        return max(0.0, float(response.headers["retry-after"]))
    except (KeyError, ValueError):
        return None


async def _sse_data(response: aiohttp.ClientResponse) -> AsyncIterator[str]:
    """The `data` of each server-sent event of `response`, as the event-stream format reads
    (data lines joined, comments and other fields skipped)."""
    data: list[str] = []
    async for raw in response.content:
        line = raw.decode().rstrip("\r\n")
        if not line:
            if data:
                yield "\n".join(data)
                data = []
        elif line.startswith("data:"):
            value = line[5:]
            data.append(value[1:] if value.startswith(" ") else value)
    if data:
        yield "\n".join(data)


class OpenAICompatBackend:
    def __init__(
        self,
        name: str,
        base_url: str,
        api_key: str | None = None,
        *,
        timeout: float = 60.0,
        read_timeout: float = 120.0,
        max_attempts: int = 3,
        backoff: float = 0.5,
        max_retry_after: float = 30.0,
    ) -> None:
        """`read_timeout` bounds the wait between two chunks; `timeout` the other phases.

        A failed request is tried `max_attempts` times in all, waiting `backoff`, then twice
        that, and so on — or the backend's `Retry-After`, at most `max_retry_after` seconds.
        """
        self.name = name
        self.base_url = base_url.rstrip("/") + "/"
        self._max_attempts = max(1, max_attempts)
        self._backoff = backoff
        self._max_retry_after = max_retry_after
        self._headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._timeout = aiohttp.ClientTimeout(total=timeout, sock_connect=10.0)
        self._stream_timeout = aiohttp.ClientTimeout(sock_connect=10.0, sock_read=read_timeout)
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        """The connection pool, made on first use (it belongs to the running loop). No limit
        on connections: the executor bounds how many runs call the backend at once."""
        if self._session is None:
            self._session = aiohttp.ClientSession(
                headers=self._headers, connector=aiohttp.TCPConnector(limit=0)
            )
        return self._session

    async def stream_chat(self, request: ChatRequest) -> AsyncGenerator[ChatEvent, None]:
        response = await self._post(
            "chat/completions",
            _chat_body(request),
            timeouts=self._stream_timeout,
            headers=tracing.inject({"Accept": "text/event-stream", "Cache-Control": "no-store"}),
        )
        finish_reason, usage, done = "stop", None, False
        if response.content_type != "text/event-stream":
            response.close()
            raise self._failure(f"did not answer with an event stream ({response.content_type})")
        try:
            async for data in _sse_data(response):
                if data.strip() == "[DONE]":
                    done = True
                    break
                chunk = self._parse_chunk(data)
                if chunk.usage is not None:
                    usage = Usage(chunk.usage.prompt_tokens, chunk.usage.completion_tokens)
                for choice in chunk.choices[:1]:
                    finish_reason = choice.finish_reason or finish_reason
                    for event in _events(choice.delta):
                        yield event
            done = True
        except TimeoutError as exc:
            raise self._failure("stopped sending (read timeout)") from exc
        except aiohttp.ClientError as exc:
            raise self._failure(f"broke off the stream: {exc!r}") from exc
        finally:
            if done:
                response.release()
            else:  # left early: hang up, so the backend stops generating
                response.close()
        yield Finished(finish_reason, usage)

    async def embed(self, model: str, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        body = await self._read_json("embeddings", {"model": model, "input": texts})
        try:
            listed = _EmbeddingList.model_validate_json(body)
        except ValidationError as exc:
            raise self._failure(f"sent an unreadable embeddings response: {exc}") from exc
        if sorted(item.index for item in listed.data) != list(range(len(texts))):
            raise self._failure(f"sent {len(listed.data)} embeddings for {len(texts)} texts")
        return [item.embedding for item in sorted(listed.data, key=lambda item: item.index)]

    async def list_models(self) -> list[ModelInfo]:
        url = self.base_url + "models"
        async with self._client().get(url, timeout=self._timeout) as response:
            response.raise_for_status()
            listed = _ModelList.model_validate_json(await response.read())
        return [
            ModelInfo(id=entry.id, created=entry.created, owned_by=entry.owned_by or self.name)
            for entry in listed.data
        ]

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def _read_json(self, path: str, body: dict[str, Any]) -> bytes:
        response = await self._post(path, body, timeouts=self._timeout)
        try:
            return await response.read()
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise self._failure(f"failed while answering: {exc!r}") from exc
        finally:
            response.release()

    async def _post(
        self,
        path: str,
        body: dict[str, Any],
        *,
        timeouts: aiohttp.ClientTimeout,
        headers: dict[str, str] | None = None,
    ) -> aiohttp.ClientResponse:
        """POST until a 2xx arrives (its body unread), retrying what is retryable."""
        url = self.base_url + path
        attempt = 1
        while True:
            wait: float | None = None
            try:
                response = await self._client().post(
                    url, json=body, headers=headers, timeout=timeouts
                )
            except _RETRYABLE_TRANSPORT as exc:
                error = self._failure(f"could not be reached: {exc!r}")
                retryable = True
            except TimeoutError as exc:
                raise self._failure("did not answer in time (timeout)") from exc
            except aiohttp.ClientError as exc:
                raise self._failure(f"failed: {exc!r}") from exc
            else:
                if response.ok:
                    return response
                text = b""
                with contextlib.suppress(TimeoutError, aiohttp.ClientError):
                    text = await response.read()
                response.release()
                error = self._status_error(response.status, response.reason or "", text)
                retryable = response.status == 429 or response.status >= 500
                wait = _retry_after(response)
            if not retryable or attempt >= self._max_attempts:
                raise error
            if wait is None:
                wait = self._backoff * 2 ** (attempt - 1)
            await asyncio.sleep(min(wait, self._max_retry_after))
            attempt += 1

    def _status_error(self, status: int, reason: str, body: bytes) -> LLMError:
        text = _error_text(status, reason, body)
        kind: ErrorKind = "server"
        if status == 429:
            kind = "rate_limit"
        elif status in _INVALID_REQUEST:
            kind = "invalid_request"
        if status in _BAD_KEY:
            message = (
                f"LLM backend {self.name!r} at {self.base_url} rejected its API key "
                f"(HTTP {status}: {text}); check ASSISTANTS_LLM_API_KEY or the backend's "
                "api_key / api_key_env in the config file"
            )
        else:
            message = f"LLM backend {self.name!r} answered HTTP {status}: {text}"
        return LLMError(kind, message, status)

    def _failure(self, what: str) -> LLMError:
        return LLMError("server", f"LLM backend {self.name!r} at {self.base_url} {what}")

    def _parse_chunk(self, data: str) -> _Chunk:
        try:
            chunk = _Chunk.model_validate_json(data)
        except ValidationError as exc:
            raise self._failure(f"sent an unreadable chunk: {data[:200]!r}") from exc
        if chunk.error is not None:
            error = chunk.error if isinstance(chunk.error, str) else chunk.error.message
            raise self._failure(f"reported an error mid-stream: {error}")
        return chunk


def _events(delta: _Delta | None) -> list[ChatEvent]:
    if delta is None:
        return []
    events: list[ChatEvent] = [TextDelta(delta.content)] if delta.content else []
    for call in delta.tool_calls or []:
        function = call.function or _FunctionDelta()
        events.append(ToolCallDelta(call.index, call.id, function.name, function.arguments or ""))
    return events
