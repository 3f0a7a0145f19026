"""Streamed runs through the official SDK (v2): the event sequence, the SDK's stream helpers,
tool calls answered over a stream, cancel mid-stream, failures and clients that hang up."""

from __future__ import annotations

import json
import time

import httpx
import openai
from dirty_equals import IsPartialDict
from openai import AssistantEventHandler
from openai.types.beta import AssistantStreamEvent
from openai.types.beta.threads import Message, MessageDelta, Text, TextDelta
from openai.types.beta.threads.runs import RunStep, ToolCall, ToolCallDelta

from tests.contract.conversation import (
    WEATHER_TOOL,
    make_assistant,
    make_thread,
    text_of,
    wait_for_run,
)
from tests.fake_model_server import Call, FakeModelServer, Reply

STREAM_TIMEOUT = 20.0  # a stream that stalls fails the test instead of hanging it
REPLY = "The quick brown fox jumps over the lazy dog."

RUN_STARTS = ["thread.run.created", "thread.run.queued", "thread.run.in_progress"]
MESSAGE_EVENTS = [
    "thread.run.step.created",
    "thread.run.step.in_progress",
    "thread.message.created",
    "thread.message.in_progress",
    "thread.message.delta",  # one or more; see `collapsed`
    "thread.message.completed",
    "thread.run.step.completed",
]
TOOL_CALL_EVENTS = [
    "thread.run.step.created",
    "thread.run.step.in_progress",
    "thread.run.step.delta",
    "thread.run.requires_action",
]
COMPLETED_RUN = [*RUN_STARTS, *MESSAGE_EVENTS, "thread.run.completed"]
AFTER_TOOL_OUTPUTS = ["thread.run.step.completed", "thread.run.queued", "thread.run.in_progress"]


