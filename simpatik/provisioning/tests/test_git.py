"""The project's repository over git smart HTTP, with a real git client against the live server."""

import os
import subprocess
from urllib.parse import quote

import pytest
from django.core.management import call_command

from simpatik.provisioning.models import Repository
from simpatik.testing.personas import make_user
from simpatik.testing.walker import complete_current, walk_to

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "rahasia-123"


def git(*args, cwd=None, check=True):
    env = {
        **os.environ,
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_AUTHOR_NAME": "Dimas",
        "GIT_AUTHOR_EMAIL": "d@x.id",
        "GIT_COMMITTER_NAME": "Dimas",
        "GIT_COMMITTER_EMAIL": "d@x.id",
        "HOME": str(cwd or os.getcwd()),
    }
    return subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=check
    )


def url_for(live_server, repository, user, secret=PASSWORD):
    host = live_server.url.split("://", 1)[1]
    return f"http://{user.username}:{quote(secret)}@{host}/git/{repository.name}.git"


@pytest.fixture
def repository(project, team, settings, tmp_path):
    """Step 8 commits with its job; `simpatik worker --once` (the database queue) makes the repo."""
    settings.SIMPATIK_GIT_ROOT = tmp_path / "git"
    walk_to(project, team, 8)
    complete_current(project, team, extra_fields={"tim_pengembang": ["pengembang"]})
    repository = Repository.objects.get(project=project)
    assert repository.status == "menunggu"  # the request did not call the provider
    assert not (tmp_path / "git" / f"{repository.name}.git").exists()
    call_command("worker", "--once", "--no-schedule", "--interval", "0")
    repository.refresh_from_db()
    assert repository.status == "siap", repository.error
    assert (tmp_path / "git" / f"{repository.name}.git" / "HEAD").is_file()
    return repository


def test_step_8_provisions_a_repository_the_team_clones_and_pushes_to(
    repository, team, live_server, tmp_path
):
    developer = team[3]
    work = tmp_path / "work"
    clone = git(
        "clone", url_for(live_server, repository, developer), str(work), cwd=tmp_path, check=False
    )
    assert clone.returncode == 0, clone.stderr
    (work / "README.md").write_text("# Aplikasi Cuti\n")
    git("add", ".", cwd=work)
    git("commit", "-m", "Kerangka awal", cwd=work)
    push = git("push", "origin", "HEAD:main", cwd=work, check=False)
    assert push.returncode == 0, push.stderr
    again = tmp_path / "again"
    git(
        "clone", url_for(live_server, repository, team[4]), str(again), cwd=tmp_path
    )  # Tim Teknis reads
    assert (again / "README.md").read_text() == "# Aplikasi Cuti\n"
    from simpatik.provisioning.repos.local import LocalProvider

    commits = LocalProvider().recent_commits(repository.name)
    assert [c.message for c in commits] == ["Kerangka awal"]


def test_a_push_of_several_megabytes_goes_through(repository, team, live_server, tmp_path):
    work = tmp_path / "big"
    git("clone", url_for(live_server, repository, team[3]), str(work), cwd=tmp_path)
    (work / "aset.bin").write_bytes(os.urandom(6 * 1024 * 1024))  # over git's 1 MB: sent chunked
    git("add", ".", cwd=work)
    git("commit", "-m", "Aset besar", cwd=work)
    push = git("push", "origin", "HEAD:main", cwd=work, check=False)
    assert push.returncode == 0, push.stderr
    check = tmp_path / "check"
    git("clone", url_for(live_server, repository, team[4]), str(check), cwd=tmp_path)
    assert (check / "aset.bin").stat().st_size == 6 * 1024 * 1024


def test_tim_teknis_and_outsiders_cannot_push_and_strangers_cannot_read(
    repository, team, live_server, tmp_path
):
    work = tmp_path / "teknis"
    git("clone", url_for(live_server, repository, team[4]), str(work), cwd=tmp_path)
    (work / "x.txt").write_text("x")
    git("add", ".", cwd=work)
    git("commit", "-m", "coba", cwd=work)
    refused = git("push", "origin", "HEAD:main", cwd=work, check=False)
    assert refused.returncode != 0 and "403" in refused.stderr
    outsider = make_user("luar", [], password=PASSWORD)
    stranger = git(
        "clone",
        url_for(live_server, repository, outsider),
        str(tmp_path / "s"),
        cwd=tmp_path,
        check=False,
    )
    assert stranger.returncode != 0 and "not found" in stranger.stderr
    wrong = git(
        "clone",
        url_for(live_server, repository, team[3], "salah"),
        str(tmp_path / "w"),
        cwd=tmp_path,
        check=False,
    )
    assert wrong.returncode != 0


def test_an_api_token_works_as_the_password(repository, team, live_server, tmp_path):
    from simpatik.accounts.services import create_api_token

    _row, token = create_api_token(team[3])
    done = git(
        "clone",
        url_for(live_server, repository, team[3], token),
        str(tmp_path / "t"),
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_a_chunked_push_over_the_limit_is_cut_and_changes_nothing(
    repository, team, live_server, tmp_path, settings
):
    settings.SIMPATIK_MAX_GIT_PUSH_MB = 1
    work = tmp_path / "terlalu-besar"
    git("clone", url_for(live_server, repository, team[3]), str(work), cwd=tmp_path)
    (work / "aset.bin").write_bytes(os.urandom(3 * 1024 * 1024))  # chunked: no length declared
    git("add", ".", cwd=work)
    git("commit", "-m", "Aset terlalu besar", cwd=work)
    push = git("push", "origin", "HEAD:main", cwd=work, check=False)
    # Refused: git reads the 413, or (when the server answers and closes before git has sent
    # the rest) reports the broken connection. Either way nothing below may have changed.
    assert push.returncode != 0
    assert "413" in push.stderr or "RPC failed" in push.stderr, push.stderr
    refs = git("ls-remote", url_for(live_server, repository, team[4]), cwd=tmp_path)
    assert "refs/heads/main" not in refs.stdout
    # dulwich leaves the half-received pack behind; the start-up sweep removes it.
    call_command("cleanup", "--temp", "--older-than", "0")
    left = [p.name for p in (settings.SIMPATIK_GIT_ROOT / f"{repository.name}.git").rglob("*")]
    assert not [name for name in left if "tmp" in name or name.endswith(".pack")], left
