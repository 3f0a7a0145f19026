"""Each protection, probed: contained by the default sandbox, escaped once it is removed (so the
probe can tell, and the protection is what holds)."""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import site
import sys
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from assistants_server.sandbox import Limits
from assistants_server.sandbox.bubblewrap import ENVIRONMENT
from tests.sandbox import probes
from tests.sandbox.conftest import MakeSandbox, StartSession, probe

CHECKOUT = Path(__file__).resolve().parents[2]
SANDBOX_ROOT = {"usr", "bin", "sbin", "lib", "lib64", "etc", "dev", "proc", "tmp", "mnt"}


@pytest.fixture
async def listener() -> AsyncIterator[tuple[int, list[int]]]:
    """A TCP server on the host's loopback: its port, and a list growing with each connection."""
    accepted: list[int] = []

    async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        accepted.append(1)
        writer.close()

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    yield server.sockets[0].getsockname()[1], accepted
    server.close()
    await server.wait_closed()


@pytest.fixture
def host_secret() -> Iterator[Path]:
    """A file anyone on the host may read (0644 in a 0755 directory), as the server's data
    directory or database would be: only the sandbox's own view of the files keeps it away."""
    directory = Path(tempfile.mkdtemp(prefix="server-data-"))
    directory.chmod(0o755)
    secret = directory / "database.sqlite"
    secret.write_text(f"secret {secrets.token_hex(8)}")
    secret.chmod(0o644)
    yield secret
    shutil.rmtree(directory)


@pytest.fixture
def open_directory() -> Iterator[Path]:
    """A host directory anyone may write to (0777): only a read-only mount keeps it so."""
    directory = Path(tempfile.mkdtemp(prefix="shared-"))
    directory.chmod(0o777)
    yield directory
    shutil.rmtree(directory)


class TestNetwork:
    async def test_host_loopback_unreachable(
        self, start_session: StartSession, listener: tuple[int, list[int]]
    ) -> None:
        port, accepted = listener
        found = await probe(await start_session(), probes.connect(port))
        assert found["reached"] is False
        assert accepted == []

    async def test_reached_with_the_network_shared(
        self,
        start_session: StartSession,
        make_sandbox: MakeSandbox,
        listener: tuple[int, list[int]],
    ) -> None:
        port, accepted = listener
        session = await start_session(make_sandbox(share_network=True))
        assert (await probe(session, probes.connect(port)))["reached"] is True
        assert accepted == [1]


