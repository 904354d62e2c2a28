"""What the API tests share: a real server holding the sample ICS synced by
real agents (scripts/sample-ics.sh), the people who use it, an HTTPS client
that trusts only the server's own CA, and the OpenAPI document as a
validator of every answer."""

import hashlib
import json
import os
import select
import shutil
import signal
import ssl
import subprocess
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

import jsonschema

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DOCUMENT_PATH = os.path.join(ROOT, "server", "src", "api", "openapi.json")


@dataclass
class Response:
    status: int
    headers: dict  # names in lower case
    body: bytes

    @property
    def content_type(self):
        return self.headers.get("content-type", "")

    def json(self):
        return json.loads(self.body)

    def text(self):
        return self.body.decode("utf-8")


class Client:
    """HTTPS to the server, trusting only `ca_file`; never raises on a status."""

    def __init__(self, url, ca_file):
        self.url = url
        self.context = ssl.create_default_context(cafile=ca_file)

    def call(self, method, path, params=None, body=None, token=None, headers=None):
        target = self.url + path
        if params:
            target += "?" + urllib.parse.urlencode(params)
        data = None
        request_headers = dict(headers or {})
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            request_headers.setdefault("Content-Type", "application/json")
        if token:
            request_headers["Authorization"] = "Bearer " + token
        request = urllib.request.Request(target, data=data, method=method, headers=request_headers)
        try:
            with urllib.request.urlopen(request, context=self.context, timeout=120) as answer:
                return Response(answer.status, {k.lower(): v for k, v in answer.headers.items()},
                                answer.read())
        except urllib.error.HTTPError as error:
            return Response(error.code, {k.lower(): v for k, v in error.headers.items()},
                            error.read())


@dataclass
class SampleIcs:
    work: str
    url: str
    ca_file: str
    server_bin: str
    agent_bin: str
    months: list
    pcn: str
    other_pcn: str
    place: str
    ics: str
    tokens: dict = field(default_factory=dict)

    def client(self):
        return Client(self.url, self.ca_file)

    def agent(self, practice, *args):
        """Runs the practice's agent; its output, or an exception naming it."""
        return subprocess.run(
            [self.agent_bin, *args, "--data-dir", os.path.join(self.work, "agents", practice)],
            check=True, capture_output=True, text=True).stdout

    def agent_run(self, practice, *args):
        """Runs the practice's agent and returns the finished process, whatever its status."""
        return subprocess.run(
            [self.agent_bin, *args, "--data-dir", os.path.join(self.work, "agents", practice)],
            check=False, capture_output=True, text=True)

    def server(self, *args):
        return subprocess.run(
            [self.server_bin, *args, "--data-dir", os.path.join(self.work, "server")],
            check=True, capture_output=True, text=True).stdout


def _sample_hierarchy():
    rows = []
    with open(os.path.join(ROOT, "examples", "ics-sample", "orgs.csv"), newline="") as f:
        import csv
        rows = list(csv.DictReader(f))
    current = [r for r in rows if r["ORG_TYPE"] == "PRACTICE" and r["VALID_TO"] == ""]
    sizes = {}
    for r in current:
        sizes[r["PARENT_CODE"]] = sizes.get(r["PARENT_CODE"], 0) + 1
    pcns = sorted(sizes, key=lambda code: (-sizes[code], code))
    parent = {r["ORG_CODE"]: r["PARENT_CODE"] for r in rows if r["ORG_TYPE"] in ("PCN", "PLACE")}
    place = parent[pcns[0]]
    return pcns[0], pcns[1], place, parent[place]


def _postgres_store(work):
    """A store of its own in the test cluster (tests/support/test_postgres.sh):
    a schema named after the server's directory."""
    with open(os.environ["TRIBUTARY_TEST_POSTGRES"]) as f:
        cluster = f.read().strip()
    schema = "api_" + "".join(c if c.isalnum() else "_" for c in os.path.basename(work)).lower()
    subprocess.run(["psql", cluster, "-qc", "CREATE SCHEMA " + schema], check=True)
    joiner = "&" if "?" in cluster else "?"
    return cluster + joiner + "options=-csearch_path%3D" + schema


