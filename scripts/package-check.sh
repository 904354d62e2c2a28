#!/bin/sh
# Builds both Debian packages and checks them as an operator would meet them:
#   1. lintian: no errors, no warnings;
#   2. systemd-analyze security --offline=true: each unit's exposure 2.0 or lower;
#   3. install both with apt-get, run the installed server and agent from their
#      installed configuration as their service users (systemd need not be
#      PID 1), enrol in one step, drop a file, see it synced;
#   4. purge both and check nothing is left behind.
# Needs root (it installs packages). Prints the figures it checks.
set -eu
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "package-check.sh must run as root" >&2; exit 2; }

scripts/setup-debian.sh
cmake --preset package >/dev/null
cmake --build --preset package
rm -f build/package/*.deb
cpack --preset package >/dev/null
AGENT_DEB=$(ls build/package/tributary-agent_*_amd64.deb)
SERVER_DEB=$(ls build/package/tributary-server_*_amd64.deb)
echo "built: $AGENT_DEB $SERVER_DEB"

echo "== lintian"
lintian --fail-on error,warning --display-info "$AGENT_DEB" "$SERVER_DEB" 2>/dev/null
echo "lintian: no errors, no warnings"

echo "== systemd-analyze security --offline=true"
for unit in installers/debian/tributary-agent.service installers/debian/tributary-server.service; do
  score=$(systemd-analyze security --offline=true "$unit" 2>/dev/null |
          sed -n 's/.*Overall exposure level for .*: \([0-9.]*\).*/\1/p')
  echo "$(basename "$unit"): exposure $score"
  awk -v s="$score" 'BEGIN { exit !(s != "" && s <= 2.0) }' ||
    { echo "exposure of $unit is above 2.0" >&2; exit 1; }
done

echo "== install"
WORK=$(mktemp -d)
SERVER_PID=""
AGENT_PID=""
cleanup() {
  [ -n "$AGENT_PID" ] && kill "$AGENT_PID" 2>/dev/null || true
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
  # After a failure, leave the machine as it was found.
  if dpkg-query -W tributary-agent tributary-server >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq tributary-agent tributary-server \
      >/dev/null 2>&1 || true
  fi
  # A purge keeps a server directory never backed up; this machine's is a test's.
  rm -rf /var/lib/tributary
  for user in tributary-agent tributary-server; do
    ! getent passwd "$user" >/dev/null || deluser --quiet --system "$user" >/dev/null 2>&1 || true
    ! getent group "$user" >/dev/null || delgroup --quiet --system "$user" >/dev/null 2>&1 || true
  done
}
trap cleanup EXIT
# Nothing of Tributary may be here before: the purge check compares with it.
for path in /etc/tributary /var/lib/tributary /usr/bin/tributary-agent /usr/bin/tributary-server; do
  [ ! -e "$path" ] || { echo "$path exists before installing; run on a clean machine" >&2; exit 1; }
done
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "./$AGENT_DEB" "./$SERVER_DEB" >/dev/null
for user in tributary-agent tributary-server; do
  getent passwd "$user" >/dev/null || { echo "no $user user after install" >&2; exit 1; }
done
test -f /etc/tributary/agent.toml && test -f /etc/tributary/server.toml
test -f /etc/tributary/profiles/README.txt  # where an ICS puts its own import profiles
stat -c '%U:%G %a %n' /var/lib/tributary/agent /var/lib/tributary/drop /var/lib/tributary/server

# wait_for FILE TEXT: until FILE holds TEXT, for at most 60 s.
wait_for() {
  timeout 60 sh -c "until grep -q -- '$2' '$1' 2>/dev/null; do sleep 0.2; done" ||
    { echo "timed out waiting for '$2' in $1:" >&2; cat "$1" >&2; exit 1; }
}

echo "== run the installed programs as their service users"
# The operator's commands, run as root, act as the service user (files stay theirs).
tributary-server init --hostname 127.0.0.1 | tee "$WORK/init.out"
CA_SHA256=$(sed -n 's/.*(sha256): //p' "$WORK/init.out")
stat -c '%U %n' /var/lib/tributary/server/server.db | grep -q '^tributary-server '
setpriv --reuid=tributary-server --regid=tributary-server --init-groups \
  tributary-server serve --config /etc/tributary/server.toml \
  --listen 127.0.0.1:0 >"$WORK/server.out" 2>"$WORK/server.log" &
