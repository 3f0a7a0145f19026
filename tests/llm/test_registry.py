"""BackendRegistry: building backends by kind, and routing a model name to one of them."""

from __future__ import annotations

import tomllib
from collections.abc import AsyncIterator

import pytest
from pydantic import ValidationError

from assistants_server.config import Settings
from assistants_server.llm.fake import ScriptedBackend
from assistants_server.llm.openai_compat import OpenAICompatBackend
from assistants_server.llm.registry import BackendRegistry, RoutingConfig

CONFIG = """
[limits]
max_concurrent_runs = 4          # read elsewhere; routing ignores it

[[backends]]
name = "anything"                # no models: serves whatever nobody declares
kind = "scripted"

[[backends]]
name = "llama"
base_url = "http://127.0.0.1:11434/v1"
models = ["llama3.1:8b"]

[[backends]]
name = "qwen"
kind = "scripted"
models = ["qwen2.5:7b", "llama3.1:8b"]

[[backends]]
name = "nothing"
kind = "scripted"
models = []

[aliases]
"gpt-4o" = "qwen2.5:7b"
"gpt-4o-mini" = "llama3.1:8b"
"gpt-3.5-turbo" = "unlisted-model"
"""


def routing(text: str) -> RoutingConfig:
    return RoutingConfig.model_validate(tomllib.loads(text))


@pytest.fixture
async def registry() -> AsyncIterator[BackendRegistry]:
    registry = BackendRegistry(routing(CONFIG))
    yield registry
    await registry.aclose()


def test_backends_are_built_by_kind(registry: BackendRegistry) -> None:
    assert isinstance(registry.backends["llama"], OpenAICompatBackend)
    assert isinstance(registry.backends["qwen"], ScriptedBackend)
    assert [backend.name for backend in registry.backends.values()] == [
        "anything",
        "llama",
        "qwen",
        "nothing",
    ]


@pytest.mark.parametrize(
    ("model", "backend", "upstream"),
    [
        ("llama3.1:8b", "llama", "llama3.1:8b"),  # the first backend declaring it
        ("qwen2.5:7b", "qwen", "qwen2.5:7b"),  # declared, though a catch-all comes first
        ("gpt-4o", "qwen", "qwen2.5:7b"),  # alias, then routed as its target
        ("gpt-4o-mini", "llama", "llama3.1:8b"),
        ("gpt-3.5-turbo", "anything", "unlisted-model"),  # alias to an undeclared model
        ("mistral-nemo", "anything", "mistral-nemo"),
    ],
)
def test_resolve(registry: BackendRegistry, model: str, backend: str, upstream: str) -> None:
    assert registry.resolve(model) == (registry.backends[backend], upstream)


async def test_resolve_without_a_catch_all() -> None:
    registry = BackendRegistry(
        routing('[[backends]]\nname = "only"\nkind = "scripted"\nmodels = ["m"]\n')
    )
    assert registry.resolve("m") == (registry.backends["only"], "m")
    assert registry.resolve("other") is None
    await registry.aclose()


def test_resolve_with_nothing_configured() -> None:
    assert BackendRegistry(RoutingConfig()).resolve("gpt-4o") is None


async def test_environment_backend_is_a_catch_all() -> None:
    settings = Settings(llm_base_url="http://127.0.0.1:8000/v1", config=None)
    registry = BackendRegistry.from_settings(settings)
    resolved = registry.resolve("any-model")
    assert resolved is not None
    assert isinstance(resolved[0], OpenAICompatBackend)
    assert (resolved[0].name, resolved[0].base_url) == ("default", "http://127.0.0.1:8000/v1/")
    await registry.aclose()


@pytest.mark.parametrize(
    ("backend", "error"),
    [
        ('name = "x"', "needs a base_url"),
        ('name = "x"\nkind = "scripted"\nmodel = "typo"', "Extra inputs"),
        ('name = "x"\nbase_url = "http://h/v1"\nreplies = [{text = "hi"}]', "only a scripted"),
        ('name = "x"\nkind = "anthropic"\nbase_url = "http://h/v1"', "kind"),
    ],
)
def test_invalid_backends_are_rejected(backend: str, error: str) -> None:
    with pytest.raises(ValidationError, match=error):
        routing(f"[[backends]]\n{backend}\n")


def test_backend_names_are_unique() -> None:
    config = routing('[[backends]]\nname = "a"\nkind = "scripted"\n' * 2)
    with pytest.raises(ValueError, match="unique"):
        BackendRegistry(config)
