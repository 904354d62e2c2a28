"""The fixtures every API test shares: one server with the sample ICS for
the whole run (setting it up costs a minute), stopped and removed at the end,
pass or fail; the OpenAPI contract that checks every answer."""

import json
import os

import pytest

from support import DOCUMENT_PATH, Contract, start_sample_ics, stop_sample_ics


@pytest.fixture(scope="session")
def ics():
    build = os.environ.get("TRIBUTARY_BUILD_DIR")
    if not build:
        pytest.fail("set TRIBUTARY_BUILD_DIR to the build directory (tests/api/run.sh does)")
    sample = start_sample_ics(build)
    try:
        yield sample
    finally:
        stop_sample_ics(sample.work)


@pytest.fixture(scope="session")
def document():
    with open(DOCUMENT_PATH) as f:
        return json.load(f)


@pytest.fixture(scope="session")
def contract(document):
    return Contract(document)


@pytest.fixture(scope="session")
def client(ics):
    return ics.client()


@pytest.fixture(scope="session")
def api_as(ics, client, contract):
    """`api_as(role)`: a caller of the API as `role` by default (a role of
    ics.tokens, or None for no token) that requires the status it is told,
    checks the answer against the contract, and returns it."""
    def make(default_role):
        def call(method, path, status, role=default_role, params=None, body=None,
                 headers=None):
            token = ics.tokens[role] if role else None
            response = client.call(method, path, params=params, body=body, token=token,
                                   headers=headers)
            assert response.status == status, (
                f"{method} {path} {params or ''} {body or ''}: {response.status} "
                f"{response.body[:400]!r}")
            contract.check(method, path, response)
            return response
        return call
    return make
