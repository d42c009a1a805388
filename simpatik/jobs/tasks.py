"""The one task the backend carries: 'run SIMPATIK job N'. Our Job row holds everything else."""

from django_tasks import task

from simpatik.jobs import services


@task()
def execute(job_id: int) -> str:
    return services.run(job_id)


@task()
def execute_many(job_ids: list[int]) -> list[str]:
    """'Run jobs N, M, …': one hand-off for a batch (a sweep's deliveries). Each job is still
    claimed, retried and shown on its own; one left unrun by a dead worker is handed over again
    by `requeue_stale`."""
    return [services.run(job_id) for job_id in job_ids]
