"""The LLM backend interface: one small Protocol, one module per provider behind it.

A chat completion is always streamed: a backend yields `TextDelta`s and `ToolCallDelta`s as
they arrive, then exactly one `Finished`. Failures raise `LLMError`, whose `kind` says how a
run should report it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol


@dataclass(frozen=True)
class ModelInfo:
    id: str
    created: int
    owned_by: str


@dataclass(frozen=True)
class ChatRequest:
    """One chat completion, in the OpenAI chat-completions vocabulary.

    `messages` and `tools` are chat-completions JSON (`{"role": ..., "content": ...}`,
    `{"type": "function", "function": {...}}`); `None` leaves a parameter out of the request.
    """

    model: str
    messages: list[dict[str, Any]]
    tools: list[dict[str, Any]] | None = None
    tool_choice: str | dict[str, Any] | None = None
    parallel_tool_calls: bool | None = None
    temperature: float | None = None
    top_p: float | None = None
    max_tokens: int | None = None
    response_format: dict[str, Any] | None = None
    reasoning_effort: str | None = None  # for reasoning models; others may reject it


@dataclass(frozen=True)
class TextDelta:
    text: str


@dataclass(frozen=True)
class ToolCallDelta:
    """A piece of the tool call at `index`: `id` and `name` come once, `arguments` in parts."""

    index: int
    id: str | None = None
    name: str | None = None
    arguments: str = ""


@dataclass(frozen=True)
class Usage:
    prompt_tokens: int
    completion_tokens: int

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


@dataclass(frozen=True)
class Finished:
    """The end of a completion. `usage` is None when the backend did not report it."""

    finish_reason: str
    usage: Usage | None = None


ChatEvent = TextDelta | ToolCallDelta | Finished

# How a failure is reported on a run: `rate_limit` -> rate_limit_exceeded,
# `invalid_request` -> invalid_prompt, `server` -> server_error.
ErrorKind = Literal["rate_limit", "invalid_request", "server"]


@dataclass
class LLMError(Exception):
    kind: ErrorKind
    message: str
    status_code: int | None = field(default=None)

    def __str__(self) -> str:
        return self.message


class LLMBackend(Protocol):
    name: str

    def stream_chat(self, request: ChatRequest) -> AsyncIterator[ChatEvent]:
        """Stream one chat completion; raise `LLMError` on failure."""
        ...

    async def embed(self, model: str, texts: list[str]) -> list[list[float]]:
        """One embedding per text, in order; raise `LLMError` on failure."""
        ...

    async def list_models(self) -> list[ModelInfo]:
        """The models this backend serves."""
        ...

    async def aclose(self) -> None: ...
