"""The reporting views analysts' own tools read on a PostgreSQL store
(`tributary-server postgres grant-reporting`), read as they read them: with
psycopg2 and pandas, with R through DBI (examples/analysis/reporting.R) and
with psql, as the role the command made, and held against the API's own
answers. On SQLite the command is refused."""

import csv
import io
import json
import os
import subprocess

import pytest

from support import ROOT

ON_POSTGRES = bool(os.environ.get("TRIBUTARY_TEST_POSTGRES"))
ROLE = "ics_analyst_reporting_test"
COLUMNS = ["level", "code", "dataset", "measure", "staff_group", "staff_role", "hcp_type",
           "appt_mode", "appt_status", "booking_interval", "value", "practices_covered"]


def grant(ics, *args):
    return subprocess.run([ics.server_bin, "postgres", "grant-reporting", *args, "--data-dir",
                           os.path.join(ics.work, "server")], capture_output=True, text=True,
                          timeout=300)


def analyst_dsn():
    """The test cluster's URL, connecting as the reporting role."""
    with open(os.environ["TRIBUTARY_TEST_POSTGRES"]) as f:
        cluster = f.read().strip()
    assert "tributary@" in cluster
    return cluster.replace("tributary@", ROLE + "@", 1)


def conninfo(dsn):
    """A libpq key=value string for R: the URL's user, database, host and port."""
    from urllib.parse import urlparse, parse_qs
    url = urlparse(dsn)
    query = parse_qs(url.query)
    return (f"user={url.username} dbname={url.path.lstrip('/')} host={query['host'][0]} "
            f"port={query['port'][0]}")


@pytest.fixture(scope="module")
def granted(ics):
    if not ON_POSTGRES:
        pytest.skip("reporting views need a PostgreSQL store: the run on PostgreSQL reads them")
    done = grant(ics, "--role", ROLE, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def api_rollups(ics, month):
    """Every figure of the month at every level, as the API's CSV gives an ICS analyst."""
    lines = set()
    for level in ["practice", "pcn", "place", "ics"]:
        answer = ics.client().call("GET", "/v1/rollups", token=ics.tokens["ics-analyst"],
                                   params={"period": month, "level": level, "format": "csv"})
        assert answer.status == 200, answer.body[:300]
        for row in csv.DictReader(io.StringIO(answer.text(), newline="")):
            lines.add(tuple(row[c] for c in COLUMNS))
    return lines


def test_grant_reporting_is_refused_on_sqlite_with_nothing_changed(ics):
    if ON_POSTGRES:
        pytest.skip("the SQLite run's refusal")
    done = grant(ics, "--role", ROLE)
    assert done.returncode == 5, done.stderr
    assert "error [conflict]: reporting views need a PostgreSQL store" in done.stderr


def test_the_command_says_what_it_made(granted, ics):
    assert granted["role"] == ROLE and granted["created"] is True
    assert granted["ics"] == [ics.ics]
    assert granted["views"] == ["reporting.rollups", "reporting.published_rollups",
                                "reporting.returns", "reporting.orgs"]
    assert granted["refreshed_months"] == len(ics.months)
    # Again: the same role, the same scope, nothing new made.
    again = grant(ics, "--role", ROLE, "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["created"] is False


def test_pandas_reads_the_apis_figures(granted, ics):
    import pandas as pd
    import psycopg2
    month = ics.months[-1]
    with psycopg2.connect(analyst_dsn()) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(c if c != "value" else "value::text AS value"
                                             for c in COLUMNS) +
                       " FROM reporting.rollups WHERE period = %(p)s", {"p": month})
        frame = pd.DataFrame(cursor.fetchall(), columns=COLUMNS)
    viewed = {tuple(str(v) for v in row) for row in frame.itertuples(index=False)}
    expected = api_rollups(ics, month)
    assert len(expected) > 1000
    assert viewed == expected


def test_r_reads_the_views_through_dbi(granted, ics):
    month = ics.months[-1]
    done = subprocess.run(["Rscript", os.path.join(ROOT, "examples", "analysis", "reporting.R"),
                           conninfo(analyst_dsn()), month], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    header = lines.index('"code","measure","value","practices_covered"')
    end = lines.index("", header)  # the CSV ends at the blank line before the returns
    r_rows = list(csv.DictReader(io.StringIO("\n".join(lines[header:end]))))
    answer = ics.client().call("GET", "/v1/rollups", token=ics.tokens["ics-analyst"],
                               params={"period": month, "level": "pcn", "format": "csv"})
    api = {(r["code"], r["measure"]): float(r["value"])
           for r in csv.DictReader(io.StringIO(answer.text(), newline=""))
           if all(r[b] == "" for b in COLUMNS[4:10])}
    assert r_rows and {(r["code"], r["measure"]): float(r["value"]) for r in r_rows} == api
    assert "Returns by state" in done.stdout


def test_psql_reads_returns_and_orgs_and_nothing_else(granted, ics):
    def psql(sql):
        return subprocess.run(["psql", "-XAtq", "-d", analyst_dsn(), "-c", sql],
                              capture_output=True, text=True, timeout=60)
    month = ics.months[-1]
    practices = psql(f"SELECT count(*) FROM reporting.orgs WHERE period = '{month}' "
                     "AND org_type = 'PRACTICE'")
    assert practices.returncode == 0, practices.stderr
    returns = psql(f"SELECT count(*) FROM reporting.returns WHERE period = '{month}'")
    assert int(returns.stdout) == 3 * int(practices.stdout) > 0
    answer = ics.client().call("GET", "/v1/orgs", token=ics.tokens["ics-analyst"],
                               params={"period": month, "format": "csv"})
    listed = list(csv.DictReader(io.StringIO(answer.text(), newline="")))
    assert int(practices.stdout) == sum(1 for o in listed if o["type"] == "PRACTICE")
    assert psql("SHOW default_transaction_read_only").stdout.strip() == "on"
    written = psql("BEGIN READ WRITE; DELETE FROM reporting.orgs")
    assert written.returncode != 0 and "permission denied" in written.stderr
    store = "api_" + "".join(c if c.isalnum() else "_" for c in os.path.basename(ics.work)).lower()
    around = psql(f"SELECT count(*) FROM {store}.records")
    assert around.returncode != 0 and "permission denied" in around.stderr
