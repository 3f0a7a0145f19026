"""The LLM backend interface: one small Protocol, one module per provider behind it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class ModelInfo:
    id: str
    created: int
    owned_by: str


class LLMBackend(Protocol):
    name: str

    async def list_models(self) -> list[ModelInfo]:
        """The models this backend serves."""
        ...

    async def aclose(self) -> None: ...
