from django.http import FileResponse, HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from simpatik.letters import services
from simpatik.letters.models import Letter
from simpatik.letters.queries import visible_letter
from simpatik.letters.render import verification_url
from simpatik.projects import queries

LETTER = inline_serializer(
    "Letter",
    {
        "id": serializers.IntegerField(),
        "number": serializers.CharField(),
        "title": serializers.CharField(),
        "kind": serializers.CharField(),
        "step": serializers.IntegerField(allow_null=True),
        "date": serializers.DateField(),
        "sha256": serializers.CharField(),
        "ditandatangani": serializers.BooleanField(),
        "signer": serializers.CharField(),
        "pdf_url": serializers.URLField(),
        "verification_url": serializers.URLField(),
        "replaces": serializers.CharField(allow_null=True),
        "replaced_by": serializers.CharField(allow_null=True),
    },
    many=True,
)


def letter_dict(letter: Letter, request) -> dict:
    return {
        "id": letter.pk,
        "number": letter.number,
        "title": letter.title,
        "kind": letter.kind,
        "step": letter.step_number,
        "round": letter.step_run.round if letter.step_run_id else None,
        "date": letter.date,
        "status": letter.status,
        "status_label": letter.get_status_display(),
        "sha256": letter.sha256,
        "ditandatangani": letter.ditandatangani,
        "signer": letter.signer_name,
        "countersigner": letter.countersigner.display_name if letter.countersigner_id else None,
        "countersigned_at": letter.countersigned_at,
        "sign_error": letter.sign_error or None,
        "pdf_url": request.build_absolute_uri(reverse("api-letter-pdf", args=[letter.pk])),
        "verification_url": verification_url(letter.verification_code),
        "replaces": letter.replaces.number if letter.replaces_id else None,
        "replaced_by": letter.replaced_by.number if letter.is_replaced else None,
    }


class ProjectLetters(APIView):
    @extend_schema(tags=["letters"], responses=LETTER)
    def get(self, request, pk):
        project = queries.project_for(request.user, pk)
        letters = (
            Letter.objects.filter(project=project)
            .select_related("replaces", "step_run", "countersigner")
            .order_by("issued_at", "id")
        )
        return Response([letter_dict(letter, request) for letter in letters])


class LetterPdf(APIView):
    """The signed PDF, for API clients (token or session)."""

    @extend_schema(tags=["letters"], responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request, pk):
        letter = visible_letter(request.user, pk)
        return FileResponse(
            letter.open(),
            content_type="application/pdf",
            as_attachment=True,
            filename=f"{letter.kind}-{letter.sequence}-{letter.year}.pdf",
        )


class LetterSign(APIView):
    """Add the signature a letter waits for: a retry of the remote TTE, or the second party."""

    @extend_schema(
        tags=["letters"], request={"application/json": {"type": "object"}}, responses=LETTER
    )
    def post(self, request, pk):
        letter = visible_letter(request.user, pk)
        passphrase = request.data.get("passphrase") if hasattr(request.data, "get") else None
        letter = services.sign_letter(
            letter, actor=request.user, passphrase=passphrase or None, via="api"
        )
        return Response(letter_dict(letter, request))


class StepPreview(APIView):
    """The draft (watermarked DRAF, no number, no signature) of a document the open step makes."""

    @extend_schema(tags=["letters"], responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request, pk, number, key):
        project = queries.project_for(request.user, pk)
        run = queries.open_run_of(project, queries.step_of(project, number))
        pdf = services.preview(run, key, user=request.user)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="draf-{key}.pdf"'
        return response
