"""Trusted proxies: which addresses may speak for the client, and who the client then is.

Behind a TLS proxy every connection comes from the proxy, so the audit trail's "from where"
would name the proxy. Only a proxy named in LANTERN_TRUSTED_PROXIES may say who the client is
(X-Forwarded-For); the same list tells gunicorn whose X-Forwarded-Proto to believe. Anyone else
who reaches the port is taken at their own address, whatever headers they send.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from typing import Any

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class ProxyConfigError(ValueError):
    """LANTERN_TRUSTED_PROXIES names something that is not an address or network."""


def parse_trusted(value: str) -> list[Network]:
    """Addresses or networks (``10.0.0.5,10.1.0.0/16``); never ``*``, which would trust anyone."""
    networks = []
    for item in (v.strip() for v in value.split(",")):
        if not item:
            continue
        if item == "*":
            raise ProxyConfigError(
                "LANTERN_TRUSTED_PROXIES may not be '*': name the TLS proxy's addresses"
            )
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError as exc:
            raise ProxyConfigError(
                f"LANTERN_TRUSTED_PROXIES: {item!r} is not an IP address or network"
            ) from exc
    return networks


def _is_trusted(address: str, trusted: list[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in net for net in trusted)


def client_address(peer: str, forwarded_for: str, trusted: list[Network]) -> str:
    """The client as the nearest untrusted hop: read X-Forwarded-For from the right.

    Each trusted proxy appends the address it saw, so the rightmost entry that is not itself a
    trusted proxy is the first address no one we trust could have made up. A peer that is not
    trusted is the client, whatever it forwards.
    """
    if not forwarded_for or not _is_trusted(peer, trusted):
        return peer
    for hop in reversed(forwarded_for.split(",")):
        hop = hop.strip()
        if not _is_trusted(hop, trusted):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer  # a garbled entry: the proxy is all we know
    return peer


def behind_proxies(app: WSGIApp, trusted: list[Network]) -> WSGIApp:
    """Wrap ``app`` so REMOTE_ADDR is the client's address when a trusted proxy forwarded it."""

    def wrapped(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        environ["REMOTE_ADDR"] = client_address(
            environ.get("REMOTE_ADDR", ""), environ.get("HTTP_X_FORWARDED_FOR", ""), trusted
        )
        return app(environ, start_response)

    return wrapped
