"""Code that tries to get out of a sandbox; each prints what it reached as JSON, last line."""

from __future__ import annotations

import textwrap


def _code(text: str) -> str:
    return textwrap.dedent(text).strip() + "\n"


def connect(port: int) -> str:
    """Connect to the host's loopback."""
    return _code(f"""
        import json, socket
        try:
            socket.create_connection(("127.0.0.1", {port}), timeout=3).close()
            found = {{"reached": True}}
        except OSError as error:
            found = {{"reached": False, "error": str(error)}}
        print(json.dumps(found))
    """)


ENVIRONMENT = _code("""
    import json, os
    print(json.dumps(dict(os.environ)))
""")


def processes(secret: str, server_cmdline: str) -> str:
    """Look through /proc for the server: its command line, or the secret in any environ."""
    return _code(f"""
        import json, os
        pids = [name for name in os.listdir("/proc") if name.isdigit()]
        cmdline_seen = secret_seen = False
        for pid in pids:
            try:
                with open(f"/proc/{{pid}}/cmdline") as file:
                    cmdline_seen |= file.read() == {server_cmdline!r}
                with open(f"/proc/{{pid}}/environ", "rb") as file:
                    secret_seen |= {secret!r}.encode() in file.read()
            except OSError:
                pass
        print(json.dumps({{"pids": len(pids), "cmdline": cmdline_seen, "secret": secret_seen}}))
    """)


def read_files(paths: list[str]) -> str:
    """Read each path (a directory: list it); what each gave or the error."""
    return _code(f"""
        import json, os
        found = {{}}
        for path in {paths!r}:
            try:
                if os.path.isdir(path):
                    found[path] = sorted(os.listdir(path))
                else:
                    with open(path, errors="replace") as file:
                        found[path] = file.read()
            except OSError as error:
                found[path] = type(error).__name__
        print(json.dumps(found))
    """)


def write_files(directories: list[str]) -> str:
    """Create a file in each directory; which it could."""
    return _code(f"""
        import json, os
        written = {{}}
        for directory in {directories!r}:
            path = os.path.join(directory, "probe-written.txt")
            try:
                with open(path, "w") as file:
                    file.write("escaped")
                os.unlink(path)
                written[directory] = True
            except OSError as error:
                written[directory] = type(error).__name__
        print(json.dumps(written))
    """)


def fork(count: int) -> str:
    """Start `count` sleeping processes; how many started (all are killed after)."""
    return _code(f"""
        import json, os, signal, time
        children = []
        try:
            for _ in range({count}):
                pid = os.fork()
                if pid == 0:
                    time.sleep(60)
                    os._exit(0)
                children.append(pid)
        except OSError:
            pass
        for pid in children:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        print(json.dumps({{"started": len(children)}}))
    """)


def allocate(megabytes: int) -> str:
    """Allocate and touch `megabytes`."""
    return _code(f"""
        import json
        try:
            block = bytearray({megabytes} * 1024 * 1024)  # zeroed: every page touched
            allocated = True
            del block
        except MemoryError:
            allocated = False
        print(json.dumps({{"allocated": allocated}}))
    """)


def write_data(files: int, size: int) -> str:
    """Write `files` files of `size` bytes under /mnt/data; the bytes each got."""
    return _code(f"""
        import json, os
        sizes = {{}}
        for number in range({files}):
            name = f"/mnt/data/blob-{{number}}.bin"
            try:
                with open(name, "wb") as file:
                    file.write(b"x" * {size})
            except OSError:
                pass
            sizes[name] = os.path.getsize(name) if os.path.exists(name) else None
        print(json.dumps(sizes))
    """)


NEW_NAMESPACE = _code("""
    import ctypes, json, os
    libc = ctypes.CDLL(None, use_errno=True)
    result = libc.unshare(0x10000000)  # CLONE_NEWUSER: a user namespace, caps within it
    print(json.dumps({"created": result == 0, "error": os.strerror(ctypes.get_errno())}))
""")
