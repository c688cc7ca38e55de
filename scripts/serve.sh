#!/usr/bin/env bash
# Run everything the product needs: the scheduled-publication worker and the web server.
# Stopping this script (Ctrl-C) stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python manage.py publish_scheduled --loop --interval "${SCHEDULE_INTERVAL:-10}" &
worker=$!
trap 'kill -TERM "$worker" 2>/dev/null || true; wait "$worker" 2>/dev/null || true' EXIT
.venv/bin/gunicorn -c gunicorn.conf.py config.wsgi
