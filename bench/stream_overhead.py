"""Time to first token through the server against the same fake model streamed directly.

.venv/bin/python -m bench.stream_overhead [--iterations 50] [--first-delay 0.05]
                                          [--database-url postgresql://...]

Baseline: `chat.completions.create(stream=True)` straight to the fake model, timed to the first
content delta. Through the server: `beta.threads.runs.create(stream=True)` on a thread holding
one user message, timed to the first `thread.message.delta`. Both get the same reply (a few
words after `first_delay`), so the model dominates; the two are interleaved, so drift hits both.
The aim: server TTFT at most 1.1x the direct TTFT plus 5 ms.
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import ThreadingHTTPServer
from pathlib import Path

import openai
from tests.fake_model_server import FakeModelServer, Reply
from tests.servers import running_server

from bench._common import median, quantile, server_env

MODEL = "bench-model"
REPLY = "The quick brown fox jumps over the lazy dog, twice."
PROMPT = "Say something about a fox."
MODEL_CALLED = "(model request received)"


@contextmanager
def _model_server(received: list[float]) -> Iterator[FakeModelServer]:
    """The fake model on loopback, appending to `received` when each request arrives."""
    fake = FakeModelServer(models=[MODEL])
    handler = fake.handler()

    class Timed(handler):  # type: ignore[valid-type,misc]
        def do_POST(self) -> None:
            received.append(time.perf_counter())
            super().do_POST()

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Timed)
    fake.base_url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield fake
    finally:
        httpd.shutdown()
        httpd.server_close()


def _direct(sdk: openai.OpenAI) -> tuple[float, float]:
    """Seconds to the first content delta, and to the end of the stream."""
    start = time.perf_counter()
    first = None
    text = ""
    stream = sdk.chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": PROMPT}], stream=True
    )
    with stream:
        for chunk in stream:
            content = chunk.choices[0].delta.content if chunk.choices else None
            if content:
                first = first or time.perf_counter() - start
                text += content
    total = time.perf_counter() - start
    if first is None or text != REPLY:
        raise SystemExit(f"direct stream answered {text!r}, expected {REPLY!r}")
    return first, total


def _through_server(
    sdk: openai.OpenAI,
    assistant_id: str,
    thread_id: str,
    arrivals: dict[str, list[float]],
    received: list[float],
) -> tuple[float, float]:
    """Seconds to the first `thread.message.delta`, and to the end of the stream; the first
    arrival of each event type, and when the model was called, are added to `arrivals`."""
    start = time.perf_counter()
    first = None
    text = ""
    last_run_event = ""
    seen: dict[str, float] = {}
    stream = sdk.beta.threads.runs.create(thread_id, assistant_id=assistant_id, stream=True)
    with stream:
        for event in stream:
            seen.setdefault(event.event, time.perf_counter() - start)
            if event.event == "thread.message.delta":
                first = first or time.perf_counter() - start
                for part in event.data.delta.content or []:
                    if part.type == "text" and part.text and part.text.value:
                        text += part.text.value
            elif event.event.startswith("thread.run.") and not event.event.startswith(
                "thread.run.step"
            ):
                last_run_event = event.event
    total = time.perf_counter() - start
    if first is None or text != REPLY or last_run_event != "thread.run.completed":
        raise SystemExit(
            f"run stream answered {text!r} ending in {last_run_event!r}, expected {REPLY!r} "
            "ending in 'thread.run.completed'"
        )
    seen[MODEL_CALLED] = received[-1] - start
    for name, at in seen.items():
        arrivals.setdefault(name, []).append(at)
    return first, total


def _measure(
    fake: FakeModelServer,
    received: list[float],
    base_url: str,
    iterations: int,
    warmup: int,
    first_delay: float,
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Seconds per row (TTFT and stream end, each way), and when each run event first arrived."""
    rows: dict[str, list[float]] = {
        name: [] for name in ("ttft direct", "ttft server", "done direct", "done server")
    }
    arrivals: dict[str, list[float]] = {}
    direct = openai.OpenAI(base_url=fake.base_url, api_key="fake", max_retries=0)
    ours = openai.OpenAI(base_url=base_url, api_key="bench-stream", max_retries=0)
    with direct, ours:
        assistant = ours.beta.assistants.create(model=MODEL, instructions="Be brief.")
        for index in range(warmup + iterations):
            thread = ours.beta.threads.create(messages=[{"role": "user", "content": PROMPT}])
            fake.script(MODEL, Reply(text=REPLY, first_delay=first_delay))
            direct_first, direct_done = _direct(direct)
            fake.script(MODEL, Reply(text=REPLY, first_delay=first_delay))
            seen = arrivals if index >= warmup else {}
            server_first, server_done = _through_server(
                ours, assistant.id, thread.id, seen, received
            )
            if index >= warmup:
                rows["ttft direct"].append(direct_first)
                rows["ttft server"].append(server_first)
                rows["done direct"].append(direct_done)
                rows["done server"].append(server_done)
    return rows, arrivals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--iterations", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--first-delay", type=float, default=0.05)
    parser.add_argument("--database-url", help="a PostgreSQL URL; default: a temp SQLite file")
    args = parser.parse_args()
    warnings.filterwarnings("ignore", category=DeprecationWarning)  # the beta Assistants API

    received: list[float] = []
    with tempfile.TemporaryDirectory() as tmp, _model_server(received) as fake:
        env = server_env(Path(tmp), args.database_url, fake.base_url)
        with running_server(env, Path(tmp) / "server.log") as base_url:
            rows, arrivals = _measure(
                fake, received, base_url, args.iterations, args.warmup, args.first_delay
            )

    database = "PostgreSQL" if args.database_url else "SQLite"
    print(  # noqa: T201
        f"{args.iterations} streams each way after {args.warmup} warm-up, {database}, "
        f"model first_delay {args.first_delay * 1000:.0f} ms, {len(REPLY.split())} words"
    )
    print(f"{'':>12}  {'median':>9}  {'p90':>9}")  # noqa: T201
    for name, values in rows.items():
        print(  # noqa: T201
            f"{name:>12}  {median(values) * 1000:6.1f} ms  {quantile(values, 0.9) * 1000:6.1f} ms"
        )
    direct, ours = median(rows["ttft direct"]), median(rows["ttft server"])
    direct90, ours90 = quantile(rows["ttft direct"], 0.9), quantile(rows["ttft server"], 0.9)
    print(  # noqa: T201
        f"TTFT through the server: {ours / direct:.2f}x direct (p90 {ours90 / direct90:.2f}x), "
        f"+{(ours - direct) * 1000:.1f} ms median (+{(ours90 - direct90) * 1000:.1f} ms p90)"
    )
    budget = 1.1 * direct + 0.005
    verdict = "met" if ours <= budget else "NOT met"
    print(  # noqa: T201
        f"aim: median at most 1.1x direct + 5 ms = {budget * 1000:.1f} ms: {verdict}"
    )
    print(  # noqa: T201
        f"server stream, median first arrival of each event (the model answers "
        f"{args.first_delay * 1000:.0f} ms after it is called):"
    )
    for name, values in sorted(arrivals.items(), key=lambda item: median(item[1])):
        print(f"  {median(values) * 1000:6.1f} ms  {name}")  # noqa: T201


if __name__ == "__main__":
    main()
