"""Any OpenAI-compatible `/v1` endpoint: vLLM, Ollama, llama.cpp, LM Studio, TGI, OpenAI..."""

from __future__ import annotations

import httpx
from pydantic import BaseModel

from assistants_server.llm.base import ModelInfo


class _ModelEntry(BaseModel):
    id: str
    created: int = 0
    owned_by: str | None = None


class _ModelList(BaseModel):
    data: list[_ModelEntry]


class OpenAICompatBackend:
    def __init__(
        self,
        name: str,
        base_url: str,
        api_key: str | None = None,
        *,
        timeout: float = 60.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.name = name
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.AsyncClient(
            base_url=base_url.rstrip("/") + "/",
            headers=headers,
            timeout=httpx.Timeout(timeout, connect=10.0),
            transport=transport,
        )

    async def list_models(self) -> list[ModelInfo]:
        response = await self._client.get("models")
        response.raise_for_status()
        listed = _ModelList.model_validate_json(response.content)
        return [
            ModelInfo(id=entry.id, created=entry.created, owned_by=entry.owned_by or self.name)
            for entry in listed.data
        ]

    async def aclose(self) -> None:
        await self._client.aclose()
