"""What the streaming benchmarks share: the fake model in a process of its own, timing each
completion it streams; the server as one process or as an API process with separate workers;
and a lean client that streams runs and times their events.

Times cross processes as wall-clock seconds (`time.time()`), so a stream's duration at the
client can be set against the model's own time for the same completion.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import subprocess
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import aiohttp
from tests.fake_model_server import FakeModelServer, Reply
from tests.servers import SERVER_BIN, process_env, server_process, stop_process

from bench._common import cpu_seconds

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
DONE = "thread.run.completed"


def reply_text(index: int, words: int) -> str:
    """A reply of its own for run `index`: `words` words after a two-word prefix."""
    return f"Reply {index}: " + " ".join(WORDS[(index + j) % len(WORDS)] for j in range(words))


class _ModelHTTPServer(ThreadingHTTPServer):
    request_queue_size = 4096  # the default of 5 drops connections when hundreds arrive at once
    daemon_threads = True


def _serve_model(scripts: list[tuple[str, str]], delay: float, connection: Connection) -> None:
    """In a child process: serve the fake model, one reply scripted per model name, and time
    each chat completion (received, last chunk sent). Sends its base URL; on any message back,
    the timings and the number of hang-ups."""
    fake = FakeModelServer(models=[model for model, _ in scripts])
    for model, text in scripts:
        fake.script(model, Reply(text=text, delay=delay))
    timings: dict[str, tuple[float, float]] = {}

    class Timed(fake.handler()):  # type: ignore[misc]
        def _chat(self, body: dict[str, Any]) -> None:
            received = time.time()
            super()._chat(body)
            timings[str(body.get("model"))] = (received, time.time())

    httpd = _ModelHTTPServer(("127.0.0.1", 0), Timed)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    connection.send(f"http://127.0.0.1:{httpd.server_address[1]}/v1")
    connection.recv()
    connection.send((timings, fake.disconnects))
    httpd.shutdown()


@dataclass
class ModelProcess:
    url: str
    pid: int
    _connection: Connection

    def results(self) -> tuple[dict[str, tuple[float, float]], int]:
        """Each model's completion (received, finished), and how many clients hung up."""
        self._connection.send("stop")
        timings: dict[str, tuple[float, float]]
        timings, hangups = self._connection.recv()
        return timings, hangups


@contextmanager
def model_process(scripts: list[tuple[str, str]], delay: float) -> Iterator[ModelProcess]:
    ours, theirs = multiprocessing.Pipe()
    process = multiprocessing.get_context("spawn").Process(
        target=_serve_model, args=(scripts, delay, theirs), daemon=True
    )
    process.start()
    try:
        assert process.pid is not None
        yield ModelProcess(ours.recv(), process.pid, ours)
    finally:
        process.join(timeout=10)
        if process.is_alive():
            process.kill()


@dataclass
class Servers:
    """The server under test: its API URLs and every process of it (APIs, then workers)."""

    urls: list[str]
    pids: list[int]
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.urls[0]

    def cpu(self) -> float:
        return sum(cpu_seconds(pid) for pid in self.pids if Path(f"/proc/{pid}").exists())


@contextmanager
def servers(env: dict[str, str], logs: Path, workers: int = 0, apis: int = 1) -> Iterator[Servers]:
    """One `serve` process; or, with `workers`, `apis` processes of `serve --no-worker` and
    that many `assistants-server worker` processes on the same database (PostgreSQL)."""
    with ExitStack() as stack:
        args: Sequence[str] = ("--host", "127.0.0.1", "--no-worker") if workers else ()
        found = Servers([], [])
        for index in range(apis):
            api = stack.enter_context(
                server_process(
                    env, logs / f"server-{index}.log", serve_args=args or ("--host", "127.0.0.1")
                )
            )
            found.urls.append(api.url)
            found.pids.append(api.pid)
        for index in range(workers):
            log = stack.enter_context((logs / f"worker-{index}.log").open("wb"))
            worker = subprocess.Popen(
                [str(SERVER_BIN), "worker"], env=process_env(env), stdout=log, stderr=log
            )
            stack.callback(stop_process, worker)
            found.pids.append(worker.pid)
            found.workers.append(worker)
        yield found


