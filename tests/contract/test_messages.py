"""Messages through the official SDK (v2) and raw HTTP, against a real server.

Every JSON object read over raw HTTP is validated against the spec's generated models.
"""

from __future__ import annotations

import time
from typing import Any

import httpx
import openai
import pytest
from dirty_equals import IsInt, IsStr

from assistants_server.schemas._generated import v1, v2
from tests.contract.test_threads import (
    V1,
    error_of,
    make_assistant,
    make_thread,
    message_json,
    not_found,
    ok,
    upload,
    upload_image,
)
from tests.fake_model_server import Call, FakeModelServer, Reply
from tests.spec_check import checked_openai

MESSAGE_KEYS = {
    "id",
    "object",
    "created_at",
    "thread_id",
    "status",
    "incomplete_details",
    "completed_at",
    "incomplete_at",
    "role",
    "content",
    "assistant_id",
    "run_id",
    "attachments",
    "metadata",
}
V1_MESSAGE_KEYS = (MESSAGE_KEYS - {"attachments"}) | {"file_ids"}


def add(
    client: openai.OpenAI, thread_id: str, text: str, **params: Any
) -> openai.types.beta.threads.Message:
    params.setdefault("role", "user")
    return client.beta.threads.messages.create(thread_id, content=text, **params)


def text_of(message: openai.types.beta.threads.Message) -> str:
    part = message.content[0]
    assert part.type == "text"
    return part.text.value


def listed(http: httpx.Client, thread_id: str, **params: Any) -> dict[str, Any]:
    """`GET /threads/{id}/messages`, every message validated against the spec."""
    body = ok(http.get(f"threads/{thread_id}/messages", params=params))
    assert set(body) == {"object", "data", "first_id", "last_id", "has_more"}
    assert body["object"] == "list"
    for message in body["data"]:
        v2.MessageObject.model_validate(message)
        assert set(message) == MESSAGE_KEYS
    if body["data"]:
        v2.ListMessagesResponse.model_validate(body)
    return body


def ids_in(http: httpx.Client, thread_id: str, **params: Any) -> list[str]:
    return [message["id"] for message in listed(http, thread_id, **params)["data"]]


def text_json(value: str) -> dict[str, Any]:
    return {"type": "text", "text": {"value": value, "annotations": []}}


