"""v1 clients: the real `openai==1.20.0` SDK (`OpenAI-Beta: assistants=v1`), against a real
server, and the one store it shares with v2 clients (DESIGN.md, "Surfaces").

The old SDK lives in its own virtual environment (`tests.servers.v1_sdk_python`); each test runs
one script in it that makes several calls and prints what it saw as JSON.
"""

from __future__ import annotations

import json
import os
import subprocess
import textwrap
from typing import Any

import openai
import pytest
from dirty_equals import IsInt, IsStr

from tests.servers import new_api_key, v1_sdk_python

V1_ASSISTANT_KEYS = {
    "id",
    "object",
    "created_at",
    "name",
    "description",
    "model",
    "instructions",
    "tools",
    "file_ids",
    "metadata",
}

PRELUDE = """
import json, os
import openai

client = openai.OpenAI(
    base_url=os.environ["BASE_URL"], api_key=os.environ["API_KEY"], max_retries=0
)
given = json.loads(os.environ["GIVEN"])
out = {}


def error(call, *args, **kwargs):
    try:
        call(*args, **kwargs)
    except openai.APIStatusError as exc:
        return {"status": exc.status_code, "body": exc.body}
    return None


def upload(name, content=b"v1 file"):
    return client.files.create(file=(name, content), purpose="assistants").id


def raw_json(response):
    assert response.http_request.headers["OpenAI-Beta"] == "assistants=v1"
    return response.http_response.json()
"""


