"""A small fake model server speaking the OpenAI HTTP protocol on loopback, for tests.

It serves `GET /v1/models` from the model names it is given, and records every request it
receives so tests can check what our server sent.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class FakeModelServer:
    models: list[str]
    requests: list[dict[str, Any]] = field(default_factory=list)
    base_url: str = ""

    def handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _reply(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                fake.requests.append(
                    {"method": "GET", "path": self.path, "headers": dict(self.headers)}
                )
                if self.path == "/v1/models":
                    data = [
                        {"id": name, "object": "model", "created": 1700000000, "owned_by": "fake"}
                        for name in fake.models
                    ]
                    self._reply(200, {"object": "list", "data": data})
                else:
                    self._reply(
                        404,
                        {
                            "error": {
                                "message": "not found",
                                "type": "invalid_request_error",
                                "param": None,
                                "code": None,
                            }
                        },
                    )

        return Handler


@contextmanager
def fake_model_server(models: list[str]) -> Iterator[FakeModelServer]:
    fake = FakeModelServer(models=models)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), fake.handler())
    fake.base_url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        httpd.shutdown()
        httpd.server_close()
