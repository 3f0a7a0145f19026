"""A seccomp filter for the sandbox (classic BPF, as bwrap's `--seccomp FD` takes it).

It refuses (EPERM) what sandboxed code never needs and kernels have often been attacked through:
new namespaces (`unshare`, `setns`, `clone` with a CLONE_NEW* flag; bwrap's `--disable-userns`
needs the sandbox in a user namespace, which it is not when the server runs as root), eBPF,
userfaultfd, perf events, the kernel keyring and io_uring. `clone3` gets ENOSYS, its flags being
out of the filter's reach; C libraries then fall back to `clone`. Other architectures' calls
(i386 and x32 on x86_64) are refused. Supported: x86_64 and aarch64; elsewhere `syscall_filter()`
is None and no filter is installed.
"""

from __future__ import annotations

import errno
import platform
import struct

_LOAD_WORD = 0x20  # BPF_LD | BPF_W | BPF_ABS
_JUMP_EQUAL = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
_JUMP_AT_LEAST = 0x35  # BPF_JMP | BPF_JGE | BPF_K
_JUMP_ANY_BIT = 0x45  # BPF_JMP | BPF_JSET | BPF_K
_RETURN = 0x06  # BPF_RET | BPF_K

_ALLOW = 0x7FFF0000
_ERRNO = 0x00050000
_ARCH_OFFSET, _NUMBER_OFFSET, _FIRST_ARGUMENT_OFFSET = 4, 0, 16  # in struct seccomp_data
_X32_BIT = 0x40000000

# CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET; unshare also NEWTIME
_CLONE_NAMESPACES = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000
_CLONE_NAMESPACES |= 0x20000000 | 0x40000000
_UNSHARE_NAMESPACES = _CLONE_NAMESPACES | 0x00000080

_REFUSED = [
    "setns",
    "bpf",
    "userfaultfd",
    "perf_event_open",
    "keyctl",
    "add_key",
    "request_key",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
]

_ARCHITECTURES = {
    # machine: (AUDIT_ARCH_*, syscall numbers)
    "x86_64": (
        0xC000003E,
        {
            "clone": 56, "unshare": 272, "clone3": 435, "setns": 308, "bpf": 321,
            "userfaultfd": 323, "perf_event_open": 298, "keyctl": 250, "add_key": 248,
            "request_key": 249, "io_uring_setup": 425, "io_uring_enter": 426,
            "io_uring_register": 427,
        },
    ),
    "aarch64": (
        0xC00000B7,
        {
            "clone": 220, "unshare": 97, "clone3": 435, "setns": 268, "bpf": 280,
            "userfaultfd": 282, "perf_event_open": 241, "keyctl": 219, "add_key": 217,
            "request_key": 218, "io_uring_setup": 425, "io_uring_enter": 426,
            "io_uring_register": 427,
        },
    ),
}  # fmt: skip


def syscall_filter() -> bytes | None:
    """The compiled filter for this machine, or None where it is not supported."""
    machine = platform.machine()
    if machine not in _ARCHITECTURES:
        return None
    arch, numbers = _ARCHITECTURES[machine]
    refuse = _ERRNO | errno.EPERM
    program: list[tuple[int, int, int, int]] = [
        (_LOAD_WORD, 0, 0, _ARCH_OFFSET),
        (_JUMP_EQUAL, 1, 0, arch),
        (_RETURN, 0, 0, refuse),
        (_LOAD_WORD, 0, 0, _NUMBER_OFFSET),
    ]
    if machine == "x86_64":
        program += [(_JUMP_AT_LEAST, 0, 1, _X32_BIT), (_RETURN, 0, 0, refuse)]
    program += [(_JUMP_EQUAL, 0, 1, numbers["clone3"]), (_RETURN, 0, 0, _ERRNO | errno.ENOSYS)]
    for name in _REFUSED:
        program += [(_JUMP_EQUAL, 0, 1, numbers[name]), (_RETURN, 0, 0, refuse)]
    for name, flags in (("clone", _CLONE_NAMESPACES), ("unshare", _UNSHARE_NAMESPACES)):
        program += [
            (_JUMP_EQUAL, 0, 4, numbers[name]),
            (_LOAD_WORD, 0, 0, _FIRST_ARGUMENT_OFFSET),  # the flags' low 32 bits
            (_JUMP_ANY_BIT, 0, 1, flags),
            (_RETURN, 0, 0, refuse),
            (_RETURN, 0, 0, _ALLOW),
        ]
    program.append((_RETURN, 0, 0, _ALLOW))
    return b"".join(struct.pack("=HBBI", *instruction) for instruction in program)
