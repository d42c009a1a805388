"""Uploaded files and local repositories are readable by the server's user only."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from simpatik.projects.services import upload_document
from simpatik.provisioning.repos.local import LocalProvider, repository_path
from simpatik.testing.walker import open_run, sample_pdf


def test_an_uploaded_document_is_0600_in_0700_directories(project, team, settings):
    run = open_run(project)
    key = next(item.key for item in run.step.hasil if item.kind == "document")
    upload = SimpleUploadedFile("sp.pdf", sample_pdf("sp"), "application/pdf")
    document = upload_document(run, actor=team[0], key=key, uploaded=upload)
    path = Path(settings.MEDIA_ROOT) / document.path
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    assert Path(settings.MEDIA_ROOT).stat().st_mode & 0o777 == 0o700


def test_a_local_repository_is_0700(settings, tmp_path):
    settings.SIMPATIK_GIT_ROOT = tmp_path / "git"
    LocalProvider().create(name="prj-uji", description="Uji", members=[])
    assert repository_path("prj-uji").stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "git").stat().st_mode & 0o777 == 0o700