class TestCreate:
    def test_string_content(self, client: openai.OpenAI, http: httpx.Client) -> None:
        thread = make_thread(client)
        before = int(time.time())
        response = http.post(
            f"threads/{thread.id}/messages", json={"role": "user", "content": "Hello there"}
        )
        body = message_json(response)
        assert body == {
            "id": IsStr(regex=r"^msg_\w+$"),
            "object": "thread.message",
            "created_at": IsInt(ge=before - 1, le=int(time.time()) + 1),
            "thread_id": thread.id,
            "status": "completed",
            "incomplete_details": None,
            "completed_at": body["completed_at"],
            "incomplete_at": None,
            "role": "user",
            "content": [text_json("Hello there")],
            "assistant_id": None,
            "run_id": None,
            "attachments": [],
            "metadata": {},
        }
        assert listed(http, thread.id)["data"] == [body]

    def test_assistant_role(self, client: openai.OpenAI) -> None:
        thread = make_thread(client)
        message = add(client, thread.id, "I can help.", role="assistant")
        assert message.role == "assistant"
        assert text_of(message) == "I can help."
        assert message.assistant_id is None
        assert message.run_id is None

    def test_content_parts(self, client: openai.OpenAI, http: httpx.Client) -> None:
        thread = make_thread(client)
        image = upload_image(client)
        message = client.beta.threads.messages.create(
            thread.id,
            role="user",
            content=[
                {"type": "text", "text": "first"},
                {"type": "image_url", "image_url": {"url": "https://example.com/a.jpg"}},
                {"type": "image_file", "image_file": {"file_id": image}},
                {"type": "text", "text": "second"},
            ],
        )
        assert [part.type for part in message.content] == [
            "text",
            "image_url",
            "image_file",
            "text",
        ]
        body = message_json(http.get(f"threads/{thread.id}/messages/{message.id}"))
        content = body["content"]
        assert content[0] == text_json("first")
        assert content[1]["image_url"]["url"] == "https://example.com/a.jpg"
        assert content[1]["image_url"].get("detail", "auto") == "auto"
        assert content[2]["image_file"]["file_id"] == image
        assert content[3] == text_json("second")

    def test_attachments_with_tools(self, client: openai.OpenAI, http: httpx.Client) -> None:
        thread = make_thread(client)
        data, notes = upload(client, b"x,y\n1,2\n", "data.csv"), upload(client)
        attachments = [
            {"file_id": data, "tools": [{"type": "code_interpreter"}]},
            {"file_id": notes, "tools": [{"type": "file_search"}, {"type": "code_interpreter"}]},
        ]
        message = client.beta.threads.messages.create(
            thread.id,
            role="user",
            content="Use these.",
            attachments=attachments,  # type: ignore[arg-type]
        )
        assert message.attachments is not None
        assert [(a.file_id, [t.type for t in a.tools or []]) for a in message.attachments] == [
            (data, ["code_interpreter"]),
            (notes, ["file_search", "code_interpreter"]),
        ]
        body = message_json(http.get(f"threads/{thread.id}/messages/{message.id}"))
        assert body["attachments"] == attachments

    def test_metadata(self, client: openai.OpenAI) -> None:
        thread = make_thread(client)
        message = add(client, thread.id, "tagged", metadata={"source": "web", "n": "1"})
        assert message.metadata == {"source": "web", "n": "1"}
        fetched = client.beta.threads.messages.retrieve(message.id, thread_id=thread.id)
        assert fetched.metadata == {"source": "web", "n": "1"}

    def test_appended_in_order(self, client: openai.OpenAI) -> None:
        thread = make_thread(client, messages=[{"role": "user", "content": "one"}])
        add(client, thread.id, "two")
        add(client, thread.id, "three", role="assistant")
        messages = client.beta.threads.messages.list(thread.id, order="asc").data
        assert [text_of(m) for m in messages] == ["one", "two", "three"]

    def test_missing_attachment_file_is_404(
        self, client: openai.OpenAI, http: httpx.Client
    ) -> None:
        thread = make_thread(client, messages=[{"role": "user", "content": "only"}])
        before = ids_in(http, thread.id)
        response = http.post(
            f"threads/{thread.id}/messages",
            json={
                "role": "user",
                "content": "see file",
                "attachments": [{"file_id": "file-missing", "tools": [{"type": "file_search"}]}],
            },
        )
        assert error_of(response, 404) == not_found(
            "No file found with id 'file-missing'.", "attachments"
        )
        assert ids_in(http, thread.id) == before

    def test_missing_image_file_is_404(self, client: openai.OpenAI, http: httpx.Client) -> None:
        thread = make_thread(client)
        content = [
            {"type": "text", "text": "look"},
            {"type": "image_file", "image_file": {"file_id": "file-noimage"}},
        ]
        response = http.post(
            f"threads/{thread.id}/messages", json={"role": "user", "content": content}
        )
        error = error_of(response, 404)
        assert error["message"] == "No file found with id 'file-noimage'."
        assert error["type"] == "invalid_request_error"
        # the file is named in the content, not in `attachments`
        assert error["param"] in ("content", "content[1].image_file.file_id")
        assert ids_in(http, thread.id) == []

    def test_unknown_thread_is_404(self, client: openai.OpenAI) -> None:
        with pytest.raises(openai.NotFoundError) as caught:
            add(client, "thread_nope", "hello?")
        assert caught.value.body == not_found("No thread found with id 'thread_nope'.")


