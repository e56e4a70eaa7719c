#!/bin/sh
# `make demo`: a source followed without the network. The pages of samples/site/ (a feed and the
# three news pages it lists) are served on loopback by Python's own http.server for the run, and
# the source is added with --allow-private, since kurultai refuses loopback addresses by default.
# Usage: demo-watch.sh KURULTAI DB PYTHON PORT
set -e
KURULTAI=$1; DB=$2; PY=$3; PORT=${4:-8765}
HERE=$(dirname "$0")
"$PY" -m http.server "$PORT" --bind 127.0.0.1 --directory "$HERE/site" >/dev/null 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null' EXIT INT TERM
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
    "$PY" -c "import socket,sys; socket.create_connection(('127.0.0.1', $PORT), 0.2)" 2>/dev/null && break
    sleep 0.2
done
URL="http://127.0.0.1:$PORT/feed.xml"
"$KURULTAI" watch add "$URL" --name "Sample news (local)" --allow-private --db "$DB" \
    2>/dev/null || echo "kurultai: $URL is followed already"
ID=$("$KURULTAI" watch list --json --db "$DB" | "$PY" -c "import json,sys; print(next(s['id'] for s in json.load(sys.stdin) if s['url'] == '$URL'))")
"$KURULTAI" watch run --source "$ID" --delay 0 --quiet --db "$DB"
"$KURULTAI" watch list --db "$DB"