@dataclass
class Outcome:
    """One streamed run, as the client saw it: wall-clock times of its milestones."""

    expected: str
    model: str
    text: str = ""
    events: list[str] = field(default_factory=list)
    started: float = 0.0
    seen: dict[str, float] = field(default_factory=dict)  # event -> first arrival
    error: str = ""

    @property
    def ok(self) -> bool:
        runs = [e for e in self.events if e.startswith("thread.run.") and ".step." not in e]
        return (
            not self.error
            and self.text == self.expected
            and bool(runs)
            and runs[-1] == DONE
            and self.events[-1] == "done"
        )

    def problem(self) -> str:
        if self.error:
            return self.error
        tail = ", ".join(self.events[-3:])
        return f"events ending [{tail}], text {self.text[:80]!r}... ({len(self.text)} chars)"

    def after(self, event: str) -> float:
        """Seconds from the request to the first `event`."""
        return self.seen[event] - self.started


async def stream_run(
    session: aiohttp.ClientSession, url: str, body: dict[str, Any], outcome: Outcome
) -> None:
    """POST a streamed run and read its events to the end, timing the first of each."""
    outcome.started = time.time()
    try:
        async with session.post(url, json={**body, "stream": True}) as response:
            if not await _failed(response, outcome):
                await _read_until(response, outcome)
    except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
        outcome.error = f"{type(exc).__name__}: {exc}"


async def resumed_run(
    session: aiohttp.ClientSession, url: str, body: dict[str, Any], outcome: Outcome, drop: int
) -> None:
    """Create a run (not streamed) and follow it on `GET .../events`, hanging up after `drop`
    text deltas and resuming after the last event id received (`Last-Event-ID`), as a client
    whose connection broke would; timed like `stream_run`."""
    outcome.started = time.time()
    try:
        async with session.post(url, json=body) as response:
            if await _failed(response, outcome):
                return
            events_url = f"{url}/{(await response.json())['id']}/events"
        last = ""
        while not outcome.events or outcome.events[-1] != "done":
            headers = {"Last-Event-ID": last} if last else {}
            async with session.get(events_url, headers=headers) as response:
                if await _failed(response, outcome):
                    return
                last = await _read_until(response, outcome, last, drop)
            drop = 0  # once
    except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
        outcome.error = f"{type(exc).__name__}: {exc}"


async def _failed(response: aiohttp.ClientResponse, outcome: Outcome) -> bool:
    """Whether the request failed (then said in `outcome`)."""
    if response.status != 200:
        outcome.error = f"HTTP {response.status}: {(await response.text())[:300]}"
    return bool(outcome.error)


async def _read_until(
    response: aiohttp.ClientResponse, outcome: Outcome, last: str = "", drop: int = 0
) -> str:
    """Read events into `outcome` until the stream ends or, with `drop`, until that many text
    deltas came; the id of the last event read."""
    event, event_id, deltas = "", last, 0
    async for raw in response.content:
        line = raw.decode().rstrip("\n")
        if line.startswith("id: "):
            event_id = line[4:]
        elif line.startswith("event: "):
            event = line[7:]
            outcome.events.append(event)
            outcome.seen.setdefault(event, time.time())
        elif line.startswith("data: "):
            _read_data(event, line[6:], outcome)
            last = event_id
            deltas += event == "thread.message.delta"
            if drop and deltas == drop:
                break
    return last


def _read_data(event: str, data: str, outcome: Outcome) -> None:
    if event == "thread.message.delta":
        for part in json.loads(data)["delta"].get("content", []):
            outcome.text += part.get("text", {}).get("value", "")
    elif event in ("thread.run.failed", "thread.run.incomplete"):
        run = json.loads(data)
        details = run.get("last_error") or run.get("incomplete_details")
        outcome.error = f"{event}: {json.dumps(details)}"
    elif event == "error":
        outcome.error = f"error event: {data[:500]}"


def client_session(connections: int) -> aiohttp.ClientSession:
    """A client for `connections` streams at once, patient with a loaded server."""
    connector = aiohttp.TCPConnector(limit=connections, force_close=False)
    timeout = aiohttp.ClientTimeout(total=None, sock_connect=60, sock_read=600)
    headers = {"Authorization": "Bearer bench-streams"}
    return aiohttp.ClientSession(connector=connector, timeout=timeout, headers=headers)


async def create_threads(session: aiohttp.ClientSession, url: str, count: int) -> list[str]:
    """`count` threads, each holding one user message."""
    semaphore = asyncio.Semaphore(16)

    async def one(index: int) -> str:
        async with semaphore:
            messages = [{"role": "user", "content": f"Tell me about run {index}."}]
            async with session.post(f"{url}/threads", json={"messages": messages}) as response:
                response.raise_for_status()
                thread_id: str = (await response.json())["id"]
                return thread_id

    return list(await asyncio.gather(*(one(index) for index in range(count))))