class TestValidation:
    @pytest.mark.parametrize(
        ("body", "param"),
        [
            pytest.param({"role": "system", "content": "x"}, "role", id="bad-role"),
            pytest.param({"role": "tool", "content": "x"}, "role", id="tool-role"),
            pytest.param({"content": "x"}, "role", id="missing-role"),
            pytest.param({"role": "user", "content": []}, "content", id="empty-content-list"),
            pytest.param({"role": "user"}, "content", id="missing-content"),
            pytest.param(
                {"role": "user", "content": [{"type": "video", "video": "x"}]},
                ("content", "content[0]", "content[0].type"),
                id="unknown-part-type",
            ),
            pytest.param(
                {"role": "user", "content": "x", "metadata": {f"k{i}": "v" for i in range(17)}},
                "metadata",
                id="17-metadata-keys",
            ),
            pytest.param(
                {"role": "user", "content": "x", "metadata": {"k": "v" * 513}},
                ("metadata", "metadata.k"),
                id="long-metadata-value",
            ),
            pytest.param(
                {"role": "user", "content": "x", "colour": "blue"}, "colour", id="unknown-field"
            ),
            pytest.param(
                {"role": "user", "content": "x", "file_ids": ["file-abc"]},
                "file_ids",
                id="v1-field-on-v2",
            ),
        ],
    )
    def test_rejected_and_nothing_stored(
        self,
        client: openai.OpenAI,
        http: httpx.Client,
        body: dict[str, Any],
        param: str | tuple[str, ...],
    ) -> None:
        thread = make_thread(client, messages=[{"role": "user", "content": "keep"}])
        before = listed(http, thread.id)
        error = error_of(http.post(f"threads/{thread.id}/messages", json=body), 400)
        assert error["type"] == "invalid_request_error"
        allowed = param if isinstance(param, tuple) else (param,)
        assert error["param"] in allowed
        assert error["param"] in error["message"]
        assert listed(http, thread.id) == before

    def test_unknown_field_message(self, client: openai.OpenAI) -> None:
        thread = make_thread(client)
        with pytest.raises(openai.BadRequestError) as caught:
            client.beta.threads.messages.create(
                thread.id, role="user", content="x", extra_body={"colour": "blue"}
            )
        assert caught.value.body == {
            "message": "Unrecognized request argument supplied: colour",
            "type": "invalid_request_error",
            "param": "colour",
            "code": None,
        }
        assert client.beta.threads.messages.list(thread.id).data == []

    def test_modify_rejects_content(self, client: openai.OpenAI, http: httpx.Client) -> None:
        thread = make_thread(client)
        message = add(client, thread.id, "fixed")
        response = http.post(
            f"threads/{thread.id}/messages/{message.id}", json={"content": "changed"}
        )
        assert error_of(response, 400)["param"] == "content"
        assert (
            text_of(client.beta.threads.messages.retrieve(message.id, thread_id=thread.id))
            == "fixed"
        )


class TestRetrieve:
    def test_round_trip(self, client: openai.OpenAI, http: httpx.Client) -> None:
        thread = make_thread(client)
        created = message_json(
            http.post(
                f"threads/{thread.id}/messages",
                json={"role": "assistant", "content": "hi", "metadata": {"a": "b"}},
            )
        )
        fetched = message_json(http.get(f"threads/{thread.id}/messages/{created['id']}"))
        assert fetched == created
        parsed = client.beta.threads.messages.retrieve(created["id"], thread_id=thread.id)
        assert parsed.model_dump(exclude_unset=True) == created

    def test_unknown_message_is_404(self, client: openai.OpenAI, http: httpx.Client) -> None:
        thread = make_thread(client)
        response = http.get(f"threads/{thread.id}/messages/msg_nope")
        assert error_of(response, 404) == not_found("No message found with id 'msg_nope'.")

    def test_unknown_thread_is_404(self, client: openai.OpenAI) -> None:
        thread = make_thread(client)
        message = add(client, thread.id, "hi")
        with pytest.raises(openai.NotFoundError) as caught:
            client.beta.threads.messages.retrieve(message.id, thread_id="thread_nope")
        assert caught.value.body == not_found("No thread found with id 'thread_nope'.")

    def test_message_of_another_thread_is_404(self, client: openai.OpenAI) -> None:
        home, elsewhere = make_thread(client), make_thread(client)
        message = add(client, home.id, "I live here")
        gone = not_found(f"No message found with id '{message.id}'.")
        with pytest.raises(openai.NotFoundError) as caught:
            client.beta.threads.messages.retrieve(message.id, thread_id=elsewhere.id)
        assert caught.value.body == gone
        with pytest.raises(openai.NotFoundError) as caught:
            client.beta.threads.messages.update(
                message.id, thread_id=elsewhere.id, metadata={"moved": "yes"}
            )
        assert caught.value.body == gone
        with pytest.raises(openai.NotFoundError) as caught:
            client.beta.threads.messages.delete(message.id, thread_id=elsewhere.id)
        assert caught.value.body == gone
        kept = client.beta.threads.messages.retrieve(message.id, thread_id=home.id)
        assert kept.metadata == {}

    def test_another_tenant_is_404(
        self, base_url: str, client: openai.OpenAI, http: httpx.Client, other_api_key: str
    ) -> None:
        thread = make_thread(client)
        message = add(client, thread.id, "private")
        with checked_openai(base_url=base_url, api_key=other_api_key, max_retries=0) as other:
            with pytest.raises(openai.NotFoundError):
                other.beta.threads.messages.retrieve(message.id, thread_id=thread.id)
            with pytest.raises(openai.NotFoundError):
                other.beta.threads.messages.delete(message.id, thread_id=thread.id)
        assert ids_in(http, thread.id) == [message.id]


