"""Enqueue, run, retry and schedule background jobs on Django's tasks API.

Our Job row is the truth people see (status, attempts, last error); the task backend (database
queue or Redis/RQ, by settings) only carries "run job N now". A job is claimed with a conditional
UPDATE, so a duplicate delivery or a second worker never runs it twice at once; a job whose
worker was killed is put back by `requeue_stale` and runs again.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from simpatik.audit.services import record
from simpatik.core.bulk import insert_ignoring_conflicts
from simpatik.core.errors import Conflict, ValidationError
from simpatik.jobs import registry
from simpatik.jobs.models import Job, PeriodicRun

logger = logging.getLogger("simpatik.jobs")

BACKOFF_BASE_SECONDS = 15
BACKOFF_MAX_SECONDS = 3600

# The job this thread is running, so a job can tell its last attempt from the ones still to come.
_running: ContextVar[Job | None] = ContextVar("simpatik_job", default=None)


def backoff(attempts: int) -> timedelta:
    return timedelta(
        seconds=min(BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS)
    )


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident() % 100000}"


def enqueue(
    name: str,
    *,
    kwargs: dict | None = None,
    key: str | None = None,
    project=None,
    actor=None,
    delay: timedelta | None = None,
) -> Job:
    """Record a job and hand it to the task backend when the caller's transaction commits."""
    if not registry.known(name):
        raise ValidationError(_("Pekerjaan latar tidak dikenal: %(name)s") % {"name": name})
    if key:
        existing = Job.objects.filter(key=key).first()
        if existing is not None:
            return existing
    job_type = registry.get(name)
    try:
        with transaction.atomic():
            job = Job.objects.create(
                name=name,
                kwargs=kwargs or {},
                key=key or None,
                max_attempts=job_type.max_attempts,
                run_after=timezone.now() + (delay or timedelta()),
                project=project,
                created_by=actor,
            )
    except IntegrityError:
        if key:
            return Job.objects.get(key=key)
        raise
    transaction.on_commit(lambda: dispatch(job.pk, job.run_after))
    return job


def enqueue_many(name: str, items: list[dict], *, delay: timedelta | None = None) -> list[Job]:
    """Record many jobs of one kind in a few statements (a sweep's deliveries): each item is
    {"kwargs", "key", "project_id"}. A key already recorded gives the job that has it, as
    `enqueue` does; the backend hears of them all in one hand-off when the caller commits."""
    if not registry.known(name):
        raise ValidationError(_("Pekerjaan latar tidak dikenal: %(name)s") % {"name": name})
    if not items:
        return []
    job_type = registry.get(name)
    run_after = timezone.now() + (delay or timedelta())
    made = Job.objects.bulk_create(
        Job(
            name=name,
            kwargs=item.get("kwargs") or {},
            max_attempts=job_type.max_attempts,
            run_after=run_after,
            project_id=item.get("project_id"),
        )
        for item in items
        if not item.get("key")
    )
    keys = [item["key"] for item in items if item.get("key")]
    if keys:
        # The unique key settles a race with another worker; the ids are read back.
        insert_ignoring_conflicts(
            Job,
            ["name", "kwargs", "key", "max_attempts", "run_after", "project"],
            [
                (
                    name,
                    item.get("kwargs") or {},
                    item["key"],
                    job_type.max_attempts,
                    run_after,
                    item.get("project_id"),
                )
                for item in items
                if item.get("key")
            ],
        )
        made += list(Job.objects.filter(key__in=keys).only("id", "status"))
    ids = [job.pk for job in made if job.status == Job.Status.MENUNGGU]
    transaction.on_commit(lambda: dispatch_many(ids, run_after))
    return made


def dispatch(job_id: int, run_after: datetime | None = None) -> None:
    """Hand 'run job N' to the configured task backend; a lost hand-off is found by the sweep."""
    try:
        _hand_over(job_id, run_after)
    except Exception:  # the sweep re-dispatches jobs left waiting; never fail the action for it
        logger.exception("Pekerjaan %s tidak dapat diserahkan ke antrean", job_id)


# Jobs per hand-off in dispatch_many: few backend rows, yet several workers share a batch.
HAND_OFF = 50


def dispatch_many(job_ids: list[int], run_after: datetime | None = None) -> None:
    """Hand many jobs over in a few tasks of HAND_OFF jobs each, not one task per job."""
    from simpatik.jobs.tasks import execute_many

    try:
        for first in range(0, len(job_ids), HAND_OFF):
            _task(execute_many, run_after).enqueue(job_ids[first : first + HAND_OFF])
    except Exception:  # as in dispatch: requeue_stale hands over what was lost
        logger.exception("%d pekerjaan tidak dapat diserahkan ke antrean", len(job_ids))


def _hand_over(job_id: int, run_after: datetime | None) -> None:
    from simpatik.jobs.tasks import execute

    _task(execute, run_after).enqueue(job_id)


def _task(task, run_after: datetime | None):
    from django.conf import settings
    from django_tasks import default_task_backend

    options = {"queue_name": settings.SIMPATIK_TASK_QUEUE}
    if run_after and run_after > timezone.now() and default_task_backend.supports_defer:
        options["run_after"] = run_after
    return task.using(**options)


def run(job_id: int) -> str:
    """Claim and run one job. Returns what happened: berhasil, gagal, diulang or dilewati."""
    now = timezone.now()
    me = worker_id()
    claimed = Job.objects.filter(
        pk=job_id, status=Job.Status.MENUNGGU, run_after__lte=now + timedelta(seconds=1)
    ).update(status=Job.Status.BERJALAN, attempts=F("attempts") + 1, started_at=now, claimed_by=me)
    if not claimed:
        return "dilewati"  # another worker has it, it is done, or it is not due yet
    job = Job.objects.get(pk=job_id)
    token = _running.set(job)
    try:
        registry.get(job.name).function(**job.kwargs)
    except Exception as exc:
        return _failed(job, me, exc)
    finally:
        _running.reset(token)
    Job.objects.filter(pk=job.pk, status=Job.Status.BERJALAN, claimed_by=me).update(
        status=Job.Status.BERHASIL, finished_at=timezone.now(), last_error=""
    )
    return "berhasil"


