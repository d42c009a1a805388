"""gunicorn settings for SIMPATIK (systemd unit deploy/systemd/simpatik-web.service).

Workers from SIMPATIK_WEB_WORKERS (default 3: 2 cores + 1); gunicorn listens on a local socket
and nginx (deploy/nginx/simpatik.conf) terminates TLS in front of it.
"""

import os

bind = os.environ.get("SIMPATIK_BIND", "unix:/run/simpatik/web.sock")
workers = int(os.environ.get("SIMPATIK_WEB_WORKERS", "3"))
threads = int(os.environ.get("SIMPATIK_WEB_THREADS", "2"))
worker_class = "gthread"
# Letters render and sign inside a request; DNS and repository calls have their own timeouts.
timeout = 60
graceful_timeout = 30
# Restart workers now and then so a slow leak never grows unbounded. Not too often: a new worker
# starts cold (its database connection, its compiled and prepared statements, its caches), and at
# 2,000 a busy worker restarted every 20 seconds, a slow request for each of its clients each time.
max_requests = int(os.environ.get("SIMPATIK_WEB_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10
# Request lines and headers are bounded; bodies are bounded by nginx and by SIMPATIK.
limit_request_line = 8190
limit_request_fields = 100
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms rid=%({x-request-id}o)s'
forwarded_allow_ips = os.environ.get("SIMPATIK_FORWARDED_ALLOW_IPS", "127.0.0.1")
# The signer's key and the fonts load once per worker, not on the first letter.
preload_app = True


def pre_fork(server, worker):
    """Move everything the preloaded app made at start-up out of the garbage collector's sight
    before the worker forks: a full collection then scans what a request made, not the ~190,000
    objects of Django and SIMPATIK (a few milliseconds a request on average, more at the p99),
    and the shared pages stay shared (gc.freeze, as the Python docs advise for pre-fork servers).
    """
    import gc

    gc.freeze()