class TestList:
    def make(self, client: openai.OpenAI, count: int) -> tuple[str, list[str]]:
        """A thread with `count` messages; their ids, oldest first."""
        thread = make_thread(client)
        return thread.id, [add(client, thread.id, f"m{index}").id for index in range(count)]

    def test_default_is_newest_first(self, client: openai.OpenAI, http: httpx.Client) -> None:
        thread_id, made = self.make(client, 4)
        assert ids_in(http, thread_id) == list(reversed(made))
        page = client.beta.threads.messages.list(thread_id)
        assert [m.id for m in page.data] == list(reversed(made))
        assert page.has_more is False

    def test_ascending(self, client: openai.OpenAI, http: httpx.Client) -> None:
        thread_id, made = self.make(client, 4)
        assert ids_in(http, thread_id, order="asc") == made

    def test_limit_and_has_more(self, client: openai.OpenAI, http: httpx.Client) -> None:
        thread_id, made = self.make(client, 5)
        body = listed(http, thread_id, limit=2)
        assert [m["id"] for m in body["data"]] == [made[4], made[3]]
        assert (body["first_id"], body["last_id"], body["has_more"]) == (made[4], made[3], True)
        body = listed(http, thread_id, limit=5)
        assert body["has_more"] is False
        assert (body["first_id"], body["last_id"]) == (made[4], made[0])

    def test_after_pages_forward(self, client: openai.OpenAI, http: httpx.Client) -> None:
        thread_id, made = self.make(client, 5)
        body = listed(http, thread_id, order="asc", limit=2, after=made[1])
        assert [m["id"] for m in body["data"]] == made[2:4]
        assert body["has_more"] is True
        body = listed(http, thread_id, order="asc", limit=2, after=made[3])
        assert [m["id"] for m in body["data"]] == [made[4]]
        assert body["has_more"] is False
        body = listed(http, thread_id, limit=10, after=made[2])  # desc: the older ones
        assert [m["id"] for m in body["data"]] == [made[1], made[0]]
        assert body["has_more"] is False

    def test_before_pages_backward(self, client: openai.OpenAI, http: httpx.Client) -> None:
        thread_id, made = self.make(client, 5)
        body = listed(http, thread_id, order="asc", limit=2, before=made[4])
        assert [m["id"] for m in body["data"]] == made[2:4]
        assert body["has_more"] is True
        body = listed(http, thread_id, limit=10, before=made[2])  # desc: the newer ones
        assert [m["id"] for m in body["data"]] == [made[4], made[3]]
        assert body["has_more"] is False

    def test_sdk_auto_pagination(self, client: openai.OpenAI) -> None:
        thread_id, made = self.make(client, 5)
        seen = [m.id for m in client.beta.threads.messages.list(thread_id, order="asc", limit=2)]
        assert seen == made

    def test_empty(self, client: openai.OpenAI, http: httpx.Client) -> None:
        thread = make_thread(client)
        assert listed(http, thread.id) == {
            "object": "list",
            "data": [],
            "first_id": None,
            "last_id": None,
            "has_more": False,
        }

    def test_only_this_thread(self, client: openai.OpenAI, http: httpx.Client) -> None:
        first, mine = self.make(client, 2)
        second, theirs = self.make(client, 2)
        assert ids_in(http, first, order="asc") == mine
        assert ids_in(http, second, order="asc") == theirs

    def test_unknown_thread_is_404(self, http: httpx.Client) -> None:
        response = http.get("threads/thread_nope/messages")
        assert error_of(response, 404) == not_found("No thread found with id 'thread_nope'.")

    @pytest.mark.parametrize(
        ("params", "param"),
        [
            pytest.param({"limit": 0}, "limit", id="limit-0"),
            pytest.param({"limit": 101}, "limit", id="limit-101"),
            pytest.param({"order": "sideways"}, "order", id="bad-order"),
        ],
    )
    def test_bad_parameter(
        self, client: openai.OpenAI, http: httpx.Client, params: dict[str, Any], param: str
    ) -> None:
        thread = make_thread(client)
        response = http.get(f"threads/{thread.id}/messages", params=params)
        assert error_of(response, 400)["param"] == param

    def test_run_id_filter(self, client: openai.OpenAI, http: httpx.Client, model: str) -> None:
        assistant = make_assistant(client, model)
        thread = make_thread(client, messages=[{"role": "user", "content": "ping"}])
        run = client.beta.threads.runs.create_and_poll(
            thread_id=thread.id, assistant_id=assistant.id
        )
        assert run.status == "completed", run.last_error
        add(client, thread.id, "after the run")

        everything = listed(http, thread.id, order="asc")["data"]
        assert [m["role"] for m in everything] == ["user", "assistant", "user"]
        reply = everything[1]
        assert reply["run_id"] == run.id
        assert reply["assistant_id"] == assistant.id
        assert reply["content"][0]["text"]["value"] == "Echo: ping"
        assert [m["run_id"] for m in (everything[0], everything[2])] == [None, None]

        only = listed(http, thread.id, run_id=run.id)
        assert only["data"] == [reply]
        assert (only["first_id"], only["last_id"], only["has_more"]) == (
            reply["id"],
            reply["id"],
            False,
        )
        parsed = client.beta.threads.messages.list(thread.id, run_id=run.id).data
        assert [m.id for m in parsed] == [reply["id"]]
        assert listed(http, thread.id, run_id="run_other")["data"] == []


