"""Posting to a step's discussion: sanitised Markdown, @mentions that notify, checked attachments."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from simpatik.accounts.permissions import can
from simpatik.audit.services import record
from simpatik.core.errors import PermissionDenied, ValidationError
from simpatik.core.files import check_upload
from simpatik.discussions.models import Attachment, Comment
from simpatik.notifications.services import notify
from simpatik.projects.models import Project, StepRun
from simpatik.projects.services.documents import store_content

MAX_LENGTH = 10000
MAX_FILES = 5
_MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_.+-]{1,150})")


def can_discuss(user, project: Project) -> bool:
    """People of Diskominfo who can see the project (not OPD staff: this is internal work)."""
    return can(user, "ikut_diskusi", project)


def mentioned_users(body: str, project: Project):
    names = {match.group(1).rstrip(".") for match in _MENTION.finditer(body)}
    if not names:
        return []
    users = get_user_model().objects.filter(username__in=names, is_active=True)
    return [user for user in users if can_discuss(user, project)]


def post_comment(run: StepRun, *, actor, body: str, files=(), via: str = "") -> Comment:
    project = run.project
    if not can_discuss(actor, project):
        raise PermissionDenied(
            _("Anda tidak dapat ikut berdiskusi di proyek ini."), code="forbidden"
        )
    body = (body or "").replace("\x00", "").strip()
    if not body:
        raise ValidationError(_("Isi komentar wajib diisi."), code="body_required")
    if len(body) > MAX_LENGTH:
        raise ValidationError(_("Komentar paling panjang 10.000 huruf."), code="body_too_long")
    files = list(files)
    if len(files) > MAX_FILES:
        raise ValidationError(_("Paling banyak 5 lampiran."), code="too_many_files")
    checked = [
        check_upload(upload, max_bytes=settings.SIMPATIK_MAX_UPLOAD_MB * 1024 * 1024)
        for upload in files
    ]
    # Files are written (content-addressed) before the rows that name them commit.
    stored = [
        (store_content(project.pk, content, ext), name, mime, len(content))
        for content, name, ext, mime in checked
    ]
    mentions = [user for user in mentioned_users(body, project) if user.pk != actor.pk]
    with transaction.atomic():
        comment = Comment.objects.create(step_run=run, author=actor, body=body)
        comment.mentions.set(mentions)
        Attachment.objects.bulk_create(
            Attachment(comment=comment, name=name, mime=mime, size=size, sha256=digest, path=path)
            for (digest, path), name, mime, size in stored
        )
        record(
            "project.step.commented",
            actor=actor,
            project=project,
            step_number=run.step_number,
            obj=comment,
            via=via,
            data={
                "round": run.round,
                "mentions": [user.username for user in mentions],
                "attachments": [name for _path, name, _mime, _size in stored],
            },
        )
        if mentions:
            notify(
                "diskusi.sebutan",
                mentions,
                key=f"komentar:{comment.pk}",
                message=_("%(name)s menyebut Anda di diskusi langkah %(n)d %(project)s: %(text)s")
                % {
                    "name": actor.display_name,
                    "n": run.step_number,
                    "project": project.nama,
                    "text": body[:200],
                },
                project=project,
                step_number=run.step_number,
                url=f"{project.get_absolute_url()}langkah/{run.step_number}/diskusi/#komentar-{comment.pk}",
            )
    return comment


def for_report(project: Project) -> list[dict]:
    """Every comment of the project for the laporan pengembangan: by step, then time; the text as
    sanitised HTML (the same Markdown rules as the pages), times in the regency's zone."""
    from django.utils import timezone

    from simpatik.wiki.markdown import render

    comments = (
        Comment.objects.filter(step_run__project=project)
        .select_related("author", "step_run")
        .prefetch_related("attachments")
        .order_by("step_run__step_number", "step_run__round", "created_at", "id")
    )
    return [
        {
            "step": comment.step_run.step_number,
            "round": comment.step_run.round,
            "author": comment.author.display_name,
            "at": timezone.localtime(comment.created_at),
            "html": render(comment.body),
            "attachments": [attachment.name for attachment in comment.attachments.all()],
        }
        for comment in comments
    ]


def thread(project: Project, number: int):
    return (
        Comment.objects.filter(step_run__project=project, step_run__step_number=number)
        .select_related("author", "step_run")
        .prefetch_related("attachments")
    )
