"""Project documentation pages: every save is a new version, recorded with who and why."""

import re

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from simpatik.accounts.permissions import can
from simpatik.audit.services import record
from simpatik.core.errors import PermissionDenied, ValidationError, check_lengths
from simpatik.wiki.models import DocPage, DocPageVersion


def can_edit(user, project) -> bool:
    return can(user, "sunting_dokumentasi", project)


def save_page(
    project,
    *,
    actor,
    title: str,
    body: str,
    slug: str | None = None,
    note: str = "",
    via: str = "web",
) -> DocPageVersion:
    if not can_edit(actor, project):
        raise PermissionDenied(
            _("Anda tidak berwenang mengubah dokumentasi proyek ini."), code="forbidden"
        )
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Judul halaman wajib diisi."), code="title_required")
    check_lengths(DocPageVersion, title=title, note=(note or "").strip())
    if len(body or "") > 200_000:
        raise ValidationError(_("Isi halaman terlalu panjang."), code="body_too_long")
    slug = slug or re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:80] or "halaman"
    with transaction.atomic():
        page, created = DocPage.objects.get_or_create(
            project=project, slug=slug, defaults={"title": title}
        )
        page = DocPage.objects.select_for_update().get(pk=page.pk)
        number = (page.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = DocPageVersion.objects.create(
            page=page,
            number=number,
            title=title,
            body=body or "",
            note=(note or "").strip(),
            author=actor,
        )
        if page.title != title:
            DocPage.objects.filter(pk=page.pk).update(title=title)
        record(
            "wiki.page.saved",
            actor=actor,
            project=project,
            obj=version,
            via=via,
            reason=note,
            data={"page": slug, "version": number, "title": title, "created": created},
        )
    return version


def attach_as_evidence(version: DocPageVersion, run, *, actor, key: str, via: str = "web"):
    """A snapshot of the page (that version, as PDF) becomes a document of the open step."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.template.loader import render_to_string

    from simpatik.core.pdf import html_to_pdf
    from simpatik.projects.services import upload_document
    from simpatik.wiki.markdown import render

    html = render_to_string(
        "wiki/print.html",
        {"version": version, "body": render(version.body), "project": run.project},
    )
    pdf = html_to_pdf(html)
    upload = SimpleUploadedFile(
        f"{version.page.slug}-v{version.number}.pdf", pdf, "application/pdf"
    )
    return upload_document(run, actor=actor, key=key, uploaded=upload, via=via)
