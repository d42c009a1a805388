"""Uploaded files and local repositories are readable by the server's user only."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from simpatik.projects.services import upload_document
from simpatik.provisioning.repos.local import LocalProvider, repository_path
from simpatik.testing.walker import sample_pdf


def test_an_uploaded_document_is_0600_in_0700_directories(project, team, settings):
    from simpatik.testing.walker import walk_to

    run = walk_to(project, team, 2)  # the Kabid supplies the OPD's daftar kebutuhan here
    upload = SimpleUploadedFile("dk.pdf", sample_pdf("dk"), "application/pdf")
    document = upload_document(run, actor=team[1], key="daftar_kebutuhan", uploaded=upload)
    path = Path(settings.MEDIA_ROOT) / document.path
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    assert Path(settings.MEDIA_ROOT).stat().st_mode & 0o777 == 0o700


def test_a_local_repository_is_0700(settings, tmp_path):
    settings.SIMPATIK_GIT_ROOT = tmp_path / "git"
    LocalProvider().create(name="prj-uji", description="Uji", members=[])
    assert repository_path("prj-uji").stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "git").stat().st_mode & 0o777 == 0o700