def current() -> Job | None:
    """The job being run in this thread (None when a function is called directly)."""
    return _running.get()


def last_attempt() -> bool:
    """True unless a job is running with attempts left: what a direct call also counts as."""
    job = current()
    return job is None or job.attempts >= job.max_attempts


def _failed(job: Job, me: str, exc: Exception) -> str:
    message = f"{type(exc).__name__}: {exc}"[:2000]
    logger.warning(
        "Pekerjaan %s (%s) gagal pada percobaan %d: %s", job.pk, job.name, job.attempts, message
    )
    if job.attempts < job.max_attempts and not isinstance(exc, registry.Permanent):
        run_after = timezone.now() + backoff(job.attempts)
        changed = Job.objects.filter(pk=job.pk, status=Job.Status.BERJALAN, claimed_by=me).update(
            status=Job.Status.MENUNGGU, run_after=run_after, last_error=message
        )
        if changed:
            dispatch(job.pk, run_after)
        return "diulang"
    with transaction.atomic():
        Job.objects.filter(pk=job.pk, status=Job.Status.BERJALAN, claimed_by=me).update(
            status=Job.Status.GAGAL, finished_at=timezone.now(), last_error=message
        )
        record(
            "job.failed",
            project=job.project,
            obj=job,
            via="worker",
            data={"job": job.name, "attempts": job.attempts, "error": message},
        )
        _tell_failure(job, message)
    return "gagal"


def _tell_failure(job: Job, message: str) -> None:
    """The job type's own word to people about a job that gave up. Its failure never keeps
    the job from being marked failed (the mark is what an operator acts on)."""
    hook = registry.get(job.name).on_failure
    if hook is None:
        return
    job.last_error, job.status = message, Job.Status.GAGAL
    try:
        with transaction.atomic():
            hook(job)
    except Exception:
        logger.exception("Pemberitahuan kegagalan pekerjaan %s tidak terkirim", job.pk)


def retry(job: Job, *, actor, via: str = "") -> Job:
    """Run a failed job again by hand, with a fresh allowance of attempts."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.status != Job.Status.GAGAL:
            raise Conflict(
                _("Hanya pekerjaan yang gagal yang dapat diulang."), code="job_not_failed"
            )
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.MENUNGGU,
            run_after=timezone.now(),
            max_attempts=job.attempts + registry.get(job.name).max_attempts,
            finished_at=None,
        )
        record(
            "job.retried",
            actor=actor,
            project=job.project,
            obj=job,
            via=via,
            data={"job": job.name, "attempts": job.attempts, "error": job.last_error},
        )
        transaction.on_commit(lambda: dispatch(job.pk))
    job.refresh_from_db()
    return job


def bring_forward(job: Job) -> bool:
    """A job waiting out its backoff runs now (someone fixed the cause and will not wait)."""
    if Job.objects.filter(pk=job.pk, status=Job.Status.MENUNGGU).update(run_after=timezone.now()):
        transaction.on_commit(lambda: dispatch(job.pk))
        return True
    return False


def requeue_stale(now: datetime | None = None) -> int:
    """Put back jobs whose worker died mid-job, and re-dispatch jobs whose hand-off was lost."""
    now = now or timezone.now()
    count = 0
    for job_type in registry.all_types().values():
        stale = Job.objects.filter(
            name=job_type.name,
            status=Job.Status.BERJALAN,
            started_at__lt=now - job_type.max_runtime,
        )
        for job_id in list(stale.values_list("pk", flat=True)):
            if Job.objects.filter(pk=job_id, status=Job.Status.BERJALAN).update(
                status=Job.Status.MENUNGGU,
                run_after=now,
                last_error=_("Pekerja berhenti di tengah pekerjaan; pekerjaan diulang."),
            ):
                dispatch(job_id)
                count += 1
    # A job waiting well past its time had its 'run now' lost (a backend restart): send it again.
    for job_id in Job.objects.filter(
        status=Job.Status.MENUNGGU, run_after__lt=now - timedelta(minutes=2)
    ).values_list("pk", flat=True)[:500]:
        dispatch(job_id)
        count += 1
    return count


def period_start(now: datetime, every: timedelta) -> datetime:
    """The start of the period `now` falls in, aligned to local (WITA) midnight."""
    seconds = every.total_seconds()
    offset = timezone.localtime(now).utcoffset().total_seconds()
    start = ((now.timestamp() + offset) // seconds) * seconds - offset
    return datetime.fromtimestamp(start, UTC)


def tick(now: datetime | None = None) -> list[Job]:
    """Start each scheduled job once per period, however many workers call this at once."""
    from simpatik.jobs.schedule import SCHEDULE

    now = now or timezone.now()
    started = []
    for entry in SCHEDULE:
        start = period_start(now - entry.offset, entry.every) + entry.offset
        if PeriodicRun.objects.filter(name=entry.name, period_start=start).exists():
            continue
        try:
            with transaction.atomic():
                job = enqueue(
                    entry.job,
                    kwargs=dict(entry.kwargs),
                    key=f"jadwal:{entry.name}:{start.isoformat()}",
                )
                PeriodicRun.objects.create(name=entry.name, period_start=start, job=job)
        except IntegrityError:
            continue  # another worker started this period's run first
        started.append(job)
    return started
