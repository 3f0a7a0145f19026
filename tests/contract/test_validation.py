"""Bad input, against a real server: OpenAI's error envelope with the right status and `param`
(never FastAPI's 422 `detail`), and nothing stored or changed by the rejected request."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import openai
import pytest

ERROR_KEYS = {"message", "type", "param", "code"}
V1 = {"OpenAI-Beta": "assistants=v1"}
CODE = {"type": "code_interpreter"}

# An expected `param`: one value, or the values that would all be sensible.
Param = str | tuple[str | None, ...] | None


def function_tool(name: str) -> dict[str, Any]:
    return {"type": "function", "function": {"name": name}}


def file_search_tool(max_num_results: int) -> dict[str, Any]:
    return {"type": "file_search", "file_search": {"max_num_results": max_num_results}}


def error_of(response: httpx.Response, status: int) -> dict[str, Any]:
    """The error object of `response`, after checking the envelope every error must have."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}, body  # FastAPI's {"detail": [...]} would fail here
    error: dict[str, Any] = body["error"]
    assert set(error) == ERROR_KEYS, error
    assert error["type"] == "invalid_request_error"
    assert isinstance(error["message"], str)
    assert error["message"]
    assert error["code"] is None or isinstance(error["code"], str)
    return error


def check_param(error: dict[str, Any], expected: Param) -> None:
    allowed = expected if isinstance(expected, tuple) else (expected,)
    assert error["param"] in allowed, error
    named = [param for param in allowed if param]
    if named:  # the message names the offending parameter
        assert any(param in error["message"] for param in named), error


def stored_assistants(http: httpx.Client) -> list[dict[str, Any]]:
    response = http.get("assistants", params={"limit": 100})
    assert response.status_code == 200
    data: list[dict[str, Any]] = response.json()["data"]
    return data


def upload(http: httpx.Client, content: bytes = b"hello") -> str:
    response = http.post(
        "files", data={"purpose": "assistants"}, files={"file": ("notes.txt", content)}
    )
    assert response.status_code == 200, response.text
    file_id: str = response.json()["id"]
    return file_id


def make_assistant(client: openai.OpenAI) -> openai.types.beta.Assistant:
    return client.beta.assistants.create(
        model="gpt-4o",
        name="Original",
        description="the one to keep",
        instructions="Be brief.",
        tools=[CODE, function_tool("get_weather")],  # type: ignore[list-item]
        metadata={"team": "support"},
        temperature=0.5,
        top_p=0.5,
    )


# Fields that are wrong in both a create and a modify: (fields, param, words in the message).
INVALID_FIELDS = [
    pytest.param({"name": "n" * 257}, "name", "256", id="name-257-chars"),
    pytest.param({"description": "d" * 513}, "description", "512", id="description-513-chars"),
    pytest.param({"instructions": "i" * 256_001}, "instructions", "256000", id="instructions-long"),
    pytest.param({"tools": [CODE] * 129}, "tools", "128", id="129-tools"),
    pytest.param(
        {"metadata": {f"key{index}": "v" for index in range(17)}},
        "metadata",
        "16",
        id="metadata-17-pairs",
    ),
    pytest.param({"metadata": {"k" * 65: "v"}}, "metadata", "64", id="metadata-key-65-chars"),
    pytest.param(
        {"metadata": {"color": "v" * 513}}, "metadata.color", "512", id="metadata-value-513"
    ),
    pytest.param({"metadata": {"count": 3}}, "metadata.count", "string", id="metadata-int-value"),
    pytest.param({"metadata": ["a", "b"]}, "metadata", "", id="metadata-not-object"),
    pytest.param({"temperature": 2.01}, "temperature", "2", id="temperature-above-2"),
    pytest.param({"temperature": -0.1}, "temperature", "0", id="temperature-negative"),
    pytest.param({"top_p": 1.01}, "top_p", "1", id="top_p-above-1"),
    pytest.param({"top_p": -0.1}, "top_p", "0", id="top_p-negative"),
    pytest.param(
        {"tool_resources": {"code_interpreter": {"file_ids": [f"file-{n}" for n in range(21)]}}},
        "tool_resources.code_interpreter.file_ids",
        "20",
        id="21-code-interpreter-files",
    ),
    pytest.param(
        {"tools": [function_tool("get weather")]},
        "tools[0].function.name",
        "",
        id="function-name-with-space",
    ),
    pytest.param(
        {"tools": [function_tool("f" * 65)]}, "tools[0].function.name", "64", id="function-name-65"
    ),
    pytest.param(
        {"tools": [CODE, function_tool("ok"), function_tool("")]},
        "tools[2].function.name",
        "",
        id="third-tool-empty-function-name",
    ),
    pytest.param(
        {"tools": [file_search_tool(0)]},
        "tools[0].file_search.max_num_results",
        "1",
        id="max-num-results-0",
    ),
    pytest.param(
        {"tools": [file_search_tool(51)]},
        "tools[0].file_search.max_num_results",
        "50",
        id="max-num-results-51",
    ),
    pytest.param({"model": 4}, "model", "", id="model-int"),
    pytest.param({"model": None}, "model", "", id="model-null"),
    pytest.param({"name": ["Helper"]}, "name", "", id="name-list"),
    pytest.param({"tools": CODE}, "tools", "", id="tools-object-not-list"),
    pytest.param({"tools": "code_interpreter"}, "tools", "", id="tools-string"),
    pytest.param(
        {"tools": [{"type": "browser"}]}, ("tools[0].type", "tools[0]"), "browser", id="tool-type"
    ),
    pytest.param(
        {"tools": [{"type": "function"}]}, "tools[0].function", "", id="function-tool-no-function"
    ),
    pytest.param(
        {"response_format": {"type": "xml"}},
        ("response_format", "response_format.type"),
        "",
        id="response-format-unknown-type",
    ),
    pytest.param(
        {"foo": "bar"},
        ("foo", None),
        "Unrecognized request argument supplied: foo",
        id="unknown-field",
    ),
    pytest.param(
        {"tools": [{"type": "function", "function": {"name": "ok", "colour": "red"}}]},
        ("tools[0].function.colour", None),
        "Unrecognized request argument supplied: tools[0].function.colour",
        id="unknown-nested-field",
    ),
]

