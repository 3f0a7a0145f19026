"""Runs over their whole life, on servers of their own with special settings: waiting for tool
outputs too long, the server dying mid-run, separate worker processes, the concurrency limit."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import openai
import pytest
from openai.types.beta import FunctionToolParam
from openai.types.beta.threads import Run

from tests.fake_model_server import Call, FakeModelServer, Reply
from tests.servers import (
    API_KEYS_SETTING,
    SERVER_BIN,
    create_database,
    process_env,
    server_process,
)
from tests.spec_check import checked_openai

ACTIVE = ("queued", "in_progress", "requires_action", "cancelling")
LOOKUP_TOOL: FunctionToolParam = {
    "type": "function",
    "function": {
        "name": "lookup",
        "description": "Look something up.",
        "parameters": {"type": "object", "properties": {"q": {"type": "string"}}},
    },
}


def env_for(
    tmp: Path, fake: FakeModelServer, database_url: str | None = None, **settings: str
) -> dict[str, str]:
    """A server environment like conftest's `server_env`, on its own database."""
    return {
        "ASSISTANTS_DATABASE_URL": database_url or f"sqlite:///{tmp / 'assistants.db'}",
        "ASSISTANTS_STORAGE_URL": str(tmp / "files"),
        "ASSISTANTS_API_KEYS": API_KEYS_SETTING,
        "ASSISTANTS_LLM_BASE_URL": fake.base_url,
        "ASSISTANTS_LLM_API_KEY": "",
        "ASSISTANTS_CONFIG": "",
        **settings,
    }


@contextmanager
def sdk(url: str, api_key: str) -> Iterator[openai.OpenAI]:
    with checked_openai(base_url=url, api_key=api_key, max_retries=0) as client:
        yield client


