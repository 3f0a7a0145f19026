"""GET /v1/models: what the configured backends serve, plus the configured aliases."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest

from tests.fake_model_server import FakeModelServer, fake_model_server
from tests.servers import free_port, running_server
from tests.spec_check import checked_openai

BACKEND_KEY = "sk-backend-secret"


def server_env(tmp: Path, **settings: str) -> dict[str, str]:
    return {
        "ASSISTANTS_DATABASE_URL": f"sqlite:///{tmp / 'assistants.db'}",
        "ASSISTANTS_STORAGE_URL": str(tmp / "files"),
        "ASSISTANTS_API_KEYS": "",
        "ASSISTANTS_LLM_BASE_URL": "",
        "ASSISTANTS_LLM_API_KEY": "",
        "ASSISTANTS_CONFIG": "",
        **settings,
    }


def not_found(model: str) -> dict[str, object]:
    return {
        "error": {
            "message": f"The model '{model}' does not exist",
            "type": "invalid_request_error",
            "param": "model",
            "code": "model_not_found",
        }
    }


@pytest.fixture(scope="module")
def fake_backend() -> Iterator[FakeModelServer]:
    with fake_model_server(["llama3.1:8b", "qwen2.5:7b"]) as fake:
        yield fake


@pytest.fixture(scope="module")
def backend_url(
    fake_backend: FakeModelServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A server whose one backend is the fake, set through ASSISTANTS_LLM_BASE_URL."""
    tmp = tmp_path_factory.mktemp("models-backend")
    env = server_env(
        tmp, ASSISTANTS_LLM_BASE_URL=fake_backend.base_url, ASSISTANTS_LLM_API_KEY=BACKEND_KEY
    )
    with running_server(env, tmp / "server.log") as url:
        yield url


@pytest.fixture(scope="module")
def unasked_backend() -> Iterator[FakeModelServer]:
    with fake_model_server(["never-listed"]) as fake:
        yield fake


@pytest.fixture(scope="module")
def asked_backend() -> Iterator[FakeModelServer]:
    with fake_model_server(["mistral-nemo"]) as fake:
        yield fake


@pytest.fixture(scope="module")
def config_url(
    unasked_backend: FakeModelServer,
    asked_backend: FakeModelServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    """A server configured by a TOML file: a backend with its models listed in the file, one
    asked for its models with a key from the environment, one that is down, and aliases (one
    of them for a model nobody serves)."""
    tmp = tmp_path_factory.mktemp("models-config")
    config = tmp / "assistants.toml"
    config.write_text(
        f"""
[[backends]]
name = "local"
base_url = "{unasked_backend.base_url}"
api_key = "sk-local"
models = ["llama3.1:8b", "meta-llama/Llama-3.1-8B-Instruct"]

[[backends]]
name = "down"
base_url = "http://127.0.0.1:{free_port()}/v1"

[[backends]]
name = "asked"
base_url = "{asked_backend.base_url}"
api_key_env = "ASKED_BACKEND_KEY"

[aliases]
"gpt-4o" = "llama3.1:8b"
"gpt-3.5-turbo" = "mistral-nemo"
"gpt-4-turbo" = "not-served-anywhere"
"""
    )
    env = server_env(tmp, ASSISTANTS_CONFIG=str(config), ASKED_BACKEND_KEY="sk-from-env")
    with running_server(env, tmp / "server.log") as url:
        yield url


def sdk(base_url: str) -> openai.OpenAI:
    return checked_openai(base_url=base_url, api_key="sk-test-models", max_retries=0)


class TestNoBackend:
    def test_lists_nothing(self, bare_base_url: str) -> None:
        with sdk(bare_base_url) as client:
            page = client.models.list()
        assert page.data == []

    def test_any_model_is_404(self, bare_base_url: str) -> None:
        with sdk(bare_base_url) as client, pytest.raises(openai.NotFoundError):
            client.models.retrieve("gpt-4o")
        with httpx.Client(base_url=bare_base_url + "/", timeout=30) as http:
            response = http.get("models/gpt-4o")
        assert response.status_code == 404
        assert response.json() == not_found("gpt-4o")


class TestBackendFromEnvironment:
    def test_lists_what_the_backend_serves(
        self, backend_url: str, fake_backend: FakeModelServer
    ) -> None:
        fake_backend.requests.clear()
        with sdk(backend_url) as client:
            models = client.models.list().data
        assert [m.model_dump(exclude_unset=True) for m in models] == [
            {
                "id": name,
                "object": "model",
                "created": 1700000000,
                "owned_by": "fake",
                "shutdown_date": None,
            }
            for name in ["llama3.1:8b", "qwen2.5:7b"]
        ]
        asked = [r for r in fake_backend.requests if r["path"] == "/v1/models"]
        assert asked, "the backend was never asked for its models"
        for request in asked:
            headers = {name.lower(): value for name, value in request["headers"].items()}
            assert request["method"] == "GET"
            assert headers.get("authorization") == f"Bearer {BACKEND_KEY}"

    def test_retrieves_a_served_model(self, backend_url: str) -> None:
        with sdk(backend_url) as client:
            model = client.models.retrieve("qwen2.5:7b")
            assert (model.id, model.created, model.owned_by) == ("qwen2.5:7b", 1700000000, "fake")
            with pytest.raises(openai.NotFoundError) as caught:
                client.models.retrieve("gpt-4o")  # no alias configured
        assert caught.value.status_code == 404
        assert caught.value.body == not_found("gpt-4o")["error"]


class TestBackendsFromConfig:
    def test_lists_models_and_aliases(
        self,
        config_url: str,
        unasked_backend: FakeModelServer,
        asked_backend: FakeModelServer,
    ) -> None:
        asked_backend.requests.clear()
        with sdk(config_url) as client:
            models = client.models.list().data
        assert [(m.id, m.owned_by) for m in models] == [
            ("llama3.1:8b", "local"),
            ("meta-llama/Llama-3.1-8B-Instruct", "local"),
            ("mistral-nemo", "fake"),
            ("gpt-4o", "local"),
            ("gpt-3.5-turbo", "fake"),
        ]
        # models listed in the file are not asked of the backend; the others are, with the key
        # named by `api_key_env`
        assert unasked_backend.requests == []
        asked = [r for r in asked_backend.requests if r["path"] == "/v1/models"]
        assert asked, "the backend without a model list was never asked for its models"
        for request in asked:
            headers = {name.lower(): value for name, value in request["headers"].items()}
            assert headers.get("authorization") == "Bearer sk-from-env"

    def test_retrieves_an_alias(self, config_url: str) -> None:
        with sdk(config_url) as client:
            alias = client.models.retrieve("gpt-4o")
            assert (alias.id, alias.object, alias.owned_by) == ("gpt-4o", "model", "local")
            served = client.models.retrieve("meta-llama/Llama-3.1-8B-Instruct")
            assert served.id == "meta-llama/Llama-3.1-8B-Instruct"

    @pytest.mark.parametrize("model", ["gpt-4-turbo", "not-served-anywhere", "no-such-model"])
    def test_unknown_model_is_404(self, config_url: str, model: str) -> None:
        with httpx.Client(base_url=config_url + "/", timeout=30) as http:
            response = http.get(f"models/{model}", headers={"Authorization": "Bearer sk-x"})
        assert response.status_code == 404
        assert response.json() == not_found(model)
