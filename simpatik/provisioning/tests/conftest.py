import shutil
import socket
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
import requests

from simpatik.notifications.tests.conftest import run_jobs_now, smtpd  # noqa: F401

PDNS = "/usr/sbin/pdns_server"
SCHEMA = Path("/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql")


def _free_ports(count: int) -> list[int]:
    """Distinct free ports: all sockets stay open while choosing, so no port is handed out twice."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


@pytest.fixture
def powerdns(tmp_path, settings):
    """A real PowerDNS authoritative server with its HTTP API, on loopback, for this test."""
    if not shutil.which(PDNS) or not SCHEMA.exists():
        pytest.skip("PowerDNS is not installed (apt-get install pdns-server pdns-backend-sqlite3)")
    directory = tmp_path / "pdns"
    (directory / "run").mkdir(parents=True)
    database = directory / "pdns.sqlite3"
    with sqlite3.connect(database) as connection:
        connection.executescript(SCHEMA.read_text())
    (dns_port, api_port), key = _free_ports(2), "kunci-uji"
    (directory / "pdns.conf").write_text(
        "\n".join(
            [
                "launch=gsqlite3",
                f"gsqlite3-database={database}",
                "gsqlite3-dnssec=no",
                "local-address=127.0.0.1",
                f"local-port={dns_port}",
                f"socket-dir={directory / 'run'}",
                "api=yes",
                f"api-key={key}",
                "webserver=yes",
                "webserver-address=127.0.0.1",
                f"webserver-port={api_port}",
                "webserver-allow-from=127.0.0.0/8",
                "guardian=no",
                "daemon=no",
                "disable-syslog=yes",
                "security-poll-suffix=",
                "default-soa-content=ns1.bolmutkab.go.id. hostmaster.@ 0 10800 3600 604800 3600",
                "",
            ]
        )
    )
    process = subprocess.Popen(
        [PDNS, f"--config-dir={directory}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{api_port}"
    for _ in range(100):
        try:
            if requests.get(
                f"{url}/api/v1/servers/localhost", headers={"X-API-Key": key}, timeout=1
            ).ok:
                break
        except requests.RequestException:
            time.sleep(0.1)
    else:
        process.kill()
        raise RuntimeError("pdns_server did not start")
    settings.SIMPATIK_DNS_PROVIDER = "powerdns"
    settings.SIMPATIK_POWERDNS_URL = url
    settings.SIMPATIK_POWERDNS_API_KEY = key
    settings.SIMPATIK_DNS_ZONE = "bolmutkab.go.id"
    yield {"dns_port": dns_port, "url": url, "key": key}
    process.terminate()
    process.wait(timeout=10)
