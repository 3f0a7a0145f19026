"""Settings, read from `ASSISTANTS_*` environment variables; every one has a working default."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

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

    orphan_sweep_seconds: float = Field(
        3600.0, gt=0, description="how often stored bytes no file names are swept (once older)"
    )
    log_format: Literal["text", "json"] = Field(
        "text", description="log lines as text, or one JSON object per line"
    )
    code_timeout: float = Field(
        60.0, gt=0, description="code_interpreter: seconds of wall time per call"
    )
    code_memory_mb: int = Field(1024, ge=64, description="code_interpreter: memory per session")
    code_processes: int = Field(
        64, ge=4, description="code_interpreter: processes and threads per session"
    )
    code_data_mb: int = Field(512, ge=1, description="code_interpreter: size of /mnt/data")
    code_log_chars: int = Field(
        20_000, ge=100, description="code_interpreter: logs returned per call (then truncated)"
    )
    code_sessions: int = Field(
        32, ge=1, description="code_interpreter: live sessions per process (LRU closed first)"
    )
    code_idle_seconds: float = Field(
        1200.0, gt=0, description="code_interpreter: a session idle this long is closed"
    )
    code_sandbox: Literal["bubblewrap", "none"] = Field(
        "bubblewrap", description="code_interpreter's sandbox; none: code never runs"
    )
    code_dir: Path | None = Field(
        None, description="where code sessions keep their files (default: a temporary dir)"
    )

    @field_validator("llm_base_url", "llm_api_key", "config", "code_dir", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if value == "" else value

    @property
    def accepted_api_keys(self) -> frozenset[str]:
        return frozenset(key.strip() for key in self.api_keys.split(",") if key.strip())

    @property
    def auth_required(self) -> bool:
        return bool(self.accepted_api_keys)


CODE_TABLE = "code_interpreter"  # the TOML file's table of code_interpreter settings


def with_config_file(settings: Settings) -> Settings:
    """`settings` with the TOML file's `[code_interpreter]` values (`timeout = 30` is
    `code_timeout`) where the environment set none."""
    if settings.config is None or not settings.config.exists():
        return settings
    table = tomllib.loads(settings.config.read_text()).get(CODE_TABLE) or {}
    values = {
        f"code_{key}": value
        for key, value in table.items()
        if f"code_{key}" in Settings.model_fields and f"code_{key}" not in settings.model_fields_set
    }
    if not values:
        return settings
    return Settings.model_validate({**settings.model_dump(exclude_unset=True), **values})
