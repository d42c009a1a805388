"""Issue 10 §4: while a delegation (Plh/Plt) runs, the delegate receives the role's tasks and
notifications, acts on its steps, signs its letters as "Plh." of the post, and every record
names both the delegate and the official; the official is left out until it ends by itself."""

import datetime as dt

import pytest
from django.utils import timezone

from simpatik.accounts import delegation, services
from simpatik.accounts.models import Delegation, Role, User
from simpatik.audit.models import AuditRecord
from simpatik.audit.sentences import describe
from simpatik.core.errors import PermissionDenied
from simpatik.letters.models import Letter
from simpatik.letters.tests.helpers import text_of
from simpatik.notifications.models import Notification
from simpatik.projects import queries
from simpatik.projects import services as projects
from simpatik.projects.services.rules import eligible, ensure_can_act
from simpatik.testing.delegations import plh
from simpatik.testing.walker import complete_current, open_run

pytestmark = pytest.mark.django_db
KADIS_POST = "Kepala Dinas Komunikasi Informatika dan Persandian"


def fresh(user):
    """The user as the next request sees them (no cached roles)."""
    return User.objects.get(pk=user.pk)


def notes(user, event):
    return list(Notification.objects.filter(recipient=user, event=event))


def test_delegation_changes_who_receives_and_signs_and_the_record_names_both(
    project, team, kadis, kabid, opd_user
):
    plh(kadis, kabid, "kadis")
    run = open_run(project)  # step 1, the Kadis's: the Surat Perintah
    # Receives: the request the OPD sends now, and step 1 in Tugas Saya, go to the Plh.
    need = projects.submit_need(actor=opd_user, judul="Aplikasi Arsip", latar_belakang="Manual")
    assert [n.key for n in notes(kabid, "usulan.diajukan")] == [f"usulan:{need.pk}"]
    assert notes(kadis, "usulan.diajukan") == []
    assert run.pk in [r.pk for r in queries.tasks_for(fresh(kabid))]
    assert run.pk not in [r.pk for r in queries.tasks_for(fresh(kadis))]
    with pytest.raises(PermissionDenied) as refused:
        ensure_can_act(fresh(kadis), run)
    assert refused.value.code == "wrong_role"

    done = complete_current(project, [fresh(kadis), fresh(kabid)])
    assert done.completed_by == kabid
    # Signs: the Surat Perintah names the Plh under "Plh. <the post>", never the official.
    (letter,) = Letter.objects.filter(step_run=done)
    assert letter.signer == kabid and letter.signer_name == "Rahmat Pontoh"
    assert letter.signer_position == f"Plh. {KADIS_POST}"
    text = text_of(letter)
    assert f"Plh. {KADIS_POST}" in text and "Rahmat Pontoh" in text
    assert "Aang Wardiman" not in text
    # The record names both: data for programs, a sentence for people.
    for code in ("project.step.completed", "letter.issued"):
        entry = AuditRecord.objects.get(action=code, project=project, step_number=1)
        assert entry.actor == kabid
        assert entry.data["atas_nama"] == "kadis"
        assert entry.data["sebagai"] == "Plh. Kadis Kominfo"
    completed = AuditRecord.objects.get(action="project.step.completed", step_number=1)
    (sentence,) = [str(e.sentence) for e in describe([completed])]
    assert sentence.startswith("Rahmat Pontoh (Plh. Kadis Kominfo, atas nama Aang Wardiman)")
    # The step the Kabid does in their own right is recorded as theirs alone.
    complete_current(project, [fresh(kabid)])
    own = AuditRecord.objects.get(action="project.step.completed", step_number=2)
    assert "atas_nama" not in own.data and "sebagai" not in own.data


def test_the_plh_of_a_role_gets_its_new_steps_and_the_official_away_does_not(
    project, team, kadis, kabid, kasie
):
    plh(kabid, kasie, "kabid")
    complete_current(project, team)  # the Kadis's step 1 opens step 2 for the Kabid
    run = open_run(project)
    assert [n.step_number for n in notes(kasie, "tugas.baru")] == [2]
    assert notes(kabid, "tugas.baru") == []
    assert eligible(fresh(kasie), run) and not eligible(fresh(kabid), run)
    assert [r.pk for r in queries.tasks_for(fresh(kasie))] == [run.pk]
    assert queries.tasks_for(fresh(kabid)) == []


def test_capabilities_follow_the_delegated_role_and_come_back_when_it_is_ended(kadis, kabid, opd):
    from simpatik.accounts.permissions import has

    assert not has(kabid, "mulai_proyek")
    made = plh(kadis, kabid, "kadis")
    assert has(fresh(kabid), "mulai_proyek") and not has(fresh(kadis), "mulai_proyek")
    assert has(fresh(kabid), "putuskan_usulan")  # the Kabid's own stays too
    started = projects.start_project(actor=fresh(kabid), nama="SIMPEG", opd=opd)
    record = AuditRecord.objects.get(action="project.started", project=started)
    assert record.data["atas_nama"] == "kadis" and record.data["sebagai"] == "Plh. Kadis Kominfo"
    services.end_delegation(made, actor=kadis)
    assert has(fresh(kadis), "mulai_proyek") and not has(fresh(kabid), "mulai_proyek")
    assert fresh(kabid).role_keys() == {"kabid"} and fresh(kadis).role_keys() == {"kadis"}


