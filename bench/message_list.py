"""The first page of a long thread's messages against the same page of a short thread.

.venv/bin/python -m bench.message_list [--messages 100000] [--repeat 200]
                                       [--database-url postgresql://...]

Two threads are created through the API, then filled straight in the database (100 messages,
and `--messages`), in id order as the server would have made them. Timed: `GET
/threads/{id}/messages?limit=20` newest first, oldest first, and a page from the middle
(`after` the middle message). Lists page on the (thread_id, id) index, so the ratio long/short
should stay near 1x. Baseline: `GET /healthz` in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from tests.servers import running_server

from assistants_server import ids
from assistants_server.api.deps import tenant_of
from assistants_server.db.models import MessageRecord
from assistants_server.db.session import create_engine
from bench._common import median, quantile, server_env

API_KEY = "bench-message-list"
SMALL = 100
BATCH = 5000


async def _fill(database_url: str, thread_id: str, count: int) -> list[str]:
    """Insert `count` user messages into `thread_id`, oldest first; return their ids."""
    tenant = tenant_of(API_KEY)
    table = MessageRecord.__table__
    message_ids = [ids.new(ids.MESSAGE) for _ in range(count)]
    now = int(time.time())
    engine = create_engine(database_url)
    try:
        for start in range(0, count, BATCH):
            rows = [
                {
                    "id": message_id,
                    "tenant_id": tenant,
                    "thread_id": thread_id,
                    "created_at": now,
                    "role": "user",
                    "status": "completed",
                    "content": [
                        {
                            "type": "text",
                            "text": {
                                "value": f"Message {start + offset} of a long conversation.",
                                "annotations": [],
                            },
                        }
                    ],
                    "attachments": [],
                    "assistant_id": None,
                    "run_id": None,
                    "incomplete_details": None,
                    "completed_at": None,
                    "incomplete_at": None,
                    "metadata": {},
                }
                for offset, message_id in enumerate(message_ids[start : start + BATCH])
            ]
            async with engine.begin() as connection:
                await connection.execute(table.insert(), rows)
    finally:
        await engine.dispose()
    return message_ids


def _cases(message_ids: list[str]) -> dict[str, tuple[dict[str, Any], list[str]]]:
    """Query parameters of each timed page, and the ids it must hold."""
    middle = len(message_ids) // 2
    return {
        "newest first": ({"limit": 20}, message_ids[::-1][:20]),
        "oldest first": ({"limit": 20, "order": "asc"}, message_ids[:20]),
        "middle (after)": (
            {"limit": 20, "after": message_ids[middle]},
            message_ids[middle - 20 : middle][::-1],
        ),
    }


def _timed(call: Callable[[], httpx.Response]) -> float:
    start = time.perf_counter()
    response = call()
    elapsed = time.perf_counter() - start
    response.raise_for_status()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--database-url", help="a PostgreSQL URL; default: a temp SQLite file")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        env = server_env(Path(tmp), args.database_url, api_keys=API_KEY)
        database_url = env["ASSISTANTS_DATABASE_URL"]
        with (
            running_server(env, Path(tmp) / "server.log") as base_url,
            httpx.Client(
                base_url=base_url + "/", headers={"Authorization": f"Bearer {API_KEY}"}
            ) as client,
        ):
            threads = {}
            for name in ("small", "large"):
                response = client.post("threads", json={})
                response.raise_for_status()
                threads[name] = response.json()["id"]
            started = time.perf_counter()
            filled = {
                "small": asyncio.run(_fill(database_url, threads["small"], SMALL)),
                "large": asyncio.run(_fill(database_url, threads["large"], args.messages)),
            }
            fill_seconds = time.perf_counter() - started

            health = base_url.removesuffix("/v1") + "/healthz"
            baseline = [_timed(lambda: client.get(health)) for _ in range(args.repeat)]
            samples: dict[tuple[str, str], list[float]] = {}
            for name, message_ids in filled.items():
                for case, (params, expected) in _cases(message_ids).items():
                    page = client.get(f"threads/{threads[name]}/messages", params=params).json()
                    got = [message["id"] for message in page["data"]]
                    if got != expected or not page["has_more"]:
                        raise SystemExit(f"{name} thread, {case}: wrong page {page}")
            for case in _cases(filled["small"]):
                for _ in range(args.repeat):  # interleaved, so drift hits both threads alike
                    for name, message_ids in filled.items():
                        params = _cases(message_ids)[case][0]
                        url = f"threads/{threads[name]}/messages"
                        samples.setdefault((case, name), []).append(
                            _timed(lambda url=url, params=params: client.get(url, params=params))
                        )

    database = "PostgreSQL" if args.database_url else "SQLite"
    health_ms = median(baseline) * 1000
    print(  # noqa: T201
        f"messages.list limit=20, threads of {args.messages} and {SMALL} messages, {database}; "
        f"median of {args.repeat} each (filled in {fill_seconds:.1f} s)"
    )
    print(f"baseline GET /healthz: {health_ms:.2f} ms")  # noqa: T201
    print(  # noqa: T201
        f"{'page':>16}  {f'{SMALL} msgs':>10}  {f'{args.messages} msgs':>14}  {'p90 large':>10}  "
        f"{'large/small':>11}"
    )
    for case in _cases(filled["small"]):
        small, large = samples[(case, "small")], samples[(case, "large")]
        print(  # noqa: T201
            f"{case:>16}  {median(small) * 1000:7.2f} ms  {median(large) * 1000:11.2f} ms  "
            f"{quantile(large, 0.9) * 1000:7.2f} ms  {median(large) / median(small):10.2f}x"
            f"  ({median(large) * 1000 / health_ms:.1f}x healthz)"
        )


if __name__ == "__main__":
    main()
