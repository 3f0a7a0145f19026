"""`ScriptedBackend`: deterministic conversations without a model, for tests and CI.

Replies are played in order; once they run out, the backend echoes the last user message
(`"You said: ..."`). In the TOML config:

[[backends]]
name = "ci"
kind = "scripted"
models = ["gpt-4o"]                 # optional: otherwise it lists "scripted"
replies = [
  {text = "Hello! How can I help?"},
  {tool_calls = [{name = "get_weather", arguments = '{"city": "Paris"}'}]},
  {error = {kind = "rate_limit", message = "Slow down"}},
  {text = "Cut short", finish_reason = "length"},
]

Text streams word by word. Usage counts whitespace-separated words, a rough stand-in for
tokens: the prompt's message texts, then the reply's text and tool-call arguments.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import math
import re
from collections import deque
from collections.abc import AsyncGenerator, Iterable
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from assistants_server import ids
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

EMBEDDING_DIMENSIONS = 64
_STATUS: dict[ErrorKind, int] = {"rate_limit": 429, "invalid_request": 400, "server": 500}


class ScriptedToolCall(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    arguments: str = "{}"

    @field_validator("arguments", mode="before")
    @classmethod
    def _table_as_json(cls, value: object) -> object:
        """Arguments may be written as a TOML table instead of a JSON string."""
        return json.dumps(value) if isinstance(value, dict) else value


class ScriptedError(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: ErrorKind
    message: str


class ScriptedReply(BaseModel):
    """One completion: text and/or tool calls, or an error. `delay`: seconds before each delta."""

    model_config = ConfigDict(extra="forbid")

    text: str = ""
    tool_calls: list[ScriptedToolCall] = []
    error: ScriptedError | None = None
    finish_reason: str | None = None
    delay: float = 0.0

    @model_validator(mode="after")
    def _error_alone(self) -> Self:
        if self.error is not None and (self.text or self.tool_calls):
            raise ValueError("a reply with an error has no text or tool_calls")
        return self


def content_text(content: Any) -> str:
    """The text of a chat message's `content`: a string, or the text parts of a list."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = [part.get("text", "") for part in content if isinstance(part, dict)]
        return " ".join(part for part in parts if isinstance(part, str) and part)
    return ""


def words(text: str) -> list[str]:
    """`text` cut into words that keep their trailing spaces; they join back to `text`."""
    return re.findall(r"\S+\s*|\s+", text)


def hashed_embedding(text: str, dimensions: int = EMBEDDING_DIMENSIONS) -> list[float]:
    """Each lowercase word hashed to a dimension and a sign, summed, then L2-normalised.

    Texts sharing words get a high cosine similarity; the same text, the same vector.
    """
    vector = [0.0] * dimensions
    for word in re.findall(r"\w+", text.lower()):
        digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
        slot = int.from_bytes(digest[:4], "big") % dimensions
        vector[slot] += 1.0 if digest[4] & 1 else -1.0
    norm = math.sqrt(sum(value * value for value in vector))
    return [value / norm for value in vector] if norm else vector


class ScriptedBackend:
    """Plays `replies` in order, then echoes; `requests` records every request received."""

    def __init__(
        self,
        name: str = "scripted",
        replies: Iterable[ScriptedReply] = (),
        *,
        models: list[str] | None = None,
    ) -> None:
        self.name = name
        self.models = models if models is not None else ["scripted"]
        self.replies = deque(replies)
        self.requests: list[ChatRequest] = []

    def script(self, *replies: ScriptedReply) -> None:
        """Queue more replies."""
        self.replies.extend(replies)

    async def stream_chat(self, request: ChatRequest) -> AsyncGenerator[ChatEvent, None]:
        self.requests.append(request)
        reply = self.replies.popleft() if self.replies else _echo(request)
        if reply.error is not None:
            error = reply.error
            raise LLMError(error.kind, error.message, _STATUS[error.kind])
        for piece in words(reply.text):
            await asyncio.sleep(reply.delay)
            yield TextDelta(piece)
        for index, call in enumerate(reply.tool_calls):
            await asyncio.sleep(reply.delay)
            yield ToolCallDelta(index, id=ids.new("call_"), name=call.name)
            yield ToolCallDelta(index, arguments=call.arguments)
        prompt = sum(len(content_text(m.get("content")).split()) for m in request.messages)
        completion = len(reply.text.split()) + sum(
            len(call.arguments.split()) for call in reply.tool_calls
        )
        finish_reason = reply.finish_reason or ("tool_calls" if reply.tool_calls else "stop")
        yield Finished(finish_reason, Usage(prompt, completion))

    async def embed(self, model: str, texts: list[str]) -> list[list[float]]:
        return [hashed_embedding(text) for text in texts]

    async def list_models(self) -> list[ModelInfo]:
        return [ModelInfo(model, 0, self.name) for model in self.models]

    async def aclose(self) -> None:
        pass


def _echo(request: ChatRequest) -> ScriptedReply:
    users = [m for m in request.messages if m.get("role") == "user"]
    last = content_text(users[-1].get("content")) if users else ""
    return ScriptedReply(text=f"You said: {last}")
