"""Schemathesis over the OpenAPI schema against a live server: no 5xx, every answer as documented.

Bounded for CI: a fixed number of examples per operation, the coverage phase off, a fixed seed.
Runs on both databases (no marker): `make test` runs it on SQLite and on PostgreSQL.
"""

import pytest
import requests
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from simpatik.projects.services import start_project

EXAMPLES = 12
CONFIG = schemathesis.Config.from_dict(
    {
        "generation": {"max-examples": EXAMPLES, "deterministic": True, "database": "none"},
        "phases": {"coverage": {"enabled": False}},
    }
)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def base_url(live_server):
    # "localhost" tries IPv6 first and costs 0.1 s a request here; the address does not.
    return live_server.url.replace("localhost", "127.0.0.1")


@pytest.fixture
def api_token(base_url, kadis, team, opd):
    """A token for a broad persona, asked of the API itself (it works whatever the token model)."""
    start_project(actor=kadis, nama="Sistem Informasi Kepegawaian", opd=opd)
    answer = requests.post(
        f"{base_url}/api/v1/auth/token/",
        json={"username": kadis.username, "password": "rahasia-123"},
        timeout=10,
    )
    return answer.json()["token"]


@pytest.fixture
def api_schema(base_url, api_token):
    return schemathesis.openapi.from_url(f"{base_url}/api/schema/?format=json", config=CONFIG)


@pytest.fixture
def anonymous_schema(base_url, transactional_db):
    schema = schemathesis.openapi.from_url(f"{base_url}/api/schema/?format=json", config=CONFIG)
    return schema.include(method="GET")


authenticated = schemathesis.pytest.from_fixture("api_schema")
anonymous = schemathesis.pytest.from_fixture("anonymous_schema")


@authenticated.parametrize()
def test_api_as_kadis_answers_every_input_as_documented(case, api_token):
    case.call_and_validate(headers={"Authorization": f"Token {api_token}"}, checks=CHECKS)


@anonymous.parametrize()
def test_api_without_login_answers_every_input_as_documented(case):
    case.call_and_validate(checks=CHECKS)