class Recorder(AssistantEventHandler):
    """Keeps every event and what each callback was given."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[AssistantStreamEvent] = []
        self.text_deltas: list[str] = []
        self.message_deltas: list[MessageDelta] = []
        self.messages_done: list[Message] = []
        self.texts_done: list[Text] = []
        self.steps_created: list[RunStep] = []
        self.steps_done: list[RunStep] = []
        self.arguments: dict[int, list[str]] = {}  # each function call's argument fragments
        self.ended = 0

    def on_event(self, event: AssistantStreamEvent) -> None:
        self.events.append(event)

    def on_text_delta(self, delta: TextDelta, snapshot: Text) -> None:
        self.text_deltas.append(delta.value or "")

    def on_text_done(self, text: Text) -> None:
        self.texts_done.append(text)

    def on_message_delta(self, delta: MessageDelta, snapshot: Message) -> None:
        self.message_deltas.append(delta)

    def on_message_done(self, message: Message) -> None:
        self.messages_done.append(message)

    def on_run_step_created(self, run_step: RunStep) -> None:
        self.steps_created.append(run_step)

    def on_run_step_done(self, run_step: RunStep) -> None:
        self.steps_done.append(run_step)

    def on_tool_call_delta(self, delta: ToolCallDelta, snapshot: ToolCall) -> None:
        if delta.type == "function" and delta.function is not None:
            self.arguments.setdefault(delta.index, []).append(delta.function.arguments or "")

    def on_end(self) -> None:
        self.ended += 1

    @property
    def names(self) -> list[str]:
        return [event.event for event in self.events]


def collapsed(names: list[str]) -> list[str]:
    """`names` with each run of repeated delta events as one."""
    out: list[str] = []
    for name in names:
        if name.endswith(".delta") and out and out[-1] == name:
            continue
        out.append(name)
    return out


def streamed_call(index: int, call_id: str, arguments: str) -> list[dict[str, object]]:
    """A function call's step-delta fragments: its name, then its arguments in the two parts
    the fake model writes them in."""
    half = len(arguments) // 2
    return [
        {
            "index": index,
            "id": call_id,
            "type": "function",
            "function": IsPartialDict(name="get_weather", arguments=""),
        },
        *(
            {"index": index, "type": "function", "function": {"arguments": part}}
            for part in (arguments[:half], arguments[half:])
        ),
    ]


def streaming(client: openai.OpenAI) -> openai.OpenAI:
    return client.with_options(timeout=STREAM_TIMEOUT)


def sse_frames(body: str) -> list[tuple[str | None, str]]:
    """(event, data) per frame of a raw SSE body; comment-only frames (keep-alives) skipped."""
    frames: list[tuple[str | None, str]] = []
    for block in body.replace("\r\n", "\n").split("\n\n"):
        lines = [line for line in block.split("\n") if line and not line.startswith(":")]
        if not lines:
            continue
        event = None
        data: list[str] = []
        for line in lines:
            field, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if field == "event":
                event = value
            elif field == "data":
                data.append(value)
        frames.append((event, "\n".join(data)))
    return frames


def check_ids(events: list[AssistantStreamEvent], *earlier_steps: str) -> None:
    """Every message event and delta carries its message's id; every step event its step's
    (one created in this stream, or one of `earlier_steps`)."""
    message_ids = {e.data.id for e in events if e.event == "thread.message.created"}
    step_ids = {e.data.id for e in events if e.event == "thread.run.step.created"}
    step_ids.update(earlier_steps)
    for event in events:
        if event.event.startswith("thread.message."):
            assert event.data.id in message_ids, event.event
        elif event.event.startswith("thread.run.step."):
            assert event.data.id in step_ids, event.event


class TestStreamHelper:
    def test_event_handler_sees_the_whole_run(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        fake_model.script(model, Reply(text=REPLY, delay=0.05))
        assistant = make_assistant(client, model)
        thread = make_thread(client, "Tell me about the fox")

        with streaming(client).beta.threads.runs.stream(
            thread_id=thread.id, assistant_id=assistant.id, event_handler=Recorder()
        ) as stream:
            stream.until_done()
            final_messages = stream.get_final_messages()
            final_run = stream.get_final_run()

        assert collapsed(stream.names) == COMPLETED_RUN
        # text arrives as it is written, not in one lump at the end
        assert stream.names.count("thread.message.delta") > 1
        assert "".join(stream.text_deltas) == REPLY
        assert stream.ended == 1

        [message_id] = {e.data.id for e in stream.events if e.event == "thread.message.created"}
        deltas = [e for e in stream.events if e.event == "thread.message.delta"]
        assert all(delta.data.id == message_id for delta in deltas)
        [step_id] = {e.data.id for e in stream.events if e.event == "thread.run.step.created"}
        step_events = [e for e in stream.events if e.event.startswith("thread.run.step.")]
        assert len(step_events) == 3
        assert all(event.data.id == step_id for event in step_events)

        [created] = stream.steps_created
        [done] = stream.steps_done
        assert created.id == done.id == step_id
        assert done.status == "completed"
        assert done.step_details.type == "message_creation"
        assert done.step_details.message_creation.message_id == message_id
        assert done.usage is not None

        [message_done] = stream.messages_done
        assert message_done.id == message_id
        assert message_done.status == "completed"
        assert text_of(message_done) == REPLY
        assert [text.value for text in stream.texts_done] == [REPLY]

        [final_message] = final_messages
        assert final_message.id == message_id
        assert text_of(final_message) == REPLY
        assert final_run.status == "completed"
        assert final_run.thread_id == thread.id
        assert final_run.usage is not None
        assert final_run.usage.total_tokens > 0

        stored = client.beta.threads.messages.retrieve(message_id, thread_id=thread.id)
        assert text_of(stored) == REPLY
        assert stored.run_id == final_run.id
        polled = client.beta.threads.runs.retrieve(final_run.id, thread_id=thread.id)
        assert polled.status == "completed"

    def test_run_events_carry_the_run(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        fake_model.script(model, Reply(text="Short."))
        assistant = make_assistant(client, model)
        thread = make_thread(client, "hi")
        with streaming(client).beta.threads.runs.stream(
            thread_id=thread.id, assistant_id=assistant.id, event_handler=Recorder()
        ) as stream:
            stream.until_done()
        runs = {
            e.event: e.data
            for e in stream.events
            if e.event.startswith("thread.run.") and not e.event.startswith("thread.run.step.")
        }
        statuses = {
            name: runs[name].status
            for name in ("thread.run.created", "thread.run.queued", "thread.run.in_progress")
        }
        assert statuses == {
            "thread.run.created": "queued",
            "thread.run.queued": "queued",
            "thread.run.in_progress": "in_progress",
        }
        completed = runs["thread.run.completed"]
        assert completed.status == "completed"
        assert completed.completed_at is not None
        assert len({run.id for run in runs.values()}) == 1


class TestRawStream:
    def test_create_with_stream_true(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        fake_model.script(model, Reply(text=REPLY, delay=0.02))
        assistant = make_assistant(client, model)
        thread = make_thread(client, "hi")
        with streaming(client).beta.threads.runs.create(
            thread.id, assistant_id=assistant.id, stream=True
        ) as stream:
            events = list(stream)
        assert collapsed([event.event for event in events]) == COMPLETED_RUN
        check_ids(events)
        text = "".join(
            part.text.value or ""
            for event in events
            if event.event == "thread.message.delta"
            for part in event.data.delta.content or []
            if part.type == "text" and part.text is not None
        )
        assert text == REPLY

    def test_sse_frames_on_the_wire(
        self, http: httpx.Client, fake_model: FakeModelServer, model: str
    ) -> None:
        fake_model.script(model, Reply(text=REPLY))
        assistant = http.post("assistants", json={"model": model}).json()
        thread = http.post("threads", json={"messages": [{"role": "user", "content": "hi"}]})
        body = {"assistant_id": assistant["id"], "stream": True}
        with http.stream("POST", f"threads/{thread.json()['id']}/runs", json=body) as response:
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/event-stream")
            raw = response.read().decode()

        frames = sse_frames(raw)
        assert all(event is not None for event, _ in frames), raw
        assert frames[-1] == ("done", "[DONE]")
        names = [event for event, _ in frames[:-1]]
        assert collapsed(names) == COMPLETED_RUN  # type: ignore[arg-type]
        for event, data in frames[:-1]:
            parsed = json.loads(data)
            assert parsed["object"].startswith("thread."), event

    def test_create_and_run_stream(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        fake_model.script(model, Reply(text=REPLY))
        assistant = make_assistant(client, model)
        with streaming(client).beta.threads.create_and_run_stream(
            assistant_id=assistant.id,
            thread={"messages": [{"role": "user", "content": "New thread, please"}]},
            event_handler=Recorder(),
        ) as stream:
            stream.until_done()

        assert stream.names[0] == "thread.created"
        assert collapsed(stream.names[1:]) == COMPLETED_RUN
        check_ids(stream.events)
        thread_id = stream.events[0].data.id
        assert thread_id.startswith("thread_")
        run = stream.get_final_run()
        assert run.thread_id == thread_id
        assert run.status == "completed"
        listed = client.beta.threads.messages.list(thread_id, order="asc").data
        assert [text_of(message) for message in listed] == ["New thread, please", REPLY]
        assert listed[1].run_id == run.id


class TestToolCallsStreamed:
    def test_text_and_parallel_calls_then_outputs(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        fake_model.script(
            model,
            Reply(
                text="Let me check both.",
                tool_calls=[
                    Call("get_weather", '{"city": "Paris"}'),
                    Call("get_weather", '{"city": "Rome"}'),
                ],
            ),
            Reply(text="Paris is sunny and Rome is rainy."),
        )
        assistant = make_assistant(client, model, tools=[WEATHER_TOOL])
        thread = make_thread(client, "Weather in Paris and Rome?")

        with streaming(client).beta.threads.runs.stream(
            thread_id=thread.id, assistant_id=assistant.id, event_handler=Recorder()
        ) as first:
            first.until_done()
        assert collapsed(first.names) == [*RUN_STARTS, *MESSAGE_EVENTS, *TOOL_CALL_EVENTS]
        check_ids(first.events)
        assert "".join(first.text_deltas) == "Let me check both."

        run = first.get_final_run()
        assert run.status == "requires_action"
        assert run.required_action is not None
        assert run.required_action.type == "submit_tool_outputs"
        calls = run.required_action.submit_tool_outputs.tool_calls
        assert len(calls) == 2
        assert len({call.id for call in calls}) == 2
        assert [call.function.name for call in calls] == ["get_weather", "get_weather"]
        assert [call.function.arguments for call in calls] == [
            '{"city": "Paris"}',
            '{"city": "Rome"}',
        ]
        # each call opens with its index, id and name, then its arguments stream in fragments
        step_deltas = [e.data for e in first.events if e.event == "thread.run.step.delta"]
        fragments = [
            call.model_dump(exclude_none=True)
            for delta in step_deltas
            for call in delta.delta.step_details.tool_calls
        ]
        assert fragments == [
            *streamed_call(0, calls[0].id, '{"city": "Paris"}'),
            *streamed_call(1, calls[1].id, '{"city": "Rome"}'),
        ]
        assert {d.id for d in step_deltas} == {first.steps_created[-1].id}
        # the SDK's on_tool_call_delta sees the fragments as they come (after the call's
        # first delta, which is its on_tool_call_created)
        assert first.arguments == {
            0: ['{"city":', ' "Paris"}'],
            1: ['{"city":', ' "Rome"}'],
        }

        outputs = [
            {"tool_call_id": calls[0].id, "output": "sunny"},
            {"tool_call_id": calls[1].id, "output": "rainy"},
        ]
        with streaming(client).beta.threads.runs.submit_tool_outputs_stream(
            tool_outputs=outputs, run_id=run.id, thread_id=thread.id, event_handler=Recorder()
        ) as second:
            second.until_done()
        assert collapsed(second.names) == [
            *AFTER_TOOL_OUTPUTS,
            *MESSAGE_EVENTS,
            "thread.run.completed",
        ]
        tool_step_id = step_deltas[0].id
        check_ids(second.events, tool_step_id)
        assert "".join(second.text_deltas) == "Paris is sunny and Rome is rainy."
        tool_step = second.events[0].data
        assert tool_step.id == tool_step_id
        assert tool_step.status == "completed"
        assert tool_step.step_details.type == "tool_calls"
        assert [call.function.output for call in tool_step.step_details.tool_calls] == [
            "sunny",
            "rainy",
        ]
        assert second.get_final_run().status == "completed"

        request = fake_model.chat_requests(model)[1]
        assert request["messages"][:2] == [
            {"role": "system", "content": "You are a terse helper."},
            {"role": "user", "content": "Weather in Paris and Rome?"},
        ]
        assistant_turn = request["messages"][2]
        assert assistant_turn["role"] == "assistant"
        assert assistant_turn["content"] == "Let me check both."
        assert [
            (call["id"], call["type"], call["function"]["name"], call["function"]["arguments"])
            for call in assistant_turn["tool_calls"]
        ] == [(call.id, "function", "get_weather", call.function.arguments) for call in calls]
        assert request["messages"][3:] == [
            {"role": "tool", "tool_call_id": calls[0].id, "content": "sunny"},
            {"role": "tool", "tool_call_id": calls[1].id, "content": "rainy"},
        ]

        listed = client.beta.threads.messages.list(thread.id, order="asc").data
        assert [(m.role, text_of(m)) for m in listed] == [
            ("user", "Weather in Paris and Rome?"),
            ("assistant", "Let me check both."),
            ("assistant", "Paris is sunny and Rome is rainy."),
        ]

    def test_several_rounds_in_one_run(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        fake_model.script(
            model,
            Reply(tool_calls=[Call("get_weather", '{"city": "Paris"}')]),
            Reply(tool_calls=[Call("get_weather", '{"city": "Rome"}')]),
            Reply(text="Paris sunny, Rome rainy."),
        )
        assistant = make_assistant(client, model, tools=[WEATHER_TOOL])
        thread = make_thread(client, "Paris, then Rome")

        with streaming(client).beta.threads.runs.stream(
            thread_id=thread.id, assistant_id=assistant.id, event_handler=Recorder()
        ) as first:
            first.until_done()
        # no text in this turn: no message, straight to the tool call
        assert collapsed(first.names) == [*RUN_STARTS, *TOOL_CALL_EVENTS]
        run = first.get_final_run()
        assert run.required_action is not None
        [paris] = run.required_action.submit_tool_outputs.tool_calls

        with streaming(client).beta.threads.runs.submit_tool_outputs_stream(
            tool_outputs=[{"tool_call_id": paris.id, "output": "sunny"}],
            run_id=run.id,
            thread_id=thread.id,
            event_handler=Recorder(),
        ) as second:
            second.until_done()
        assert collapsed(second.names) == [*AFTER_TOOL_OUTPUTS, *TOOL_CALL_EVENTS]
        run = second.get_final_run()
        assert run.status == "requires_action"
        assert run.required_action is not None
        [rome] = run.required_action.submit_tool_outputs.tool_calls
        assert rome.id != paris.id
        assert rome.function.arguments == '{"city": "Rome"}'

        with streaming(client).beta.threads.runs.submit_tool_outputs_stream(
            tool_outputs=[{"tool_call_id": rome.id, "output": "rainy"}],
            run_id=run.id,
            thread_id=thread.id,
            event_handler=Recorder(),
        ) as third:
            third.until_done()
        assert collapsed(third.names) == [
            *AFTER_TOOL_OUTPUTS,
            *MESSAGE_EVENTS,
            "thread.run.completed",
        ]
        final = third.get_final_run()
        assert final.status == "completed"

        requests = fake_model.chat_requests(model)
        assert len(requests) == 3
        assert requests[2]["messages"][1:] == [
            {"role": "user", "content": "Paris, then Rome"},
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": paris.id,
                        "type": "function",
                        "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'},
                    }
                ],
            },
            {"role": "tool", "tool_call_id": paris.id, "content": "sunny"},
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": rome.id,
                        "type": "function",
                        "function": {"name": "get_weather", "arguments": '{"city": "Rome"}'},
                    }
                ],
            },
            {"role": "tool", "tool_call_id": rome.id, "content": "rainy"},
        ]

        steps = client.beta.threads.runs.steps.list(run.id, thread_id=thread.id, order="asc")
        assert [step.type for step in steps.data] == [
            "tool_calls",
            "tool_calls",
            "message_creation",
        ]
        assert all(step.status == "completed" for step in steps.data)
        assert final.usage is not None
        assert final.usage.total_tokens == sum(
            step.usage.total_tokens for step in steps.data if step.usage is not None
        )
        listed = client.beta.threads.messages.list(thread.id, limit=1).data
        assert text_of(listed[0]) == "Paris sunny, Rome rainy."


class TestStopping:
    def test_cancel_during_a_slow_stream(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        words = [f"word{index}" for index in range(40)]
        fake_model.script(model, Reply(text=" ".join(words), delay=0.1))
        assistant = make_assistant(client, model)
        thread = make_thread(client, "Talk slowly")
        disconnects = fake_model.disconnects

        names: list[str] = []
        run_id = ""
        cancelled_at: float | None = None
        with streaming(client).beta.threads.runs.create(
            thread.id, assistant_id=assistant.id, stream=True
        ) as stream:
            for event in stream:
                names.append(event.event)
                if event.event == "thread.run.created":
                    run_id = event.data.id
                if event.event == "thread.message.delta" and cancelled_at is None:
                    answer = client.beta.threads.runs.cancel(run_id, thread_id=thread.id)
                    assert answer.status in ("cancelling", "cancelled")
                    cancelled_at = time.monotonic()
        assert cancelled_at is not None
        # the model's reply takes 4 s; the stream ends soon after the cancel instead
        assert time.monotonic() - cancelled_at < 2.0
        assert names[-1] == "thread.run.cancelled"
        assert "thread.message.incomplete" in names
        assert "thread.run.step.cancelled" in names

        run = wait_for_run(client, thread.id, run_id, frozenset({"cancelled"}))
        assert run.cancelled_at is not None
        assert run.completed_at is None
        reply = client.beta.threads.messages.list(thread.id, limit=1).data[0]
        assert reply.run_id == run_id
        assert reply.status == "incomplete"
        assert reply.incomplete_details is not None
        assert reply.incomplete_details.reason == "run_cancelled"
        written = text_of(reply).split()
        assert 0 < len(written) < len(words)
        assert written == words[: len(written)]
        [step] = client.beta.threads.runs.steps.list(run_id, thread_id=thread.id).data
        assert step.status == "cancelled"

        deadline = time.monotonic() + 5
        while fake_model.disconnects <= disconnects:
            assert time.monotonic() < deadline, "the model's stream was not closed"
            time.sleep(0.05)

    def test_failing_backend_streamed(
        self, http: httpx.Client, fake_model: FakeModelServer, model: str
    ) -> None:
        fake_model.script(model, Reply(status=400, error_message="Rejected by the fake."))
        assistant = http.post("assistants", json={"model": model}).json()
        thread = http.post("threads", json={"messages": [{"role": "user", "content": "hi"}]})
        body = {"assistant_id": assistant["id"], "stream": True}
        with http.stream("POST", f"threads/{thread.json()['id']}/runs", json=body) as response:
            assert response.status_code == 200
            frames = sse_frames(response.read().decode())
        assert [event for event, _ in frames] == [*RUN_STARTS, "thread.run.failed", "done"]
        assert frames[-1] == ("done", "[DONE]")
        failed = json.loads(frames[-2][1])
        assert failed["status"] == "failed"
        assert failed["last_error"]["code"] == "invalid_prompt"
        assert "Rejected by the fake." in failed["last_error"]["message"]

    def test_failing_backend_through_the_sdk(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        failure = Reply(status=429, error_message="Slow down.", retry_after=0)
        fake_model.script(model, failure, failure, failure)
        assistant = make_assistant(client, model)
        thread = make_thread(client, "hi")
        with streaming(client).beta.threads.runs.stream(
            thread_id=thread.id, assistant_id=assistant.id, event_handler=Recorder()
        ) as stream:
            stream.until_done()
        assert stream.names == [*RUN_STARTS, "thread.run.failed"]
        assert stream.ended == 1
        run = stream.get_final_run()
        assert run.status == "failed"
        assert run.last_error is not None
        assert run.last_error.code == "rate_limit_exceeded"

    def test_client_hanging_up_does_not_stop_the_run(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        words = [f"part{index}" for index in range(20)]
        fake_model.script(model, Reply(text=" ".join(words), delay=0.03))
        assistant = make_assistant(client, model)
        thread = make_thread(client, "hi")

        stream = streaming(client).beta.threads.runs.create(
            thread.id, assistant_id=assistant.id, stream=True
        )
        run_id = ""
        for event in stream:
            if event.event == "thread.run.created":
                run_id = event.data.id
            if event.event == "thread.message.delta":
                break
        stream.close()
        assert run_id

        ended = frozenset({"completed", "failed", "cancelled", "incomplete"})
        run = wait_for_run(client, thread.id, run_id, ended)
        assert run.status == "completed"
        reply = client.beta.threads.messages.list(thread.id, limit=1).data[0]
        assert reply.status == "completed"
        assert text_of(reply) == " ".join(words)
