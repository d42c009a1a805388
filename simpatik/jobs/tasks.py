"""The one task the backend carries: 'run SIMPATIK job N'. Our Job row holds everything else."""

from django_tasks import task

from simpatik.jobs import services


@task()
def execute(job_id: int) -> str:
    return services.run(job_id)
