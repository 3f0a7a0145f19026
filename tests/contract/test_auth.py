"""API keys: a server started with `ASSISTANTS_API_KEYS` accepts those keys only, each its own
tenant; and the start-up rule that refuses a network address without keys."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest

from assistants_server.config import Settings
from tests.servers import (
    SERVER_BIN,
    free_port,
    process_env,
    running_server,
    server_process,
)
from tests.spec_check import checked_openai

KEYS = ("key-one", "key-two")
SETTING_NAMES = [f"ASSISTANTS_{name.upper()}" for name in Settings.model_fields]


def isolated_env(tmp: Path, **settings: str) -> dict[str, str]:
    """Every ASSISTANTS_* setting unset ("" unsets) except a SQLite database and file storage
    in `tmp`, then `settings`: the developer's own environment does not leak in."""
    env = dict.fromkeys(SETTING_NAMES, "")
    env["ASSISTANTS_DATABASE_URL"] = f"sqlite:///{tmp / 'assistants.db'}"
    env["ASSISTANTS_STORAGE_URL"] = str(tmp / "files")
    env.update(settings)
    return env


@pytest.fixture(scope="module")
def auth_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("auth-server")
    env = isolated_env(tmp, ASSISTANTS_API_KEYS=",".join(KEYS))
    with running_server(env, tmp / "server.log") as url:
        yield url


def sdk(url: str, key: str) -> openai.OpenAI:
    return checked_openai(base_url=url, api_key=key, max_retries=0)


def error_of(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}, body
    error: dict[str, Any] = body["error"]
    assert set(error) == {"message", "type", "param", "code"}, error
    assert error["type"] == "invalid_request_error"
    assert error["param"] is None
    return error


class TestRejected:
    @pytest.mark.parametrize(
        "headers",
        [
            pytest.param({}, id="no-header"),
            pytest.param({"Authorization": "Bearer"}, id="bare-bearer"),
            pytest.param({"Authorization": "key-one"}, id="no-scheme"),
            pytest.param({"Authorization": "Basic key-one"}, id="basic-scheme"),
        ],
    )
    def test_without_a_bearer_key(self, auth_url: str, headers: dict[str, str]) -> None:
        error = error_of(httpx.get(f"{auth_url}/assistants", headers=headers), 401)
        assert "API key" in error["message"]

    @pytest.mark.parametrize(
        "key", ["wrong-key-123456", "key-on", "key-one2", "KEY-ONE", "key-one,key-two"]
    )
    def test_wrong_key(self, auth_url: str, key: str) -> None:
        response = httpx.get(f"{auth_url}/assistants", headers={"Authorization": f"Bearer {key}"})
        error = error_of(response, 401)
        assert error["code"] == "invalid_api_key"
        assert error["message"].startswith("Incorrect API key provided")
        assert key not in error["message"]  # never echoed whole

    def test_sdk_raises_authentication_error(self, auth_url: str) -> None:
        with sdk(auth_url, "sk-not-configured") as client:
            with pytest.raises(openai.AuthenticationError) as caught:
                client.beta.assistants.list()
            assert caught.value.status_code == 401
            assert caught.value.code == "invalid_api_key"
            with pytest.raises(openai.AuthenticationError):
                client.beta.assistants.create(model="gpt-4o")

    def test_auth_is_checked_before_the_body(self, auth_url: str) -> None:
        response = httpx.post(f"{auth_url}/assistants", json={"name": "n" * 300})
        error_of(response, 401)
        response = httpx.get(f"{auth_url}/assistants", params={"limit": 0})
        error_of(response, 401)

    def test_rejected_requests_store_nothing(self, auth_url: str) -> None:
        response = httpx.post(
            f"{auth_url}/assistants",
            json={"model": "gpt-4o", "name": "sneaky"},
            headers={"Authorization": "Bearer wrong-key-123456"},
        )
        error_of(response, 401)
        for key in KEYS:
            with sdk(auth_url, key) as client:
                names = [a.name for a in client.beta.assistants.list(limit=100)]
            assert "sneaky" not in names


