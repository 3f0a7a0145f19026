"""Helpers shared by the run tests: an assistant, a thread, a run waited on, a reply's text."""

from __future__ import annotations

import time
from typing import Any

import openai
import pytest
from openai.types.beta import Assistant, Thread
from openai.types.beta.threads import Message, Run

DEADLINE_SECONDS = 15.0
RESTING = frozenset(
    {"requires_action", "completed", "incomplete", "failed", "cancelled", "expired"}
)
WEATHER_TOOL: dict[str, Any] = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Weather for a city",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    },
}


def make_assistant(client: openai.OpenAI, model: str, **overrides: Any) -> Assistant:
    params: dict[str, Any] = {"model": model, "instructions": "You are a terse helper."}
    params.update(overrides)
    return client.beta.assistants.create(**params)


def make_thread(client: openai.OpenAI, *texts: str) -> Thread:
    return client.beta.threads.create(
        messages=[{"role": "user", "content": text} for text in texts]
    )


def wait_for_run(
    client: openai.OpenAI, thread_id: str, run_id: str, until: frozenset[str] = RESTING
) -> Run:
    """Poll the run until its status is one of `until`; fail after DEADLINE_SECONDS."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while True:
        run = client.beta.threads.runs.retrieve(run_id, thread_id=thread_id)
        if run.status in until:
            return run
        if time.monotonic() > deadline:
            pytest.fail(f"run {run_id} still {run.status!r} after {DEADLINE_SECONDS}s")
        time.sleep(0.05)


def text_of(message: Message) -> str:
    return "".join(part.text.value for part in message.content if part.type == "text")
