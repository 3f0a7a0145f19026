"""Vector store files and file batches through the official SDK (v2), against a real server:
attaching and ingesting, pollers, content, unreadable files, chunking strategies, attributes,
batches, lists, and what deleting a store file, a store or the file itself does."""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import docx
import httpx
import openai
import pytest
from dirty_equals import IsInt, IsStr

from tests.contract.knowledge import (
    AUTO_CHUNKING,
    DEADLINE_SECONDS,
    add_text,
    body_of,
    upload_text,
    wait_for_batch,
    wait_for_file,
    wait_for_store,
)
from tests.retrieval.test_extract import make_pdf

T = TypeVar("T")
STATIC_200 = {
    "type": "static",
    "static": {"max_chunk_size_tokens": 200, "chunk_overlap_tokens": 50},
}
STATIC_100 = {
    "type": "static",
    "static": {"max_chunk_size_tokens": 100, "chunk_overlap_tokens": 50},
}


def within(seconds: float, call: Callable[[], T]) -> T:
    """`call()` in a daemon thread, failing the test if it takes longer than `seconds` (the
    SDK's batch pollers have no deadline of their own)."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = call()
        except BaseException as exc:  # handed to the test below
            outcome["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        pytest.fail(f"still polling after {seconds}s")
    if "error" in outcome:
        raise outcome["error"]
    value: T = outcome["value"]
    return value


def prose(sentences: int, topic: str = "river") -> str:
    """Distinct, readable sentences (about 12 tokens each) that chunk deterministically."""
    return "".join(
        f"Sentence {n} says the {topic} passed mill number {n * 7} at dawn.\n"
        for n in range(sentences)
    )


def found_ids(client: openai.OpenAI, store_id: str, query: str) -> set[str]:
    return {result.file_id for result in client.vector_stores.search(store_id, query=query)}


def counts(client: openai.OpenAI, store_id: str) -> dict[str, int]:
    return client.vector_stores.retrieve(store_id).file_counts.model_dump()


def make_docx(*paragraphs: str) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


class TestAttach:
    def test_returns_the_vector_store_file(self, client: openai.OpenAI, http: httpx.Client) -> None:
        store = client.vector_stores.create(name="docs")
        uploaded = upload_text(client, "Tides follow the moon.", "tides.txt")
        before = int(time.time())
        response = http.post(f"vector_stores/{store.id}/files", json={"file_id": uploaded.id})
        after = int(time.time())
        assert response.status_code == 200, response.text
        body = response.json()
        assert body == {
            "id": uploaded.id,
            "object": "vector_store.file",
            "created_at": IsInt(ge=before, le=after),
            "vector_store_id": store.id,
            "usage_bytes": IsInt(ge=0),
            "status": IsStr(regex="^(in_progress|completed)$"),
            "last_error": None,
            "chunking_strategy": AUTO_CHUNKING,
            "attributes": body["attributes"],
        }
        assert body["attributes"] in ({}, None)

        done = wait_for_file(client, store.id, uploaded.id)
        assert done.status == "completed"
        assert done.last_error is None
        assert done.usage_bytes > 0
        fetched = http.get(f"vector_stores/{store.id}/files/{uploaded.id}")
        assert fetched.headers["openai-poll-after-ms"] == "100"
        assert fetched.json()["status"] == "completed"

    def test_upload_and_poll(self, client: openai.OpenAI) -> None:
        store = client.vector_stores.create(name="docs")
        done = client.vector_stores.files.upload_and_poll(
            vector_store_id=store.id,
            file=("guide.md", b"# Guide\n\nThe kettle whistles when the water boils.\n"),
            attributes={"lang": "en", "version": 2, "draft": False},
            max_wait_seconds=DEADLINE_SECONDS,
        )
        assert done.status == "completed"
        assert done.vector_store_id == store.id
        assert done.attributes == {"lang": "en", "version": 2, "draft": False}
        assert client.files.retrieve(done.id).filename == "guide.md"
        assert counts(client, store.id) == {
            "in_progress": 0,
            "completed": 1,
            "failed": 0,
            "cancelled": 0,
            "total": 1,
        }

    def test_create_and_poll_with_static_chunking(self, client: openai.OpenAI) -> None:
        store = client.vector_stores.create(name="docs")
        uploaded = upload_text(client, prose(40), "river.txt")
        done = client.vector_stores.files.create_and_poll(
            uploaded.id,
            vector_store_id=store.id,
            chunking_strategy=STATIC_200,  # type: ignore[arg-type]
            max_wait_seconds=DEADLINE_SECONDS,
        )
        assert done.status == "completed"
        assert done.chunking_strategy is not None
        assert done.chunking_strategy.model_dump() == STATIC_200
        listed = client.vector_stores.files.list(store.id).data
        assert [f.chunking_strategy.model_dump() for f in listed if f.chunking_strategy] == [
            STATIC_200
        ]

    def test_unknown_file_is_404_and_adds_nothing(self, client: openai.OpenAI) -> None:
        store = client.vector_stores.create(name="docs")
        with pytest.raises(openai.NotFoundError) as caught:
            client.vector_stores.files.create(store.id, file_id="file-missing")
        assert body_of(caught.value)["message"] == "No file found with id 'file-missing'."
        assert client.vector_stores.files.list(store.id).data == []
        assert counts(client, store.id)["total"] == 0

    def test_missing_store_file_is_404(self, client: openai.OpenAI) -> None:
        store = client.vector_stores.create(name="docs")
        unattached = upload_text(client, "Never attached.")
        for file_id in ("file-missing", unattached.id):
            with pytest.raises(openai.NotFoundError) as caught:
                client.vector_stores.files.retrieve(file_id, vector_store_id=store.id)
            assert body_of(caught.value)["message"].startswith(f"No file found with id '{file_id}'")


class TestContent:
    @pytest.mark.parametrize(
        ("text", "strategy", "pages"),
        [
            pytest.param("Short notes.\nSecond line.\n", None, 1, id="auto-one-page"),
            pytest.param(prose(60), STATIC_100, 2, id="static-many-pages"),
        ],
    )
    def test_pages_join_to_the_text(
        self,
        client: openai.OpenAI,
        http: httpx.Client,
        text: str,
        strategy: dict[str, Any] | None,
        pages: int,
    ) -> None:
        store = client.vector_stores.create(name="docs")
        params = {"chunking_strategy": strategy} if strategy else {}
        added = add_text(client, store.id, text, "notes.txt", **params)
        assert added.status == "completed"
        raw = http.get(f"vector_stores/{store.id}/files/{added.id}/content").json()
        assert raw["object"] == "vector_store.file_content.page"
        assert raw["has_more"] is False
        assert raw["next_page"] is None
        assert all(set(part) == {"type", "text"} and part["type"] == "text" for part in raw["data"])
        assert len(raw["data"]) >= pages
        if pages == 1:
            assert len(raw["data"]) == 1
        parts = client.vector_stores.files.content(added.id, vector_store_id=store.id).data
        assert "".join(part.text or "" for part in parts) == text

    def test_pdf_and_docx_are_read(self, client: openai.OpenAI) -> None:
        store = client.vector_stores.create(name="docs")
        pdf = add_text(
            client, store.id, make_pdf(["Alpaca wool is warm", "Llamas carry loads"]), "animals.pdf"
        )
        word = add_text(
            client, store.id, make_docx("Saffron costs more than gold.", "By weight."), "spice.docx"
        )
        assert (pdf.status, pdf.last_error) == ("completed", None)
        assert (word.status, word.last_error) == ("completed", None)
        pdf_text = "".join(
            part.text or ""
            for part in client.vector_stores.files.content(pdf.id, vector_store_id=store.id)
        )
        assert "Alpaca wool is warm" in pdf_text
        assert "Llamas carry loads" in pdf_text
        word_text = "".join(
            part.text or ""
            for part in client.vector_stores.files.content(word.id, vector_store_id=store.id)
        )
        assert "Saffron costs more than gold." in word_text
        assert found_ids(client, store.id, "saffron gold") >= {word.id}
        assert found_ids(client, store.id, "alpaca wool") >= {pdf.id}


UNREADABLE = [
    pytest.param("blob.bin", bytes(range(256)) * 4, "unsupported_file", id="bin"),
    pytest.param("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00" * 64, "unsupported_file", id="exe"),
    pytest.param("report.pdf", b"this is plain text, not a PDF\n", "invalid_file", id="fake-pdf"),
    pytest.param("notes.txt", b"caf\xe9 au lait \xff\xfe\n", "invalid_file", id="non-utf8-txt"),
]


class TestUnreadableFiles:
    @pytest.mark.parametrize(("filename", "data", "code"), UNREADABLE)
    def test_fails_with_last_error(
        self, client: openai.OpenAI, filename: str, data: bytes, code: str
    ) -> None:
        store = client.vector_stores.create(name="docs")
        failed = add_text(client, store.id, data, filename)
        assert failed.status == "failed"
        assert failed.last_error is not None
        assert failed.last_error.code == code
        assert isinstance(failed.last_error.message, str)
        assert failed.last_error.message
        done = wait_for_store(client, store.id)
        assert done.status == "completed"
        assert done.file_counts.model_dump() == {
            "in_progress": 0,
            "completed": 0,
            "failed": 1,
            "cancelled": 0,
            "total": 1,
        }
        assert [f.id for f in client.vector_stores.files.list(store.id, filter="failed")] == [
            failed.id
        ]
        assert client.vector_stores.files.list(store.id, filter="completed").data == []
        assert found_ids(client, store.id, "caf lait plain text PDF") == set()


BAD_CHUNKING = [
    pytest.param(99, 0, "chunking_strategy.static.max_chunk_size_tokens", id="max-99"),
    pytest.param(4097, 0, "chunking_strategy.static.max_chunk_size_tokens", id="max-4097"),
    pytest.param(800, -1, "chunking_strategy.static.chunk_overlap_tokens", id="overlap-negative"),
    pytest.param(800, 401, "chunking_strategy.static.chunk_overlap_tokens", id="overlap-over-half"),
]


def bad_static(max_tokens: int, overlap: int) -> Any:
    return {
        "type": "static",
        "static": {"max_chunk_size_tokens": max_tokens, "chunk_overlap_tokens": overlap},
    }


def check_bad_chunking(caught: pytest.ExceptionInfo[openai.BadRequestError], param: str) -> None:
    assert caught.value.status_code == 400
    assert body_of(caught.value)["type"] == "invalid_request_error"
    assert body_of(caught.value)["param"] == param
    assert body_of(caught.value)["message"]


class TestChunkingValidation:
    @pytest.mark.parametrize(("max_tokens", "overlap", "param"), BAD_CHUNKING)
    def test_on_attach(
        self, client: openai.OpenAI, max_tokens: int, overlap: int, param: str
    ) -> None:
        store = client.vector_stores.create(name="docs")
        uploaded = upload_text(client, "Some text.")
        with pytest.raises(openai.BadRequestError) as caught:
            client.vector_stores.files.create(
                store.id, file_id=uploaded.id, chunking_strategy=bad_static(max_tokens, overlap)
            )
        check_bad_chunking(caught, param)
        assert client.vector_stores.files.list(store.id).data == []
        assert counts(client, store.id)["total"] == 0

    @pytest.mark.parametrize(("max_tokens", "overlap", "param"), BAD_CHUNKING)
    def test_on_store_create(
        self, client: openai.OpenAI, max_tokens: int, overlap: int, param: str
    ) -> None:
        uploaded = upload_text(client, "Some text.")
        with pytest.raises(openai.BadRequestError) as caught:
            client.vector_stores.create(
                name="docs",
                file_ids=[uploaded.id],
                chunking_strategy=bad_static(max_tokens, overlap),
            )
        check_bad_chunking(caught, param)
        assert client.vector_stores.list().data == []

    @pytest.mark.parametrize(("max_tokens", "overlap", "param"), BAD_CHUNKING)
    def test_on_batch(
        self, client: openai.OpenAI, max_tokens: int, overlap: int, param: str
    ) -> None:
        store = client.vector_stores.create(name="docs")
        uploaded = upload_text(client, "Some text.")
        with pytest.raises(openai.BadRequestError) as caught:
            client.vector_stores.file_batches.create(
                store.id, file_ids=[uploaded.id], chunking_strategy=bad_static(max_tokens, overlap)
            )
        check_bad_chunking(caught, param)
        assert client.vector_stores.files.list(store.id).data == []
        assert counts(client, store.id)["total"] == 0

    def test_unknown_type(self, client: openai.OpenAI) -> None:
        store = client.vector_stores.create(name="docs")
        uploaded = upload_text(client, "Some text.")
        with pytest.raises(openai.BadRequestError) as caught:
            client.vector_stores.files.create(
                store.id,
                file_id=uploaded.id,
                chunking_strategy={"type": "sliding"},  # type: ignore[arg-type]
            )
        assert str(body_of(caught.value)["param"]).startswith("chunking_strategy")
        assert client.vector_stores.files.list(store.id).data == []

    def test_edge_values_are_accepted(self, client: openai.OpenAI) -> None:
        store = client.vector_stores.create(name="docs")
        for max_tokens, overlap in ((100, 50), (4096, 0)):
            uploaded = upload_text(client, prose(3))
            strategy = bad_static(max_tokens, overlap)
            client.vector_stores.files.create(
                store.id, file_id=uploaded.id, chunking_strategy=strategy
            )
            done = wait_for_file(client, store.id, uploaded.id)
            assert done.status == "completed"
            assert done.chunking_strategy is not None
            assert done.chunking_strategy.model_dump() == strategy


class TestListFiles:
    def test_filter_order_and_pages(self, client: openai.OpenAI) -> None:
        store = client.vector_stores.create(name="docs")
        first = add_text(client, store.id, "First file about owls.", "a.txt")
        second = add_text(client, store.id, "Second file about hawks.", "b.txt")
        broken = add_text(client, store.id, b"\x00\x01\x02", "c.bin")
        assert (first.status, second.status, broken.status) == ("completed", "completed", "failed")
        made = [first.id, second.id, broken.id]

        files = client.vector_stores.files
        assert [f.id for f in files.list(store.id, order="asc")] == made
        assert [f.id for f in files.list(store.id)] == made[::-1]
        page = files.list(store.id, limit=2)
        assert [f.id for f in page.data] == made[::-1][:2]
        assert page.has_more is True
        assert [f.id for f in files.list(store.id, limit=1)] == made[::-1]
        assert [f.id for f in files.list(store.id, filter="completed", order="asc")] == made[:2]
        assert [f.id for f in files.list(store.id, filter="failed")] == [broken.id]
        assert files.list(store.id, filter="in_progress").data == []
        assert files.list(store.id, filter="cancelled").data == []


class TestAttributes:
    def test_update_shows_everywhere(self, client: openai.OpenAI) -> None:
        store = client.vector_stores.create(name="docs")
        added = add_text(client, store.id, "Penguins huddle for warmth.", attributes={"a": "x"})
        assert added.attributes == {"a": "x"}
        new: dict[str, str | float | bool] = {"region": "antarctic", "count": 12, "verified": True}
        updated = client.vector_stores.files.update(
            added.id, vector_store_id=store.id, attributes=new
        )
        assert updated.attributes == new
        assert updated.status == "completed"
        fetched = client.vector_stores.files.retrieve(added.id, vector_store_id=store.id)
        assert fetched.attributes == new
        results = client.vector_stores.search(store.id, query="penguins warmth").data
        assert [r.attributes for r in results] == [new] * len(results)
        assert results

    def test_too_many_attributes_is_400_and_changes_nothing(self, client: openai.OpenAI) -> None:
        store = client.vector_stores.create(name="docs")
        added = add_text(client, store.id, "Stable attributes.", attributes={"a": "x"})
        with pytest.raises(openai.BadRequestError) as caught:
            client.vector_stores.files.update(
                added.id,
                vector_store_id=store.id,
                attributes={f"k{n}": n for n in range(17)},
            )
        assert body_of(caught.value)["param"] == "attributes"
        fetched = client.vector_stores.files.retrieve(added.id, vector_store_id=store.id)
        assert fetched.attributes == {"a": "x"}


class TestBatches:
    def test_create_and_poll(self, client: openai.OpenAI, http: httpx.Client) -> None:
        store = client.vector_stores.create(name="docs")
        files = [upload_text(client, f"Batch file {n} about comets.", f"{n}.txt") for n in range(3)]
        ids = [f.id for f in files]
        before = int(time.time())
        batch = within(
            DEADLINE_SECONDS,
            lambda: client.vector_stores.file_batches.create_and_poll(store.id, file_ids=ids),
        )
        assert batch.model_dump() == {
            "id": IsStr(regex=r"^vsfb_[0-9A-Za-z]+$"),
            "object": "vector_store.files_batch",
            "created_at": IsInt(ge=before, le=int(time.time())),
            "vector_store_id": store.id,
            "status": "completed",
            "file_counts": {
                "in_progress": 0,
                "completed": 3,
                "failed": 0,
                "cancelled": 0,
                "total": 3,
            },
        }
        raw = http.get(f"vector_stores/{store.id}/file_batches/{batch.id}")
        assert raw.headers["openai-poll-after-ms"] == "100"
        assert raw.json() == batch.model_dump()

        listed = client.vector_stores.file_batches.list_files(batch.id, vector_store_id=store.id)
        assert sorted(f.id for f in listed) == sorted(ids)
        assert all(f.status == "completed" for f in listed)
        completed = client.vector_stores.file_batches.list_files(
            batch.id, vector_store_id=store.id, filter="completed"
        )
        assert sorted(f.id for f in completed) == sorted(ids)
        assert counts(client, store.id)["completed"] == 3
        assert found_ids(client, store.id, "comets") == set(ids)

    def test_upload_and_poll_counts_failures(self, client: openai.OpenAI) -> None:
        store = client.vector_stores.create(name="docs")
        batch = within(
            DEADLINE_SECONDS,
            lambda: client.vector_stores.file_batches.upload_and_poll(
                store.id,
                files=[("good.txt", b"Readable text about tulips."), ("bad.bin", b"\x00\xff" * 8)],
            ),
        )
        assert batch.status != "in_progress"
        assert batch.file_counts.model_dump() == {
            "in_progress": 0,
            "completed": 1,
            "failed": 1,
            "cancelled": 0,
            "total": 2,
        }
        failed = client.vector_stores.file_batches.list_files(
            batch.id, vector_store_id=store.id, filter="failed"
        ).data
        assert len(failed) == 1
        assert failed[0].last_error is not None
        assert failed[0].last_error.code == "unsupported_file"

    def test_only_its_own_files_are_listed(self, client: openai.OpenAI) -> None:
        store = client.vector_stores.create(name="docs")
        loose = add_text(client, store.id, "Attached on its own.")
        uploaded = upload_text(client, "Attached in a batch.")
        batch = client.vector_stores.file_batches.create(store.id, file_ids=[uploaded.id])
        assert batch.file_counts.total == 1
        wait_for_batch(client, store.id, batch.id)
        listed = client.vector_stores.file_batches.list_files(batch.id, vector_store_id=store.id)
        assert [f.id for f in listed] == [uploaded.id]
        assert loose.id != uploaded.id
        assert counts(client, store.id)["total"] == 2

    def test_cancel_stops_what_is_left(self, client: openai.OpenAI) -> None:
        store = client.vector_stores.create(name="docs")
        # A large file keeps the batch busy long enough to be cancelled before it is done.
        big = upload_text(client, prose(12_000, topic="glacier") + "The word zanzibar ends it.\n")
        small = [upload_text(client, f"Small file {n} about canals.") for n in range(3)]
        ids = [big.id, *(f.id for f in small)]
        batch = client.vector_stores.file_batches.create(store.id, file_ids=ids)
        cancelled = client.vector_stores.file_batches.cancel(batch.id, vector_store_id=store.id)
        assert cancelled.id == batch.id
        assert cancelled.status in ("in_progress", "cancelled")  # cancelling may take a moment
        done = wait_for_batch(client, store.id, batch.id)
        assert done.status == "cancelled"
        tally = done.file_counts
        assert tally.in_progress == 0
        assert tally.total == 4
        assert tally.cancelled >= 1
        assert tally.completed + tally.cancelled + tally.failed == 4
        big_file = client.vector_stores.files.retrieve(big.id, vector_store_id=store.id)
        assert big_file.status == "cancelled"
        store_now = wait_for_store(client, store.id)
        assert store_now.file_counts.cancelled == tally.cancelled
        assert big.id not in found_ids(client, store.id, "zanzibar glacier")
        listed = client.vector_stores.file_batches.list_files(
            batch.id, vector_store_id=store.id, filter="cancelled"
        )
        assert big.id in [f.id for f in listed]

    def test_missing_batch_is_404(self, client: openai.OpenAI) -> None:
        store = client.vector_stores.create(name="docs")
        with pytest.raises(openai.NotFoundError):
            client.vector_stores.file_batches.retrieve("vsfb_missing", vector_store_id=store.id)
        with pytest.raises(openai.NotFoundError):
            client.vector_stores.file_batches.cancel("vsfb_missing", vector_store_id=store.id)

    def test_unknown_file_is_404_and_adds_nothing(self, client: openai.OpenAI) -> None:
        store = client.vector_stores.create(name="docs")
        real = upload_text(client, "Real.")
        with pytest.raises(openai.NotFoundError) as caught:
            client.vector_stores.file_batches.create(store.id, file_ids=[real.id, "file-missing"])
        assert body_of(caught.value)["message"] == "No file found with id 'file-missing'."
        assert client.vector_stores.files.list(store.id).data == []


class TestDelete:
    def test_detaching_removes_it_from_search_and_counts(self, client: openai.OpenAI) -> None:
        store = client.vector_stores.create(name="docs")
        kept = add_text(client, store.id, "Volcanoes erupt molten rock.", "kept.txt")
        gone = add_text(client, store.id, "Volcanoes sleep for centuries.", "gone.txt")
        assert found_ids(client, store.id, "volcanoes") == {kept.id, gone.id}
        both = wait_for_store(client, store.id)
        assert both.file_counts.completed == 2

        deleted = client.vector_stores.files.delete(gone.id, vector_store_id=store.id)
        assert deleted.model_dump() == {
            "id": gone.id,
            "object": "vector_store.file.deleted",
            "deleted": True,
        }
        assert found_ids(client, store.id, "volcanoes centuries") == {kept.id}
        after = client.vector_stores.retrieve(store.id)
        assert after.file_counts.model_dump() == {
            "in_progress": 0,
            "completed": 1,
            "failed": 0,
            "cancelled": 0,
            "total": 1,
        }
        assert after.usage_bytes == kept.usage_bytes < both.usage_bytes
        with pytest.raises(openai.NotFoundError):
            client.vector_stores.files.retrieve(gone.id, vector_store_id=store.id)
        assert client.files.retrieve(gone.id).id == gone.id  # the file itself stays

    def test_deleting_the_file_removes_it_from_every_store(self, client: openai.OpenAI) -> None:
        uploaded = upload_text(client, "Meteors streak across the sky.", "sky.txt")
        stores = [client.vector_stores.create(name=n, file_ids=[uploaded.id]) for n in "ab"]
        for store in stores:
            wait_for_store(client, store.id)
            assert found_ids(client, store.id, "meteors") == {uploaded.id}

        client.files.delete(uploaded.id)
        for store in stores:
            assert found_ids(client, store.id, "meteors") == set()
            assert client.vector_stores.files.list(store.id).data == []
            after = client.vector_stores.retrieve(store.id)
            assert after.file_counts.total == 0
            assert after.usage_bytes == 0

    def test_deleting_a_store_leaves_the_others(self, client: openai.OpenAI) -> None:
        uploaded = upload_text(client, "Orchids bloom in spring.", "flowers.txt")
        first = client.vector_stores.create(name="first", file_ids=[uploaded.id])
        second = client.vector_stores.create(name="second", file_ids=[uploaded.id])
        wait_for_store(client, first.id)
        wait_for_store(client, second.id)
        client.vector_stores.delete(first.id)
        with pytest.raises(openai.NotFoundError):
            client.vector_stores.search(first.id, query="orchids")
        assert found_ids(client, second.id, "orchids") == {uploaded.id}
        assert client.vector_stores.retrieve(second.id).file_counts.completed == 1
