"""The API speaks HTTP as clients expect (401 names Bearer, 405 lists what is allowed, the
scheme in any case) and does what its OpenAPI description says: schemathesis generates
requests from the description and checks every answer against it."""

from __future__ import annotations

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from elearn.auth.tokens import create_token
from elearn.extensions import db
from elearn.models import User
from tests.coursekit import sync, write_course

API = "/api/v1"


@pytest.fixture
def manager_token(app, make_user, tmp_path) -> str:
    """A published course, officials in two communes, and the province manager's API token."""
    write_course(tmp_path / "courses")
    with app.app_context():
        sync(tmp_path / "courses")
    for n, unit in enumerate(("09163", "09163", "09166")):
        make_user(f"cb{n}", unit=unit, category="can_bo")
    manager = make_user("ql", role="manager", unit="27")
    with app.app_context():
        token = create_token(db.session.get(User, manager.id), "schemathesis")
        db.session.commit()
    return token


def _bearer(token: str, scheme: str = "Bearer") -> dict[str, str]:
    return {"Authorization": f"{scheme} {token}"}


def test_a_missing_or_wrong_token_is_a_401_naming_the_bearer_scheme(client, manager_token):
    missing = client.get(f"{API}/me/progress")
    assert missing.status_code == 401 and missing.headers["WWW-Authenticate"] == "Bearer"
    assert missing.json == {"error": "authentication required"}
    wrong = client.get(f"{API}/me/progress", headers={"Authorization": "Bearer el_nope"})
    assert wrong.status_code == 401
    assert wrong.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'


@pytest.mark.parametrize("scheme", ["Bearer", "bearer", "BEARER"])
def test_the_scheme_name_is_case_insensitive(client, manager_token, scheme):
    answer = client.get(
        f"{API}/me/progress", headers={"Authorization": f"{scheme} {manager_token}"}
    )
    assert answer.status_code == 200


def test_a_wrong_method_is_a_405_with_allow(client, manager_token):
    answer = client.post(
        f"{API}/reports/courses", headers={"Authorization": f"Bearer {manager_token}"}
    )
    assert answer.status_code == 405 and "GET" in answer.headers["Allow"]
    assert answer.json["error"]


def test_the_description_covers_every_api_route(app, client):
    document = client.get(f"{API}/openapi.json").json  # public: no token needed
    assert document["openapi"] == "3.1.0"
    routes = {
        re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix(API))
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(API) and rule.endpoint != "api.openapi"
    }
    assert routes == set(document["paths"])


def test_the_api_does_what_its_description_says(app, manager_token):
    schema = schemathesis.openapi.from_wsgi(f"{API}/openapi.json", app)
    headers = {**_bearer(manager_token), "Accept-Encoding": "identity"}  # read as sent
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(
            max_examples=40,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def check(case):
            case.call_and_validate(headers=headers)

        check()
