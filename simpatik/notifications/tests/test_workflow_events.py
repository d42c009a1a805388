"""The engine tells people: a new task, a step sent back with its reason, requests and their fate."""

import pytest
from django.utils import formats

from simpatik.notifications.models import Notification
from simpatik.projects import services
from simpatik.testing.walker import complete_current, walk_to

pytestmark = pytest.mark.django_db


def _of(user, event):
    return list(Notification.objects.filter(recipient=user, event=event))


def test_a_new_step_tells_its_role_and_not_the_one_who_finished_it(
    project, team, kabid, kasie, kadis
):
    complete_current(project, team)  # step 1 by the Kadis opens step 2 for the Kabid
    (note,) = _of(kabid, "tugas.baru")
    assert "Langkah 2" in note.message and project.nama in note.message
    due = project.step_runs.get(step_number=2).due_date
    assert f"batas {formats.date_format(due, 'j M Y')}." in note.message  # 2 Des 2026, as pages
    assert note.url == project.get_absolute_url() and note.step_number == 2
    assert _of(kadis, "tugas.baru") == [] and _of(kasie, "tugas.baru") == []


def test_a_plan_sent_back_tells_the_developers_who_and_why(project, team, pengembang, teknis):
    walk_to(project, team, 11)
    complete_current(project, team, decision="tidak_setuju", reason="Mockup belum sesuai standar")
    (note,) = _of(pengembang, "langkah.dikembalikan")
    assert "Nur Paputungan" in note.message and "Mockup belum sesuai standar" in note.message
    assert "Tidak setuju" in note.message and note.step_number == 9


def test_the_opd_hears_when_its_request_is_taken_up_or_rejected(kadis, opd, opd_user):
    need = services.submit_need(actor=opd_user, judul="Aplikasi Cuti", latar_belakang="Perlu.")
    (new,) = _of(kadis, "usulan.diajukan")
    assert need.nomor in new.message and "Aplikasi Cuti" in new.message
    services.start_project(actor=kadis, nama=need.judul, opd=need.opd, need=need)
    (taken,) = _of(opd_user, "usulan.diproses")
    assert need.nomor in taken.message
    other = services.submit_need(actor=opd_user, judul="Aplikasi Lain", latar_belakang="x")
    services.reject_need(other, actor=kadis, reason="Sudah ada aplikasi sejenis")
    (rejected,) = _of(opd_user, "usulan.ditolak")
    assert "Sudah ada aplikasi sejenis" in rejected.message


def test_a_rolled_back_action_tells_nobody(project, team, kabid):
    from simpatik.core.errors import ValidationError

    run = project.step_runs.get(step_number=1)
    with pytest.raises(ValidationError):
        services.complete_step(run, actor=team[0], fields={"rujukan_usulan": "x" * 20000})
    assert _of(kabid, "tugas.baru") == []


def test_a_new_task_reaches_its_roles_chat_group_and_only_a_role_that_has_one(project, team):
    from simpatik.jobs.models import Job
    from simpatik.notifications.models import RoleChannel

    RoleChannel.objects.create(role_key="kasie", chat_url="tgram://bot/123")
    complete_current(project, team)  # opens step 2 for the Kabid: no group for that role
    assert not Job.objects.filter(name="notifications.role_chat").exists()
    complete_current(project, team)  # opens step 3 for the Kasie, whose role has a group
    (job,) = Job.objects.filter(name="notifications.role_chat")
    assert job.kwargs["role"] == "kasie" and "Langkah 3" in job.kwargs["message"]
