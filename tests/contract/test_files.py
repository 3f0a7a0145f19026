"""Files through the official SDK (v2), against a real server."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest
from dirty_equals import IsInt, IsStr

from tests.conftest import MAX_UPLOAD_BYTES
from tests.servers import peak_rss_bytes, server_process
from tests.spec_check import checked_openai

MiB = 1024 * 1024


def upload(
    client: openai.OpenAI,
    content: bytes = b"hello, files",
    filename: str = "notes.txt",
    **params: object,
) -> openai.types.FileObject:
    params.setdefault("purpose", "assistants")
    return client.files.create(file=(filename, content, "text/plain"), **params)  # type: ignore[arg-type]


def stored_blobs(server_env: dict[str, str]) -> list[Path]:
    root = Path(server_env["ASSISTANTS_STORAGE_URL"])
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def blobs_once_deleted(server_env: dict[str, str], count: int) -> list[Path]:
    """The stored blobs once `count` are left, or as they are after 5 s: a deleted file's
    bytes go in a task of their own, just after the deleting transaction commits."""
    deadline = time.monotonic() + 5
    while len(blobs := stored_blobs(server_env)) != count and time.monotonic() < deadline:
        time.sleep(0.02)
    return blobs


def error_of(response: httpx.Response) -> dict[str, object]:
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"message", "type", "param", "code"}
    error: dict[str, object] = body["error"]
    return error


class MultipartStream:
    """A multipart/form-data body (`purpose=assistants` and one file part of `size` bytes)
    generated chunk by chunk, never held in memory; `sha256` covers the file bytes sent."""

    boundary = "assistants-test-boundary-7c1f"

    def __init__(self, filename: str, size: int, chunk: int = MiB) -> None:
        assert chunk % 4 == 0
        self.size = size
        self.chunk = chunk
        self.head = (
            f"--{self.boundary}\r\n"
            'Content-Disposition: form-data; name="purpose"\r\n\r\n'
            f"assistants\r\n--{self.boundary}\r\n"
            f'Content-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        self.tail = f"\r\n--{self.boundary}--\r\n".encode()
        self.sha256 = hashlib.sha256()

    @property
    def content_type(self) -> str:
        return f"multipart/form-data; boundary={self.boundary}"

    @property
    def content_length(self) -> int:
        return len(self.head) + self.size + len(self.tail)

    def __iter__(self) -> Iterator[bytes]:
        yield self.head
        sent = 0
        index = 0
        while sent < self.size:  # each chunk a different pattern, so misplaced ones show
            block = (index.to_bytes(4, "big") * (self.chunk // 4))[: self.size - sent]
            self.sha256.update(block)
            sent += len(block)
            index += 1
            yield block
        yield self.tail


class TestCreate:
    def test_returns_the_file_object(self, client: openai.OpenAI) -> None:
        before = int(time.time())
        created = upload(client, b"first line\nsecond line\n", "notes.txt")
        after = int(time.time())
        assert created.model_dump() == {
            "id": IsStr(regex=r"^file-[0-9A-Za-z]+$"),
            "object": "file",
            "bytes": len(b"first line\nsecond line\n"),
            "created_at": IsInt(ge=before, le=after),
            "filename": "notes.txt",
            "purpose": "assistants",
            "status": "processed",
            "expires_at": None,
            "status_details": None,
        }

        fetched = client.files.retrieve(created.id)
        assert fetched.model_dump() == created.model_dump()

    def test_identical_uploads_are_two_files(self, client: openai.OpenAI) -> None:
        first = upload(client, b"same bytes", "same.txt")
        second = upload(client, b"same bytes", "same.txt")
        assert first.id != second.id
        client.files.delete(first.id)
        assert client.files.content(second.id).read() == b"same bytes"
        assert [f.id for f in client.files.list()] == [second.id]

    def test_expires_after_sets_expires_at(self, client: openai.OpenAI) -> None:
        created = upload(client, expires_after={"anchor": "created_at", "seconds": 3600})
        assert created.expires_at == created.created_at + 3600
        assert client.files.retrieve(created.id).expires_at == created.created_at + 3600

    @pytest.mark.parametrize("seconds", [60, 2592001])
    def test_expires_after_out_of_range_is_400(self, client: openai.OpenAI, seconds: int) -> None:
        with pytest.raises(openai.BadRequestError) as caught:
            upload(client, expires_after={"anchor": "created_at", "seconds": seconds})
        assert caught.value.body["param"] == "expires_after.seconds"
        assert list(client.files.list()) == []

    def test_bad_purpose_is_400(self, client: openai.OpenAI) -> None:
        with pytest.raises(openai.BadRequestError) as caught:
            upload(client, purpose="not-a-purpose")
        assert caught.value.body["param"] == "purpose"
        assert caught.value.body["type"] == "invalid_request_error"
        assert list(client.files.list()) == []

    def test_missing_file_part_is_400(self, http: httpx.Client) -> None:
        response = http.post("files", files={"purpose": (None, "assistants")})
        assert response.status_code == 400
        error = error_of(response)
        assert error["type"] == "invalid_request_error"
        assert error["param"] == "file"
        assert error["message"] == "Missing required parameter: 'file'."
        assert http.get("files").json()["data"] == []


class TestFilename:
    @pytest.mark.parametrize("filename", ["résumé 2024.pdf", "日本語のメモ.txt", "a;b=c.txt"])
    def test_any_name_round_trips(self, client: openai.OpenAI, filename: str) -> None:
        created = upload(client, b"named", filename)
        assert created.filename == filename
        assert client.files.retrieve(created.id).filename == filename
        assert [f.filename for f in client.files.list()] == [filename]

    def test_path_like_filename_is_only_a_name(
        self, client: openai.OpenAI, server_env: dict[str, str]
    ) -> None:
        content = b"not the password file"
        created = upload(client, content, "../../etc/passwd")
        assert created.filename == "../../etc/passwd"
        assert client.files.retrieve(created.id).filename == "../../etc/passwd"
        assert client.files.content(created.id).read() == content
        # The bytes are stored under a name of the server's making, inside the storage root.
        stored = [path for path in stored_blobs(server_env) if path.read_bytes() == content]
        assert len(stored) == 1
        assert "passwd" not in stored[0].name
        outside = Path(server_env["ASSISTANTS_STORAGE_URL"]).parents[1]
        assert list(outside.rglob("passwd")) == []


class TestContent:
    @pytest.mark.parametrize(
        "content",
        [
            pytest.param(b"plain text\n", id="text"),
            pytest.param(b"\x00\x01\x02\xff\x00" + bytes(range(256)) * 4 + b"\x00", id="binary"),
            pytest.param(
                b"".join(i.to_bytes(3, "big") for i in range(524_288)), id="one-and-a-half-mib"
            ),
        ],
    )
    def test_returns_the_exact_bytes(self, client: openai.OpenAI, content: bytes) -> None:
        created = upload(client, content, "data.bin")
        assert created.bytes == len(content)
        assert client.files.content(created.id).read() == content

    def test_missing_file_is_404(self, client: openai.OpenAI) -> None:
        with pytest.raises(openai.NotFoundError) as caught:
            client.files.content("file-missing")
        assert caught.value.body["message"] == "No file found with id 'file-missing'."


class TestList:
    def test_newest_first_and_pages(self, client: openai.OpenAI) -> None:
        made = [upload(client, f"file {index}".encode(), f"{index}.txt").id for index in range(5)]
        newest_first = list(reversed(made))
        page = client.files.list(limit=2)
        assert [f.id for f in page.data] == newest_first[:2]
        assert page.has_more is True
        assert [f.id for f in client.files.list(limit=2)] == newest_first  # every page
        assert [f.id for f in client.files.list(order="asc")] == made

    def test_one_call_lists_every_file(self, client: openai.OpenAI) -> None:
        """The files list defaults to (and allows) 10,000 per page, unlike other lists: apps
        read `client.files.list().data` and expect every file there."""
        made = [upload(client, b"x", f"{index}.txt").id for index in range(25)]
        page = client.files.list()
        assert [f.id for f in page.data] == list(reversed(made))
        assert page.has_more is False

    def test_limit_up_to_10000(self, client: openai.OpenAI) -> None:
        made = [upload(client, b"x", f"{index}.txt").id for index in range(3)]
        page = client.files.list(limit=10000)
        assert [f.id for f in page.data] == list(reversed(made))
        with pytest.raises(openai.BadRequestError) as caught:
            client.files.list(limit=10001)
        assert caught.value.body["param"] == "limit"

    def test_purpose_filter(self, client: openai.OpenAI) -> None:
        for_assistants = upload(client, purpose="assistants")
        user_data = upload(client, purpose="user_data")
        also_for_assistants = upload(client, purpose="assistants")
        assert [f.id for f in client.files.list(purpose="assistants")] == [
            also_for_assistants.id,
            for_assistants.id,
        ]
        listed = list(client.files.list(purpose="user_data"))
        assert [(f.id, f.purpose) for f in listed] == [(user_data.id, "user_data")]
        assert list(client.files.list(purpose="batch")) == []

    def test_empty_list(self, client: openai.OpenAI) -> None:
        page = client.files.list()
        assert page.data == []
        assert page.has_more is False


class TestDelete:
    def test_deletes_and_then_404(self, client: openai.OpenAI, server_env: dict[str, str]) -> None:
        blobs_before = stored_blobs(server_env)
        created = upload(client)
        kept = upload(client, b"kept")
        assert len(stored_blobs(server_env)) == len(blobs_before) + 2

        deleted = client.files.delete(created.id)
        assert (deleted.id, deleted.object, deleted.deleted) == (created.id, "file", True)
        with pytest.raises(openai.NotFoundError) as caught:
            client.files.retrieve(created.id)
        assert caught.value.body["message"] == f"No file found with id '{created.id}'."
        with pytest.raises(openai.NotFoundError):
            client.files.content(created.id)
        with pytest.raises(openai.NotFoundError):
            client.files.delete(created.id)
        assert [f.id for f in client.files.list()] == [kept.id]
        kept_blobs = blobs_once_deleted(server_env, len(blobs_before) + 1)
        assert len(kept_blobs) == len(blobs_before) + 1  # its bytes are gone too

    def test_deleting_a_file_detaches_it_from_assistants(self, client: openai.OpenAI) -> None:
        doomed = upload(client, b"doomed")
        staying = upload(client, b"staying")
        assistant = client.beta.assistants.create(
            model="gpt-4o",
            tools=[{"type": "code_interpreter"}],
            tool_resources={"code_interpreter": {"file_ids": [doomed.id, staying.id]}},
        )
        assert assistant.tool_resources.code_interpreter.file_ids == [doomed.id, staying.id]

        client.files.delete(doomed.id)
        fetched = client.beta.assistants.retrieve(assistant.id)
        assert fetched.tool_resources.code_interpreter.file_ids == [staying.id]
        listed = client.beta.assistants.list().data
        assert [a.tool_resources.code_interpreter.file_ids for a in listed] == [[staying.id]]

        client.files.delete(staying.id)
        fetched = client.beta.assistants.retrieve(assistant.id)
        assert fetched.tool_resources.code_interpreter.file_ids == []
        assert [tool.type for tool in fetched.tools] == ["code_interpreter"]

    def test_deleting_an_assistant_keeps_its_files(self, client: openai.OpenAI) -> None:
        used = upload(client, b"used by an assistant")
        assistant = client.beta.assistants.create(
            model="gpt-4o", tool_resources={"code_interpreter": {"file_ids": [used.id]}}
        )
        client.beta.assistants.delete(assistant.id)
        assert client.files.retrieve(used.id).id == used.id
        assert client.files.content(used.id).read() == b"used by an assistant"
        assert [f.id for f in client.files.list()] == [used.id]


class TestUploadLimit:
    def test_exactly_the_limit_is_accepted(self, http: httpx.Client) -> None:
        content = b"\x00" * MAX_UPLOAD_BYTES
        response = http.post(
            "files", files={"file": ("max.bin", content)}, data={"purpose": "assistants"}
        )
        assert response.status_code == 200
        assert response.json()["bytes"] == MAX_UPLOAD_BYTES
        assert http.get(f"files/{response.json()['id']}/content").content == content

    @pytest.mark.parametrize(
        ("size", "streamed"),
        [
            pytest.param(MAX_UPLOAD_BYTES + 1, False, id="one-byte-over"),
            pytest.param(5 * MiB, False, id="far-over"),
            pytest.param(6 * MiB, True, id="far-over-chunked"),
            pytest.param(MAX_UPLOAD_BYTES + 1, True, id="one-byte-over-chunked"),
        ],
    )
    def test_over_the_limit_is_413(
        self, http: httpx.Client, server_env: dict[str, str], size: int, streamed: bool
    ) -> None:
        existing = http.post(
            "files", files={"file": ("small.txt", b"small")}, data={"purpose": "assistants"}
        ).json()
        listed_before = http.get("files").json()
        blobs_before = stored_blobs(server_env)

        if streamed:  # no Content-Length: the server only learns the size as it reads
            body = MultipartStream("big.bin", size)
            response = http.post(
                "files", content=iter(body), headers={"Content-Type": body.content_type}
            )
            assert "content-length" not in response.request.headers
        else:
            response = http.post(
                "files", files={"file": ("big.bin", b"x" * size)}, data={"purpose": "assistants"}
            )

        assert response.status_code == 413
        error = error_of(response)
        assert error["type"] == "invalid_request_error"
        assert error["message"] == IsStr(min_length=1)
        assert http.get("files").json() == listed_before
        assert [f["id"] for f in listed_before["data"]] == [existing["id"]]
        assert stored_blobs(server_env) == blobs_before


def test_sdk_upload_over_the_limit_is_413(client: openai.OpenAI) -> None:
    with pytest.raises(openai.APIStatusError) as caught:
        upload(client, b"x" * (20 * MiB), "big.bin")
    assert caught.value.status_code == 413
    assert caught.value.body["type"] == "invalid_request_error"
    assert list(client.files.list()) == []


def test_large_upload_is_streamed_not_held_in_memory(tmp_path: Path) -> None:
    """A 200 MiB upload and download raise the server's peak memory by far less than that."""
    env = {
        "ASSISTANTS_DATABASE_URL": f"sqlite:///{tmp_path / 'assistants.db'}",
        "ASSISTANTS_STORAGE_URL": str(tmp_path / "files"),
        "ASSISTANTS_MAX_UPLOAD_BYTES": "300000000",
        "ASSISTANTS_API_KEYS": "",
        "ASSISTANTS_LLM_BASE_URL": "",
        "ASSISTANTS_CONFIG": "",
    }
    size = 200 * MiB
    with (
        server_process(env, tmp_path / "server.log") as server,
        httpx.Client(
            base_url=server.url + "/",
            headers={"Authorization": "Bearer sk-test-large"},
            timeout=300,
        ) as http,
    ):
        warm_up = http.post(  # load every code path of upload and download once
            "files", files={"file": ("warm.bin", b"w" * 3 * MiB)}, data={"purpose": "assistants"}
        )
        assert http.get(f"files/{warm_up.json()['id']}/content").content == b"w" * 3 * MiB
        baseline = peak_rss_bytes(server.pid)

        body = MultipartStream("large.bin", size)
        response = http.post(
            "files",
            content=iter(body),
            headers={
                "Content-Type": body.content_type,
                "Content-Length": str(body.content_length),
            },
        )
        assert response.status_code == 200, response.text
        created = response.json()
        assert (created["bytes"], created["filename"]) == (size, "large.bin")

        downloaded = hashlib.sha256()
        received = 0
        with http.stream("GET", f"files/{created['id']}/content") as download:
            assert download.status_code == 200
            for chunk in download.iter_bytes():
                downloaded.update(chunk)
                received += len(chunk)
        assert received == size
        assert downloaded.hexdigest() == body.sha256.hexdigest()

        growth = peak_rss_bytes(server.pid) - baseline
        assert growth < 100 * MiB, f"server peak RSS grew by {growth / MiB:.0f} MiB"
        assert http.delete(f"files/{created['id']}").json()["deleted"] is True


def test_tenants_do_not_see_each_other_files(
    base_url: str, client: openai.OpenAI, other_api_key: str
) -> None:
    mine = upload(client, b"private")
    with checked_openai(base_url=base_url, api_key=other_api_key, max_retries=0) as other:
        with pytest.raises(openai.NotFoundError):
            other.files.retrieve(mine.id)
        with pytest.raises(openai.NotFoundError):
            other.files.content(mine.id)
        with pytest.raises(openai.NotFoundError):
            other.files.delete(mine.id)
        assert mine.id not in [f.id for f in other.files.list(limit=100)]
        with pytest.raises(openai.NotFoundError):
            other.beta.assistants.create(
                model="gpt-4o", tool_resources={"code_interpreter": {"file_ids": [mine.id]}}
            )
    assert client.files.content(mine.id).read() == b"private"
