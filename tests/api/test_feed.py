"""The change feed, for the ICS roles: every accepted change in commit order,
resumable and exactly once. The acceptance test runs the Python example's
follower (examples/analysis/tributary.py follow) as a real consumer, kills it
with SIGKILL at random points — between pages and in the middle of applying
one — and starts it again from its stored cursor, while the server keeps
changing; at the end its table holds exactly the server's records, and every
change was applied exactly once."""

import json
import os
import random
import signal
import sqlite3
import subprocess
import tempfile

import pytest

from support import ROOT

EXAMPLE = os.path.join(ROOT, "examples", "analysis", "tributary.py")


@pytest.fixture(scope="module")
def api(api_as):
    return api_as("ics-analyst")


def whole_feed(api, ics, client, limit=10000, at_most=None):
    """The feed from the beginning, `limit` a page, to its end or `at_most`.
    The contract checks the first page; the rest are read raw, since
    validating some 10^5 changes in Python costs half a minute."""
    changes, cursor = [], None
    while at_most is None or len(changes) < at_most:
        params = {"limit": str(limit)}
        if cursor:
            params["cursor"] = cursor
        if not changes:
            response = api("GET", "/v1/feed", 200, params=params)
        else:
            response = client.call("GET", "/v1/feed", params=params,
                                   token=ics.tokens["ics-analyst"])
            assert response.status == 200, response.body[:300]
        page = response.json()
        changes += page["changes"]
        assert page["next_cursor"] and (not page["changes"] or
                                        page["changes"][-1]["cursor"] == page["next_cursor"])
        cursor = page["next_cursor"]
        if not page["more"]:
            break
    return changes, cursor


def server_records(api, ics):
    """Every record the server holds in the ICS, by the records route."""
    held = {}
    for month in ics.months:
        orgs = api("GET", "/v1/orgs", 200, params={"period": month}).json()["organisations"]
        for practice in [o["code"] for o in orgs if o["type"] == "PRACTICE"]:
            for dataset in ("workforce", "appointments", "list_size"):
                answer = api("GET", "/v1/records", 200, params={
                    "practice": practice, "dataset": dataset, "period": month}).json()
                for r in answer["records"]:
                    held[(practice, dataset, r["key"])] = (r["fields"], r["version"])
    return held


def test_the_feed_is_in_commit_order_and_pages_join_up(api, ics, client):
    changes, _ = whole_feed(api, ics, client)
    kinds = {c["kind"] for c in changes}
    assert {"record", "return"} <= kinds, kinds
    positions = [tuple(int(x) for x in c["cursor"].split(".")) for c in changes]
    assert positions == sorted(positions) and len(set(positions)) == len(positions)
    # Small pages give exactly the same changes as one big one.
    small, _ = whole_feed(api, ics, client, limit=7, at_most=700)
    assert small == changes[:len(small)]
    # NDJSON: the same changes, a line each, the next cursor in the header.
    first = api("GET", "/v1/feed", 200, params={"limit": "25", "format": "ndjson"})
    lines = [json.loads(line) for line in first.text().splitlines()]
    assert lines == changes[:25]
    assert first.headers["next-cursor"] == changes[24]["cursor"]


def test_refusals(api, ics):
    api("GET", "/v1/feed", 403, role="pcn-manager")
    api("GET", "/v1/feed", 403, role="place-analyst")
    api("GET", "/v1/feed", 400, params={"cursor": "yesterday"})
    api("GET", "/v1/feed", 400, params={"cursor": "1.-2"})
    api("GET", "/v1/feed", 400, params={"limit": "0"})
    api("GET", "/v1/feed", 400, params={"limit": "100001"})
    api("GET", "/v1/feed", 400, params={"format": "xml"})
    api("GET", "/v1/feed", 400, params={"since": "0"})
    api("GET", "/v1/feed", 409, params={"cursor": "999999999.0"})


