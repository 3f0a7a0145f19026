"""A worker started before its database is migrated says once what to run, waits, and starts
once the database is migrated (as compose starts it beside the server)."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from tests.servers import SERVER_BIN, process_env, standalone_env, stop_process


def wait_for(log: Path, text: str, seconds: float = 20) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        written = log.read_text()
        if text in written:
            return written
        time.sleep(0.1)
    raise AssertionError(f"{text!r} not logged:\n{log.read_text()}")


def test_a_worker_on_an_unmigrated_database_waits_for_it(tmp_path: Path) -> None:
    env = process_env(standalone_env(tmp_path))
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        worker = subprocess.Popen(
            [str(SERVER_BIN), "worker"], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        wait_for(log, "not migrated")
        time.sleep(4.5)  # two more checks: still one line, no traceback
        assert log.read_text().count("not migrated") == 1
        assert "Traceback" not in log.read_text()
        subprocess.run([str(SERVER_BIN), "migrate"], env=env, check=True, capture_output=True)
        written = wait_for(log, "worker started")
        assert "Traceback" not in written
    finally:
        stop_process(worker)
