"""Object ids with OpenAI's prefixes: unguessable, and ordered by creation.

An id is the prefix followed by 22 base62 characters encoding 128 bits: 48 bits of
milliseconds since the epoch, then 80 random bits. Within one millisecond the random part
is incremented, so ids made by one process sort in the order they were made, and string
order equals numeric order (the alphabet is in ASCII order, the width fixed). Lists are
paged on the id alone, which keeps ties on `created_at` stable.
"""

from __future__ import annotations

import re
import secrets
import threading
import time

_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_WIDTH = 22
_RANDOM_BITS = 80

ASSISTANT = "asst_"
FILE = "file-"
THREAD = "thread_"
MESSAGE = "msg_"
RUN = "run_"
STEP = "step_"
VECTOR_STORE = "vs_"
VECTOR_STORE_FILE_BATCH = "vsfb_"
STORAGE_KEY = "blob_"

_lock = threading.Lock()
_last_ms = 0
_last_random = 0


def _encode(value: int) -> str:
    chars = []
    for _ in range(_WIDTH):
        value, digit = divmod(value, 62)
        chars.append(_ALPHABET[digit])
    return "".join(reversed(chars))


def _next_value() -> int:
    global _last_ms, _last_random
    with _lock:
        ms = time.time_ns() // 1_000_000
        if ms <= _last_ms:
            ms = _last_ms
            _last_random += 1 + secrets.randbelow(1 << 16)
        else:
            _last_ms = ms
            _last_random = secrets.randbits(_RANDOM_BITS - 1)
        return (ms << _RANDOM_BITS) | (_last_random & ((1 << _RANDOM_BITS) - 1))


def new(prefix: str) -> str:
    return prefix + _encode(_next_value())


_ID_PATTERN = re.compile(rf"^[0-9A-Za-z]{{{_WIDTH}}}$")


def is_valid(value: str, prefix: str) -> bool:
    """True if `value` has the shape of an id made here with `prefix`."""
    return value.startswith(prefix) and bool(_ID_PATTERN.match(value[len(prefix) :]))