MALFORMED_BODIES = [
    pytest.param(b"{not json", id="not-json"),
    pytest.param(b'{"model": "gpt-4o"', id="truncated"),
    pytest.param(b'{"model": "gpt-4o",}', id="trailing-comma"),
    pytest.param(b"[1, 2]", id="array"),
    pytest.param(b'"gpt-4o"', id="string"),
]


class TestCreateAssistant:
    @pytest.mark.parametrize(("fields", "param", "words"), INVALID_FIELDS)
    def test_rejects_and_stores_nothing(
        self, http: httpx.Client, fields: dict[str, Any], param: Param, words: str
    ) -> None:
        error = error_of(http.post("assistants", json={"model": "gpt-4o", **fields}), 400)
        assert stored_assistants(http) == []
        check_param(error, param)
        assert words in error["message"]

    @pytest.mark.parametrize("body", [{}, {"name": "Helper", "tools": [CODE]}])
    def test_missing_model(self, http: httpx.Client, body: dict[str, Any]) -> None:
        error = error_of(http.post("assistants", json=body), 400)
        assert error["param"] == "model"
        assert "'model'" in error["message"]
        assert stored_assistants(http) == []

    @pytest.mark.parametrize("body", MALFORMED_BODIES)
    def test_malformed_json(self, http: httpx.Client, body: bytes) -> None:
        response = http.post(
            "assistants", content=body, headers={"Content-Type": "application/json"}
        )
        error = error_of(response, 400)
        assert error["param"] is None
        assert stored_assistants(http) == []

    def test_malformed_json_says_so(self, http: httpx.Client) -> None:
        response = http.post(
            "assistants", content=b"{not json", headers={"Content-Type": "application/json"}
        )
        assert "JSON" in error_of(response, 400)["message"]

    def test_empty_body(self, http: httpx.Client) -> None:
        response = http.post(
            "assistants", content=b"", headers={"Content-Type": "application/json"}
        )
        error = error_of(response, 400)
        assert error["param"] in ("model", None)
        assert stored_assistants(http) == []

    def test_unknown_file_stores_nothing(self, http: httpx.Client) -> None:
        body = {
            "model": "gpt-4o",
            "tools": [CODE],
            "tool_resources": {"code_interpreter": {"file_ids": ["file-nope"]}},
        }
        error = error_of(http.post("assistants", json=body), 404)
        assert error["message"] == "No file found with id 'file-nope'."
        assert stored_assistants(http) == []
        assert error["param"] == "tool_resources.code_interpreter.file_ids"