class TestAccepted:
    @pytest.mark.parametrize("key", KEYS)
    def test_each_configured_key_works(self, auth_url: str, key: str) -> None:
        with sdk(auth_url, key) as client:
            created = client.beta.assistants.create(model="gpt-4o", name=f"made with {key}")
            assert client.beta.assistants.retrieve(created.id).name == f"made with {key}"
            assert created.id in [a.id for a in client.beta.assistants.list(limit=100)]

    def test_keys_are_separate_tenants(self, auth_url: str) -> None:
        with sdk(auth_url, "key-one") as one, sdk(auth_url, "key-two") as two:
            mine = one.beta.assistants.create(model="gpt-4o", name="key-one's")
            with pytest.raises(openai.NotFoundError) as caught:
                two.beta.assistants.retrieve(mine.id)
            assert caught.value.body == {
                "message": f"No assistant found with id '{mine.id}'.",
                "type": "invalid_request_error",
                "param": None,
                "code": None,
            }
            with pytest.raises(openai.NotFoundError):
                two.beta.assistants.update(mine.id, name="taken over")
            with pytest.raises(openai.NotFoundError):
                two.beta.assistants.delete(mine.id)
            assert mine.id not in [a.id for a in two.beta.assistants.list(limit=100)]
            assert one.beta.assistants.retrieve(mine.id).model_dump() == mine.model_dump()

    def test_healthz_needs_no_key(self, auth_url: str) -> None:
        response = httpx.get(auth_url.removesuffix("/v1") + "/healthz")
        assert response.status_code == 200


class TestWithoutKeys:
    def test_every_request_is_one_tenant_whatever_its_bearer(self, keyless_base_url: str) -> None:
        """LangChain and other wrappers read OPENAI_API_KEY on their own: in local development
        a different key (or none) must not mean a different tenant."""
        with sdk(keyless_base_url, "sk-the-app") as app, sdk(keyless_base_url, "sk-else") as other:
            assistant = app.beta.assistants.create(model="gpt-4o", name="shared")
            assert other.beta.assistants.retrieve(assistant.id).name == "shared"
            thread = other.beta.threads.create(messages=[{"role": "user", "content": "hi"}])
            assert app.beta.threads.messages.list(thread.id).data[0].thread_id == thread.id
        unsigned = httpx.get(f"{keyless_base_url}/assistants/{assistant.id}")
        assert unsigned.status_code == 200
        assert unsigned.json()["id"] == assistant.id


@contextmanager
def serving(tmp: Path, args: list[str], **settings: str) -> Iterator[tuple[str, Path]]:
    """`assistants-server serve <args> --port <free>`; yields its root URL and its log."""
    log_path = tmp / "serve.log"
    env = isolated_env(tmp, **settings)
    with server_process(env, log_path, serve_args=args, cwd=tmp) as server:
        yield server.url.removesuffix("/v1"), log_path


class TestStartUp:
    def test_refuses_network_address_without_keys(self, tmp_path: Path) -> None:
        argv = [str(SERVER_BIN), "serve", "--host", "0.0.0.0", "--port", str(free_port())]
        env = process_env(isolated_env(tmp_path))
        try:
            done = subprocess.run(
                argv, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=30
            )
        except subprocess.TimeoutExpired:
            pytest.fail("serve --host 0.0.0.0 without ASSISTANTS_API_KEYS kept running")
        assert done.returncode != 0
        said = done.stdout + done.stderr
        assert "ASSISTANTS_API_KEYS" in said or "--insecure-no-auth" in said, said

    def test_insecure_no_auth_starts(self, tmp_path: Path) -> None:
        with serving(tmp_path, ["--host", "0.0.0.0", "--insecure-no-auth"]) as (root, log):
            response = httpx.get(f"{root}/v1/assistants", headers={"Authorization": "Bearer x"})
            assert response.status_code == 200
            assert "ASSISTANTS_API_KEYS" in log.read_text()  # a warning says it is open

    def test_network_address_with_keys_starts(self, tmp_path: Path) -> None:
        with serving(tmp_path, ["--host", "0.0.0.0"], ASSISTANTS_API_KEYS="key-one") as (root, _):
            assert httpx.get(f"{root}/v1/assistants").status_code == 401
            response = httpx.get(
                f"{root}/v1/assistants", headers={"Authorization": "Bearer key-one"}
            )
            assert response.status_code == 200


@pytest.mark.parametrize("argv", [["--help"], ["serve", "--help"]], ids=["main", "serve"])
def test_help_lists_every_setting(argv: list[str]) -> None:
    done = subprocess.run(
        [str(SERVER_BIN), *argv], capture_output=True, text=True, timeout=30, check=False
    )
    assert done.returncode == 0, done.stderr
    missing = [name for name in SETTING_NAMES if name not in done.stdout]
    assert missing == []
