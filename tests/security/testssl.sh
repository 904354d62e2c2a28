#!/bin/sh
# testssl.sh (Debian's) against a running tributary-server: no finding above
# LOW, and the server's own cipher order. The server's CA is the trust anchor
# agents pin, so it is given to testssl as a CA.
#   tests/security/testssl.sh SERVER_BINARY
set -eu
SERVER=$1
WORK=$(mktemp -d)
PID=""
cleanup() {
  if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

command -v testssl >/dev/null || { echo "testssl.sh is not installed (scripts/setup-debian.sh)" >&2; exit 1; }
"$SERVER" init --data-dir "$WORK/data" --hostname 127.0.0.1 >/dev/null
"$SERVER" serve --data-dir "$WORK/data" --listen 127.0.0.1:0 >"$WORK/serve.out" 2>"$WORK/serve.err" &
PID=$!
PORT=""
for _ in $(seq 1 100); do
  PORT=$(sed -n 's/^listening on 127.0.0.1:\([0-9]*\)$/\1/p' "$WORK/serve.out")
  [ -n "$PORT" ] && break
  kill -0 "$PID" 2>/dev/null || { cat "$WORK/serve.err" >&2; exit 1; }
  sleep 0.1
done
[ -n "$PORT" ] || { echo "the server did not say where it listens" >&2; exit 1; }

testssl --quiet --color 0 --warnings off --add-ca "$WORK/data/ca.pem" \
  --jsonfile "$WORK/testssl.json" "https://127.0.0.1:$PORT/healthz" >"$WORK/testssl.txt" 2>&1 || true
[ -s "$WORK/testssl.json" ] || { cat "$WORK/testssl.txt" >&2; echo "testssl wrote no findings" >&2; exit 1; }

python3 - "$WORK/testssl.json" <<'PY'
import json, sys
findings = json.load(open(sys.argv[1]))
above_low = [f for f in findings if f["severity"] in ("MEDIUM", "HIGH", "CRITICAL")]
for f in above_low:
    print(f"{f['severity']} {f['id']}: {f['finding']}", file=sys.stderr)
order = [f for f in findings if f["id"] == "cipher_order"]
if not order or order[0]["severity"] != "OK":
    print(f"the server does not set its cipher order: {order}", file=sys.stderr)
    sys.exit(1)
if above_low:
    sys.exit(1)
print(f"testssl: {len(findings)} findings, none above LOW; the server's cipher order is used")
PY
