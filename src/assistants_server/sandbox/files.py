"""A session's /mnt/data as the host sees it, handled without trusting what the code left there.

The code can plant symbolic links, FIFOs or directories swapped under our feet; the server
(possibly root) must never follow them out of the directory. So every path is walked one
component at a time from a directory fd with O_NOFOLLOW, listing uses `os.fwalk`, and only
regular files are read, written or counted. Blocking: call these from a thread.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from assistants_server.sandbox.base import FileInfo

MOUNT_POINT = "/mnt/data"

_DIRECTORY = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_NO_SURPRISES = os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC  # no links, no waiting on a FIFO


def relative_name(name: str) -> str:
    """`name` as FileInfo names it; ValueError if it is not a file name under /mnt/data."""
    return "/".join(_parts(name))


def _parts(name: str) -> list[str]:
    """The path components of `name` (relative to /mnt/data, or absolute under it)."""
    relative = name.removeprefix(MOUNT_POINT + "/") if name.startswith("/") else name
    parts = relative.split("/")
    if "\0" in relative or relative.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise ValueError(f"{name!r} is not a file name under {MOUNT_POINT}")
    return parts


class DataDir:
    """The host directory mounted at /mnt/data. `owner` (uid, gid): who files put in belong to,
    when the server is root and the sandbox runs as another user."""

    def __init__(self, path: Path, owner: tuple[int, int] | None) -> None:
        self.path = path
        self.owner = owner

    def snapshot(self) -> dict[str, FileInfo]:
        """Every regular file, by name."""
        found: dict[str, FileInfo] = {}
        if not self.path.is_dir():  # the session was closed
            return found
        for directory, _, names, directory_fd in os.fwalk(self.path, follow_symlinks=False):
            base = os.path.relpath(directory, self.path)
            for name in names:
                try:
                    info = os.stat(name, dir_fd=directory_fd, follow_symlinks=False)
                except FileNotFoundError:
                    continue
                if stat.S_ISREG(info.st_mode):
                    relative = name if base == "." else f"{base}/{name}"
                    found[relative] = FileInfo(relative, info.st_size, info.st_mtime_ns)
        return found

    def read(self, name: str) -> bytes:
        parts = _parts(name)
        parent = self._open_parent(parts, create=False)
        try:
            fd = _open_regular(parts[-1], os.O_RDONLY, parent, name)
        finally:
            os.close(parent)
        with os.fdopen(fd, "rb") as file:
            return file.read()

    def write(self, name: str, data: bytes) -> None:
        parts = _parts(name)
        parent = self._open_parent(parts, create=True)
        try:
            fd = _open_regular(parts[-1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, parent, name)
        finally:
            os.close(parent)
        with os.fdopen(fd, "wb") as file:
            if self.owner is not None:
                os.fchown(file.fileno(), *self.owner)
            file.write(data)

    def remove(self, name: str) -> None:
        parts = _parts(name)
        parent = self._open_parent(parts, create=False)
        try:
            os.unlink(parts[-1], dir_fd=parent)
        finally:
            os.close(parent)

    def _open_parent(self, parts: list[str], *, create: bool) -> int:
        fd = os.open(self.path, _DIRECTORY)
        try:
            for part in parts[:-1]:
                if create:
                    self._make_directory(part, fd)
                try:
                    child = os.open(part, _DIRECTORY, dir_fd=fd)
                except FileNotFoundError:
                    raise
                except OSError:  # a link (ELOOP) or not a directory
                    raise ValueError(f"{'/'.join(parts)!r}: {part!r} is not a directory") from None
                os.close(fd)
                fd = child
        except BaseException:
            os.close(fd)
            raise
        return fd

    def _make_directory(self, name: str, parent: int) -> None:
        try:
            os.mkdir(name, 0o755, dir_fd=parent)
        except FileExistsError:
            return
        if self.owner is not None:
            os.chown(name, *self.owner, dir_fd=parent, follow_symlinks=False)


def _open_regular(name: str, flags: int, parent: int, shown: str) -> int:
    try:
        fd = os.open(name, flags | _NO_SURPRISES, 0o644, dir_fd=parent)
    except FileNotFoundError:
        raise
    except OSError:  # a link (ELOOP), a FIFO with no reader (ENXIO), a directory...
        raise ValueError(f"{shown!r} is not a regular file") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise ValueError(f"{shown!r} is not a regular file")
    os.set_blocking(fd, True)
    return fd
