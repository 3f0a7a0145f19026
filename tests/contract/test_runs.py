"""Runs through the official SDK (v2), polled: what the model is sent, what comes back, limits,
failures, listing and run steps, against a real server and a fake model."""

from __future__ import annotations

import secrets
import time
from typing import Any

import httpx
import openai
import pytest
from openai.types.beta import Assistant, Thread
from openai.types.beta.threads import Message, Run

from tests.contract.conversation import (
    DEADLINE_SECONDS,
    WEATHER_TOOL,
    make_assistant,
    make_thread,
    text_of,
    wait_for_run,
)
from tests.fake_model_server import Call, FakeModelServer, Reply
from tests.spec_check import checked_openai

# About 100 tokens of ordinary words (cl100k: one token each).
FILLER = " ".join(["the quick brown fox jumps over the lazy dog"] * 11)


def run_to_rest(client: openai.OpenAI, thread: Thread, assistant: Assistant, **params: Any) -> Run:
    run = client.beta.threads.runs.create(thread.id, assistant_id=assistant.id, **params)
    return wait_for_run(client, thread.id, run.id)


def newest_message(client: openai.OpenAI, thread_id: str) -> Message:
    return client.beta.threads.messages.list(thread_id, limit=1).data[0]


def sent(fake_model: FakeModelServer, model: str) -> dict[str, Any]:
    """The last chat request the server sent the model."""
    requests = fake_model.chat_requests(model)
    assert requests, f"the server sent {model} nothing"
    return requests[-1]


def user_texts(request: dict[str, Any]) -> list[str]:
    return [m["content"] for m in request["messages"] if m["role"] == "user"]


def words_in(request: dict[str, Any]) -> int:
    """What the fake model reports as prompt tokens: words across the messages."""
    return sum(len(str(m.get("content") or "").split()) for m in request["messages"])


def tool_call_run(
    client: openai.OpenAI, fake_model: FakeModelServer, model: str, *calls: Call
) -> tuple[Thread, Run]:
    """A run waiting in requires_action for `calls` (one get_weather call by default)."""
    fake_model.script(model, Reply(tool_calls=calls or (Call("get_weather", '{"city": "Oslo"}'),)))
    assistant = make_assistant(client, model, tools=[WEATHER_TOOL])
    thread = make_thread(client, "What is the weather?")
    run = run_to_rest(client, thread, assistant)
    assert run.status == "requires_action"
    return thread, run


