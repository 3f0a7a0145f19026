"""`GET /metrics` in Prometheus' text format, changing as requests and runs happen; every
response carries an `x-request-id`, which the SDK shows as `_request_id`."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import httpx
import openai
from prometheus_client.parser import text_string_to_metric_families

from tests.contract.conversation import WEATHER_TOOL, make_assistant, make_thread, wait_for_run
from tests.fake_model_server import Call, FakeModelServer, Reply
from tests.servers import (
    SERVER_BIN,
    free_port,
    process_env,
    standalone_env,
    stop_process,
    wait_until_up,
)


def samples(base_url: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of the server's metrics, by name and labels."""
    response = httpx.get(base_url.removesuffix("/v1") + "/metrics", timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    found = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            found[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return found


def value(
    found: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str
) -> float:
    return found.get((name, frozenset(labels.items())), 0.0)


def test_metrics_follow_requests_runs_and_tools(
    base_url: str, client: openai.OpenAI, fake_model: FakeModelServer, model: str
) -> None:
    before = samples(base_url)
    call = Call("get_weather", json.dumps({"city": "Oslo"}))
    fake_model.script(model, Reply(tool_calls=[call]), Reply("Sunny."))
    assistant = make_assistant(client, model, tools=[WEATHER_TOOL])
    thread = make_thread(client, "Weather?")
    run = client.beta.threads.runs.create(thread.id, assistant_id=assistant.id)
    waiting = wait_for_run(client, thread.id, run.id)
    assert waiting.required_action is not None
    [asked] = waiting.required_action.submit_tool_outputs.tool_calls
    client.beta.threads.runs.submit_tool_outputs(
        run.id, thread_id=thread.id, tool_outputs=[{"tool_call_id": asked.id, "output": "sun"}]
    )
    assert wait_for_run(client, thread.id, run.id).status == "completed"
    after = samples(base_url)

    def grew(name: str, by: float = 1, **labels: str) -> bool:
        return value(after, name, **labels) - value(before, name, **labels) >= by

    route = "/v1/threads/{thread_id}/runs"
    assert grew("assistants_http_requests_total", method="POST", route=route, status="200")
    assert grew("assistants_http_request_duration_seconds_count", method="POST", route=route)
    assert grew("assistants_runs_finished_total", status="completed")
    assert grew("assistants_run_duration_seconds_count", model=model)
    backend = {"model": model, "backend": "default"}
    assert grew("assistants_time_to_first_token_seconds_count", by=2, **backend)
    assert grew("assistants_model_turn_duration_seconds_count", by=2, **backend)
    assert grew("assistants_tokens_total", model=model, kind="prompt")
    assert grew("assistants_tokens_total", model=model, kind="completion")
    assert grew("assistants_tool_calls_total", tool="function", outcome="waiting")
    assert ("assistants_runs_queued", frozenset()) in after
    ids = re.compile(r"\b(thread|run|asst|msg|step|file|vs)_[0-9A-Za-z]{10,}")
    assert not any(ids.search(str(labels)) for _, labels in after)  # no ids, no tenants


def test_every_response_has_a_request_id(client: openai.OpenAI, http: httpx.Client) -> None:
    created = client.beta.assistants.with_raw_response.create(model="gpt-4o")
    assert created.headers["x-request-id"].startswith("req_")
    assert created.request_id == created.headers["x-request-id"]
    missing = http.get("assistants/asst_nope")
    assert missing.status_code == 404
    assert missing.headers["x-request-id"].startswith("req_")
    assert missing.headers["x-request-id"] != created.headers["x-request-id"]


def test_a_worker_serves_its_own_metrics(tmp_path: Path) -> None:
    env = process_env(standalone_env(tmp_path))
    subprocess.run([str(SERVER_BIN), "migrate"], env=env, check=True, capture_output=True)
    port = free_port()
    command = [str(SERVER_BIN), "worker", "--metrics-port", str(port)]
    with (tmp_path / "worker.log").open("wb") as log:
        worker = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/metrics", worker)
        found = samples(f"http://127.0.0.1:{port}/v1")
        assert ("assistants_runs_queued", frozenset()) in found
    finally:
        stop_process(worker)
