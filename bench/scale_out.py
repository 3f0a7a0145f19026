"""Scale-out on PostgreSQL: 2 API processes and 2 workers against one `serve` process.

.venv/bin/python -m bench.scale_out --postgres-url postgresql://user@host:port
                                    [--runs 1000] [--words 30] [--delay 0.05] [--kill-after 2]
                                    [--lease 30]

Each phase gets a database of its own on that server. Baseline: one `serve` process (its own
executor) streams `--runs` runs started at once. Scaled: the same load spread over 2 API
processes (`serve --no-worker`) while 2 `assistants-server worker` processes drive the runs,
so every stream follows a run another process drives. Then the scaled load again, with one
worker killed (SIGKILL) `--kill-after` seconds in (runs it held fail once their lease,
`--lease` seconds, lapses; under a load that lags the event loop for longer than a lease,
runs of live workers are failed too, so keep it well above the lag).
Reported: runs/s of each phase and the ratio; time to first token across
processes (p50, p95) against the baseline's; every stream complete with its reply, or failed
as interrupted (only runs the killed worker held); no run driven twice (the model served each
run's completion at most once); no queued run lost (every run ended).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import tempfile
import time
from pathlib import Path

from tests.servers import create_database

from bench._common import quantile, server_env
from bench._streams import (
    Outcome,
    client_session,
    create_threads,
    model_process,
    reply_text,
    servers,
    stream_run,
)

FIRST = "thread.message.delta"


async def _load(urls: list[str], outcomes: list[Outcome], kill: float, workers: list) -> None:  # type: ignore[type-arg]
    async with client_session(len(outcomes) + 16) as session:
        body = {"model": "setup", "name": "bench"}
        async with session.post(f"{urls[0]}/assistants", json=body) as response:
            assistant = (await response.json())["id"]
        threads = await create_threads(session, urls[0], len(outcomes))

        async def killer() -> None:
            if workers and kill > 0:
                await asyncio.sleep(kill)
                workers[0].send_signal(signal.SIGKILL)

        streams = [
            stream_run(
                session,
                f"{urls[index % len(urls)]}/threads/{thread}/runs",
                {"assistant_id": assistant, "model": outcome.model},
                outcome,
            )
            for index, (thread, outcome) in enumerate(zip(threads, outcomes, strict=True))
        ]
        await asyncio.gather(killer(), *streams)


def _phase(args: argparse.Namespace, name: str, scaled: bool, kill: float = 0) -> dict[str, object]:
    scripts = [(f"run-{i}", reply_text(i, args.words)) for i in range(args.runs)]
    scripts.append(("setup", "unused"))
    outcomes = [Outcome(text, model) for model, text in scripts if model != "setup"]
    with tempfile.TemporaryDirectory() as tmp, model_process(scripts, args.delay) as model:
        database = create_database(args.postgres_url, f"bench_scale_{name}")
        env = server_env(Path(tmp), database, model.url)
        env["ASSISTANTS_MAX_CONCURRENT_RUNS"] = str(args.runs)
        env["ASSISTANTS_RUN_LEASE_SECONDS"] = str(args.lease)
        env["ASSISTANTS_CODE_SANDBOX"] = "none"
        workers, apis = (2, 2) if scaled else (0, 1)
        with servers(env, Path(tmp), workers=workers, apis=apis) as server:
            started = time.time()
            asyncio.run(_load(server.urls, outcomes, kill, server.workers))
            wall = time.time() - started
        timings, _ = model.results()
        if args.keep_logs:
            shutil.copytree(tmp, args.keep_logs / name, dirs_exist_ok=True)
    completed = [o for o in outcomes if o.ok]
    interrupted = [o for o in outcomes if "server_error" in o.error]
    other = [o for o in outcomes if not o.ok and o not in interrupted]
    ttft = [o.after(FIRST) for o in completed if FIRST in o.seen]
    return {
        "why": interrupted[0].error[:200] if interrupted else "",
        "wall": wall,
        "rate": len(completed) / wall,
        "completed": len(completed),
        "interrupted": len(interrupted),
        "other": other,
        "ttft": ttft,
        "served": len(timings),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres-url", default=os.environ.get("ASSISTANTS_TEST_POSTGRES_URL"))
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--words", type=int, default=30)
    parser.add_argument("--delay", type=float, default=0.05)
    parser.add_argument("--kill-after", type=float, default=2.0)
    parser.add_argument("--lease", type=float, default=30.0, help="ASSISTANTS_RUN_LEASE_SECONDS")
    parser.add_argument("--keep-logs", type=Path, help="copy each phase's server logs here")
    args = parser.parse_args()
    if not args.postgres_url:
        raise SystemExit("--postgres-url (a PostgreSQL server URL, without a database) is needed")
    base = _phase(args, "one", scaled=False)
    scaled = _phase(args, "two", scaled=True)
    killed = _phase(args, "kill", scaled=True, kill=args.kill_after)
    lines = [f"{args.runs} streamed runs of {args.words} words, {args.delay * 1000:.0f} ms apart:"]
    phases = (
        ("one serve process", base),
        ("2 API + 2 workers", scaled),
        (f"the same, a worker killed at {args.kill_after:.0f} s", killed),
    )
    for name, result in phases:
        ttft: list[float] = result["ttft"]  # type: ignore[assignment]
        other: list[Outcome] = result["other"]  # type: ignore[assignment]
        lines += [
            f"  {name}: {result['completed']} completed, {result['interrupted']} interrupted, "
            f"{len(other)} other problems, in {result['wall']:.1f} s "
            f"= {result['rate']:.1f} runs/s; "
            f"time to first token p50 {quantile(ttft, 0.5) * 1000:.0f} ms, "
            f"p95 {quantile(ttft, 0.95) * 1000:.0f} ms; the model served {result['served']}",
            *(f"    {o.model}: {o.problem()}" for o in other[:5]),
            *([f"    interrupted, e.g.: {result['why']}"] if result["why"] else []),
        ]
    ratio = float(scaled["rate"]) / float(base["rate"])  # type: ignore[arg-type]
    lines.append(f"  throughput, scaled / one: {ratio:.2f}x")
    print("\n".join(lines))  # noqa: T201


if __name__ == "__main__":
    main()