class TestEnvironment:
    async def test_server_variables_unseen(
        self, start_session: StartSession, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        secret = secrets.token_hex(8)
        monkeypatch.setenv("ASSISTANTS_PROBE_SECRET", secret)
        environment = await probe(await start_session(), probes.ENVIRONMENT)
        assert set(environment) <= {*ENVIRONMENT, "PATH", "PWD"}
        assert secret not in str(environment)

    async def test_seen_when_passed(
        self,
        start_session: StartSession,
        make_sandbox: MakeSandbox,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        secret = secrets.token_hex(8)
        monkeypatch.setenv("ASSISTANTS_PROBE_SECRET", secret)
        session = await start_session(make_sandbox(pass_environment=True))
        environment = await probe(session, probes.ENVIRONMENT)
        assert environment["ASSISTANTS_PROBE_SECRET"] == secret


class TestProcesses:
    @staticmethod
    def server() -> str:
        return Path(f"/proc/{os.getpid()}/cmdline").read_text()

    async def test_server_process_unseen(
        self, start_session: StartSession, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        secret = secrets.token_hex(8)
        monkeypatch.setenv("ASSISTANTS_PROBE_SECRET", secret)
        found = await probe(await start_session(), probes.processes(secret, self.server()))
        assert found["cmdline"] is False
        assert found["secret"] is False
        assert found["pids"] == 2  # bwrap's init and the driver

    async def test_seen_with_the_host_pids(
        self, start_session: StartSession, make_sandbox: MakeSandbox
    ) -> None:
        session = await start_session(make_sandbox(share_pid=True))
        found = await probe(session, probes.processes("-", self.server()))
        assert found["cmdline"] is True


class TestHostFiles:
    async def test_only_python_is_visible(
        self, start_session: StartSession, host_secret: Path
    ) -> None:
        hidden = [str(host_secret), "/etc/passwd", str(CHECKOUT / "pyproject.toml")]
        listed = ["/", "/root", "/home", str(CHECKOUT)]
        found = await probe(await start_session(), probes.read_files(hidden + listed))
        assert {path: found[path] for path in hidden} == dict.fromkeys(hidden, "FileNotFoundError")
        python = [Path(sys.base_prefix), *map(Path, site.getsitepackages())]
        for directory in map(Path, listed):  # nothing there but the way to Python's files
            on_the_way = {
                p.relative_to(directory).parts[0] for p in python if directory in p.parents
            }
            if directory == Path("/"):
                on_the_way |= SANDBOX_ROOT
            entries = found[str(directory)]
            assert entries == "FileNotFoundError" or set(entries) <= on_the_way, directory

    async def test_read_with_the_host_shown(
        self, start_session: StartSession, make_sandbox: MakeSandbox, host_secret: Path
    ) -> None:
        session = await start_session(make_sandbox(expose_host=True))
        found = await probe(session, probes.read_files([str(host_secret)]))
        assert found[str(host_secret)].startswith("secret ")


class TestOtherSessions:
    @staticmethod
    async def secret_of_another(
        start_session: StartSession, on: MakeSandbox, **options: bool
    ) -> str:
        sandbox = on(**options)
        other = await start_session(sandbox, key="other")
        await other.put("secret.txt", b"other's secret")
        (path,) = sandbox.root.glob("*/data/secret.txt")
        session = await start_session(sandbox, key="thread")
        found = await probe(session, probes.read_files([str(path), "/mnt/data/secret.txt"]))
        assert found["/mnt/data/secret.txt"] == "FileNotFoundError"
        return str(found[str(path)])

    async def test_unseen(self, start_session: StartSession, make_sandbox: MakeSandbox) -> None:
        assert await self.secret_of_another(start_session, make_sandbox) == "FileNotFoundError"

    async def test_unreadable_as_another_uid(
        self, start_session: StartSession, make_sandbox: MakeSandbox
    ) -> None:
        """With the whole host shown, still not: the session directories are 0700, owned by
        root and by the session's own uid."""
        if os.geteuid() != 0:
            pytest.skip("sessions have uids of their own only when the server is root")
        found = await self.secret_of_another(start_session, make_sandbox, expose_host=True)
        assert found == "PermissionError"

    async def test_read_with_the_host_shown_as_root(
        self, start_session: StartSession, make_sandbox: MakeSandbox
    ) -> None:
        if os.geteuid() != 0:
            pytest.skip("the server is not root")
        found = await self.secret_of_another(
            start_session, make_sandbox, expose_host=True, run_as_root=True
        )
        assert found == "other's secret"


class TestReadOnly:
    async def test_only_data_and_tmp_writable(
        self, start_session: StartSession, make_sandbox: MakeSandbox, open_directory: Path
    ) -> None:
        session = await start_session(make_sandbox(readonly_paths=[open_directory]))
        shown = ["/", "/usr", "/etc", sys.base_prefix, *site.getsitepackages(), str(open_directory)]
        written = await probe(session, probes.write_files([*shown, "/mnt/data", "/tmp"]))
        assert all(written[path] != True for path in shown), written  # noqa: E712
        assert written["/mnt/data"] is True
        assert written["/tmp"] is True

    async def test_written_when_writable(
        self, start_session: StartSession, make_sandbox: MakeSandbox, open_directory: Path
    ) -> None:
        sandbox = make_sandbox(readonly_paths=[open_directory], writable_root=True)
        written = await probe(
            await start_session(sandbox), probes.write_files([str(open_directory)])
        )
        assert written[str(open_directory)] is True


class TestProcessLimit:
    async def test_capped(self, start_session: StartSession) -> None:
        session = await start_session(limits=Limits(processes=32))
        assert (await probe(session, probes.fork(100)))["started"] < 32

    async def test_not_capped_without_limits(
        self, start_session: StartSession, make_sandbox: MakeSandbox
    ) -> None:
        session = await start_session(make_sandbox(limits_enforced=False), Limits(processes=32))
        assert (await probe(session, probes.fork(100)))["started"] == 100

    async def test_not_capped_as_root(
        self, start_session: StartSession, make_sandbox: MakeSandbox
    ) -> None:
        """RLIMIT_NPROC does not hold root back: hence the session's own uid."""
        if os.geteuid() != 0:
            pytest.skip("the server is not root")
        session = await start_session(make_sandbox(run_as_root=True), Limits(processes=32))
        assert (await probe(session, probes.fork(100)))["started"] == 100


class TestMemoryLimit:
    async def test_capped(self, start_session: StartSession) -> None:
        session = await start_session(limits=Limits(memory_mb=512))
        assert (await probe(session, probes.allocate(768)))["allocated"] is False

    async def test_not_capped_without_limits(
        self, start_session: StartSession, make_sandbox: MakeSandbox
    ) -> None:
        session = await start_session(make_sandbox(limits_enforced=False), Limits(memory_mb=512))
        assert (await probe(session, probes.allocate(768)))["allocated"] is True


class TestDataLimit:
    LIMITS = Limits(data_bytes=1024 * 1024)

    async def test_one_file_capped(self, start_session: StartSession) -> None:
        session = await start_session(limits=self.LIMITS)
        sizes = await probe(session, probes.write_data(1, 2 * 1024 * 1024))
        assert sizes["/mnt/data/blob-0.bin"] <= self.LIMITS.data_bytes

    async def test_total_capped(self, start_session: StartSession) -> None:
        session = await start_session(limits=self.LIMITS)
        output = await session.run(probes.write_data(4, 512 * 1024))
        assert output.error
        assert "over the limit of 1,048,576; the files this call wrote were removed" in output.logs
        assert output.files == []
        assert await session.files() == []

    async def test_put_capped(self, start_session: StartSession) -> None:
        session = await start_session(limits=self.LIMITS)
        await session.put("half.bin", bytes(512 * 1024))
        await session.put("half.bin", bytes(1024 * 1024))  # replaced: still within
        with pytest.raises(ValueError, match="over the limit of 1,048,576"):
            await session.put("more.bin", b"x")

    async def test_not_capped_without_limits(
        self, start_session: StartSession, make_sandbox: MakeSandbox
    ) -> None:
        session = await start_session(make_sandbox(limits_enforced=False), self.LIMITS)
        await session.put("over.bin", bytes(2 * 1024 * 1024))
        output = await session.run(probes.write_data(4, 512 * 1024))
        assert not output.error
        assert sum(info.size for info in await session.files()) == 4 * 1024 * 1024
        sizes = await probe(session, probes.write_data(1, 2 * 1024 * 1024))
        assert sizes["/mnt/data/blob-0.bin"] == 2 * 1024 * 1024


class TestSyscallFilter:
    async def test_no_new_namespaces(self, start_session: StartSession) -> None:
        found = await probe(await start_session(), probes.NEW_NAMESPACE)
        assert found == {"created": False, "error": os.strerror(1)}

    async def test_created_without_the_filter(
        self, start_session: StartSession, make_sandbox: MakeSandbox
    ) -> None:
        session = await start_session(make_sandbox(filter_syscalls=False))
        assert (await probe(session, probes.NEW_NAMESPACE))["created"] is True
