"""The baseline of `bench.api_latency`: a bare FastAPI app on the same uvicorn, answering the
routes of the mixed load with the very bytes the server answered them with, as fixed JSON.

PORT=8001 python -m bench._bare_app BODIES.json
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI, Response


def create_app(bodies: dict[str, str]) -> FastAPI:
    """`bodies`: "METHOD /path" -> the JSON text to answer (paths as the load sends them)."""
    app = FastAPI()
    for key, text in bodies.items():
        method, path = key.split(" ", 1)
        app.add_api_route(path.split("?")[0], _answering(text.encode()), methods=[method])

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app


def _answering(body: bytes) -> Any:
    async def endpoint() -> Response:
        return Response(content=body, media_type="application/json")

    return endpoint


if __name__ == "__main__":
    bodies = json.loads(Path(sys.argv[1]).read_text())
    port = int(os.environ["PORT"])
    uvicorn.run(create_app(bodies), host="127.0.0.1", port=port, log_level="info")
