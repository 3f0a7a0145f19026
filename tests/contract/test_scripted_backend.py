"""The scripted backend, chosen by config: a deterministic conversation with no model at all,
as a user's own CI would hold one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.servers import running_server
from tests.spec_check import checked_openai

CONFIG = """
[[backends]]
name = "ci"
kind = "scripted"
models = ["gpt-4o"]
replies = [
  { text = "Hello! How can I help?" },
  { tool_calls = [{ name = "get_weather", arguments = '{"city": "Paris"}' }] },
  { text = "It is sunny in Paris." },
  { error = { kind = "rate_limit", message = "Slow down, please." } },
]
"""


@pytest.fixture(scope="module")
def scripted_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("scripted")
    (tmp / "config.toml").write_text(CONFIG)
    env = {
        "ASSISTANTS_DATABASE_URL": f"sqlite:///{tmp / 'assistants.db'}",
        "ASSISTANTS_STORAGE_URL": str(tmp / "files"),
        "ASSISTANTS_API_KEYS": "",
        "ASSISTANTS_LLM_BASE_URL": "",
        "ASSISTANTS_CONFIG": str(tmp / "config.toml"),
    }
    with running_server(env, tmp / "server.log") as url:
        yield url


def test_plays_the_script_in_order(scripted_url: str) -> None:
    weather = {
        "type": "function",
        "function": {"name": "get_weather", "parameters": {"type": "object", "properties": {}}},
    }
    with checked_openai(base_url=scripted_url, api_key="sk-ci", max_retries=0) as client:
        assistant = client.beta.assistants.create(model="gpt-4o", tools=[weather])  # type: ignore[list-item]
        thread = client.beta.threads.create(messages=[{"role": "user", "content": "Hi"}])
        runs = client.beta.threads.runs

        first = runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
        assert first.status == "completed"
        reply = client.beta.threads.messages.list(thread_id=thread.id, limit=1).data[0]
        assert reply.content[0].text.value == "Hello! How can I help?"  # type: ignore[union-attr]

        second = runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
        assert second.status == "requires_action"
        assert second.required_action is not None
        call = second.required_action.submit_tool_outputs.tool_calls[0]
        assert (call.function.name, call.function.arguments) == ("get_weather", '{"city": "Paris"}')
        done = runs.submit_tool_outputs_and_poll(
            thread_id=thread.id,
            run_id=second.id,
            tool_outputs=[{"tool_call_id": call.id, "output": "sunny"}],
        )
        assert done.status == "completed"
        reply = client.beta.threads.messages.list(thread_id=thread.id, limit=1).data[0]
        assert reply.content[0].text.value == "It is sunny in Paris."  # type: ignore[union-attr]

        failed = runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
        assert failed.status == "failed"
        assert failed.last_error is not None
        assert (failed.last_error.code, failed.last_error.message) == (
            "rate_limit_exceeded",
            "Slow down, please.",
        )
