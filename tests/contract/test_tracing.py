"""Traces to an OTLP/HTTP receiver started by the test: a span per request, per run (linked
to the request that created it, though another process drives it), per model turn and per
tool call; the model backend gets the turn's `traceparent`."""

from __future__ import annotations

import json
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import openai
import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from tests.contract.conversation import WEATHER_TOOL, wait_for_run
from tests.fake_model_server import Call, FakeModelServer, Reply
from tests.servers import SERVER_BIN, process_env, server_process, standalone_env, stop_process

MODEL = "fake-traced"


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[Any]]]:
    """An OTLP/HTTP trace receiver on loopback: its URL and the spans it was sent."""
    spans: list[Any] = []

    class Receiver(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            export = ExportTraceServiceRequest.FromString(body)
            for resource in export.resource_spans:
                for scope in resource.scope_spans:
                    spans.extend(scope.spans)
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", "0")
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", spans
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def worker(env: dict[str, str], log: Path) -> Iterator[None]:
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(SERVER_BIN), "worker"], env=process_env(env), stdout=out, stderr=subprocess.STDOUT
        )
    try:
        yield
    finally:
        stop_process(process)  # a clean stop exports the spans it still holds


def test_spans_across_processes(
    receiver: tuple[str, list[Any]], fake_model: FakeModelServer, tmp_path: Path
) -> None:
    endpoint, spans = receiver
    env = standalone_env(
        tmp_path,
        ASSISTANTS_LLM_BASE_URL=fake_model.base_url,
        OTEL_EXPORTER_OTLP_ENDPOINT=endpoint,
        OTEL_BSP_SCHEDULE_DELAY="100",
    )
    call = Call("get_weather", json.dumps({"city": "Oslo"}))
    fake_model.script(MODEL, Reply(tool_calls=[call]))
    api_only = ("--host", "127.0.0.1", "--no-worker")
    with (
        server_process(env, tmp_path / "api.log", serve_args=api_only) as api,
        worker(env, tmp_path / "worker.log"),
        openai.OpenAI(base_url=api.url, api_key="any", max_retries=0) as client,
    ):
        assistant = client.beta.assistants.create(model=MODEL, tools=[WEATHER_TOOL])
        thread = client.beta.threads.create(messages=[{"role": "user", "content": "?"}])
        run = client.beta.threads.runs.create(thread.id, assistant_id=assistant.id)
        assert wait_for_run(client, thread.id, run.id).status == "requires_action"
    names = [span.name for span in spans]
    [created] = [s for s in spans if s.name.startswith("POST") and s.name.endswith("/runs")]
    [run_span] = [s for s in spans if s.name == "run"]
    assert [(link.trace_id, link.span_id) for link in run_span.links] == [
        (created.trace_id, created.span_id)
    ], names
    [turn] = [s for s in spans if s.name == "model turn"]
    assert turn.parent_span_id == run_span.span_id
    keys = {a.key for a in turn.attributes}
    assert {"model", "backend", "prompt_tokens", "completion_tokens", "time_to_first_token"} <= keys
    [tool] = [s for s in spans if s.name == "tool call"]
    assert tool.parent_span_id == turn.span_id  # the turn that made the call
    [sent] = [r for r in fake_model.requests if r.get("body", {}).get("model") == MODEL]
    assert sent["headers"]["traceparent"].split("-")[1:3] == [
        turn.trace_id.hex(),
        turn.span_id.hex(),
    ]
