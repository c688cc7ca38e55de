#!/usr/bin/env bash
# Make sure the PostgreSQL server on 127.0.0.1:5432 answers; start the local cluster if not.
set -euo pipefail
ensure_database() {
    # The suite's own database must exist for Django's checks; pytest makes test_<name> itself.
    if ! psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='contentapi'" \
        | grep -q 1; then
        createdb -h 127.0.0.1 -U postgres contentapi
    fi
}
if pg_isready -q -h 127.0.0.1 -p 5432; then ensure_database; exit 0; fi
if command -v pg_ctlcluster >/dev/null; then
    version=$(ls /etc/postgresql | head -n1)
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
fi
for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p 5432 && ensure_database && exit 0
    sleep 1
done
echo "PostgreSQL is not answering on 127.0.0.1:5432" >&2
exit 1
