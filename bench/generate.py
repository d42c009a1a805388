"""Build a province-scale data set through SIMPATIK's models, with bulk inserts.

N projects (default 10,000) at every stage of the SOP: needs, step runs (with loops back and
suspensions, as the SOP data allows), their recorded values, documents, issued letters, the teams
of step 8, and about 100 hash-chained audit records per project (1,000,000 at 10,000), so that
`simpatik audit verify` passes and the services go on from any generated project. Numbers (project
codes, usulan, letters) continue the installation's gapless counters.

Run: .venv/bin/python bench/generate.py [--projects N] [--audit-per-project 100] [--seed 1]
Without DATABASE_URL it fills a fresh SQLite file in a temporary directory (never var/); with
DATABASE_URL it adds to that database. The benchmarks import `generate()` after django.setup().
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import os
import random
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "simpatik.settings")
    os.environ.setdefault("DEBUG", "true")
    if not os.environ.get("DATABASE_URL"):
        os.environ.setdefault("SIMPATIK_VAR_DIR", tempfile.mkdtemp(prefix="simpatik-generate-"))
    import django

    django.setup()

from django.conf import settings  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

# The SOP's effect (a hook named in the SOP file) that asks for a project's repository.
REPOSITORY = "provisioning.request_repository"
CHUNK = 250  # projects per transaction: about 25,000 audit rows in memory at a time
TEXT = (
    "Aplikasi ini melayani kebutuhan OPD dalam pengelolaan data dan layanan publik; ruang lingkup, "
    "pengguna sasaran dan integrasi dengan aplikasi lain telah ditelaah bersama Bidang Aptika."
)


@dataclass
class Plan:
    """One project's history before it is written: its runs and what each produced."""

    runs: list  # (step number, decision or None, done?)
    status: str
    opd: object
    need: bool
    created: dt.datetime
    times: list = field(default_factory=list)  # (opened_at, completed_at or None) per run


def generate(
    projects: int = 10_000,
    *,
    audit_per_project: int = 100,
    seed: int = 1,
    open_step: int | None = None,
    opds: int = 30,
    out=None,
) -> dict:
    """Add `projects` projects; returns the number of rows written per table.

    open_step=N puts every project's open step at N on the straight path (no loops), for a
    benchmark that completes that step N times.
    """
    from simpatik.sop.services import active_version, load_definition

    try:
        version = active_version()
    except Exception:  # noqa: BLE001 - NotFound: a fresh database gets the shipped SOP
        load_definition(settings.SIMPATIK_SOP_DEFINITION.read_text())
        version = active_version()
    rng = random.Random(seed)
    offices = _opds(opds)
    people = _people(offices)
    started = time.perf_counter()
    counts: dict[str, int] = {}
    counters = _Counters()
    done = 0
    while done < projects:
        size = min(CHUNK, projects - done)
        plans = [_plan(version.definition, rng, offices, open_step) for _ in range(size)]
        with transaction.atomic(), _explicit_times():
            written = _write(plans, version, people, rng, counters, audit_per_project)
            counters.save()
        for table, count in written.items():
            counts[table] = counts.get(table, 0) + count
        done += size
        if out is not None:
            rate = done / (time.perf_counter() - started)
            print(f"  {done}/{projects} projects ({rate:.0f}/s)", file=out, flush=True)
    counts["seconds"] = round(time.perf_counter() - started, 1)
    return counts


def _people(offices) -> dict:
    """Holders of each SOP role (the personas, more developers and technical staff), and one
    member of staff per OPD who sends its requests."""
    from simpatik.testing.personas import PERSONAS, make_user

    people: dict[str, list] = {}
    for name, (first, last, roles) in PERSONAS.items():
        user = make_user(name, roles, first_name=first, last_name=last)
        for role in roles:
            people.setdefault(role, []).append(user)
    for role in ("pengembang", "teknis"):
        for index in range(2, 7):
            user = make_user(
                f"{role}{index}", [role], first_name=role.title(), last_name=str(index)
            )
            people[role].append(user)
    people["staf"] = {opd.pk: make_user(f"staf-{opd.kode}", [], opd=opd) for opd in offices}
    return people


def _opds(count: int) -> list:
    from simpatik.accounts.models import Opd

    existing = {opd.kode: opd for opd in Opd.objects.filter(kode__startswith="bench-")}
    missing = [
        Opd(kode=f"bench-{i:02d}", nama=f"Dinas Bench {i:02d}", singkatan=f"DB{i:02d}")
        for i in range(count)
        if f"bench-{i:02d}" not in existing
    ]
    Opd.objects.bulk_create(missing)
    return list(Opd.objects.filter(kode__startswith="bench-").order_by("kode"))[:count]


