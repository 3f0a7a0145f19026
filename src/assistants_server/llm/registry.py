"""Which backend serves which model: from `ASSISTANTS_LLM_BASE_URL` and the TOML config.

[[backends]]
name = "ollama"
kind = "openai"                     # the default; "scripted" replays canned replies (llm/fake.py)
base_url = "http://127.0.0.1:11434/v1"
api_key_env = "OLLAMA_API_KEY"      # or api_key = "..."
models = ["llama3.1:8b"]            # optional: without it, the backend serves any model

[aliases]
"gpt-4o" = "llama3.1:8b"            # apps keep their model names

A model is routed by `resolve`: alias first, then the first backend declaring the model, then
the first backend without a `models` list.
"""

from __future__ import annotations

import logging
import os
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, model_validator

from assistants_server.config import Settings
from assistants_server.llm.base import LLMBackend, ModelInfo
from assistants_server.llm.fake import ScriptedBackend, ScriptedReply
from assistants_server.llm.openai_compat import OpenAICompatBackend

logger = logging.getLogger(__name__)


class BackendConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    kind: Literal["openai", "scripted"] = "openai"
    base_url: str | None = None
    api_key: str | None = None
    api_key_env: str | None = None
    models: list[str] | None = None
    replies: list[ScriptedReply] = []

    @model_validator(mode="after")
    def _fits_kind(self) -> Self:
        if self.kind == "openai" and not self.base_url:
            raise ValueError(f"backend {self.name!r}: an openai backend needs a base_url")
        if self.kind != "scripted" and self.replies:
            raise ValueError(f"backend {self.name!r}: only a scripted backend takes replies")
        return self

    def key(self) -> str | None:
        return os.environ.get(self.api_key_env) if self.api_key_env else self.api_key


def _openai_backend(config: BackendConfig) -> LLMBackend:
    assert config.base_url is not None  # checked by BackendConfig
    return OpenAICompatBackend(config.name, config.base_url, config.key())


def _scripted_backend(config: BackendConfig) -> LLMBackend:
    return ScriptedBackend(config.name, config.replies, models=config.models)


BACKEND_KINDS: dict[str, Callable[[BackendConfig], LLMBackend]] = {
    "openai": _openai_backend,
    "scripted": _scripted_backend,
}


class RoutingConfig(BaseModel):
    """The TOML config; tables read elsewhere (such as `[limits]`) are ignored here."""

    model_config = ConfigDict(extra="ignore")

    backends: list[BackendConfig] = []
    aliases: dict[str, str] = {}


def load_routing(settings: Settings) -> RoutingConfig:
    routing = RoutingConfig()
    if settings.config is not None:
        routing = RoutingConfig.model_validate(tomllib.loads(Path(settings.config).read_text()))
    if settings.llm_base_url:
        default = BackendConfig(
            name="default", base_url=settings.llm_base_url, api_key=settings.llm_api_key
        )
        routing.backends.insert(0, default)
    return routing


class BackendRegistry:
    def __init__(self, routing: RoutingConfig) -> None:
        names = [config.name for config in routing.backends]
        if len(set(names)) != len(names):
            raise ValueError(f"backend names must be unique, got {names}")
        self.routing = routing
        self.backends: dict[str, LLMBackend] = {
            config.name: BACKEND_KINDS[config.kind](config) for config in routing.backends
        }

    @classmethod
    def from_settings(cls, settings: Settings) -> BackendRegistry:
        return cls(load_routing(settings))

    def resolve(self, model: str) -> tuple[LLMBackend, str] | None:
        """The backend for `model` and the model name to send it, or None if none serves it."""
        target = self.routing.aliases.get(model, model)
        configs = self.routing.backends
        chosen = next((c for c in configs if c.models is not None and target in c.models), None)
        if chosen is None:
            chosen = next((c for c in configs if c.models is None), None)
        return None if chosen is None else (self.backends[chosen.name], target)

    async def list_models(self) -> list[ModelInfo]:
        """Every model a configured backend serves, then every alias of one of them."""
        served: dict[str, ModelInfo] = {}
        for config in self.routing.backends:
            if config.models is not None:
                infos = [ModelInfo(model, 0, config.name) for model in config.models]
            else:
                try:
                    infos = await self.backends[config.name].list_models()
                except Exception as exc:
                    logger.warning("backend %r did not list its models: %s", config.name, exc)
                    continue
            for info in infos:
                served.setdefault(info.id, info)
        for alias, target in self.routing.aliases.items():
            if target in served and alias not in served:
                served[alias] = ModelInfo(alias, served[target].created, served[target].owned_by)
        return list(served.values())

    async def aclose(self) -> None:
        for backend in self.backends.values():
            await backend.aclose()