class TestModifyAssistant:
    @pytest.mark.parametrize(("fields", "param", "words"), INVALID_FIELDS)
    def test_rejects_and_changes_nothing(
        self,
        client: openai.OpenAI,
        http: httpx.Client,
        fields: dict[str, Any],
        param: Param,
        words: str,
    ) -> None:
        before = make_assistant(client)
        # A valid change rides along: a rejected request must not apply it either.
        body = {"description": "changed", **fields}
        error = error_of(http.post(f"assistants/{before.id}", json=body), 400)
        assert client.beta.assistants.retrieve(before.id).model_dump() == before.model_dump()
        check_param(error, param)
        assert words in error["message"]

    @pytest.mark.parametrize("body", MALFORMED_BODIES)
    def test_malformed_json_changes_nothing(
        self, client: openai.OpenAI, http: httpx.Client, body: bytes
    ) -> None:
        before = make_assistant(client)
        response = http.post(
            f"assistants/{before.id}", content=body, headers={"Content-Type": "application/json"}
        )
        assert error_of(response, 400)["param"] is None
        assert client.beta.assistants.retrieve(before.id).model_dump() == before.model_dump()

    @pytest.mark.parametrize(
        ("headers", "files", "param"),
        [
            pytest.param(
                {},
                {"tool_resources": {"code_interpreter": {"file_ids": ["file-nope"]}}},
                "tool_resources.code_interpreter.file_ids",
                id="v2",
            ),
            pytest.param(V1, {"file_ids": ["file-nope"]}, "file_ids", id="v1"),
        ],
    )
    def test_unknown_file_rolls_back_the_other_changes(
        self,
        client: openai.OpenAI,
        http: httpx.Client,
        headers: dict[str, str],
        files: dict[str, Any],
        param: str,
    ) -> None:
        before = make_assistant(client)
        body = {"name": "Renamed", "metadata": {"team": "sales"}, **files}
        response = http.post(f"assistants/{before.id}", json=body, headers=headers)
        error = error_of(response, 404)
        assert error["message"] == "No file found with id 'file-nope'."
        assert client.beta.assistants.retrieve(before.id).model_dump() == before.model_dump()
        assert error["param"] == param


class TestApiV1:
    """The same rules for clients sending `OpenAI-Beta: assistants=v1`."""

    @pytest.mark.parametrize(
        ("fields", "param", "words"),
        [
            pytest.param({"name": "n" * 257}, "name", "256", id="name-257-chars"),
            pytest.param(
                {"file_ids": [f"file-{n}" for n in range(21)]}, "file_ids", "20", id="21-file-ids"
            ),
            pytest.param(
                {"tools": [{"type": "file_search"}]},
                ("tools[0].type", "tools[0]"),
                "file_search",
                id="v2-tool-type",
            ),
            pytest.param({"temperature": 2.5}, "temperature", "2", id="temperature-above-2"),
            pytest.param(
                {"tool_resources": {"code_interpreter": {"file_ids": []}}},
                ("tool_resources", None),
                "tool_resources",
                id="v2-field",
            ),
        ],
    )
    def test_rejects_and_stores_nothing(
        self, http: httpx.Client, fields: dict[str, Any], param: Param, words: str
    ) -> None:
        response = http.post("assistants", json={"model": "gpt-4", **fields}, headers=V1)
        error = error_of(response, 400)
        check_param(error, param)
        assert words in error["message"]
        assert stored_assistants(http) == []


