#!/usr/bin/env bash
# Run everything the product needs: the scheduled-publication worker, the webhook worker and
# the web server. Stopping this script (Ctrl-C) stops them all.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python manage.py publish_scheduled --loop --interval "${SCHEDULE_INTERVAL:-10}" &
scheduler=$!
.venv/bin/python manage.py deliver_webhooks --loop --interval "${WEBHOOK_POLL_INTERVAL:-1}" &
webhooks=$!
trap 'kill -TERM "$scheduler" "$webhooks" 2>/dev/null || true; wait "$scheduler" "$webhooks" 2>/dev/null || true' EXIT
.venv/bin/gunicorn -c gunicorn.conf.py config.wsgi
