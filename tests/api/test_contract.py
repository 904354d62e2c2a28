"""The contract test: every operation the OpenAPI document describes is
called on a real server holding the sample ICS, for its answers and its
refusals, and every answer (status, content type, body) is checked against
the document. An undocumented status, content type or member fails; so does
a documented operation nobody called. (That the document lists every route
the server serves, and no other, is tests/unit/server/openapi_routes_test.cc.)
"""

import json

import pytest

PCN, OTHER, PLACE, ICS_ANALYST, ICS_MANAGER, ADMIN = (
    "pcn-manager", "other-pcn-manager", "place-analyst", "ics-analyst", "ics-manager", "admin")


@pytest.fixture(scope="module")
def api(api_as):
    return api_as(PCN)


def latest(ics):
    return ics.months[-1]


def first(ics):
    return ics.months[0]


def practices_of(api, ics, role=PCN):
    answer = api("GET", "/v1/orgs", 200, role, {"period": latest(ics)}).json()
    return [o["code"] for o in answer["organisations"] if o["type"] == "PRACTICE"]


def submitted(api, ics, role=PCN):
    rows = api("GET", "/v1/returns", 200, role, {"period": latest(ics)}).json()["returns"]
    return [r for r in rows if r["state"] == "submitted"]


def test_every_operation_refuses_a_missing_token(api, document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if operation.get("security") == []:
                continue
            api(method.upper(), path, 401, role=None)


def test_the_document_is_served_without_a_token_and_revalidates(api, document):
    answer = api("GET", "/v1/openapi.json", 200, role=None)
    assert answer.json() == document
    api("GET", "/v1/openapi.json", 304, role=None, headers={"If-None-Match": answer.headers["etag"]})
    api("GET", "/v1/openapi.json", 400, role=None, params={"unknown": "1"})


def test_the_dictionary_is_served_without_a_token_and_revalidates(api, ics):
    answer = api("GET", "/v1/dictionary", 200, role=None)
    dictionary = answer.json()
    assert [d["name"] for d in dictionary["datasets"]] == ["workforce", "appointments", "list_size"]
    routes = [e["route"] for e in dictionary["exports"]]
    assert routes == ["/v1/exports/appointments", "/v1/exports/workforce"]
    assert dictionary == json.loads(ics.server("dictionary", "--format", "json"))
    api("GET", "/v1/dictionary", 304, role=None, headers={"If-None-Match": answer.headers["etag"]})
    api("GET", "/v1/dictionary", 400, role=None, params={"format": "csv"})


def test_orgs(api, ics):
    month = latest(ics)
    answer = api("GET", "/v1/orgs", 200, PCN, {"period": month}).json()
    assert answer["code"] == ics.pcn and answer["organisations"][0]["code"] == ics.pcn
    csv = api("GET", "/v1/orgs", 200, ICS_ANALYST, {"period": month, "format": "csv"})
    assert csv.text().startswith("code,name,type,parent,valid_from,valid_to")
    api("GET", "/v1/orgs", 304, PCN, {"period": month},
        headers={"If-None-Match": api("GET", "/v1/orgs", 200, PCN, {"period": month}).headers["etag"]})
    api("GET", "/v1/orgs", 400, PCN, {})
    api("GET", "/v1/orgs", 400, PCN, {"period": "2026-13"})
    api("GET", "/v1/orgs", 400, PCN, {"period": month, "code": "not a code"})
    api("GET", "/v1/orgs", 400, PCN, {"period": month, "format": "xml"})
    api("GET", "/v1/orgs", 403, PCN, {"period": month, "code": ics.other_pcn})
    api("GET", "/v1/orgs", 404, PCN, {"period": month, "code": "U99999"})


def test_rollups(api, ics):
    month = latest(ics)
    rows = api("GET", "/v1/rollups", 200, PCN, {"period": month, "level": "pcn"}).json()["rows"]
    assert rows and {r["code"] for r in rows} == {ics.pcn}
    csv = api("GET", "/v1/rollups", 200, PLACE, {"period": month, "format": "csv"})
    assert csv.text().splitlines()[0].startswith("level,code,period,dataset,measure")
    api("GET", "/v1/rollups", 200, ICS_ANALYST, {"period": month, "level": "ics"},
        headers={"Accept": "text/csv"})
    etag = api("GET", "/v1/rollups", 200, PCN, {"period": month}).headers["etag"]
    api("GET", "/v1/rollups", 304, PCN, {"period": month}, headers={"If-None-Match": etag})
    api("GET", "/v1/rollups", 400, PCN, {"level": "nation"})
    api("GET", "/v1/rollups", 400, PCN, {"code": "lower"})
    api("GET", "/v1/rollups", 400, PCN, {"period": month, "version": "1"})
    api("GET", "/v1/rollups", 403, PCN, {"period": month, "code": ics.other_pcn})
    api("GET", "/v1/rollups", 403, PCN, {"level": "ics"})
    api("GET", "/v1/rollups", 404, PCN, {"period": month, "code": "U99999"})
    api("GET", "/v1/rollups", 404, ICS_ANALYST, {"period": month, "basis": "published",
                                                 "version": "99"})


def test_returns_list_and_detail(api, ics):
    month = latest(ics)
    answer = api("GET", "/v1/returns", 200, PCN, {"period": month}).json()
    assert answer["returns"], "the sample's PCN has returns"
    one = answer["returns"][0]
    detail = api("GET", "/v1/returns/detail", 200, PCN,
                 {"practice": one["practice"], "dataset": one["dataset"], "period": month}).json()
    assert detail["practice"] == one["practice"] and detail["revision"] == one["revision"]
    api("GET", "/v1/returns", 400, PCN, {})
    api("GET", "/v1/returns", 400, PCN, {"period": month, "code": "bad code"})
    api("GET", "/v1/returns", 403, PCN, {"period": month, "code": ics.other_pcn})
    api("GET", "/v1/returns", 404, PCN, {"period": month, "code": "U99999"})
    params = {"practice": one["practice"], "dataset": "nonsense", "period": month}
    api("GET", "/v1/returns/detail", 400, PCN, params)
    other = practices_of(api, ics, OTHER)[0]
    api("GET", "/v1/returns/detail", 403, PCN,
        {"practice": other, "dataset": "workforce", "period": month})
    api("GET", "/v1/returns/detail", 404, PCN,
        {"practice": "T99999", "dataset": "workforce", "period": month})


def test_query_and_approve(api, ics):
    month = latest(ics)
    ready = submitted(api, ics)
    assert len(ready) >= 2, "the sample has submitted returns to act on"
    to_query, to_approve = ready[0], ready[1]
    key = {k: to_query[k] for k in ("practice", "dataset", "period")}
    api("POST", "/v1/returns/query", 403, PLACE,
        body={**key, "comment": "why?", "revision": to_query["revision"]})
    api("POST", "/v1/returns/query", 409, PCN,
        body={**key, "comment": "why?", "revision": to_query["revision"] + 7})
    api("POST", "/v1/returns/query", 400, PCN, body=b"not json")
    api("POST", "/v1/returns/query", 400, PCN, params={"practice": key["practice"]},
        body={**key, "comment": "why?", "revision": to_query["revision"]})
    queried = api("POST", "/v1/returns/query", 200, PCN,
                  body={**key, "comment": "Please check the locum hours",
                        "revision": to_query["revision"]}).json()
    assert queried["state"] == "queried"

    key = {k: to_approve[k] for k in ("practice", "dataset", "period")}
    api("POST", "/v1/returns/approve", 400, PCN, body=key)
    api("POST", "/v1/returns/approve", 409, PCN, body={**key, "revision": to_approve["revision"] + 3})
    api("POST", "/v1/returns/approve", 403, OTHER, body={**key, "revision": to_approve["revision"]})
    approved = api("POST", "/v1/returns/approve", 200, PCN,
                   body={**key, "revision": to_approve["revision"]}).json()
    assert approved["state"] == "approved"
    # Approving it again is an illegal move.
    api("POST", "/v1/returns/approve", 409, PCN, body={**key, "revision": to_approve["revision"]})


def test_bulk_approval(api, ics):
    month = latest(ics)
    preview = api("POST", "/v1/returns/approve-bulk/preview", 200, ICS_MANAGER,
                  body={"period": month, "code": ics.other_pcn}).json()
    assert preview["count"] == len(preview["returns"]) > 0
    api("POST", "/v1/returns/approve-bulk/preview", 400, ICS_MANAGER, body={})
    api("POST", "/v1/returns/approve-bulk/preview", 403, PCN,
        body={"period": month, "code": ics.other_pcn})
    stale = [dict(r, revision=r["revision"] + 1) for r in preview["returns"]]
    api("POST", "/v1/returns/approve-bulk", 409, ICS_MANAGER, body={"returns": stale})
    api("POST", "/v1/returns/approve-bulk", 400, ICS_MANAGER, body={"returns": []})
    api("POST", "/v1/returns/approve-bulk", 403, PLACE, body={"returns": preview["returns"]})
    done = api("POST", "/v1/returns/approve-bulk", 200, ICS_MANAGER,
               body={"returns": preview["returns"]}).json()
    assert done["approved"] == preview["count"]


def list_size_record(api, practice, month, role=PCN):
    records = api("GET", "/v1/records", 200, role,
                  {"practice": practice, "dataset": "list_size", "period": month}).json()["records"]
    assert records, f"{practice} has a list size for {month}"
    return records[0]


def test_records_and_corrections(api, ics):
    month = latest(ics)
    practice = practices_of(api, ics)[0]
    record = list_size_record(api, practice, month)
    fields = dict(record["fields"], patients=str(int(record["fields"]["patients"]) + 5))
    body = {"practice": practice, "dataset": "list_size", "fields": fields,
            "base_version": record["version"]}
    api("POST", "/v1/records/correct", 403, PLACE, body=body)
    api("POST", "/v1/records/correct", 400, PCN,
        body=dict(body, fields=dict(fields, patients="many")))
    api("POST", "/v1/records/correct", 400, PCN, body=dict(body, base_version=-1))
    corrected = api("POST", "/v1/records/correct", 200, PCN, body=body).json()
    assert corrected["version"] > record["version"]
    api("POST", "/v1/records/correct", 409, PCN, body=body)  # that version is gone now
    api("GET", "/v1/records", 400, PCN, {"practice": practice, "dataset": "list_size"})
    api("GET", "/v1/records", 403, OTHER,
        {"practice": practice, "dataset": "list_size", "period": month})


def test_conflicts(api, ics):
    """A central correction, then the practice's own change of the same record
    from the older version: both are kept as a conflict until resolved."""
    month = latest(ics)
    practice = practices_of(api, ics)[1]
    record = list_size_record(api, practice, month)
    central = dict(record["fields"], patients=str(int(record["fields"]["patients"]) + 11))
    api("POST", "/v1/records/correct", 200, PCN,
        body={"practice": practice, "dataset": "list_size", "fields": central,
              "base_version": record["version"]})
    # The practice imports a changed list size before hearing of the correction.
    import os
    import tempfile
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
        f.write("EXTRACT_DATE,PRACTICE_CODE,NUMBER_OF_PATIENTS\n")
        f.write(f"{record['fields']['extract_date']},{practice},"
                f"{int(record['fields']['patients']) + 3}\n")
    try:
        ics.agent(practice, "import", f.name, "--dataset", "list_size")
    finally:
        os.unlink(f.name)
    # Delivered but not applied: sync says so with its own status, naming the change.
    synced = ics.agent_run(practice, "sync")
    assert synced.returncode == 6, synced.stderr
    assert "conflict: record: changed centrally" in synced.stderr, synced.stderr
    conflicts = api("GET", "/v1/conflicts", 200, PCN, {"period": month}).json()["conflicts"]
    mine = [c for c in conflicts if c["practice"] == practice]
    assert mine, f"a conflict for {practice}: {conflicts}"
    api("GET", "/v1/conflicts", 400, PCN, {"period": "soon"})
    api("GET", "/v1/conflicts", 403, PCN, {"period": month, "code": ics.other_pcn})
    api("POST", "/v1/conflicts/resolve", 400, PCN, body={"id": mine[0]["id"], "keep": "both"})
    api("POST", "/v1/conflicts/resolve", 403, OTHER, body={"id": mine[0]["id"], "keep": "central"})
    api("POST", "/v1/conflicts/resolve", 404, PCN, body={"id": 987654, "keep": "central"})
    resolved = api("POST", "/v1/conflicts/resolve", 200, PCN,
                   body={"id": mine[0]["id"], "keep": "central"}).json()
    assert resolved["kept"] == "central"


def test_months(api, ics):
    month = first(ics)
    periods = api("GET", "/v1/periods", 200, PCN).json()
    assert {p["period"] for p in periods["periods"]} >= set(ics.months)
    api("GET", "/v1/periods", 400, PCN, {"period": month})
    api("POST", "/v1/periods/close", 403, PCN, body={"period": month})
    api("POST", "/v1/periods/publish", 409, ICS_MANAGER, body={"period": month})  # still open
    closed = api("POST", "/v1/periods/close", 200, ICS_MANAGER, body={"period": month}).json()
    assert closed["state"] == "closed"
    api("POST", "/v1/periods/close", 409, ICS_MANAGER, body={"period": month})
    api("POST", "/v1/periods/close", 400, ICS_MANAGER, body={"period": "August"})
    published = api("POST", "/v1/periods/publish", 200, ADMIN, body={"period": month}).json()
    assert published["version"] == 1
    api("POST", "/v1/periods/publish", 403, ICS_ANALYST, body={"period": month})
    lineage = api("GET", "/v1/periods/lineage", 200, PCN, {"period": month}).json()
    assert lineage["version"] == 1 and lineage["returns"]
    api("GET", "/v1/periods/lineage", 404, PCN, {"period": month, "version": "9"})
    api("GET", "/v1/periods/lineage", 400, PCN, {"period": month, "version": "first"})
    rows = api("GET", "/v1/rollups", 200, PCN,
               {"period": month, "basis": "published", "version": "1"}).json()["rows"]
    assert rows
    reopened = api("POST", "/v1/periods/reopen", 200, ICS_MANAGER, body={"period": month}).json()
    assert reopened["state"] == "open"
    api("POST", "/v1/periods/reopen", 409, ICS_MANAGER, body={"period": month})
    api("POST", "/v1/periods/reopen", 403, PLACE, body={"period": month})


def without_clock(value):
    """`value` without the members that change with the clock alone."""
    if isinstance(value, dict):
        return {k: without_clock(v) for k, v in value.items() if k != "offline_seconds"}
    if isinstance(value, list):
        return [without_clock(v) for v in value]
    return value


def test_every_list_pages_with_limit_and_cursor(api, ics):
    """Pages of any size join up to exactly the whole list, in JSON and CSV."""
    month = latest(ics)
    lists = [("/v1/orgs", "organisations", ICS_ANALYST, {"period": month}),
             ("/v1/rollups", "rows", PCN, {"period": month, "level": "practice"}),
             ("/v1/returns", "returns", PCN, {"period": month}),
             ("/v1/records", "records", PCN, {"practice": practices_of(api, ics)[0],
                                              "dataset": "workforce", "period": month}),
             ("/v1/conflicts", "conflicts", PCN, {"period": month}),
             ("/v1/periods", "periods", PCN, {}),
             ("/v1/periods/lineage", "returns", ICS_ANALYST, {"period": first(ics)}),
             ("/v1/agents", "agents", ADMIN, {})]
    for path, member, role, params in lists:
        whole = api("GET", path, 200, role, params).json()
        assert "next_cursor" not in whole
        items = whole[member]
        limit = max(1, len(items) // 3)
        pages, cursor = [], None
        while True:
            paged = dict(params, limit=str(limit), **({"cursor": cursor} if cursor else {}))
            answer = api("GET", path, 200, role, paged)
            page = answer.json()
            assert len(page[member]) <= limit
            pages += page[member]
            cursor = page["next_cursor"]
            assert answer.headers.get("next-cursor") == cursor
            if cursor is None:
                break
        # An agent's offline_seconds grows as the pages are read (agents, and
        # the agent beside each return): compare the lists without it.
        assert without_clock(pages) == without_clock(items), path
        api("GET", path, 400, role, dict(params, limit="0"))
        api("GET", path, 400, role, dict(params, cursor="next"))
    for path, role, params in [("/v1/rollups", PLACE, {"period": month}),
                               ("/v1/orgs", PLACE, {"period": month})]:
        whole = api("GET", path, 200, role, dict(params, format="csv")).text().splitlines()
        rows, cursor = [], "0"
        while cursor is not None:
            answer = api("GET", path, 200, role, dict(params, format="csv", limit="40",
                                                      cursor=cursor))
            lines = answer.text().splitlines()
            assert lines[0] == whole[0]
            rows += lines[1:]
            cursor = answer.headers.get("next-cursor")
        assert rows == whole[1:], path


def test_findings_and_agents(api):
    answer = api("POST", "/v1/findings/publish", 200, ADMIN).json()
    assert answer["months"] >= 0
    api("POST", "/v1/findings/publish", 403, ICS_MANAGER)
    agents = api("GET", "/v1/agents", 200, ADMIN).json()["agents"]
    assert agents
    api("GET", "/v1/agents", 403, ICS_ANALYST)
    api("GET", "/v1/agents", 400, ADMIN, {"practice": "T01100"})


def test_exports_and_feed(api, ics):
    """Each once for its answer and its refusals; tests/api/test_exports.py and
    test_feed.py check what they hold."""
    month = latest(ics)
    for dataset in ("appointments", "workforce"):
        path = f"/v1/exports/{dataset}"
        api("GET", path, 200, PCN, {"period": month})
        api("GET", path, 200, ICS_ANALYST, {"period": month, "basis": "approved"})
        api("GET", path, 400, PCN, {"period": month, "basis": "newest"})
        api("GET", path, 403, PLACE, {"period": month, "code": ics.ics})
        api("GET", path, 404, PCN, {"period": month, "code": "U99999"})
    page = api("GET", "/v1/feed", 200, ICS_MANAGER, {"limit": "50"}).json()
    assert len(page["changes"]) == 50 and page["more"]
    api("GET", "/v1/feed", 200, ADMIN, {"cursor": page["next_cursor"], "limit": "5",
                                        "format": "ndjson"})
    api("GET", "/v1/feed", 400, ICS_ANALYST, {"cursor": "start"})
    api("GET", "/v1/feed", 403, PCN)


def test_every_documented_operation_was_called_and_answered(contract, document):
    """Runs last: each operation was called and succeeded at least once."""
    for path, item in document["paths"].items():
        for method in item:
            statuses = {s for (m, p, s) in contract.seen if m == method.upper() and p == path}
            assert any(200 <= s < 300 for s in statuses), (
                f"{method.upper()} {path} was never answered with success (saw {statuses})")
