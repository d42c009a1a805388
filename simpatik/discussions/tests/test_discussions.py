"""Step discussions: sanitised, mentions notify, attachments checked, internal to Diskominfo."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from simpatik.audit.models import AuditRecord
from simpatik.core.errors import PermissionDenied, ValidationError
from simpatik.discussions import services
from simpatik.discussions.models import Comment
from simpatik.notifications.models import Notification
from simpatik.testing.walker import open_run, sample_pdf

pytestmark = pytest.mark.django_db


def test_a_mention_notifies_who_can_see_the_project(project, teknis, kasie, pengembang, opd_user):
    run = open_run(project)
    comment = services.post_comment(
        run, actor=teknis, body="@kasie mohon cek jadwalnya. @opd juga. @tidakada", files=[]
    )
    assert list(comment.mentions.all()) == [kasie]  # OPD staff cannot see internal discussion
    (note,) = Notification.objects.filter(event="diskusi.sebutan")
    assert note.recipient == kasie and "mohon cek" in note.message
    assert note.url.endswith(f"#komentar-{comment.pk}")
    audit = AuditRecord.objects.get(action="project.step.commented")
    assert audit.data["mentions"] == ["kasie"]


def test_script_never_runs_and_attachments_are_checked(client, project, kasie):
    run = open_run(project)
    services.post_comment(run, actor=kasie, body="<script>alert(1)</script>**tebal**")
    client.force_login(kasie)
    page = client.get(f"/proyek/{project.pk}/langkah/{run.step_number}/diskusi/").content.decode()
    assert "<script>alert(1)</script>" not in page and "<strong>tebal</strong>" in page
    with pytest.raises(ValidationError):
        services.post_comment(
            run,
            actor=kasie,
            body="lampiran",
            files=[SimpleUploadedFile("x.exe", b"MZ\x90\x00binary")],
        )
    assert Comment.objects.count() == 1
    comment = services.post_comment(
        run, actor=kasie, body="notulen", files=[SimpleUploadedFile("notulen.pdf", sample_pdf("n"))]
    )
    (attachment,) = comment.attachments.all()
    response = client.get(f"/diskusi/lampiran/{attachment.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")


def test_opd_staff_and_outsiders_are_kept_out(client, project, opd_user, outsider):
    run = open_run(project)
    with pytest.raises(PermissionDenied):
        services.post_comment(run, actor=opd_user, body="halo")
    client.force_login(opd_user)
    assert client.get(f"/proyek/{project.pk}/langkah/1/diskusi/").status_code == 403
    client.force_login(outsider)
    assert client.get(f"/proyek/{project.pk}/langkah/1/diskusi/").status_code == 404


def test_an_empty_comment_keeps_nothing_and_says_why(client, project, kasie):
    client.force_login(kasie)
    response = client.post(f"/proyek/{project.pk}/langkah/1/diskusi/", {"body": "   "})
    assert response.status_code == 400 and "wajib diisi" in response.content.decode()
    response = client.post(f"/proyek/{project.pk}/langkah/1/diskusi/", {"body": "x" * 10001})
    page = response.content.decode()
    assert response.status_code == 400 and "10.000" in page and "x" * 100 in page  # text kept
    assert Comment.objects.count() == 0