class TestModify:
    def test_metadata_is_replaced(self, client: openai.OpenAI, http: httpx.Client) -> None:
        thread = make_thread(client)
        message = add(client, thread.id, "note", metadata={"a": "1", "b": "2"})
        body = message_json(
            http.post(f"threads/{thread.id}/messages/{message.id}", json={"metadata": {"c": "3"}})
        )
        assert body["metadata"] == {"c": "3"}
        assert body["content"] == [text_json("note")]
        assert body["created_at"] == message.created_at
        fetched = client.beta.threads.messages.retrieve(message.id, thread_id=thread.id)
        assert fetched.metadata == {"c": "3"}
        updated = client.beta.threads.messages.update(message.id, thread_id=thread.id, metadata={})
        assert updated.metadata == {}

    def test_bad_metadata_changes_nothing(self, client: openai.OpenAI) -> None:
        thread = make_thread(client)
        message = add(client, thread.id, "note", metadata={"a": "1"})
        with pytest.raises(openai.BadRequestError) as caught:
            client.beta.threads.messages.update(
                message.id, thread_id=thread.id, metadata={f"k{i}": "v" for i in range(17)}
            )
        assert caught.value.type == "invalid_request_error"
        assert caught.value.param == "metadata"
        fetched = client.beta.threads.messages.retrieve(message.id, thread_id=thread.id)
        assert fetched.metadata == {"a": "1"}

    def test_unknown_message_is_404(self, client: openai.OpenAI, http: httpx.Client) -> None:
        thread = make_thread(client)
        response = http.post(f"threads/{thread.id}/messages/msg_nope", json={"metadata": {}})
        assert error_of(response, 404) == not_found("No message found with id 'msg_nope'.")
        response = http.post("threads/thread_nope/messages/msg_nope", json={"metadata": {}})
        assert error_of(response, 404) == not_found("No thread found with id 'thread_nope'.")


