#!/usr/bin/env bash
# Starts or stops the dev CouchDB-protocol server (scripts/couch-server.mjs)
# in the background, for scripts/test.sh and anyone who wants it detached.
#   scripts/couch-ctl.sh start [port]   # default port 5984; waits until GET / answers
#   scripts/couch-ctl.sh stop [port]
# start installs the databases and design documents (--install) with admin
# $COUCH_ADMIN (default admin:admin) and manager $COUCH_MANAGER (default
# manager:manager); extra server flags go in $COUCH_FLAGS (e.g. --no-cors).
# The pid and log live in ${COUCH_RUN_DIR:-${TMPDIR:-/tmp}}/servicelens-couch-PORT.{pid,log}.
set -euo pipefail
cd "$(dirname "$0")/.."

cmd=${1:-}
port=${2:-5984}
run_dir=${COUCH_RUN_DIR:-${TMPDIR:-/tmp}}
pid_file="$run_dir/servicelens-couch-$port.pid"
log_file="$run_dir/servicelens-couch-$port.log"
url="http://127.0.0.1:$port"

running() { [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; }

case "$cmd" in
start)
  if running; then
    echo "couch-ctl: already running on $url (pid $(cat "$pid_file"))"
    exit 0
  fi
  # shellcheck disable=SC2086 # COUCH_FLAGS is a list of flags
  node scripts/couch-server.mjs --port "$port" --admin "${COUCH_ADMIN:-admin:admin}" \
    --install --manager "${COUCH_MANAGER:-manager:manager}" ${COUCH_FLAGS:-} >"$log_file" 2>&1 &
  echo $! >"$pid_file"
  # The server prints its line only after --install, so GET / answering and
  # the line being there together mean ready.
  for _ in $(seq 1 100); do
    if ! running; then
      echo "couch-ctl: the server exited; its log ($log_file):" >&2
      cat "$log_file" >&2
      rm -f "$pid_file"
      exit 1
    fi
    if grep -q '^couch-server listening on ' "$log_file" &&
      node -e 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$url/"; then
      echo "couch-ctl: running on $url (pid $(cat "$pid_file"), log $log_file)"
      exit 0
    fi
    sleep 0.1
  done
  echo "couch-ctl: no answer from $url after 10 s; its log ($log_file):" >&2
  cat "$log_file" >&2
  kill "$(cat "$pid_file")" 2>/dev/null || true
  rm -f "$pid_file"
  exit 1
  ;;
stop)
  if ! running; then
    rm -f "$pid_file"
    echo "couch-ctl: not running on port $port"
    exit 0
  fi
  pid=$(cat "$pid_file")
  kill -TERM "$pid"
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$pid_file"; echo "couch-ctl: stopped (port $port)"; exit 0; }
    sleep 0.1
  done
  echo "couch-ctl: pid $pid did not stop on SIGTERM within 5 s; killing it" >&2
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$pid_file"
  ;;
*)
  echo "usage: scripts/couch-ctl.sh start|stop [port]" >&2
  exit 2
  ;;
esac
