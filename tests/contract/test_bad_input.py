"""Input that once answered 500, or left something behind: each now gets OpenAI's error shape
with the right status, stores nothing, and logs no more than a line (never the body)."""

from __future__ import annotations

import http.client
import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import openai
import pytest

from tests.contract.test_files import blobs_once_deleted, stored_blobs
from tests.contract.test_validation import error_of

INVALID_JSON = (
    "We could not parse the JSON body of your request. The API expects a JSON payload, but "
    "what was sent was not valid JSON."
)
MAX_JSON_BYTES = 32 * 1024 * 1024


BOUNDARY = "bad-input-boundary"


def multipart(filename: str, purpose: str) -> bytes:
    """An upload's body written out by hand: httpx would escape a NUL in the filename."""
    return (
        f"--{BOUNDARY}\r\n"
        f'Content-Disposition: form-data; name="purpose"\r\n\r\n{purpose}\r\n'
        f"--{BOUNDARY}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: text/plain\r\n\r\nsome bytes\r\n"
        f"--{BOUNDARY}--\r\n"
    ).encode()


def nested(depth: int, marker: str) -> bytes:
    return ('{"model": "' + marker + '", "name": ' + "[" * depth + "]" * depth + "}").encode()


class TestUploads:
    @pytest.mark.parametrize("purpose", ["evals", "user_data", "vision", "batch"])
    def test_every_documented_purpose_is_kept(
        self, client: openai.OpenAI, server_env: dict[str, str], purpose: str
    ) -> None:
        """`evals` answered 500 (the file object's model lacked it) and left its bytes."""
        before = stored_blobs(server_env)
        made = client.files.create(file=("data.jsonl", b'{"a": 1}\n'), purpose=purpose)  # type: ignore[arg-type]
        assert made.purpose == purpose
        assert client.files.retrieve(made.id).purpose == purpose
        assert len(stored_blobs(server_env)) == len(before) + 1
        client.files.delete(made.id)
        assert blobs_once_deleted(server_env, len(before)) == before

    @pytest.mark.parametrize(
        ("filename", "purpose", "param"),
        [
            ("notes.txt", "nope", "purpose"),
            ("bad\x00name.txt", "assistants", "file"),
            ("notes.txt", "assist\x00ants", "purpose"),
        ],
        ids=["unknown-purpose", "nul-in-filename", "nul-in-purpose"],
    )
    def test_a_refused_upload_leaves_no_bytes(
        self,
        http: httpx.Client,
        server_env: dict[str, str],
        filename: str,
        purpose: str,
        param: str,
    ) -> None:
        before = stored_blobs(server_env)
        response = http.post(
            "files",
            content=multipart(filename, purpose),
            headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
        )
        assert error_of(response, 400)["param"] == param
        assert stored_blobs(server_env) == before
        assert http.get("files").json()["data"] == []


class TestNulCharacters:
    """PostgreSQL stores no NUL, in text or JSON: it answered 500. Both databases answer 400,
    naming the field."""

    @pytest.mark.parametrize(
        ("path", "body", "param"),
        [
            ("assistants", {"model": "m", "name": "a\x00b"}, "name"),
            ("assistants", {"model": "m", "metadata": {"k": "v\x00"}}, "metadata.k"),
            ("assistants", {"model": "m", "metadata": {"k\x00": "v"}}, "metadata.k\x00"),
            ("vector_stores", {"name": "store\x00"}, "name"),
            (
                "threads",
                {"messages": [{"role": "user", "content": "hi\x00"}]},
                "messages[0].content",
            ),
        ],
        ids=["assistant-name", "metadata-value", "metadata-key", "store-name", "message"],
    )
    def test_json_field(
        self, http: httpx.Client, path: str, body: dict[str, object], param: str
    ) -> None:
        error = error_of(http.post(path, json=body), 400)
        assert error["param"] == param
        assert "NUL" in error["message"]
        assert http.get(path).status_code in (200, 405)
        if path != "threads":
            assert http.get(path).json()["data"] == []

    def test_query_parameter(self, http: httpx.Client) -> None:
        error = error_of(http.get("files", params={"purpose": "assist\x00ants"}), 400)
        assert error["param"] == "purpose"


