"""Server-sent event frames, the only place they are written: `event: <name>\\ndata: <json>`,
and `event: done` / `data: [DONE]` last, as OpenAI's streams end."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

from fastapi.sse import EventSourceResponse

from assistants_server.errors import error_body
from assistants_server.runs.events import RunEvent
from assistants_server.schemas.common import ApiVersion
from assistants_server.schemas.events import event_data

HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def frame(event: str, data: str) -> bytes:
    return f"event: {event}\ndata: {data}\n\n".encode()


KEEPALIVE = b": keep-alive\n\n"  # a comment line: clients skip it


async def _frames(
    events: AsyncIterator[RunEvent | None], version: ApiVersion
) -> AsyncIterator[bytes]:
    try:
        async for event in events:
            if event is None:
                yield KEEPALIVE
                continue
            name, data = event
            yield frame(name, json.dumps(event_data(data, version), separators=(",", ":")))
    except Exception:
        body = error_body("The stream failed on the server.", "server_error")["error"]
        yield frame("error", json.dumps(body))
        raise
    yield frame("done", "[DONE]")


def stream_response(
    events: AsyncIterator[RunEvent | None], version: ApiVersion
) -> EventSourceResponse:
    return EventSourceResponse(_frames(events, version), headers=HEADERS)
