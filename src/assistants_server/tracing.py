"""OpenTelemetry traces: off unless the `otel` extra is installed and
`OTEL_EXPORTER_OTLP_ENDPOINT` is set (then spans go there over OTLP/HTTP, configured by the
standard `OTEL_*` variables). Off, every function here is a cheap no-op.

Spans: one per HTTP request (opentelemetry-instrumentation-asgi), one per run while a process
drives it, linked to the request that created the run (its `traceparent`, kept on the run, so
the link holds when another process drives it), one per model turn (model, backend, tokens,
time to first token) and one per tool call, inside the run's. The model backend gets the
turn's `traceparent`.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from typing import Any

logger = logging.getLogger(__name__)

_tracer: Any = None  # set by `setup` when tracing is on


def setup(service_name: str) -> None:
    """Turn tracing on if asked for (OTEL_EXPORTER_OTLP_ENDPOINT) and installed."""
    global _tracer
    if not os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") or _tracer is not None:
        return
    try:
        from opentelemetry import trace
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor
    except ImportError:
        logger.warning("OTEL_EXPORTER_OTLP_ENDPOINT is set, but tracing is not installed: "
                       "pip install 'assistants-server[otel]'")  # fmt: skip
        return
    name = os.environ.get("OTEL_SERVICE_NAME", service_name)
    provider = TracerProvider(resource=Resource.create({"service.name": name}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    _tracer = trace.get_tracer("assistants_server")


def enabled() -> bool:
    return _tracer is not None


def shutdown() -> None:
    """Export what is pending (at a process's end)."""
    if _tracer is not None:
        from opentelemetry import trace

        provider: Any = trace.get_tracer_provider()
        provider.shutdown()


def asgi(app: Any) -> Any:
    """`app` with a span per request, when tracing is on."""
    if _tracer is None:
        return app
    from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware

    return OpenTelemetryMiddleware(app)


def traceparent() -> str | None:
    """The current span's W3C `traceparent`, to keep or to send; None when off."""
    carrier: dict[str, str] = {}
    if _tracer is not None:
        from opentelemetry.propagate import inject

        inject(carrier)
    return carrier.get("traceparent")


def inject(headers: dict[str, str]) -> dict[str, str]:
    """`headers` with the current `traceparent` added, when on."""
    parent = traceparent()
    return {**headers, "traceparent": parent} if parent else headers


@contextlib.contextmanager
def span(name: str, *, link: str | None = None, **attributes: Any) -> Iterator[Any]:
    """A span around the block (None when off); `link`: a `traceparent` it follows from."""
    if _tracer is None:
        yield None
        return
    from opentelemetry import trace
    from opentelemetry.propagate import extract

    links = []
    if link:
        linked = trace.get_current_span(extract({"traceparent": link})).get_span_context()
        if linked.is_valid:
            links.append(trace.Link(linked))
    values = {key: value for key, value in attributes.items() if value is not None}
    with _tracer.start_as_current_span(name, links=links, attributes=values) as current:
        yield current


def set_attributes(current: Any, **attributes: Any) -> None:
    if current is not None:
        current.set_attributes({k: v for k, v in attributes.items() if v is not None})
