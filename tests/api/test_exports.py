"""The exports in NHS England's shapes, read as an analyst would — with the
csv module and with pandas straight from the URL — checked column by column
and against GET /v1/rollups, on each basis."""

import csv
import io
import os

import pandas as pd
import pytest

GPAD = ["APPOINTMENT_MONTH_START_DATE", "GP_CODE", "GP_NAME", "SUPPLIER", "PCN_CODE", "PCN_NAME",
        "SUB_ICB_LOCATION_CODE", "SUB_ICB_LOCATION_NAME", "HCP_TYPE", "APPT_MODE",
        "NATIONAL_CATEGORY", "TIME_BETWEEN_BOOK_AND_APPT", "COUNT_OF_APPOINTMENTS", "APPT_STATUS"]
GPW = ["PRAC_CODE", "PRAC_NAME", "PCN_CODE", "PCN_NAME", "SUB_ICB_CODE", "SUB_ICB_NAME",
       "ICB_CODE", "ICB_NAME", "STAFF_GROUP", "DETAILED_STAFF_ROLE", "MEASURE", "VALUE"]
MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
BREAKDOWNS = ["staff_group", "staff_role", "hcp_type", "appt_mode", "appt_status",
              "booking_interval"]


@pytest.fixture(scope="module")
def api(api_as):
    return api_as("pcn-manager")


def rollups(api, role, **params):
    """Rollup figures by (level, code, measure, breakdown...) -> value."""
    rows = api("GET", "/v1/rollups", 200, role, params).json()["rows"]
    return {(r["level"], r["code"], r["measure"], *[r[b] for b in BREAKDOWNS]): r["value"]
            for r in rows}


def total(figures, level, code, measure, **breakdown):
    return figures.get((level, code, measure, *[breakdown.get(b, "") for b in BREAKDOWNS]), 0)


def nhs_month(period):
    year, month = period.split("-")
    return f"01{MONTHS[int(month) - 1]}{year}"


def read_csv(text):
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]


def test_appointments_read_with_the_csv_module_match_the_rollups(api, ics):
    month = ics.months[-1]
    answer = api("GET", "/v1/exports/appointments", 200, params={"period": month})
    assert answer.headers["content-disposition"] == (
        f'attachment; filename="appointments-{ics.pcn}-{month}.csv"')
    assert answer.body.endswith(b"\r\n")
    header, rows = read_csv(answer.text())
    assert header == GPAD
    assert rows, "the sample's PCN has appointments"
    orgs = api("GET", "/v1/orgs", 200, params={"period": month}).json()["organisations"]
    names = {o["code"]: o for o in orgs}
    figures = rollups(api, "pcn-manager", period=month, dataset="appointments")
    by_practice = {}
    for row in rows:
        assert row["APPOINTMENT_MONTH_START_DATE"] == nhs_month(month)
        assert row["SUPPLIER"] == ""
        assert row["PCN_CODE"] == ics.pcn and row["PCN_NAME"] == names[ics.pcn]["name"]
        assert row["GP_NAME"] == names[row["GP_CODE"]]["name"]
        assert row["SUB_ICB_LOCATION_CODE"] == ics.place
        by_practice[row["GP_CODE"]] = by_practice.get(row["GP_CODE"], 0) + int(
            row["COUNT_OF_APPOINTMENTS"])
        # Each breakdown's figure includes this row's count.
        assert int(row["COUNT_OF_APPOINTMENTS"]) <= total(
            figures, "practice", row["GP_CODE"], "appointments", appt_mode=row["APPT_MODE"])
    for practice, count in by_practice.items():
        assert count == total(figures, "practice", practice, "appointments"), practice
    assert sum(by_practice.values()) == total(figures, "pcn", ics.pcn, "appointments")
    # No two rows share a practice and all five codes.
    keys = [tuple(r[c] for c in GPAD if c not in ("COUNT_OF_APPOINTMENTS",)) for r in rows]
    assert len(keys) == len(set(keys))


def test_appointments_read_by_pandas_from_the_url_match_the_rollups(ics):
    month = ics.months[-1]
    os.environ["SSL_CERT_FILE"] = ics.ca_file
    url = f"{ics.url}/v1/exports/appointments?period={month}&code={ics.place}"
    auth = {"Authorization": "Bearer " + ics.tokens["place-analyst"]}
    frame = pd.read_csv(url, storage_options=auth, keep_default_na=False)
    assert list(frame.columns) == GPAD
    assert frame["COUNT_OF_APPOINTMENTS"].dtype.kind == "i"
    figures = pd.read_csv(f"{ics.url}/v1/rollups?period={month}&code={ics.place}&level=place"
                          "&dataset=appointments&format=csv", storage_options=auth,
                          keep_default_na=False)
    totals = figures[(figures["measure"] == "appointments") & (figures["hcp_type"] == "") &
                     (figures["appt_mode"] == "") & (figures["appt_status"] == "") &
                     (figures["booking_interval"] == "")]
    assert frame["COUNT_OF_APPOINTMENTS"].sum() == totals["value"].iloc[0]
    by_mode = frame.groupby("APPT_MODE")["COUNT_OF_APPOINTMENTS"].sum()
    modes = figures[(figures["measure"] == "appointments") & (figures["appt_mode"] != "")]
    assert by_mode.to_dict() == {m: v for m, v in zip(modes["appt_mode"], modes["value"])}


