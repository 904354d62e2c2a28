"""The examples as an analyst runs them: the Python one
(examples/analysis/tributary.py) for a rollup, an export and a refusal it
reports in words — its `follow` command is the consumer of test_feed.py's
acceptance test — and the R one (examples/analysis/tributary.R), which reads a
rollup and the GPAD export and checks one against the other."""

import csv
import io
import os
import subprocess

from support import ROOT

EXAMPLE = os.path.join(ROOT, "examples", "analysis", "tributary.py")


def run(ics, token, *args):
    return subprocess.run(["/usr/bin/python3", EXAMPLE, "--server", ics.url, "--ca", ics.ca_file,
                           *args], env=dict(os.environ, TRIBUTARY_TOKEN=token),
                          capture_output=True, text=True, timeout=300)


def test_the_example_reads_a_rollup(ics):
    done = run(ics, ics.tokens["pcn-manager"], "rollup", "--period", ics.months[-1],
               "--level", "pcn")
    assert done.returncode == 0, done.stderr
    assert ics.pcn in done.stdout and "appointments_per_1000" in done.stdout


def test_the_example_writes_an_export_as_nhs_shapes_it(ics):
    done = run(ics, ics.tokens["place-analyst"], "export", "workforce", "--period",
               ics.months[-1])
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert rows and {r["SUB_ICB_CODE"] for r in rows} == {ics.place}


def test_the_example_says_why_it_was_refused(ics):
    done = run(ics, "trb_not_a_token", "rollup", "--period", ics.months[-1])
    assert done.returncode != 0
    assert "error [unauthorized]" in done.stderr
    done = run(ics, ics.tokens["pcn-manager"], "follow", "--db", os.path.join(ics.work, "x.db"))
    assert done.returncode != 0 and "error [forbidden]" in done.stderr


def test_the_r_example_reads_a_rollup_and_an_export_that_agree(ics):
    done = subprocess.run(["Rscript", os.path.join(ROOT, "examples", "analysis", "tributary.R"),
                           ics.url, ics.ca_file, ics.months[-1], ics.pcn],
                          env=dict(os.environ, TRIBUTARY_TOKEN=ics.tokens["pcn-manager"]),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"Headline figures for {ics.pcn}" in done.stdout
    assert "GPAD export total" in done.stdout and "Face-to-Face" in done.stdout
    refused = subprocess.run(["Rscript", os.path.join(ROOT, "examples", "analysis", "tributary.R"),
                              ics.url, ics.ca_file, ics.months[-1], ics.other_pcn],
                             env=dict(os.environ, TRIBUTARY_TOKEN=ics.tokens["pcn-manager"]),
                             capture_output=True, text=True, timeout=300)
    assert refused.returncode != 0
