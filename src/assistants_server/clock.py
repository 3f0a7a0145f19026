"""The one source of time, so tests can reason about timestamps."""

import time


def now() -> int:
    """Unix time in whole seconds, as every `*_at` field carries it."""
    return int(time.time())