class _Counters:
    """The gapless yearly counters (core.Sequence), advanced in memory and saved per chunk."""

    def __init__(self):
        from simpatik.core.models import Sequence

        self.model = Sequence
        self.values = {(s.name, s.year): s.last for s in Sequence.objects.all()}
        self.touched: set = set()

    def next(self, name: str, year: int) -> int:
        value = self.values.get((name, year), 0) + 1
        self.values[(name, year)] = value
        self.touched.add((name, year))
        return value

    def save(self):
        for name, year in sorted(self.touched):
            self.model.objects.update_or_create(
                name=name, year=year, defaults={"last": self.values[(name, year)]}
            )
        self.touched.clear()


@contextlib.contextmanager
def _explicit_times():
    """Rows keep the times of their history, not the time of the insert."""
    from simpatik.letters.models import Letter
    from simpatik.projects.models import Document, Need, Project, ProjectMember

    fields = [
        Project._meta.get_field("created_at"),
        Need._meta.get_field("created_at"),
        Document._meta.get_field("uploaded_at"),
        Letter._meta.get_field("issued_at"),
        ProjectMember._meta.get_field("added_at"),
    ]
    for f in fields:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f in fields:
            f.auto_now_add = True


def _path(definition, rng, open_step):
    """The runs a project's whole history would have: (step, decision) until it ends."""
    runs, number, looped = [], definition.first_step.number, set()
    while True:
        step = definition.step(number)
        decision, target = None, step.next
        if step.is_decision:
            option = step.decisions[0]  # the first option goes on (the default flow)
            others = step.decisions[1:]
            back = [o for o in others if o.next < number]
            suspends = [o for o in others if definition.step(o.next).suspend]
            if open_step is None and back and number not in looped and rng.random() < 0.15:
                option = back[0]
                looped.add(number)
            elif open_step is None and suspends and rng.random() < 0.05:
                option = suspends[0]
            decision, target = option.value, option.next
        runs.append((number, decision))
        if open_step is not None and number == open_step:
            return runs, "open"
        if target is None:
            return runs, "suspended" if step.suspend else "finished"
        number = target


def _plan(definition, rng, offices, open_step) -> Plan:
    path, outcome = _path(definition, rng, open_step)
    if open_step is not None:
        runs = [(n, d, True) for n, d in path[:-1]] + [(path[-1][0], None, False)]
        status = "berjalan"
    elif outcome != "finished" or rng.random() < 0.3:
        # Suspended projects stop where their path does; others stop somewhere along it.
        cut = len(path) if outcome == "suspended" else rng.randint(1, len(path))
        runs = [(n, d, True) for n, d in path[: cut - 1]]
        last_number, last_decision = path[cut - 1]
        if outcome == "suspended" and cut == len(path):
            runs.append((last_number, last_decision, True))
            status = "ditangguhkan"
        else:
            runs.append((last_number, None, False))
            status = "berjalan"
    else:
        runs, status = [(n, d, True) for n, d in path], "selesai"
    now = timezone.now()
    # The last event is recent for running projects, up to three years old for ended ones.
    end = now - dt.timedelta(hours=rng.uniform(1, 30 * 24 if status == "berjalan" else 1000 * 24))
    durations = [dt.timedelta(hours=rng.uniform(2, 8 * 24)) for _ in runs]
    # `end` is the last event: the open run's opening, or the last run's completion.
    opened = end - sum(durations if runs[-1][2] else durations[:-1], dt.timedelta())
    created = opened - dt.timedelta(minutes=rng.uniform(1, 60))
    plan = Plan(runs, status, rng.choice(offices), rng.random() < 0.6, created)
    for (_n, _d, done), duration in zip(runs, durations, strict=True):
        plan.times.append((opened, opened + duration if done else None))
        opened = opened + duration
    return plan


def _sha(*parts) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()


def _value(item, project, team, people, when):
    """A value of the kind the step asks for, as a person would record it."""
    if item.type == "choice":
        if item.choices_from_role:
            holders = team if item.assigns_team else people.get(item.choices_from_role, [])
            names = [u.username for u in holders[:2]]
            return names if item.multiple else names[0]
        if item.choices:
            return [str(item.choices[0])] if item.multiple else str(item.choices[0])
        return None  # choices from a hook (the inventory): left to people
    if item.type == "number":
        low = item.min if item.min is not None else 1
        return max(low, min(10, item.max if item.max is not None else 10))
    if item.type == "date":
        return timezone.localdate(when).isoformat()
    if item.type == "boolean":
        return True
    if item.validate == "git.ref":
        return "v1.0"
    if item.validate == "dns.subdomain":
        return f"{item.example or 'aplikasi'}{project.pk}"
    return f"{item.label}: {TEXT}"


