"""Drive a project through its SOP using only what each step's definition describes."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from simpatik.accounts.permissions import system_actor
from simpatik.projects import services
from simpatik.projects.models import Project, StepRun
from simpatik.projects.services.rules import choice_options, eligible, requirement_states

# The smallest file the content check accepts as a PDF.
TINY_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def sample_pdf(label: str) -> bytes:
    return TINY_PDF + f"% {label}\n".encode()


def release_tag(project, tag: str = "v1.0") -> str:
    """A commit tagged `tag` in the project's real repository (made now if step 8's is pending)."""
    import time

    from dulwich.objects import Blob, Commit, Tree
    from dulwich.repo import Repo

    from simpatik.provisioning.models import Repository
    from simpatik.provisioning.repos.local import repository_path
    from simpatik.provisioning.services import provision_repository

    repository = Repository.objects.get(project=project)
    if repository.status != Repository.Status.SIAP:
        repository = provision_repository(repository, actor=system_actor(), via="cli")
    repo = Repo(str(repository_path(repository.name)))
    try:
        if b"refs/tags/" + tag.encode() in repo.refs:
            return tag
        blob = Blob.from_string(f"{project.nama} {tag}\n".encode())
        tree = Tree()
        tree.add(b"RILIS.txt", 0o100644, blob.id)
        commit = Commit()
        commit.tree, commit.message = tree.id, b"Rilis\n"
        commit.author = commit.committer = b"Tim Pengembang <dev@example.id>"
        commit.author_time = commit.commit_time = int(time.time())
        commit.author_timezone = commit.commit_timezone = 8 * 3600
        for obj in (blob, tree, commit):
            repo.object_store.add_object(obj)
        repo.refs[b"refs/heads/main"] = commit.id
        repo.refs[b"refs/tags/" + tag.encode()] = commit.id
    finally:
        repo.close()
    return tag


def sample_value(item, project):
    if item.validate == "git.ref":
        return release_tag(project)
    if item.example and item.validate == "dns.subdomain":
        return f"{item.example}{project.pk}"  # names are unique across projects
    if item.example:
        return item.example
    if item.type == "number":
        return 10
    if item.type == "date":
        return dt.date.today().isoformat()
    if item.type == "choice":
        options = [key for key, _label in choice_options(item, project)]
        return options[:1] if item.multiple else options[0]
    return f"Isian {item.label}"


def open_run(project: Project) -> StepRun | None:
    return project.step_runs.filter(status=StepRun.Status.BERJALAN).order_by("id").first()


def complete_current(
    project: Project,
    users,
    *,
    decision: str | None = None,
    reason: str = "",
    extra_fields: dict | None = None,
    passphrase: str | None = None,
) -> StepRun:
    """Upload what is missing and complete the open step as the first eligible user."""
    run = open_run(project)
    assert run is not None, "no open step"
    actor = next(user for user in users if eligible(user, run))
    step = run.step
    if step.is_decision and decision is None:
        decision = step.decisions[0].value
    fields = {}
    for state in requirement_states(run, decision=decision):
        if state.satisfied or not project.definition.writable(step.number, state.item.key):
            continue  # an earlier step's Output is read here, never supplied
        item = state.item
        if item.kind == "document":
            upload = SimpleUploadedFile(f"{item.key}.pdf", sample_pdf(item.key), "application/pdf")
            services.upload_document(run, actor=actor, key=item.key, uploaded=upload)
        else:
            fields[item.key] = sample_value(item, project)
    fields.update(extra_fields or {})
    if step.is_decision and step.decision(decision).requires_reason and not reason:
        reason = "Alasan keputusan"
    # Documents the step generates (`generate:`) are made by the completion itself.
    return services.complete_step(
        run, actor=actor, fields=fields, decision=decision, reason=reason, passphrase=passphrase
    )


def walk_to(project: Project, users, step_number: int, decisions: dict | None = None) -> StepRun:
    """Complete steps until `step_number` is the open step; returns that run."""
    decisions = decisions or {}
    for _ in range(200):
        project.refresh_from_db()
        run = open_run(project)
        if run is None or run.step_number == step_number:
            return run
        complete_current(project, users, decision=decisions.get(run.step_number))
    raise AssertionError("walk did not reach the step")


def api_complete_current(project: Project, users, *, decision: str | None = None):
    """Complete the open step as an API client would: read the step, upload, fill, complete."""
    from rest_framework.test import APIClient

    run = open_run(project)
    assert run is not None, "no open step"
    actor = next(user for user in users if eligible(user, run))
    client = APIClient()
    client.force_authenticate(actor)
    base = f"/api/v1/projects/{project.pk}/steps/{run.step_number}/"
    detail = client.get(base).json()
    if detail["decisions"] and decision is None:
        decision = detail["decisions"][0]["value"]
    fields = {}
    for entry in detail["requirements"]:
        if entry["satisfied"] or entry.get("generated"):
            continue
        if decision and entry.get("required_for_decisions") not in (None, []):
            if decision not in entry["required_for_decisions"]:
                continue
        if entry["kind"] == "document":
            upload = SimpleUploadedFile(
                f"{entry['key']}.pdf", sample_pdf(entry["key"]), "application/pdf"
            )
            response = client.post(base + "documents/", {"key": entry["key"], "file": upload})
            assert response.status_code == 201, response.content
        else:
            fields[entry["key"]] = sample_value(run.step.requirement(entry["key"]), project)
    body = {"fields": fields, "decision": decision}
    option = next((o for o in detail["decisions"] if o["value"] == decision), None)
    if option and option["requires_reason"]:
        body["reason"] = "Alasan keputusan"
    response = client.post(base + "complete/", body, format="json")
    assert response.status_code == 200, response.content
    return run
