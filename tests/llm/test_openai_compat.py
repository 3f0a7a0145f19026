"""OpenAICompatBackend against the fake model server over real HTTP on loopback."""

from __future__ import annotations

import asyncio
import math
import secrets
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import openai
import pytest
from dirty_equals import IsStr

from assistants_server.llm.base import (
    ChatEvent,
    ChatRequest,
    Finished,
    LLMError,
    TextDelta,
    ToolCallDelta,
    Usage,
)
from assistants_server.llm.fake import hashed_embedding
from assistants_server.llm.openai_compat import OpenAICompatBackend
from tests.fake_model_server import Call, FakeModelServer, Reply, fake_model_server
from tests.servers import free_port

HELLO = [{"role": "user", "content": "Say hello"}]


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeModelServer]:
    with fake_model_server(["unused"]) as server:
        yield server


@pytest.fixture
def model() -> str:
    """A model name of this test's own, so scripts never leak between tests."""
    return "model-" + secrets.token_hex(4)


@pytest.fixture
async def backend(fake: FakeModelServer) -> AsyncIterator[OpenAICompatBackend]:
    backend = OpenAICompatBackend("fake", fake.base_url, "sk-upstream", backoff=0.001)
    yield backend
    await backend.aclose()


async def collect(stream: AsyncIterator[ChatEvent]) -> list[ChatEvent]:
    return [event async for event in stream]


def assemble(events: list[ChatEvent]) -> dict[int, tuple[str | None, str | None, str]]:
    """Tool calls by index as (id, name, arguments), put together from their deltas."""
    calls: dict[int, tuple[str | None, str | None, str]] = {}
    for event in events:
        if isinstance(event, ToolCallDelta):
            id_, name, arguments = calls.get(event.index, (None, None, ""))
            calls[event.index] = (id_ or event.id, name or event.name, arguments + event.arguments)
    return calls


class TestStreaming:
    async def test_text_arrives_in_deltas_then_usage(
        self, fake: FakeModelServer, backend: OpenAICompatBackend, model: str
    ) -> None:
        fake.script(model, Reply(text="Hello there, friend!", usage=(11, 4)))
        events = await collect(backend.stream_chat(ChatRequest(model, HELLO)))
        assert events == [
            TextDelta("Hello "),
            TextDelta("there, "),
            TextDelta("friend!"),
            Finished("stop", Usage(11, 4)),
        ]

    async def test_echo_of_a_content_parts_message(
        self, backend: OpenAICompatBackend, model: str
    ) -> None:
        parts = [{"type": "text", "text": "first part"}, {"type": "text", "text": "second"}]
        messages: list[dict[str, Any]] = [*HELLO, {"role": "user", "content": parts}]
        events = await collect(backend.stream_chat(ChatRequest(model, messages)))
        text = "".join(e.text for e in events if isinstance(e, TextDelta))
        assert text == "Echo: first part second"
        assert events[-1] == Finished("stop", Usage(prompt_tokens=5, completion_tokens=4))

    async def test_parallel_tool_calls_are_assembled(
        self, fake: FakeModelServer, backend: OpenAICompatBackend, model: str
    ) -> None:
        calls = [
            Call("get_weather", '{"city": "Paris"}', id="call_weather"),
            Call("get_time", '{"timezone": "Europe/Paris"}'),
        ]
        fake.script(model, Reply(tool_calls=calls))
        events = await collect(backend.stream_chat(ChatRequest(model, HELLO)))
        assert assemble(events) == {
            0: ("call_weather", "get_weather", '{"city": "Paris"}'),
            1: (IsStr(regex=r"^call_[0-9a-f]{24}$"), "get_time", '{"timezone": "Europe/Paris"}'),
        }
        pieces = [e for e in events if isinstance(e, ToolCallDelta) and e.arguments]
        assert len(pieces) == 4  # each call's arguments came in two deltas
        assert not any(isinstance(e, TextDelta) for e in events)
        assert events[-1] == Finished("tool_calls", Usage(2, 4))

    async def test_max_tokens_cuts_the_reply(
        self, fake: FakeModelServer, backend: OpenAICompatBackend, model: str
    ) -> None:
        fake.script(model, Reply(text="one two three four five"))
        events = await collect(backend.stream_chat(ChatRequest(model, HELLO, max_tokens=2)))
        assert events == [TextDelta("one "), TextDelta("two "), Finished("length", Usage(2, 2))]

    async def test_closing_the_stream_hangs_up_upstream(self) -> None:
        with fake_model_server([]) as fake:
            fake.script("slow", Reply(text="word " * 200, delay=0.02))
            backend = OpenAICompatBackend("fake", fake.base_url)
            try:
                stream = backend.stream_chat(ChatRequest("slow", HELLO))
                assert await anext(stream) == TextDelta("word ")
                await stream.aclose()
                for _ in range(500):  # the fake notices before its next chunk
                    if fake.disconnects:
                        break
                    await asyncio.sleep(0.01)
                assert fake.disconnects == 1
            finally:
                await backend.aclose()


