"""A small fake model server speaking the OpenAI HTTP protocol on loopback, for tests.

- `GET /v1/models` lists the model names it is given.
- `POST /v1/chat/completions` answers with the replies scripted for the requested model
  (`fake.script(model, Reply(...))`), streamed as SSE when `stream` is true; with nothing
  scripted it echoes the last user message (`"Echo: ..."`).
- `POST /v1/embeddings` returns hashed word vectors (`hashed_embedding`): texts sharing words
  are close.

Scripts and records are per model, so tests sharing one fake use their own model names.
Every request is recorded in `requests`; a client hanging up mid-stream counts in `disconnects`.
"""

from __future__ import annotations

import base64
import json
import math
import secrets
import select
import socket
import struct
import threading
import time
from collections import deque
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

from assistants_server.llm.fake import content_text, hashed_embedding, words


@dataclass
class Call:
    """A tool call; `id` defaults to a unique `call_<hex>`."""

    name: str
    arguments: str
    id: str | None = None


@dataclass
class Reply:
    """One scripted completion.

    `text` streams word by word (spaces kept), or in `chunks` equal pieces; each tool call
    streams its id and name, then its arguments in two parts. `first_delay` is waited before
    the first chunk, `delay` before every chunk. A `status` other than 200 answers with an
    OpenAI error body instead (and `Retry-After` if `retry_after` is set). `usage` is
    (prompt, completion) tokens; by default, words counted in the request and the reply.
    """

    text: str = ""
    tool_calls: Sequence[Call] = ()
    finish_reason: str | None = None
    chunks: int | None = None
    delay: float = 0.0
    first_delay: float = 0.0
    status: int = 200
    error_message: str = "scripted failure"
    retry_after: float | None = None
    usage: tuple[int, int] | None = None


@dataclass
class FakeModelServer:
    models: list[str]
    requests: list[dict[str, Any]] = field(default_factory=list)
    base_url: str = ""
    disconnects: int = 0
    reverse_embeddings: bool = False  # answer embeddings last index first, as the API may
    _replies: dict[str, deque[Reply]] = field(default_factory=dict, repr=False)
    _chats: dict[str, list[dict[str, Any]]] = field(default_factory=dict, repr=False)
    _embeddings: dict[str, list[dict[str, Any]]] = field(default_factory=dict, repr=False)
    _embedding_failures: dict[str, deque[int]] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def script(self, model: str, *replies: Reply) -> None:
        """Queue replies for chat requests naming `model`."""
        with self._lock:
            self._replies.setdefault(model, deque()).extend(replies)

    def script_embeddings_failure(self, model: str, status: int, *, times: int = 1) -> None:
        """Fail the next `times` embeddings requests naming `model` with `status`."""
        with self._lock:
            self._embedding_failures.setdefault(model, deque()).extend([status] * times)

    def chat_requests(self, model: str) -> list[dict[str, Any]]:
        """The JSON bodies of the chat requests naming `model`, in order."""
        with self._lock:
            return list(self._chats.get(model, []))

    def embedding_requests(self, model: str) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._embeddings.get(model, []))

    def clear(self) -> None:
        """Forget every script and record."""
        with self._lock:
            for store in (self._replies, self._chats, self._embeddings, self._embedding_failures):
                store.clear()
            self.requests.clear()
            self.disconnects = 0

    def handler(self) -> type[BaseHTTPRequestHandler]:
        class Handler(_Handler):
            pass

        Handler.fake = self
        return Handler

    def _record(self, request: dict[str, Any]) -> None:
        with self._lock:
            self.requests.append(request)

    def _next_reply(self, body: dict[str, Any]) -> Reply:
        model = str(body.get("model", ""))
        with self._lock:
            self._chats.setdefault(model, []).append(body)
            queued = self._replies.get(model)
            if queued:
                return queued.popleft()
        users = [m for m in body.get("messages", []) if m.get("role") == "user"]
        return Reply(text="Echo: " + (content_text(users[-1].get("content")) if users else ""))

    def _next_embedding_failure(self, body: dict[str, Any]) -> int | None:
        model = str(body.get("model", ""))
        with self._lock:
            self._embeddings.setdefault(model, []).append(body)
            failures = self._embedding_failures.get(model)
            return failures.popleft() if failures else None

    def _hung_up(self) -> None:
        with self._lock:
            self.disconnects += 1


