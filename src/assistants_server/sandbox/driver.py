"""The program bubblewrap runs inside a sandbox: a persistent Python interpreter.

Run as `python -u -S -c <this source> <config JSON>`, standard library only (the package is not
visible inside). It reads requests from fd 0 and writes replies to fd 1, each a 4-byte
big-endian length then UTF-8 JSON; fd 2 is the log pipe, where fd 1 and 2 of the code (and of
any process it starts) go. Startup, as root: drop to the session's uid (`config["uid"]`);
then lower the limits, add the site-packages directories, and reply `{"ready": true}`.

A request `{"code", "sentinel"}` runs the code in one globals dict kept between requests. Then
the driver kills the processes the code left behind (every process of the sandbox but bwrap's
init and itself), saves and closes open matplotlib figures, writes `sentinel` to the log pipe
(the host reads the logs up to it) and replies `{"traceback", "exception", "errno", "images"}`.
"""

import ast
import base64
import contextlib
import io
import json
import linecache
import os
import resource
import signal
import site
import struct
import sys
import time
import traceback
import types
import warnings
from typing import Any

HEADER = struct.Struct(">I")


def drop_privileges(uid: int, gid: int) -> None:
    os.setgroups([])
    os.setresgid(gid, gid, gid)
    os.setresuid(uid, uid, uid)


def lower_limits(limits: dict[str, int]) -> None:
    for name, value in (
        ("RLIMIT_AS", limits["memory_bytes"]),
        ("RLIMIT_NPROC", limits["processes"]),
        ("RLIMIT_FSIZE", limits["file_bytes"]),
        ("RLIMIT_CORE", 0),
    ):
        resource.setrlimit(getattr(resource, name), (value, value))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # too large a file: EFBIG, not death


def read_exactly(fd: int, size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        chunk = os.read(fd, size - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def receive(fd: int) -> Any:
    header = read_exactly(fd, HEADER.size)
    if header is None:
        return None
    body = read_exactly(fd, HEADER.unpack(header)[0])
    return None if body is None else json.loads(body)


def send(fd: int, message: dict[str, Any]) -> None:
    body = json.dumps(message).encode()
    data = HEADER.pack(len(body)) + body
    while data:
        data = data[os.write(fd, data) :]


class Cells:
    """Runs code in one namespace; a trailing expression's value is printed, as in a notebook."""

    def __init__(self) -> None:
        main = types.ModuleType("__main__")  # the code's own: pickle finds its functions there
        sys.modules["__main__"] = main
        self.namespace: dict[str, Any] = main.__dict__
        self.namespace["__builtins__"] = __builtins__
        self.count = 0

    def run(self, code: str) -> BaseException | None:
        """None, or the exception the code raised."""
        self.count += 1
        filename = f"<cell-{self.count}>"
        linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
        try:
            tree = ast.parse(code, filename)
            last = tree.body[-1] if tree.body else None
            if isinstance(last, ast.Expr):
                tree.body.pop()
            exec(compile(tree, filename, "exec"), self.namespace)
            if isinstance(last, ast.Expr):
                value = eval(compile(ast.Expression(last.value), filename, "eval"), self.namespace)
                if value is not None:
                    sys.stdout.write(f"{value!r}\n")
        except BaseException as exc:
            return exc
        return None


def user_traceback(exc: BaseException) -> str:
    """The traceback from the first frame of the code on (the driver's frames left out)."""
    tb = exc.__traceback__
    while tb is not None and not tb.tb_frame.f_code.co_filename.startswith("<cell-"):
        tb = tb.tb_next
    if tb is None:
        return "".join(traceback.format_exception_only(type(exc), exc))
    return "".join(traceback.format_exception(type(exc), exc, tb))


def kill_strays() -> None:
    """Kill every process of the sandbox we may signal but ourselves (bwrap's init is spared
    by the kernel), then reap our children (for a second at most)."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(-1, signal.SIGKILL)
    deadline = time.monotonic() + 1.0
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.001)


def figures() -> tuple[list[str], str]:
    """PNG bytes (base64) of the open matplotlib figures, which are then closed."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is None:
        return [], ""
    images: list[str] = []
    problems = ""
    for number in pyplot.get_fignums():
        buffer = io.BytesIO()
        try:
            pyplot.figure(number).savefig(buffer, format="png", bbox_inches="tight")
        except Exception as exc:
            problems += f"Figure {number} could not be saved: {exc!r}\n"
            continue
        images.append(base64.b64encode(buffer.getvalue()).decode())
    pyplot.close("all")
    return images, problems


def flush_streams() -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()


def serve(config: dict[str, Any], requests: int, replies: int, logs: int) -> None:
    cells = Cells()
    main_pid = os.getpid()
    while (request := receive(requests)) is not None:
        exc = cells.run(request["code"])
        if os.getpid() != main_pid:  # a process the code forked, leaving the code: not ours
            flush_streams()
            os._exit(0 if exc is None else 1)
        flush_streams()
        if config["kill_strays"]:
            kill_strays()
        tb = "" if exc is None else user_traceback(exc)
        if isinstance(exc, MemoryError):
            cells.namespace.clear()  # the host restarts us; free memory to reply
        try:
            images, problems = figures()
        except Exception as error:  # pyplot itself broken by the code
            images, problems = [], f"The figures could not be saved: {error!r}\n"
        os.write(logs, request["sentinel"].encode())
        errno = exc.errno if isinstance(exc, OSError) else None
        send(
            replies,
            {
                "traceback": tb + problems,
                "exception": None if exc is None else type(exc).__name__,
                "errno": errno,
                "images": images,
            },
        )


def main() -> None:
    config = json.loads(sys.argv[1])
    if config["uid"] is not None:
        drop_privileges(config["uid"], config["gid"])
    os.chdir(config["directory"])
    if config["limits"] is not None:
        lower_limits(config["limits"])
    os.nice(config["nice"])
    requests, replies, logs = os.dup(0), os.dup(1), os.dup(2)  # not inherited by children
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(2, 1)  # the code's stdout joins stderr on the log pipe, in order
    os.close(devnull)
    for directory in config["site_dirs"]:
        site.addsitedir(directory)
    warnings.filterwarnings("ignore", message=".*non-interactive, and thus cannot be shown")
    send(replies, {"ready": True})
    serve(config, requests, replies, logs)


if __name__ == "__main__":
    main()
