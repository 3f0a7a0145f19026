"""Every list route honours its cursors: walked one item at a time, forward (`after`, as the
SDKs' auto-pagination does) and backward (`before`), in both orders, it gives the whole list,
each item once, and `has_more` is right on every page. v2 routes through openai 3.x, the v1
routes (assistant files, message files) and the ones v1 shares through openai 1.20."""

from __future__ import annotations

import inspect
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import openai
import pytest

from tests.contract import list_walk
from tests.contract.conversation import WEATHER_TOOL
from tests.contract.list_walk import walk
from tests.contract.test_v1_clients import run_v1
from tests.fake_model_server import Call, FakeModelServer, Reply
from tests.servers import new_api_key
from tests.spec_check import checked_openai


@dataclass
class World:
    """Three or more of every listed kind, made by one tenant."""

    api_key: str
    assistant_id: str
    thread_id: str
    message_id: str  # a message with three files
    run_id: str  # a run with three steps
    store_id: str  # a store with three files, added as one batch
    batch_id: str


@pytest.fixture(scope="module")
def world(base_url: str, fake_model: FakeModelServer) -> World:
    api_key, model = new_api_key(), "fake-lists-" + new_api_key()[-8:]
    with checked_openai(base_url=base_url, api_key=api_key, max_retries=0) as client:
        files = [
            client.files.create(file=(f"f{n}.txt", b"words %d" % n), purpose="assistants").id
            for n in range(3)
        ]
        resources = {"code_interpreter": {"file_ids": files}}
        assistants = [
            client.beta.assistants.create(
                model=model, tools=[WEATHER_TOOL], tool_resources=resources
            )
            for _ in range(3)
        ]
        attachments = [{"file_id": f, "tools": [{"type": "code_interpreter"}]} for f in files]
        thread = client.beta.threads.create()
        message = client.beta.threads.messages.create(
            thread.id, role="user", content="with files", attachments=attachments
        )
        for text in ("two", "three"):
            client.beta.threads.messages.create(thread.id, role="user", content=text)
        call = Call("get_weather", '{"city": "Oslo"}')
        fake_model.script(model, Reply(tool_calls=[call]), Reply(tool_calls=[call]), Reply("ok"))
        runs = [
            client.beta.threads.runs.create_and_poll(
                thread_id=thread.id, assistant_id=assistants[0].id
            )
        ]
        while runs[0].status == "requires_action":
            assert runs[0].required_action is not None
            outputs = [
                {"tool_call_id": c.id, "output": "sunny"}
                for c in runs[0].required_action.submit_tool_outputs.tool_calls
            ]
            runs[0] = client.beta.threads.runs.submit_tool_outputs_and_poll(
                run_id=runs[0].id, thread_id=thread.id, tool_outputs=outputs
            )
        for _ in range(2):
            runs.append(
                client.beta.threads.runs.create_and_poll(
                    thread_id=thread.id, assistant_id=assistants[0].id
                )
            )
        assert [run.status for run in runs] == ["completed"] * 3
        stores = [client.vector_stores.create(name=f"s{n}") for n in range(3)]
        batch = client.vector_stores.file_batches.create_and_poll(stores[0].id, file_ids=files)
    return World(
        api_key, assistants[0].id, thread.id, message.id, runs[0].id, stores[0].id, batch.id
    )


def v2_lists(client: openai.OpenAI, world: World) -> dict[str, Callable[..., Any]]:
    threads, stores = client.beta.threads, client.vector_stores
    w = world
    return {
        "assistants": client.beta.assistants.list,
        "messages": lambda **p: threads.messages.list(w.thread_id, **p),
        "runs": lambda **p: threads.runs.list(w.thread_id, **p),
        "steps": lambda **p: threads.runs.steps.list(w.run_id, thread_id=w.thread_id, **p),
        # the spec's listFiles has no `before`; the server honours it as other lists do
        "files": lambda before=None, **p: client.files.list(
            **p, extra_query={"before": before} if before else None
        ),
        "vector stores": stores.list,
        "vector store files": lambda **p: stores.files.list(w.store_id, **p),
        "batch files": lambda **p: stores.file_batches.list_files(
            w.batch_id, vector_store_id=w.store_id, **p
        ),
    }


@pytest.mark.parametrize(
    "name",
    [
        "assistants",
        "messages",
        "runs",
        "steps",
        "files",
        "vector stores",
        "vector store files",
        "batch files",
    ],
)
def test_v2_list_walks_whole(base_url: str, world: World, name: str) -> None:
    with checked_openai(base_url=base_url, api_key=world.api_key, max_retries=0) as client:
        assert walk(v2_lists(client, world)[name]) == []


def test_v1_lists_walk_whole(base_url: str, world: World) -> None:
    """openai 1.20's auto-pagination of a message's files looped forever on a route that
    ignored `after`; every list that SDK has is walked the same way."""
    script = inspect.getsource(list_walk) + textwrap.dedent(
        """
        beta, w = client.beta, given
        lists = {
            "assistants": beta.assistants.list,
            "assistant files": lambda **p: beta.assistants.files.list(w["assistant"], **p),
            "messages": lambda **p: beta.threads.messages.list(w["thread"], **p),
            "message files": lambda **p: beta.threads.messages.files.list(
                w["message"], thread_id=w["thread"], **p
            ),
            "runs": lambda **p: beta.threads.runs.list(w["thread"], **p),
            "steps": lambda **p: beta.threads.runs.steps.list(
                w["run"], thread_id=w["thread"], **p
            ),
        }
        out = {name: walk(list_page) for name, list_page in lists.items()}
        """
    )
    given = {
        "assistant": world.assistant_id,
        "thread": world.thread_id,
        "message": world.message_id,
        "run": world.run_id,
    }
    out = run_v1(base_url, world.api_key, script, **given)
    assert out == {
        name: []
        for name in ("assistants", "assistant files", "messages", "message files", "runs", "steps")
    }
