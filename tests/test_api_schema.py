"""Schemathesis against the app's own OpenAPI spec (/api/openapi.json), in process over ASGI, on
a small store: for every operation, generated valid and invalid requests (signed in as an admin,
so that writes are exercised too) never get a 5xx, and each response has the declared content
type and conforms to its declared schema. A bounded number of examples per operation.

(Schemathesis's pytest integration with a fixture-built schema does not run under pytest 9, so
each operation's hypothesis strategy is driven here directly.)"""
from __future__ import annotations

import warnings

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis.errors import Unsatisfiable  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import content_type_conformance, not_a_server_error, response_schema_conformance  # noqa: E402

from kurultai.store import Store  # noqa: E402
from kurultai.ingest.run import ingest  # noqa: E402
from kurultai.web.app import create_app  # noqa: E402

from .conftest import FIXTURES  # noqa: E402
from .tally import count  # noqa: E402

pytestmark = pytest.mark.tally

DOCS = sorted((FIXTURES / "docs").glob("*.txt"))[:6]
EXAMPLES = 8
CHECKS = [not_a_server_error, content_type_conformance, response_schema_conformance]
SKIPPED = {"POST /api/logout", "POST /api/admin/users/{name}/disable", "POST /api/admin/users/{name}/role"}
"""Operations that would end or demote the login every other case is sent with."""


@pytest.fixture(scope="module")
def api(extractor, tmp_path_factory):
    """The spec of the application over a store of six reports, and an admin's login."""
    store = Store.open(str(tmp_path_factory.mktemp("schema") / "k.db"))
    ingest(store, DOCS, extractor)
    app = create_app(store.url, extractor=extractor)
    login: dict = {"headers": {}, "cookies": {}}
    if any(getattr(route, "path", "") == "/api/login" for route in app.routes):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from fastapi.testclient import TestClient
        from .conftest import sign_in
        with TestClient(app) as client:
            login = {"headers": sign_in(client, store, "admin"), "cookies": dict(client.cookies)}
    yield schemathesis.openapi.from_asgi("/api/openapi.json", app), login
    store.close()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
def test_no_operation_answers_5xx_and_each_answers_as_declared(api, mode):
    schema, login = api
    failures, calls = [], [0]
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        if operation.label in SKIPPED:
            continue

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        def run(case):
            calls[0] += 1
            try:
                response = case.call(headers=login["headers"], cookies=login["cookies"])
            except Exception as error:  # the test client re-raises what the server did not handle: a 500
                failures.append(f"{operation.label}: 500: {type(error).__name__}: {error!s:.300}")
                raise
            try:
                case.validate_response(response, checks=CHECKS)
            except BaseExceptionGroup as error:  # schemathesis's group of failures
                failures.append(f"{operation.label}: {response.status_code}: "
                                + "; ".join(f"{type(e).__name__}: {e!s:.300}" for e in error.exceptions))
                raise

        try:
            run()
        except Unsatisfiable:  # no invalid request exists (an operation without parameters)
            continue
        except (Exception, BaseExceptionGroup):
            continue  # recorded above; the other operations go on
    print(f"\n{mode.value}: {calls[0]} requests over {len(operations)} operations")
    assert calls[0] >= len(operations), calls
    assert not failures, "\n\n".join(failures[:8])
    if mode == GenerationMode.NEGATIVE:
        count("bad inputs", "generated requests that break the API's spec (schemathesis)", calls[0])
