"""ScriptedBackend: canned replies in order, then an echo; also as configured in TOML."""

from __future__ import annotations

import tomllib
from collections.abc import AsyncIterator

import pytest
from dirty_equals import IsStr
from pydantic import ValidationError

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
from assistants_server.llm.fake import (
    ScriptedBackend,
    ScriptedError,
    ScriptedReply,
    ScriptedToolCall,
    hashed_embedding,
)
from assistants_server.llm.registry import BackendRegistry, RoutingConfig

ASK = ChatRequest("scripted", [{"role": "user", "content": "What is the weather?"}])


async def collect(stream: AsyncIterator[ChatEvent]) -> list[ChatEvent]:
    return [event async for event in stream]


def text_of(events: list[ChatEvent]) -> str:
    return "".join(event.text for event in events if isinstance(event, TextDelta))


async def test_replies_in_order_word_by_word() -> None:
    backend = ScriptedBackend("ci", [ScriptedReply(text="It is sunny."), ScriptedReply(text="Bye")])
    first = await collect(backend.stream_chat(ASK))
    assert first == [
        TextDelta("It "),
        TextDelta("is "),
        TextDelta("sunny."),
        Finished("stop", Usage(4, 3)),
    ]
    assert text_of(await collect(backend.stream_chat(ASK))) == "Bye"
    assert backend.requests == [ASK, ASK]


async def test_echoes_once_the_replies_run_out() -> None:
    backend = ScriptedBackend("ci", [ScriptedReply(text="Only once")])
    await collect(backend.stream_chat(ASK))
    parts = [
        {"type": "text", "text": "And"},
        {"type": "image_url"},
        {"type": "text", "text": "now?"},
    ]
    messages = [
        *ASK.messages,
        {"role": "assistant", "content": "Sunny"},
        {"role": "user", "content": parts},
    ]
    events = await collect(backend.stream_chat(ChatRequest("scripted", messages)))
    assert text_of(events) == "You said: And now?"


async def test_tool_calls_get_unique_ids() -> None:
    calls = [
        ScriptedToolCall(name="get_weather", arguments='{"city": "Paris"}'),
        ScriptedToolCall(name="get_time"),
    ]
    backend = ScriptedBackend(
        "ci", [ScriptedReply(tool_calls=calls), ScriptedReply(tool_calls=calls)]
    )
    first, second = [await collect(backend.stream_chat(ASK)) for _ in range(2)]
    call_id = IsStr(regex=r"^call_\w{22}$")
    assert [
        (e.index, e.id, e.name, e.arguments) for e in first if isinstance(e, ToolCallDelta)
    ] == [
        (0, call_id, "get_weather", ""),
        (0, None, None, '{"city": "Paris"}'),
        (1, call_id, "get_time", ""),
        (1, None, None, "{}"),
    ]
    assert first[-1] == Finished("tool_calls", Usage(4, 3))
    ids = [e.id for e in first + second if isinstance(e, ToolCallDelta) and e.id]
    assert len(set(ids)) == 4


@pytest.mark.parametrize(
    ("kind", "status"), [("rate_limit", 429), ("invalid_request", 400), ("server", 500)]
)
async def test_error_replies_raise(kind: ErrorKind, status: int) -> None:
    failing = ScriptedReply(error=ScriptedError(kind=kind, message="scripted trouble"))
    backend = ScriptedBackend("ci", [failing, ScriptedReply(text="recovered")])
    with pytest.raises(LLMError) as caught:
        await collect(backend.stream_chat(ASK))
    assert (caught.value.kind, caught.value.message, caught.value.status_code) == (
        kind,
        "scripted trouble",
        status,
    )
    assert text_of(await collect(backend.stream_chat(ASK))) == "recovered"


async def test_finish_reason_can_be_scripted() -> None:
    backend = ScriptedBackend("ci", [ScriptedReply(text="Cut", finish_reason="length")])
    assert (await collect(backend.stream_chat(ASK)))[-1] == Finished("length", Usage(4, 1))


async def test_embeddings_are_deterministic() -> None:
    backend = ScriptedBackend()
    vectors = await backend.embed("any", ["Red apples", "red APPLES!", "blue sky"])
    assert vectors[0] == vectors[1] == hashed_embedding("red apples")
    assert vectors[0] != vectors[2]
    assert sum(value * value for value in vectors[2]) == pytest.approx(1.0)


async def test_lists_its_models() -> None:
    assert await ScriptedBackend("ci").list_models() == [ModelInfo("scripted", 0, "ci")]
    listed = await ScriptedBackend("ci", models=["gpt-4o"]).list_models()
    assert listed == [ModelInfo("gpt-4o", 0, "ci")]


CONFIG = """
[[backends]]
name = "ci"
kind = "scripted"
models = ["gpt-4o"]
replies = [
  {text = "Hello!"},
  {tool_calls = [{name = "lookup", arguments = '{"q": "tea"}'}, {name = "f", arguments = {n = 2}}]},
  {error = {kind = "rate_limit", message = "Slow down"}},
]
"""


async def test_configured_in_toml() -> None:
    registry = BackendRegistry(RoutingConfig.model_validate(tomllib.loads(CONFIG)))
    resolved = registry.resolve("gpt-4o")
    assert resolved is not None
    backend, model = resolved
    assert isinstance(backend, ScriptedBackend)
    request = ChatRequest(model, ASK.messages)
    assert text_of(await collect(backend.stream_chat(request))) == "Hello!"
    events = await collect(backend.stream_chat(request))
    arguments = [
        (e.index, e.arguments) for e in events if isinstance(e, ToolCallDelta) and e.arguments
    ]
    assert arguments == [(0, '{"q": "tea"}'), (1, '{"n": 2}')]
    with pytest.raises(LLMError, match="Slow down"):
        await collect(backend.stream_chat(request))
    await registry.aclose()


@pytest.mark.parametrize(
    "reply",
    [
        '{error = {kind = "server", message = "x"}, text = "and text"}',
        '{error = {kind = "timeout", message = "x"}}',
        '{txet = "typo"}',
    ],
)
def test_bad_replies_are_rejected(reply: str) -> None:
    config = f'[[backends]]\nname = "ci"\nkind = "scripted"\nreplies = [{reply}]\n'
    with pytest.raises(ValidationError):
        RoutingConfig.model_validate(tomllib.loads(config))
