"""Running the model's Python for the code_interpreter tool: base.py says what a sandbox is,
bubblewrap.py makes one, pool.py keeps a session per thread."""

from assistants_server.sandbox.base import (
    FileInfo,
    Limits,
    Output,
    Sandbox,
    SandboxUnavailable,
    Session,
)

__all__ = ["FileInfo", "Limits", "Output", "Sandbox", "SandboxUnavailable", "Session"]
