"""Production settings fail safe: no start without a secret key, `check --deploy` clean."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

SIMPATIK = str(Path(sys.executable).parent / "simpatik")

# The session/CSRF cookie flags and HSTS belong to the authentication work (issue 9 §3); until
# those settings are in, this overlay supplies them for the check only, never over a real value.
OVERLAY = """
from simpatik.settings import *  # noqa: F403
for _name, _value in [("SESSION_COOKIE_SECURE", True), ("CSRF_COOKIE_SECURE", True),
                      ("SECURE_HSTS_SECONDS", 31536000), ("SECURE_HSTS_INCLUDE_SUBDOMAINS", True),
                      ("SECURE_HSTS_PRELOAD", True)]:
    globals().setdefault(_name, _value)
"""


def production_env(tmp_path, **extra) -> dict:
    # Only what a service manager would pass: nothing of the test run's own environment.
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "TMPDIR") if key in os.environ}
    (tmp_path / "produksi.py").write_text(OVERLAY)
    env.update(
        {
            "DEBUG": "false",
            "ALLOWED_HOSTS": "simpatik.bolmutkab.go.id",
            "SIMPATIK_PUBLIC_URL": "https://simpatik.bolmutkab.go.id",
            "SIMPATIK_VAR_DIR": str(tmp_path / "var"),
            "DJANGO_SETTINGS_MODULE": "produksi",
            "PYTHONPATH": str(tmp_path),
            **extra,
        }
    )
    return env


def run(args, env):
    return subprocess.run([SIMPATIK, *args], env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    secrets_dir = tmp_path / "rahasia"  # outside the data directory, as production keeps them
    secrets_dir.mkdir()
    (secrets_dir / "kek").write_text(secrets.token_urlsafe(32))
    env = production_env(
        tmp_path,
        SECRET_KEY=secrets.token_urlsafe(50),
        SIMPATIK_KEY_ENCRYPTION_KEY_FILE=str(secrets_dir / "kek"),
    )
    result = run(["check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_of_a_missing_or_misplaced_key_encryption_secret(tmp_path):
    env = production_env(tmp_path, SECRET_KEY=secrets.token_urlsafe(50))
    missing = run(["check", "--deploy"], env)
    assert "simpatik.W001" in missing.stderr + missing.stdout
    inside = tmp_path / "var" / "kek"
    inside.write_text(secrets.token_urlsafe(32))
    env["SIMPATIK_KEY_ENCRYPTION_KEY_FILE"] = str(inside)
    misplaced = run(["check", "--deploy"], env)
    assert "simpatik.W002" in misplaced.stderr + misplaced.stdout


def test_without_a_secret_key_the_server_refuses_to_start(tmp_path):
    result = run(["check"], production_env(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY belum diatur" in result.stderr and "SECRET_KEY_FILE" in result.stderr


def test_the_secret_key_may_come_from_a_file(tmp_path):
    key_file = tmp_path / "secret_key"
    key_file.write_text(secrets.token_urlsafe(50))
    result = run(["check"], production_env(tmp_path, SECRET_KEY_FILE=str(key_file)))
    assert result.returncode == 0, result.stderr


def test_the_data_directory_and_the_sqlite_file_are_owner_only(tmp_path):
    env = production_env(tmp_path, SECRET_KEY=secrets.token_urlsafe(50))
    var = tmp_path / "var"
    var.mkdir(mode=0o755)
    database = var / "simpatik.sqlite3"
    database.touch(mode=0o644)
    os.chmod(database, 0o644)
    probe = "from django.db import connection; connection.ensure_connection()"
    result = run(["shell", "-c", probe], env)
    assert result.returncode == 0, result.stderr
    assert var.stat().st_mode & 0o777 == 0o700
    assert database.stat().st_mode & 0o777 == 0o600
    assert (var / "tmp").stat().st_mode & 0o777 == 0o700


def test_a_development_run_makes_and_keeps_its_own_key_owner_only(tmp_path):
    env = production_env(tmp_path, DEBUG="true")
    probe = "from django.conf import settings; print(settings.SECRET_KEY)"
    first, second = run(["shell", "-c", probe], env), run(["shell", "-c", probe], env)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout and len(first.stdout.strip()) > 50
    assert (tmp_path / "var" / "secret_key").stat().st_mode & 0o777 == 0o600


def test_check_deploy_warns_of_a_public_address_that_is_not_one(tmp_path):
    """The address is printed in every signed letter's QR code: a local one cannot be fixed later."""
    env = production_env(tmp_path, SECRET_KEY=secrets.token_urlsafe(50))
    env["SIMPATIK_PUBLIC_URL"] = "http://127.0.0.1:8000"
    result = run(["check", "--deploy"], env)
    assert "simpatik.W003" in result.stderr + result.stdout