def _write(plans, version, people, rng, counters, audit_per_project) -> dict:
    from simpatik.audit import chain
    from simpatik.audit.models import AuditRecord
    from simpatik.core.workdays import add_working_days, working_days_between
    from simpatik.letters.contexts import signer_block
    from simpatik.letters.kinds import KINDS, format_number
    from simpatik.letters.models import Letter
    from simpatik.projects.models import Document, Need, Project, ProjectMember, StepRun
    from simpatik.provisioning.models import Repository
    from simpatik.provisioning.services import repository_name

    definition = version.definition
    kadis = people["kadis"][0]

    needs = {}
    for index, plan in enumerate(plans):
        if plan.need:
            year = plan.created.year
            needs[index] = Need(
                nomor=f"USL-{year}-{counters.next('need', year):04d}",
                judul=f"Aplikasi layanan {index}",
                opd=plan.opd,
                latar_belakang=TEXT,
                status=Need.Status.DIPROSES,
                created_by=people["staf"][plan.opd.pk],
                created_at=plan.created - dt.timedelta(days=rng.uniform(1, 20)),
            )
    Need.objects.bulk_create(needs.values())
    projects = []
    for index, plan in enumerate(plans):
        year = plan.created.year
        finished = plan.times[-1][1] if plan.status == "selesai" else None
        projects.append(
            Project(
                kode=f"PRJ-{year}-{counters.next('project', year):04d}",
                nama=f"Sistem Informasi {plan.opd.singkatan} {index}",
                deskripsi=TEXT,
                opd=plan.opd,
                need=needs.get(index),
                sop_version=version,
                status=plan.status,
                created_by=kadis,
                created_at=plan.created,
                finished_at=finished,
            )
        )
    Project.objects.bulk_create(projects)

    # Step runs, with the values each completed run recorded.
    runs_of, members, all_runs = [], [], []
    for plan, project in zip(plans, projects, strict=True):
        team = rng.sample(people["pengembang"], 2)
        assigned = False  # team roles are held by everyone with the role until a step assigns
        rounds: dict[int, int] = {}
        runs = []
        for (number, decision, done), (opened, completed) in zip(
            plan.runs, plan.times, strict=True
        ):
            step = definition.step(number)
            rounds[number] = rounds.get(number, 0) + 1
            holders = team if assigned and step.role in definition.team_roles else None
            actor = rng.choice(holders or people[step.role])
            values = {}
            if done:
                for item in step.requirements:
                    if item.kind != "field" or not item.applies_to(decision):
                        continue
                    if not definition.writable(number, item.key):
                        continue
                    value = _value(item, project, team, people, opened)
                    if value is not None:
                        values[item.key] = value
            due_days = step.waktu
            if step.waktu_from_field:
                due_days = 10
            due = add_working_days(timezone.localdate(opened), due_days) if due_days else None
            finished_on = timezone.localdate(completed) if done else None
            run = StepRun(
                project=project,
                step_number=number,
                round=rounds[number],
                role_key=step.role,
                status=StepRun.Status.SELESAI if done else StepRun.Status.BERJALAN,
                opened_at=opened,
                due_date=due,
                completed_at=completed,
                completed_by=actor if done else None,
                decision=decision or "",
                reason="Perlu disusun ulang."
                if decision and decision != step.decisions[0].value
                else "",
                values=values,
                working_days=working_days_between(timezone.localdate(opened), finished_on)
                if done
                else None,
                tepat_waktu=(finished_on <= due if due else None) if done else None,
            )
            run.actor = actor
            runs.append(run)
            if done and any(i.assigns_team for i in step.hasil):
                assigned = True
                members += [
                    ProjectMember(
                        project=project,
                        user=user,
                        role_key="pengembang",
                        added_by=actor,
                        added_at=completed,
                    )
                    for user in team
                ]
        runs_of.append(runs)
        all_runs += runs
    StepRun.objects.bulk_create(all_runs)
    ProjectMember.objects.bulk_create(members)
    # The repository of each project past the step whose effect asks for it, made and ready.
    repositories = {}
    for project, runs in zip(projects, runs_of, strict=True):
        asked = next(
            (r for r in runs if r.status == "selesai" and REPOSITORY in r.step.effects), None
        )
        if asked is not None:
            name = repository_name(project)
            repositories[project.pk] = (
                asked,
                Repository(
                    project=project,
                    provider="local",
                    name=name,
                    clone_url=f"{settings.SIMPATIK_PUBLIC_URL}/git/{name}.git",
                    status=Repository.Status.SIAP,
                    attempts=1,
                ),
            )
    Repository.objects.bulk_create([repository for _run, repository in repositories.values()])

    # Documents: what each run produced, and the outside inputs the step asking for them took.
    documents, letters, made = [], [], []  # made: (run, document, letter or None)
    for project, runs in zip(projects, runs_of, strict=True):
        versions: dict[str, int] = {}
        for run in runs:
            step = definition.step(run.step_number)
            items = [
                i
                for i in step.kelengkapan
                if i.kind == "document" and i.key not in definition.sources[step.number]
            ]
            if run.status == StepRun.Status.SELESAI:
                items += [
                    i for i in step.hasil if i.kind == "document" and i.applies_to(run.decision)
                ]
            for item in items:
                if item.optional and rng.random() < 0.5:
                    continue
                versions[item.key] = versions.get(item.key, 0) + 1
                when = run.completed_at or (run.opened_at + dt.timedelta(hours=1))
                when = when - dt.timedelta(minutes=5) if run.completed_at else when
                digest = _sha(project.kode, item.key, versions[item.key])
                document = Document(
                    project=project,
                    step_run=run,
                    key=item.key,
                    version=versions[item.key],
                    name=f"{item.key}.pdf",
                    mime="application/pdf",
                    size=40_000 + rng.randrange(200_000),
                    sha256=digest,
                    path=f"bench/{project.pk}/{digest}.pdf",
                    uploaded_by=run.actor,
                    uploaded_at=when,
                )
                documents.append(document)
                made.append((run, document, item))
    Document.objects.bulk_create(documents)
    codes = set()
    for run, document, item in made:
        if not item.generate:
            continue
        kind = KINDS[item.generate]
        date = timezone.localdate(run.completed_at)
        sequence = counters.next("letter", date.year)
        code = ""
        while not code or code in codes:
            raw = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(10))
            code = f"{raw[:5]}-{raw[5:]}"
        codes.add(code)
        block = signer_block(run.actor, definition, run.role_key)
        second = None
        if kind.countersigner_key:
            name = run.values.get(kind.countersigner_key)
            name = name[0] if isinstance(name, list) and name else name
            second = next((u for u in people["teknis"] if u.username == name), None)
        letter = Letter(
            kind=kind.key,
            title=kind.title,
            number=format_number(
                settings.SIMPATIK_LETTER_NUMBER_PATTERN,
                kode_klasifikasi=settings.SIMPATIK_LETTER_CODES.get(kind.key, kind.code),
                nomor=sequence,
                kode_unit=settings.SIMPATIK_LETTER_UNIT,
                date=date,
            ),
            year=date.year,
            sequence=sequence,
            date=date,
            project=document.project,
            step_number=run.step_number,
            step_run=run,
            status=Letter.Status.BERLAKU,
            countersigner=second,
            countersigner_role="teknis" if second else "",
            countersigned_at=run.completed_at + dt.timedelta(hours=2) if second else None,
            document=document,
            path=document.path,
            sha256=document.sha256,
            size=document.size,
            ditandatangani=True,
            signer=run.actor,
            signer_name=block["name"],
            signer_position=block["position"],
            signer_nip=block["nip"] or "",
            verification_code=code,
            issued_at=run.completed_at,
        )
        letters.append(letter)
    Letter.objects.bulk_create(letters)

    # The audit trail, in each project's time order, chained after the current head.
    by_run: dict[int, list] = {}
    for run, document, item in made:
        by_run.setdefault(run.pk, []).append((document, item))
    letter_of = {letter.document_id: letter for letter in letters}
    entries = []
    for plan, project, runs in zip(plans, projects, runs_of, strict=True):
        rows = _project_audit(project, plan, runs, by_run, letter_of, definition, kadis, people)
        if project.pk in repositories:
            run, repository = repositories[project.pk]
            data = {"provider": repository.provider, "name": repository.name}
            rows.append(
                _audit(
                    "repository.requested",
                    run.completed_at,
                    run.actor,
                    project,
                    obj=repository,
                    data=data,
                )
            )
            data = {
                "provider": repository.provider,
                "clone_url": repository.clone_url,
                "members": [],
            }
            at = run.completed_at + dt.timedelta(seconds=2)
            rows.append(
                _audit("repository.provisioned", at, run.actor, project, obj=repository, data=data)
            )
        rows += _draft_saves(project, runs, audit_per_project - len(rows), rng)
        rows.sort(key=lambda r: r.at)
        entries += rows
    chain.seal(entries, chain.locked_head())
    AuditRecord.objects.bulk_create(entries, batch_size=2000)
    return {
        "needs": len(needs),
        "projects": len(projects),
        "step_runs": len(all_runs),
        "members": len(members),
        "documents": len(documents),
        "letters": len(letters),
        "repositories": len(repositories),
        "audit_records": len(entries),
    }


