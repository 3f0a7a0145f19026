"""Runs that search files (v2 `file_search`), through the official SDK: the tool the model is
offered, the search the server runs for it, the run step that records it, what the model is
sent back, and the citations in the answer; polled and streamed, against a real server and a
fake model whose embeddings are hashed words."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx
import openai
import pytest
from openai import AssistantEventHandler
from openai.types.beta import Assistant, AssistantStreamEvent, Thread
from openai.types.beta.threads import Message, Run
from openai.types.beta.threads.runs import FileSearchToolCall, RunStep, ToolCall

from assistants_server.llm.fake import content_text
from tests.contract.conversation import (
    WEATHER_TOOL,
    make_assistant,
    make_thread,
    text_of,
    wait_for_run,
)
from tests.contract.knowledge import (
    ANSWER,
    FACTS,
    MARKER,
    OTHER,
    QUERY,
    QUESTION,
    upload_text,
    wait_for_store,
)
from tests.fake_model_server import Call, FakeModelServer, Reply

CONTENT = "step_details.tool_calls[*].file_search.results[*].content"
SEARCHED_QUERY = "step_details.tool_calls[*].file_search.query"  # an extension
FILE_SEARCH = {"type": "file_search"}
STREAM_TIMEOUT = 20.0


@dataclass
class Library:
    """Two small text files in one ingested vector store; `facts` answers QUESTION."""

    facts: str
    other: str
    store: str


def upload(client: openai.OpenAI, name: str, text: str) -> str:
    return upload_text(client, text, name).id


def ready_store(client: openai.OpenAI, *file_ids: str) -> str:
    store = client.vector_stores.create(name="knowledge", file_ids=list(file_ids))
    counts = wait_for_store(client, store.id).file_counts
    assert counts.completed == counts.total == len(file_ids), counts
    return store.id


def make_library(client: openai.OpenAI) -> Library:
    facts = upload(client, "facts.txt", FACTS)
    other = upload(client, "other.txt", OTHER)
    return Library(facts, other, ready_store(client, facts, other))


def searching_assistant(
    client: openai.OpenAI, model: str, *store_ids: str, tool: dict[str, Any] | None = None
) -> Assistant:
    resources = {"file_search": {"vector_store_ids": list(store_ids)}} if store_ids else None
    params: dict[str, Any] = {"tools": [tool or FILE_SEARCH]}
    if resources is not None:
        params["tool_resources"] = resources
    return make_assistant(client, model, **params)


def script_search(
    fake_model: FakeModelServer,
    model: str,
    answer: str = ANSWER,
    query: str = QUERY,
    chunks: int | None = None,
) -> None:
    """The model searches once, then answers with `answer` (word by word, or in `chunks`)."""
    fake_model.script(
        model,
        Reply(tool_calls=[Call("file_search", json.dumps({"query": query}))]),
        Reply(text=answer, chunks=chunks),
    )


def run_to_rest(client: openai.OpenAI, thread_id: str, assistant_id: str, **params: Any) -> Run:
    run = client.beta.threads.runs.create(thread_id, assistant_id=assistant_id, **params)
    return wait_for_run(client, thread_id, run.id)


def completed_run(client: openai.OpenAI, thread_id: str, assistant_id: str, **params: Any) -> Run:
    run = run_to_rest(client, thread_id, assistant_id, **params)
    assert run.status == "completed", (run.status, run.last_error, run.required_action)
    return run


def steps_of(client: openai.OpenAI, run: Run, **params: Any) -> list[RunStep]:
    return client.beta.threads.runs.steps.list(
        run.id, thread_id=run.thread_id, order="asc", **params
    ).data


def search_calls(steps: list[RunStep]) -> list[FileSearchToolCall]:
    calls: list[ToolCall] = [
        call
        for step in steps
        if step.step_details.type == "tool_calls"
        for call in step.step_details.tool_calls
    ]
    return [call for call in calls if call.type == "file_search"]


def the_search(client: openai.OpenAI, run: Run, **params: Any) -> FileSearchToolCall:
    """The one file_search call of `run`, as its steps list shows it."""
    calls = search_calls(steps_of(client, run, **params))
    assert len(calls) == 1, calls
    return calls[0]


def result_files(call: FileSearchToolCall) -> list[str]:
    return [result.file_id for result in call.file_search.results or []]


def newest_message(client: openai.OpenAI, thread_id: str) -> Message:
    return client.beta.threads.messages.list(thread_id, limit=1).data[0]


def offered(request: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The function tools of a chat request, by name."""
    return {tool["function"]["name"]: tool["function"] for tool in request.get("tools") or []}