def test_a_central_correction_appears_like_any_change(api, ics, client):
    _, cursor = whole_feed(api, ics, client)
    month = ics.months[-1]
    orgs = api("GET", "/v1/orgs", 200, params={"period": month, "code": ics.pcn}).json()
    practice = [o["code"] for o in orgs["organisations"] if o["type"] == "PRACTICE"][-1]
    record = api("GET", "/v1/records", 200, params={
        "practice": practice, "dataset": "list_size", "period": month}).json()["records"][0]
    fields = dict(record["fields"], patients=str(int(record["fields"]["patients"]) + 1))
    version = api("POST", "/v1/records/correct", 200, role="ics-manager", body={
        "practice": practice, "dataset": "list_size", "fields": fields,
        "base_version": record["version"]}).json()["version"]
    page = api("GET", "/v1/feed", 200, params={"cursor": cursor}).json()
    mine = [c for c in page["changes"] if c["kind"] == "record"]
    assert mine == [{
        "kind": "record", "practice": practice, "dataset": "list_size", "period": month,
        "key": record["key"], "operation": "upsert", "fields": fields, "version": version,
        "source": "central", "at": mine[0]["at"], "cursor": mine[0]["cursor"]}]
    # The return's new revision follows it.
    moves = [c for c in page["changes"] if c["kind"] == "return"]
    assert moves and moves[0]["practice"] == practice and moves[0]["action"] == "change"


def run_follower(ics, db, token, kill_after_lines=None):
    """Runs the example's follower; with `kill_after_lines`, SIGKILLs it as soon
    as it has reported that many pages (at whatever it is doing by then).
    True when it reported being caught up."""
    env = dict(os.environ, TRIBUTARY_TOKEN=token)
    follower = subprocess.Popen(
        ["/usr/bin/python3", EXAMPLE, "--server", ics.url, "--ca", ics.ca_file, "follow",
         "--db", db, "--limit", "1000"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
        text=True)
    try:
        lines = 0
        for line in follower.stdout:
            if line.strip() == "caught up":
                follower.wait(60)
                assert follower.returncode == 0, follower.stderr.read()
                return True
            lines += 1
            if kill_after_lines is not None and lines >= kill_after_lines:
                follower.send_signal(signal.SIGKILL)
                break
        follower.wait(60)
        if kill_after_lines is None or follower.returncode != -signal.SIGKILL:
            raise AssertionError(f"the follower failed: {follower.stderr.read()}")
        return False
    finally:
        if follower.poll() is None:
            follower.kill()
            follower.wait()
        follower.stdout.close()
        follower.stderr.close()


def test_a_consumer_killed_at_random_points_ends_with_exactly_the_servers_records(api, ics, client):
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    print(f"feed consumer kill seed {seed}")
    token = ics.tokens["ics-analyst"]
    with tempfile.TemporaryDirectory(prefix="tributary-feed.") as work:
        db = os.path.join(work, "ics.sqlite")
        kills = 0
        caught_up = False
        month = ics.months[-1]
        orgs = api("GET", "/v1/orgs", 200, params={"period": month}).json()["organisations"]
        practices = [o["code"] for o in orgs if o["type"] == "PRACTICE"]
        while not caught_up:
            caught_up = run_follower(ics, db, token, kill_after_lines=rng.randint(1, 12))
            kills += 0 if caught_up else 1
            if not caught_up and kills % 3 == 1:
                # The server moves on meanwhile: a central correction.
                practice = rng.choice(practices)
                records = api("GET", "/v1/records", 200, params={
                    "practice": practice, "dataset": "list_size", "period": month}).json()
                r = records["records"][0]
                api("POST", "/v1/records/correct", 200, role="admin", body={
                    "practice": practice, "dataset": "list_size",
                    "fields": dict(r["fields"], patients=str(int(r["fields"]["patients"]) + 2)),
                    "base_version": r["version"]})
        assert kills >= 3, f"the consumer was killed only {kills} times (seed {seed})"
        # One more run: nothing new, nothing applied twice.
        assert run_follower(ics, db, token)

        changes, _ = whole_feed(api, ics, client)
        with sqlite3.connect(db) as local:
            applied = [row[0] for row in local.execute("SELECT cursor FROM applied ORDER BY rowid")]
            held = {(p, d, k): (json.loads(f), v) for p, d, k, f, v in local.execute(
                "SELECT practice, dataset, key, fields, version FROM records")}
        assert applied == [c["cursor"] for c in changes], f"seed {seed}"
        assert held == server_records(api, ics), f"seed {seed}"
