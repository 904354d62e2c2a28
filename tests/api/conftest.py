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
