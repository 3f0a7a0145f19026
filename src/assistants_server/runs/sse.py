"""Server-sent event frames, the only place they are written: `id: <position>\\nevent:
<name>\\ndata: <json>`, and `event: done` / `data: [DONE]` last, as OpenAI's streams end. The
id is where a client stands after the event: `Last-Event-ID` resumes there
(`GET .../runs/{run_id}/events`)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

from fastapi.sse import EventSourceResponse

from assistants_server.errors import error_body
from assistants_server.runs.events import Sent
from assistants_server.schemas.common import ApiVersion
from assistants_server.schemas.events import event_data

HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def frame(event: str, data: str, id: str | None = None) -> bytes:
    head = f"id: {id}\n" if id is not None else ""
    return f"{head}event: {event}\ndata: {data}\n\n".encode()


KEEPALIVE = b": keep-alive\n\n"  # a comment line: clients skip it


async def _frames(batches: AsyncIterator[list[Sent]], version: ApiVersion) -> AsyncIterator[bytes]:
    """Each batch of events in one write; an empty batch as a keep-alive comment."""
    try:
        async for batch in batches:
            if not batch:
                yield KEEPALIVE
                continue
            yield b"".join(
                frame(name, json.dumps(event_data(data, version), separators=(",", ":")), id)
                for name, data, id in batch
            )
    except Exception:
        body = error_body("The stream failed on the server.", "server_error")["error"]
        yield frame("error", json.dumps(body))
        raise
    yield frame("done", "[DONE]")


def stream_response(batches: AsyncIterator[list[Sent]], version: ApiVersion) -> EventSourceResponse:
    return EventSourceResponse(_frames(batches, version), headers=HEADERS)
