"""Logging: one line per event, as text or (`ASSISTANTS_LOG_FORMAT=json`) JSON, each carrying
the request and run it belongs to: `request_id` (the response's `x-request-id`), `run_id`,
`thread_id`, and the tenant as a short hash (never the key). Start-up is quiet: libraries log
warnings only."""

from __future__ import annotations

import contextvars
import hashlib
import json
import logging
import time
from typing import Any

CONTEXT_FIELDS = ("request_id", "run_id", "thread_id", "tenant")
_context: contextvars.ContextVar[tuple[tuple[str, str], ...]] = contextvars.ContextVar(
    "log_context", default=()
)
QUIET = (
    "sqlalchemy",
    "alembic",
    "httpx",
    "httpcore",
    "aiohttp",
    "botocore",
    "aiobotocore",
    "urllib3",
    "matplotlib",
    "multipart",
)


def bind(**fields: str | None) -> None:
    """Add fields to the log lines of this task (and those it starts) from now on."""
    current = {**dict(_context.get()), **{k: v for k, v in fields.items() if v is not None}}
    _context.set(tuple(current.items()))


def tenant_hash(tenant_id: str) -> str:
    return hashlib.sha256(tenant_id.encode()).hexdigest()[:12]


class _WithContext(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        for name, value in _context.get():
            setattr(record, name, value)
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in CONTEXT_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                line[name] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        fields = [
            f"{name}={getattr(record, name)}" for name in CONTEXT_FIELDS if hasattr(record, name)
        ]
        return f"{text} [{' '.join(fields)}]" if fields else text


def configure(log_format: str, level: int = logging.INFO) -> None:
    """The root handler, in `log_format` ("text" or "json"); uvicorn's loggers go through it."""
    handler = logging.StreamHandler()
    handler.addFilter(_WithContext())
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(TextFormatter("%(levelname)s [%(name)s] %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