class TestDelete:
    def test_deleted_shape_and_gone(self, client: openai.OpenAI, http: httpx.Client) -> None:
        thread = make_thread(client)
        keep, drop = add(client, thread.id, "keep"), add(client, thread.id, "drop")
        body = ok(http.delete(f"threads/{thread.id}/messages/{drop.id}"))
        v2.DeleteMessageResponse.model_validate(body)
        assert body == {"id": drop.id, "object": "thread.message.deleted", "deleted": True}
        gone = not_found(f"No message found with id '{drop.id}'.")
        with pytest.raises(openai.NotFoundError) as caught:
            client.beta.threads.messages.retrieve(drop.id, thread_id=thread.id)
        assert caught.value.body == gone
        with pytest.raises(openai.NotFoundError) as caught:
            client.beta.threads.messages.delete(drop.id, thread_id=thread.id)
        assert caught.value.body == gone
        assert ids_in(http, thread.id) == [keep.id]

    def test_through_the_sdk(self, client: openai.OpenAI) -> None:
        thread = make_thread(client)
        message = add(client, thread.id, "bye")
        deleted = client.beta.threads.messages.delete(message.id, thread_id=thread.id)
        assert (deleted.id, deleted.object, deleted.deleted) == (
            message.id,
            "thread.message.deleted",
            True,
        )
        assert client.beta.threads.messages.list(thread.id).data == []

    def test_unknown_is_404(self, client: openai.OpenAI, http: httpx.Client) -> None:
        thread = make_thread(client)
        response = http.delete(f"threads/{thread.id}/messages/msg_nope")
        assert error_of(response, 404) == not_found("No message found with id 'msg_nope'.")
        response = http.delete("threads/thread_nope/messages/msg_nope")
        assert error_of(response, 404) == not_found("No thread found with id 'thread_nope'.")


class TestActiveRun:
    def test_no_messages_while_a_run_is_active(
        self, client: openai.OpenAI, http: httpx.Client, fake_model: FakeModelServer, model: str
    ) -> None:
        fake_model.script(model, Reply(tool_calls=[Call("f", "{}")]))
        assistant = make_assistant(
            client, model, tools=[{"type": "function", "function": {"name": "f"}}]
        )
        thread = make_thread(client, messages=[{"role": "user", "content": "call f"}])
        run = client.beta.threads.runs.create_and_poll(
            thread_id=thread.id, assistant_id=assistant.id
        )
        assert run.status == "requires_action", run.last_error
        before = listed(http, thread.id)

        response = http.post(
            f"threads/{thread.id}/messages", json={"role": "user", "content": "too soon"}
        )
        error = error_of(response, 400)
        assert error["message"] == (
            f"Can't add messages to {thread.id} while a run {run.id} is active."
        )
        assert error["type"] == "invalid_request_error"
        with pytest.raises(openai.BadRequestError) as caught:
            add(client, thread.id, "still too soon")
        assert caught.value.message.endswith(
            f"Can't add messages to {thread.id} while a run {run.id} is active."
        )
        assert listed(http, thread.id) == before

        cancelled = client.beta.threads.runs.cancel(run.id, thread_id=thread.id)
        assert cancelled.status in ("cancelling", "cancelled")
        deadline = time.monotonic() + 10
        while cancelled.status != "cancelled" and time.monotonic() < deadline:
            time.sleep(0.05)
            cancelled = client.beta.threads.runs.retrieve(run.id, thread_id=thread.id)
        assert cancelled.status == "cancelled"

        message = add(client, thread.id, "now it works")
        assert text_of(message) == "now it works"
        assert client.beta.threads.messages.list(thread.id).data[0].id == message.id

    def test_other_threads_unaffected(
        self, client: openai.OpenAI, fake_model: FakeModelServer, model: str
    ) -> None:
        fake_model.script(model, Reply(tool_calls=[Call("f", "{}")]))
        assistant = make_assistant(
            client, model, tools=[{"type": "function", "function": {"name": "f"}}]
        )
        busy = make_thread(client, messages=[{"role": "user", "content": "call f"}])
        run = client.beta.threads.runs.create_and_poll(thread_id=busy.id, assistant_id=assistant.id)
        assert run.status == "requires_action", run.last_error
        idle = make_thread(client)
        assert text_of(add(client, idle.id, "fine here")) == "fine here"
        client.beta.threads.runs.cancel(run.id, thread_id=busy.id)