class TestAcceptedBoundaries:
    @pytest.mark.parametrize(
        "fields",
        [
            pytest.param({"name": "n" * 256}, id="name-256-chars"),
            pytest.param({"description": "d" * 512}, id="description-512-chars"),
            pytest.param({"instructions": "i" * 256_000}, id="instructions-256000-chars"),
            pytest.param(
                {"metadata": {f"{index:0>64}": "v" * 512 for index in range(16)}},
                id="metadata-16-pairs-of-full-size",
            ),
            pytest.param({"temperature": 2, "top_p": 1}, id="temperature-2-top_p-1"),
            pytest.param({"temperature": 0, "top_p": 0}, id="temperature-0-top_p-0"),
        ],
    )
    def test_stored_whole(self, http: httpx.Client, fields: dict[str, Any]) -> None:
        created = http.post("assistants", json={"model": "gpt-4o", **fields})
        assert created.status_code == 200, created.text
        stored = http.get(f"assistants/{created.json()['id']}").json()
        assert {key: stored[key] for key in fields} == fields

    @pytest.mark.parametrize(
        "tools",
        [
            pytest.param([function_tool(f"{index:_>64}") for index in range(128)], id="128-tools"),
            pytest.param([function_tool("a"), function_tool("Z-9_" * 16)], id="function-names"),
            pytest.param([file_search_tool(1)], id="max-num-results-1"),
            pytest.param([file_search_tool(50)], id="max-num-results-50"),
        ],
    )
    def test_tools(self, http: httpx.Client, tools: list[dict[str, Any]]) -> None:
        created = http.post("assistants", json={"model": "gpt-4o", "tools": tools})
        assert created.status_code == 200, created.text
        stored = http.get(f"assistants/{created.json()['id']}").json()

        def summary(tool: dict[str, Any]) -> tuple[object, ...]:
            function = tool.get("function") or {}
            file_search = tool.get("file_search") or {}
            return tool["type"], function.get("name"), file_search.get("max_num_results")

        assert [summary(tool) for tool in stored["tools"]] == [summary(tool) for tool in tools]

    def test_20_code_interpreter_files(self, http: httpx.Client) -> None:
        file_ids = [upload(http, f"file {index}".encode()) for index in range(20)]
        body = {
            "model": "gpt-4o",
            "tools": [CODE],
            "tool_resources": {"code_interpreter": {"file_ids": file_ids}},
        }
        created = http.post("assistants", json=body)
        assert created.status_code == 200, created.text
        stored = http.get(f"assistants/{created.json()['id']}").json()
        assert sorted(stored["tool_resources"]["code_interpreter"]["file_ids"]) == sorted(file_ids)

    def test_limit_100(self, http: httpx.Client) -> None:
        made = [http.post("assistants", json={"model": "gpt-4o"}).json()["id"] for _ in range(101)]
        page = http.get("assistants", params={"limit": 100, "order": "asc"})
        assert page.status_code == 200, page.text
        assert [a["id"] for a in page.json()["data"]] == made[:100]
        assert page.json()["has_more"] is True
        rest = http.get("assistants", params={"limit": 100, "order": "asc", "after": made[99]})
        assert [a["id"] for a in rest.json()["data"]] == made[100:]
        assert rest.json()["has_more"] is False


class TestRoutes:
    @pytest.mark.parametrize(
        ("method", "path"),
        [("GET", "/v1/nope"), ("POST", "/v1/assistants/asst_x/nope"), ("GET", "/nope")],
    )
    def test_unknown_route(self, base_url: str, http: httpx.Client, method: str, path: str) -> None:
        root = base_url.removesuffix("/v1")
        error = error_of(http.request(method, root + path), 404)
        assert error["message"] == f"Invalid URL ({method} {path})"
        assert error["param"] is None

    @pytest.mark.parametrize(
        ("method", "path", "allowed"),
        [
            ("PUT", "/v1/assistants", {"GET", "POST"}),
            ("DELETE", "/v1/assistants", {"GET", "POST"}),
            ("PATCH", "/v1/assistants/asst_x", {"GET", "POST", "DELETE"}),
            ("POST", "/v1/files/file-x/content", {"GET"}),
        ],
    )
    def test_wrong_method(
        self, base_url: str, http: httpx.Client, method: str, path: str, allowed: set[str]
    ) -> None:
        response = http.request(method, base_url.removesuffix("/v1") + path)
        error = error_of(response, 405)
        assert method in error["message"]
        assert error["param"] is None
        assert {m.strip() for m in response.headers["allow"].split(",")} == allowed


class TestMissingObjects:
    @pytest.mark.parametrize(
        ("method", "path", "message"),
        [
            ("GET", "assistants/asst_nope", "No assistant found with id 'asst_nope'."),
            ("POST", "assistants/asst_nope", "No assistant found with id 'asst_nope'."),
            ("DELETE", "assistants/asst_nope", "No assistant found with id 'asst_nope'."),
            ("GET", "assistants/file-nope", "No assistant found with id 'file-nope'."),
            ("GET", "files/file-nope", "No file found with id 'file-nope'."),
            ("DELETE", "files/file-nope", "No file found with id 'file-nope'."),
            ("GET", "files/file-nope/content", "No file found with id 'file-nope'."),
        ],
    )
    def test_404(self, http: httpx.Client, method: str, path: str, message: str) -> None:
        json = {"name": "x"} if method == "POST" else None
        error = error_of(http.request(method, path, json=json), 404)
        assert error["message"] == message


PAGINATION = [
    pytest.param("assistants", {"limit": 0}, "limit", id="assistants-limit-0"),
    pytest.param("assistants", {"limit": 101}, "limit", id="assistants-limit-101"),
    pytest.param("assistants", {"limit": "ten"}, "limit", id="assistants-limit-text"),
    pytest.param("assistants", {"order": "sideways"}, "order", id="assistants-order"),
    pytest.param("assistants", {"after": "garbage"}, "after", id="assistants-after-garbage"),
    pytest.param("assistants", {"before": "garbage"}, "before", id="assistants-before-garbage"),
    pytest.param("files", {"limit": 0}, "limit", id="files-limit-0"),
    pytest.param("files", {"limit": 10001}, "limit", id="files-limit-10001"),
    pytest.param("files", {"order": "sideways"}, "order", id="files-order"),
    pytest.param("files", {"after": "garbage"}, "after", id="files-after-garbage"),
    pytest.param("files", {"before": "asst_nope"}, "before", id="files-before-asst"),
]


