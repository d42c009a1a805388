"""A repository's history for one year, summarised from the bare repository with dulwich."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.utils import timezone


def _when(seconds: int) -> dt.datetime:
    return timezone.localtime(dt.datetime.fromtimestamp(seconds, dt.UTC))


def summary(path, period) -> tuple[list[list], dt.date | None]:
    """Rows (jenis, kunci, nilai): commits per month of the year, contributors by their commits
    that year, and every tag with the date of what it points at; and the latest commit's date.
    Every commit reachable from any branch or tag counts once."""
    from dulwich.objects import Commit, Tag
    from dulwich.repo import Repo

    repo = Repo(str(path))
    try:
        refs = repo.refs.as_dict()
        heads = sorted(
            {sha for name, sha in refs.items() if name.startswith((b"refs/heads/", b"refs/tags/"))}
        )
        tags = []
        for name, sha in sorted(refs.items()):
            if not name.startswith(b"refs/tags/"):
                continue
            target = repo[sha]
            while isinstance(target, Tag):
                target = repo[target.object[1]]
            when = (
                _when(target.commit_time).date().isoformat() if isinstance(target, Commit) else ""
            )
            tags.append((name[len(b"refs/tags/") :].decode(errors="replace"), when, target.id))
        commits = [c for c in heads if isinstance(repo[c], Commit)] + [
            t[2] for t in tags if isinstance(repo[t[2]], Commit)
        ]
        months: Counter = Counter()
        people: Counter = Counter()
        last = None
        if commits:
            for entry in repo.get_walker(include=sorted(set(commits))):
                commit = entry.commit
                when = _when(commit.commit_time)
                if when.year != period.year or when.date() > period.end:
                    continue
                months[f"{when:%Y-%m}"] += 1
                people[commit.author.split(b" <")[0].decode(errors="replace")] += 1  # no e-mail
                last = max(last, when.date()) if last else when.date()
    finally:
        repo.close()
    rows = [
        ["commit_per_bulan", f"{period.year}-{m:02d}", months.get(f"{period.year}-{m:02d}", 0)]
        for m in range(1, 13)
    ]
    rows += [["kontributor", name, count] for name, count in sorted(people.items())]
    rows += [["tag", name, f"{when} {sha.decode()[:12]}"] for name, when, sha in tags]
    return rows, last
