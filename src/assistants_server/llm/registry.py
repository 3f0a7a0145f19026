"""Which backend serves which model: from `ASSISTANTS_LLM_BASE_URL` and the TOML config.

[[backends]]
name = "ollama"
base_url = "http://127.0.0.1:11434/v1"
api_key_env = "OLLAMA_API_KEY"      # or api_key = "..."
models = ["llama3.1:8b"]            # optional: otherwise asked of the backend

[aliases]
"gpt-4o" = "llama3.1:8b"            # apps keep their model names
"""

from __future__ import annotations

import logging
import os
import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from assistants_server.config import Settings
from assistants_server.llm.base import LLMBackend, ModelInfo
from assistants_server.llm.openai_compat import OpenAICompatBackend

logger = logging.getLogger(__name__)


class BackendConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    base_url: str
    api_key: str | None = None
    api_key_env: str | None = None
    models: list[str] | None = None

    def key(self) -> str | None:
        return os.environ.get(self.api_key_env) if self.api_key_env else self.api_key


class RoutingConfig(BaseModel):
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
        self.routing = routing
        self.backends: dict[str, LLMBackend] = {
            config.name: OpenAICompatBackend(config.name, config.base_url, config.key())
            for config in routing.backends
        }

    @classmethod
    def from_settings(cls, settings: Settings) -> BackendRegistry:
        return cls(load_routing(settings))

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
