"""Runs for v1 clients: the real `openai==1.20.0` SDK polls and streams runs, and sees v1
shapes (message `file_ids`, run `file_ids`, no `attachments`)."""

from __future__ import annotations

from tests.contract.test_v1_clients import run_v1
from tests.fake_model_server import FakeModelServer, Reply
from tests.spec_check import checked_openai


def test_polled_and_streamed_runs(
    base_url: str, api_key: str, model: str, fake_model: FakeModelServer
) -> None:
    fake_model.script(model, Reply(text="First answer."), Reply(text="Second, streamed answer."))
    out = run_v1(
        base_url,
        api_key,
        """
        import time
        assistant = client.beta.assistants.create(model=given["model"], instructions="Be brief.")
        file_id = upload("notes.txt")
        thread = client.beta.threads.create(
            messages=[{"role": "user", "content": "Hi", "file_ids": [file_id]}]
        )
        run = client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
        deadline = time.time() + 20
        while run.status in ("queued", "in_progress") and time.time() < deadline:
            time.sleep(0.05)
            run = client.beta.threads.runs.retrieve(thread_id=thread.id, run_id=run.id)
        out["polled"] = run.status
        out["run_keys"] = sorted(raw_json(
            client.beta.threads.runs.with_raw_response.retrieve(thread_id=thread.id, run_id=run.id)
        ))
        listed = raw_json(client.beta.threads.messages.with_raw_response.list(thread_id=thread.id))
        out["messages"] = [
            (m["role"], m["content"][0]["text"]["value"], m["file_ids"], "attachments" in m)
            for m in listed["data"]
        ]
        out["file_id"] = file_id
        with client.beta.threads.runs.create_and_stream(
            thread_id=thread.id, assistant_id=assistant.id
        ) as stream:
            out["events"] = [event.event for event in stream]
            out["streamed"] = stream.get_final_messages()[0].content[0].text.value
        """,
        model=model,
    )
    assert out["polled"] == "completed"
    assert "file_ids" in out["run_keys"]
    assert "parallel_tool_calls" not in out["run_keys"]
    assert out["messages"] == [
        ["assistant", "First answer.", [], False],
        ["user", "Hi", [out["file_id"]], False],
    ]
    assert out["events"][:3] == [
        "thread.run.created",
        "thread.run.queued",
        "thread.run.in_progress",
    ]
    assert out["events"][-1] == "thread.run.completed"
    assert "thread.message.delta" in out["events"]
    assert out["streamed"] == "Second, streamed answer."


def test_a_v1_run_shows_the_assistants_files_when_it_was_made(
    base_url: str, api_key: str, model: str, fake_model: FakeModelServer
) -> None:
    fake_model.script(model, Reply(text="One."), Reply(text="Two."))
    out = run_v1(
        base_url,
        api_key,
        """
        import time

        def finished(thread_id, run):
            deadline = time.time() + 20
            while run.status in ("queued", "in_progress") and time.time() < deadline:
                time.sleep(0.05)
                run = client.beta.threads.runs.retrieve(thread_id=thread_id, run_id=run.id)
            return run

        files = [upload("a.txt"), upload("b.txt")]
        assistant = client.beta.assistants.create(model=given["model"], file_ids=files)
        thread = client.beta.threads.create(messages=[{"role": "user", "content": "Hi"}])
        created = client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
        first = finished(thread.id, created)
        client.beta.assistants.update(assistant.id, file_ids=files[:1])
        with client.beta.threads.runs.create_and_stream(
            thread_id=thread.id, assistant_id=assistant.id
        ) as stream:
            for _ in stream:
                pass
            second = stream.current_run
        out["files"] = files
        out["created"] = created.file_ids
        out["first"] = client.beta.threads.runs.retrieve(
            thread_id=thread.id, run_id=first.id
        ).file_ids
        out["streamed"] = second.file_ids
        out["listed"] = [
            run.file_ids for run in client.beta.threads.runs.list(thread_id=thread.id).data
        ]
        """,
        model=model,
    )
    files = out["files"]
    assert out["created"] == files
    assert out["first"] == files  # the assistant's files when the run was made, still
    assert out["streamed"] == files[:1]
    assert out["listed"] == [files[:1], files]


def test_v2_clients_see_no_v1_file_ids_on_runs(
    base_url: str, api_key: str, model: str, fake_model: FakeModelServer
) -> None:
    fake_model.script(model, Reply(text="Done."))
    with checked_openai(base_url=base_url, api_key=api_key, max_retries=0) as client:
        uploaded = client.files.create(file=("a.txt", b"some text"), purpose="assistants")
        assistant = client.beta.assistants.create(
            model=model,
            tools=[{"type": "code_interpreter"}],
            tool_resources={"code_interpreter": {"file_ids": [uploaded.id]}},
        )
        thread = client.beta.threads.create(messages=[{"role": "user", "content": "Hi"}])
        with client.beta.threads.runs.stream(
            thread_id=thread.id, assistant_id=assistant.id
        ) as stream:
            streamed = [
                event.data.model_extra or {}
                for event in stream
                if event.event.startswith("thread.run.") and ".step" not in event.event
            ]
            run = stream.get_final_run()
        raw = client.beta.threads.runs.with_raw_response.retrieve(run.id, thread_id=thread.id)
        shown = raw.http_response.json()
    assert "file_ids" not in shown
    assert not any(key.startswith("_") for key in shown)
    assert all(not extra for extra in streamed)  # no field beyond the v2 Run object