class TestJsonBodies:
    @pytest.mark.parametrize("path", ["assistants", "threads", "vector_stores/vs_x/search"])
    def test_deeply_nested_json_is_invalid_json(
        self, http: httpx.Client, server_log: Path, path: str
    ) -> None:
        """100,000 levels answered 500 and wrote the body into the log twice."""
        marker = "deep-body-" + path.replace("/", "-")
        logged = server_log.stat().st_size
        response = http.post(
            path, content=nested(100_000, marker), headers={"Content-Type": "application/json"}
        )
        error = error_of(response, 400)
        assert error["message"] == INVALID_JSON
        time.sleep(0.2)
        with server_log.open("rb") as log:
            log.seek(logged)
            written = log.read()
        assert marker.encode() not in written
        assert len(written) < 2000

    def test_over_the_cap_refused_before_it_is_read(self, base_url: str, api_key: str) -> None:
        """A declared size over the cap is answered at once, the body unsent."""
        address = urlsplit(base_url)
        with socket.create_connection((address.hostname, address.port), timeout=10) as sock:
            head = (
                f"POST {address.path}/assistants HTTP/1.1\r\nHost: {address.netloc}\r\n"
                f"Authorization: Bearer {api_key}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {50 * 1024 * 1024}\r\n\r\n"
            )
            sock.sendall(head.encode() + b'{"model": "')
            answer = http.client.HTTPResponse(sock)
            answer.begin()
            assert answer.status == 413
            body = json.loads(answer.read())
        assert body["error"]["type"] == "invalid_request_error"
        assert str(MAX_JSON_BYTES) in body["error"]["message"]

    def test_over_the_cap_without_a_declared_size(self, http: httpx.Client) -> None:
        def chunks() -> Iterator[bytes]:
            yield b'{"model": "m", "name": "'
            for _ in range(MAX_JSON_BYTES // (1024 * 1024) + 1):
                yield b"x" * (1024 * 1024)
            yield b'"}'

        response = http.post(
            "assistants", content=chunks(), headers={"Content-Type": "application/json"}
        )
        assert str(MAX_JSON_BYTES) in error_of(response, 413)["message"]
        assert http.get("assistants").json()["data"] == []

    def test_too_many_metadata_keys_names_the_limit(self, http: httpx.Client) -> None:
        metadata = {f"key{n}": "v" for n in range(17)}
        error = error_of(http.post("assistants", json={"model": "m", "metadata": metadata}), 400)
        assert error["param"] == "metadata"
        assert error["message"] == (
            "Invalid 'metadata': too many properties. Expected an object with at most 16 "
            "properties, but got an object with 17 properties instead."
        )


def test_a_client_gone_before_its_body_is_one_log_line(
    base_url: str, api_key: str, server_log: Path
) -> None:
    """It was logged as an unhandled error, with two tracebacks."""
    address = urlsplit(base_url)
    logged = server_log.stat().st_size
    with socket.create_connection((address.hostname, address.port), timeout=10) as sock:
        head = (
            f"POST {address.path}/assistants HTTP/1.1\r\nHost: {address.netloc}\r\n"
            f"Authorization: Bearer {api_key}\r\nContent-Type: application/json\r\n"
            "Content-Length: 1000\r\n\r\n"
        )
        sock.sendall(head.encode() + b'{"model": ')
    deadline = time.monotonic() + 5
    while True:
        with server_log.open("rb") as log:
            log.seek(logged)
            written = log.read().decode(errors="replace")
        if "disconnected" in written or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    lines = [line for line in written.splitlines() if "/assistants" in line or "Trace" in line]
    assert "Traceback" not in written
    assert len([line for line in lines if "disconnected" in line]) == 1, written


class TestEchoedWithinSpec:
    """Options a request sent as null, or left unset, are left out of the answer, never null
    where the spec wants a value (the autouse spec check would fail these tests otherwise)."""

    def test_nulls_in_nested_options(self, http: httpx.Client) -> None:
        body = {
            "model": "m",
            "tools": [
                {"type": "file_search"},
                {"type": "function", "function": {"name": "f", "description": None}},
            ],
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "answer", "description": None, "strict": None},
            },
        }
        response = http.post("assistants", json=body)
        assert response.status_code == 200, response.text
        shown = response.json()
        assert shown["tools"] == [
            {"type": "file_search"},
            {"type": "function", "function": {"name": "f"}},
        ]
        assert shown["response_format"] == {
            "type": "json_schema",
            "json_schema": {"name": "answer"},
        }
        assert shown["tool_resources"] == {"file_search": {"vector_store_ids": []}}

    def test_unset_resources_and_expiry(self, http: httpx.Client) -> None:
        assistant = http.post("assistants", json={"model": "m"}).json()
        assert assistant["tool_resources"] == {}
        store = http.post("vector_stores", json={"name": "s"}).json()
        assert "expires_after" not in store
        upload = http.post("files", files={"file": ("a.txt", b"x")}, data={"purpose": "assistants"})
        assert set(upload.json()) == {
            "id", "object", "bytes", "created_at", "filename", "purpose", "status"
        }  # fmt: skip
