"""Vector stores through the official SDK (v2), against a real server: create, retrieve,
modify, list, delete, expiry, counts, errors and tenancy."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
import openai
import pytest
from dirty_equals import IsInt, IsStr

from tests.contract.knowledge import body_of, error_of, upload_text, wait_for_store
from tests.spec_check import checked_openai

DAY = 86400
EMPTY_COUNTS = {"in_progress": 0, "completed": 0, "failed": 0, "cancelled": 0, "total": 0}
SHAPE = {
    "id",
    "object",
    "created_at",
    "name",
    "usage_bytes",
    "file_counts",
    "status",
    "expires_after",
    "expires_at",
    "last_active_at",
    "metadata",
}


def stored_ids(client: openai.OpenAI) -> list[str]:
    return [store.id for store in client.vector_stores.list(limit=100)]


def consistent(store: openai.types.VectorStore) -> None:
    """A store is `in_progress` exactly while one of its files is; counts add up."""
    counts = store.file_counts
    assert store.status == ("in_progress" if counts.in_progress else "completed")
    assert counts.total == counts.in_progress + counts.completed + counts.failed + counts.cancelled


class TestCreate:
    def test_returns_the_vector_store(self, client: openai.OpenAI, http: httpx.Client) -> None:
        before = int(time.time())
        response = http.post("vector_stores", json={"name": "Docs", "metadata": {"team": "a"}})
        after = int(time.time())
        assert response.status_code == 200, response.text
        body = response.json()
        assert "expires_after" not in body  # an object when set, left out when not
        body["expires_after"] = None  # as the SDK reads its absence
        assert set(body) - SHAPE <= {"description"}
        assert {key: body[key] for key in SHAPE} == {
            "id": IsStr(regex=r"^vs_[0-9A-Za-z]+$"),
            "object": "vector_store",
            "created_at": IsInt(ge=before, le=after),
            "name": "Docs",
            "usage_bytes": 0,
            "file_counts": EMPTY_COUNTS,
            "status": "completed",
            "expires_after": None,
            "expires_at": None,
            "last_active_at": IsInt(ge=before, le=after),
            "metadata": {"team": "a"},
        }
        fetched = client.vector_stores.retrieve(body["id"])
        assert fetched.model_dump(include=SHAPE) == {key: body[key] for key in SHAPE}

    def test_with_files_counts_and_ingests_them(self, client: openai.OpenAI) -> None:
        texts = ["The lighthouse keeper logs every ship.", "Granite is an igneous rock."]
        files = [upload_text(client, text, f"{n}.txt") for n, text in enumerate(texts)]
        created = client.vector_stores.create(name="two", file_ids=[f.id for f in files])
        assert created.file_counts.total == 2
        consistent(created)

        done = wait_for_store(client, created.id)
        assert done.status == "completed"
        assert done.file_counts.model_dump() == {**EMPTY_COUNTS, "completed": 2, "total": 2}
        listed = list(client.vector_stores.files.list(created.id))
        assert sorted(f.id for f in listed) == sorted(f.id for f in files)
        assert all(f.status == "completed" and f.usage_bytes > 0 for f in listed)
        assert done.usage_bytes == sum(f.usage_bytes for f in listed)

    def test_unknown_file_is_404_and_stores_nothing(self, client: openai.OpenAI) -> None:
        real = upload_text(client, "A real file.")
        with pytest.raises(openai.NotFoundError) as caught:
            client.vector_stores.create(name="x", file_ids=[real.id, "file-missing"])
        assert body_of(caught.value)["message"] == "No file found with id 'file-missing'."
        assert stored_ids(client) == []

    def test_expires_after_sets_expires_at(self, client: openai.OpenAI) -> None:
        created = client.vector_stores.create(
            name="short-lived", expires_after={"anchor": "last_active_at", "days": 1}
        )
        assert created.expires_after is not None
        assert created.expires_after.model_dump() == {"anchor": "last_active_at", "days": 1}
        assert created.last_active_at is not None
        assert created.expires_at == created.last_active_at + 1 * DAY
        assert created.status == "completed"  # not expired: a day has not passed
        fetched = client.vector_stores.retrieve(created.id)
        assert fetched.expires_at == fetched.last_active_at + 1 * DAY  # type: ignore[operator]
        assert fetched.status == "completed"


INVALID_CREATE = [
    pytest.param({"name": 5}, "name", id="name-not-a-string"),
    pytest.param(
        {"expires_after": {"anchor": "last_active_at", "days": 0}},
        "expires_after.days",
        id="zero-days",
    ),
    pytest.param(
        {"expires_after": {"anchor": "last_active_at", "days": 366}},
        "expires_after.days",
        id="366-days",
    ),
    pytest.param(
        {"expires_after": {"anchor": "created_at", "days": 1}},
        "expires_after.anchor",
        id="bad-anchor",
    ),
    pytest.param(
        {"expires_after": {"anchor": "last_active_at"}}, "expires_after.days", id="no-days"
    ),
    pytest.param(
        {"metadata": {f"k{n}": "v" for n in range(17)}}, "metadata", id="17-metadata-keys"
    ),
    pytest.param({"metadata": {"k": "v" * 513}}, "metadata.k", id="metadata-value-too-long"),
    pytest.param({"file_ids": "file-abc"}, "file_ids", id="file-ids-not-a-list"),
]


class TestCreateValidation:
    @pytest.mark.parametrize(("body", "param"), INVALID_CREATE)
    def test_rejects_and_stores_nothing(
        self, http: httpx.Client, body: dict[str, Any], param: str
    ) -> None:
        error = error_of(http.post("vector_stores", json={"name": "bad", **body}), 400)
        assert error["type"] == "invalid_request_error"
        assert error["param"] in (param, param.split(".")[0])
        assert error["message"]
        assert http.get("vector_stores").json()["data"] == []

    def test_unknown_field(self, http: httpx.Client) -> None:
        error = error_of(http.post("vector_stores", json={"name": "x", "colour": "red"}), 400)
        assert "colour" in error["message"]
        assert http.get("vector_stores").json()["data"] == []


class TestRetrieve:
    def test_missing_is_404_with_openai_wording(self, client: openai.OpenAI) -> None:
        with pytest.raises(openai.NotFoundError) as caught:
            client.vector_stores.retrieve("vs_missing")
        assert body_of(caught.value)["message"] == "No vector store found with id 'vs_missing'."
        assert body_of(caught.value)["type"] == "invalid_request_error"

    @pytest.mark.parametrize(
        ("method", "path"),
        [
            ("POST", "vector_stores/vs_missing"),
            ("DELETE", "vector_stores/vs_missing"),
            ("GET", "vector_stores/vs_missing/files"),
            ("POST", "vector_stores/vs_missing/search"),
            ("POST", "vector_stores/vs_missing/file_batches"),
        ],
    )
    def test_every_route_says_which_store(self, http: httpx.Client, method: str, path: str) -> None:
        body = {
            "POST vector_stores/vs_missing": {"name": "x"},
            "POST vector_stores/vs_missing/search": {"query": "anything"},
            "POST vector_stores/vs_missing/file_batches": {"file_ids": ["file-missing"]},
        }.get(f"{method} {path}")
        response = http.request(method, path, json=body)
        error = error_of(response, 404)
        assert error["message"] == "No vector store found with id 'vs_missing'."


class TestModify:
    def test_name_and_metadata(self, client: openai.OpenAI) -> None:
        created = client.vector_stores.create(name="old", metadata={"a": "1"})
        updated = client.vector_stores.update(created.id, name="new", metadata={"b": "2"})
        assert updated.id == created.id
        assert updated.name == "new"
        assert updated.metadata == {"b": "2"}
        fetched = client.vector_stores.retrieve(created.id)
        assert fetched.model_dump() == updated.model_dump()

    def test_only_given_fields_change(self, client: openai.OpenAI) -> None:
        created = client.vector_stores.create(name="keep", metadata={"a": "1"})
        updated = client.vector_stores.update(created.id, metadata={"a": "2"})
        assert updated.name == "keep"
        assert updated.metadata == {"a": "2"}

    def test_expires_after(self, client: openai.OpenAI) -> None:
        created = client.vector_stores.create(name="expiring")
        assert created.expires_at is None
        updated = client.vector_stores.update(
            created.id, expires_after={"anchor": "last_active_at", "days": 2}
        )
        assert updated.expires_after is not None
        assert updated.expires_after.model_dump() == {"anchor": "last_active_at", "days": 2}
        assert updated.last_active_at is not None
        assert updated.expires_at == updated.last_active_at + 2 * DAY
        assert updated.status == "completed"

    def test_invalid_change_changes_nothing(
        self, client: openai.OpenAI, http: httpx.Client
    ) -> None:
        created = client.vector_stores.create(name="stable")
        body = {"name": "changed", "expires_after": {"anchor": "last_active_at", "days": 0}}
        error = error_of(http.post(f"vector_stores/{created.id}", json=body), 400)
        assert error["param"] in ("expires_after.days", "expires_after")
        fetched = client.vector_stores.retrieve(created.id)
        assert fetched.name == "stable"
        assert fetched.expires_after is None


class TestList:
    def test_newest_first_and_pages(self, client: openai.OpenAI) -> None:
        made = [client.vector_stores.create(name=f"store {n}").id for n in range(5)]
        newest_first = list(reversed(made))
        page = client.vector_stores.list(limit=2)
        assert [store.id for store in page.data] == newest_first[:2]
        assert page.has_more is True
        assert [store.id for store in client.vector_stores.list(limit=2)] == newest_first
        assert [store.id for store in client.vector_stores.list(order="asc")] == made
        after = client.vector_stores.list(after=newest_first[1], limit=2)
        assert [store.id for store in after.data] == newest_first[2:4]
        before = client.vector_stores.list(before=newest_first[2], limit=5)
        assert [store.id for store in before.data] == newest_first[:2]

    def test_empty(self, http: httpx.Client) -> None:
        assert http.get("vector_stores").json() == {
            "object": "list",
            "data": [],
            "first_id": None,
            "last_id": None,
            "has_more": False,
        }


class TestDelete:
    def test_deletes_then_404_and_keeps_the_file(self, client: openai.OpenAI) -> None:
        uploaded = upload_text(client, "Kept after the store goes.")
        store = client.vector_stores.create(name="doomed", file_ids=[uploaded.id])
        wait_for_store(client, store.id)
        deleted = client.vector_stores.delete(store.id)
        assert deleted.model_dump() == {
            "id": store.id,
            "object": "vector_store.deleted",
            "deleted": True,
        }
        with pytest.raises(openai.NotFoundError):
            client.vector_stores.retrieve(store.id)
        with pytest.raises(openai.NotFoundError):
            client.vector_stores.delete(store.id)
        assert stored_ids(client) == []
        assert client.files.retrieve(uploaded.id).id == uploaded.id


def test_tenants_do_not_see_each_other_stores(
    base_url: str, client: openai.OpenAI, other_api_key: str
) -> None:
    uploaded = upload_text(client, "Private notes about the harbour.")
    mine = client.vector_stores.create(name="mine", file_ids=[uploaded.id])
    wait_for_store(client, mine.id)
    with checked_openai(base_url=base_url, api_key=other_api_key, max_retries=0) as other:
        calls: list[Callable[[], object]] = [
            lambda: other.vector_stores.retrieve(mine.id),
            lambda: other.vector_stores.update(mine.id, name="stolen"),
            lambda: other.vector_stores.search(mine.id, query="harbour"),
            lambda: other.vector_stores.files.list(mine.id),
            lambda: other.vector_stores.files.retrieve(uploaded.id, vector_store_id=mine.id),
            lambda: other.vector_stores.files.content(uploaded.id, vector_store_id=mine.id),
            lambda: other.vector_stores.files.delete(uploaded.id, vector_store_id=mine.id),
            lambda: other.vector_stores.delete(mine.id),
        ]
        for call in calls:
            with pytest.raises(openai.NotFoundError) as caught:
                call()
            assert body_of(caught.value)["message"] == f"No vector store found with id '{mine.id}'."
        assert mine.id not in [store.id for store in other.vector_stores.list(limit=100)]
        theirs = other.vector_stores.create(name="theirs")
        with pytest.raises(openai.NotFoundError) as caught:
            other.vector_stores.files.create(theirs.id, file_id=uploaded.id)
        assert body_of(caught.value)["message"] == f"No file found with id '{uploaded.id}'."
    fetched = client.vector_stores.retrieve(mine.id)
    assert fetched.name == "mine"
    assert fetched.file_counts.completed == 1
    assert [r.file_id for r in client.vector_stores.search(mine.id, query="harbour")] == [
        uploaded.id
    ]