def tool_messages(request: dict[str, Any]) -> list[dict[str, Any]]:
    return [m for m in request["messages"] if m["role"] == "tool"]


def search_output(fake_model: FakeModelServer, model: str) -> str:
    """What the model was sent as the result of its file_search call (second request)."""
    requests = fake_model.chat_requests(model)
    assert len(requests) == 2, f"the model was asked {len(requests)} times, not twice"
    [output] = tool_messages(requests[1])
    return content_text(output["content"])


def assert_cites(message: Message, marker: str, file_id: str) -> None:
    """`message`'s text keeps `marker` once, and one file_citation annotation points at it."""
    [part] = message.content
    assert part.type == "text"
    value = part.text.value
    assert value.count(marker) == 1, value
    [annotation] = part.text.annotations
    assert annotation.type == "file_citation"
    assert annotation.text == marker
    assert annotation.end_index - annotation.start_index == len(marker)
    assert value[annotation.start_index : annotation.end_index] == marker
    assert annotation.file_citation.file_id == file_id


def thread_store_ids(thread: Thread) -> list[str]:
    resources = thread.tool_resources
    if resources is None or resources.file_search is None:
        return []
    return list(resources.file_search.vector_store_ids or [])


def streamed_search(
    client: openai.OpenAI,
    fake_model: FakeModelServer,
    model: str,
    library: Library,
    answer: str = ANSWER,
    chunks: int | None = None,
) -> Recorder:
    """A streamed run of a searching assistant asked QUESTION, followed to its end; the model
    searches, then answers `answer`."""
    script_search(fake_model, model, answer, chunks=chunks)
    assistant = searching_assistant(client, model, library.store)
    thread = make_thread(client, QUESTION)
    with client.with_options(timeout=STREAM_TIMEOUT).beta.threads.runs.stream(
        thread_id=thread.id, assistant_id=assistant.id, event_handler=Recorder()
    ) as stream:
        stream.until_done()
    return stream


