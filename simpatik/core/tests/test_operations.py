"""The production server's operational surface: /healthz and structured logs."""

import io
import json
import logging

import pytest

from simpatik.core.context import request_id_scope
from simpatik.core.logs import JsonFormatter, RequestIdFilter
from simpatik.testing.health import get_health


@pytest.mark.django_db
def test_healthz_answers_200_with_a_line_per_check(client):
    response = get_health(client, "/healthz", HTTP_ACCEPT="text/plain")
    assert response.status_code == 200
    lines = response.content.decode().splitlines()
    assert any(line.startswith("Database(") and line.endswith(": OK") for line in lines)
    assert any(line.startswith("Storage(") and line.endswith(": OK") for line in lines)
    assert any(line.startswith("GitRoot(") and line.endswith(": OK") for line in lines)
    assert any(line.startswith("JobRunner(") and line.endswith(": OK") for line in lines)


@pytest.mark.django_db(transaction=True)
def test_healthz_is_500_when_no_worker_takes_the_jobs(client):
    from datetime import timedelta

    from django.utils import timezone

    from simpatik.jobs.models import Job

    Job.objects.create(name="notifications.digest", run_after=timezone.now() - timedelta(hours=1))
    response = get_health(client, "/healthz?format=json")
    assert response.status_code == 500
    (runner,) = [value for key, value in response.json().items() if key.startswith("JobRunner")]
    assert "simpatik worker" in runner


@pytest.mark.django_db
def test_healthz_is_500_when_the_configured_powerdns_does_not_answer(client, settings):
    import socket

    with socket.socket() as sock:  # a port that nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.SIMPATIK_DNS_PROVIDER = "powerdns"
    settings.SIMPATIK_POWERDNS_URL = f"http://127.0.0.1:{port}"
    response = get_health(client, "/healthz?format=json")
    assert response.status_code == 500
    body = response.json()
    powerdns = [value for key, value in body.items() if key.startswith("PowerDns")]
    assert powerdns and powerdns[0].startswith("Unavailable")
    assert all(value == "OK" for key, value in body.items() if not key.startswith("PowerDns"))


def test_json_log_lines_carry_the_request_id_and_extra_fields():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("simpatik.test.jsonlog")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        with request_id_scope("req-12345678"):
            logger.warning("Surat %s gagal ditandatangani", "001/2026", extra={"project": 7})
        try:
            raise ValueError("rusak")
        except ValueError:
            logger.exception("Kesalahan")
    finally:
        logger.removeHandler(handler)
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["message"] == "Surat 001/2026 gagal ditandatangani"
    assert first["request_id"] == "req-12345678"
    assert first["project"] == 7 and first["level"] == "WARNING"
    assert second["request_id"] == "-" and "ValueError: rusak" in second["exception"]


def test_a_wrong_log_format_stops_start_up():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import simpatik.settings"],
        env={"LOG_FORMAT": "xml", "SECRET_KEY": "x" * 50, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "LOG_FORMAT must be json or text" in result.stderr
