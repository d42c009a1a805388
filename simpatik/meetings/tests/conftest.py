from simpatik.notifications.tests.conftest import run_jobs_now, smtpd  # noqa: F401
