"""Real processes for the tests: the server under test, a throwaway PostgreSQL cluster, and the
environment holding an old `openai` SDK for v1 clients."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SERVER_BIN = Path(sys.executable).with_name("assistants-server")
# Test servers accept these keys, each its own tenant, so tests sharing a server never see each
# other's objects (a server without keys has one tenant). `new_api_key` hands them out.
API_KEYS = [f"sk-test-{number:05d}" for number in range(5000)]
API_KEYS_SETTING = ",".join(API_KEYS)
_unused_keys = iter(API_KEYS)


def new_api_key() -> str:
    """A key of `API_KEYS` that no test has had yet: a tenant of its own."""
    return next(_unused_keys)


def standalone_env(tmp: Path, **overrides: str) -> dict[str, str]:
    """Settings for a server of a test's own: SQLite and files under `tmp`, no keys, no model
    backend, no code sandbox; `overrides` on top."""
    return {
        "ASSISTANTS_DATABASE_URL": f"sqlite:///{tmp / 'assistants.db'}",
        "ASSISTANTS_STORAGE_URL": str(tmp / "files"),
        "ASSISTANTS_API_KEYS": "",
        "ASSISTANTS_LLM_BASE_URL": "",
        "ASSISTANTS_CONFIG": "",
        "ASSISTANTS_CODE_SANDBOX": "none",
        **overrides,
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout}s")


@dataclass(frozen=True)
class ServerProcess:
    """A started server: its /v1 URL and the process serving it."""

    url: str
    pid: int


@contextmanager
def running_server(
    env: Mapping[str, str], log_path: Path, *, command: list[str] | None = None
) -> Iterator[str]:
    """Start `assistants-server serve` (or `command`, which gets PORT) and yield its /v1 URL."""
    with server_process(env, log_path, command=command) as server:
        yield server.url


def process_env(overrides: Mapping[str, str]) -> dict[str, str]:
    """This process's environment with `overrides`; an override of "" unsets the variable."""
    merged = {**os.environ, **overrides}
    return {key: value for key, value in merged.items() if value != ""}


@contextmanager
def server_process(
    env: Mapping[str, str],
    log_path: Path,
    *,
    command: list[str] | None = None,
    serve_args: Sequence[str] = ("--host", "127.0.0.1"),
    cwd: Path | None = None,
) -> Iterator[ServerProcess]:
    """Like `running_server`, but yield the URL together with the server's process id.
    `serve_args` go to `serve` (with `--port` added); `command` replaces the whole command."""
    port = free_port()
    full_env = process_env({**env, "PORT": str(port), "HOST": "127.0.0.1"})
    argv = command or [str(SERVER_BIN), "serve", *serve_args, "--port", str(port)]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            argv, env=full_env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", process)
        yield ServerProcess(url=f"http://127.0.0.1:{port}/v1", pid=process.pid)
    finally:
        stop_process(process)


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then SIGKILL if it has not exited within 15 s."""
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def peak_rss_bytes(pid: int) -> int:
    """The peak resident set size of process `pid` so far (VmHWM in /proc/<pid>/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            value, unit = line.split()[1:3]
            assert unit == "kB", line
            return int(value) * 1024
    raise RuntimeError(f"no VmHWM for process {pid}")


def _postgres_bin() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    return candidates[0].parent if candidates else None


@contextmanager
def postgres_cluster() -> Iterator[str | None]:
    """A PostgreSQL cluster of our own on a free port; yields a URL prefix, or None when the
    binaries are missing. ASSISTANTS_TEST_POSTGRES_URL (a server URL) is used instead if set."""
    given = os.environ.get("ASSISTANTS_TEST_POSTGRES_URL")
    if given:
        yield given.rstrip("/")
        return
    bin_dir = _postgres_bin()
    if bin_dir is None:
        yield None
        return
    base = Path(tempfile.mkdtemp(prefix="assistants-test-pg-"))
    data = base / "pgdata"
    port = free_port()
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        shutil.chown(base, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    subprocess.run(
        [*as_user, str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust"],
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"
    options += " -c max_connections=200 -c full_page_writes=off"
    subprocess.run(
        [
            *as_user,
            str(bin_dir / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-w",
            "start",
            "-l",
            str(base / "pg.log"),
        ],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(
            [*as_user, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(base, ignore_errors=True)


def create_database(server_url: str, name: str) -> str:
    """CREATE DATABASE `name` on the cluster at `server_url`; return the database's URL."""
    import asyncio

    import asyncpg

    async def create() -> None:
        connection = await asyncpg.connect(server_url + "/postgres")
        try:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            await connection.execute(f'CREATE DATABASE "{name}"')
        finally:
            await connection.close()

    asyncio.run(create())
    return f"{server_url}/{name}"


V1_SDK = "openai==1.20.0"


def v1_sdk_python() -> Path:
    """A virtual environment with the last SDK that speaks assistants v1, made once and kept
    under .cache/ (httpx is held below 0.28, whose API that SDK predates)."""
    venv = ROOT / ".cache" / "venv-openai-1.20.0"
    python = venv / "bin" / "python"
    marker = venv / ".ready"
    if not marker.exists():
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", V1_SDK, "httpx<0.28"],
            check=True,
        )
        marker.touch()
    return python
