"""code_interpreter through the official SDK against a real server and the real sandbox:
code runs and its logs come back, state persists across calls and runs of a thread, errors
are outputs, files go in and come out, images are outputs and `image_file` parts, links get
`file_path` annotations, the input and outputs stream, v1 shows the same, a cancel stops the
code."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import openai
import pytest
from openai import AssistantEventHandler
from openai.types.beta.threads import Run
from openai.types.beta.threads.runs import RunStep

from tests.conftest import separate_server
from tests.contract.conversation import make_assistant, make_thread, text_of, wait_for_run
from tests.fake_model_server import Call, FakeModelServer, Reply
from tests.servers import ROOT
from tests.spec_check import checked_openai

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


PLOT = """
import matplotlib.pyplot as plt
import pandas as pd
frame = pd.read_csv("/mnt/data/data.csv")
frame.plot(x="a", y="b")
frame.dropna().to_csv("/mnt/data/clean.csv", index=False)
print(len(frame), len(frame.dropna()))
"""
CSV = b"a,b\n1,2\n2,4\n3,\n4,8\n"


class TestFiles:
    def test_a_csv_in_a_chart_and_a_file_out(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        """The issue's example: plot column b against a and give back the cleaned CSV."""
        csv = client.files.create(file=("data.csv", CSV), purpose="assistants")
        fake_model.script(
            model,
            code_call(PLOT),
            Reply("Here it is: [clean.csv](sandbox:/mnt/data/clean.csv)."),
        )
        resources = {"code_interpreter": {"file_ids": [csv.id]}}
        assistant = make_assistant(client, model, tools=[CODE], tool_resources=resources)
        thread = make_thread(client, "plot column b against a and give me the cleaned CSV")
        run = finished(client, thread.id, assistant.id)

        description = fake_model.chat_requests(model)[0]["tools"][0]["function"]["description"]
        assert "/mnt/data/data.csv" in description
        [call] = code_steps(client, run)
        assert logs_of(call) == "4 3\n"
        [image] = [o for o in call["code_interpreter"]["outputs"] if o["type"] == "image"]
        png = client.files.content(image["image"]["file_id"]).read()
        assert png.startswith(b"\x89PNG")
        assert client.files.retrieve(image["image"]["file_id"]).purpose == "assistants_output"

        reply = client.beta.threads.messages.list(thread.id, limit=1).data[0]
        text, *rest = reply.content
        assert text.type == "text"
        assert text.text.value == "Here it is: [clean.csv](sandbox:/mnt/data/clean.csv)."
        [link] = text.text.annotations
        assert link.type == "file_path"
        assert link.text == "sandbox:/mnt/data/clean.csv"
        assert text.text.value[link.start_index : link.end_index] == link.text
        cleaned = client.files.retrieve(link.file_path.file_id)
        assert cleaned.filename == "clean.csv"
        assert cleaned.purpose == "assistants_output"
        assert client.files.content(cleaned.id).read() == b"a,b\n1,2.0\n2,4.0\n4,8.0\n"
        assert [part.model_dump() for part in rest] == [
            {
                "type": "image_file",
                "image_file": {"file_id": image["image"]["file_id"], "detail": None},
            }
        ]

    def test_files_from_the_thread_and_attachments(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        on_thread = client.files.create(
            file=("thread.txt", b"from the thread"), purpose="assistants"
        )
        attached = client.files.create(file=("note.txt", b"attached"), purpose="assistants")
        fake_model.script(
            model,
            code_call("print(open('thread.txt').read(), open('/mnt/data/note.txt').read())"),
            Reply("read"),
        )
        assistant = make_assistant(client, model, tools=[CODE])
        thread = client.beta.threads.create(
            messages=[
                {
                    "role": "user",
                    "content": "read both",
                    "attachments": [{"file_id": attached.id, "tools": [CODE]}],
                }
            ],
            tool_resources={"code_interpreter": {"file_ids": [on_thread.id]}},
        )
        run = finished(client, thread.id, assistant.id)
        [call] = code_steps(client, run)
        assert logs_of(call) == "from the thread attached\n"


class Recorder(AssistantEventHandler):
    def __init__(self) -> None:
        super().__init__()
        self.inputs: list[str] = []
        self.logs: list[str] = []
        self.names: list[str] = []

    def on_event(self, event: Any) -> None:
        self.names.append(event.event)

    def on_tool_call_delta(self, delta: Any, snapshot: Any) -> None:
        if delta.type == "code_interpreter" and delta.code_interpreter is not None:
            if delta.code_interpreter.input:
                self.inputs.append(delta.code_interpreter.input)
            for output in delta.code_interpreter.outputs or []:
                if output.type == "logs":
                    self.logs.append(output.logs)


class TestStreaming:
    def test_the_code_as_it_is_typed_then_its_logs(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        code = 'for n in range(3):\n    print("line", n)'
        fake_model.script(model, code_call(code), Reply("done"))
        assistant = make_assistant(client, model, tools=[CODE])
        thread = make_thread(client, "loop")
        with client.with_options(timeout=STREAM_TIMEOUT).beta.threads.runs.stream(
            thread_id=thread.id, assistant_id=assistant.id, event_handler=Recorder()
        ) as stream:
            stream.until_done()
        assert len(stream.inputs) >= 2  # the arguments arrive in two parts
        assert "".join(stream.inputs) == code
        assert stream.logs == ["line 0\nline 1\nline 2\n"]
        assert stream.get_final_run().status == "completed"


class TestV1:
    def test_the_same_step_in_v1_shape(
        self, client: openai.OpenAI, http: httpx.Client, fake_model: FakeModelServer, model: str
    ) -> None:
        fake_model.script(model, code_call("print(6 * 7)"), Reply("42"))
        assistant = make_assistant(client, model, tools=[CODE])
        thread = make_thread(client, "multiply")
        run = finished(client, thread.id, assistant.id)
        steps = http.get(
            f"threads/{thread.id}/runs/{run.id}/steps",
            params={"order": "asc"},
            headers={"OpenAI-Beta": "assistants=v1"},
        ).json()["data"]
        [call] = [
            c for s in steps if s["type"] == "tool_calls" for c in s["step_details"]["tool_calls"]
        ]
        assert call == {
            "id": call["id"],
            "type": "code_interpreter",
            "code_interpreter": {
                "input": "print(6 * 7)",
                "outputs": [{"type": "logs", "logs": "42\n"}],
            },
        }


class TestCancel:
    def test_a_cancel_stops_the_code_at_once(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        fake_model.script(model, code_call("import time\nwhile True: time.sleep(0.01)"))
        assistant = make_assistant(client, model, tools=[CODE])
        thread = make_thread(client, "spin")
        run = client.beta.threads.runs.create(thread.id, assistant_id=assistant.id)
        deadline = time.monotonic() + 15
        while not any(
            s.type == "tool_calls"
            for s in client.beta.threads.runs.steps.list(run.id, thread_id=thread.id).data
        ):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        time.sleep(0.3)  # the code is running
        asked = time.monotonic()
        client.beta.threads.runs.cancel(run.id, thread_id=thread.id)
        done = wait_for_run(client, thread.id, run.id)
        assert done.status == "cancelled"
        assert time.monotonic() - asked < 5  # not the 60 s the code would be allowed
        # the thread's session still works for the next run
        fake_model.script(model, code_call("print('again')"), Reply("ok"))
        client.beta.threads.messages.create(thread.id, role="user", content="again")
        again = finished(client, thread.id, assistant.id)
        assert logs_of(code_steps(client, again)[0]) == "again\n"


def probe(
    client: openai.OpenAI, fake_model: FakeModelServer, model: str, code: str, thread_id: str = ""
) -> str:
    """Run `code` through the API on a thread (a new one unless given); its logs."""
    fake_model.script(model, code_call(code), Reply("ok"))
    assistant = make_assistant(client, model, tools=[CODE])
    thread_id = thread_id or make_thread(client, "probe").id
    run = finished(client, thread_id, assistant.id)
    return logs_of(code_steps(client, run)[-1])


class TestContainment:
    """Code tries to reach what it must not; each probe prints what it managed."""

    def test_no_network_not_even_loopback(
        self,
        client: openai.OpenAI,
        fake_model: FakeModelServer,
        model: str,
        base_url: str,
    ) -> None:
        targets = [httpx.URL(base_url), httpx.URL(fake_model.base_url)]
        code = "import socket\n" + "".join(
            f"""
try:
    socket.create_connection(({url.host!r}, {url.port}), timeout=2).close()
    print("reached {url.port}")
except OSError as exc:
    print("blocked", type(exc).__name__)
"""
            for url in targets
        )
        logs = probe(client, fake_model, model, code)
        assert "reached" not in logs
        assert logs.count("blocked") == 2

    def test_no_server_environment(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        code = """
import os, json
print(json.dumps(sorted(k for k in os.environ if "ASSISTANTS" in k or "KEY" in k)))
seen = False
for pid in os.listdir("/proc"):
    try:
        seen |= "ASSISTANTS" in open(f"/proc/{pid}/environ", errors="replace").read()
    except OSError:
        pass
print(seen)
"""
        assert probe(client, fake_model, model, code).split() == ["[]", "False"]

    def test_no_view_of_the_servers_files(
        self,
        client: openai.OpenAI,
        fake_model: FakeModelServer,
        model: str,
        server_env: dict[str, str],
    ) -> None:
        storage = server_env["ASSISTANTS_STORAGE_URL"]
        database = server_env["ASSISTANTS_DATABASE_URL"].removeprefix("sqlite:///")
        checkout = str(ROOT / "pyproject.toml")  # the host's files beyond Python's own
        code = "import os\n" + "".join(
            f"print(os.path.exists({path!r}))\n" for path in (storage, database, checkout, "/home")
        )
        assert probe(client, fake_model, model, code).split() == ["False"] * 4

    def test_the_root_is_read_only_and_sessions_apart(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        write = """
for path in ("/usr/x", "/etc/x", "/x"):
    try:
        open(path, "w").write("x")
        print("wrote", path)
    except OSError:
        print("refused")
_ = open("/mnt/data/mine.txt", "w").write("secret")
"""
        assert probe(client, fake_model, model, write).split() == ["refused"] * 3
        look = "import os\nprint(sorted(os.listdir('/mnt/data')))"
        assert probe(client, fake_model, model, look).strip() == "[]"

    @pytest.mark.parametrize(
        "bomb",
        [
            "import os\nwhile True:\n    os.fork()",
            "x = bytearray(10**11)",
            "chunks = []\nwhile True:\n    chunks.append(bytearray(10**8))",
            "while True:\n    pass",
        ],
        ids=["fork-bomb", "huge-allocation", "growing-memory", "infinite-loop"],
    )
    def test_bombs_are_stopped_and_the_server_keeps_answering(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str, bomb: str
    ) -> None:
        fake_model.script(model, code_call(bomb), code_call("print('alive')"), Reply("ok"))
        assistant = make_assistant(client, model, tools=[CODE])
        thread = make_thread(client, "bomb")
        run = client.beta.threads.runs.create(thread.id, assistant_id=assistant.id)
        slowest = 0.0
        while True:
            started = time.monotonic()
            current = client.beta.threads.runs.retrieve(run.id, thread_id=thread.id)
            slowest = max(slowest, time.monotonic() - started)
            if current.status not in ("queued", "in_progress"):
                break
            time.sleep(0.1)
        assert current.status == "completed", current.last_error
        assert slowest < 1.0  # the server answered throughout
        stopped, alive = code_steps(client, current)
        assert logs_of(stopped)  # says why it stopped
        assert logs_of(alive) == "alive\n"  # and the session works again


@pytest.fixture(scope="module")
def no_sandbox_url(
    server_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A server like `base_url`'s whose code never runs."""
    tmp = tmp_path_factory.mktemp("no-sandbox")
    with separate_server(server_env, tmp, "nosandbox", ASSISTANTS_CODE_SANDBOX="none") as url:
        yield url


def test_without_a_sandbox_each_call_says_why(
    no_sandbox_url: str, api_key: str, fake_model: FakeModelServer, model: str
) -> None:
    """Code never runs unsandboxed: the model (and the user, in the step) read why."""
    with checked_openai(base_url=no_sandbox_url, api_key=api_key, max_retries=0) as client:
        logs = probe(client, fake_model, model, "print('ran')")
    assert "ran" not in logs
    assert "code_interpreter is unavailable on this server" in logs
    assert tool_outputs(fake_model, model) == [logs]


def test_tool_choice_forces_the_call_once(
    client: openai.OpenAI, fake_model: FakeModelServer, model: str
) -> None:
    fake_model.script(model, code_call("print(1)"), Reply("done"))
    assistant = make_assistant(client, model, tools=[CODE])
    thread = make_thread(client, "anything")
    finished(client, thread.id, assistant.id, tool_choice=CODE)
    first, second = fake_model.chat_requests(model)
    assert first["tool_choice"] == {"type": "function", "function": {"name": "code_interpreter"}}
    assert second["tool_choice"] == "auto"  # forcing it again would call it forever