class TestPagination:
    @pytest.mark.parametrize(("path", "params", "param"), PAGINATION)
    def test_bad_parameter(
        self, http: httpx.Client, path: str, params: dict[str, Any], param: str
    ) -> None:
        error = error_of(http.get(path, params=params), 400)
        check_param(error, param)

    @pytest.mark.parametrize("cursor", ["after", "before"])
    def test_cursor_of_another_kind(self, http: httpx.Client, cursor: str) -> None:
        file_id = upload(http)
        assistant_id = http.post("assistants", json={"model": "gpt-4o"}).json()["id"]
        error = error_of(http.get("assistants", params={cursor: file_id}), 400)
        check_param(error, cursor)
        error = error_of(http.get("files", params={cursor: assistant_id}), 400)
        check_param(error, cursor)


SdkCall = Callable[[openai.OpenAI, str], object]

SDK_BAD_REQUESTS: list[Any] = [
    pytest.param(
        lambda sdk, _: sdk.beta.assistants.create(model="gpt-4o", name="n" * 257),
        "name",
        id="create-long-name",
    ),
    pytest.param(
        lambda sdk, _: sdk.beta.assistants.create(model="gpt-4o", temperature=2.5),
        "temperature",
        id="create-temperature",
    ),
    pytest.param(
        lambda sdk, _: sdk.beta.assistants.create(model="gpt-4o", extra_body={"foo": 1}),
        ("foo", None),
        id="create-unknown-field",
    ),
    pytest.param(
        lambda sdk, asst: sdk.beta.assistants.update(asst, metadata={"k" * 65: "v"}),
        "metadata",
        id="update-metadata-key",
    ),
    pytest.param(
        lambda sdk, asst: sdk.beta.assistants.update(asst, top_p=1.5),
        "top_p",
        id="update-top_p",
    ),
    pytest.param(lambda sdk, _: sdk.beta.assistants.list(limit=101), "limit", id="list-limit"),
    pytest.param(
        lambda sdk, _: sdk.beta.assistants.list(order="sideways"),
        "order",
        id="list-order",
    ),
    pytest.param(
        lambda sdk, _: sdk.beta.assistants.list(after="garbage"), "after", id="list-after"
    ),
    pytest.param(
        lambda sdk, _: sdk.beta.assistants.list(before="garbage"), "before", id="list-before"
    ),
    pytest.param(lambda sdk, _: sdk.files.list(after="garbage"), "after", id="files-after"),
]


class TestSdk:
    @pytest.mark.parametrize(("call", "param"), SDK_BAD_REQUESTS)
    def test_bad_request(self, client: openai.OpenAI, call: SdkCall, param: Param) -> None:
        before = make_assistant(client)
        with pytest.raises(openai.BadRequestError) as caught:
            call(client, before.id)
        assert caught.value.status_code == 400
        assert caught.value.type == "invalid_request_error"
        allowed = param if isinstance(param, tuple) else (param,)
        assert caught.value.param in allowed
        assert client.beta.assistants.retrieve(before.id).model_dump() == before.model_dump()
        assert [a.id for a in client.beta.assistants.list()] == [before.id]

    def test_unknown_field_message(self, client: openai.OpenAI) -> None:
        with pytest.raises(openai.BadRequestError) as caught:
            client.beta.assistants.create(model="gpt-4o", extra_body={"foo": 1})
        assert caught.value.body == {
            "message": "Unrecognized request argument supplied: foo",
            "type": "invalid_request_error",
            "param": caught.value.param,
            "code": None,
        }

    def test_not_found(self, client: openai.OpenAI) -> None:
        with pytest.raises(openai.NotFoundError) as caught:
            client.beta.assistants.retrieve("asst_nope")
        assert caught.value.body == not_found("No assistant found with id 'asst_nope'.")
        with pytest.raises(openai.NotFoundError) as caught:
            client.files.retrieve("file-nope")
        assert caught.value.body == not_found("No file found with id 'file-nope'.")


def not_found(message: str) -> dict[str, Any]:
    return {"message": message, "type": "invalid_request_error", "param": None, "code": None}
