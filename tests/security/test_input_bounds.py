"""Every input is bounded: no lone surrogate, no integer past 64 bits, no endless text or page.

Issue 19: 19 API operations answered 500 to a lone surrogate or to an integer above 2**63. Each
test here sends such an input and expects a 4xx with a reason (or, on pages, a normal page).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from lantern.accounts.models import Role
from lantern.edges.bounds import PAGE_MAX, TEXT_MAX
from tests import factories

HUGE = 10**20


@pytest.fixture
def api(db: Any, settings: Any) -> Client:
    """A supervisor of ngo-one signed in by a token issued against their second factor."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    factories.agency("ngo-one")
    factories.user("sup", Role.SUPERVISOR)
    raw = factories.api_token("sup")  # issued against a current code from the authenticator
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", raise_request_exception=False)


def _post(client: Client, path: str, body: str) -> Any:
    return client.post(path, data=body.encode(), content_type="application/json")


def _detail(response: Any) -> str:
    return json.dumps(response.json())


SAFE_PLACE = '{"name": "%s", "kind": "shelter", "address": "1 Road", "capacity": %s}'


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/safe-places", SAFE_PLACE % ("\\ud800", "4")),
        ("/api/intake/search", '{"given_name": "A", "identity_number": "\\ud800"}'),
        ("/api/linkage/search", '{"given_name": "\\udfff x"}'),
        ("/api/linkage/trace", '{"\\ud800": "key, not value"}'),
    ],
)
def test_a_lone_surrogate_in_json_is_refused_with_a_reason(
    api: Client, path: str, body: str
) -> None:
    response = _post(api, path, body)
    assert response.status_code == 400, response.content
    assert "surrogate" in _detail(response)


@pytest.mark.parametrize(
    ("path", "body", "reason"),
    [
        ("/api/safe-places", SAFE_PLACE % ("Home", "1e30"), "64-bit"),
        ("/api/safe-places", SAFE_PLACE % ("Home", str(HUGE)), "64-bit"),
        ("/api/safe-places", SAFE_PLACE % ("Home", "10001"), "capacity"),
        ("/api/intake/search", f'{{"given_name": "A", "age": {HUGE}}}', "64-bit"),
        ("/api/intake/search", '{"given_name": "A", "age": 1000}', "age"),
        ("/api/intake/search", '{"given_name": "A", "age": 121}', "age"),
        ("/api/linkage/search", '{"given_name": "A", "limit": NaN}', "NaN"),
        ("/api/linkage/search", '{"given_name": "A", "limit": 1000000}', "limit"),
    ],
)
def test_numbers_out_of_range_are_refused_with_a_reason(
    api: Client, path: str, body: str, reason: str
) -> None:
    response = _post(api, path, body)
    assert response.status_code in (400, 422), response.content
    assert reason in _detail(response)


@pytest.mark.parametrize(
    "url",
    [
        f"/api/cases/?page={HUGE}",
        f"/api/cases/?page={PAGE_MAX + 1}",
        f"/api/cases/?page_size={HUGE}",
        "/api/cases/?page=1e30",
        f"/api/linkage/review?page={HUGE}",
        f"/api/linkage/review?page_size={HUGE}",
    ],
)
def test_page_number_and_size_are_capped(api: Client, url: str) -> None:
    response = api.get(url)
    assert response.status_code in (400, 422), response.content
    assert "page" in _detail(response)


@pytest.mark.parametrize(
    "url",
    [
        f"/api/cases/{HUGE}",
        "/api/cases/%ED%A0%80",
        f"/api/safe-places/{HUGE}",
        f"/api/cases/{HUGE}/protection",
        f"/api/linkage/review/{HUGE}",
        "/api/screening/checklist?lang=" + "x" * 65,
        "/api/cases/?status=%00",
    ],
)
def test_hostile_path_and_query_values_answer_4xx(api: Client, url: str) -> None:
    assert 400 <= api.get(url).status_code < 500


def test_free_text_is_bounded(api: Client) -> None:
    body = SAFE_PLACE % ("x" * (TEXT_MAX + 1), "4")
    response = _post(api, "/api/safe-places", body)
    assert response.status_code == 422
    assert "name" in _detail(response)
    nul = _post(api, "/api/safe-places", SAFE_PLACE % ("a\\u0000b", "4"))
    assert nul.status_code in (400, 422) and "NUL" in _detail(nul)


def test_the_openapi_document_states_the_bounds(api: Client) -> None:
    doc = api.get("/api/openapi.json").json()
    cases = {p["name"]: p["schema"] for p in doc["paths"]["/api/cases/"]["get"]["parameters"]}
    assert cases["page"]["maximum"] == PAGE_MAX
    assert cases["page_size"]["maximum"] == 500
    place = doc["components"]["schemas"]["SafePlaceIn"]["properties"]
    assert place["name"]["maxLength"] <= TEXT_MAX
    assert place["capacity"]["anyOf"][0]["maximum"] == 10_000
    case_id = doc["paths"]["/api/cases/{case_id}"]["get"]["parameters"][0]["schema"]
    assert case_id["maximum"] == 2**63 - 1


