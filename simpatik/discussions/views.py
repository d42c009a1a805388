"""A step's discussion thread: read by everyone of Diskominfo on the project, htmx to post."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from simpatik.core.errors import PermissionDenied, ValidationError
from simpatik.core.views import domain_errors
from simpatik.discussions import services
from simpatik.discussions.models import Attachment
from simpatik.projects import queries
from simpatik.wiki.markdown import render as markdown


@login_required
@domain_errors
def discussion(request, pk, number):
    project = queries.project_for(request.user, pk)
    number = queries.step_of(project, number)
    if not services.can_discuss(request.user, project):
        raise PermissionDenied(_("Diskusi langkah hanya untuk pegawai Diskominfo di proyek ini."))
    error, body, status = None, "", 200
    if request.method == "POST":
        run = queries.latest_run(project, number)
        body = request.POST.get("body", "")
        try:
            if run is None:
                raise ValidationError(_("Langkah ini belum dimulai."), code="step_not_started")
            services.post_comment(
                run, actor=request.user, body=body, files=request.FILES.getlist("files"), via="web"
            )
            body = ""
        except ValidationError as exc:
            error, status = exc.message, 400
    comments = list(services.thread(project, number))
    for comment in comments:
        comment.html = markdown(comment.body)
    context = {
        "project": project,
        "number": number,
        "step": project.definition.step(number),
        "comments": comments,
        "error": error,
        "body": body,
    }
    template = "discussions/_thread.html" if request.htmx else "discussions/discussion.html"
    return render(request, template, context, status=status)


@login_required
@domain_errors
def attachment(request, pk):
    item = get_object_or_404(Attachment.objects.select_related("comment__step_run__project"), pk=pk)
    project = queries.project_for(request.user, item.comment.step_run.project_id)
    if not services.can_discuss(request.user, project):
        raise Http404
    from django.core.files.storage import default_storage

    return FileResponse(
        default_storage.open(item.path, "rb"),
        as_attachment=True,
        filename=item.name,
        content_type=item.mime,
    )
