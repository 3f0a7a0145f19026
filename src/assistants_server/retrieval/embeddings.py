"""Embeddings from the backend that serves `ASSISTANTS_EMBEDDINGS_MODEL`, routed like chat
models. Without one, or when it fails, search stays lexical: texts get no vectors and a
warning is logged, and nothing fails because of it."""

from __future__ import annotations

import logging

from assistants_server.llm.base import LLMError
from assistants_server.llm.registry import BackendRegistry

logger = logging.getLogger(__name__)


class Embedder:
    def __init__(self, backends: BackendRegistry, model: str) -> None:
        self.backends = backends
        self.model = model
        self._warned_unrouted = False

    async def embed(self, texts: list[str]) -> list[list[float]] | None:
        """One vector per text, or None if there are no embeddings to be had."""
        resolved = self.backends.resolve(self.model)
        if resolved is None:
            if not self._warned_unrouted:
                self._warned_unrouted = True
                logger.warning(
                    "no backend serves the embeddings model %r; file search is lexical only",
                    self.model,
                )
            return None
        backend, upstream = resolved
        try:
            return await backend.embed(upstream, texts)
        except LLMError as exc:
            logger.warning(
                "embeddings model %r failed (%s); these texts are searched lexically only",
                self.model,
                exc.message,
            )
            return None