class TestApiV1:
    def test_file_ids_shape(self, client: openai.OpenAI, http: httpx.Client) -> None:
        file_id = upload(client)
        thread = make_thread(client)
        response = http.post(
            f"threads/{thread.id}/messages",
            json={"role": "user", "content": "see file", "file_ids": [file_id]},
            headers=V1,
        )
        body = ok(response)
        v1.MessageObject.model_validate(body)
        assert set(body) == V1_MESSAGE_KEYS
        assert "attachments" not in body
        assert body["file_ids"] == [file_id]
        assert body["content"] == [text_json("see file")]

        fetched = ok(http.get(f"threads/{thread.id}/messages/{body['id']}", headers=V1))
        v1.MessageObject.model_validate(fetched)
        assert fetched == body
        v1_list = ok(http.get(f"threads/{thread.id}/messages", headers=V1))
        for item in v1_list["data"]:
            v1.MessageObject.model_validate(item)
        assert v1_list["data"] == [body]

        # the same message, seen by a v2 client: an attachment for file search
        v2_body = message_json(http.get(f"threads/{thread.id}/messages/{body['id']}"))
        assert v2_body["attachments"] == [{"file_id": file_id, "tools": [{"type": "file_search"}]}]
        assert "file_ids" not in v2_body
        parsed = client.beta.threads.messages.retrieve(body["id"], thread_id=thread.id)
        assert parsed.attachments is not None
        assert [a.file_id for a in parsed.attachments] == [file_id]

    def test_message_files(self, client: openai.OpenAI, http: httpx.Client) -> None:
        first, second = upload(client), upload(client, b"more")
        thread = make_thread(client)
        message = ok(
            http.post(
                f"threads/{thread.id}/messages",
                json={"role": "user", "content": "two files", "file_ids": [first, second]},
                headers=V1,
            )
        )
        # newest attachment first, as every list is by default (order=desc)
        files = ok(http.get(f"threads/{thread.id}/messages/{message['id']}/files", headers=V1))
        v1.ListMessageFilesResponse.model_validate(files)
        assert files == {
            "object": "list",
            "data": [
                {
                    "id": file_id,
                    "object": "thread.message.file",
                    "created_at": message["created_at"],
                    "message_id": message["id"],
                }
                for file_id in (second, first)
            ],
            "first_id": second,
            "last_id": first,
            "has_more": False,
        }
        one = ok(
            http.get(f"threads/{thread.id}/messages/{message['id']}/files/{second}", headers=V1)
        )
        v1.MessageFileObject.model_validate(one)
        assert one == files["data"][0]
        response = http.get(
            f"threads/{thread.id}/messages/{message['id']}/files/file-nope", headers=V1
        )
        assert error_of(response, 404)["message"] == "No file found with id 'file-nope'."

    def test_missing_file_is_404(self, client: openai.OpenAI, http: httpx.Client) -> None:
        thread = make_thread(client)
        response = http.post(
            f"threads/{thread.id}/messages",
            json={"role": "user", "content": "x", "file_ids": ["file-missing"]},
            headers=V1,
        )
        assert error_of(response, 404) == not_found(
            "No file found with id 'file-missing'.", "file_ids"
        )
        assert ids_in(http, thread.id) == []

    def test_v1_rejects_attachments(self, client: openai.OpenAI, http: httpx.Client) -> None:
        file_id = upload(client)
        thread = make_thread(client)
        response = http.post(
            f"threads/{thread.id}/messages",
            json={
                "role": "user",
                "content": "x",
                "attachments": [{"file_id": file_id, "tools": [{"type": "file_search"}]}],
            },
            headers=V1,
        )
        assert error_of(response, 400)["param"] == "attachments"
        assert ids_in(http, thread.id) == []
