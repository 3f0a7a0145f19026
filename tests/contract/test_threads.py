"""Threads through the official SDK (v2) and raw HTTP, against a real server.

Every JSON object read over raw HTTP is validated against the spec's generated models.
"""

from __future__ import annotations

import base64
import time
from typing import Any

import httpx
import openai
import pytest
from dirty_equals import IsInt, IsStr

from assistants_server.schemas._generated import v1, v2
from tests.spec_check import checked_openai

V1 = {"OpenAI-Beta": "assistants=v1"}
ERROR_KEYS = {"message", "type", "param", "code"}
THREAD_KEYS = {"id", "object", "created_at", "tool_resources", "metadata"}
# A 1x1 transparent PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


def upload(
    client: openai.OpenAI,
    content: bytes = b"some notes",
    filename: str = "notes.txt",
    purpose: str = "assistants",
) -> str:
    return client.files.create(file=(filename, content), purpose=purpose).id  # type: ignore[arg-type]


def upload_image(client: openai.OpenAI) -> str:
    return upload(client, PNG, "dot.png", purpose="vision")


def make_thread(client: openai.OpenAI, **params: Any) -> openai.types.beta.Thread:
    return client.beta.threads.create(**params)


def make_assistant(client: openai.OpenAI, model: str, **params: Any) -> openai.types.beta.Assistant:
    return client.beta.assistants.create(model=model, name="Helper", **params)


