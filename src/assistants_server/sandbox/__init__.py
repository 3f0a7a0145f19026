"""Running the model's Python for the code_interpreter tool: base.py says what a sandbox is,
bubblewrap.py makes one, pool.py keeps a session per thread, fake.py stands in for tests."""

from assistants_server.sandbox.base import (
    FileInfo,
    Limits,
    Output,
    Sandbox,
    SandboxUnavailable,
    Session,
)
from assistants_server.sandbox.bubblewrap import BubblewrapSandbox
from assistants_server.sandbox.pool import SessionPool

__all__ = [
    "BubblewrapSandbox",
    "FileInfo",
    "Limits",
    "Output",
    "Sandbox",
    "SandboxUnavailable",
    "Session",
    "SessionPool",
]
