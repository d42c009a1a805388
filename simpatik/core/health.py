"""`GET /healthz` for a load balancer: the database, file storage, the job runner, and the outside services
SIMPATIK is configured to use (PowerDNS, a Gitea/GitLab forge). Answers 200 when all pass, 500
otherwise; `Accept: application/json` (or `?format=json`) gives one line per check.
"""

import dataclasses
import os
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import connections
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

from simpatik.core.http import call


@dataclasses.dataclass
class GitRoot(HealthCheck):
    """The directory that holds the local repositories exists and can be written."""

    def run(self):
        root = settings.SIMPATIK_GIT_ROOT
        root.mkdir(parents=True, exist_ok=True)
        if not os.access(root, os.W_OK | os.X_OK):
            raise ServiceUnavailable("git root is not writable")


@dataclasses.dataclass
class PowerDns(HealthCheck):
    """The PowerDNS API answers with the configured key."""

    def run(self):
        response = call(
            "GET",
            settings.SIMPATIK_POWERDNS_URL,
            f"/api/v1/servers/{settings.SIMPATIK_POWERDNS_SERVER}",
            service="PowerDNS",
            error=ServiceUnavailable,
            timeout=4,
            headers={"X-API-Key": settings.SIMPATIK_POWERDNS_API_KEY},
        )
        if response.status_code != 200:
            raise ServiceUnavailable(f"PowerDNS answered {response.status_code}")


@dataclasses.dataclass
class Forge(HealthCheck):
    """The configured Gitea or GitLab answers its version endpoint."""

    def run(self):
        provider = settings.SIMPATIK_REPO_PROVIDER
        if provider == "gitea":
            base, path = settings.SIMPATIK_GITEA_URL, "/api/v1/version"
        else:
            base, path = settings.SIMPATIK_GITLAB_URL, "/api/v4/version"
        response = call("GET", base, path, service=provider, error=ServiceUnavailable, timeout=4)
        if response.status_code >= 500:
            raise ServiceUnavailable(f"{provider} answered {response.status_code}")


@dataclasses.dataclass
class JobRunner(HealthCheck):
    """A worker is taking jobs: none has waited past its time by more than the allowance."""

    def run(self):
        from datetime import timedelta

        from django.utils import timezone

        from simpatik.jobs.models import Job

        allowance = timedelta(minutes=settings.SIMPATIK_HEALTH_JOB_DELAY_MINUTES)
        late = Job.objects.filter(
            status=Job.Status.MENUNGGU, run_after__lt=timezone.now() - allowance
        ).count()
        if late:
            raise ServiceUnavailable(f"{late} jobs waiting; is `simpatik worker` running?")


def configured_checks() -> list:
    checks = ["health_check.checks.Database", "health_check.checks.Storage", GitRoot, JobRunner]
    if settings.SIMPATIK_DNS_PROVIDER == "powerdns":
        checks.append(PowerDns)
    if settings.SIMPATIK_REPO_PROVIDER in {"gitea", "gitlab"}:
        checks.append(Forge)
    checks.extend(getattr(settings, "SIMPATIK_EXTRA_HEALTH_CHECKS", []))
    return checks


class _ClosingExecutor(ThreadPoolExecutor):
    """The checks run in threads of their own; each closes its database connections when done, so
    no thread keeps a connection (on SQLite, with its table locks) after the request."""

    def submit(self, fn, /, *args, **kwargs):
        def run():
            try:
                return fn(*args, **kwargs)
            finally:
                connections.close_all()

        return super().submit(run)


class SimpatikHealthView(HealthCheckView):
    def get_executor(self):
        return _ClosingExecutor(max_workers=4, thread_name_prefix="healthz")

    def get_checks(self):
        self.checks = configured_checks()  # read per request: settings differ in tests
        return super().get_checks()

    def render_to_response(self, context, **kwargs):
        # Plain text instead of the package's HTML page: load balancers read the status code,
        # people read lines, and the page stays within the strict CSP.
        return self.render_to_response_text(kwargs.get("status", 200))
