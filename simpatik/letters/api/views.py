from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from simpatik.letters.models import Letter
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
        "signed": serializers.BooleanField(),
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
        "date": letter.date,
        "sha256": letter.sha256,
        "signed": letter.signed,
        "signer": letter.signer_name,
        "pdf_url": request.build_absolute_uri(reverse("api-letter-pdf", args=[letter.pk])),
        "verification_url": verification_url(letter.verification_code),
        "replaces": letter.replaces.number if letter.replaces_id else None,
        "replaced_by": letter.replaced_by.number if letter.is_replaced else None,
    }


class ProjectLetters(APIView):
    @extend_schema(responses=LETTER)
    def get(self, request, pk):
        project = queries.project_for(request.user, pk)
        letters = (
            Letter.objects.filter(project=project).select_related("replaces").order_by("issued_at")
        )
        return Response([letter_dict(letter, request) for letter in letters])


class LetterPdf(APIView):
    """The signed PDF, for API clients (token or session)."""

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request, pk):
        from simpatik.letters.views import _visible_letter

        letter = _visible_letter(request.user, pk)
        return FileResponse(
            letter.open(),
            content_type="application/pdf",
            as_attachment=True,
            filename=f"{letter.kind}-{letter.sequence}-{letter.year}.pdf",
        )
