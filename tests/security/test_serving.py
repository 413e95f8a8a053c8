"""`lantern serve` behind a real TLS proxy: nginx terminates HTTPS in front of gunicorn.

Before, the shipped server (waitress) dropped X-Forwarded-Proto, so behind a proxy every
request looked like plain HTTP: HSTS was never sent, cookies were never Secure, and production
settings redirected to HTTPS forever. Here a throwaway certificate, nginx and gunicorn run on
loopback ports; nginx connects from 127.0.0.2, the only trusted proxy, so the test's own
connections (from 127.0.0.1) straight to gunicorn are an untrusted client forging the header.
"""

from __future__ import annotations

import datetime as dt
import http.client
import ipaddress
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

from lantern.web.proxy import ProxyConfigError, client_address, parse_trusted

# Runs once, in the SQLite pass: the server runs in its own processes on its own SQLite store.
pytestmark = pytest.mark.pure

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PROXY_FROM = "127.0.0.2"  # nginx's outgoing address, the one trusted proxy
TIMEOUT = 10


@dataclass
class Served:
    https_port: int  # nginx, TLS
    app_port: int  # gunicorn, plain HTTP
    tls: ssl.SSLContext
    password: str


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _certificate(folder: Path) -> tuple[Path, Path]:
    """A throwaway self-signed certificate for 127.0.0.1."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "lantern test")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def _nginx_conf(folder: Path, https_port: int, app_port: int, cert: Path, key: Path) -> Path:
    temp = "\n".join(
        f"  {kind}_temp_path {folder / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    user = "user root;" if os.geteuid() == 0 else ""  # workers keep our identity and our files
    conf = folder / "nginx.conf"
    conf.write_text(
        f"""{user}
