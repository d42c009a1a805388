"""A body over the limit is refused from its declared length, unread; temp uploads are swept."""

import os
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

MB = 1024 * 1024


class UnreadBody:
    """A request body that records whether anyone read it."""

    def __init__(self):
        self.reads = 0

    def read(self, *args):
        self.reads += 1
        return b"x" * 16

    def readline(self, *args):
        return self.read()


@pytest.mark.parametrize(
    "path,accept",
    [("/proyek/1/langkah/1/unggah/", "text/html"), ("/api/v1/projects/", "application/json")],
)
def test_a_300_mb_declared_upload_is_refused_with_413_before_the_body_is_read(kasie, path, accept):
    client = Client()
    client.force_login(kasie)
    body = UnreadBody()
    response = client.generic(
        "POST",
        path,
        HTTP_ACCEPT=accept,
        CONTENT_TYPE="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(300 * MB),
        **{"wsgi.input": body},
    )
    assert response.status_code == 413 and body.reads == 0
    assert response["Content-Length"] == str(len(response.content))  # client needs no close
    if path.startswith("/api/"):
        assert response.json()["code"] == "request_too_large"
        assert "terlalu besar" in response.json()["detail"]
    else:
        assert "Kiriman terlalu besar" in response.content.decode()


def test_a_body_within_the_limit_is_not_refused(kasie, settings):
    client = Client()
    client.force_login(kasie)
    response = client.post("/api/v1/projects/", {"nama": ""}, content_type="application/json")
    assert response.status_code != 413


def test_git_pushes_have_their_own_larger_limit(settings, db):
    settings.SIMPATIK_MAX_REQUEST_MB, settings.SIMPATIK_MAX_GIT_PUSH_MB = 1, 3
    client = Client()
    ok = client.generic("POST", "/git/x.git/git-receive-pack", CONTENT_LENGTH=str(2 * MB))
    refused = client.generic("POST", "/git/x.git/git-receive-pack", CONTENT_LENGTH=str(4 * MB))
    assert ok.status_code != 413 and refused.status_code == 413


def test_temporary_uploads_go_under_the_data_directory_owner_only(settings):
    temp = Path(settings.FILE_UPLOAD_TEMP_DIR)
    assert temp.is_relative_to(settings.VAR_DIR)
    assert temp.stat().st_mode & 0o777 == 0o700
    assert settings.VAR_DIR.stat().st_mode & 0o777 == 0o700


def test_cleanup_sweeps_old_temp_files_and_at_start_up_all_of_them(settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    old, fresh = tmp_path / "tmpold.upload.pdf", tmp_path / "tmpnew.upload.pdf"
    for path in (old, fresh):
        path.write_bytes(b"%PDF-" + b"x" * 1000)
    day_ago = time.time() - 24 * 3600
    os.utime(old, (day_ago, day_ago))
    call_command("cleanup", "--temp")
    assert not old.exists() and fresh.exists()
    call_command("cleanup", "--temp", "--older-than", "0")
    assert not fresh.exists()
