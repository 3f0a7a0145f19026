"""Settings, read from `ASSISTANTS_*` environment variables; every one has a working default."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

MiB = 1024 * 1024


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASSISTANTS_", extra="ignore")

    database_url: str = Field(
        "sqlite:///./data/assistants.db",
        description="sqlite:///path.db or postgresql://user:pass@host/db",
    )
    storage_url: str = Field(
        "./data/files", description="where uploaded files live: a path or file:// URL"
    )
    llm_base_url: str | None = Field(
        None, description="an OpenAI-compatible /v1 URL (vLLM, Ollama, llama.cpp, OpenAI, ...)"
    )
    llm_api_key: str | None = Field(None, description="the key of that backend")
    embeddings_model: str = Field(
        "text-embedding-3-small", description="embedding model, routed like chat models"
    )
    api_keys: str = Field(
        "", description="comma-separated accepted API keys; empty: any bearer, loopback only"
    )
    config: Path | None = Field(
        None, description="a TOML file: several backends, model routing and aliases"
    )
    max_upload_bytes: int = Field(512 * MiB, description="largest accepted file upload")
    max_concurrent_runs: int = Field(
        1024, ge=1, description="runs one executor drives at once; more wait queued"
    )
    run_lease_seconds: float = Field(
        30.0,
        gt=0,
        description="a run whose executor has not renewed its lease for this long is failed",
    )
    tool_outputs_timeout: int = Field(
        600, ge=1, description="seconds a run waits for tool outputs before it expires"
    )

    @field_validator("llm_base_url", "llm_api_key", "config", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if value == "" else value

    @property
    def accepted_api_keys(self) -> frozenset[str]:
        return frozenset(key.strip() for key in self.api_keys.split(",") if key.strip())

    @property
    def auth_required(self) -> bool:
        return bool(self.accepted_api_keys)
