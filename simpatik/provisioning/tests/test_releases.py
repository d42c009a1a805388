"""Step 12 names a release that must exist in the project's real repository (git, not a mock)."""

import os
import subprocess

import pytest

from simpatik.accounts.permissions import system_actor
from simpatik.core.errors import ValidationError
from simpatik.projects import services
from simpatik.provisioning.models import Repository
from simpatik.provisioning.repos.local import repository_path
from simpatik.provisioning.services import provision_repository
from simpatik.testing.walker import open_run, walk_to


def git(*args, cwd):
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Dimas",
        "GIT_AUTHOR_EMAIL": "d@x.id",
        "GIT_COMMITTER_NAME": "Dimas",
        "GIT_COMMITTER_EMAIL": "d@x.id",
        "HOME": str(cwd),
    }
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def _complete(run, developer, ref):
    return services.complete_step(run, actor=developer, fields={"rilis_kode_sumber": ref})


@pytest.fixture
def at_step_12(project, team):
    run = walk_to(project, team, 12)
    return run, team[3]


def test_a_release_cannot_be_named_before_the_repository_exists(at_step_12):
    run, developer = at_step_12
    with pytest.raises(ValidationError) as caught:
        _complete(run, developer, "v1.0")
    assert "repositori proyek belum tersedia" in caught.value.message


def test_only_a_tag_or_commit_pushed_to_the_repository_is_accepted(at_step_12, tmp_path):
    run, developer = at_step_12
    repository = provision_repository(
        Repository.objects.get(project=run.project), actor=system_actor()
    )
    work = tmp_path / "kerja"
    git("clone", str(repository_path(repository.name)), str(work), cwd=tmp_path)
    (work / "README.md").write_text("# Aplikasi\n")
    git("add", ".", cwd=work)
    git("commit", "-m", "Rilis pertama", cwd=work)
    git("tag", "-a", "v1.2", "-m", "Rilis 1.2", cwd=work)
    git("push", "origin", "HEAD:main", "v1.2", cwd=work)
    commit = git("rev-parse", "HEAD", cwd=work)

    for wrong in ("v9.9", "0" * 12, "v1.2 ; rm", "v1.2\x00"):
        with pytest.raises(ValidationError) as caught:
            _complete(run, developer, wrong)
        assert caught.value.code == "field_invalid"
        if wrong == "v9.9":
            assert "tag atau commit 'v9.9' tidak ada di repositori" in caught.value.message
    assert open_run(run.project).step_number == 12
    services.engine.save_draft(run, actor=developer, fields={"rilis_kode_sumber": commit[:8]})
    _complete(run, developer, "v1.2")
    assert open_run(run.project).step_number == 13
