"""Many streamed runs at once, each against the model's own time for the same reply.

.venv/bin/python -m bench.concurrent_runs [--runs 1000] [--words 58] [--delay 0.1]
    [--max-concurrent N] [--database-url postgresql://...] [--workers N] [--keep-logs DIR]

One assistant, one thread per run; every run asks for a model of its own, scripted on the fake
model server (a process of its own) to stream a reply unique to that run, word by word with
`--delay` before each chunk (by default 60 chunks over 6 s). All runs are started at once over
`POST /threads/{id}/runs` with `stream: true`; each stream must end in `thread.run.completed`
with its deltas adding up to its reply.

Each stream's duration at the client (request sent to `thread.run.completed` read) is set
against the model's own time for that completion (request received to last chunk sent): the
ratio is what the server adds, whatever the model server does under the same load. Baseline
too: the same kind of run streamed alone. CPU is reported for the server (all its
processes), the model server and this client over the load, and per run against the model's.
With `--workers N` (PostgreSQL), an API process serves the streams while N worker processes
drive the runs. With `--resume`, every run (the ones alone too) is created without streaming
and followed on `GET .../runs/{id}/events`, and its client hangs up halfway through the reply
and resumes after the last event id it read: the same checks hold (every word once).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tests.servers import peak_rss_bytes

from bench._common import (
    cpu_seconds,
    median,
    quantile,
    raise_open_files_limit,
    rss_bytes,
    server_env,
)
from bench._streams import (
    DONE,
    Outcome,
    client_session,
    create_threads,
    model_process,
    reply_text,
    resumed_run,
    servers,
    stream_run,
)

SOLO_RUNS = 3
MILESTONES = (
    ("created (POST answered)", "thread.run.created"),
    ("in_progress (claimed)", "thread.run.in_progress"),
    ("first delta", "thread.message.delta"),
    ("completed", DONE),
)
MiB = 1024 * 1024


@dataclass
class Load:
    """What the load cost: wall time, CPU seconds of each party, peak memory."""

    wall: float
    server_cpu: float
    model_cpu: float
    client_cpu: float
    idle_rss: int
    peak_rss: int


@dataclass
class Result:
    runs: list[Outcome]
    solo: list[Outcome]
    timings: dict[str, tuple[float, float]]  # model -> its completion (received, finished)
    hangups: int
    load: Load

    def model_time(self, outcome: Outcome) -> float:
        received, finished = self.timings[outcome.model]
        return finished - received

    def ratios(self, outcomes: list[Outcome]) -> list[float]:
        """Each stream's duration over the model's own time for its completion."""
        return [outcome.after(DONE) / self.model_time(outcome) for outcome in outcomes]


async def _run_all(
    args: argparse.Namespace,
    url: str,
    assistant: str,
    threads: list[str],
    outcomes: list[Outcome],
) -> None:
    async def one(thread: str, outcome: Outcome) -> None:
        runs_url = f"{url}/threads/{thread}/runs"
        body = {"assistant_id": assistant, "model": outcome.model}
        if args.resume:
            await resumed_run(session, runs_url, body, outcome, drop=args.words // 2)
        else:
            await stream_run(session, runs_url, body, outcome)

    async with client_session(len(outcomes) + 8) as session:
        await asyncio.gather(*map(one, threads, outcomes))


async def _setup(url: str, count: int) -> tuple[str, list[str]]:
    async with client_session(32) as session:
        body = {"model": "solo-0", "name": "bench"}
        async with session.post(f"{url}/assistants", json=body) as response:
            response.raise_for_status()
            assistant: str = (await response.json())["id"]
        return assistant, await create_threads(session, url, count)


def _bench(args: argparse.Namespace, tmp: Path, scripts: list[tuple[str, str]]) -> Result:
    runs = [Outcome(text, model) for model, text in scripts if model.startswith("run-")]
    solo = [Outcome(text, model) for model, text in scripts if model.startswith("solo-")]
    with model_process(scripts, args.delay) as model:
        env = server_env(tmp, args.database_url, model.url)
        env["ASSISTANTS_MAX_CONCURRENT_RUNS"] = str(args.max_concurrent or args.runs)
        with servers(env, tmp, args.workers) as server:
            assistant, threads = asyncio.run(_setup(server.url, len(runs) + len(solo)))
            for outcome, thread in zip(solo, threads[len(runs) :], strict=True):
                asyncio.run(_run_all(args, server.url, assistant, [thread], [outcome]))
            idle_rss = sum(rss_bytes(pid) for pid in server.pids)
            start = time.time()
            before = (server.cpu(), cpu_seconds(model.pid), time.process_time())
            asyncio.run(_run_all(args, server.url, assistant, threads[: len(runs)], runs))
            after = (server.cpu(), cpu_seconds(model.pid), time.process_time())
            wall = time.time() - start
            peak = sum(peak_rss_bytes(pid) for pid in server.pids)
        timings, hangups = model.results()
    server_cpu, model_cpu, client_cpu = (b - a for a, b in zip(before, after, strict=True))
    load = Load(wall, server_cpu, model_cpu, client_cpu, idle_rss, peak)
    return Result(runs, solo, timings, hangups, load)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:8.0f} ms"


def _print(*lines: str) -> None:
    for line in lines:
        print(line)  # noqa: T201


def _report(args: argparse.Namespace, result: Result, excerpt: list[str]) -> None:
    runs, solo, load = result.runs, result.solo, result.load
    bad_solo = [o for o in solo if not o.ok]
    if bad_solo:
        raise SystemExit(f"a run streamed alone failed: {bad_solo[0].problem()}")
    good = [o for o in runs if o.ok]
    database = "PostgreSQL" if args.database_url else "SQLite"
    shape = f"{args.workers} worker process(es) + an API process" if args.workers else "one process"
    if args.resume:
        shape += "; followed on GET .../events, each dropped halfway and resumed"
    solo_done = median([o.after(DONE) for o in solo])
    _print(
        f"{args.runs} streamed runs at once, {database}, {shape}; replies of {args.words}+2 "
        f"words, {args.delay * 1000:.0f} ms before each chunk",
        f"alone: a run streams in {_ms(solo_done)} (median of {SOLO_RUNS}), the model's own "
        f"time for it being {_ms(median([result.model_time(o) for o in solo]))}",
        f"correct: {len(good)} / {args.runs}; model completions {len(result.timings)}, "
        f"{result.hangups} hung up early",
        f"wall: {load.wall:.2f} s for all; {len(good) / load.wall:.1f} correct runs/s",
    )
    if good:
        ratios = result.ratios(good)
        within = sum(1 for ratio in ratios if ratio <= 1.5)
        alone = [o.after(DONE) / solo_done for o in good]
        _print(
            "each stream against the model's own time for its reply: "
            f"p50 {median(ratios):.2f}x, p95 {quantile(ratios, 0.95):.2f}x, max {max(ratios):.2f}x;"
            f" {within} / {len(good)} within 1.5x",
            f"each stream against a run streamed alone: p50 {median(alone):.2f}x, "
            f"p95 {quantile(alone, 0.95):.2f}x, max {max(alone):.2f}x",
            f"{'from the request':>26} {'p50':>11} {'p95':>11} {'max':>11}",
        )
        for name, event in MILESTONES:
            values = [o.after(event) for o in good]
            _print(
                f"{name:>26} {_ms(median(values))} {_ms(quantile(values, 0.95))} {_ms(max(values))}"
            )
    count = max(1, args.runs)
    _print(
        f"CPU over the load: server {load.server_cpu:.1f} s ({load.server_cpu / count * 1000:.1f}"
        f" ms per run), model server {load.model_cpu:.1f} s ({load.model_cpu / count * 1000:.1f}"
        f" ms per run), this client {load.client_cpu:.1f} s; server / model = "
        f"{load.server_cpu / max(load.model_cpu, 1e-9):.2f}x",
        f"server RSS: {load.idle_rss / MiB:.0f} MiB idle, {load.peak_rss / MiB:.0f} MiB at peak",
    )
    for outcome in [o for o in runs if not o.ok][:5]:
        _print(f"  failed: {outcome.problem()}")
    if excerpt:
        _print("server log (errors and warnings):", *(f"  {line}" for line in excerpt))


def _log_excerpt(logs: Path, limit: int = 20) -> list[str]:
    markers = ("ERROR", "Traceback", "Exception", "locked", "WARNING")
    found = []
    for log in sorted(logs.glob("*.log")):
        for line in log.read_text(errors="replace").splitlines():
            if any(marker in line for marker in markers) and "ASSISTANTS_API_KEYS" not in line:
                found.append(f"{log.name}: {line}")
    return found[:limit]


def parser(runs: int, words: int, delay: float) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=runs)
    parser.add_argument("--words", type=int, default=words, help="words per reply, plus 2")
    parser.add_argument("--delay", type=float, default=delay, help="seconds before each chunk")
    parser.add_argument("--max-concurrent", type=int, help="ASSISTANTS_MAX_CONCURRENT_RUNS")
    parser.add_argument("--database-url", help="a PostgreSQL URL; default: a temp SQLite file")
    parser.add_argument("--workers", type=int, default=0, help="separate worker processes")
    parser.add_argument("--keep-logs", type=Path, help="copy the servers' logs here")
    parser.add_argument(
        "--resume", action="store_true", help="follow runs on GET .../events, resuming once"
    )
    return parser


def run(args: argparse.Namespace) -> None:
    raise_open_files_limit()
    scripts = [(f"run-{i}", reply_text(i, args.words)) for i in range(args.runs)]
    scripts += [(f"solo-{k}", reply_text(args.runs + k, args.words)) for k in range(SOLO_RUNS)]
    with tempfile.TemporaryDirectory() as tmp:
        result = _bench(args, Path(tmp), scripts)
        excerpt = _log_excerpt(Path(tmp))
        if args.keep_logs:
            shutil.copytree(tmp, args.keep_logs, dirs_exist_ok=True)
    _report(args, result, excerpt)


if __name__ == "__main__":
    run(parser(runs=1000, words=58, delay=0.1).parse_args())