def start_sample_ics(build_dir):
    """Starts the server and syncs the sample's practices into it. The caller
    stops it with stop_sample_ics, pass or fail."""
    work = tempfile.mkdtemp(prefix="tributary-api.")
    server_bin = os.path.join(build_dir, "server", "tributary-server")
    agent_bin = os.path.join(build_dir, "agent", "tributary-agent")
    env = dict(os.environ)
    if os.environ.get("TRIBUTARY_TEST_POSTGRES"):
        env["TRIBUTARY_STORE"] = _postgres_store(work)
    try:
        with open(os.path.join(work, "setup.log"), "w") as log:
            subprocess.run([os.path.join(ROOT, "scripts", "sample-ics.sh"), server_bin, agent_bin,
                            work], check=True, stdout=log, stderr=subprocess.STDOUT, env=env)
    except subprocess.CalledProcessError:
        with open(os.path.join(work, "setup.log")) as log:
            print(log.read())
        stop_sample_ics(work)
        raise
    with open(os.path.join(work, "url")) as f:
        url = f.read().strip()
    pcn, other_pcn, place, ics = _sample_hierarchy()
    months = sorted({name[len("appointments-"):-len(".csv")]
                     for _, _, files in os.walk(os.path.join(ROOT, "examples", "ics-sample"))
                     for name in files if name.startswith("appointments-")})
    sample = SampleIcs(work, url, os.path.join(work, "ca.pem"), server_bin, agent_bin, months,
                       pcn, other_pcn, place, ics)
    # The CA is fetched once without trust and kept only if its SHA-256 is
    # the one the server printed: the pinning an analyst does by hand.
    token = json.loads(sample.server("token", "create", "--practice", "T99999", "--json"))
    pem = urllib.request.urlopen(url + "/v1/ca", context=ssl._create_unverified_context()).read()
    der = ssl.PEM_cert_to_DER_cert(pem.decode())
    assert hashlib.sha256(der).hexdigest().lower() == token["ca_sha256"].replace(":", "").lower()
    with open(sample.ca_file, "wb") as f:
        f.write(pem)
    for role, scope in [("pcn-manager", pcn), ("other-pcn-manager", other_pcn),
                        ("place-analyst", place), ("ics-analyst", ics), ("ics-manager", ics),
                        ("admin", ics)]:
        real_role = "pcn-manager" if role == "other-pcn-manager" else role
        answer = sample.server("user", "add", "--name", role, "--role", real_role, "--scope", scope,
                               "--json")
        sample.tokens[role] = json.loads(answer)["token"]
    return sample


def stop_sample_ics(work):
    pid_file = os.path.join(work, "server.pid")
    if os.path.exists(pid_file):
        with open(pid_file) as f:
            pid = int(f.read())
        try:
            # The server is not our child (the set-up script started it): a
            # pidfd says when it has gone, with no polling.
            process = os.pidfd_open(pid)
        except ProcessLookupError:
            process = None
        if process is not None:
            try:
                os.kill(pid, signal.SIGTERM)
                # It finishes the requests in flight, then exits.
                select.select([process], [], [], 60)
            except ProcessLookupError:
                pass
            finally:
                os.close(process)
    shutil.rmtree(work, ignore_errors=True)


class Contract:
    """The OpenAPI document as a checker of answers: each answer's status must
    be documented for its operation, its content type among that status's, and
    a JSON body valid against its schema. Remembers what it saw."""

    def __init__(self, document):
        self.document = document
        self.resolver = jsonschema.RefResolver("", document)
        self.seen = set()  # (method, path, status)

    def operation(self, method, path):
        item = self.document["paths"].get(path)
        assert item is not None, f"{path} is not in the document"
        operation = item.get(method.lower())
        assert operation is not None, f"{method} {path} is not in the document"
        return operation

    def _resolve(self, node):
        while "$ref" in node:
            _, node = self.resolver.resolve(node["$ref"])
        return node

    def _validate(self, schema, body, where):
        validator = jsonschema.Draft202012Validator(schema, resolver=self.resolver)
        errors = sorted(validator.iter_errors(body), key=lambda e: list(e.path))
        assert not errors, (
            f"{where}: " +
            "; ".join(f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors[:5]))

    def check(self, method, path, response):
        operation = self.operation(method, path)
        status = str(response.status)
        assert status in operation["responses"], (
            f"{method} {path} answered {status}, which the document does not list: "
            f"{response.body[:300]!r}")
        self.seen.add((method, path, response.status))
        documented = self._resolve(operation["responses"][status])
        content = documented.get("content", {})
        if response.status == 304 or not content:
            assert response.body == b"", f"{method} {path} {status} has a body"
            return
        media = response.content_type.split(";")[0].strip()
        assert media in content, (
            f"{method} {path} {status} answered {response.content_type!r}; documented: "
            f"{sorted(content)}")
        schema = content[media].get("schema")
        if media == "application/x-ndjson":
            # Each line is one item of the schema the document names for it.
            item = content[media].get("x-item-schema")
            assert item is not None, f"{method} {path} {status}: NDJSON without x-item-schema"
            assert response.body == b"" or response.body.endswith(b"\n")
            for number, line in enumerate(response.text().splitlines(), 1):
                self._validate(item, json.loads(line), f"{method} {path} {status} line {number}")
        elif (media == "application/json" or media.endswith("+json")) and schema is not None:
            self._validate(schema, response.json(), f"{method} {path} {status}")
        for name, header in documented.get("headers", {}).items():
            header = self._resolve(header)
            if header.get("required"):
                assert name.lower() in response.headers, f"{method} {path} {status} lacks {name}"
