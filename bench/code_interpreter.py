"""code_interpreter through the API against bare Python.

.venv/bin/python -m bench.code_interpreter [--iterations 20] [--sessions 50]

- Warm call: `print(1)` on a thread whose session is running, timed on the run's stream from
  the step delta that shows the call's whole input to the delta that brings its logs (the
  sandbox's round trip, the outputs kept, the events written). Baseline: the same code sent
  to an already running bare Python over a pipe (exec, output captured, answer back). Aim: at
  most +15 ms.
- Cold start: the first call on a new thread, `import numpy, pandas, matplotlib`, timed the
  same way (the sandbox starting a session). Baseline: `python -c "import numpy, pandas,
  matplotlib"`. Aim: at most 1.5x.
- Memory: `--sessions` threads each left with a live session that imported those modules:
  the proportional set size (PSS) of all the server's descendant processes, per session.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openai
from tests.fake_model_server import Call, Reply, fake_model_server
from tests.servers import server_process

from bench._common import median, quantile, server_env

MODEL = "bench-code"
IMPORTS = "import numpy, pandas, matplotlib"
BARE_LOOP = (
    "import sys, io, contextlib\n"
    "for line in sys.stdin:\n"
    "    out = io.StringIO()\n"
    "    with contextlib.redirect_stdout(out):\n"
    "        exec(line.replace('\\\\n', '\\n'))\n"
    "    sys.stdout.write(repr(out.getvalue()) + '\\n'); sys.stdout.flush()\n"
)


def _timed_call(client: openai.OpenAI, assistant_id: str, thread_id: str) -> float:
    """Seconds from the call's whole input to its logs, on the run's stream."""
    typed = logs = None
    seen = []
    with client.beta.threads.runs.stream(thread_id=thread_id, assistant_id=assistant_id) as run:
        for event in run:
            seen.append(event.event)
            if event.event != "thread.run.step.delta":
                continue
            for call in event.data.delta.step_details.tool_calls or []:  # type: ignore[union-attr]
                if call.type != "code_interpreter" or call.code_interpreter is None:
                    continue
                if call.code_interpreter.input is not None:
                    typed = time.perf_counter()
                if call.code_interpreter.outputs and logs is None:
                    logs = time.perf_counter()
    if typed is None or logs is None:
        raise SystemExit(f"the run's stream showed no code_interpreter input and logs: {seen}")
    return logs - typed


def _bare_warm(iterations: int) -> list[float]:
    bare = subprocess.Popen(
        [sys.executable, "-u", "-c", BARE_LOOP],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert bare.stdin is not None
    assert bare.stdout is not None
    samples = []
    for _ in range(iterations + 3):
        started = time.perf_counter()
        bare.stdin.write("print(1)\n")
        bare.stdin.flush()
        bare.stdout.readline()
        samples.append(time.perf_counter() - started)
    bare.terminate()
    return samples[3:]


def _bare_cold(iterations: int) -> list[float]:
    samples = []
    for _ in range(iterations):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", IMPORTS], check=True)
        samples.append(time.perf_counter() - started)
    return samples


def _descendants(pid: int) -> list[int]:
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = [], [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, ppid in parents.items() if ppid == parent]
        found += children
        frontier += children
    return found


def _pss_bytes(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


def _row(name: str, samples: list[float]) -> str:
    mid, p90 = median(samples) * 1000, quantile(samples, 0.9) * 1000
    return f"  {name:<34} median {mid:8.1f} ms, p90 {p90:8.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--iterations", type=int, default=20)
    parser.add_argument("--sessions", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, fake_model_server([MODEL]) as fake:
        env = server_env(Path(tmp), None, fake.base_url)
        env["ASSISTANTS_CODE_SESSIONS"] = str(args.sessions + 10)
        with server_process(env, Path(tmp) / "server.log") as server:
            client = openai.OpenAI(base_url=server.url, api_key="bench", max_retries=0)
            assistant = client.beta.assistants.create(
                model=MODEL, tools=[{"type": "code_interpreter"}]
            )

            def call(code: str) -> list[Reply]:
                arguments = json.dumps({"code": code})
                return [Reply(tool_calls=[Call("code_interpreter", arguments)]), Reply("ok")]

            warm_thread = client.beta.threads.create(messages=[{"role": "user", "content": "go"}])
            warm: list[float] = []
            for index in range(args.iterations + 2):
                fake.script(MODEL, *call("print(1)"))
                took = _timed_call(client, assistant.id, warm_thread.id)
                if index >= 2:  # the session started and warmed up first
                    warm.append(took)
            cold: list[float] = []
            threads = []
            for _ in range(max(args.sessions, args.iterations)):
                thread = client.beta.threads.create(messages=[{"role": "user", "content": "go"}])
                threads.append(thread.id)
                fake.script(MODEL, *call(IMPORTS + "\nprint(1)"))
                cold.append(_timed_call(client, assistant.id, thread.id))
            live = _descendants(server.pid)
            pss = _pss_bytes(live)
    bare_warm, bare_cold = _bare_warm(args.iterations), _bare_cold(args.iterations)
    added = (median(warm) - median(bare_warm)) * 1000
    ratio = median(cold) / median(bare_cold)
    lines = [
        f"warm call, print(1), {args.iterations} each:",
        _row("through the API (input -> logs)", warm),
        _row("bare Python over a pipe", bare_warm),
        f"  added: {added:.1f} ms (aim: at most 15 ms): {'met' if added <= 15 else 'not met'}",
        f"cold start, {IMPORTS}, {len(cold)} sessions:",
        _row("new session through the API", cold),
        _row("bare python -c", bare_cold),
        f"  ratio: {ratio:.2f}x (aim: at most 1.5x): {'met' if ratio <= 1.5 else 'not met'}",
        f"memory: {len(threads)} live sessions, {len(live)} processes under the server, "
        f"PSS {pss / 2**20:.0f} MiB in all, {pss / len(threads) / 2**20:.1f} MiB a session",
    ]
    print("\n".join(lines))  # noqa: T201


if __name__ == "__main__":
    main()
