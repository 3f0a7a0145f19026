"""`GET /v1/threads/{thread_id}/runs/{run_id}/events`, an extension: a run's events as SSE, each
with an id, resumed after `Last-Event-ID` (or `?after=`) with nothing lost or repeated, through
raw HTTP as a browser or a reconnecting client sends it."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import jsonschema
import openai
import pytest

from tests.contract.conversation import (
    WEATHER_TOOL,
    make_assistant,
    make_thread,
    wait_for_run,
)
from tests.fake_model_server import Call, FakeModelServer, Reply

REPLY = "Sunny and warm in Paris today, with a light breeze from the west and no rain at all."
TIMEOUT = httpx.Timeout(20.0)  # a stream that stalls fails the test instead of hanging it
TEXT_DELTA = "thread.message.delta"


@dataclass(frozen=True)
class Event:
    id: str
    name: str
    data: Any


def events_path(thread_id: str, run_id: str) -> str:
    return f"threads/{thread_id}/runs/{run_id}/events"


def read_events(response: httpx.Response) -> Iterator[Event]:
    """The SSE frames of `response`, `done` included (its data is not JSON)."""
    fields: dict[str, str] = {}
    for line in response.iter_lines():
        if line.startswith(":"):
            continue
        if line:
            name, _, value = line.partition(": ")
            fields[name] = value
            continue
        if fields:
            data = fields["data"]
            yield Event(
                fields.get("id", ""),
                fields["event"],
                data if data == "[DONE]" else json.loads(data),
            )
            fields = {}


def stream(http: httpx.Client, path: str, **headers: str) -> Iterator[Event]:
    with http.stream("GET", path, headers=headers, timeout=TIMEOUT) as response:
        assert response.status_code == 200, response.read()
        assert response.headers["content-type"].startswith("text/event-stream")
        yield from read_events(response)


def shape(events: list[Event]) -> list[tuple[str, str, Any]]:
    """What a client makes of `events`: each event whole, except that runs of text deltas of a
    message count as their joined text (a stream may cut text into pieces anywhere)."""
    out: list[tuple[str, str, Any]] = []
    for event in events:
        if event.name == TEXT_DELTA and out and out[-1][0] == TEXT_DELTA:
            out[-1] = (TEXT_DELTA, out[-1][1], out[-1][2] + text_of(event))
        elif event.name == TEXT_DELTA:
            out.append((TEXT_DELTA, event.data["id"], text_of(event)))
        else:
            out.append((event.name, event.id, event.data))
    return out


def text_of(event: Event) -> str:
    parts = event.data["delta"].get("content") or []
    return "".join(part["text"]["value"] for part in parts if part["type"] == "text")


def answering(client: openai.OpenAI, thread_id: str) -> Callable[[Event], None]:
    """Submits the weather when the run asks for it."""

    def answer(event: Event) -> None:
        if event.name == "thread.run.requires_action":
            calls = event.data["required_action"]["submit_tool_outputs"]["tool_calls"]
            client.beta.threads.runs.submit_tool_outputs(
                event.data["id"],
                thread_id=thread_id,
                tool_outputs=[{"tool_call_id": call["id"], "output": "sunny"} for call in calls],
            )

    return answer


@pytest.fixture
def weather_run(client: openai.OpenAI, fake_model: FakeModelServer, model: str) -> tuple[str, str]:
    """A run that calls get_weather, then answers in words that stream one by one."""
    fake_model.script(
        model,
        Reply(tool_calls=[Call("get_weather", '{"city": "Paris"}')], delay=0.02),
        Reply(text=REPLY, delay=0.02),
    )
    assistant = make_assistant(client, model, tools=[WEATHER_TOOL])
    thread = make_thread(client, "Weather in Paris?")
    run = client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    return thread.id, run.id


def follow_whole_run(
    http: httpx.Client, client: openai.OpenAI, thread_id: str, run_id: str
) -> list[Event]:
    """The run's events in one connection, answering its tool call on the way."""
    answer, events = answering(client, thread_id), []
    for event in stream(http, events_path(thread_id, run_id)):
        events.append(event)
        answer(event)
    return events


def test_one_stream_follows_a_run_through_its_tool_call_to_the_end(
    http: httpx.Client, client: openai.OpenAI, weather_run: tuple[str, str]
) -> None:
    thread_id, run_id = weather_run
    events = follow_whole_run(http, client, thread_id, run_id)

    names = [event.name for event in events]
    assert names[0] == "thread.run.created"
    assert "thread.run.requires_action" in names
    assert names[-2:] == ["thread.run.completed", "done"]
    assert "".join(text_of(e) for e in events if e.name == TEXT_DELTA) == REPLY
    ids = [event.id for event in events[:-1]]
    assert all(ids)
    assert len(set(ids)) == len(ids)
    assert wait_for_run(client, thread_id, run_id).status == "completed"