def wait_for_run(
    client: openai.OpenAI,
    thread_id: str,
    run_id: str,
    done: Callable[[Run], bool] = lambda run: run.status not in ACTIVE,
    timeout: float = 15,
) -> Run:
    """Poll the run until `done` holds (by default: a final status); fail after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        run = client.beta.threads.runs.retrieve(run_id, thread_id=thread_id)
        if done(run):
            return run
        if time.monotonic() > deadline:
            pytest.fail(f"run {run_id} still {run.status!r} after {timeout}s")
        time.sleep(0.05)


def snapshot(client: openai.OpenAI, runs: list[Run]) -> list[str]:
    return [client.beta.threads.runs.retrieve(r.id, thread_id=r.thread_id).status for r in runs]


def watch(
    client: openai.OpenAI, runs: list[Run], limit: int, timeout: float = 20
) -> tuple[int, list[str]]:
    """Poll `runs` until all have ended; assert at most `limit` were ever in progress at once.
    Returns the most seen in progress at once, and the final statuses.

    Two passes over the runs: a run seen in_progress in both was in progress the whole time
    between the end of the first pass and the start of the second (these runs never go back to
    in_progress), so those runs were in progress at the same moment."""
    peak = 0
    statuses = snapshot(client, runs)
    deadline = time.monotonic() + timeout
    while any(status in ACTIVE for status in statuses) and time.monotonic() < deadline:
        time.sleep(0.02)
        again = snapshot(client, runs)
        together = sum(a == b == "in_progress" for a, b in zip(statuses, again, strict=True))
        assert together <= limit, (statuses, again)
        peak = max(peak, together)
        statuses = again
    return peak, statuses


def assistant_messages(client: openai.OpenAI, thread_id: str) -> list[str]:
    listed = client.beta.threads.messages.list(thread_id, order="asc")
    return [
        "".join(part.text.value for part in message.content if part.type == "text")
        for message in listed.data
        if message.role == "assistant"
    ]


def polled_reply(
    client: openai.OpenAI, thread_id: str, done: Callable[[str], bool], timeout: float = 5
) -> str:
    """The thread's last assistant message, polled until `done` says its text is what the
    test waits for."""
    deadline = time.monotonic() + timeout
    while True:
        replies = assistant_messages(client, thread_id)
        if replies and done(replies[-1]):
            return replies[-1]
        assert time.monotonic() < deadline, f"the reply never got there: {replies}"
        time.sleep(0.02)


# --- tool outputs that never come --------------------------------------------------------------


@pytest.fixture(scope="module")
def expiry_url(
    fake_model: FakeModelServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("server-expiry")
    env = env_for(
        tmp, fake_model, ASSISTANTS_TOOL_OUTPUTS_TIMEOUT="1", ASSISTANTS_RUN_LEASE_SECONDS="1"
    )
    with server_process(env, tmp / "server.log") as server:
        yield server.url


def test_run_waiting_for_tool_outputs_expires(
    expiry_url: str, api_key: str, model: str, fake_model: FakeModelServer
) -> None:
    fake_model.script(model, Reply(tool_calls=[Call("lookup", '{"q": "tide tables"}')]))
    with sdk(expiry_url, api_key) as client:
        assistant = client.beta.assistants.create(model=model, tools=[LOOKUP_TOOL])
        thread = client.beta.threads.create(messages=[{"role": "user", "content": "Tides?"}])
        before = int(time.time())
        with client.beta.threads.runs.stream(
            thread_id=thread.id, assistant_id=assistant.id
        ) as stream:
            events = list(stream)
        after = int(time.time())
        assert events[-1].event == "thread.run.requires_action"
        run = waiting = events[-1].data
        assert waiting.status == "requires_action"
        assert waiting.required_action is not None
        (call,) = waiting.required_action.submit_tool_outputs.tool_calls
        assert waiting.expires_at is not None
        assert before + 1 <= waiting.expires_at <= after + 1

        expired = wait_for_run(client, thread.id, run.id, timeout=8)
        assert expired.status == "expired"
        assert expired.required_action is None
        assert expired.completed_at is None
        assert expired.failed_at is None

        steps = client.beta.threads.runs.steps.list(run.id, thread_id=thread.id).data
        (step,) = [step for step in steps if step.type == "tool_calls"]
        assert step.status == "expired"
        assert step.expired_at is not None
        assert step.expired_at >= waiting.expires_at

        with pytest.raises(openai.BadRequestError) as rejected:
            client.beta.threads.runs.submit_tool_outputs(
                run.id, thread_id=thread.id, tool_outputs=[{"tool_call_id": call.id, "output": "x"}]
            )
        assert rejected.value.body["message"] == (  # type: ignore[index]
            'Runs in status "expired" do not accept tool outputs.'
        )
        assert client.beta.threads.runs.retrieve(run.id, thread_id=thread.id).status == "expired"

        # the thread is free again
        client.beta.threads.messages.create(thread.id, role="user", content="Never mind.")
        again = client.beta.threads.runs.create(thread.id, assistant_id=assistant.id)
        assert wait_for_run(client, thread.id, again.id).status == "completed"
        assert assistant_messages(client, thread.id) == ["Echo: Never mind."]


# --- the server dies mid-run -------------------------------------------------------------------

SLOW_TEXT = " ".join(f"word{n}" for n in range(50))


def test_run_interrupted_by_a_crash_fails_and_frees_the_thread(
    tmp_path: Path, api_key: str, model: str, fake_model: FakeModelServer
) -> None:
    env = env_for(tmp_path, fake_model, ASSISTANTS_RUN_LEASE_SECONDS="2")
    fake_model.script(model, Reply(text=SLOW_TEXT, delay=0.2))
    with (
        server_process(env, tmp_path / "server-a.log") as server_a,
        sdk(server_a.url, api_key) as client,
    ):
        assistant = client.beta.assistants.create(model=model)
        thread = client.beta.threads.create(messages=[{"role": "user", "content": "Count."}])
        with client.beta.threads.runs.stream(
            thread_id=thread.id, assistant_id=assistant.id
        ) as stream:
            seen, streamed = [], ""
            for event in stream:
                seen.append(event.event)
                if event.event == "thread.message.delta":
                    streamed += "".join(
                        part.text.value or ""
                        for part in event.data.delta.content or []
                        if part.type == "text" and part.text is not None
                    )
                    if len(streamed.split()) >= 3:  # a few words in, far from the end
                        break
            assert "thread.run.in_progress" in seen
            assert stream.current_run is not None
            run_id = stream.current_run.id
            stored = client.beta.threads.runs.retrieve(run_id, thread_id=thread.id)
            assert stored.status == "in_progress"
            # the streamed text is written a moment later: a poller sees the reply grow
            written = polled_reply(client, thread.id, lambda text: text.startswith(streamed))
            os.kill(server_a.pid, signal.SIGKILL)

    with (
        server_process(env, tmp_path / "server-b.log") as server_b,
        sdk(server_b.url, api_key) as client,
    ):
        failed = wait_for_run(client, thread.id, run_id, timeout=10)
        assert failed.status == "failed"
        assert failed.last_error is not None
        assert failed.last_error.code == "server_error"
        assert "stopped" in failed.last_error.message
        assert failed.failed_at is not None
        assert failed.completed_at is None

        (partial,) = [
            message
            for message in client.beta.threads.messages.list(thread.id).data
            if message.role == "assistant"
        ]
        assert partial.run_id == run_id
        assert partial.status == "incomplete"
        assert partial.incomplete_details is not None
        assert partial.incomplete_details.reason == "run_failed"
        assert partial.incomplete_at is not None
        steps = client.beta.threads.runs.steps.list(run_id, thread_id=thread.id).data
        assert [step.status for step in steps] == ["failed"]

        client.beta.threads.messages.create(thread.id, role="user", content="Again, please.")
        again = client.beta.threads.runs.create(thread.id, assistant_id=assistant.id)
        assert wait_for_run(client, thread.id, again.id).status == "completed"
        assert assistant_messages(client, thread.id)[-1] == "Echo: Again, please."

        # the interrupted reply keeps what was written before the crash, and nothing after it
        partial = client.beta.threads.messages.retrieve(partial.id, thread_id=thread.id)
        assert partial.status == "incomplete"
        assert [part.type for part in partial.content] == ["text"]
        text = partial.content[0].text.value  # type: ignore[union-attr]
        assert text.startswith(written)
        assert SLOW_TEXT.startswith(text)
        assert len(text) < len(SLOW_TEXT)


def test_queued_run_is_executed_after_a_restart(
    tmp_path: Path, api_key: str, model: str, fake_model: FakeModelServer
) -> None:
    env = env_for(tmp_path, fake_model)
    api_only = ("--host", "127.0.0.1", "--no-worker")
    with (
        server_process(env, tmp_path / "api.log", serve_args=api_only) as server,
        sdk(server.url, api_key) as client,
    ):
        assistant = client.beta.assistants.create(model=model)
        thread = client.beta.threads.create(messages=[{"role": "user", "content": "Still there?"}])
        run = client.beta.threads.runs.create(thread.id, assistant_id=assistant.id)
        assert run.status == "queued"
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline:
            assert client.beta.threads.runs.retrieve(run.id, thread_id=thread.id).status == "queued"
            time.sleep(0.1)
    assert fake_model.chat_requests(model) == []

    with server_process(env, tmp_path / "full.log") as server, sdk(server.url, api_key) as client:
        done = wait_for_run(client, thread.id, run.id)
        assert done.status == "completed"
        assert done.started_at is not None
        assert done.started_at >= run.created_at
        assert assistant_messages(client, thread.id) == ["Echo: Still there?"]
    assert len(fake_model.chat_requests(model)) == 1


# --- separate worker processes on PostgreSQL ---------------------------------------------------


def postgres_database(postgres: str | None, name: str) -> str:
    if postgres is None:
        if os.environ.get("ASSISTANTS_TEST_REQUIRE_POSTGRES") == "1":
            pytest.fail("PostgreSQL is required (ASSISTANTS_TEST_REQUIRE_POSTGRES=1) but missing")
        pytest.skip("PostgreSQL binaries not found (install postgresql to run these)")
    return create_database(postgres, name)


def wait_for_log(path: Path, text: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while text not in path.read_text(errors="replace"):
        assert process.poll() is None, f"{path.name}: exited with {process.returncode}"
        assert time.monotonic() < deadline, f"{path.name}: no {text!r} within 60s"
        time.sleep(0.05)


def test_separate_workers_run_each_run_exactly_once(
    tmp_path: Path,
    postgres_server: str | None,
    api_key: str,
    model: str,
    fake_model: FakeModelServer,
) -> None:
    url = postgres_database(postgres_server, "lifecycle_workers")
    env = env_for(
        tmp_path,
        fake_model,
        url,
        ASSISTANTS_RUN_LEASE_SECONDS="3",
        ASSISTANTS_MAX_CONCURRENT_RUNS="3",
    )
    api_only = ("--host", "127.0.0.1", "--no-worker")
    with server_process(env, tmp_path / "api.log", serve_args=api_only) as server:
        workers: list[subprocess.Popen[bytes]] = []
        try:
            for number in range(2):
                with (tmp_path / f"worker-{number}.log").open("wb") as log:
                    workers.append(
                        subprocess.Popen(
                            [str(SERVER_BIN), "worker"],
                            env=process_env(env),
                            stdout=log,
                            stderr=subprocess.STDOUT,
                        )
                    )
            for number in range(2):  # both ready before any run is queued
                wait_for_log(tmp_path / f"worker-{number}.log", "worker started", workers[number])
            # a model per thread, so each reply can only have come from its own run
            models = [f"{model}-{number}" for number in range(6)]
            for number, name in enumerate(models):
                fake_model.script(name, Reply(text=f"Reply to question {number}.", delay=0.25))
            with sdk(server.url, api_key) as client:
                assistant = client.beta.assistants.create(model=model)
                runs = []
                for number, name in enumerate(models):
                    thread = client.beta.threads.create(
                        messages=[{"role": "user", "content": f"question {number}"}]
                    )
                    runs.append(
                        client.beta.threads.runs.create(
                            thread.id, assistant_id=assistant.id, model=name
                        )
                    )
                peak, statuses = watch(client, runs, limit=6, timeout=30)
                assert statuses == ["completed"] * 6
                # each worker drives at most 3 runs at once: more means both were at work
                assert peak > 3
                for number, run in enumerate(runs):
                    replies = assistant_messages(client, run.thread_id)
                    assert replies == [f"Reply to question {number}."]
                    steps = client.beta.threads.runs.steps.list(run.id, thread_id=run.thread_id)
                    assert [step.type for step in steps.data] == ["message_creation"]
            for number, name in enumerate(models):
                (request,) = fake_model.chat_requests(name)
                assert request["messages"][-1] == {"role": "user", "content": f"question {number}"}
            assert all(worker.poll() is None for worker in workers)
        finally:
            for worker in workers:
                worker.terminate()
            codes = []
            for worker in workers:
                try:
                    codes.append(worker.wait(timeout=15))
                except subprocess.TimeoutExpired:
                    worker.kill()
                    codes.append(worker.wait())
        assert codes == [0, 0]  # SIGTERM stops a worker cleanly


def test_a_stream_from_the_api_process_shows_a_workers_text_as_it_is_written(
    tmp_path: Path,
    postgres_server: str | None,
    api_key: str,
    model: str,
    fake_model: FakeModelServer,
) -> None:
    url = postgres_database(postgres_server, "lifecycle_worker_stream")
    env = env_for(tmp_path, fake_model, url)
    words = [f"word{n} " for n in range(20)]
    fake_model.script(model, Reply(text="".join(words), chunks=len(words), delay=0.1))
    api_only = ("--host", "127.0.0.1", "--no-worker")
    with (
        server_process(env, tmp_path / "api.log", serve_args=api_only) as server,
        (tmp_path / "worker.log").open("wb") as log,
    ):
        worker = subprocess.Popen(
            [str(SERVER_BIN), "worker"], env=process_env(env), stdout=log, stderr=subprocess.STDOUT
        )
        try:
            wait_for_log(tmp_path / "worker.log", "worker started", worker)
            with sdk(server.url, api_key) as client:
                assistant = client.beta.assistants.create(model=model)
                thread = client.beta.threads.create(
                    messages=[{"role": "user", "content": "Count."}]
                )
                arrivals: list[tuple[float, str]] = []
                polled: list[str] = []
                with client.beta.threads.runs.stream(
                    thread_id=thread.id, assistant_id=assistant.id
                ) as stream:
                    for event in stream:
                        if event.event == "thread.message.delta":
                            for part in event.data.delta.content or []:
                                if part.type == "text" and part.text and part.text.value:
                                    arrivals.append((time.monotonic(), part.text.value))
                            if len(arrivals) == 3:  # mid-reply, a poller of the API sees it too
                                polled = assistant_messages(client, thread.id)
                    run = stream.get_final_run()
        finally:
            worker.terminate()
            worker.wait(timeout=15)
    assert run.status == "completed"
    assert "".join(text for _, text in arrivals) == "".join(words)
    # the text came as the worker wrote it: in several batches spread over the reply's 2 s,
    # not all at the end
    assert len(arrivals) >= 5
    assert arrivals[-1][0] - arrivals[0][0] > 1.0
    assert polled
    assert polled[-1]
    assert "".join(words).startswith(polled[-1])


# --- the concurrency limit ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def limited_url(
    fake_model: FakeModelServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("server-limited")
    env = env_for(tmp, fake_model, ASSISTANTS_MAX_CONCURRENT_RUNS="2")
    with server_process(env, tmp / "server.log") as server:
        yield server.url


def test_no_more_runs_in_progress_than_the_limit(
    limited_url: str, api_key: str, model: str, fake_model: FakeModelServer
) -> None:
    fake_model.script(model, *[Reply(text="one two three four five six", delay=0.15)] * 4)
    with sdk(limited_url, api_key) as client:
        assistant = client.beta.assistants.create(model=model)
        runs = []
        for number in range(4):
            thread = client.beta.threads.create(
                messages=[{"role": "user", "content": f"slow {number}"}]
            )
            runs.append(client.beta.threads.runs.create(thread.id, assistant_id=assistant.id))
        peak, statuses = watch(client, runs, limit=2)
        assert statuses == ["completed"] * 4
        assert peak == 2  # the limit is used, not one run at a time
        for run in runs:
            assert assistant_messages(client, run.thread_id) == ["one two three four five six"]


# --- a graceful stop mid-stream ----------------------------------------------------------------


def exited(pid: int) -> bool:
    """True once process `pid` has ended (it may linger as a zombie until reaped)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    return state in ("Z", "X")