def ok(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    return body


def thread_json(response: httpx.Response) -> dict[str, Any]:
    """The v2 thread in `response`, validated against the spec."""
    body = ok(response)
    v2.ThreadObject.model_validate(body)
    assert set(body) == THREAD_KEYS
    return body


def message_json(response: httpx.Response) -> dict[str, Any]:
    """The v2 message in `response`, validated against the spec."""
    body = ok(response)
    v2.MessageObject.model_validate(body)
    return body


def error_of(response: httpx.Response, status: int) -> dict[str, Any]:
    """The error object of `response`, after checking OpenAI's envelope."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}, body
    error: dict[str, Any] = body["error"]
    assert set(error) == ERROR_KEYS, error
    v2.Error.model_validate(error)
    return error


def not_found(message: str, param: str | None = None) -> dict[str, Any]:
    return {"message": message, "type": "invalid_request_error", "param": param, "code": None}


class TestCreate:
    def test_empty_thread(self, client: openai.OpenAI, http: httpx.Client) -> None:
        before = int(time.time())
        body = thread_json(http.post("threads", json={}))
        assert body == {
            "id": IsStr(regex=r"^thread_\w+$"),
            "object": "thread",
            "created_at": IsInt(ge=before - 1, le=int(time.time()) + 1),
            "tool_resources": {},
            "metadata": {},
        }
        thread = client.beta.threads.create()
        assert thread.id.startswith("thread_")
        assert thread.id != body["id"]
        assert thread.object == "thread"
        assert thread.metadata == {}
        assert client.beta.threads.messages.list(thread.id).data == []

    def test_no_body_at_all(self, http: httpx.Client) -> None:
        """`client.beta.threads.create()` of older SDKs posts nothing; that is an empty thread."""
        body = thread_json(http.post("threads"))
        assert body["metadata"] == {}
        assert ok(http.get(f"threads/{body['id']}/messages"))["data"] == []

    def test_with_string_messages(self, client: openai.OpenAI) -> None:
        thread = make_thread(
            client,
            messages=[
                {"role": "user", "content": "What is 2+2?"},
                {"role": "assistant", "content": "4."},
                {"role": "user", "content": "And 3+3?", "metadata": {"n": "3"}},
            ],
        )
        messages = client.beta.threads.messages.list(thread.id, order="asc").data
        assert [(m.role, m.content[0].text.value) for m in messages] == [  # type: ignore[union-attr]
            ("user", "What is 2+2?"),
            ("assistant", "4."),
            ("user", "And 3+3?"),
        ]
        assert all(m.thread_id == thread.id for m in messages)
        assert all(m.status == "completed" for m in messages)
        assert all(m.content[0].text.annotations == [] for m in messages)  # type: ignore[union-attr]
        assert [m.metadata for m in messages] == [{}, {}, {"n": "3"}]
        assert [m.run_id for m in messages] == [None, None, None]
        assert [m.assistant_id for m in messages] == [None, None, None]

    def test_with_content_parts(self, client: openai.OpenAI, http: httpx.Client) -> None:
        image = upload_image(client)
        parts = [
            {"type": "text", "text": "Describe these."},
            {
                "type": "image_url",
                "image_url": {"url": "https://example.com/cat.png", "detail": "low"},
            },
            {"type": "image_file", "image_file": {"file_id": image, "detail": "high"}},
        ]
        thread = thread_json(
            http.post("threads", json={"messages": [{"role": "user", "content": parts}]})
        )
        listed = ok(http.get(f"threads/{thread['id']}/messages"))
        assert len(listed["data"]) == 1
        message = listed["data"][0]
        v2.MessageObject.model_validate(message)
        assert message["content"] == [
            {"type": "text", "text": {"value": "Describe these.", "annotations": []}},
            {
                "type": "image_url",
                "image_url": {"url": "https://example.com/cat.png", "detail": "low"},
            },
            {"type": "image_file", "image_file": {"file_id": image, "detail": "high"}},
        ]
        assert message["thread_id"] == thread["id"]
        assert message["role"] == "user"

        parsed = client.beta.threads.messages.list(thread["id"]).data[0]
        assert [part.type for part in parsed.content] == ["text", "image_url", "image_file"]
        assert parsed.content[2].image_file.file_id == image  # type: ignore[union-attr]

    def test_with_attachments(self, client: openai.OpenAI) -> None:
        file_id = upload(client)
        thread = make_thread(
            client,
            messages=[
                {
                    "role": "user",
                    "content": "Read this.",
                    "attachments": [{"file_id": file_id, "tools": [{"type": "file_search"}]}],
                }
            ],
        )
        message = client.beta.threads.messages.list(thread.id).data[0]
        assert message.attachments is not None
        assert [(a.file_id, [t.type for t in a.tools or []]) for a in message.attachments] == [
            (file_id, ["file_search"])
        ]

    def test_metadata(self, client: openai.OpenAI) -> None:
        metadata = {"user": "u-17", "topic": "billing", "k" * 64: "v" * 512}
        thread = make_thread(client, metadata=metadata)
        assert thread.metadata == metadata
        assert client.beta.threads.retrieve(thread.id).metadata == metadata

    def test_code_interpreter_files(self, client: openai.OpenAI, http: httpx.Client) -> None:
        files = [upload(client, b"a,b\n1,2\n", "data.csv"), upload(client)]
        thread = make_thread(client, tool_resources={"code_interpreter": {"file_ids": files}})
        assert thread.tool_resources is not None
        assert thread.tool_resources.code_interpreter is not None
        assert thread.tool_resources.code_interpreter.file_ids == files
        body = thread_json(http.get(f"threads/{thread.id}"))
        assert body["tool_resources"]["code_interpreter"] == {"file_ids": files}

    def test_missing_code_interpreter_file_is_404(self, http: httpx.Client) -> None:
        resources = {"code_interpreter": {"file_ids": ["file-missing"]}}
        response = http.post("threads", json={"tool_resources": resources})
        assert error_of(response, 404) == not_found(
            "No file found with id 'file-missing'.",
            "tool_resources.code_interpreter.file_ids",
        )

    def test_missing_attachment_file_is_404(self, client: openai.OpenAI) -> None:
        message = {
            "role": "user",
            "content": "hi",
            "attachments": [{"file_id": "file-gone", "tools": [{"type": "code_interpreter"}]}],
        }
        with pytest.raises(openai.NotFoundError) as caught:
            make_thread(client, messages=[{"role": "user", "content": "first"}, message])
        assert caught.value.body == not_found(
            "No file found with id 'file-gone'.", "messages[1].attachments"
        )

    def test_another_tenants_file_is_404(
        self, base_url: str, client: openai.OpenAI, other_api_key: str
    ) -> None:
        with checked_openai(base_url=base_url, api_key=other_api_key, max_retries=0) as other:
            theirs = upload(other)
        with pytest.raises(openai.NotFoundError) as caught:
            make_thread(client, tool_resources={"code_interpreter": {"file_ids": [theirs]}})
        assert caught.value.param == "tool_resources.code_interpreter.file_ids"

    @pytest.mark.parametrize(
        ("body", "param"),
        [
            pytest.param({"messages": [{"role": "system", "content": "x"}]}, "messages[0].role"),
            pytest.param({"messages": [{"role": "user", "content": []}]}, "messages[0].content"),
            pytest.param({"metadata": {f"k{i}": "v" for i in range(17)}}, "metadata"),
            pytest.param({"colour": "blue"}, "colour"),
        ],
        ids=["bad-role", "empty-content", "17-metadata-keys", "unknown-field"],
    )
    def test_bad_request(self, http: httpx.Client, body: dict[str, Any], param: str) -> None:
        error = error_of(http.post("threads", json=body), 400)
        assert error["type"] == "invalid_request_error"
        assert error["param"] == param
        assert param in error["message"]


class TestRetrieve:
    def test_round_trip(self, client: openai.OpenAI, http: httpx.Client) -> None:
        created = thread_json(http.post("threads", json={"metadata": {"a": "1"}}))
        assert thread_json(http.get(f"threads/{created['id']}")) == created
        parsed = client.beta.threads.retrieve(created["id"])
        assert (parsed.id, parsed.created_at, parsed.metadata) == (
            created["id"],
            created["created_at"],
            {"a": "1"},
        )

    def test_unknown_thread_is_404(self, client: openai.OpenAI, http: httpx.Client) -> None:
        response = http.get("threads/thread_nope")
        assert error_of(response, 404) == not_found("No thread found with id 'thread_nope'.")
        with pytest.raises(openai.NotFoundError) as caught:
            client.beta.threads.retrieve("thread_nope")
        assert caught.value.body == not_found("No thread found with id 'thread_nope'.")


class TestModify:
    def test_metadata_is_replaced(self, client: openai.OpenAI, http: httpx.Client) -> None:
        thread = make_thread(client, metadata={"a": "1", "b": "2"})
        body = thread_json(http.post(f"threads/{thread.id}", json={"metadata": {"c": "3"}}))
        assert body["metadata"] == {"c": "3"}
        assert body["id"] == thread.id
        assert body["created_at"] == thread.created_at
        assert client.beta.threads.retrieve(thread.id).metadata == {"c": "3"}

    def test_other_fields_kept(self, client: openai.OpenAI) -> None:
        files = [upload(client)]
        thread = make_thread(
            client,
            metadata={"keep": "me"},
            tool_resources={"code_interpreter": {"file_ids": files}},
            messages=[{"role": "user", "content": "hello"}],
        )
        updated = client.beta.threads.update(thread.id, metadata={"new": "x"})
        assert updated.tool_resources is not None
        assert updated.tool_resources.code_interpreter is not None
        assert updated.tool_resources.code_interpreter.file_ids == files
        assert len(client.beta.threads.messages.list(thread.id).data) == 1
        updated = client.beta.threads.update(thread.id)
        assert updated.metadata == {"new": "x"}

    def test_tool_resources(self, client: openai.OpenAI, http: httpx.Client) -> None:
        first, second = upload(client), upload(client, b"other")
        thread = make_thread(
            client,
            metadata={"keep": "me"},
            tool_resources={"code_interpreter": {"file_ids": [first]}},
        )
        updated = client.beta.threads.update(
            thread.id, tool_resources={"code_interpreter": {"file_ids": [second]}}
        )
        assert updated.tool_resources.code_interpreter.file_ids == [second]  # type: ignore[union-attr]
        assert updated.metadata == {"keep": "me"}
        body = thread_json(http.get(f"threads/{thread.id}"))
        assert body["tool_resources"]["code_interpreter"] == {"file_ids": [second]}

    def test_missing_file_changes_nothing(self, client: openai.OpenAI) -> None:
        file_id = upload(client)
        thread = make_thread(
            client,
            metadata={"a": "1"},
            tool_resources={"code_interpreter": {"file_ids": [file_id]}},
        )
        with pytest.raises(openai.NotFoundError) as caught:
            client.beta.threads.update(
                thread.id,
                metadata={"a": "2"},
                tool_resources={"code_interpreter": {"file_ids": ["file-missing"]}},
            )
        assert caught.value.body == not_found(
            "No file found with id 'file-missing'.", "tool_resources.code_interpreter.file_ids"
        )
        assert client.beta.threads.retrieve(thread.id).model_dump() == thread.model_dump()

    def test_bad_metadata_changes_nothing(self, client: openai.OpenAI) -> None:
        thread = make_thread(client, metadata={"a": "1"})
        with pytest.raises(openai.BadRequestError) as caught:
            client.beta.threads.update(thread.id, metadata={f"k{i}": "v" for i in range(17)})
        assert caught.value.type == "invalid_request_error"
        assert caught.value.param == "metadata"
        assert client.beta.threads.retrieve(thread.id).metadata == {"a": "1"}

    def test_unknown_thread_is_404(self, http: httpx.Client) -> None:
        response = http.post("threads/thread_nope", json={"metadata": {"a": "1"}})
        assert error_of(response, 404) == not_found("No thread found with id 'thread_nope'.")


class TestDelete:
    def test_deleted_shape(self, client: openai.OpenAI, http: httpx.Client) -> None:
        thread = make_thread(client)
        body = ok(http.delete(f"threads/{thread.id}"))
        v2.DeleteThreadResponse.model_validate(body)
        assert body == {"id": thread.id, "object": "thread.deleted", "deleted": True}

        other = make_thread(client)
        deleted = client.beta.threads.delete(other.id)
        assert (deleted.id, deleted.object, deleted.deleted) == (
            other.id,
            "thread.deleted",
            True,
        )

    def test_gone_with_its_messages(self, client: openai.OpenAI, http: httpx.Client) -> None:
        thread = make_thread(client, messages=[{"role": "user", "content": "remember me"}])
        message = client.beta.threads.messages.list(thread.id).data[0]
        client.beta.threads.delete(thread.id)
        gone = not_found(f"No thread found with id '{thread.id}'.")
        with pytest.raises(openai.NotFoundError) as caught:
            client.beta.threads.retrieve(thread.id)
        assert caught.value.body == gone
        with pytest.raises(openai.NotFoundError) as caught:
            client.beta.threads.messages.list(thread.id)
        assert caught.value.body == gone
        response = http.get(f"threads/{thread.id}/messages/{message.id}")
        assert response.status_code == 404
        with pytest.raises(openai.NotFoundError):
            client.beta.threads.messages.create(thread.id, role="user", content="again")
        with pytest.raises(openai.NotFoundError) as caught:
            client.beta.threads.delete(thread.id)
        assert caught.value.body == gone

    def test_leaves_other_threads_alone(self, client: openai.OpenAI) -> None:
        keep = make_thread(client, messages=[{"role": "user", "content": "keep"}])
        drop = make_thread(client, messages=[{"role": "user", "content": "drop"}])
        client.beta.threads.delete(drop.id)
        assert client.beta.threads.retrieve(keep.id).id == keep.id
        kept = client.beta.threads.messages.list(keep.id).data
        assert [m.content[0].text.value for m in kept] == ["keep"]  # type: ignore[union-attr]


def test_tenants_do_not_see_each_other(
    base_url: str, client: openai.OpenAI, other_api_key: str
) -> None:
    mine = make_thread(
        client, metadata={"owner": "me"}, messages=[{"role": "user", "content": "x"}]
    )
    gone = not_found(f"No thread found with id '{mine.id}'.")
    with checked_openai(base_url=base_url, api_key=other_api_key, max_retries=0) as other:
        calls = [
            lambda: other.beta.threads.retrieve(mine.id),
            lambda: other.beta.threads.update(mine.id, metadata={"owner": "them"}),
            lambda: other.beta.threads.messages.list(mine.id),
            lambda: other.beta.threads.messages.create(mine.id, role="user", content="hi"),
            lambda: other.beta.threads.delete(mine.id),
        ]
        for call in calls:
            with pytest.raises(openai.NotFoundError) as caught:
                call()
            assert caught.value.body == gone
    assert client.beta.threads.retrieve(mine.id).metadata == {"owner": "me"}
    assert len(client.beta.threads.messages.list(mine.id).data) == 1


class TestApiV1:
    def test_thread_has_no_tool_resources(self, client: openai.OpenAI, http: httpx.Client) -> None:
        response = http.post(
            "threads",
            json={"metadata": {"app": "old"}, "messages": [{"role": "user", "content": "hi"}]},
            headers=V1,
        )
        body = ok(response)
        v1.ThreadObject.model_validate(body)
        assert body == {
            "id": IsStr(regex=r"^thread_\w+$"),
            "object": "thread",
            "created_at": IsInt(gt=0),
            "metadata": {"app": "old"},
        }
        fetched = ok(http.get(f"threads/{body['id']}", headers=V1))
        v1.ThreadObject.model_validate(fetched)
        assert fetched == body
        modified = ok(http.post(f"threads/{body['id']}", json={"metadata": {}}, headers=V1))
        v1.ThreadObject.model_validate(modified)
        assert modified == {**body, "metadata": {}}
        # the same thread, seen by a v2 client
        assert thread_json(http.get(f"threads/{body['id']}"))["tool_resources"] == {}
        assert client.beta.threads.retrieve(body["id"]).metadata == {}

    def test_v1_rejects_tool_resources(self, http: httpx.Client) -> None:
        resources = {"code_interpreter": {"file_ids": []}}
        response = http.post("threads", json={"tool_resources": resources}, headers=V1)
        error = error_of(response, 400)
        assert error["type"] == "invalid_request_error"
        assert error["param"] == "tool_resources"