def run_v1(base_url: str, api_key: str, script: str, **given: Any) -> dict[str, Any]:
    """Run `script` with the v1 SDK's `client` (same server and key) and return its `out`."""
    source = PRELUDE + textwrap.dedent(script) + "\nprint(json.dumps(out))\n"
    env = {
        **os.environ,
        "BASE_URL": base_url,
        "API_KEY": api_key,
        "OTHER_API_KEY": new_api_key(),  # another tenant's
        "GIVEN": json.dumps(given),
    }
    env.pop("PYTHONPATH", None)
    done = subprocess.run(
        [str(v1_sdk_python()), "-c", source],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"v1 script failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def error_with(status: int, param: str) -> dict[str, Any]:
    return {
        "status": status,
        "body": {
            "message": IsStr(min_length=1),
            "type": "invalid_request_error",
            "param": param,
            "code": None,
        },
    }


@pytest.fixture(scope="session", autouse=True)
def _v1_sdk() -> None:
    v1_sdk_python()  # made once, before the first test's clock starts


class TestAssistants:
    def test_create_retrieve_list_in_v1_shape(self, base_url: str, api_key: str) -> None:
        out = run_v1(
            base_url,
            api_key,
            """
            files = [upload("a.txt", b"first"), upload("b.txt", b"second")]
            response = client.beta.assistants.with_raw_response.create(
                model="gpt-4-turbo",
                name="Old app",
                instructions="Answer from the files.",
                tools=[{"type": "retrieval"}, {"type": "code_interpreter"}],
                file_ids=files,
                metadata={"app": "v1"},
            )
            created = response.parse()
            out["files"] = files
            out["created"] = raw_json(response)
            out["tool_classes"] = [type(tool).__name__ for tool in created.tools]
            out["parsed_file_ids"] = created.file_ids
            out["retrieved"] = raw_json(
                client.beta.assistants.with_raw_response.retrieve(created.id)
            )
            out["listed"] = raw_json(client.beta.assistants.with_raw_response.list())["data"]
            """,
        )
        files = out["files"]
        created = out["created"]
        assert set(created) == V1_ASSISTANT_KEYS
        assert created == {
            "id": created["id"],
            "object": "assistant",
            "created_at": IsInt(gt=0),
            "name": "Old app",
            "description": None,
            "model": "gpt-4-turbo",
            "instructions": "Answer from the files.",
            "tools": [{"type": "retrieval"}, {"type": "code_interpreter"}],
            "file_ids": files,
            "metadata": {"app": "v1"},
        }
        assert created["id"].startswith("asst_")
        assert out["tool_classes"] == ["RetrievalTool", "CodeInterpreterTool"]
        assert out["parsed_file_ids"] == files
        assert out["retrieved"] == created
        assert out["listed"] == [created]

    def test_update_file_ids(self, base_url: str, api_key: str) -> None:
        out = run_v1(
            base_url,
            api_key,
            """
            f1, f2, f3 = upload("1.txt"), upload("2.txt"), upload("3.txt")
            out["files"] = [f1, f2, f3]
            assistant = client.beta.assistants.create(model="gpt-4-turbo", file_ids=[f1])
            out["replaced"] = client.beta.assistants.update(
                assistant.id, file_ids=[f2, f3]
            ).file_ids
            out["after_rename"] = client.beta.assistants.update(
                assistant.id, name="renamed"
            ).file_ids
            out["attached"] = [
                f.id for f in client.beta.assistants.files.list(assistant.id, order="asc")
            ]
            out["bad_update"] = error(
                client.beta.assistants.update,
                assistant.id,
                name="never",
                file_ids=[f1, "file-missing"],
            )
            after_bad = client.beta.assistants.retrieve(assistant.id)
            out["after_bad"] = [after_bad.name, after_bad.file_ids]
            out["cleared"] = client.beta.assistants.update(assistant.id, file_ids=[]).file_ids
            out["attached_after_clear"] = [
                f.id for f in client.beta.assistants.files.list(assistant.id)
            ]
            """,
        )
        _, f2, f3 = out["files"]
        assert out["replaced"] == [f2, f3]
        assert out["after_rename"] == [f2, f3]
        assert out["attached"] == [f2, f3]
        assert out["bad_update"] == error_with(404, "file_ids")
        assert out["bad_update"]["body"]["message"] == "No file found with id 'file-missing'."
        assert out["after_bad"] == ["renamed", [f2, f3]]  # a refused update changes nothing
        assert out["cleared"] == []
        assert out["attached_after_clear"] == []

    def test_more_than_20_files_is_refused(self, base_url: str, api_key: str) -> None:
        out = run_v1(
            base_url,
            api_key,
            """
            files = [upload(f"{index}.txt", f"file {index}".encode()) for index in range(21)]
            out["create"] = error(
                client.beta.assistants.create, model="gpt-4-turbo", file_ids=files
            )
            assistant = client.beta.assistants.create(model="gpt-4-turbo", file_ids=files[:20])
            out["twenty"] = assistant.file_ids
            out["attach"] = error(
                client.beta.assistants.files.create, assistant.id, file_id=files[20]
            )
            out["update"] = error(client.beta.assistants.update, assistant.id, file_ids=files)
            out["after"] = client.beta.assistants.retrieve(assistant.id).file_ids
            out["assistants"] = [a.id for a in client.beta.assistants.list()]
            out["assistant"] = assistant.id
            out["files"] = files
            """,
        )
        files = out["files"]
        assert out["create"] == error_with(400, "file_ids")
        assert out["twenty"] == files[:20]
        assert out["attach"] == error_with(400, "file_id")
        assert out["update"] == error_with(400, "file_ids")
        assert out["after"] == files[:20]
        assert out["assistants"] == [out["assistant"]]  # the refused create left nothing


class TestFiles:
    def test_file_list_holds_every_file(
        self, base_url: str, api_key: str, client: openai.OpenAI
    ) -> None:
        """v1's files list has no pagination at all: the SDK reads one page, so that page must
        hold every file."""
        made = [
            client.files.create(file=(f"{index}.txt", b"x"), purpose="assistants").id
            for index in range(25)
        ]
        out = run_v1(
            base_url,
            api_key,
            """
            out["listed"] = [f.id for f in client.files.list()]
            out["for_assistants"] = [f.id for f in client.files.list(purpose="assistants")]
            out["fine_tune"] = [f.id for f in client.files.list(purpose="fine-tune")]
            uploaded = client.files.create(file=("v1.bin", b"\\x00v1\\xff"), purpose="assistants")
            out["uploaded"] = [uploaded.bytes, uploaded.filename, uploaded.status]
            out["content"] = client.files.content(uploaded.id).read().hex()
            """,
        )
        assert out["listed"] == list(reversed(made))
        assert out["for_assistants"] == list(reversed(made))
        assert out["fine_tune"] == []
        assert out["uploaded"] == [4, "v1.bin", "processed"]
        assert bytes.fromhex(out["content"]) == b"\x00v1\xff"


class TestAssistantFiles:
    def test_attach_list_retrieve_detach(self, base_url: str, api_key: str) -> None:
        out = run_v1(
            base_url,
            api_key,
            """
            assistant = client.beta.assistants.create(
                model="gpt-4-turbo", tools=[{"type": "retrieval"}]
            )
            files = [upload(f"{index}.txt") for index in range(5)]
            out["assistant"] = assistant.id
            out["files"] = files
            out["attached"] = [
                raw_json(
                    client.beta.assistants.files.with_raw_response.create(
                        assistant.id, file_id=file_id
                    )
                )
                for file_id in files
            ]
            pages = []
            after = None
            while True:
                kwargs = {"limit": 2} if after is None else {"limit": 2, "after": after}
                page = client.beta.assistants.files.list(assistant.id, **kwargs)
                pages.append([[f.id for f in page.data], page.has_more])
                if not page.has_more:
                    break
                after = page.data[-1].id
            out["pages"] = pages
            out["every_page"] = [
                f.id for f in client.beta.assistants.files.list(assistant.id, limit=2)
            ]
            out["ascending"] = [
                f.id for f in client.beta.assistants.files.list(assistant.id, order="asc")
            ]
            out["file_ids"] = client.beta.assistants.retrieve(assistant.id).file_ids
            out["retrieved"] = raw_json(
                client.beta.assistants.files.with_raw_response.retrieve(
                    files[1], assistant_id=assistant.id
                )
            )
            out["deleted"] = raw_json(
                client.beta.assistants.files.with_raw_response.delete(
                    files[1], assistant_id=assistant.id
                )
            )
            out["retrieve_deleted"] = error(
                client.beta.assistants.files.retrieve, files[1], assistant_id=assistant.id
            )
            out["delete_again"] = error(
                client.beta.assistants.files.delete, files[1], assistant_id=assistant.id
            )
            out["after_delete"] = [f.id for f in client.beta.assistants.files.list(assistant.id)]
            out["file_ids_after"] = client.beta.assistants.retrieve(assistant.id).file_ids
            out["file_still_there"] = client.files.retrieve(files[1]).id
            out["attach_missing_file"] = error(
                client.beta.assistants.files.create, assistant.id, file_id="file-missing"
            )
            out["attach_to_missing_assistant"] = error(
                client.beta.assistants.files.create, "asst_missing", file_id=files[0]
            )
            out["list_missing_assistant"] = error(
                client.beta.assistants.files.list, "asst_missing"
            )
            other = openai.OpenAI(
                base_url=os.environ["BASE_URL"], api_key=os.environ["OTHER_API_KEY"],
                max_retries=0,
            )
            theirs = other.beta.assistants.create(model="gpt-4-turbo")
            out["other_tenant"] = [
                error(other.beta.assistants.files.create, theirs.id, file_id=files[0]),
                error(other.beta.assistants.files.list, assistant.id),
                error(other.beta.assistants.files.retrieve, files[0], assistant_id=assistant.id),
                error(other.beta.assistants.files.delete, files[0], assistant_id=assistant.id),
            ]
            out["after_other"] = client.beta.assistants.retrieve(assistant.id).file_ids
            """,
        )
        assistant, files = out["assistant"], out["files"]
        assert out["attached"] == [
            {
                "id": file_id,
                "object": "assistant.file",
                "created_at": IsInt(gt=0),
                "assistant_id": assistant,
            }
            for file_id in files
        ]
        newest_first = list(reversed(files))
        assert out["pages"] == [
            [newest_first[0:2], True],
            [newest_first[2:4], True],
            [newest_first[4:5], False],
        ]
        assert out["every_page"] == newest_first
        assert out["ascending"] == files
        assert out["file_ids"] == files
        assert out["retrieved"] == out["attached"][1]
        assert out["deleted"] == {
            "id": files[1],
            "object": "assistant.file.deleted",
            "deleted": True,
        }
        assert out["retrieve_deleted"] == error_with(404, "file_id")
        assert out["delete_again"] == error_with(404, "file_id")
        remaining = [files[0], *files[2:]]
        assert out["after_delete"] == list(reversed(remaining))
        assert out["file_ids_after"] == remaining
        assert out["file_still_there"] == files[1]
        assert out["attach_missing_file"] == error_with(404, "file_id")
        assert out["attach_missing_file"]["body"]["message"] == (
            "No file found with id 'file-missing'."
        )
        assert out["attach_to_missing_assistant"]["status"] == 404
        assert out["attach_to_missing_assistant"]["body"]["message"] == (
            "No assistant found with id 'asst_missing'."
        )
        assert out["list_missing_assistant"]["status"] == 404
        assert [error["status"] for error in out["other_tenant"]] == [404, 404, 404, 404]
        assert out["after_other"] == remaining


class TestOneStore:
    def test_v1_attachments_show_in_v2(
        self, base_url: str, api_key: str, client: openai.OpenAI
    ) -> None:
        out = run_v1(
            base_url,
            api_key,
            """
            f1, f2 = upload("one.txt", b"one"), upload("two.txt", b"two")
            assistant = client.beta.assistants.create(
                model="gpt-4-turbo",
                tools=[{"type": "retrieval"}, {"type": "code_interpreter"}],
                file_ids=[f1],
            )
            client.beta.assistants.files.create(assistant.id, file_id=f2)
            out["assistant"] = assistant.id
            out["files"] = [f1, f2]
            """,
        )
        f1, f2 = out["files"]
        seen = client.beta.assistants.retrieve(out["assistant"])
        assert [tool.type for tool in seen.tools] == ["file_search", "code_interpreter"]
        assert seen.tool_resources.code_interpreter.file_ids == [f1, f2]
        assert [a.id for a in client.beta.assistants.list()] == [out["assistant"]]
        assert client.files.content(f2).read() == b"two"

        # and what v2 changes, v1 then sees
        client.beta.assistants.update(
            out["assistant"], tool_resources={"code_interpreter": {"file_ids": [f2]}}
        )
        back = run_v1(
            base_url,
            api_key,
            """
            out["file_ids"] = client.beta.assistants.retrieve(given["assistant"]).file_ids
            out["listed"] = [
                f.id for f in client.beta.assistants.files.list(given["assistant"])
            ]
            """,
            assistant=out["assistant"],
        )
        assert back == {"file_ids": [f2], "listed": [f2]}

    def test_v2_resources_show_in_v1(
        self, base_url: str, api_key: str, client: openai.OpenAI
    ) -> None:
        f1 = client.files.create(file=("one.txt", b"one"), purpose="assistants").id
        f2 = client.files.create(file=("two.txt", b"two"), purpose="assistants").id
        weather = {
            "name": "get_weather",
            "description": "Weather for a city",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
        }
        created = client.beta.assistants.create(
            model="gpt-4o",
            name="New app",
            tools=[
                {"type": "file_search", "file_search": {"max_num_results": 7}},
                {"type": "code_interpreter"},
                {"type": "function", "function": {**weather, "strict": True}},
            ],
            tool_resources={"code_interpreter": {"file_ids": [f1, f2]}},
        )
        out = run_v1(
            base_url,
            api_key,
            """
            assistant_id = given["assistant"]
            out["retrieved"] = raw_json(
                client.beta.assistants.with_raw_response.retrieve(assistant_id)
            )
            out["tool_classes"] = [
                type(tool).__name__
                for tool in client.beta.assistants.retrieve(assistant_id).tools
            ]
            out["listed"] = [f.id for f in client.beta.assistants.files.list(assistant_id)]
            client.beta.assistants.files.delete(given["files"][0], assistant_id=assistant_id)
            client.beta.assistants.update(assistant_id, name="Renamed by v1")
            """,
            assistant=created.id,
            files=[f1, f2],
        )
        retrieved = out["retrieved"]
        assert set(retrieved) == V1_ASSISTANT_KEYS
        assert retrieved["tools"] == [
            {"type": "retrieval"},
            {"type": "code_interpreter"},
            {"type": "function", "function": weather},
        ]
        assert retrieved["file_ids"] == [f1, f2]
        assert out["tool_classes"] == ["RetrievalTool", "CodeInterpreterTool", "FunctionTool"]
        assert out["listed"] == [f2, f1]

        after = client.beta.assistants.retrieve(created.id)
        assert after.name == "Renamed by v1"
        # a v1 client's changes keep what only v2 can express
        assert after.model_dump()["tools"] == created.model_dump()["tools"]
        assert after.tools[0].file_search.max_num_results == 7
        assert after.tools[2].function.strict is True
        assert after.tool_resources.code_interpreter.file_ids == [f2]
