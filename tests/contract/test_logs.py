"""Logs with `ASSISTANTS_LOG_FORMAT=json`: every line one JSON object, start-up quiet, each
request's line carrying the `x-request-id` its response had, and no key or body in them."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx

from tests.servers import running_server, standalone_env


def test_json_lines_with_the_request_id(tmp_path: Path) -> None:
    env = standalone_env(
        tmp_path, ASSISTANTS_API_KEYS="sk-log-secret", ASSISTANTS_LOG_FORMAT="json"
    )
    log = tmp_path / "server.log"
    with running_server(env, log) as url:
        started = log.read_text().splitlines()
        headers = {"Authorization": "Bearer sk-log-secret"}
        missing = httpx.get(f"{url}/assistants/asst_nope", headers=headers)
        made = httpx.post(f"{url}/assistants", headers=headers, json={"model": "m", "name": "x"})
        time.sleep(0.3)
        lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    assert len(started) <= 8  # quiet start: our lines and uvicorn's, no library chatter
    assert not any(line["logger"].startswith(("sqlalchemy", "alembic")) for line in lines)
    for response in (missing, made):
        request_id = response.headers["x-request-id"]
        [access] = [line for line in lines if line.get("request_id") == request_id]
        assert access["logger"] == "uvicorn.access"
    text = log.read_text()
    assert "sk-log-secret" not in text
    assert '"name": "x"' not in text
