"""`lantern serve`: the production server, gunicorn behind a TLS proxy.

The demo's waitress serves plain HTTP on 127.0.0.1 and drops X-Forwarded-Proto, so behind a
proxy HSTS was never sent and cookies were never Secure. Here gunicorn decides whether a request
came over HTTPS, believing X-Forwarded-Proto only from LANTERN_TRUSTED_PROXIES, and Django runs
in production mode (LANTERN_HTTPS=1): Secure cookies, HSTS, plain HTTP redirected to HTTPS.
"""

from __future__ import annotations

import ipaddress
import os
from typing import Any

import typer
from gunicorn.app.base import BaseApplication

from lantern.web.proxy import Network, ProxyConfigError, WSGIApp, behind_proxies, parse_trusted


def _default_workers() -> int:
    return 2 * (os.cpu_count() or 1) + 1


def _split_bind(bind: str) -> tuple[str, int]:
    """``HOST:PORT`` or ``[IPv6]:PORT``; a TCP address, so the proxy's address can be checked."""
    host, sep, port = bind.rpartition(":")
    host = host.removeprefix("[").removesuffix("]")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise typer.BadParameter(f"{bind!r}: give HOST:PORT, e.g. 127.0.0.1:8000")
    return host, int(port)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def gunicorn_options(
    bind: str, workers: int, threads: int, timeout: int, trusted: list[Network]
) -> dict[str, Any]:
    """The gunicorn settings: no access log (URLs may carry search terms), one scheme header."""
    return {
        "bind": [bind],
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread" if threads > 1 else "sync",
        "timeout": timeout,
        "graceful_timeout": 30,
        "keepalive": 5,
        "preload_app": True,  # workers fork ready to answer, and a respawn is quick
        # Whose X-Forwarded-Proto makes a request https: the named proxies, and nobody else.
        "forwarded_allow_ips": ",".join(str(n) for n in trusted),
        # One header, set by the proxy; a client's X-Forwarded-Ssl cannot contradict it.
        "secure_scheme_headers": {"X-FORWARDED-PROTO": "https"},
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "lantern",
        "control_socket_disable": True,  # no control socket under $HOME
        "umask": 0o077,
    }


class LanternServer(BaseApplication):  # type: ignore[misc]
    """gunicorn running Lantern's WSGI application, configured here rather than from argv."""

    def __init__(self, options: dict[str, Any], trusted: list[Network]) -> None:
        self.options, self.trusted = options, trusted
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> WSGIApp:
        from django.urls import get_resolver

        from lantern.wsgi import application

        # Import every view now, once, in the master (preload_app): the API pulls in the
        # linkage and statistics libraries, tens of seconds that must not land on a first user.
        get_resolver().url_patterns  # noqa: B018
        from django.db import connections

        connections.close_all()  # workers open their own; a forked connection would be shared
        return behind_proxies(application, self.trusted)


def serve(
    bind: str = typer.Option("127.0.0.1:8000", "--bind", help="HOST:PORT to listen on"),
    workers: int = typer.Option(_default_workers(), "--workers", min=1, help="Processes"),
    threads: int = typer.Option(4, "--threads", min=1, help="Threads per process"),
    timeout: int = typer.Option(60, "--timeout", min=5, help="Seconds before a stuck worker"),
    trusted_proxies: str = typer.Option(
        "",
        "--trusted-proxies",
        envvar="LANTERN_TRUSTED_PROXIES",
        help="The TLS proxy's addresses or networks, comma-separated (e.g. 127.0.0.1)",
    ),
    https: bool = typer.Option(
        True, "--https/--plain-http", help="Plain HTTP only on loopback, e.g. for a load test"
    ),
) -> None:
    """Serve Lantern for production with gunicorn, behind a TLS proxy (see SECURITY.md)."""
    host, _ = _split_bind(bind)
    if os.environ.get("LANTERN_DEBUG") == "1":
        _fail("LANTERN_DEBUG=1 shows code and data in error pages; unset it to serve")
    try:
        trusted = parse_trusted(trusted_proxies)
    except ProxyConfigError as exc:
        _fail(str(exc))
    if https and not trusted:
        _fail(
            "behind a TLS proxy, name it: LANTERN_TRUSTED_PROXIES=<its address> "
            "(otherwise every request looks like plain HTTP and is redirected forever)"
        )
    if not https and not _is_loopback(host):
        _fail("--plain-http serves without TLS: only on a loopback address")
    os.environ["LANTERN_HTTPS"] = "1" if https else "0"
    from lantern.boot import setup_django

    setup_django()  # brings SQLite up to date, or stops on an out-of-date PostgreSQL
    from django.conf import settings

    if https and "LANTERN_ALLOWED_HOSTS" not in os.environ:
        typer.echo(
            "warning: LANTERN_ALLOWED_HOSTS is not set; only "
            f"{','.join(settings.ALLOWED_HOSTS)} will be answered",
            err=True,
        )
    scheme = "https via the proxy" if https else "plain http"
    typer.echo(f"lantern: serving on {bind} ({scheme}), {workers} workers", err=True)
    LanternServer(gunicorn_options(bind, workers, threads, timeout, trusted), trusted).run()
