"""Step runs written straight to the database for tests that need known durations (oversight
figures, monitoring and evaluation): open, or completed with its working days."""

from simpatik.projects.models import StepRun


def made_run(project, step, *, opened, completed=None, days=None, tepat_waktu=None, **extra):
    return StepRun.objects.create(
        project=project,
        step_number=step,
        role_key=project.definition.step(step).role,
        status=StepRun.Status.SELESAI if completed else StepRun.Status.BERJALAN,
        opened_at=opened,
        completed_at=completed,
        working_days=days,
        tepat_waktu=tepat_waktu,
        **extra,
    )
