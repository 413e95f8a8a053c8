"""Deterministic hostile inputs for every operation of the OpenAPI document.

Random generation rarely hits the two inputs issue 19 found answering 500: a lone surrogate and
an integer beyond 64 bits. These probes send exactly those, to every parameter and body field of
every operation, so a run says which operations still fail. Used by test_api_fuzz.py and
benchmarks/bench_fuzz.py beside schemathesis' random examples.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

SURROGATE = "\ud800"  # sent as the JSON escape "\ud800", or %ED%A0%80 in a URL
SURROGATE_URL = "%ED%A0%80"
HUGE = 10**20
HUGE_FLOAT = 1e30


@dataclass(frozen=True)
class Probe:
    operation: str  # "POST /api/cases/{case_id}/placements"
    what: str  # which input was made hostile, and how
    method: str
    path: str  # with the query string, already encoded
    body: bytes | None


def _resolve(doc: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = doc["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    if "allOf" in node and len(node["allOf"]) == 1:
        return _resolve(doc, node["allOf"][0])
    if "anyOf" in node:
        choices = [c for c in node["anyOf"] if c.get("type") != "null"]
        return _resolve(doc, choices[0]) if choices else {"type": "null"}
    return node


def _example(doc: dict[str, Any], node: dict[str, Any], depth: int = 0) -> Any:
    """A plausible value for a schema: every property filled, enums at their first value."""
    node = _resolve(doc, node)
    if "enum" in node:
        return node["enum"][0]
    kind = node.get("type")
    if kind == "object" or "properties" in node:
        props = node.get("properties", {})
        return {k: _example(doc, v, depth + 1) for k, v in props.items()} if depth < 6 else {}
    if kind == "array":
        return [_example(doc, node.get("items", {}), depth + 1)]
    if kind == "integer":
        return max(1, node.get("minimum", 1))
    if kind == "number":
        return 1.0
    if kind == "boolean":
        return True
    if kind == "string":
        fmt = node.get("format")
        return {"date": "2025-01-01", "date-time": "2025-01-01T00:00:00Z"}.get(fmt, "x")
    return None


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _url_value(v: Any) -> str:
    return SURROGATE_URL if v == SURROGATE else quote(str(v), safe="")


def _request(
    template: str, params: list[Any], base: dict[str, Any], values: dict[str, Any], payload: Any
) -> tuple[str, bytes | None]:
    """The URL (path and the query values that differ from ``base``) and the JSON body."""
    path, query = template, []
    for p in params:
        v = values[p["name"]]
        if p["in"] == "path":
            path = path.replace("{" + p["name"] + "}", _url_value(v))
        elif p["in"] == "query" and (p.get("required") or v != base[p["name"]]):
            query.append(f"{p['name']}={_url_value(v)}")
    url = path + ("?" + "&".join(query) if query else "")
    return url, None if payload is None else json.dumps(payload).encode()


def probes(doc: dict[str, Any]) -> Iterator[Probe]:
    """Every operation's hostile variants, one input at a time, after the body as it is."""
    for template, item in doc["paths"].items():
        for method, op in item.items():
            label = f"{method.upper()} {template}"
            params = op.get("parameters", [])
            base = {p["name"]: _example(doc, p.get("schema", {})) for p in params}
            json_body = op.get("requestBody", {}).get("content", {}).get("application/json")
            body = _example(doc, json_body["schema"]) if json_body else None

            def build(values: dict[str, Any], payload: Any) -> tuple[str, bytes | None]:
                return _request(template, params, base, values, payload)  # noqa: B023

            for p in params:
                hostile = [SURROGATE, HUGE] + ([HUGE_FLOAT] if _is_int(base[p["name"]]) else [])
                for bad in hostile:
                    url, raw = build({**base, p["name"]: bad}, body)
                    yield Probe(label, f"{p['in']} {p['name']}={bad!r}", method.upper(), url, raw)
            if body is not None:
                yield Probe(label, "body as is", method.upper(), *build(base, body))
                for where, leaf in _leaves(body):
                    hostile = [SURROGATE] if isinstance(leaf, str) else []
                    hostile += [HUGE, HUGE_FLOAT] if _is_int(leaf) else []
                    hostile += [HUGE_FLOAT] if isinstance(leaf, float) else []
                    for bad in hostile:
                        url, raw = build(base, _put(body, where, bad))
                        yield Probe(label, f"body {where}={bad!r}", method.upper(), url, raw)


def _leaves(value: Any, where: str = "") -> Iterator[tuple[str, Any]]:
    """Each scalar in a JSON value, with its dotted path."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _leaves(v, f"{where}.{k}" if where else k)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _leaves(v, f"{where}.{i}" if where else str(i))
    else:
        yield where, value


def _put(value: Any, where: str, new: Any) -> Any:
    """A copy of ``value`` with the leaf at the dotted path ``where`` replaced."""
    if not where:
        return new
    head, _, rest = where.partition(".")
    if isinstance(value, list):
        i = int(head)
        return [_put(v, rest, new) if j == i else v for j, v in enumerate(value)]
    return {k: _put(v, rest, new) if k == head else v for k, v in value.items()}


def send_all(
    client: Any, doc: dict[str, Any], headers: dict[str, str]
) -> tuple[int, list[tuple[Probe, int]]]:
    """Send every probe through a Django test client; the count and the probes that got 5xx."""
    meta = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()}
    sent, failed = 0, []
    for probe in probes(doc):
        response = client.generic(
            probe.method,
            probe.path,
            data=probe.body or b"",
            content_type="application/json",
            **meta,
        )
        sent += 1
        if response.status_code >= 500:
            failed.append((probe, response.status_code))
    return sent, failed
