#!/usr/bin/python3
"""Reading Tributary's data products from Python: a rollup, an export in
NHS England's shape, and the change feed followed into a local SQLite table.

Every request sends the API token and trusts only the ICS's own CA (the
ca.pem an operator gives you, or GET /v1/ca checked against the fingerprint
`tributary-server init` printed).

  export TRIBUTARY_TOKEN=trb_...            # tributary-server user add prints it
  ./tributary.py --server https://tributary.example.nhs.uk:8443 --ca ca.pem \\
      rollup --period 2026-10 --level pcn
  ./tributary.py ... export appointments --period 2026-10 --code U10010 > gpad.csv
  ./tributary.py ... follow --db ics.sqlite          # an ICS role's token

`follow` applies every change of the feed to ics.sqlite and stores the
feed's cursor in the same transaction, page by page, so it can be stopped or
killed at any moment and started again: it resumes exactly where it left
off, and applies nothing twice. Needs Debian's python3-pandas for `rollup`
and `export`; `follow` needs only the standard library.
"""

import argparse
import json
import os
import sqlite3
import ssl
import sys
import urllib.error
import urllib.parse
import urllib.request


def refused(error):
    """Every refusal is an RFC 9457 problem document with a stable code."""
    try:
        problem = json.loads(error.read() or b"{}")
    except ValueError:
        problem = {}
    sys.exit(f"error [{problem.get('code', error.code)}]: {problem.get('detail', error.reason)}")


class Api:
    def __init__(self, server, token, ca):
        self.server = server.rstrip("/")
        self.token = token
        self.ca = ca
        self.context = ssl.create_default_context(cafile=ca)

    def url(self, path, **params):
        query = urllib.parse.urlencode({k: v for k, v in params.items() if v is not None})
        return f"{self.server}{path}" + (f"?{query}" if query else "")

    def get(self, path, **params):
        request = urllib.request.Request(self.url(path, **params),
                                         headers={"Authorization": "Bearer " + self.token})
        try:
            with urllib.request.urlopen(request, context=self.context, timeout=300) as answer:
                return answer.read(), dict(answer.headers)
        except urllib.error.HTTPError as error:
            refused(error)

    def csv_frame(self, path, **params):
        """A CSV answer as a pandas DataFrame, read by pandas itself."""
        import pandas as pd
        # pandas fetches the URL with urllib, which trusts SSL_CERT_FILE.
        os.environ["SSL_CERT_FILE"] = self.ca
        url = self.url(path, format="csv", **params) if path == "/v1/rollups" else self.url(
            path, **params)
        try:
            return pd.read_csv(url, storage_options={"Authorization": "Bearer " + self.token},
                               keep_default_na=False, dtype=str)
        except urllib.error.HTTPError as error:
            refused(error)


def rollup(api, args):
    frame = api.csv_frame("/v1/rollups", period=args.period, level=args.level, code=args.code)
    frame["value"] = frame["value"].astype(float)
    totals = frame[(frame["staff_group"] == "") & (frame["hcp_type"] == "") &
                   (frame["appt_mode"] == "") & (frame["appt_status"] == "") &
                   (frame["booking_interval"] == "")]
    print(totals.pivot_table(index=["level", "code"], columns="measure", values="value")
          .to_string())


def export(api, args):
    frame = api.csv_frame(f"/v1/exports/{args.dataset}", period=args.period, code=args.code,
                          basis=args.basis)
    frame.to_csv(sys.stdout, index=False)


SCHEMA = """
CREATE TABLE IF NOT EXISTS feed_state (one INTEGER PRIMARY KEY CHECK (one = 1), cursor TEXT);
CREATE TABLE IF NOT EXISTS records (
  practice TEXT, dataset TEXT, key TEXT, period TEXT, fields TEXT, version INTEGER,
  PRIMARY KEY (practice, dataset, key));
CREATE TABLE IF NOT EXISTS returns (
  practice TEXT, dataset TEXT, period TEXT, state TEXT, revision INTEGER,
  PRIMARY KEY (practice, dataset, period));
CREATE TABLE IF NOT EXISTS months (
  ics TEXT, period TEXT, state TEXT, published_version INTEGER, PRIMARY KEY (ics, period));
-- Every change applied, by its cursor: applying one twice would fail here.
CREATE TABLE IF NOT EXISTS applied (cursor TEXT PRIMARY KEY, kind TEXT);
"""


def apply(db, change):
    kind = change["kind"]
    if kind == "record":
        if change["operation"] == "upsert":
            db.execute("INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?, ?)",
                       (change["practice"], change["dataset"], change["key"], change["period"],
                        json.dumps(change["fields"], sort_keys=True), change["version"]))
        else:
            db.execute("DELETE FROM records WHERE practice = ? AND dataset = ? AND key = ?",
                       (change["practice"], change["dataset"], change["key"]))
    elif kind == "return":
        db.execute("INSERT OR REPLACE INTO returns VALUES (?, ?, ?, ?, ?)",
                   (change["practice"], change["dataset"], change["period"], change["to_state"],
                    change["revision"]))
    elif kind == "period":
        db.execute("INSERT INTO months VALUES (?, ?, ?, ?) ON CONFLICT (ics, period) DO UPDATE "
                   "SET state = excluded.state, published_version = "
                   "COALESCE(excluded.published_version, months.published_version)",
                   (change["ics"], change["period"], change["state"], change.get("version")))
    # Kinds this script does not know are skipped, but still counted as seen.
    db.execute("INSERT INTO applied VALUES (?, ?)", (change["cursor"], kind))


def follow(api, args):
    db = sqlite3.connect(args.db, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    db.executescript(SCHEMA)
    row = db.execute("SELECT cursor FROM feed_state").fetchone()
    cursor = row[0] if row else None
    while True:
        body, headers = api.get("/v1/feed", cursor=cursor, limit=args.limit)
        page = json.loads(body)
        # The page and the cursor after it commit together, or not at all.
        db.execute("BEGIN IMMEDIATE")
        for change in page["changes"]:
            apply(db, change)
        db.execute("INSERT OR REPLACE INTO feed_state VALUES (1, ?)", (page["next_cursor"],))
        db.execute("COMMIT")
        cursor = page["next_cursor"]
        print(f"applied {len(page['changes'])} changes; cursor {cursor}", flush=True)
        if not page["more"]:
            print("caught up", flush=True)
            return


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", required=True, help="https://HOST:PORT")
    parser.add_argument("--ca", required=True, help="the ICS's CA certificate (PEM)")
    parser.add_argument("--token", default=os.environ.get("TRIBUTARY_TOKEN"),
                        help="API token (default: $TRIBUTARY_TOKEN)")
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("rollup", help="headline figures as a table")
    p.add_argument("--period"), p.add_argument("--level"), p.add_argument("--code")
    p = commands.add_parser("export", help="an export in NHS England's shape, as CSV")
    p.add_argument("dataset", choices=["appointments", "workforce"])
    p.add_argument("--period", required=True), p.add_argument("--code")
    p.add_argument("--basis", choices=["latest", "approved", "published"])
    p = commands.add_parser("follow", help="apply the change feed to a SQLite file")
    p.add_argument("--db", required=True)
    p.add_argument("--limit", type=int, default=1000)
    args = parser.parse_args()
    if not args.token:
        parser.error("give --token or set TRIBUTARY_TOKEN")
    api = Api(args.server, args.token, args.ca)
    {"rollup": rollup, "export": export, "follow": follow}[args.command](api, args)


if __name__ == "__main__":
    main()
