"""The jobs SIMPATIK can run in the background, by name. A job is a plain function of keyword
arguments that must be safe to run twice (a killed worker's job runs again)."""

from dataclasses import dataclass
from datetime import timedelta


class Permanent(Exception):  # noqa: N818 - a kind of failure, named for what it means
    """A failure no wait can heal (a setting, a secret only a person holds): no more attempts;
    the job is marked failed at once, with this message for people."""


@dataclass(frozen=True)
class JobType:
    name: str
    function: object
    title: str
    max_attempts: int = 5
    # A job still 'berjalan' after this long belonged to a worker that died: it runs again.
    max_runtime: timedelta = timedelta(minutes=10)
    # Called as on_failure(job) when the job gives up (its last error in job.last_error), in the
    # transaction that marks it failed: whom to tell is the job's business, not the runner's.
    on_failure: object = None


_JOBS: dict[str, JobType] = {}


def job(
    name: str,
    *,
    title: str,
    max_attempts: int = 5,
    max_runtime: timedelta | None = None,
    on_failure=None,
):
    """Register a function as the job `name` (dotted: `provisioning.create_repository`)."""

    def register(function):
        _JOBS[name] = JobType(
            name, function, title, max_attempts, max_runtime or timedelta(minutes=10), on_failure
        )
        return function

    return register


def get(name: str) -> JobType:
    return _JOBS[name]


def known(name: str) -> bool:
    return name in _JOBS


def all_types() -> dict[str, JobType]:
    return dict(_JOBS)