class Recorder(AssistantEventHandler):
    """Keeps the events and what the callbacks were given."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[AssistantStreamEvent] = []
        self.text = ""  # as OpenAI's quickstart handler adds it up
        self.delta_annotations: list[Any] = []
        self.messages_done: list[Message] = []
        self.steps_done: list[RunStep] = []
        self.tool_calls_created: list[ToolCall] = []
        self.tool_calls_done: list[ToolCall] = []
        self.ended = 0

    def on_event(self, event: AssistantStreamEvent) -> None:
        self.events.append(event)

    def on_text_delta(self, delta: Any, snapshot: Any) -> None:
        self.text += delta.value
        self.delta_annotations += delta.annotations or []

    def on_message_done(self, message: Message) -> None:
        self.messages_done.append(message)

    def on_run_step_done(self, run_step: RunStep) -> None:
        self.steps_done.append(run_step)

    def on_tool_call_created(self, tool_call: ToolCall) -> None:
        self.tool_calls_created.append(tool_call)

    def on_tool_call_done(self, tool_call: ToolCall) -> None:
        self.tool_calls_done.append(tool_call)

    def on_end(self) -> None:
        self.ended += 1


class TestOfferedTool:
    def test_file_search_is_offered_as_a_function_with_a_query(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        library = make_library(client)
        fake_model.script(model, Reply(text="With search."), Reply(text="Without search."))
        assistant = searching_assistant(client, model, library.store)
        thread = make_thread(client, QUESTION)

        completed_run(client, thread.id, assistant.id)
        completed_run(client, thread.id, assistant.id, tools=[WEATHER_TOOL])

        with_search, without_search = fake_model.chat_requests(model)
        tools = offered(with_search)
        assert list(tools) == ["file_search"]
        parameters = tools["file_search"]["parameters"]
        assert parameters["type"] == "object"
        assert parameters["properties"]["query"]["type"] == "string"
        # a run whose tools leave file_search out does not offer it
        assert list(offered(without_search)) == ["get_weather"]

    def test_named_tool_choice_becomes_a_function_choice(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        library = make_library(client)
        script_search(fake_model, model)
        assistant = make_assistant(
            client,
            model,
            tools=[FILE_SEARCH, WEATHER_TOOL],
            tool_resources={"file_search": {"vector_store_ids": [library.store]}},
        )
        thread = make_thread(client, QUESTION)

        run = completed_run(client, thread.id, assistant.id, tool_choice={"type": "file_search"})

        assert run.tool_choice is not None
        assert not isinstance(run.tool_choice, str)
        assert run.tool_choice.type == "file_search"
        first, second = fake_model.chat_requests(model)
        assert sorted(offered(first)) == ["file_search", "get_weather"]
        assert first["tool_choice"] == {"type": "function", "function": {"name": "file_search"}}
        # once it has searched, the model is free to answer (forcing it would search forever)
        assert second.get("tool_choice") != first["tool_choice"]
        assert text_of(newest_message(client, thread.id)) == ANSWER


class TestSearchingRun:
    def test_run_searches_and_completes_without_requires_action(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        library = make_library(client)
        script_search(fake_model, model)
        assistant = searching_assistant(client, model, library.store)
        thread = make_thread(client, QUESTION)

        # the server answers the search itself: the run never waits for tool outputs
        run = completed_run(client, thread.id, assistant.id)
        assert run.required_action is None
        assert run.usage is not None
        assert run.usage.total_tokens > 0

        steps = steps_of(client, run)
        assert [step.type for step in steps] == ["tool_calls", "message_creation"]
        assert all(step.status == "completed" for step in steps)
        assert steps[0].usage is not None
        [call] = steps[0].step_details.tool_calls
        assert call.type == "file_search"
        assert call.id
        ranking = call.file_search.ranking_options
        assert ranking is not None
        assert (ranking.ranker, ranking.score_threshold) == ("default_2024_08_21", 0.0)
        results = call.file_search.results
        assert results, "the search found nothing"
        # the file holding the answer ranks first
        assert (results[0].file_id, results[0].file_name) == (library.facts, "facts.txt")
        assert {r.file_name for r in results} <= {"facts.txt", "other.txt"}
        scores = [result.score for result in results]
        assert all(0.0 <= score <= 1.0 for score in scores)
        assert scores == sorted(scores, reverse=True)
        # content only when asked for
        assert all(result.content is None for result in results)

        message = newest_message(client, thread.id)
        assert message.run_id == run.id
        assert steps[1].step_details.message_creation.message_id == message.id

    def test_results_content_when_included(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        library = make_library(client)
        script_search(fake_model, model)
        assistant = searching_assistant(client, model, library.store)
        thread = make_thread(client, QUESTION)
        run = completed_run(client, thread.id, assistant.id)

        listed = the_search(client, run, include=[CONTENT])
        step = next(s for s in steps_of(client, run) if s.type == "tool_calls")
        retrieved = client.beta.threads.runs.steps.retrieve(
            step.id, thread_id=thread.id, run_id=run.id, include=[CONTENT]
        )
        plain = client.beta.threads.runs.steps.retrieve(step.id, thread_id=thread.id, run_id=run.id)

        [retrieved_call] = retrieved.step_details.tool_calls
        assert retrieved_call.type == "file_search"
        for call in (listed, retrieved_call):
            results = call.file_search.results or []
            assert results[0].file_id == library.facts
            for result in results:
                assert result.content, result
                assert all(part.type == "text" for part in result.content)
            first = " ".join(part.text or "" for part in results[0].content or [])
            assert "Oswin Farrow" in first
            assert "Bananas" not in first
        [plain_call] = plain.step_details.tool_calls
        assert plain_call.type == "file_search"
        assert all(r.content is None for r in plain_call.file_search.results or [])

    def test_the_query_is_shown_when_asked_for_as_an_extension(
        self, client: openai.OpenAI, http: httpx.Client, fake_model: FakeModelServer, model: str
    ) -> None:
        """The API defines no field for what the model searched with; `include[]` of
        `...file_search.query` (this server's) shows it, for run steps only."""
        library = make_library(client)
        script_search(fake_model, model)
        assistant = searching_assistant(client, model, library.store)
        thread = make_thread(client, QUESTION)
        run = completed_run(client, thread.id, assistant.id)

        steps = f"threads/{thread.id}/runs/{run.id}/steps"
        asked = http.get(steps, params={"include[]": [SEARCHED_QUERY, CONTENT]}).json()
        [call] = asked["data"][-1]["step_details"]["tool_calls"]
        assert call["file_search"]["query"] == QUERY
        assert call["file_search"]["results"][0]["content"]
        plain = http.get(f"{steps}/{asked['data'][-1]['id']}").json()
        assert "query" not in plain["step_details"]["tool_calls"][0]["file_search"]
        refused = http.post(
            f"threads/{thread.id}/runs",
            params={"include[]": SEARCHED_QUERY},
            json={"assistant_id": assistant.id},
        )
        assert refused.status_code == 400
        assert refused.json()["error"]["param"] == "include"

    def test_model_gets_the_results_as_the_tool_output(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        library = make_library(client)
        script_search(fake_model, model)
        assistant = searching_assistant(client, model, library.store)
        thread = make_thread(client, QUESTION)
        completed_run(client, thread.id, assistant.id)

        first, second = fake_model.chat_requests(model)
        assert "file_search" in offered(second)
        roles = [m["role"] for m in second["messages"]]
        assert roles[-2:] == ["assistant", "tool"]
        assert [content_text(m["content"]) for m in second["messages"] if m["role"] == "user"] == [
            QUESTION
        ]
        assistant_turn, tool_turn = second["messages"][-2:]
        [call] = assistant_turn["tool_calls"]
        assert call["type"] == "function"
        assert call["function"]["name"] == "file_search"
        assert json.loads(call["function"]["arguments"]) == {"query": QUERY}
        assert tool_turn["tool_call_id"] == call["id"]

        output = content_text(tool_turn["content"])
        assert MARKER in output
        assert FACTS in output
        # the block of the first result is headed by its marker and holds the answer
        assert output.index(MARKER) < output.index(FACTS)
        if "【0:1†other.txt】" in output:
            assert output.index(FACTS) < output.index("【0:1†other.txt】")
        assert "file_search" in offered(first)

    def test_each_search_of_a_run_numbers_its_markers(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        library = make_library(client)
        fake_model.script(
            model,
            Reply(tool_calls=[Call("file_search", json.dumps({"query": QUERY}))]),
            Reply(tool_calls=[Call("file_search", json.dumps({"query": "bananas paper bag"}))]),
            Reply(text="Oswin Farrow 【0:0†facts.txt】 and a paper bag 【1:0†other.txt】."),
        )
        assistant = searching_assistant(client, model, library.store)
        thread = make_thread(client, QUESTION + " And how do bananas ripen?")
        run = completed_run(client, thread.id, assistant.id)

        calls = search_calls(steps_of(client, run))
        assert [result_files(call)[0] for call in calls] == [library.facts, library.other]
        third = fake_model.chat_requests(model)[2]
        outputs = [content_text(m["content"]) for m in tool_messages(third)]
        assert len(outputs) == 2
        assert MARKER in outputs[0]
        assert "【1:0†other.txt】" in outputs[1]
        assert "Bananas" in outputs[1]

        message = newest_message(client, thread.id)
        part = message.content[0]
        assert part.type == "text"
        cited = {
            (a.text, a.file_citation.file_id)
            for a in part.text.annotations
            if a.type == "file_citation"
        }
        assert cited == {(MARKER, library.facts), ("【1:0†other.txt】", library.other)}
        for annotation in part.text.annotations:
            assert part.text.value[annotation.start_index : annotation.end_index] == (
                annotation.text
            )


class TestCitations:
    def test_marker_becomes_a_file_citation(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        library = make_library(client)
        script_search(fake_model, model)
        assistant = searching_assistant(client, model, library.store)
        thread = make_thread(client, QUESTION)
        completed_run(client, thread.id, assistant.id)

        message = newest_message(client, thread.id)
        assert text_of(message) == ANSWER
        assert_cites(message, MARKER, library.facts)
        stored = client.beta.threads.messages.retrieve(message.id, thread_id=thread.id)
        assert_cites(stored, MARKER, library.facts)

    def test_markers_naming_no_result_are_removed(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        library = make_library(client)
        # unknown call, unknown result of the real call, and a real one after both
        script_search(
            fake_model, model, f"See 【7:3†nope】 and 【0:9†facts.txt】 then {MARKER} done."
        )
        assistant = searching_assistant(client, model, library.store)
        thread = make_thread(client, QUESTION)
        completed_run(client, thread.id, assistant.id)

        message = newest_message(client, thread.id)
        value = text_of(message)
        assert "【7:3†nope】" not in value
        assert "【0:9†facts.txt】" not in value
        assert "nope" not in value
        assert value.startswith("See ")
        assert value.endswith(f"{MARKER} done.")
        # the remaining citation points at the marker in the shortened text
        assert_cites(message, MARKER, library.facts)

    def test_streamed_run_with_an_event_handler(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        library = make_library(client)
        stream = streamed_search(client, fake_model, model, library)
        final_messages = stream.get_final_messages()
        final_run = stream.get_final_run()

        names = [event.event for event in stream.events]
        assert "thread.run.requires_action" not in names
        assert names[-1] == "thread.run.completed"
        assert final_run.status == "completed"
        assert stream.ended == 1
        # the search step comes and goes before the answer's message
        [search_step] = [s for s in stream.steps_done if s.type == "tool_calls"]
        assert search_step.status == "completed"
        [done_call] = search_step.step_details.tool_calls
        assert done_call.type == "file_search"
        assert result_files(done_call)[0] == library.facts
        step_done = names.index("thread.run.step.completed")
        assert step_done < names.index("thread.message.created")
        # the SDK's tool-call callbacks see the file_search call (the SDK may report it done
        # more than once: at each later step and at the end of the run)
        [created_call] = stream.tool_calls_created
        assert created_call.type == "file_search"
        assert {(call.id, call.type) for call in stream.tool_calls_done} == {
            (done_call.id, "file_search")
        }

        [final] = final_messages
        assert text_of(final) == ANSWER
        assert_cites(final, MARKER, library.facts)
        [done] = stream.messages_done
        assert_cites(done, MARKER, library.facts)
        assert stream.text == ANSWER
        stored = client.beta.threads.messages.retrieve(final.id, thread_id=final.thread_id)
        assert_cites(stored, MARKER, library.facts)

    @pytest.mark.parametrize("chunks", [None, 7, 60], ids=["words", "7-pieces", "characters"])
    def test_streamed_deltas_add_up_to_the_message(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str, chunks: int | None
    ) -> None:
        """Every text delta has a string value; a kept marker travels with its annotation in
        one delta, a removed one is never sent; the deltas add up to the final message."""
        library = make_library(client)
        answer = f"See 【7:3†nope】 and [0:9†facts.txt], then {MARKER} and [0:0†facts.txt]."
        stream = streamed_search(client, fake_model, model, library, answer, chunks)
        [final] = stream.get_final_messages()
        [part] = final.content
        assert part.type == "text"
        assert part.text.value == f"See and, then {MARKER} and [0:0†facts.txt]."
        assert stream.text == part.text.value
        assert [a.model_dump(exclude_none=True) for a in stream.delta_annotations] == [
            {"index": index, **a.model_dump(exclude_none=True)}
            for index, a in enumerate(part.text.annotations)
        ]
        assert [a.text for a in part.text.annotations] == [MARKER, "[0:0†facts.txt]"]
        for event in stream.events:
            if event.event == "thread.message.delta":
                for content in event.data.delta.content or []:
                    assert content.type == "text"
                    assert content.text is not None
                    assert isinstance(content.text.value, str)
                    for annotation in content.text.annotations or []:
                        assert content.text.value == annotation.text
        stored = client.beta.threads.messages.retrieve(final.id, thread_id=final.thread_id)
        assert stored.content == final.content


class TestSearchSettings:
    def test_max_num_results_limits_the_results(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        library = make_library(client)
        script_search(fake_model, model)
        tool = {"type": "file_search", "file_search": {"max_num_results": 1}}
        assistant = searching_assistant(client, model, library.store, tool=tool)
        thread = make_thread(client, QUESTION)
        run = completed_run(client, thread.id, assistant.id)

        assert result_files(the_search(client, run)) == [library.facts]
        output = search_output(fake_model, model)
        assert MARKER in output
        assert "【0:1†" not in output
        assert "Bananas" not in output

    def test_score_threshold_drops_weaker_results(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        library = make_library(client)
        script_search(fake_model, model)
        script_search(fake_model, model)
        open_assistant = searching_assistant(client, model, library.store)
        thread = make_thread(client, QUESTION)
        unfiltered = the_search(client, completed_run(client, thread.id, open_assistant.id))
        results = unfiltered.file_search.results or []
        assert [r.file_id for r in results] == [library.facts, library.other]
        best, weaker = results[0].score, results[1].score
        assert best > weaker

        threshold = round((best + weaker) / 2, 4)
        tool = {
            "type": "file_search",
            "file_search": {"ranking_options": {"score_threshold": threshold}},
        }
        strict = searching_assistant(client, model, library.store, tool=tool)
        filtered = the_search(client, completed_run(client, thread.id, strict.id))

        assert result_files(filtered) == [library.facts]
        ranking = filtered.file_search.ranking_options
        assert ranking is not None
        assert ranking.score_threshold == pytest.approx(threshold)
        assert "Bananas" not in content_text(
            tool_messages(fake_model.chat_requests(model)[-1])[-1]["content"]
        )


class TestWhereFilesComeFrom:
    def test_thread_vector_stores_are_searched_too(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        facts = upload(client, "facts.txt", FACTS)
        other = upload(client, "other.txt", OTHER)
        assistant_store = ready_store(client, other)
        thread_store = ready_store(client, facts)
        script_search(fake_model, model)
        assistant = searching_assistant(client, model, assistant_store)
        thread = client.beta.threads.create(
            messages=[{"role": "user", "content": QUESTION}],
            tool_resources={"file_search": {"vector_store_ids": [thread_store]}},
        )
        run = completed_run(client, thread.id, assistant.id)

        files = result_files(the_search(client, run))
        assert files[0] == facts
        assert set(files) == {facts, other}
        assert_cites(newest_message(client, thread.id), MARKER, facts)

    def test_inline_vector_store_on_the_assistant(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        facts = upload(client, "facts.txt", FACTS)
        script_search(fake_model, model)
        assistant = make_assistant(
            client,
            model,
            tools=[FILE_SEARCH],
            tool_resources={"file_search": {"vector_stores": [{"file_ids": [facts]}]}},
        )
        assert assistant.tool_resources is not None
        assert assistant.tool_resources.file_search is not None
        [store_id] = assistant.tool_resources.file_search.vector_store_ids or []
        assert store_id.startswith("vs_")
        assert [f.id for f in client.vector_stores.files.list(store_id).data] == [facts]

        thread = make_thread(client, QUESTION)
        run = completed_run(client, thread.id, assistant.id)
        assert result_files(the_search(client, run)) == [facts]
        assert_cites(newest_message(client, thread.id), MARKER, facts)

    def test_inline_vector_store_on_the_thread(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        facts = upload(client, "facts.txt", FACTS)
        script_search(fake_model, model)
        assistant = searching_assistant(client, model)
        thread = client.beta.threads.create(
            messages=[{"role": "user", "content": QUESTION}],
            tool_resources={"file_search": {"vector_stores": [{"file_ids": [facts]}]}},
        )
        assert thread.tool_resources is not None
        assert thread.tool_resources.file_search is not None
        [store_id] = thread.tool_resources.file_search.vector_store_ids or []
        assert store_id.startswith("vs_")

        run = completed_run(client, thread.id, assistant.id)
        assert result_files(the_search(client, run)) == [facts]
        assert_cites(newest_message(client, thread.id), MARKER, facts)

    def test_message_attachment_goes_into_the_thread_store(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        facts = upload(client, "facts.txt", FACTS)
        script_search(fake_model, model)
        assistant = searching_assistant(client, model)
        thread = client.beta.threads.create()
        assert not thread_store_ids(thread)

        message = client.beta.threads.messages.create(
            thread.id,
            role="user",
            content=QUESTION,
            attachments=[{"file_id": facts, "tools": [FILE_SEARCH]}],
        )
        assert message.attachments is not None
        assert [a.file_id for a in message.attachments] == [facts]

        [store_id] = thread_store_ids(client.beta.threads.retrieve(thread.id))
        assert [f.id for f in client.vector_stores.files.list(store_id).data] == [facts]
        run = completed_run(client, thread.id, assistant.id)
        assert result_files(the_search(client, run)) == [facts]
        assert_cites(newest_message(client, thread.id), MARKER, facts)

    def test_run_waits_for_files_still_being_ingested(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        facts = upload(client, "facts.txt", FACTS)
        script_search(fake_model, model)
        assistant = searching_assistant(client, model)
        # the file is attached and the run started at once, with no wait for ingestion
        run = client.beta.threads.create_and_run(
            assistant_id=assistant.id,
            thread={
                "messages": [
                    {
                        "role": "user",
                        "content": QUESTION,
                        "attachments": [{"file_id": facts, "tools": [FILE_SEARCH]}],
                    }
                ]
            },
        )
        run = wait_for_run(client, run.thread_id, run.id)
        assert run.status == "completed", run.last_error

        assert result_files(the_search(client, run)) == [facts]
        assert FACTS in search_output(fake_model, model)
        assert_cites(newest_message(client, run.thread_id), MARKER, facts)

    def test_answer_deep_in_a_long_file_is_found(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        # about 3,000 tokens of unrelated text first: the answer sits in a late chunk
        filler = "The quick brown fox jumps over the lazy dog near the old mill.\n" * 250
        long_file = upload(client, "facts.txt", filler + FACTS)
        store = ready_store(client, long_file)
        script_search(fake_model, model)
        assistant = searching_assistant(client, model, store)
        thread = make_thread(client, QUESTION)
        run = completed_run(client, thread.id, assistant.id)

        search = the_search(client, run, include=[CONTENT])
        results = search.file_search.results or []
        assert results[0].file_id == long_file
        first = " ".join(part.text or "" for part in results[0].content or [])
        assert "Oswin Farrow" in first
        assert "Oswin Farrow" in search_output(fake_model, model).split("【0:1†")[0]
        assert_cites(newest_message(client, thread.id), MARKER, long_file)


class TestWithFunctionCalls:
    def test_search_and_function_in_one_turn(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        library = make_library(client)
        fake_model.script(
            model,
            Reply(
                tool_calls=[
                    Call("file_search", json.dumps({"query": QUERY})),
                    Call("get_weather", json.dumps({"city": "Oslo"})),
                ]
            ),
            Reply(text=f"Oswin Farrow {MARKER}; sunny in Oslo."),
        )
        assistant = make_assistant(
            client,
            model,
            tools=[FILE_SEARCH, WEATHER_TOOL],
            tool_resources={"file_search": {"vector_store_ids": [library.store]}},
        )
        thread = make_thread(client, QUESTION + " And the weather in Oslo?")

        run = run_to_rest(client, thread.id, assistant.id)
        assert run.status == "requires_action", run.last_error
        assert run.required_action is not None
        [pending] = run.required_action.submit_tool_outputs.tool_calls
        assert pending.function.name == "get_weather"
        assert json.loads(pending.function.arguments) == {"city": "Oslo"}

        # one step for the model's turn, as OpenAI's were: the search is done (its results are
        # there) and the step waits for the function's output
        steps = steps_of(client, run)
        [tool_step] = [s for s in steps if s.step_details.type == "tool_calls"]
        assert tool_step.status == "in_progress"
        assert tool_step.step_details.type == "tool_calls"
        calls = tool_step.step_details.tool_calls
        assert [c.type for c in calls] == ["file_search", "function"]
        search = calls[0]
        assert search.type == "file_search"
        assert result_files(search)[0] == library.facts
        assert len(fake_model.chat_requests(model)) == 1

        run = client.beta.threads.runs.submit_tool_outputs(
            run.id,
            thread_id=thread.id,
            tool_outputs=[{"tool_call_id": pending.id, "output": "Sunny, 21 C"}],
        )
        run = wait_for_run(client, thread.id, run.id)
        assert run.status == "completed", run.last_error

        _, second = fake_model.chat_requests(model)
        names = {
            call["id"]: call["function"]["name"]
            for message in second["messages"]
            if message["role"] == "assistant"
            for call in message.get("tool_calls") or []
        }
        assert sorted(names.values()) == ["file_search", "get_weather"]
        outputs = {m["tool_call_id"]: content_text(m["content"]) for m in tool_messages(second)}
        assert set(outputs) == set(names)
        by_name = {names[call_id]: output for call_id, output in outputs.items()}
        assert by_name["get_weather"] == "Sunny, 21 C"
        assert MARKER in by_name["file_search"]
        assert FACTS in by_name["file_search"]

        assert all(step.status == "completed" for step in steps_of(client, run))
        assert_cites(newest_message(client, thread.id), MARKER, library.facts)

        # the model's turn is replayed as it was written: one assistant message carrying both
        # calls, then one tool message per call
        roles = [m["role"] for m in second["messages"]]
        assert roles[-3:] == ["assistant", "tool", "tool"], roles
        assert len(second["messages"][-3]["tool_calls"]) == 2