class _Handler(BaseHTTPRequestHandler):
    fake: ClassVar[FakeModelServer]

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.fake._record({"method": "GET", "path": self.path, "headers": dict(self.headers)})
        if self.path == "/v1/models":
            data = [
                {"id": name, "object": "model", "created": 1700000000, "owned_by": "fake"}
                for name in self.fake.models
            ]
            self._json(200, {"object": "list", "data": data})
        else:
            self._error(404, "not found")

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = json.loads(raw or b"{}")
        self.fake._record(
            {"method": "POST", "path": self.path, "headers": dict(self.headers), "body": body}
        )
        if self.path == "/v1/chat/completions":
            self._chat(body)
        elif self.path == "/v1/embeddings":
            self._embed(body)
        else:
            self._error(404, "not found")

    def _chat(self, body: dict[str, Any]) -> None:
        reply = self.fake._next_reply(body)
        if reply.status != 200:
            self._error(reply.status, reply.error_message, retry_after=reply.retry_after)
            return
        completion = _Completion(body, reply)
        if body.get("stream"):
            self._stream(completion, reply)
        else:
            time.sleep(reply.first_delay)
            self._json(200, completion.whole())

    def _stream(self, completion: _Completion, reply: Reply) -> None:
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            for number, chunk in enumerate(completion.chunks()):
                wait = reply.delay + (reply.first_delay if number == 0 else 0.0)
                if not self._wait(wait):
                    raise ConnectionResetError
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            self.wfile.write(b"data: [DONE]\n\n")
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
            self.fake._hung_up()

    def _wait(self, seconds: float) -> bool:
        """Sleep `seconds`; False as soon as the client hangs up."""
        readable, _, _ = select.select([self.connection], [], [], seconds)
        if not readable:
            return True
        try:
            if self.connection.recv(1, socket.MSG_PEEK) == b"":
                return False
        except OSError:
            return False
        time.sleep(seconds)
        return True

    def _embed(self, body: dict[str, Any]) -> None:
        status = self.fake._next_embedding_failure(body)
        if status is not None:
            self._error(status, "scripted embeddings failure")
            return
        given = body.get("input", [])
        texts = [given] if isinstance(given, str) else [str(text) for text in given]
        as_base64 = body.get("encoding_format") == "base64"
        data = [
            {"object": "embedding", "index": index, "embedding": _vector(text, as_base64)}
            for index, text in enumerate(texts)
        ]
        if self.fake.reverse_embeddings:
            data.reverse()
        tokens = sum(len(text.split()) for text in texts)
        usage = {"prompt_tokens": tokens, "total_tokens": tokens}
        self._json(200, {"object": "list", "data": data, "model": body["model"], "usage": usage})

    def _json(
        self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
    ) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, message: str, *, retry_after: float | None = None) -> None:
        error_type, code = "invalid_request_error", None
        if status == 401:
            code = "invalid_api_key"
        elif status == 429:
            error_type, code = "requests", "rate_limit_exceeded"
        elif status >= 500:
            error_type = "server_error"
        error = {"message": message, "type": error_type, "param": None, "code": code}
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
        self._json(status, {"error": error}, headers)


class _Completion:
    """The chunks, or the whole chat.completion, answering one request with one reply."""

    def __init__(self, body: dict[str, Any], reply: Reply) -> None:
        self.id = "chatcmpl-" + secrets.token_hex(12)
        self.created = int(time.time())
        self.model = str(body["model"])
        self.include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
        self.calls = [Call(c.name, c.arguments, c.id or _call_id()) for c in reply.tool_calls]
        self.text = reply.text
        finish_reason = reply.finish_reason or ("tool_calls" if self.calls else "stop")
        limit = body.get("max_completion_tokens") or body.get("max_tokens")
        if limit is not None and len(words(self.text)) > limit:
            self.text, finish_reason = "".join(words(self.text)[:limit]), "length"
        self.finish_reason = finish_reason
        self.pieces = _pieces(self.text, reply.chunks)
        prompt = sum(len(content_text(m.get("content")).split()) for m in body["messages"])
        done = len(self.text.split()) + sum(len(c.arguments.split()) for c in self.calls)
        self.usage = reply.usage or (prompt, done)

    def chunks(self) -> Iterator[dict[str, Any]]:
        yield self._chunk({"role": "assistant", "content": "" if self.text else None})
        for piece in self.pieces:
            yield self._chunk({"content": piece})
        for index, call in enumerate(self.calls):
            function = {"name": call.name, "arguments": ""}
            yield self._chunk(
                {
                    "tool_calls": [
                        {"index": index, "id": call.id, "type": "function", "function": function}
                    ]
                }
            )
            half = len(call.arguments) // 2
            for part in (call.arguments[:half], call.arguments[half:]):
                if part:
                    yield self._chunk(
                        {"tool_calls": [{"index": index, "function": {"arguments": part}}]}
                    )
        yield self._chunk({}, self.finish_reason)
        if self.include_usage:
            yield {**self._chunk({}), "choices": [], "usage": self._usage()}

    def whole(self) -> dict[str, Any]:
        message: dict[str, Any] = {
            "role": "assistant",
            "content": self.text or None,
            "refusal": None,
        }
        if self.calls:
            message["tool_calls"] = [
                {
                    "id": c.id,
                    "type": "function",
                    "function": {"name": c.name, "arguments": c.arguments},
                }
                for c in self.calls
            ]
        choice = {
            "index": 0,
            "message": message,
            "logprobs": None,
            "finish_reason": self.finish_reason,
        }
        return {
            "id": self.id,
            "object": "chat.completion",
            "created": self.created,
            "model": self.model,
            "choices": [choice],
            "usage": self._usage(),
        }

    def _chunk(self, delta: dict[str, Any], finish_reason: str | None = None) -> dict[str, Any]:
        chunk: dict[str, Any] = {
            "id": self.id,
            "object": "chat.completion.chunk",
            "created": self.created,
            "model": self.model,
            "choices": [
                {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}
            ],
        }
        if self.include_usage:
            chunk["usage"] = None
        return chunk

    def _usage(self) -> dict[str, int]:
        prompt, completion = self.usage
        return {
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "total_tokens": prompt + completion,
        }


def _call_id() -> str:
    return "call_" + secrets.token_hex(12)


def _pieces(text: str, chunks: int | None) -> list[str]:
    if chunks is None:
        return words(text)
    size = max(1, math.ceil(len(text) / chunks))
    return [text[start : start + size] for start in range(0, len(text), size)]


def _vector(text: str, as_base64: bool) -> list[float] | str:
    vector = hashed_embedding(text)
    if as_base64:  # what the openai SDK asks for by default: little-endian float32
        return base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode()
    return vector


@contextmanager
def fake_model_server(models: list[str]) -> Iterator[FakeModelServer]:
    fake = FakeModelServer(models=models)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), fake.handler())
    fake.base_url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        httpd.shutdown()
        httpd.server_close()