def test_it_ends_by_itself_after_its_last_day_and_starts_by_itself_on_its_first(
    project, kadis, kabid
):
    later = plh(kadis, kabid, "kadis", start=3)
    assert fresh(kabid).role_keys() == {"kabid"}  # not yet
    assert later.state() == "akan_datang"
    today = timezone.localdate()
    # Time passes: the same row, its range now in the past.
    Delegation.objects.filter(pk=later.pk).update(
        starts_on=today - dt.timedelta(days=9), ends_on=today - dt.timedelta(days=1)
    )
    later.refresh_from_db()
    assert later.state() == "berakhir" and later.state_label() == "sudah berakhir"
    assert fresh(kabid).role_keys() == {"kabid"} and fresh(kadis).role_keys() == {"kadis"}
    run = open_run(project)
    assert eligible(fresh(kadis), run) and not eligible(fresh(kabid), run)
    assert delegation.acting_for(fresh(kabid), "kadis") is None
    # And on the day it starts, it applies with no job having run.
    Delegation.objects.filter(pk=later.pk).update(starts_on=today, ends_on=today)
    assert "kadis" in fresh(kabid).role_keys() and "kadis" not in fresh(kadis).role_keys()


def test_a_plt_of_a_vacant_post_signs_as_plt_and_is_recorded_without_an_official(
    project, kasie, kabid
):
    from simpatik.letters import contexts

    admin = User.objects.create(username="admin-dinas", first_name="Admin", is_staff=True)
    services.delegate(
        None,
        actor=admin,
        to_user=kasie,
        role=Role.objects.get(key="kadis"),
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + dt.timedelta(days=30),
        reason="Kepala Dinas purnatugas; menunggu pelantikan",
        kind=Delegation.Kind.PLT,
    )
    acting = fresh(kasie)
    assert "kadis" in acting.role_keys()
    block = contexts.signer_block(acting, project.definition, "kadis")
    assert block["position"] == f"Plt. {KADIS_POST}" and block["name"] == "Sri Mokodompit"
    assert delegation.on_behalf(acting, project=project, step_number=1) == {
        "sebagai": "Plt. Kadis Kominfo",
        "atas_nama": None,
    }
    with pytest.raises(PermissionDenied):  # only administrators appoint a Plt
        services.delegate(
            None,
            actor=kabid,
            to_user=kabid,
            role=Role.objects.get(key="kadis"),
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate(),
            reason="x",
            kind=Delegation.Kind.PLT,
        )


def test_a_plh_of_a_team_member_works_the_members_steps_on_the_project(
    project, team, kasie, pengembang
):
    from simpatik.projects.models import Project, StepRun
    from simpatik.testing.personas import make_user
    from simpatik.testing.walker import walk_to

    run = walk_to(project, team, 9)  # the Tim Pengembang's step; the team was named at 8
    projects.claim_step(run, actor=pengembang)
    stand_in = make_user("pengganti", [], first_name="Budi", last_name="Pengganti")
    assert not Project.objects.visible_to(stand_in).filter(pk=project.pk).exists()
    plh(pengembang, stand_in, "pengembang")
    stand_in = fresh(stand_in)
    assert Project.objects.visible_to(stand_in).filter(pk=project.pk).exists()
    run = StepRun.objects.get(pk=run.pk)
    assert eligible(stand_in, run)
    ensure_can_act(stand_in, run)  # the member's claim passes to whoever covers them
    assert [r.pk for r in queries.tasks_for(stand_in)] == [run.pk]
    assert queries.tasks_for(fresh(pengembang)) == []


def test_the_deadline_reminder_goes_to_the_plh(project, team, kabid, kasie):
    from simpatik.core.workdays import add_working_days, is_working_day
    from simpatik.notifications import deadlines
    from simpatik.projects.models import StepRun

    plh(kabid, kasie, "kabid", days=20)
    complete_current(project, team)  # step 2, the Kabid's, is open
    day = timezone.localdate()
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    StepRun.objects.filter(pk=open_run(project).pk).update(due_date=add_working_days(day, 1))
    assert deadlines.sweep(today=day)["pengingat"] == 1
    assert len(notes(kasie, "tenggat.besok")) == 1 and notes(kabid, "tenggat.besok") == []


def test_roles_of_a_user_cost_one_query_with_delegations_both_ways(
    kadis, kabid, kasie, django_assert_num_queries
):
    plh(kadis, kabid, "kadis")
    plh(kabid, kasie, "kabid")
    person = fresh(kabid)
    with django_assert_num_queries(1):
        assert person.role_keys() == {"kadis"}
        assert person.own_role_keys() == {"kabid"}
        assert delegation.covered(person, "kadis") == {kadis.pk}
