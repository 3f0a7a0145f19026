"""Helpers shared by the file-search tests: upload a text file, attach it to a vector store,
wait until the server has ingested it (or a whole store or batch), and read a raw error body.

Polling is short (every 50 ms) with a deadline, so a stuck ingestion fails the test instead of
hanging it.
"""

from __future__ import annotations

import time
from typing import Any

import httpx
import openai
import pytest
from openai.types import FileObject
from openai.types.vector_stores import VectorStoreFile, VectorStoreFileBatch

DEADLINE_SECONDS = 20.0
EMBEDDINGS_MODEL = "text-embedding-3-small"  # the server's default ASSISTANTS_EMBEDDINGS_MODEL
# a fact to find, a file that does not hold it, and a model's answer citing the first result
FACTS = (
    "The lighthouse keeper of Brindle Island is Oswin Farrow. "
    "He polishes the brass lamp of the lighthouse every Tuesday."
)
OTHER = (
    "Bananas grown on a warm island ripen faster in a paper bag, "
    "because the bag keeps the ethylene gas near the fruit."
)
QUESTION = "Who keeps the lighthouse on Brindle Island?"
QUERY = "lighthouse keeper Brindle Island"
MARKER = "【0:0†facts.txt】"
ANSWER = f"The keeper is Oswin Farrow {MARKER}."
AUTO_CHUNKING = {
    "type": "static",
    "static": {"max_chunk_size_tokens": 800, "chunk_overlap_tokens": 400},
}


def upload_text(
    client: openai.OpenAI, text: str | bytes, filename: str = "notes.txt"
) -> FileObject:
    """Upload `text` (UTF-8 encoded when a str) as an `assistants` file named `filename`."""
    data = text.encode() if isinstance(text, str) else text
    return client.files.create(file=(filename, data), purpose="assistants")


def wait_for_file(
    client: openai.OpenAI, vector_store_id: str, file_id: str, deadline: float = DEADLINE_SECONDS
) -> VectorStoreFile:
    """Poll the vector store file until it leaves `in_progress`; fail after `deadline` s."""
    give_up = time.monotonic() + deadline
    while True:
        found = client.vector_stores.files.retrieve(file_id, vector_store_id=vector_store_id)
        if found.status != "in_progress":
            return found
        if time.monotonic() > give_up:
            pytest.fail(f"vector store file {file_id} still in_progress after {deadline}s")
        time.sleep(0.05)


def add_text(
    client: openai.OpenAI,
    vector_store_id: str,
    text: str | bytes,
    filename: str = "notes.txt",
    **params: Any,
) -> VectorStoreFile:
    """Upload `text`, attach it to the store (`params`: attributes, chunking_strategy) and
    return the vector store file once ingested (completed or failed)."""
    uploaded = upload_text(client, text, filename)
    client.vector_stores.files.create(vector_store_id, file_id=uploaded.id, **params)
    return wait_for_file(client, vector_store_id, uploaded.id)


def wait_for_store(
    client: openai.OpenAI, vector_store_id: str, deadline: float = DEADLINE_SECONDS
) -> openai.types.VectorStore:
    """Poll the vector store until none of its files is in progress."""
    give_up = time.monotonic() + deadline
    while True:
        store = client.vector_stores.retrieve(vector_store_id)
        if store.file_counts.in_progress == 0:
            return store
        if time.monotonic() > give_up:
            pytest.fail(f"vector store {vector_store_id} still ingesting after {deadline}s")
        time.sleep(0.05)


def wait_for_batch(
    client: openai.OpenAI, vector_store_id: str, batch_id: str, deadline: float = DEADLINE_SECONDS
) -> VectorStoreFileBatch:
    """Poll the file batch until none of its files is in progress."""
    give_up = time.monotonic() + deadline
    while True:
        batch = client.vector_stores.file_batches.retrieve(
            batch_id, vector_store_id=vector_store_id
        )
        if batch.file_counts.in_progress == 0 and batch.status != "in_progress":
            return batch
        if time.monotonic() > give_up:
            pytest.fail(f"file batch {batch_id} still {batch.status!r} after {deadline}s")
        time.sleep(0.05)


def error_of(response: httpx.Response, status: int) -> dict[str, Any]:
    """The `error` object of an OpenAI error envelope, after checking the status code."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}, body
    error: dict[str, Any] = body["error"]
    assert set(error) == {"message", "type", "param", "code"}, error
    return error


def body_of(error: openai.APIStatusError) -> dict[str, Any]:
    """The `error` object the SDK parsed from an error response."""
    assert isinstance(error.body, dict), error.body
    return error.body
