"""What a call printed: collected from the sandbox's log pipe, then cut to `Limits.log_chars`.

The pipe carries fd 1 and 2 of the code and of everything it starts, so the server reads it
all the time (a full pipe would block the code) but keeps only the head of each call's output.
A call's output ends at its sentinel, which the driver writes once the code is done.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass


@dataclass(frozen=True)
class Printed:
    text: str  # the head of the output, decoded
    size: int  # the whole output's size in bytes
    complete: bool  # text is all of it


class LogCollector:
    def __init__(self, keep_bytes: int) -> None:
        self._keep = keep_bytes
        self._head = bytearray()
        self._size = 0
        self._pending = b""  # bytes that may be the start of the sentinel
        self._sentinel = b""
        self._done = asyncio.Event()

    def begin(self, sentinel: bytes) -> None:
        """Start a call's output (what came between calls is dropped)."""
        self._head.clear()
        self._size = 0
        self._pending = b""
        self._sentinel = sentinel
        self._done.clear()

    def feed(self, chunk: bytes) -> None:
        if self._done.is_set():
            return
        window = self._pending + chunk
        end = window.find(self._sentinel) if self._sentinel else -1
        if end >= 0:
            self._keep_bytes(window[:end])
            self._pending = b""
            self._done.set()
            return
        hold = max(len(self._sentinel) - 1, 0)
        self._keep_bytes(window[: len(window) - hold])
        self._pending = window[len(window) - hold :]

    def end_of_stream(self) -> None:
        """The pipe closed (the interpreter is gone): what is pending is output too."""
        if not self._done.is_set():
            self._keep_bytes(self._pending)
            self._pending = b""
            self._done.set()

    async def finished(self, grace: float) -> None:
        """Wait until the call's output is complete (sentinel or end of stream)."""
        try:
            await asyncio.wait_for(self._done.wait(), grace)
        except TimeoutError:
            self.end_of_stream()

    def printed(self) -> Printed:
        size = self._size + len(self._pending)
        return Printed(self._head.decode(errors="replace"), size, len(self._head) == size)

    def _keep_bytes(self, data: bytes) -> None:
        self._size += len(data)
        room = self._keep - len(self._head)
        if room > 0:
            self._head += data[:room]


def compose(printed: Printed, traceback: str, note: str, limit: int) -> str:
    """The logs of a call: output, traceback, then `note` (why it was stopped, if it was).
    Over `limit` characters, the output keeps its head and the traceback its end (what was
    raised), the traceback at least half the room; a note says what was cut."""
    text = printed.text
    if printed.complete and len(text) + len(traceback) <= limit:
        body = text + traceback
    else:
        traceback_room = min(len(traceback), max(limit // 2, limit - len(text)))
        shown = text[: limit - traceback_room]
        body = shown
        if not printed.complete or len(shown) < len(text):
            body += (
                f"\n[Output truncated: the first {len(shown):,} characters of "
                f"{printed.size:,} bytes are shown.]\n"
            )
        if traceback_room < len(traceback):
            body += f"[Traceback truncated: its last {traceback_room:,} characters are shown.]\n"
            traceback = "…" + traceback[len(traceback) - traceback_room + 1 :]
        body += traceback
    if note:
        body += ("" if not body or body.endswith("\n") else "\n") + note
    return body
