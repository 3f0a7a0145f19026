"""Retrieval for v1 clients: the real `openai==1.20.0` SDK (`OpenAI-Beta: assistants=v1`) with
the `retrieval` tool over an assistant's or a message's `file_ids`; the model searches through
`file_search`, and the v1 client sees a `retrieval` step and citations with a quote."""

from __future__ import annotations

import json
from typing import Any

import pytest
from dirty_equals import IsStr

from assistants_server.llm.fake import content_text
from tests.contract.knowledge import ANSWER, FACTS, MARKER, OTHER, QUERY, QUESTION
from tests.contract.test_v1_clients import run_v1
from tests.fake_model_server import Call, FakeModelServer, Reply
from tests.servers import v1_sdk_python

# Runs the run, then reports the run, its steps and the newest message as the server sent them
# (and the classes the old SDK parsed them into).
RUN_AND_REPORT = """
import time


def report(thread_id, assistant_id):
    run = client.beta.threads.runs.create(thread_id=thread_id, assistant_id=assistant_id)
    deadline = time.time() + 20
    while run.status in ("queued", "in_progress") and time.time() < deadline:
        time.sleep(0.05)
        run = client.beta.threads.runs.retrieve(thread_id=thread_id, run_id=run.id)
    out["status"] = run.status
    out["last_error"] = run.last_error and run.last_error.model_dump()
    out["steps"] = raw_json(
        client.beta.threads.runs.steps.with_raw_response.list(
            thread_id=thread_id, run_id=run.id, order="asc"
        )
    )["data"]
    steps = client.beta.threads.runs.steps.list(thread_id=thread_id, run_id=run.id, order="asc")
    out["call_classes"] = [
        type(call).__name__
        for step in steps.data
        if step.step_details.type == "tool_calls"
        for call in step.step_details.tool_calls
    ]
    out["message"] = raw_json(
        client.beta.threads.messages.with_raw_response.list(thread_id=thread_id, limit=1)
    )["data"][0]
    parsed = client.beta.threads.messages.list(thread_id=thread_id, limit=1).data[0]
    out["annotation_classes"] = [
        type(annotation).__name__ for annotation in parsed.content[0].text.annotations
    ]
"""


@pytest.fixture(scope="module", autouse=True)
def _v1_sdk() -> None:
    v1_sdk_python()  # made once, before the first test's clock starts


def script_search(fake_model: FakeModelServer, model: str) -> None:
    fake_model.script(
        model,
        Reply(tool_calls=[Call("file_search", json.dumps({"query": QUERY}))]),
        Reply(text=ANSWER),
    )


def check_retrieval_run(out: dict[str, Any], facts: str) -> None:
    """A completed run with one retrieval call, and an answer citing `facts` with a quote."""
    assert out["status"] == "completed", out["last_error"]
    assert [step["type"] for step in out["steps"]] == ["tool_calls", "message_creation"]
    assert all(step["status"] == "completed" for step in out["steps"])
    [call] = out["steps"][0]["step_details"]["tool_calls"]
    assert call == {"id": IsStr(min_length=1), "type": "retrieval", "retrieval": {}}
    assert out["call_classes"] == ["RetrievalToolCall"]

    message = out["message"]
    assert "attachments" not in message
    [part] = message["content"]
    value = part["text"]["value"]
    assert value == ANSWER
    [annotation] = part["text"]["annotations"]
    assert annotation["type"] == "file_citation"
    assert annotation["text"] == MARKER
    assert value[annotation["start_index"] : annotation["end_index"]] == MARKER
    citation = annotation["file_citation"]
    assert set(citation) == {"file_id", "quote"}
    assert citation["file_id"] == facts
    quote = citation["quote"]
    assert isinstance(quote, str)
    assert quote.strip(), citation
    assert quote.strip() in FACTS
    assert out["annotation_classes"] == ["FileCitationAnnotation"]


def check_model_saw(fake_model: FakeModelServer, model: str) -> None:
    first, second = fake_model.chat_requests(model)
    names = [tool["function"]["name"] for tool in first.get("tools") or []]
    assert names == ["file_search"]
    [output] = [m for m in second["messages"] if m["role"] == "tool"]
    text = content_text(output["content"])
    assert MARKER in text
    assert FACTS in text


def test_assistant_file_ids_are_retrieved_and_cited(
    base_url: str, api_key: str, model: str, fake_model: FakeModelServer
) -> None:
    script_search(fake_model, model)
    out = run_v1(
        base_url,
        api_key,
        RUN_AND_REPORT
        + """
facts = upload("facts.txt", given["facts"].encode())
other = upload("other.txt", given["other"].encode())
assistant = client.beta.assistants.create(
    model=given["model"],
    instructions="Answer from the files.",
    tools=[{"type": "retrieval"}],
    file_ids=[facts, other],
)
thread = client.beta.threads.create(messages=[{"role": "user", "content": given["question"]}])
out["facts"] = facts
report(thread.id, assistant.id)
""",
        model=model,
        facts=FACTS,
        other=OTHER,
        question=QUESTION,
    )
    check_retrieval_run(out, out["facts"])
    check_model_saw(fake_model, model)


def test_message_file_ids_are_retrieved_and_cited(
    base_url: str, api_key: str, model: str, fake_model: FakeModelServer
) -> None:
    script_search(fake_model, model)
    out = run_v1(
        base_url,
        api_key,
        RUN_AND_REPORT
        + """
facts = upload("facts.txt", given["facts"].encode())
assistant = client.beta.assistants.create(
    model=given["model"], instructions="Answer from the files.", tools=[{"type": "retrieval"}]
)
thread = client.beta.threads.create(
    messages=[{"role": "user", "content": given["question"], "file_ids": [facts]}]
)
out["facts"] = facts
report(thread.id, assistant.id)
""",
        model=model,
        facts=FACTS,
        question=QUESTION,
    )
    check_retrieval_run(out, out["facts"])
    check_model_saw(fake_model, model)