class TestCreateAndPoll:
    def test_completes_with_the_model_reply(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        fake_model.script(model, Reply(text="Hello there, nice to meet you."))
        assistant = make_assistant(client, model, tools=[WEATHER_TOOL])
        thread = make_thread(client, "Say hello please")

        created = client.beta.threads.runs.create(thread.id, assistant_id=assistant.id)
        # answered as OpenAI did, queued, even though a server with room claims the run in
        # the request that creates it
        assert created.status == "queued"
        assert created.started_at is None
        assert created.expires_at is not None
        run = client.beta.threads.runs.poll(created.id, thread_id=thread.id)

        assert run.id == created.id
        assert run.id.startswith("run_")
        assert run.object == "thread.run"
        assert run.status == "completed"
        assert run.thread_id == thread.id
        assert run.assistant_id == assistant.id
        assert run.model == model
        assert run.instructions == "You are a terse helper."
        assert [tool.type for tool in run.tools] == ["function"]
        assert run.tools[0].function.name == "get_weather"
        assert run.started_at is not None
        assert run.completed_at is not None
        assert run.created_at <= run.started_at <= run.completed_at
        assert run.expires_at is None
        assert run.failed_at is None
        assert run.cancelled_at is None
        assert run.last_error is None
        assert run.incomplete_details is None
        assert run.required_action is None

        request = sent(fake_model, model)
        assert run.usage is not None
        assert run.usage.prompt_tokens == words_in(request) > 0
        assert run.usage.completion_tokens == 6
        assert run.usage.total_tokens == run.usage.prompt_tokens + run.usage.completion_tokens

        reply = newest_message(client, thread.id)
        assert reply.role == "assistant"
        assert reply.status == "completed"
        assert reply.run_id == run.id
        assert reply.assistant_id == assistant.id
        assert reply.thread_id == thread.id
        assert text_of(reply) == "Hello there, nice to meet you."

    def test_create_and_poll_helper(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        fake_model.script(model, Reply(text="Polled to the end."))
        assistant = make_assistant(client, model)
        thread = make_thread(client, "Go")
        run = client.beta.threads.runs.create_and_poll(
            thread_id=thread.id, assistant_id=assistant.id
        )
        assert run.status == "completed"
        assert text_of(newest_message(client, thread.id)) == "Polled to the end."

    def test_unscripted_model_echoes_the_user(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        thread = make_thread(client, "first question", "second question")
        run = run_to_rest(client, thread, make_assistant(client, model))
        assert run.status == "completed"
        assert text_of(newest_message(client, thread.id)) == "Echo: second question"

    def test_every_route_that_queues_a_run_answers_it_queued(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        """Create, create-and-run and submit_tool_outputs answer `queued`, as OpenAI did,
        although this server starts the run in the same transaction; polling shows the rest."""
        fake_model.script(model, Reply(tool_calls=[Call("get_weather", '{"city": "Oslo"}')]))
        assistant = make_assistant(client, model, tools=[WEATHER_TOOL])
        created = client.beta.threads.create_and_run(
            assistant_id=assistant.id,
            thread={"messages": [{"role": "user", "content": "Weather?"}]},
        )
        assert (created.status, created.started_at) == ("queued", None)
        waiting = client.beta.threads.runs.poll(created.id, thread_id=created.thread_id)
        assert waiting.status == "requires_action"
        assert waiting.started_at is not None
        assert waiting.required_action is not None
        call = waiting.required_action.submit_tool_outputs.tool_calls[0]
        fake_model.script(model, Reply(text="Sunny."))
        resumed = client.beta.threads.runs.submit_tool_outputs(
            run_id=created.id,
            thread_id=created.thread_id,
            tool_outputs=[{"tool_call_id": call.id, "output": "sunny"}],
        )
        assert resumed.status == "queued"
        assert resumed.started_at == waiting.started_at  # it did start, earlier
        assert resumed.required_action is None
        done = client.beta.threads.runs.poll(created.id, thread_id=created.thread_id)
        assert done.status == "completed"

    def test_create_and_run_poll(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        fake_model.script(model, Reply(text="A reply in a new thread."))
        assistant = make_assistant(client, model)
        run = client.beta.threads.create_and_run_poll(
            assistant_id=assistant.id,
            thread={"messages": [{"role": "user", "content": "Start a thread"}]},
        )
        assert run.status == "completed"
        assert run.thread_id.startswith("thread_")
        listed = client.beta.threads.messages.list(run.thread_id, order="asc").data
        assert [message.role for message in listed] == ["user", "assistant"]
        assert text_of(listed[0]) == "Start a thread"
        assert text_of(listed[1]) == "A reply in a new thread."
        assert listed[1].run_id == run.id
        assert user_texts(sent(fake_model, model)) == ["Start a thread"]


class TestWhatTheModelIsSent:
    def test_instructions_then_thread_messages_in_order(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        assistant = make_assistant(client, model)
        thread = make_thread(client, "one", "two")
        client.beta.threads.messages.create(thread.id, role="assistant", content="three")
        client.beta.threads.messages.create(thread.id, role="user", content="four")
        assert run_to_rest(client, thread, assistant).status == "completed"

        request = sent(fake_model, model)
        assert request["model"] == model
        assert request["stream"] is True
        assert request["stream_options"] == {"include_usage": True}
        assert request["messages"] == [
            {"role": "system", "content": "You are a terse helper."},
            {"role": "user", "content": "one"},
            {"role": "user", "content": "two"},
            {"role": "assistant", "content": "three"},
            {"role": "user", "content": "four"},
        ]
        # no tools on the assistant: no tool fields at all
        assert "tools" not in request
        assert "tool_choice" not in request
        assert "parallel_tool_calls" not in request

    def test_run_instructions_replace_the_assistants(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        thread = make_thread(client, "hi")
        run = run_to_rest(
            client, thread, make_assistant(client, model), instructions="Answer in French."
        )
        assert run.instructions == "Answer in French."
        assert sent(fake_model, model)["messages"][0] == {
            "role": "system",
            "content": "Answer in French.",
        }

    def test_reasoning_effort_is_passed_on(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        thread = make_thread(client, "think hard")
        run = run_to_rest(client, thread, make_assistant(client, model), reasoning_effort="low")
        assert run.status == "completed"
        assert sent(fake_model, model)["reasoning_effort"] == "low"

    def test_additional_instructions_are_appended(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        assistant = make_assistant(client, model)
        run = run_to_rest(
            client, make_thread(client, "hi"), assistant, additional_instructions="Be polite."
        )
        assert run.instructions == "You are a terse helper.\n\nBe polite."
        assert sent(fake_model, model)["messages"][0]["content"] == (
            "You are a terse helper.\n\nBe polite."
        )

        run_to_rest(
            client,
            make_thread(client, "hi"),
            assistant,
            instructions="Override.",
            additional_instructions="Extra.",
        )
        assert sent(fake_model, model)["messages"][0]["content"] == "Override.\n\nExtra."

    def test_additional_messages_join_the_thread_in_order(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        fake_model.script(model, Reply(text="Got them."))
        thread = make_thread(client, "already here")
        run = run_to_rest(
            client,
            thread,
            make_assistant(client, model),
            additional_messages=[
                {"role": "user", "content": "added first"},
                {"role": "assistant", "content": "added second"},
                {"role": "user", "content": "added third"},
            ],
        )
        assert run.status == "completed"
        assert sent(fake_model, model)["messages"][1:] == [
            {"role": "user", "content": "already here"},
            {"role": "user", "content": "added first"},
            {"role": "assistant", "content": "added second"},
            {"role": "user", "content": "added third"},
        ]
        listed = client.beta.threads.messages.list(thread.id, order="asc").data
        assert [text_of(message) for message in listed] == [
            "already here",
            "added first",
            "added second",
            "added third",
            "Got them.",
        ]

    def test_run_model_overrides_the_assistants(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        other = "fake-" + secrets.token_hex(6)
        fake_model.script(other, Reply(text="From the other model."))
        thread = make_thread(client, "hi")
        run = run_to_rest(client, thread, make_assistant(client, model), model=other)
        assert run.status == "completed"
        assert run.model == other
        assert fake_model.chat_requests(model) == []
        assert sent(fake_model, other)["model"] == other
        assert text_of(newest_message(client, thread.id)) == "From the other model."

    def test_sampling_parameters(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        run = run_to_rest(
            client,
            make_thread(client, "hi"),
            make_assistant(client, model),
            temperature=0.2,
            top_p=0.7,
            max_completion_tokens=500,
        )
        assert run.status == "completed"
        assert run.temperature == pytest.approx(0.2)
        assert run.top_p == pytest.approx(0.7)
        assert run.max_completion_tokens == 500
        request = sent(fake_model, model)
        assert request["temperature"] == pytest.approx(0.2)
        assert request["top_p"] == pytest.approx(0.7)
        assert request["max_tokens"] == 500

    def test_assistant_sampling_defaults_are_sent(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        assistant = make_assistant(client, model, temperature=0.4, top_p=0.5)
        run = run_to_rest(client, make_thread(client, "hi"), assistant)
        assert run.temperature == pytest.approx(0.4)
        request = sent(fake_model, model)
        assert request["temperature"] == pytest.approx(0.4)
        assert request["top_p"] == pytest.approx(0.5)

    @pytest.mark.parametrize(
        "response_format",
        [
            {"type": "json_object"},
            {
                "type": "json_schema",
                "json_schema": {
                    "name": "answer",
                    "schema": {
                        "type": "object",
                        "properties": {"answer": {"type": "string"}},
                        "required": ["answer"],
                        "additionalProperties": False,
                    },
                    "strict": True,
                },
            },
        ],
        ids=["json_object", "json_schema"],
    )
    @pytest.mark.parametrize("given_to", ["run", "assistant"])
    def test_response_format(
        self,
        client: openai.OpenAI,
        fake_model: FakeModelServer,
        model: str,
        response_format: dict[str, Any],
        given_to: str,
    ) -> None:
        fake_model.script(model, Reply(text='{"answer": "yes"}'))
        thread = make_thread(client, "Answer in JSON")
        if given_to == "run":
            assistant = make_assistant(client, model)
            run = run_to_rest(client, thread, assistant, response_format=response_format)
        else:
            assistant = make_assistant(client, model, response_format=response_format)
            run = run_to_rest(client, thread, assistant)
        assert run.status == "completed"
        assert sent(fake_model, model)["response_format"] == response_format
        assert run.response_format.type == response_format["type"]
        if response_format["type"] == "json_schema":
            echoed = run.response_format.json_schema
            assert echoed.name == "answer"
            assert echoed.schema_ == response_format["json_schema"]["schema"]
            assert echoed.strict is True
        assert text_of(newest_message(client, thread.id)) == '{"answer": "yes"}'

    def test_auto_response_format_is_not_sent(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        run_to_rest(client, make_thread(client, "hi"), make_assistant(client, model))
        assert "response_format" not in sent(fake_model, model)

    def test_tools_are_sent_as_chat_tools(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        fake_model.script(model, Reply(text="No tool needed."))
        assistant = make_assistant(client, model, tools=[WEATHER_TOOL])
        thread = make_thread(client, "hi")
        run = run_to_rest(client, thread, assistant)
        # the model may answer without using the tools
        assert run.status == "completed"
        assert text_of(newest_message(client, thread.id)) == "No tool needed."
        request = sent(fake_model, model)
        assert len(request["tools"]) == 1
        tool = request["tools"][0]
        assert tool["type"] == "function"
        assert tool["function"]["name"] == "get_weather"
        assert tool["function"]["description"] == "Weather for a city"
        assert tool["function"]["parameters"] == WEATHER_TOOL["function"]["parameters"]
        assert request["parallel_tool_calls"] is True

    def test_run_tools_replace_the_assistants(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        clock_tool = {
            "type": "function",
            "function": {"name": "get_time", "parameters": {"type": "object", "properties": {}}},
        }
        assistant = make_assistant(client, model, tools=[WEATHER_TOOL])
        run = run_to_rest(client, make_thread(client, "hi"), assistant, tools=[clock_tool])
        assert [tool.function.name for tool in run.tools] == ["get_time"]
        names = [tool["function"]["name"] for tool in sent(fake_model, model)["tools"]]
        assert names == ["get_time"]

    @pytest.mark.parametrize(
        "tool_choice",
        ["required", "none", {"type": "function", "function": {"name": "get_weather"}}],
        ids=["required", "none", "named"],
    )
    def test_tool_choice(
        self,
        client: openai.OpenAI,
        fake_model: FakeModelServer,
        model: str,
        tool_choice: Any,
    ) -> None:
        fake_model.script(model, Reply(text="ok"))
        assistant = make_assistant(client, model, tools=[WEATHER_TOOL])
        run = run_to_rest(client, make_thread(client, "hi"), assistant, tool_choice=tool_choice)
        assert run.status == "completed"
        if isinstance(tool_choice, str):
            assert run.tool_choice == tool_choice
        else:
            assert run.tool_choice.function.name == "get_weather"
        assert sent(fake_model, model)["tool_choice"] == tool_choice

    def test_parallel_tool_calls_false(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        fake_model.script(
            model,
            Reply(
                tool_calls=[
                    Call("get_weather", '{"city": "Paris"}'),
                    Call("get_weather", '{"city": "Rome"}'),
                ]
            ),
        )
        assistant = make_assistant(client, model, tools=[WEATHER_TOOL])
        run = run_to_rest(
            client, make_thread(client, "weather?"), assistant, parallel_tool_calls=False
        )
        assert run.parallel_tool_calls is False
        assert sent(fake_model, model)["parallel_tool_calls"] is False
        assert run.status == "requires_action"
        assert run.required_action is not None
        calls = run.required_action.submit_tool_outputs.tool_calls
        assert len(calls) == 1
        assert calls[0].function.arguments == '{"city": "Paris"}'


class TestTokenLimits:
    def test_truncation_last_messages(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        thread = make_thread(client, "m1", "m2", "m3", "m4", "m5")
        run = run_to_rest(
            client,
            thread,
            make_assistant(client, model),
            truncation_strategy={"type": "last_messages", "last_messages": 2},
        )
        assert run.status == "completed"
        assert run.truncation_strategy.type == "last_messages"
        assert run.truncation_strategy.last_messages == 2
        request = sent(fake_model, model)
        assert request["messages"][0]["role"] == "system"
        assert user_texts(request) == ["m4", "m5"]

    def test_max_prompt_tokens_drops_the_oldest_messages(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        texts = [f"Message {index}: {FILLER}" for index in range(10)]
        thread = make_thread(client, *texts)
        run = run_to_rest(client, thread, make_assistant(client, model), max_prompt_tokens=256)
        assert run.status == "completed"
        assert run.max_prompt_tokens == 256
        request = sent(fake_model, model)
        kept = user_texts(request)
        assert 1 <= len(kept) < 4
        assert kept == texts[-len(kept) :]
        assert request["messages"][0]["content"] == "You are a terse helper."

    def test_latest_message_over_max_prompt_tokens(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        thread = make_thread(client, "short one", " ".join([FILLER] * 4))
        run = run_to_rest(client, thread, make_assistant(client, model), max_prompt_tokens=256)
        assert run.status == "incomplete"
        assert run.incomplete_details is not None
        assert run.incomplete_details.reason == "max_prompt_tokens"
        assert run.expires_at is None
        assert fake_model.chat_requests(model) == []

    def test_reply_cut_at_max_completion_tokens(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        long_reply = [f"word{index}" for index in range(300)]
        fake_model.script(model, Reply(text=" ".join(long_reply)))
        thread = make_thread(client, "Write a lot")
        run = run_to_rest(client, thread, make_assistant(client, model), max_completion_tokens=256)
        assert sent(fake_model, model)["max_tokens"] == 256
        assert run.status == "incomplete"
        assert run.incomplete_details is not None
        assert run.incomplete_details.reason == "max_completion_tokens"
        assert run.usage is not None
        assert run.usage.completion_tokens == 256

        reply = newest_message(client, thread.id)
        assert reply.run_id == run.id
        assert reply.status == "incomplete"
        assert reply.incomplete_details is not None
        assert reply.incomplete_details.reason == "max_tokens"
        assert text_of(reply).split() == long_reply[:256]


class TestPollHeader:
    def test_on_create_retrieve_and_cancel(
        self, http: httpx.Client, fake_model: FakeModelServer, model: str
    ) -> None:
        fake_model.script(model, Reply(tool_calls=[Call("get_weather", '{"city": "Oslo"}')]))
        assistant = http.post("assistants", json={"model": model, "tools": [WEATHER_TOOL]}).json()
        thread = http.post("threads", json={"messages": [{"role": "user", "content": "hi"}]})
        thread_id = thread.json()["id"]

        created = http.post(f"threads/{thread_id}/runs", json={"assistant_id": assistant["id"]})
        assert created.status_code == 200
        assert int(created.headers["openai-poll-after-ms"]) > 0
        run_id = created.json()["id"]

        deadline = time.monotonic() + DEADLINE_SECONDS
        while True:
            retrieved = http.get(f"threads/{thread_id}/runs/{run_id}")
            assert int(retrieved.headers["openai-poll-after-ms"]) > 0
            if retrieved.json()["status"] == "requires_action":
                break
            assert time.monotonic() < deadline, retrieved.json()["status"]
            time.sleep(0.05)

        cancelled = http.post(f"threads/{thread_id}/runs/{run_id}/cancel")
        assert cancelled.status_code == 200
        assert cancelled.json()["status"] == "cancelled"
        assert int(cancelled.headers["openai-poll-after-ms"]) > 0

    def test_sdk_raw_response(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        thread = make_thread(client, "hi")
        run = run_to_rest(client, thread, make_assistant(client, model))
        raw = client.beta.threads.runs.with_raw_response.retrieve(run.id, thread_id=thread.id)
        assert int(raw.headers["openai-poll-after-ms"]) > 0
        assert raw.parse().status == "completed"


class TestListRetrieveModify:
    @pytest.fixture
    def three_runs(self, client: openai.OpenAI, model: str) -> tuple[Thread, list[Run]]:
        assistant = make_assistant(client, model)
        thread = make_thread(client, "hi")
        runs = [run_to_rest(client, thread, assistant) for _ in range(3)]
        assert [run.status for run in runs] == ["completed"] * 3
        other = make_thread(client, "elsewhere")
        run_to_rest(client, other, assistant)
        return thread, runs

    def test_list_is_per_thread_newest_first(
        self, client: openai.OpenAI, three_runs: tuple[Thread, list[Run]]
    ) -> None:
        thread, runs = three_runs
        ids = [run.id for run in runs]
        page = client.beta.threads.runs.list(thread.id)
        assert [run.id for run in page.data] == ids[::-1]
        assert page.has_more is False
        ascending = client.beta.threads.runs.list(thread.id, order="asc")
        assert [run.id for run in ascending.data] == ids
        assert all(run.thread_id == thread.id for run in page.data)

    def test_limit_and_cursors(
        self, client: openai.OpenAI, three_runs: tuple[Thread, list[Run]]
    ) -> None:
        thread, runs = three_runs
        ids = [run.id for run in runs]
        first = client.beta.threads.runs.list(thread.id, order="asc", limit=2)
        assert [run.id for run in first.data] == ids[:2]
        assert first.has_more is True
        rest = client.beta.threads.runs.list(thread.id, order="asc", limit=2, after=ids[1])
        assert [run.id for run in rest.data] == ids[2:]
        assert rest.has_more is False
        before = client.beta.threads.runs.list(thread.id, order="asc", before=ids[2])
        assert [run.id for run in before.data] == ids[:2]
        every = client.beta.threads.runs.list(thread.id, order="asc", limit=1)
        assert [run.id for run in every] == ids  # the SDK follows the cursors

    def test_retrieve_and_missing(
        self, client: openai.OpenAI, three_runs: tuple[Thread, list[Run]]
    ) -> None:
        thread, runs = three_runs
        fetched = client.beta.threads.runs.retrieve(runs[0].id, thread_id=thread.id)
        assert fetched.model_dump() == runs[0].model_dump()
        with pytest.raises(openai.NotFoundError) as caught:
            client.beta.threads.runs.retrieve("run_missing", thread_id=thread.id)
        assert caught.value.body["message"] == "No run found with id 'run_missing'."
        assert caught.value.body["type"] == "invalid_request_error"

    def test_list_of_missing_thread(self, client: openai.OpenAI) -> None:
        with pytest.raises(openai.NotFoundError) as caught:
            client.beta.threads.runs.list("thread_missing")
        assert caught.value.body["message"] == "No thread found with id 'thread_missing'."

    def test_modify_metadata(
        self, client: openai.OpenAI, three_runs: tuple[Thread, list[Run]]
    ) -> None:
        thread, runs = three_runs
        updated = client.beta.threads.runs.update(
            runs[1].id, thread_id=thread.id, metadata={"ticket": "42"}
        )
        assert updated.metadata == {"ticket": "42"}
        assert updated.status == "completed"
        fetched = client.beta.threads.runs.retrieve(runs[1].id, thread_id=thread.id)
        assert fetched.metadata == {"ticket": "42"}


class TestOneActiveRun:
    def test_second_run_and_new_messages_are_refused(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        thread, run = tool_call_run(client, fake_model, model)
        assert run.expires_at is not None
        with pytest.raises(openai.BadRequestError) as caught:
            client.beta.threads.runs.create(thread.id, assistant_id=run.assistant_id)
        assert caught.value.body["message"] == (
            f"Thread {thread.id} already has an active run {run.id}."
        )
        assert caught.value.body["type"] == "invalid_request_error"
        with pytest.raises(openai.BadRequestError) as caught:
            client.beta.threads.messages.create(thread.id, role="user", content="more")
        assert caught.value.body["message"] == (
            f"Can't add messages to {thread.id} while a run {run.id} is active."
        )

        cancelled = client.beta.threads.runs.cancel(run.id, thread_id=thread.id)
        assert cancelled.status == "cancelled"
        assert cancelled.cancelled_at is not None
        again = run_to_rest(client, thread, client.beta.assistants.retrieve(run.assistant_id))
        assert again.status == "completed"

    def test_cancel_of_a_finished_run(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        thread = make_thread(client, "hi")
        run = run_to_rest(client, thread, make_assistant(client, model))
        with pytest.raises(openai.BadRequestError) as caught:
            client.beta.threads.runs.cancel(run.id, thread_id=thread.id)
        assert caught.value.body["message"] == "Cannot cancel run with status 'completed'."


class TestRunSteps:
    def test_message_creation_step(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        fake_model.script(model, Reply(text="Step by step."))
        thread = make_thread(client, "hi")
        run = run_to_rest(client, thread, make_assistant(client, model))
        reply = newest_message(client, thread.id)

        steps = client.beta.threads.runs.steps.list(run.id, thread_id=thread.id).data
        assert len(steps) == 1
        step = steps[0]
        assert step.id.startswith("step_")
        assert step.object == "thread.run.step"
        assert step.type == "message_creation"
        assert step.status == "completed"
        assert step.run_id == run.id
        assert step.thread_id == thread.id
        assert step.assistant_id == run.assistant_id
        assert step.completed_at is not None
        assert step.step_details.type == "message_creation"
        assert step.step_details.message_creation.message_id == reply.id
        assert step.usage is not None
        assert run.usage is not None
        assert step.usage.model_dump() == run.usage.model_dump()

        fetched = client.beta.threads.runs.steps.retrieve(
            step.id, thread_id=thread.id, run_id=run.id
        )
        assert fetched.model_dump() == step.model_dump()
        with pytest.raises(openai.NotFoundError) as caught:
            client.beta.threads.runs.steps.retrieve(
                "step_missing", thread_id=thread.id, run_id=run.id
            )
        assert caught.value.body["message"] == "No run step found with id 'step_missing'."

    def test_tool_calls_step_after_submission(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        thread, run = tool_call_run(client, fake_model, model)
        assert run.required_action is not None
        call = run.required_action.submit_tool_outputs.tool_calls[0]
        assert call.function.name == "get_weather"
        assert call.function.arguments == '{"city": "Oslo"}'

        waiting = client.beta.threads.runs.steps.list(run.id, thread_id=thread.id).data
        assert [(step.type, step.status) for step in waiting] == [("tool_calls", "in_progress")]

        fake_model.script(model, Reply(text="It is sunny in Oslo."))
        finished = client.beta.threads.runs.submit_tool_outputs_and_poll(
            tool_outputs=[{"tool_call_id": call.id, "output": "sunny, 21C"}],
            run_id=run.id,
            thread_id=thread.id,
        )
        assert finished.status == "completed"

        steps = client.beta.threads.runs.steps.list(run.id, thread_id=thread.id, order="asc").data
        assert [step.type for step in steps] == ["tool_calls", "message_creation"]
        tool_step = steps[0]
        assert tool_step.id == waiting[0].id
        assert tool_step.status == "completed"
        assert tool_step.step_details.type == "tool_calls"
        [recorded] = tool_step.step_details.tool_calls
        assert recorded.type == "function"
        assert recorded.id == call.id
        assert recorded.function.name == "get_weather"
        assert recorded.function.arguments == '{"city": "Oslo"}'
        assert recorded.function.output == "sunny, 21C"
        assert tool_step.usage is not None
        assert tool_step.usage.total_tokens > 0

        reply = newest_message(client, thread.id)
        assert steps[1].step_details.message_creation.message_id == reply.id
        assert text_of(reply) == "It is sunny in Oslo."
        assert finished.usage is not None
        assert steps[1].usage is not None
        assert finished.usage.total_tokens == tool_step.usage.total_tokens + (
            steps[1].usage.total_tokens
        )

        retrieved = client.beta.threads.runs.steps.retrieve(
            tool_step.id, thread_id=thread.id, run_id=run.id
        )
        assert retrieved.model_dump() == tool_step.model_dump()


class TestBackendFailures:
    @pytest.mark.parametrize(
        ("status", "code"),
        [(429, "rate_limit_exceeded"), (500, "server_error"), (503, "server_error")],
    )
    def test_retried_failures_fail_the_run(
        self,
        client: openai.OpenAI,
        fake_model: FakeModelServer,
        model: str,
        status: int,
        code: str,
    ) -> None:
        failure = Reply(status=status, error_message=f"backend says {status}", retry_after=0)
        fake_model.script(model, failure, failure, failure)
        thread = make_thread(client, "hi")
        run = run_to_rest(client, thread, make_assistant(client, model))
        assert run.status == "failed"
        assert run.last_error is not None
        assert run.last_error.code == code
        assert f"backend says {status}" in run.last_error.message
        assert run.failed_at is not None
        assert run.completed_at is None
        assert run.expires_at is None
        assert len(fake_model.chat_requests(model)) == 3

    def test_bad_request_fails_at_once(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        fake_model.script(model, Reply(status=400, error_message="This prompt is not acceptable."))
        run = run_to_rest(client, make_thread(client, "hi"), make_assistant(client, model))
        assert run.status == "failed"
        assert run.last_error is not None
        assert run.last_error.code == "invalid_prompt"
        assert "This prompt is not acceptable." in run.last_error.message
        assert run.failed_at is not None
        assert len(fake_model.chat_requests(model)) == 1

    def test_a_passing_failure_is_retried(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        fake_model.script(model, Reply(status=502, retry_after=0), Reply(text="Second time lucky."))
        thread = make_thread(client, "hi")
        run = run_to_rest(client, thread, make_assistant(client, model))
        assert run.status == "completed"
        assert run.last_error is None
        assert text_of(newest_message(client, thread.id)) == "Second time lucky."

    def test_no_backend_configured(self, bare_base_url: str) -> None:
        api_key = "sk-test-" + secrets.token_hex(12)
        with checked_openai(base_url=bare_base_url, api_key=api_key, max_retries=0) as bare:
            assistant = bare.beta.assistants.create(model="gpt-4o")
            thread = make_thread(bare, "hi")
            run = run_to_rest(bare, thread, assistant)
        assert run.status == "failed"
        assert run.last_error is not None
        assert run.last_error.code == "server_error"
        assert "ASSISTANTS_LLM_BASE_URL" in run.last_error.message
        assert run.failed_at is not None