def test_sigterm_lets_an_open_stream_finish(
    tmp_path: Path, api_key: str, model: str, fake_model: FakeModelServer
) -> None:
    text = " ".join(f"part{n}" for n in range(20))
    fake_model.script(model, Reply(text=text, delay=0.1))
    env = env_for(tmp_path, fake_model, ASSISTANTS_RUN_LEASE_SECONDS="2")
    with (
        server_process(env, tmp_path / "server-a.log") as server,
        sdk(server.url, api_key) as client,
    ):
        assistant = client.beta.assistants.create(model=model)
        thread = client.beta.threads.create(messages=[{"role": "user", "content": "Go."}])
        deltas = 0
        with client.beta.threads.runs.stream(
            thread_id=thread.id, assistant_id=assistant.id
        ) as stream:
            for event in stream:
                if event.event == "thread.message.delta":
                    deltas += 1
                    if deltas == 3:
                        os.kill(server.pid, signal.SIGTERM)
            final = stream.get_final_run()
            (reply,) = stream.get_final_messages()
        assert final.status == "completed"
        assert reply.status == "completed"
        assert reply.content[0].text.value == text  # type: ignore[union-attr]
        deadline = time.monotonic() + 10
        while not exited(server.pid):
            assert time.monotonic() < deadline, "the server did not stop after SIGTERM"
            time.sleep(0.05)

    with (
        server_process(env, tmp_path / "server-b.log") as server,
        sdk(server.url, api_key) as client,
    ):
        run = client.beta.threads.runs.retrieve(final.id, thread_id=thread.id)
        assert run.status == "completed"
        assert assistant_messages(client, thread.id) == [text]
        steps = client.beta.threads.runs.steps.list(run.id, thread_id=thread.id).data
        assert [(step.type, step.status) for step in steps] == [("message_creation", "completed")]
        again = client.beta.threads.runs.create(
            thread.id,
            assistant_id=assistant.id,
            additional_messages=[{"role": "user", "content": "And again."}],
        )
        assert wait_for_run(client, thread.id, again.id).status == "completed"
        assert assistant_messages(client, thread.id) == [text, "Echo: And again."]


