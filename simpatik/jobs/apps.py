from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "simpatik.jobs"
    label = "jobs"
    verbose_name = "Pekerjaan latar"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        import simpatik.jobs.schedule  # noqa: F401  (registers its own jobs)

        autodiscover_modules("jobs")  # each app's jobs.py registers its jobs
        from django.conf import settings

        for module in getattr(settings, "SIMPATIK_JOB_MODULES", []):
            __import__(module)
