"""The contract checker itself refuses what the contract test must catch:
an undocumented status, content type, member, or missing required member,
and a body on a 304. No server needed."""

import json

import pytest

from support import Contract, Response

DOCUMENT = {
    "openapi": "3.1.0",
    "paths": {"/v1/things": {"get": {"responses": {
        "200": {"description": "ok", "content": {"application/json": {"schema": {
            "$ref": "#/components/schemas/Things"}}}},
        "304": {"description": "not modified"},
        "404": {"$ref": "#/components/responses/NotFound"}}}}},
    "components": {
        "schemas": {"Things": {"type": "object", "additionalProperties": False,
                               "required": ["things"],
                               "properties": {"things": {"type": "array",
                                                         "items": {"type": "integer"}}}}},
        "responses": {"NotFound": {"description": "no", "content": {
            "application/problem+json": {"schema": {"type": "object", "required": ["code"]}}}}}},
}


def answer(status, body, content_type="application/json"):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return Response(status, {"content-type": content_type}, data)


def test_a_documented_answer_passes():
    contract = Contract(DOCUMENT)
    contract.check("GET", "/v1/things", answer(200, {"things": [1, 2]}))
    contract.check("GET", "/v1/things", answer(404, {"code": "not_found"},
                                               "application/problem+json"))
    contract.check("GET", "/v1/things", answer(304, b""))
    assert ("GET", "/v1/things", 200) in contract.seen


@pytest.mark.parametrize("response, why", [
    (answer(201, {"things": []}), "does not list"),
    (answer(200, {"things": []}, "text/csv"), "documented"),
    (answer(200, {"things": [], "extra": 1}), "Additional properties"),
    (answer(200, {}), "'things' is a required property"),
    (answer(200, {"things": ["one"]}), "is not of type 'integer'"),
    (answer(404, {"code": "x"}), "documented"),
    (answer(304, b"{}"), "has a body"),
])
def test_an_undocumented_answer_fails(response, why):
    with pytest.raises(AssertionError, match=why):
        Contract(DOCUMENT).check("GET", "/v1/things", response)


def test_an_undocumented_route_or_method_fails():
    with pytest.raises(AssertionError, match="not in the document"):
        Contract(DOCUMENT).check("GET", "/v1/other", answer(200, {}))
    with pytest.raises(AssertionError, match="not in the document"):
        Contract(DOCUMENT).check("POST", "/v1/things", answer(200, {}))