def _audit(action, at, actor, project, *, step=None, obj=None, data=None, reason=""):
    from simpatik.audit.models import AuditRecord

    return AuditRecord(
        at=at,
        actor=actor,
        actor_label=actor.display_name if actor else "sistem",
        action=action,
        project=project,
        step_number=step,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        data=data or {},
        reason=reason,
        via="web",
    )


def _project_audit(project, plan, runs, by_run, letter_of, definition, kadis, people):
    """The records the services write for this history, with the data they write."""
    rows = []
    if project.need is not None:
        need = project.need
        rows.append(
            _audit(
                "need.submitted",
                need.created_at,
                need.created_by,
                None,
                obj=need,
                data={"nomor": need.nomor, "judul": need.judul, "opd": project.opd.nama},
            )
        )
    rows.append(
        _audit(
            "project.started",
            project.created_at,
            kadis,
            project,
            obj=project,
            data={
                "kode": project.kode,
                "nama": project.nama,
                "opd": project.opd.nama,
                "need": project.need.nomor if project.need else None,
                "sop_version": project.sop_version.version,
            },
        )
    )
    for run in runs:
        step = definition.step(run.step_number)
        rows.append(
            _audit(
                "project.step.opened",
                run.opened_at,
                kadis if run is runs[0] else runs[runs.index(run) - 1].actor,
                project,
                step=run.step_number,
                obj=run,
                data={
                    "round": run.round,
                    "role": step.role,
                    "due_date": run.due_date.isoformat() if run.due_date else None,
                },
            )
        )
        for document, _item in by_run.get(run.pk, []):
            letter = letter_of.get(document.pk)
            if letter is not None:
                rows.append(
                    _audit(
                        "letter.issued",
                        run.completed_at,
                        run.actor,
                        project,
                        step=run.step_number,
                        obj=letter,
                        data={
                            "number": letter.number,
                            "kind": letter.kind,
                            "title": letter.title,
                            "round": run.round,
                            "status": letter.status,
                            "sha256": letter.sha256,
                            "countersigner": None,
                            "replaces": None,
                        },
                    )
                )
                continue
            rows.append(
                _audit(
                    "project.document.uploaded",
                    document.uploaded_at,
                    run.actor,
                    project,
                    step=run.step_number,
                    obj=document,
                    data={
                        "key": document.key,
                        "version": document.version,
                        "name": document.name,
                        "sha256": document.sha256,
                        "size": document.size,
                    },
                )
            )
        if run.status != "selesai":
            continue
        rows.append(
            _audit(
                "project.step.completed",
                run.completed_at,
                run.actor,
                project,
                step=run.step_number,
                obj=run,
                reason=run.reason,
                data={
                    "round": run.round,
                    "decision": run.decision or None,
                    "fields": run.values,
                    "documents": {d.key: d.sha256 for d, _i in by_run.get(run.pk, [])},
                },
            )
        )
    last = runs[-1]
    if plan.status == "ditangguhkan":
        rows.append(
            _audit(
                "project.suspended", last.completed_at, last.actor, project, step=last.step_number
            )
        )
    elif plan.status == "selesai":
        rows.append(
            _audit(
                "project.finished", last.completed_at, last.actor, project, step=last.step_number
            )
        )
    return rows


def _draft_saves(project, runs, count, rng):
    """Autosaves of drafts: most of a real trail, spread over the project's runs."""
    rows = []
    for _ in range(max(0, count)):
        run = rng.choice(runs)
        until = run.completed_at or (run.opened_at + dt.timedelta(hours=4))
        at = run.opened_at + (until - run.opened_at) * rng.random()
        key = next(iter(run.values), "catatan")
        rows.append(
            _audit(
                "project.step.draft_saved",
                at,
                run.actor,
                project,
                step=run.step_number,
                obj=run,
                data={"fields": {key: TEXT[: rng.randint(20, 180)]}, "invalid": []},
            )
        )
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--audit-per-project", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    counts = generate(
        args.projects, audit_per_project=args.audit_per_project, seed=args.seed, out=sys.stdout
    )
    print(", ".join(f"{table}: {count}" for table, count in counts.items()))


if __name__ == "__main__":
    main()