worker_processes 1;
daemon off;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} warn;
events {{ worker_connections 64; }}
http {{
  access_log off;
{temp}
  server {{
    listen 127.0.0.1:{https_port} ssl;
    ssl_certificate {cert};
    ssl_certificate_key {key};
    location / {{
      proxy_pass http://127.0.0.1:{app_port};
      proxy_bind {PROXY_FROM};
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_read_timeout {TIMEOUT}s;
    }}
  }}
}}
"""
    )
    return conf


def _wait_for(port: int, proc: subprocess.Popen[bytes], log: Path, deadline: float) -> None:
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"exited with {proc.returncode}: {log.read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"nothing listening on {port}: {log.read_text()[-2000:]}")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)  # its own session: gunicorn's or nginx's workers too
        try:
            proc.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=TIMEOUT)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    if not Path(NGINX).exists():
        pytest.fail("nginx is missing: run scripts/ensure-system-deps.sh")
    folder = tmp_path_factory.mktemp("serving")
    https_port, app_port = _free_port(), _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LANTERN_", "DATABASE_URL"))}
    env |= {
        "LANTERN_VAR": str(folder / "var"),
        "LANTERN_TRUSTED_PROXIES": PROXY_FROM,
        "LANTERN_ALLOWED_HOSTS": "127.0.0.1",
    }
    lantern = [sys.executable, "-m", "lantern.cli"]
    made = subprocess.run(
        [*lantern, "user", "add", "analyst-one", "--role", "monitoring_analyst"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert made.returncode == 0, made.stderr[-2000:]
    password = made.stdout.rsplit(": ", 1)[-1].strip()
    cert, key = _certificate(folder)
    conf = _nginx_conf(folder, https_port, app_port, cert, key)
    app_log, proxy_log = folder / "gunicorn.log", folder / "error.log"
    bind = f"127.0.0.1:{app_port}"
    procs = []
    try:
        with app_log.open("wb") as out:
            procs.append(
                subprocess.Popen(
                    [*lantern, "serve", "--bind", bind, "--workers", "1", "--threads", "2"],
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        _wait_for(app_port, procs[-1], app_log, time.monotonic() + 300)
        procs.append(
            subprocess.Popen(
                [NGINX, "-e", str(proxy_log), "-p", str(folder), "-c", str(conf)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        )
        _wait_for(https_port, procs[-1], proxy_log, time.monotonic() + 30)
        tls = ssl.create_default_context(cafile=str(cert))
        yield Served(https_port, app_port, tls, password)
    finally:
        for proc in reversed(procs):
            _stop(proc)


def _through_proxy(
    served: Served, method: str, path: str, body: str = "", headers: dict[str, str] | None = None
) -> http.client.HTTPResponse:
    conn = http.client.HTTPSConnection(
        "127.0.0.1", served.https_port, context=served.tls, timeout=TIMEOUT
    )
    conn.request(method, path, body=body or None, headers=headers or {})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response


def _straight_to_app(
    served: Served, path: str, headers: dict[str, str]
) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", served.app_port, timeout=TIMEOUT)
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    response.read()
    conn.close()
    return response


def _cookies(response: http.client.HTTPResponse) -> SimpleCookie:
    jar: SimpleCookie = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return jar


def test_over_https_the_sign_in_page_answers_with_hsts_and_a_secure_csrf_cookie(
    served: Served,
) -> None:
    r = _through_proxy(served, "GET", "/signin/")
    assert r.status == 200  # not a redirect to itself
    assert r.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    cookie = _cookies(r)["csrftoken"]
    assert cookie["secure"] and cookie["samesite"] == "Lax"


def test_signing_in_over_https_sets_a_secure_session_and_stays_on_https(served: Served) -> None:
    from urllib.parse import urlencode

    page = _through_proxy(served, "GET", "/signin/")
    token = _cookies(page)["csrftoken"].value
    origin = f"https://127.0.0.1:{served.https_port}"
    form = urlencode(
        {"username": "analyst-one", "password": served.password, "csrfmiddlewaretoken": token}
    )
    r = _through_proxy(
        served,
        "POST",
        "/signin/",
        form,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={token}",
            "Referer": f"{origin}/signin/",
            "Origin": origin,
        },
    )
    assert r.status == 302 and r.headers["Location"] == "/"
    session = _cookies(r)["sessionid"]
    assert session["secure"] and session["httponly"]
    home = _through_proxy(served, "GET", "/", headers={"Cookie": f"sessionid={session.value}"})
    assert home.status in (200, 302) and not home.headers.get("Location", "").startswith("http:")


def test_a_forged_forwarded_proto_from_an_untrusted_address_is_plain_http(
    served: Served,
) -> None:
    r = _straight_to_app(
        served,
        "/signin/",
        {"Host": "127.0.0.1", "X-Forwarded-Proto": "https", "X-Forwarded-Ssl": "on"},
    )
    # Not believed: production redirects plain HTTP to HTTPS, and says nothing about HSTS.
    assert r.status == 301 and r.headers["Location"] == "https://127.0.0.1/signin/"
    assert "Strict-Transport-Security" not in r.headers
    assert "Set-Cookie" not in r.headers


def test_only_a_trusted_proxy_names_the_client() -> None:
    trusted = parse_trusted("127.0.0.2, 10.1.0.0/16")
    assert client_address("127.0.0.2", "203.0.113.9", trusted) == "203.0.113.9"
    # the rightmost hop no trusted proxy could have made up; a client's own claim is ignored
    assert client_address("127.0.0.2", "198.51.100.1, 203.0.113.9, 10.1.4.4", trusted) == (
        "203.0.113.9"
    )
    assert client_address("203.0.113.7", "198.51.100.1", trusted) == "203.0.113.7"
    assert client_address("127.0.0.2", "not-an-address", trusted) == "127.0.0.2"
    for bad in ("*", "proxy.example", "10.0.0.300"):
        with pytest.raises(ProxyConfigError, match=re.escape("LANTERN_TRUSTED_PROXIES")):
            parse_trusted(bad)


def test_serve_refuses_production_without_a_trusted_proxy(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LANTERN_", "DATABASE_URL"))}
    env["LANTERN_VAR"] = str(tmp_path / "var")
    base = [sys.executable, "-m", "lantern.cli", "serve", "--bind", "127.0.0.1:1"]
    for extra, reason in (
        ([], "LANTERN_TRUSTED_PROXIES"),
        (["--trusted-proxies", "*"], "may not be '*'"),
    ):
        done = subprocess.run([*base, *extra], env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 2 and reason in done.stderr
    done = subprocess.run(
        [*base[:-1], "0.0.0.0:1", "--plain-http"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and "only on a loopback" in done.stderr