SERVER_PID=$!
wait_for "$WORK/server.out" "listening on"
PORT=$(sed -n 's/listening on .*:\([0-9]*\)$/\1/p' "$WORK/server.out")
TOKEN=$(tributary-server token create --practice T01100 --json |
        sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
tributary-agent enrol --server "https://127.0.0.1:$PORT" --token "$TOKEN" --ca-sha256 "$CA_SHA256"
stat -c '%U %n' /var/lib/tributary/agent/agent.db | grep -q '^tributary-agent '
setpriv --reuid=tributary-agent --regid=tributary-agent --init-groups \
  tributary-agent run --config /etc/tributary/agent.toml \
  2>"$WORK/agent.log" &
AGENT_PID=$!
wait_for "$WORK/agent.log" '"agent_started"'
cp examples/ics-sample/practices/T01100/list_size-2026-08.csv /var/lib/tributary/drop/
wait_for "$WORK/agent.log" '"file_imported"'
wait_for "$WORK/agent.log" '"synced".*changes=1 '
test -f /var/lib/tributary/drop/processed/list_size-2026-08.csv
tributary-server practices | tee "$WORK/practices.out"
grep -q "T01100" "$WORK/practices.out"
# The installed server serves the dashboard from the installed assets.
test -f /usr/share/tributary-server/assets/nhsuk-frontend.min.css
curl -sfk "https://127.0.0.1:$PORT/login" | grep -q 'Access token'
curl -sfk -o "$WORK/style.css" "https://127.0.0.1:$PORT/assets/nhsuk-frontend.min.css"
cmp -s "$WORK/style.css" /usr/share/tributary-server/assets/nhsuk-frontend.min.css
echo "installed server: the dashboard and its assets are served"
kill -TERM "$AGENT_PID"; wait "$AGENT_PID"; AGENT_PID=""
kill -TERM "$SERVER_PID"; wait "$SERVER_PID"; SERVER_PID=""
grep -q '"agent_stopped"' "$WORK/agent.log"
echo "installed server and agent: enrolled, file dropped, imported and synced"

echo "== purge keeps a CA that was never backed up"
# What the maintainer script says reaches apt's output or its errors,
# depending on whether they are a terminal: both are read.
DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq tributary-agent tributary-server \
  >"$WORK/purge.out" 2>&1
grep -q "kept /var/lib/tributary/server" "$WORK/purge.out"
test -f /var/lib/tributary/server/ca.key && test -f /var/lib/tributary/server/server.db
echo "purged without a backup: the server's data directory kept, and said so"

echo "== backup, then purge"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "./$AGENT_DEB" "./$SERVER_DEB" >/dev/null
# Run as root, backup becomes the service's user, who writes the file.
chmod 0711 "$WORK"
install -d -o tributary-server -g tributary-server -m 0700 "$WORK/backups"
TRIBUTARY_BACKUP_PASSPHRASE="package check passphrase" \
  tributary-server backup --to "$WORK/backups/server.tbk" | tee "$WORK/backup.out"
grep -q "ca-sha256:  $CA_SHA256" "$WORK/backup.out"
TRIBUTARY_BACKUP_PASSPHRASE="package check passphrase" \
  tributary-server restore --from "$WORK/backups/server.tbk" --data-dir "$WORK/restored" >/dev/null
tributary-server rollups verify --data-dir "$WORK/restored" >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq tributary-agent tributary-server >/dev/null
left=""
for path in /etc/tributary /var/lib/tributary /usr/bin/tributary-agent /usr/bin/tributary-server \
            /lib/systemd/system/tributary-agent.service /lib/systemd/system/tributary-server.service \
            /usr/share/doc/tributary-agent /usr/share/doc/tributary-server \
            /usr/share/tributary-server; do
  [ ! -e "$path" ] || left="$left $path"
done
for user in tributary-agent tributary-server; do
  ! getent passwd "$user" >/dev/null || left="$left user:$user"
  ! getent group "$user" >/dev/null || left="$left group:$user"
done
[ -z "$left" ] || { echo "left behind after purge:$left" >&2; exit 1; }
echo "purged: nothing left behind"