@pytest.mark.parametrize("page", [str(HUGE), "%ED%A0%80", "1e30", "-1", "%00"])
def test_the_case_list_page_survives_any_page_number(
    db: Any, client: Client, tmp_path: Any, settings: Any, page: str
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    factories.agency("ngo-one")
    factories.import_records([factories.record(1, "ngo-one")], tmp_path)
    factories.verified_login(client, factories.user("cw", Role.CASEWORKER))
    assert client.get(f"/cases/?page={page}").status_code == 200
    assert client.get(f"/cases/?page={page}&registered_from=%ED%A0%80").status_code == 200


@pytest.mark.parametrize(
    ("lang", "says"),
    [
        ("en", "bootstrap replicates on this page"),
        ("fr", "répétitions bootstrap sur cette page"),
        ("es", "réplicas bootstrap en esta página"),
    ],
)
def test_a_page_view_asks_for_at_most_200_bootstrap_replicates(
    db: Any, client: Client, settings: Any, lang: str, says: str
) -> None:
    from lantern.audit.models import AuditEntry
    from lantern.monitoring.forms import PAGE_BOOTSTRAP_MAX

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    client.force_login(factories.user("an", Role.ANALYST, agency_code=None, team=None))
    url = "/statistics/estimate/?method=main&level=0.95&bootstrap="
    res = client.get(url + "1000", HTTP_ACCEPT_LANGUAGE=lang)
    assert res.status_code == 200
    html = res.content.decode()
    assert f"{PAGE_BOOTSTRAP_MAX} {says}" in html and "lantern estimate --bootstrap N" in html
    assert not AuditEntry.objects.filter(action="estimate").exists()  # nothing was computed
    assert client.get(url + str(HUGE)).status_code == 200
    assert client.get(url + "%ED%A0%80").status_code == 200


def _unbounded(doc: dict[str, Any], node: dict[str, Any], where: str) -> list[str]:
    while "$ref" in node:
        node = doc["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    found = [f for c in node.get("anyOf", []) for f in _unbounded(doc, c, where)]
    kind = node.get("type")
    if kind in ("integer", "number") and "maximum" not in node:
        found.append(f"{where}: a number with no maximum")
    if kind == "string" and not {"maxLength", "enum", "format"} & set(node):
        found.append(f"{where}: a string with no maxLength")
    if kind == "array":
        found += [] if "maxItems" in node else [f"{where}: a list with no maxItems"]
        found += _unbounded(doc, node.get("items", {}), f"{where}[]")
    for name, prop in node.get("properties", {}).items():
        found += _unbounded(doc, prop, f"{where}.{name}")
    return found


def test_every_number_string_and_list_a_request_carries_is_bounded(api: Client) -> None:
    doc = api.get("/api/openapi.json").json()
    found = []
    for path, item in doc["paths"].items():
        for method, op in item.items():
            for p in op.get("parameters", []):
                where = f"{method.upper()} {path} {p['name']}"
                found += _unbounded(doc, p["schema"], where)
            body = op.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                found += _unbounded(doc, body["schema"], f"{method.upper()} {path} body")
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    "body",
    ["[" * 5000 + "]" * 5000, '{"a":' * 5000 + "1" + "}" * 5000],
    ids=["arrays", "objects"],
)
def test_json_nested_thousands_deep_is_refused_not_a_server_error(
    api: Client, tmp_path: Any, body: str
) -> None:
    """The black-box probe found two operations that parse JSON themselves (screening, and the
    packet inside an import) answering 500 to JSON nested 2,000 deep; every body is refused."""
    import base64

    factories.import_records([factories.record(1, "ngo-one")], tmp_path)
    from lantern.cases.models import Case

    case = Case.objects.get()
    answers = {
        "screenings": _post(api, f"/api/cases/{case.pk}/screenings", body),
        "safe-places": _post(api, "/api/safe-places", body),
        "import": _post(
            api,
            "/api/exchange/import",
            json.dumps({"packet": base64.b64encode(body.encode()).decode()}),
        ),
    }
    codes = {k: r.status_code for k, r in answers.items()}
    assert all(400 <= c < 500 for c in codes.values()), codes


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("method=stepwise&stratify_by=form&bootstrap=200", "bootstrap"),
        ("method=aic&stratify_by=form", "method"),
        ("method=aic&bootstrap=200", "method"),
        ("method=bic&bootstrap=5", "method"),
    ],
)
def test_a_page_view_never_multiplies_its_work_by_strata_and_replicates(
    db: Any, client: Client, settings: Any, query: str, field: str
) -> None:
    """The black-box probe held a worker over 13 minutes with aic by form with 200 replicates
    (each under the 200 cap): strata multiply replicates, a whole-catalogue search both."""
    from lantern.audit.models import AuditEntry

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    client.force_login(factories.user("an", Role.ANALYST, agency_code=None, team=None))
    res = client.get(f"/statistics/estimate/?level=0.95&{query}")
    assert res.status_code == 200
    form = res.context["form"]
    assert field in form.errors and "lantern estimate --bootstrap N" in str(form.errors[field])
    assert not AuditEntry.objects.filter(action="estimate").exists()  # nothing was computed