def test_resuming_after_each_event_of_a_finished_run_loses_and_repeats_nothing(
    http: httpx.Client, client: openai.OpenAI, weather_run: tuple[str, str]
) -> None:
    thread_id, run_id = weather_run
    live = follow_whole_run(http, client, thread_id, run_id)[:-1]
    path = events_path(thread_id, run_id)
    replayed = list(stream(http, path))
    assert replayed[-1].name == "done"
    assert shape(replayed[:-1]) == shape(live)

    for index, event in enumerate(live):
        # both ways of saying where to resume: the header browsers send, and the query
        if index % 2:
            resumed = list(stream(http, path, **{"Last-Event-ID": event.id}))
        else:
            resumed = list(stream(http, f"{path}?after={event.id}"))
        assert resumed[-1].name == "done"
        assert shape(resumed[:-1]) == shape(live[index + 1 :]), f"after event {index}"


def test_a_dropped_connection_resumes_mid_run_with_nothing_lost_or_repeated(
    http: httpx.Client, client: openai.OpenAI, weather_run: tuple[str, str]
) -> None:
    """The client hangs up after every event and reconnects with the last id it saw, while
    the run is still going."""
    thread_id, run_id = weather_run
    path, answer = events_path(thread_id, run_id), answering(client, thread_id)
    received: list[Event] = []
    while not received or received[-1].name != "done":
        headers = {"Last-Event-ID": received[-1].id} if received else {}
        with http.stream("GET", path, headers=headers, timeout=TIMEOUT) as response:
            event = next(read_events(response))  # one event, then the connection is dropped
        received.append(event)
        answer(event)

    assert "".join(text_of(e) for e in received if e.name == TEXT_DELTA) == REPLY
    assert received[-2].name == "thread.run.completed"
    whole = list(stream(http, path))
    assert shape(received) == shape(whole)


def test_a_streamed_create_resumes_on_the_events_route(
    http: httpx.Client, client: openai.OpenAI, fake_model: FakeModelServer, model: str
) -> None:
    """The ids of `stream: true` answers are the same positions: a client whose stream broke
    picks the run up on the events route."""
    fake_model.script(model, Reply(text=REPLY, delay=0.02))
    assistant = make_assistant(client, model)
    thread = make_thread(client, "Hello")
    body = {"assistant_id": assistant.id, "stream": True}
    with http.stream("POST", f"threads/{thread.id}/runs", json=body, timeout=TIMEOUT) as response:
        first: list[Event] = []
        for event in read_events(response):
            first.append(event)
            if event.name == TEXT_DELTA and len(first) > 8:
                break
    run_id = first[0].data["id"]
    rest = list(stream(http, events_path(thread.id, run_id), **{"Last-Event-ID": first[-1].id}))
    text = "".join(text_of(e) for e in [*first, *rest] if e.name == TEXT_DELTA)
    assert text == REPLY
    assert rest[-2].name == "thread.run.completed"


def test_a_finished_run_resumed_after_its_last_event_only_ends(
    http: httpx.Client, client: openai.OpenAI, weather_run: tuple[str, str]
) -> None:
    thread_id, run_id = weather_run
    live = follow_whole_run(http, client, thread_id, run_id)
    resumed = list(stream(http, events_path(thread_id, run_id), **{"Last-Event-ID": live[-2].id}))
    assert [event.name for event in resumed] == ["done"]


def test_another_tenant_and_bad_ids_are_refused(
    http: httpx.Client,
    client: openai.OpenAI,
    weather_run: tuple[str, str],
    base_url: str,
    other_api_key: str,
) -> None:
    thread_id, run_id = weather_run
    path = events_path(thread_id, run_id)
    stranger = httpx.get(f"{base_url}/{path}", headers={"Authorization": f"Bearer {other_api_key}"})
    assert stranger.status_code == 404
    assert stranger.json()["error"]["type"] == "invalid_request_error"
    missing = http.get(events_path(thread_id, "run_missing"))
    assert missing.status_code == 404
    assert "run_missing" in missing.json()["error"]["message"]

    for headers, query, param in [
        ({"Last-Event-ID": "seven"}, "", "Last-Event-ID"),
        ({}, "?after=3.x", "after"),
        ({}, "?after=0.5", "after"),
    ]:
        bad = http.get(path + query, headers=headers)
        assert bad.status_code == 400
        error = bad.json()["error"]
        assert error["param"] == param
        assert error["type"] == "invalid_request_error"
    follow_whole_run(http, client, thread_id, run_id)  # the run is unharmed


def test_every_event_matches_the_schemas_in_the_servers_openapi_document(
    http: httpx.Client, client: openai.OpenAI, weather_run: tuple[str, str], base_url: str
) -> None:
    document = httpx.get(base_url.removesuffix("/v1") + "/openapi.json").json()
    operation = document["paths"]["/v1/threads/{thread_id}/runs/{run_id}/events"]["get"]
    item = operation["responses"]["200"]["content"]["text/event-stream"]["itemSchema"]
    frames = document["components"]["schemas"]["RunEventFrame"]["oneOf"]
    assert item == {"$ref": "#/components/schemas/RunEventFrame"}
    by_event = {frame["properties"]["event"]["const"]: frame for frame in frames}

    thread_id, run_id = weather_run
    events = follow_whole_run(http, client, thread_id, run_id)
    for event in events:
        data_schema = by_event[event.name]["properties"]["data"]
        if "const" in data_schema:
            assert event.data == data_schema["const"]
            continue
        # the schema's refs point into the document's components
        schema = {**data_schema["contentSchema"], "components": document["components"]}
        validator = jsonschema.Draft202012Validator(schema)
        errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(event.data)]
        assert not errors, (event.name, errors)
