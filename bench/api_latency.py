"""The plain API against the bare framework: a mixed load, and single requests.

.venv/bin/python -m bench.api_latency [--connections 32] [--seconds 10] [--large 10000]
                                      [--database-url postgresql://...]

Mixed load: `wrk` (apt-get install wrk) with `--connections` connections, each sending in turn:
create a thread, add a message to a thread, list a thread's messages, retrieve a run, create an
assistant, retrieve an assistant. Baseline: a bare FastAPI app on the same uvicorn answering
the same routes with the very bytes the server answered them with (bench/_bare_app.py). The two
run one after the other, twice. Reported: requests/s, p50 and p99 latency, and the ratios.

Single requests, one at a time: create / retrieve / list as a ratio of `GET /healthz`, and the
first list page of a tenant with `--large` assistants against one with 10 (cursor paging on an
index: the ratio should stay near 1).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from tests.servers import running_server

from bench._common import server_env

KEY = "Bearer bench-api"
# Each request of the mixed load: method, path ({names} filled in), JSON body or None.
MIXED = [
    ("POST", "/v1/threads", {}),
    ("POST", "/v1/threads/{thread}/messages", {"role": "user", "content": "Hello there."}),
    ("GET", "/v1/threads/{thread}/messages?limit=20", None),
    ("GET", "/v1/threads/{run_thread}/runs/{run}", None),
    ("POST", "/v1/assistants", {"model": "gpt-4o", "name": "bench"}),
    ("GET", "/v1/assistants/{assistant}", None),
]
WRK_SCRIPT = """
local requests = {}
for i, r in ipairs(%s) do
  requests[i] = wrk.format(r[1], r[2], {["Authorization"] = "%s",
    ["Content-Type"] = "application/json"}, r[3])
end
local n = 0
request = function()
  n = n %% #requests + 1
  return requests[n]
end
"""


def _lua_table(requests: list[tuple[str, str, str | None]]) -> str:
    rows = []
    for method, path, body in requests:
        quoted = "nil" if body is None else json.dumps(body)
        rows.append(f"{{{json.dumps(method)}, {json.dumps(path)}, {quoted}}}")
    return "{" + ", ".join(rows) + "}"


def _prepare(base_url: str) -> tuple[list[tuple[str, str, str | None]], dict[str, str]]:
    """Objects for the load to use; the load's requests, and what the server answered each."""
    with httpx.Client(base_url=base_url.removesuffix("/v1"), headers={"Authorization": KEY}) as c:
        names = {
            "assistant": c.post("/v1/assistants", json={"model": "gpt-4o"}).json()["id"],
            "thread": c.post("/v1/threads", json={}).json()["id"],
        }
        names["run_thread"] = c.post("/v1/threads", json={}).json()["id"]
        run = c.post(f"/v1/threads/{names['run_thread']}/runs", json={"assistant_id": "x"})
        if run.status_code == 404:  # any run will do: one whose model has no backend fails
            body = {"assistant_id": names["assistant"]}
            run = c.post(f"/v1/threads/{names['run_thread']}/runs", json=body)
        names["run"] = run.json()["id"]
        requests, bodies = [], {}
        for method, template, payload in MIXED:
            path = template.format(**names)
            body = None if payload is None else json.dumps(payload)
            answered = c.request(
                method, path, content=body, headers={"Content-Type": "application/json"}
            )
            answered.raise_for_status()
            requests.append((method, path, body))
            bodies[f"{method} {path}"] = answered.text
    return requests, bodies


def _wrk(url: str, script: Path, connections: int, seconds: int) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    figures = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}  # type: ignore[union-attr]
    for name, quantile in (("p50", "50%"), ("p99", "99%")):
        value, unit = re.search(rf"{quantile}\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
        figures[name] = float(value) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[unit]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    figures["errors"] = float(errors.group(1)) if errors else 0.0
    return figures


def _mixed(args: argparse.Namespace, tmp: Path, base_url: str) -> None:
    requests, bodies = _prepare(base_url)
    script = tmp / "mixed.lua"
    script.write_text(WRK_SCRIPT % (_lua_table(requests), KEY))
    (tmp / "bodies.json").write_text(json.dumps(bodies))
    command = [sys.executable, "-m", "bench._bare_app", str(tmp / "bodies.json")]
    ours_url = base_url.removesuffix("/v1")
    with running_server({}, tmp / "bare.log", command=command) as bare:
        bare_url = bare.removesuffix("/v1")
        rounds = [
            (name, _wrk(url, script, args.connections, args.seconds))
            for _ in range(2)
            for name, url in (("bare FastAPI", bare_url), ("server", ours_url))
        ]
    best = {
        name: max((f for n, f in rounds if n == name), key=lambda f: f["rps"]) for name, _ in rounds
    }
    print(  # noqa: T201
        f"mixed load, {args.connections} connections, {args.seconds} s each, best of 2 rounds:"
    )
    for name, figures in best.items():
        print(  # noqa: T201
            f"{name:>14}: {figures['rps']:8.0f} requests/s, p50 {figures['p50']:7.2f} ms, "
            f"p99 {figures['p99']:7.2f} ms, {figures['errors']:.0f} errors"
        )
    ours, bare_figures = best["server"], best["bare FastAPI"]
    print(  # noqa: T201
        f"server / bare: throughput {ours['rps'] / bare_figures['rps']:.2f}x, "
        f"p99 {ours['p99'] / bare_figures['p99']:.2f}x"
    )


def _median_ms(call: Callable[[], object], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


async def _fill(base_url: str, key: str, count: int) -> None:
    headers = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=60) as client:
        semaphore = asyncio.Semaphore(16)

        async def one(index: int) -> None:
            async with semaphore:
                body = {"model": "gpt-4o", "name": f"a{index}"}
                (await client.post("/assistants", json=body)).raise_for_status()

        await asyncio.gather(*(one(index) for index in range(count)))


def _single(args: argparse.Namespace, base_url: str) -> None:
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
            "retrieve": _median_ms(lambda: c.get(f"/assistants/{assistant_id}"), args.repeat),
            f"list 20 of {args.large}": _median_ms(lambda: c.get("/assistants"), args.repeat),
        }
        c.headers["Authorization"] = "Bearer small"
        small = _median_ms(lambda: c.get("/assistants"), args.repeat)
    print(f"single requests; baseline GET /healthz: {baseline:.2f} ms (median of {args.repeat})")  # noqa: T201
    for name, value in rows.items():
        print(f"{name:>22}: {value:6.2f} ms  = {value / baseline:5.2f}x baseline")  # noqa: T201
    large = rows[f"list 20 of {args.large}"]
    print(  # noqa: T201
        f"first page, {args.large} vs 10 assistants: {large:.2f} / {small:.2f} ms "
        f"= {large / small:.2f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--large", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--database-url", help="a PostgreSQL URL; default: a temp SQLite file")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("the mixed load needs wrk: apt-get install wrk")
    with tempfile.TemporaryDirectory() as tmp:
        # tenants of their own: the load's, and a small and a large one for the list page
        keys = ",".join((KEY.removeprefix("Bearer "), "small", "large"))
        env = server_env(Path(tmp), args.database_url, api_keys=keys)
        with running_server(env, Path(tmp) / "server.log") as base_url:
            _mixed(args, Path(tmp), base_url)
            _single(args, base_url)


if __name__ == "__main__":
    main()
