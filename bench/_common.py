"""What the streaming and database benchmarks share: the server's environment, quantiles,
memory figures of a process."""

from __future__ import annotations

import os
import resource
import statistics
from pathlib import Path


def server_env(
    tmp: Path, database_url: str | None, llm_base_url: str = "", api_keys: str = ""
) -> dict[str, str]:
    """Settings for a bench server: a SQLite file under `tmp` unless `database_url` is given,
    `api_keys` accepted (each its own tenant; by default none: any bearer, one tenant),
    `llm_base_url` as the only model backend."""
    return {
        "ASSISTANTS_DATABASE_URL": database_url or f"sqlite:///{tmp / 'bench.db'}",
        "ASSISTANTS_STORAGE_URL": str(tmp / "files"),
        "ASSISTANTS_API_KEYS": api_keys,
        "ASSISTANTS_LLM_BASE_URL": llm_base_url,
        "ASSISTANTS_LLM_API_KEY": "",
        "ASSISTANTS_CONFIG": "",
    }


def quantile(samples: list[float], q: float) -> float:
    """The `q` quantile (0 < q < 1) of `samples`, interpolated between the nearest ranks."""
    ordered = sorted(samples)
    if len(ordered) == 1:
        return ordered[0]
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def rss_bytes(pid: int) -> int:
    """The resident set size of process `pid` now (VmRSS in /proc/<pid>/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def raise_open_files_limit() -> int:
    """Raise this process's soft RLIMIT_NOFILE to its hard limit (servers started afterwards
    inherit it); return the new soft limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        target = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = target
    return soft


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time process `pid` has used so far (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
