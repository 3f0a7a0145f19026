"""Many streamed runs at once on one server process, against a run streamed alone.

.venv/bin/python -m bench.concurrent_runs [--runs 500] [--max-concurrent 256] [--words 20]
                                          [--delay 0.02] [--database-url postgresql://...]
                                          [--keep-log server.log]

One assistant, one thread per run; every run asks for a model of its own, scripted on a fake
model server (in a process of its own) to stream a reply unique to that run, word by word with
`--delay` before each chunk. All runs are started at once over `POST /threads/{id}/runs` with
`stream: true`; each stream must end in `thread.run.completed` with its deltas adding up to its
reply. Baseline: the same run streamed alone, five times. The server drives at most
ASSISTANTS_MAX_CONCURRENT_RUNS runs at once (256 unless `--max-concurrent`); the rest wait
queued, so the ideal wall time is ceil(runs / max) baseline runs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import multiprocessing
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from multiprocessing.connection import Connection
from pathlib import Path

import httpx
from httpx_sse import EventSource
from tests.fake_model_server import FakeModelServer, Reply
from tests.servers import peak_rss_bytes, server_process

from bench._common import (
    cpu_seconds,
    median,
    quantile,
    raise_open_files_limit,
    rss_bytes,
    server_env,
)

WORDS = [
    "the",
    "server",
    "keeps",
    "every",
    "event",
    "of",
    "this",
    "run",
    "in",
    "its",
    "log",
    "so",
    "a",
    "stream",
    "that",
    "drops",
    "can",
    "pick",
    "up",
    "where",
    "it",
    "left",
    "off",
    "without",
    "losing",
    "a",
    "single",
    "word",
]
SOLO_RUNS = 5
DONE = "thread.run.completed"
MILESTONES = (
    ("created (POST answered)", "thread.run.created"),
    ("in_progress (claimed)", "thread.run.in_progress"),
    ("first delta", "thread.message.delta"),
    ("completed", DONE),
)
MiB = 1024 * 1024


class _ModelHTTPServer(ThreadingHTTPServer):
    request_queue_size = 2048  # the default of 5 drops connections when hundreds arrive at once


def _serve_model(scripts: list[tuple[str, str]], delay: float, connection: Connection) -> None:
    """In a child process: serve the fake model with one reply scripted per model, send its
    base URL, and on any message back, the number of chat requests and hang-ups seen."""
    fake = FakeModelServer(models=[model for model, _ in scripts])
    for model, text in scripts:
        fake.script(model, Reply(text=text, delay=delay))
    httpd = _ModelHTTPServer(("127.0.0.1", 0), fake.handler())
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    connection.send(f"http://127.0.0.1:{httpd.server_address[1]}/v1")
    connection.recv()
    chats = sum(1 for request in fake.requests if request["path"] == "/v1/chat/completions")
    connection.send((chats, fake.disconnects))
    httpd.shutdown()


@dataclass
class Outcome:
    expected: str
    text: str = ""
    events: list[str] = field(default_factory=list)
    seen: dict[str, float] = field(default_factory=dict)  # event -> first arrival, seconds
    error: str = ""

    @property
    def ok(self) -> bool:
        run_events = [e for e in self.events if e.startswith("thread.run.") and ".step." not in e]
        return (
            not self.error
            and self.text == self.expected
            and bool(run_events)
            and run_events[-1] == "thread.run.completed"
            and self.events[-1] == "done"
        )

    def problem(self) -> str:
        if self.error:
            return self.error
        tail = ", ".join(self.events[-3:])
        return f"events ending [{tail}], text {self.text!r} (expected {self.expected!r})"


def _reply(index: int, words: int) -> str:
    return f"Reply {index}: " + " ".join(WORDS[(index + j) % len(WORDS)] for j in range(words))


async def _stream_run(
    client: httpx.AsyncClient, thread_id: str, assistant_id: str, model: str, outcome: Outcome
) -> None:
    start = time.perf_counter()
    body = {"assistant_id": assistant_id, "model": model, "stream": True}
    try:
        async with client.stream("POST", f"threads/{thread_id}/runs", json=body) as response:
            if response.status_code != 200:
                await response.aread()
                outcome.error = f"HTTP {response.status_code}: {response.text[:300]}"
                return
            async for sse in EventSource(response).aiter_sse():
                outcome.events.append(sse.event)
                outcome.seen.setdefault(sse.event, time.perf_counter() - start)
                if sse.event == "thread.message.delta":
                    for part in json.loads(sse.data)["delta"].get("content", []):
                        outcome.text += part.get("text", {}).get("value", "")
                elif sse.event in ("thread.run.failed", "thread.run.incomplete"):
                    run = json.loads(sse.data)
                    details = run.get("last_error") or run.get("incomplete_details")
                    outcome.error = f"{sse.event}: {json.dumps(details)}"
                elif sse.event == "error":
                    outcome.error = f"error event: {sse.data[:500]}"
    except (httpx.HTTPError, ValueError) as exc:
        outcome.error = f"{type(exc).__name__}: {exc}"


async def _create_threads(client: httpx.AsyncClient, count: int) -> list[str]:
    semaphore = asyncio.Semaphore(16)

    async def one(index: int) -> str:
        async with semaphore:
            messages = [{"role": "user", "content": f"Tell me about run {index}."}]
            response = await client.post("threads", json={"messages": messages})
            response.raise_for_status()
            thread_id: str = response.json()["id"]
            return thread_id

    return list(await asyncio.gather(*(one(index) for index in range(count))))


@dataclass
class Results:
    solo: list[Outcome]
    runs: list[Outcome]
    wall: float
    idle_rss: int
    startup_peak_rss: int
    peak_rss: int
    cpu: float
    solo_cpu: float


async def _bench(base_url: str, pid: int, runs: int, words: int) -> Results:
    limits = httpx.Limits(max_connections=runs + 64, max_keepalive_connections=runs + 64)
    timeout = httpx.Timeout(600, connect=60)
    headers = {"Authorization": "Bearer bench-concurrent"}
    async with httpx.AsyncClient(
        base_url=base_url + "/", headers=headers, limits=limits, timeout=timeout
    ) as client:
        response = await client.post("assistants", json={"model": "solo-0", "name": "bench"})
        response.raise_for_status()
        assistant_id = response.json()["id"]
        thread_ids = await _create_threads(client, SOLO_RUNS + runs)
        solo, solo_cpu = [], cpu_seconds(pid)
        for index in range(SOLO_RUNS):
            outcome = Outcome(_reply(runs + index, words))
            await _stream_run(
                client, thread_ids[runs + index], assistant_id, f"solo-{index}", outcome
            )
            solo.append(outcome)
        solo_cpu = (cpu_seconds(pid) - solo_cpu) / SOLO_RUNS
        idle_rss, startup_peak_rss = rss_bytes(pid), peak_rss_bytes(pid)
        outcomes = [Outcome(_reply(index, words)) for index in range(runs)]
        start, cpu = time.perf_counter(), cpu_seconds(pid)
        await asyncio.gather(
            *(
                _stream_run(client, thread_ids[index], assistant_id, f"run-{index}", outcome)
                for index, outcome in enumerate(outcomes)
            )
        )
        wall, cpu = time.perf_counter() - start, cpu_seconds(pid) - cpu
        peak_rss = peak_rss_bytes(pid)
        return Results(solo, outcomes, wall, idle_rss, startup_peak_rss, peak_rss, cpu, solo_cpu)


def _log_excerpt(log: Path, limit: int = 30) -> list[str]:
    markers = ("ERROR", "Traceback", "Exception", "locked", "TimeoutError", "WARNING")
    lines = log.read_text(errors="replace").splitlines()
    expected = "no ASSISTANTS_API_KEYS set"
    found = [line for line in lines if any(marker in line for marker in markers)]
    return [line for line in found if expected not in line][:limit]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:7.0f} ms"


def _report(args: argparse.Namespace, results: Results, model_stats: tuple[int, int]) -> None:
    failed_solo = [o for o in results.solo if not o.ok]
    if failed_solo:
        raise SystemExit(f"a run streamed alone failed: {failed_solo[0].problem()}")
    baseline = median([o.seen[DONE] for o in results.solo])
    good = [o for o in results.runs if o.ok]
    capacity = args.max_concurrent or 256
    waves = math.ceil(args.runs / capacity)
    database = "PostgreSQL" if args.database_url else "SQLite"
    print(  # noqa: T201
        f"{args.runs} streamed runs at once, one server process, {database}, "
        f"ASSISTANTS_MAX_CONCURRENT_RUNS={capacity} ({max(0, args.runs - capacity)} wait queued); "
        f"replies of {args.words}+2 words, {args.delay * 1000:.0f} ms per chunk"
    )
    print(f"baseline: one run streamed alone, done in {_ms(baseline)} (median of {SOLO_RUNS})")  # noqa: T201
    print(f"correct: {len(good)} / {args.runs}")  # noqa: T201
    chats, hangups = model_stats
    print(  # noqa: T201
        f"model requests: {chats} for {args.runs + SOLO_RUNS} runs, {hangups} hung up early"
    )
    ideal = waves * baseline
    print(  # noqa: T201
        f"wall: {results.wall:.2f} s = {results.wall / ideal:.2f}x the ideal {ideal:.2f} s "
        f"({waves} wave(s) of the baseline); {len(good) / results.wall:.1f} correct runs/s"
    )
    print(  # noqa: T201
        f"server CPU during the load: {results.cpu:.1f} s = {results.cpu / results.wall:.0%} "
        f"of one core; {results.cpu / args.runs * 1000:.0f} ms per run, against "
        f"{results.solo_cpu * 1000:.0f} ms per run streamed alone"
    )
    if good:
        print(f"{'per run, from its request':>30}  {'p50':>10}  {'p95':>10}  {'max':>10}")  # noqa: T201
        for name, event in MILESTONES:
            values = [o.seen[event] for o in good]
            print(  # noqa: T201
                f"{name:>30}  {_ms(median(values))}  {_ms(quantile(values, 0.95))}  "
                f"{_ms(max(values))}"
            )
        done = [o.seen[DONE] for o in good]
        print(  # noqa: T201
            f"done p50 = {median(done) / baseline:.2f}x baseline, "
            f"p95 = {quantile(done, 0.95) / baseline:.2f}x"
        )
    print(  # noqa: T201
        f"server RSS: idle {results.idle_rss / MiB:.0f} MiB (startup peak "
        f"{results.startup_peak_rss / MiB:.0f} MiB), peak under load "
        f"{results.peak_rss / MiB:.0f} MiB (+{(results.peak_rss - results.idle_rss) / MiB:.0f} MiB"
        f", {(results.peak_rss - results.idle_rss) / args.runs / 1024:.0f} KiB per run)"
    )
    failures = [o for o in results.runs if not o.ok]
    for outcome in failures[:5]:
        print(f"  failed: {outcome.problem()}")  # noqa: T201
    if len(failures) > 5:
        print(f"  ... and {len(failures) - 5} more")  # noqa: T201


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=500)
    parser.add_argument("--max-concurrent", type=int, help="ASSISTANTS_MAX_CONCURRENT_RUNS")
    parser.add_argument("--words", type=int, default=20, help="words per reply, plus a prefix")
    parser.add_argument("--delay", type=float, default=0.02, help="seconds before each chunk")
    parser.add_argument("--database-url", help="a PostgreSQL URL; default: a temp SQLite file")
    parser.add_argument("--keep-log", type=Path, help="copy the server's log here")
    args = parser.parse_args()
    raise_open_files_limit()

    scripts = [(f"run-{index}", _reply(index, args.words)) for index in range(args.runs)]
    scripts += [(f"solo-{k}", _reply(args.runs + k, args.words)) for k in range(SOLO_RUNS)]
    ours, theirs = multiprocessing.Pipe()
    model = multiprocessing.get_context("spawn").Process(
        target=_serve_model, args=(scripts, args.delay, theirs), daemon=True
    )
    model.start()
    try:
        model_url = ours.recv()
        with tempfile.TemporaryDirectory() as tmp:
            env = server_env(Path(tmp), args.database_url, model_url)
            if args.max_concurrent:
                env["ASSISTANTS_MAX_CONCURRENT_RUNS"] = str(args.max_concurrent)
            log = Path(tmp) / "server.log"
            with server_process(env, log) as server:
                results = asyncio.run(_bench(server.url, server.pid, args.runs, args.words))
            excerpt = _log_excerpt(log)
            if args.keep_log:
                shutil.copyfile(log, args.keep_log)
        ours.send("stop")
        model_stats = ours.recv()
    finally:
        model.join(timeout=10)
        if model.is_alive():
            model.kill()
    _report(args, results, model_stats)
    if excerpt:
        print("server log (errors and warnings):")  # noqa: T201
        for line in excerpt:
            print(f"  {line}")  # noqa: T201


if __name__ == "__main__":
    main()
