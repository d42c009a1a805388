"""`simpatik worker`: runs background jobs and starts the periodic ones.

With the database queue (the default) it runs django-tasks-db's worker; with Redis/RQ
(SIMPATIK_TASK_BACKEND=rq) RQ's worker with its scheduler. In both, a scheduler thread starts
periodic jobs (once per period however many workers run) and puts back the jobs of workers that
died. Stop with SIGTERM: the current job finishes first.
"""

import logging
import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from simpatik.jobs import services

logger = logging.getLogger("simpatik.jobs")


def _schedule_loop(stop: threading.Event, every: float) -> None:
    while not stop.is_set():
        close_old_connections()
        try:
            services.requeue_stale()
            services.tick()
        except Exception:  # keep the scheduler alive; the next tick tries again
            logger.exception("Penjadwal pekerjaan latar gagal; dicoba lagi")
        finally:
            close_old_connections()
        stop.wait(every)


class Command(BaseCommand):
    help = "Menjalankan pekerjaan latar dan jadwal berkala."

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="jalankan yang siap sekarang lalu berhenti"
        )
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument("--worker-id", default=None)
        parser.add_argument(
            "--no-schedule", action="store_true", help="tanpa jadwal berkala (pekerja tambahan)"
        )

    def handle(self, *args, once=False, interval=1.0, worker_id=None, no_schedule=False, **_):
        backend = settings.SIMPATIK_TASK_BACKEND
        if not once:
            from simpatik.letters.warmup import warm

            warm()  # a long-running worker signs its first letter as fast as its tenth
        if once:
            services.requeue_stale()
            if not no_schedule:
                services.tick()
        stop = threading.Event()
        if not once and not no_schedule:
            thread = threading.Thread(
                target=_schedule_loop,
                args=(stop, settings.SIMPATIK_SCHEDULER_TICK_SECONDS),
                name="simpatik-scheduler",
                daemon=True,
            )
            thread.start()
        try:
            if backend == "rq":
                options = {"job_class": "django_tasks_rq.Job", "with_scheduler": True}
                if once:
                    options["burst"] = True
                call_command("rqworker", settings.SIMPATIK_TASK_QUEUE, **options)
            elif backend == "database":
                call_command(
                    "db_worker",
                    batch=once,
                    queue_name=settings.SIMPATIK_TASK_QUEUE,
                    interval=interval,
                    startup_delay=not once,
                    reload=False,
                    worker_id=worker_id or services.worker_id()[:64],
                )
            else:
                self.stdout.write(
                    f"SIMPATIK_TASK_BACKEND={backend}: pekerjaan dijalankan langsung."
                )
        finally:
            stop.set()