class TestRequestBody:
    async def test_parameters_that_are_set_are_sent(
        self, fake: FakeModelServer, backend: OpenAICompatBackend, model: str
    ) -> None:
        tool = {"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}
        request = ChatRequest(
            model,
            HELLO,
            tools=[tool],
            tool_choice="required",
            parallel_tool_calls=False,
            temperature=0.2,
            top_p=0.9,
            max_tokens=50,
            response_format={"type": "json_object"},
        )
        await collect(backend.stream_chat(request))
        assert fake.chat_requests(model) == [
            {
                "model": model,
                "messages": HELLO,
                "stream": True,
                "stream_options": {"include_usage": True},
                "tools": [tool],
                "tool_choice": "required",
                "parallel_tool_calls": False,
                "temperature": 0.2,
                "top_p": 0.9,
                "max_tokens": 50,
                "response_format": {"type": "json_object"},
            }
        ]
        sent = [r for r in fake.requests if r.get("body", {}).get("model") == model]
        headers = {name.lower(): value for name, value in sent[0]["headers"].items()}
        assert headers["authorization"] == "Bearer sk-upstream"
        assert headers["accept"] == "text/event-stream"

    async def test_unset_parameters_are_left_out(
        self, fake: FakeModelServer, backend: OpenAICompatBackend, model: str
    ) -> None:
        # parallel_tool_calls means nothing without tools, and some backends reject it alone
        await collect(backend.stream_chat(ChatRequest(model, HELLO, parallel_tool_calls=True)))
        assert fake.chat_requests(model) == [
            {
                "model": model,
                "messages": HELLO,
                "stream": True,
                "stream_options": {"include_usage": True},
            }
        ]


class TestErrors:
    async def test_rate_limit_is_retried(
        self, fake: FakeModelServer, backend: OpenAICompatBackend, model: str
    ) -> None:
        fake.script(model, Reply(status=429), Reply(status=503), Reply(text="finally"))
        events = await collect(backend.stream_chat(ChatRequest(model, HELLO)))
        assert events[0] == TextDelta("finally")
        assert len(fake.chat_requests(model)) == 3

    async def test_retry_after_is_honoured(
        self, fake: FakeModelServer, backend: OpenAICompatBackend, model: str
    ) -> None:
        fake.script(model, Reply(status=429, retry_after=0.3), Reply(text="ok"))
        started = time.monotonic()
        await collect(backend.stream_chat(ChatRequest(model, HELLO)))
        assert time.monotonic() - started >= 0.3

    async def test_retry_after_is_capped(self, fake: FakeModelServer, model: str) -> None:
        fake.script(model, Reply(status=429, retry_after=600), Reply(text="ok"))
        backend = OpenAICompatBackend("fake", fake.base_url, max_retry_after=0.01)
        try:
            events = await asyncio.wait_for(
                collect(backend.stream_chat(ChatRequest(model, HELLO))), 5
            )
        finally:
            await backend.aclose()
        assert events[0] == TextDelta("ok")

    async def test_server_errors_until_attempts_run_out(
        self, fake: FakeModelServer, backend: OpenAICompatBackend, model: str
    ) -> None:
        failures = [Reply(status=500, error_message=f"model crashed #{n}") for n in (1, 2, 3)]
        fake.script(model, *failures, Reply(text="too late"))
        with pytest.raises(LLMError) as caught:
            await collect(backend.stream_chat(ChatRequest(model, HELLO)))
        assert (caught.value.kind, caught.value.status_code) == ("server", 500)
        assert "model crashed #3" in caught.value.message
        assert len(fake.chat_requests(model)) == 3

    @pytest.mark.parametrize("status", [400, 404, 413, 422])
    async def test_invalid_request_is_not_retried(
        self, fake: FakeModelServer, backend: OpenAICompatBackend, model: str, status: int
    ) -> None:
        message = "This model's maximum context length is 8192 tokens"
        fake.script(model, Reply(status=status, error_message=message), Reply(text="never"))
        with pytest.raises(LLMError) as caught:
            await collect(backend.stream_chat(ChatRequest(model, HELLO)))
        assert (caught.value.kind, caught.value.status_code) == ("invalid_request", status)
        assert message in caught.value.message
        assert len(fake.chat_requests(model)) == 1

    async def test_rejected_key_tells_the_operator(
        self, fake: FakeModelServer, backend: OpenAICompatBackend, model: str
    ) -> None:
        fake.script(model, Reply(status=401, error_message="Incorrect API key provided"))
        with pytest.raises(LLMError) as caught:
            await collect(backend.stream_chat(ChatRequest(model, HELLO)))
        assert caught.value.kind == "server"
        assert "rejected its API key" in caught.value.message
        assert "ASSISTANTS_LLM_API_KEY" in caught.value.message
        assert "Incorrect API key provided" in caught.value.message
        assert len(fake.chat_requests(model)) == 1

    async def test_connection_refused_names_the_backend(self) -> None:
        url = f"http://127.0.0.1:{free_port()}/v1"
        backend = OpenAICompatBackend("local-vllm", url, max_attempts=2, backoff=0.001)
        try:
            with pytest.raises(LLMError) as caught:
                await collect(backend.stream_chat(ChatRequest("m", HELLO)))
        finally:
            await backend.aclose()
        assert caught.value.kind == "server"
        assert "'local-vllm'" in caught.value.message
        assert url in caught.value.message

    async def test_silence_between_chunks_times_out(
        self, fake: FakeModelServer, model: str
    ) -> None:
        fake.script(model, Reply(text="too slow", first_delay=1.0))
        backend = OpenAICompatBackend("fake", fake.base_url, read_timeout=0.1, backoff=0.001)
        try:
            with pytest.raises(LLMError) as caught:
                await collect(backend.stream_chat(ChatRequest(model, HELLO)))
        finally:
            await backend.aclose()
        assert caught.value.kind == "server"
        assert "timeout" in caught.value.message
        assert len(fake.chat_requests(model)) == 1


def cosine(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True)) / math.hypot(*a) / math.hypot(*b)