def test_sigterm_fails_the_runs_in_hand_at_once(
    tmp_path: Path, api_key: str, model: str, fake_model: FakeModelServer
) -> None:
    """A graceful stop does not leave its runs for the lease (30 s here) to free."""
    fake_model.script(model, Reply(text=SLOW_TEXT, delay=0.2))
    env = env_for(tmp_path, fake_model, ASSISTANTS_RUN_LEASE_SECONDS="30")
    with (
        server_process(env, tmp_path / "server-a.log") as server,
        sdk(server.url, api_key) as client,
    ):
        assistant = client.beta.assistants.create(model=model)
        thread = client.beta.threads.create(messages=[{"role": "user", "content": "Count."}])
        run = client.beta.threads.runs.create(thread.id, assistant_id=assistant.id)
        # wait until the reply has begun: the run is mid-turn
        wait_for_run(
            client, thread.id, run.id, lambda _: bool(assistant_messages(client, thread.id))
        )
        os.kill(server.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        while not exited(server.pid):
            assert time.monotonic() < deadline, "the server did not stop after SIGTERM"
            time.sleep(0.05)

    with (
        server_process(env, tmp_path / "server-b.log") as server,
        sdk(server.url, api_key) as client,
    ):
        stopped = client.beta.threads.runs.retrieve(run.id, thread_id=thread.id)
        assert stopped.status == "failed"
        assert stopped.last_error is not None
        assert stopped.last_error.code == "server_error"
        assert "stopped" in stopped.last_error.message
        (partial,) = client.beta.threads.messages.list(thread.id, run_id=run.id).data
        assert partial.status == "incomplete"
