#!/usr/bin/env bash
# Make sure a Redis server answers on 127.0.0.1:6379 (the rate-limit tests share it between
# two app processes); start one that keeps nothing on disk if not.
set -euo pipefail
answers() { python3 - <<'PY'
import socket, sys
try:
    with socket.create_connection(("127.0.0.1", 6379), timeout=1) as s:
        s.sendall(b"PING\r\n")
        sys.exit(0 if s.recv(16).startswith(b"+PONG") else 1)
except OSError:
    sys.exit(1)
PY
}
if answers; then exit 0; fi
if ! command -v redis-server >/dev/null; then
    apt-get update -qq && apt-get install -y -qq redis-server >/dev/null
fi
redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
for _ in $(seq 1 30); do
    answers && exit 0
    sleep 0.5
done
echo "Redis is not answering on 127.0.0.1:6379" >&2
exit 1
