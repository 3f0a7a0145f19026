"""API latency against a same-run baseline (`GET /healthz`), on SQLite.

.venv/bin/python -m bench.api_latency [--large 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from tests.servers import running_server


def _median_ms(call: Callable[[], object], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


async def _fill(base_url: str, key: str, count: int) -> None:
    headers = {"Authorization": f"Bearer {key}"}
    limits = httpx.Limits(max_connections=16)
    async with httpx.AsyncClient(
        base_url=base_url, headers=headers, limits=limits, timeout=60
    ) as client:
        semaphore = asyncio.Semaphore(16)

        async def one(index: int) -> None:
            async with semaphore:
                response = await client.post(
                    "/assistants", json={"model": "gpt-4o", "name": f"a{index}"}
                )
                response.raise_for_status()

        await asyncio.gather(*(one(index) for index in range(count)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--large", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        env = {
            "ASSISTANTS_DATABASE_URL": f"sqlite:///{Path(tmp) / 'bench.db'}",
            "ASSISTANTS_STORAGE_URL": str(Path(tmp) / "files"),
        }
        with running_server(env, Path(tmp) / "server.log") as base_url:
            asyncio.run(_fill(base_url, "small", 10))
            asyncio.run(_fill(base_url, "large", args.large))
            health = base_url.removesuffix("/v1") + "/healthz"
            with httpx.Client(base_url=base_url, headers={"Authorization": "Bearer large"}) as c:
                assistant_id = c.get("/assistants", params={"limit": 1}).json()["data"][0]["id"]
                baseline = _median_ms(lambda: c.get(health), args.repeat)
                rows = {
                    "create": _median_ms(
                        lambda: c.post("/assistants", json={"model": "gpt-4o"}), args.repeat
                    ),
                    "retrieve": _median_ms(
                        lambda: c.get(f"/assistants/{assistant_id}"), args.repeat
                    ),
                    f"list 20 of {args.large}": _median_ms(
                        lambda: c.get("/assistants"), args.repeat
                    ),
                }
                c.headers["Authorization"] = "Bearer small"
                small = _median_ms(lambda: c.get("/assistants"), args.repeat)
    print(f"baseline GET /healthz: {baseline:.2f} ms (median of {args.repeat})")  # noqa: T201
    for name, value in rows.items():
        print(f"{name:>22}: {value:6.2f} ms  = {value / baseline:5.2f}x baseline")  # noqa: T201
    large = rows[f"list 20 of {args.large}"]
    print(  # noqa: T201
        f"first page, {args.large} vs 10 assistants: {large:.2f} / {small:.2f} ms "
        f"= {large / small:.2f}x"
    )


if __name__ == "__main__":
    main()
