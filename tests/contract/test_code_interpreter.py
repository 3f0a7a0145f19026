"""code_interpreter through the official SDK against a real server and the real sandbox:
code runs and its logs come back, state persists across calls and runs of a thread, errors
are outputs, files go in and come out, images are outputs and `image_file` parts, links get
`file_path` annotations, the input and outputs stream, v1 shows the same, a cancel stops the
code."""

from __future__ import annotations

import io
import json
import time
from typing import Any

import httpx
import openai
import pytest
from openai import AssistantEventHandler
from openai.types.beta.threads import Run
from openai.types.beta.threads.runs import RunStep

from tests.contract.conversation import make_assistant, make_thread, text_of, wait_for_run
from tests.fake_model_server import Call, FakeModelServer, Reply

CODE = {"type": "code_interpreter"}
STREAM_TIMEOUT = 60.0


def code_call(code: str) -> Reply:
    return Reply(tool_calls=[Call("code_interpreter", json.dumps({"code": code}))])


def finished(client: openai.OpenAI, thread_id: str, assistant_id: str, **params: Any) -> Run:
    run = client.beta.threads.runs.create(thread_id, assistant_id=assistant_id, **params)
    done = wait_for_run(client, thread_id, run.id)
    assert done.status == "completed", (done.status, done.last_error)
    return done


def code_steps(client: openai.OpenAI, run: Run) -> list[dict[str, Any]]:
    """The run's code_interpreter calls, in order, as clients see them."""
    steps: list[RunStep] = client.beta.threads.runs.steps.list(
        run.id, thread_id=run.thread_id, order="asc"
    ).data
    return [
        call.model_dump(exclude_none=True)
        for step in steps
        if step.step_details.type == "tool_calls"
        for call in step.step_details.tool_calls
        if call.type == "code_interpreter"
    ]


def logs_of(call: dict[str, Any]) -> str:
    return "".join(o["logs"] for o in call["code_interpreter"]["outputs"] if o["type"] == "logs")


def tool_outputs(fake_model: FakeModelServer, model: str) -> list[str]:
    """What the model was sent as the outputs of its code_interpreter calls, in order."""
    last = fake_model.chat_requests(model)[-1]
    return [m["content"] for m in last["messages"] if m["role"] == "tool"]


class TestRunningCode:
    def test_logs_come_back_and_the_model_reads_them(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        fake_model.script(model, code_call("x = 21\nprint(x * 2)"), Reply("It is 42."))
        assistant = make_assistant(client, model, tools=[CODE])
        thread = make_thread(client, "What is 21 * 2?")
        run = finished(client, thread.id, assistant.id)

        [call] = code_steps(client, run)
        assert call["code_interpreter"]["input"] == "x = 21\nprint(x * 2)"
        assert logs_of(call) == "42\n"
        assert tool_outputs(fake_model, model) == ["42\n"]
        offered = fake_model.chat_requests(model)[0]["tools"]
        assert [tool["function"]["name"] for tool in offered] == ["code_interpreter"]
        reply = client.beta.threads.messages.list(thread.id, limit=1).data[0]
        assert text_of(reply) == "It is 42."

    def test_state_persists_across_calls_and_runs_of_a_thread(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        fake_model.script(
            model,
            code_call("import math\ntotal = 40"),
            code_call("total += 1\nprint(total)"),
            Reply("41"),
            code_call("print(total + 1, math.floor(2.5))"),
            Reply("42"),
        )
        assistant = make_assistant(client, model, tools=[CODE])
        thread = make_thread(client, "count")
        first = finished(client, thread.id, assistant.id)
        assert [logs_of(c) for c in code_steps(client, first)] == ["", "41\n"]
        client.beta.threads.messages.create(thread.id, role="user", content="again")
        second = finished(client, thread.id, assistant.id)
        assert [logs_of(c) for c in code_steps(client, second)] == ["42 2\n"]

    def test_an_error_is_the_output_not_a_failed_run(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        fake_model.script(model, code_call("1 / 0"), code_call("print('fixed')"), Reply("ok"))
        assistant = make_assistant(client, model, tools=[CODE])
        thread = make_thread(client, "divide")
        run = finished(client, thread.id, assistant.id)
        failed, fixed = code_steps(client, run)
        assert "ZeroDivisionError" in logs_of(failed)
        assert logs_of(fixed) == "fixed\n"
