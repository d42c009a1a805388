"""Bare git repositories on the SIMPATIK server, served over smart HTTP by SIMPATIK itself."""

import datetime as dt
import os
import re
import shutil
import uuid
from pathlib import Path

from django.conf import settings

from simpatik.provisioning.repos import Commit, Created, ProvisioningError


def repository_path(name: str) -> Path:
    return Path(settings.SIMPATIK_GIT_ROOT) / f"{name}.git"


class LocalProvider:
    name = "local"

    def create(self, *, name: str, description: str, members) -> Created:
        from dulwich.repo import Repo

        final = repository_path(name)
        url = f"{settings.SIMPATIK_PUBLIC_URL}/git/{name}.git"
        if final.exists():
            return Created(clone_url=url)  # a retry after the directory was made: nothing to do
        root = Path(settings.SIMPATIK_GIT_ROOT)
        # Built aside and renamed into place: a failure never leaves a half-made repository.
        temporary = root / f".baru-{name}-{uuid.uuid4().hex}"
        try:
            root.mkdir(mode=0o700, parents=True, exist_ok=True)
            Repo.init_bare(str(temporary), mkdir=True, default_branch=b"main")
            (temporary / "description").write_text(description[:500] + "\n")
            temporary.chmod(0o700)  # the code of an application is the server's alone
            os.rename(temporary, final)
        except OSError as exc:
            shutil.rmtree(temporary, ignore_errors=True)
            raise ProvisioningError(f"Repositori tidak dapat dibuat di server: {exc}") from exc
        return Created(clone_url=url)

    def delete(self, name: str) -> None:
        shutil.rmtree(repository_path(name), ignore_errors=True)

    def has_ref(self, repository, ref: str) -> bool:
        """A tag or branch of that name, or a commit id (full or at least 7 hex digits), exists."""
        from dulwich.objects import Commit as GitCommit
        from dulwich.objects import Tag
        from dulwich.repo import Repo

        path = repository_path(repository.name)
        if not path.exists():
            return False
        repo = Repo(str(path))
        try:
            wanted = ref.encode()
            if any(prefix + wanted in repo.refs for prefix in (b"refs/tags/", b"refs/heads/")):
                return True
            if not re.fullmatch(r"[0-9a-f]{7,40}", ref):
                return False
            for sha in repo.object_store.iter_prefix(wanted):
                if isinstance(repo.object_store[sha], GitCommit | Tag):
                    return True
            return False
        finally:
            repo.close()

    def recent_commits(self, name: str, limit: int = 10) -> list[Commit]:
        from dulwich.repo import Repo

        path = repository_path(name)
        if not path.exists():
            return []
        repo = Repo(str(path))
        try:
            if b"HEAD" not in repo.refs or not repo.refs.as_dict():
                return []
            try:
                head = repo.head()
            except KeyError:
                return []
            commits = []
            for entry in repo.get_walker(include=[head], max_entries=limit):
                commit = entry.commit
                commits.append(
                    Commit(
                        sha=commit.id.decode()[:10],
                        author=commit.author.decode(errors="replace"),
                        message=commit.message.decode(errors="replace")
                        .strip()
                        .splitlines()[0][:200],
                        when=dt.datetime.fromtimestamp(commit.commit_time, dt.UTC),
                    )
                )
            return commits
        finally:
            repo.close()