def test_workforce_matches_the_rollups_practice_by_practice(api, ics):
    month = ics.months[-1]
    header, rows = read_csv(api("GET", "/v1/exports/workforce", 200, "ics-analyst",
                                {"period": month}).text())
    assert header == GPW
    figures = rollups(api, "ics-analyst", period=month, dataset="workforce", level="practice")
    practices = {r["PRAC_CODE"] for r in rows}
    assert len(practices) > 10
    for row in rows:
        assert row["ICB_CODE"] == ics.ics and row["MEASURE"] in ("FTE", "Headcount")
        measure = "fte" if row["MEASURE"] == "FTE" else "headcount"
        group = "" if row["STAFF_GROUP"] == "Total" else row["STAFF_GROUP"]
        role = "" if row["DETAILED_STAFF_ROLE"] == "Total" else row["DETAILED_STAFF_ROLE"]
        expected = total(figures, "practice", row["PRAC_CODE"], measure, staff_group=group,
                         staff_role=role)
        assert float(row["VALUE"]) == pytest.approx(expected, abs=1e-6), row


def test_workforce_read_by_pandas_adds_up_fte_but_not_headcount(ics):
    """FTE adds from practices to the PCN; headcount does not, since a person
    at two practices is one head in the PCN, as NHS publishes it."""
    month = ics.months[-1]
    os.environ["SSL_CERT_FILE"] = ics.ca_file
    auth = {"Authorization": "Bearer " + ics.tokens["ics-analyst"]}
    frame = pd.read_csv(f"{ics.url}/v1/exports/workforce?period={month}", storage_options=auth,
                        keep_default_na=False)
    assert list(frame.columns) == GPW
    figures = pd.read_csv(f"{ics.url}/v1/rollups?period={month}&level=pcn&dataset=workforce"
                          "&format=csv", storage_options=auth, keep_default_na=False)
    all_staff = frame[(frame["STAFF_GROUP"] == "Total") & (frame["DETAILED_STAFF_ROLE"] == "Total")]
    pcn_totals = figures[(figures["staff_group"] == "") & (figures["staff_role"] == "")]
    fte = all_staff[all_staff["MEASURE"] == "FTE"].groupby("PCN_CODE")["VALUE"].sum()
    for pcn, value in fte.items():
        expected = pcn_totals[(pcn_totals["code"] == pcn) & (pcn_totals["measure"] == "fte")]
        assert value == pytest.approx(expected["value"].iloc[0], abs=1e-4), pcn
    heads = all_staff[all_staff["MEASURE"] == "Headcount"].groupby("PCN_CODE")["VALUE"].sum()
    pcn_heads = pcn_totals[pcn_totals["measure"] == "headcount"].set_index("code")["value"]
    assert all(heads[p] >= pcn_heads[p] for p in heads.index)
    assert any(heads[p] > pcn_heads[p] for p in heads.index), "people work across practices"


def test_each_basis_matches_the_rollups_of_that_basis(api, ics):
    month = ics.months[0]
    # A published version of the month to read (the month is left open).
    state = {p["period"]: p for p in api("GET", "/v1/periods", 200, "ics-manager").json()["periods"]}
    if state[month]["state"] == "open":
        api("POST", "/v1/periods/close", 200, "ics-manager", body={"period": month})
    api("POST", "/v1/periods/publish", 200, "ics-manager", body={"period": month})
    api("POST", "/v1/periods/reopen", 200, "ics-manager", body={"period": month})
    for basis in ("latest", "approved", "published"):
        header, rows = read_csv(api("GET", "/v1/exports/appointments", 200, "ics-analyst",
                                    {"period": month, "basis": basis}).text())
        figures = rollups(api, "ics-analyst", period=month, level="ics", basis=basis,
                          dataset="appointments")
        assert sum(int(r["COUNT_OF_APPOINTMENTS"]) for r in rows) == total(
            figures, "ics", ics.ics, "appointments"), basis
        header, rows = read_csv(api("GET", "/v1/exports/workforce", 200, "ics-analyst",
                                    {"period": month, "basis": basis}).text())
        fte = sum(float(r["VALUE"]) for r in rows
                  if r["STAFF_GROUP"] == "Total" and r["MEASURE"] == "FTE")
        workforce = rollups(api, "ics-analyst", period=month, level="ics", basis=basis,
                            dataset="workforce")
        assert fte == pytest.approx(total(workforce, "ics", ics.ics, "fte"), abs=1e-4), basis
    one = api("GET", "/v1/exports/appointments", 200, "ics-analyst",
              {"period": month, "basis": "published", "version": "1"})
    assert one.body.startswith(",".join(GPAD).encode())


def test_exports_revalidate_and_refuse_clearly(api, ics):
    month = ics.months[-1]
    for dataset in ("appointments", "workforce"):
        path = f"/v1/exports/{dataset}"
        etag = api("GET", path, 200, params={"period": month}).headers["etag"]
        api("GET", path, 304, params={"period": month}, headers={"If-None-Match": etag})
        api("GET", path, 400, params={})
        api("GET", path, 400, params={"period": "October"})
        api("GET", path, 400, params={"period": month, "basis": "draft"})
        api("GET", path, 400, params={"period": month, "version": "1"})
        api("GET", path, 400, params={"period": month, "code": "u10010"})
        api("GET", path, 400, params={"period": month, "level": "pcn"})
        api("GET", path, 403, params={"period": month, "code": ics.other_pcn})
        api("GET", path, 403, params={"period": month, "code": ics.ics})
        api("GET", path, 404, params={"period": month, "code": "U99999"})
        api("GET", path, 404, params={"period": month, "basis": "published", "version": "99"})
        api("GET", path, 404, "ics-analyst", {"period": "2019-01", "basis": "published"})
