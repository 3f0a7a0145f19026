"""Shared fixtures: a real server per database on a loopback port, a fresh tenant per test.

The servers accept a pool of keys (`tests/servers.py`), each its own tenant; every test gets a
key of its own, so tests never see each other's objects while sharing one server process per
database.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import openai
import pytest

from tests import spec_check
from tests.fake_model_server import FakeModelServer, fake_model_server
from tests.servers import (
    API_KEYS_SETTING,
    create_database,
    new_api_key,
    postgres_cluster,
    running_server,
)
from tests.spec_check import checked_http, checked_openai

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
DATABASES = ["sqlite", "postgresql"]


@pytest.fixture(autouse=True)
def responses_within_spec() -> Iterator[None]:
    """Every response the test's clients received is within the OpenAPI documents (see
    tests/spec_check.py, which lists where OpenAI itself was not)."""
    spec_check.violations.clear()
    yield
    found, spec_check.violations[:] = list(spec_check.violations), []
    assert found == [], "responses outside the spec"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str | None]:
    with postgres_cluster() as url:
        if url is None and os.environ.get("ASSISTANTS_TEST_REQUIRE_POSTGRES") == "1":
            pytest.fail("PostgreSQL is required (ASSISTANTS_TEST_REQUIRE_POSTGRES=1) but missing")
        yield url


def database_url(kind: str, postgres: str | None, tmp: Path, name: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp / 'assistants.db'}"
    if postgres is None:
        pytest.skip("PostgreSQL binaries not found (install postgresql to run these)")
    return create_database(postgres, name)


@pytest.fixture(scope="session")
def fake_model() -> Iterator[FakeModelServer]:
    """The model server behind the shared servers. It lists no models; tests script replies
    for a model name of their own (the `model` fixture), so they never see each other's."""
    with fake_model_server([]) as fake:
        yield fake


@pytest.fixture
def model(fake_model: FakeModelServer) -> str:
    return "fake-" + secrets.token_hex(6)


@pytest.fixture(scope="session", params=DATABASES)
def server_env(
    request: pytest.FixtureRequest,
    postgres_server: str | None,
    fake_model: FakeModelServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp(f"server-{request.param}")
    return {
        "ASSISTANTS_DATABASE_URL": database_url(request.param, postgres_server, tmp, "api"),
        "ASSISTANTS_STORAGE_URL": str(tmp / "files"),
        "ASSISTANTS_MAX_UPLOAD_BYTES": str(MAX_UPLOAD_BYTES),
        "ASSISTANTS_API_KEYS": API_KEYS_SETTING,
        "ASSISTANTS_LLM_BASE_URL": fake_model.base_url,
        "ASSISTANTS_LLM_API_KEY": "",
        "ASSISTANTS_CONFIG": "",
        "ASSISTANTS_RUN_LEASE_SECONDS": "3",
        "ASSISTANTS_CODE_TIMEOUT": "5",  # the containment tests' loops end sooner
    }


@pytest.fixture(scope="session")
def server_log(server_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the `base_url` server writes its log."""
    return tmp_path_factory.mktemp("logs") / "server.log"


@pytest.fixture(scope="session")
def base_url(server_env: dict[str, str], server_log: Path) -> Iterator[str]:
    with running_server(server_env, server_log) as url:
        yield url


@contextmanager
def separate_server(
    server_env: dict[str, str], tmp: Path, name: str, **overrides: str
) -> Iterator[str]:
    """A server like `base_url`'s, with `overrides`, on a database and files of its own."""
    env = {**server_env, **overrides}
    if env["ASSISTANTS_DATABASE_URL"].startswith("sqlite"):
        env["ASSISTANTS_DATABASE_URL"] = f"sqlite:///{tmp / 'assistants.db'}"
    else:
        server = env["ASSISTANTS_DATABASE_URL"].rsplit("/", 1)[0]
        env["ASSISTANTS_DATABASE_URL"] = create_database(server, name)
    env["ASSISTANTS_STORAGE_URL"] = str(tmp / "files")
    with running_server(env, tmp / "server.log") as url:
        yield url


@pytest.fixture(scope="session")
def keyless_base_url(
    server_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A server like `base_url`'s, on a database of its own, with no API keys configured."""
    tmp = tmp_path_factory.mktemp("server-keyless")
    with separate_server(server_env, tmp, "keyless", ASSISTANTS_API_KEYS="") as url:
        yield url


@pytest.fixture(scope="session")
def bare_base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server on SQLite with no model backend configured at all."""
    tmp = tmp_path_factory.mktemp("server-bare")
    env = {
        "ASSISTANTS_DATABASE_URL": f"sqlite:///{tmp / 'assistants.db'}",
        "ASSISTANTS_STORAGE_URL": str(tmp / "files"),
        "ASSISTANTS_API_KEYS": "",
        "ASSISTANTS_LLM_BASE_URL": "",
        "ASSISTANTS_LLM_API_KEY": "",
        "ASSISTANTS_CONFIG": "",
    }
    with running_server(env, tmp / "server.log") as url:
        yield url


@pytest.fixture
def api_key() -> str:
    return new_api_key()


@pytest.fixture
def other_api_key() -> str:
    """Another tenant's key, for tests that two tenants do not see each other."""
    return new_api_key()


@pytest.fixture
def client(base_url: str, api_key: str) -> Iterator[openai.OpenAI]:
    with checked_openai(base_url=base_url, api_key=api_key, max_retries=0) as sdk:
        yield sdk


@pytest.fixture
def http(base_url: str, api_key: str) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {api_key}"}
    with checked_http(base_url=base_url + "/", headers=headers, timeout=30) as session:
        yield session
