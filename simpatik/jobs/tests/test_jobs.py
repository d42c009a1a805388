"""Background jobs: retries with backoff, failure visible and retried by hand, no double runs."""

from datetime import timedelta

import pytest
from django.utils import timezone

from simpatik.audit.models import AuditRecord
from simpatik.core.errors import Conflict, ValidationError
from simpatik.jobs import services
from simpatik.jobs.models import Job, PeriodicRun
from simpatik.jobs.schedule import SCHEDULE
from simpatik.jobs.tests import probe  # noqa: F401  (registers test.marker)

pytestmark = pytest.mark.django_db


def _due(job):
    Job.objects.filter(pk=job.pk).update(run_after=timezone.now() - timedelta(seconds=1))


def test_a_job_runs_once_and_a_second_delivery_is_skipped(tmp_path):
    path = tmp_path / "marker.txt"
    job = services.enqueue("test.marker", kwargs={"path": str(path)})
    assert services.run(job.pk) == "berhasil"
    assert services.run(job.pk) == "dilewati"
    job.refresh_from_db()
    assert job.status == Job.Status.BERHASIL and job.attempts == 1
    assert path.read_text() == "mulai\nselesai\n"


def test_a_failing_job_is_retried_with_growing_backoff_then_marked_failed(tmp_path, kasie):
    path = tmp_path / "marker.txt"
    job = services.enqueue("test.marker", kwargs={"path": str(path), "fail_times": 5})
    before = timezone.now()
    assert services.run(job.pk) == "diulang"
    job.refresh_from_db()
    assert job.status == Job.Status.MENUNGGU and "gagal sengaja" in job.last_error
    first_wait = job.run_after - before
    assert services.run(job.pk) == "dilewati"  # not due yet: backoff holds it back
    _due(job)
    assert services.run(job.pk) == "diulang"
    job.refresh_from_db()
    assert job.run_after - timezone.now() > first_wait  # the wait grew
    _due(job)
    assert services.run(job.pk) == "gagal"
    job.refresh_from_db()
    assert job.status == Job.Status.GAGAL and job.attempts == 3
    failed = AuditRecord.objects.get(action="job.failed")
    assert failed.data["job"] == "test.marker" and failed.data["attempts"] == 3

    services.retry(job, actor=kasie, via="web")
    job.refresh_from_db()
    assert job.status == Job.Status.MENUNGGU and job.max_attempts == 6
    assert AuditRecord.objects.get(action="job.retried").actor == kasie
    with pytest.raises(Conflict) as refused:
        services.retry(job, actor=kasie)
    assert refused.value.code == "job_not_failed"


def test_the_same_key_gives_the_same_job(tmp_path):
    first = services.enqueue("test.marker", kwargs={"path": str(tmp_path / "a")}, key="k-1")
    second = services.enqueue("test.marker", kwargs={"path": str(tmp_path / "b")}, key="k-1")
    assert first.pk == second.pk and Job.objects.count() == 1


def test_an_unknown_job_name_is_refused():
    with pytest.raises(ValidationError):
        services.enqueue("tidak.ada")


def test_a_job_left_running_by_a_dead_worker_runs_again(tmp_path):
    path = tmp_path / "marker.txt"
    job = services.enqueue("test.marker", kwargs={"path": str(path)})
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.BERJALAN, attempts=1, started_at=timezone.now() - timedelta(seconds=5)
    )
    assert services.requeue_stale() >= 1
    assert services.run(job.pk) == "berhasil"
    job.refresh_from_db()
    assert job.attempts == 2 and job.status == Job.Status.BERHASIL


def test_a_running_job_within_its_time_is_left_alone(tmp_path):
    job = services.enqueue("test.marker", kwargs={"path": str(tmp_path / "m")})
    Job.objects.filter(pk=job.pk).update(status=Job.Status.BERJALAN, started_at=timezone.now())
    services.requeue_stale()
    job.refresh_from_db()
    assert job.status == Job.Status.BERJALAN


def test_each_scheduled_job_starts_once_per_period():
    now = timezone.now()
    first = services.tick(now)
    again = services.tick(now + timedelta(seconds=1))
    assert len(first) == len(SCHEDULE) and again == []
    assert PeriodicRun.objects.count() == len(SCHEDULE)
    later = services.tick(now + max(entry.every for entry in SCHEDULE))
    assert len(later) == len(SCHEDULE)


def test_periods_start_at_local_midnight():
    from datetime import UTC, datetime

    # 01:00 WITA on 29 Nov is 17:00 UTC on 28 Nov; the day began at 16:00 UTC on 28 Nov.
    start = services.period_start(datetime(2026, 11, 28, 17, 0, tzinfo=UTC), timedelta(days=1))
    assert start == datetime(2026, 11, 28, 16, 0, tzinfo=UTC)


def test_the_background_jobs_page_shows_failures_and_retries_them(
    client, kasie, admin_user, tmp_path
):
    job = services.enqueue("test.marker", kwargs={"path": str(tmp_path / "m"), "fail_times": 9})
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.GAGAL, attempts=3, last_error="RuntimeError: gagal sengaja"
    )
    client.force_login(kasie)
    assert client.get("/pekerjaan/").status_code == 403
    assert client.post(f"/pekerjaan/{job.pk}/ulang/").status_code == 403
    client.force_login(admin_user)
    page = client.get("/pekerjaan/?status=gagal").content.decode()
    assert "Penanda uji" in page and "RuntimeError: gagal sengaja" in page and "Ulangi" in page
    response = client.post(f"/pekerjaan/{job.pk}/ulang/")
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == Job.Status.MENUNGGU
    assert client.post(f"/pekerjaan/{job.pk}/ulang/").status_code == 409


def test_the_schedule_names_registered_jobs_and_runs_the_daily_work():
    from simpatik.jobs import registry
    from simpatik.jobs.schedule import SCHEDULE

    names = {entry.job for entry in SCHEDULE}
    assert all(registry.known(name) for name in names), names
    # The Kadis knows each morning what is late: the deadline sweep is periodic work.
    assert {
        "notifications.deadline_sweep",
        "notifications.digest",
        "core.cleanup_temp",
        "core.purge_idempotency_keys",
    } <= names