class TestEmbeddings:
    async def test_vectors_come_back_in_input_order(
        self, fake: FakeModelServer, backend: OpenAICompatBackend, model: str
    ) -> None:
        texts = ["the cat sat on the mat", "stock prices fell sharply", "a cat sat on a mat"]
        fake.reverse_embeddings = True
        try:
            vectors = await backend.embed(model, texts)
        finally:
            fake.reverse_embeddings = False
        assert vectors == [hashed_embedding(text) for text in texts]
        assert cosine(vectors[0], vectors[2]) > 0.5 > abs(cosine(vectors[0], vectors[1]))
        assert fake.embedding_requests(model) == [{"model": model, "input": texts}]

    async def test_server_error_is_retried(
        self, fake: FakeModelServer, backend: OpenAICompatBackend, model: str
    ) -> None:
        fake.script_embeddings_failure(model, 502)
        assert await backend.embed(model, ["hello"]) == [hashed_embedding("hello")]
        assert len(fake.embedding_requests(model)) == 2

    async def test_invalid_request(
        self, fake: FakeModelServer, backend: OpenAICompatBackend, model: str
    ) -> None:
        fake.script_embeddings_failure(model, 400)
        with pytest.raises(LLMError) as caught:
            await backend.embed(model, ["hello"])
        assert caught.value.kind == "invalid_request"
        assert "scripted embeddings failure" in caught.value.message


class TestTheFakeSpeaksOpenAI:
    """The official SDK reads what the fake sends, so contract tests can trust it."""

    @pytest.fixture
    async def sdk(self, fake: FakeModelServer) -> AsyncIterator[openai.AsyncOpenAI]:
        async with openai.AsyncOpenAI(base_url=fake.base_url, api_key="sk", max_retries=0) as c:
            yield c

    async def test_streamed_chunks(
        self, fake: FakeModelServer, sdk: openai.AsyncOpenAI, model: str
    ) -> None:
        fake.script(model, Reply(text="Hi there", tool_calls=[Call("f", '{"a": 1}', id="call_1")]))
        stream = await sdk.chat.completions.create(
            model=model,
            messages=[{"role": "user", "content": "hi"}],
            stream=True,
            stream_options={"include_usage": True},
        )
        chunks = [chunk async for chunk in stream]
        text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
        arguments = "".join(
            call.function.arguments or ""
            for c in chunks
            if c.choices
            for call in c.choices[0].delta.tool_calls or []
            if call.function
        )
        assert (text, arguments) == ("Hi there", '{"a": 1}')
        assert chunks[-2].choices[0].finish_reason == "tool_calls"
        usage = chunks[-1].usage
        assert usage is not None
        assert (usage.prompt_tokens, usage.completion_tokens) == (1, 4)

    async def test_whole_completion(
        self, fake: FakeModelServer, sdk: openai.AsyncOpenAI, model: str
    ) -> None:
        fake.script(model, Reply(tool_calls=[Call("f", "{}", id="call_1")]))
        completion = await sdk.chat.completions.create(
            model=model, messages=[{"role": "user", "content": "hi"}]
        )
        message = completion.choices[0].message
        assert message.content is None
        assert message.tool_calls is not None
        call: Any = message.tool_calls[0]
        assert (call.id, call.function.name, call.function.arguments) == ("call_1", "f", "{}")
        assert completion.choices[0].finish_reason == "tool_calls"

    async def test_embeddings(self, sdk: openai.AsyncOpenAI, model: str) -> None:
        response = await sdk.embeddings.create(model=model, input=["red apples", "green pears"])
        for item, text in zip(response.data, ["red apples", "green pears"], strict=True):
            assert item.embedding == pytest.approx(hashed_embedding(text), abs=1e-6)
