"""Command line: `serve` (migrate, then serve the API, drive runs and ingest files), `worker`
(drive runs and ingest files only), `migrate`, `settings`."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import logging
import os
import sys

from assistants_server import __version__
from assistants_server.config import Settings

logger = logging.getLogger("assistants_server")


def _settings_help() -> str:
    lines = ["settings (environment variables; every one has a working default):"]
    for name, field in Settings.model_fields.items():
        default = field.default if field.default not in (None, "") else "unset"
        lines.append(f"  ASSISTANTS_{name.upper():<22} {field.description} (default: {default})")
    return "\n".join(lines)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from assistants_server.app import create_app
    from assistants_server.db.migrate import upgrade_to_head

    settings = Settings()
    if not settings.auth_required:
        if not _is_loopback(args.host) and not args.insecure_no_auth:
            logger.error(
                "refusing to listen on %s without API keys: set ASSISTANTS_API_KEYS, "
                "listen on 127.0.0.1, or pass --insecure-no-auth",
                args.host,
            )
            return 2
        logger.warning(
            "no ASSISTANTS_API_KEYS set: any bearer key is accepted, and all requests share "
            "one tenant%s",
            "" if _is_loopback(args.host) else " (--insecure-no-auth: open to the network!)",
        )
    upgrade_to_head(settings.database_url)
    logger.info("database migrated; serving on http://%s:%d/v1", args.host, args.port)
    uvicorn.run(
        create_app(settings, with_executor=not args.no_worker),
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        log_config=None,  # uvicorn's lines go through the root handler (logs.configure)
        timeout_graceful_shutdown=10,
    )
    return 0


def _worker(args: argparse.Namespace) -> int:
    """Drive queued runs and ingest queued files until SIGINT or SIGTERM, with no API:
    workers scale apart from the API processes on a shared (PostgreSQL) database."""
    import asyncio
    import signal

    from assistants_server.state import open_state

    settings = Settings()

    async def work() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        if not await _migrated(settings.database_url, stop):
            return
        if args.metrics_port:
            from prometheus_client import start_http_server

            start_http_server(args.metrics_port, addr=args.metrics_host)
        async with open_state(settings, with_executor=True):
            logger.info(
                "worker started: driving up to %d runs at once", settings.max_concurrent_runs
            )
            await stop.wait()
        logger.info("worker stopped")

    asyncio.run(work())
    return 0


async def _migrated(database_url: str, stop: asyncio.Event) -> bool:
    """Wait until the database is migrated (`serve` or `migrate` does it), saying once what
    to run; False if stopped first."""
    from assistants_server.db.migrate import is_at_head

    said = False
    while not await is_at_head(database_url):
        if not said:
            said = True
            logger.warning(
                "the database is not migrated to this version (or not reachable yet): run "
                "`assistants-server migrate`, or start `assistants-server serve` once; waiting"
            )
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 2.0)
        if stop.is_set():
            return False
    if said:
        logger.info("the database is migrated: starting")
    return True


def _migrate(args: argparse.Namespace) -> int:
    from assistants_server.db.migrate import upgrade_to_head

    upgrade_to_head(Settings().database_url)
    return 0


def _show_settings(args: argparse.Namespace) -> int:
    settings = Settings()
    for name in Settings.model_fields:
        value = getattr(settings, name)
        if name in ("api_keys", "llm_api_key") and value:
            value = "(set)"
        print(f"ASSISTANTS_{name.upper()}={value if value is not None else ''}")  # noqa: T201
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="assistants-server",
        description="A self-hosted, drop-in backend for the OpenAI Assistants API.",
        epilog=_settings_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=__version__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser(
        "serve",
        help="migrate the database to head, then serve the API under /v1",
        description="Migrate the database to head, then serve the API under /v1 "
        "(GET /healthz answers when it is up).",
        epilog=_settings_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    serve.add_argument(
        "--port", type=int, default=8000, help="port to listen on (default: %(default)s)"
    )
    serve.add_argument(
        "--insecure-no-auth",
        action="store_true",
        help="allow a non-loopback address without ASSISTANTS_API_KEYS (anyone can connect)",
    )
    serve.add_argument(
        "--no-worker",
        action="store_true",
        help="serve the API only; runs and files are handled by `assistants-server worker`",
    )
    serve.add_argument(
        "--log-level",
        default="info",
        choices=["debug", "info", "warning", "error"],
        help="the least important messages logged (default: %(default)s)",
    )
    serve.set_defaults(handler=_serve)

    worker = commands.add_parser(
        "worker",
        help="drive runs and ingest files without serving the API (scale apart from the API)",
        description="Claim and drive queued runs, and ingest files added to vector stores, "
        "from the database until stopped. The "
        "database must be migrated (`serve` or `migrate` does it).",
        epilog=_settings_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    worker.add_argument(
        "--metrics-port",
        type=int,
        default=0,
        help="serve this worker's Prometheus metrics at http://HOST:PORT/metrics (default: none)",
    )
    worker.add_argument("--metrics-host", default="127.0.0.1", help="the address of --metrics-port")
    worker.set_defaults(handler=_worker)

    migrate = commands.add_parser("migrate", help="migrate the database to head and exit")
    migrate.set_defaults(handler=_migrate)

    show = commands.add_parser("settings", help="print the settings in effect (keys hidden)")
    show.set_defaults(handler=_show_settings)
    return parser


def main(argv: list[str] | None = None) -> None:
    from assistants_server import logs, tracing

    logs.configure(os.environ.get("ASSISTANTS_LOG_FORMAT", "text"))
    args = build_parser().parse_args(argv)
    tracing.setup("assistants-server")
    try:
        code = args.handler(args)
    finally:
        tracing.shutdown()
    sys.exit(code)
