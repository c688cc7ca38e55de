"""Production server settings for gunicorn; every value can be overridden from the environment."""

import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "sync" if threads == 1 else "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
# The request id (X-Request-ID) ties an access line to the app's JSON log lines; no header
# that carries credentials is ever written, and no query string: an Infobutton request's
# carries the patient's diagnosis code, age and sex, which have no place in a log.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(D)sus request_id=%({x-request-id}o)s'

errorlog = "-"
# Both logs as JSON lines like the application's (LOG_FORMAT=plain for the format above).
logger_class = "config.gunicorn_logs.JsonLogger"
# gunicorn's control socket (`gunicornc`) defaults to one path per user, which a second
# instance on the same host would take over. Off unless asked for; when asked for, give each
# instance a path under a directory of its own (e.g. /run/contentapi-8000/gunicorn.ctl).
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket
# Share the app's memory between workers; no module-level connections exist at import.
preload_app = True


# /metrics adds up every worker's request counts (prometheus_client's multiprocess mode):
# each worker writes its own files here, read at scrape time. A fresh folder per server.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    import tempfile

    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="contentapi-metrics-")


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
