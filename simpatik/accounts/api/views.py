from django.contrib.auth import authenticate
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from simpatik.audit.services import record
from simpatik.core.errors import ValidationError


class TokenThrottle(AnonRateThrottle):
    rate = "30/min"


class ObtainToken(APIView):
    """POST username and password, get the token for `Authorization: Token ...`."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [TokenThrottle]

    @extend_schema(
        request=inline_serializer(
            "TokenRequest",
            {"username": serializers.CharField(), "password": serializers.CharField()},
        ),
        responses=inline_serializer("TokenResponse", {"token": serializers.CharField()}),
    )
    def post(self, request):
        username = request.data.get("username")
        password = request.data.get("password")
        if not isinstance(username, str) or not isinstance(password, str) or not username:
            raise ValidationError(
                _("Nama pengguna dan kata sandi wajib diisi."), code="credentials_required"
            )
        user = authenticate(request, username=username, password=password)
        if user is None:
            raise ValidationError(
                _("Nama pengguna atau kata sandi salah."), code="invalid_credentials"
            )
        with transaction.atomic():
            token, created = Token.objects.get_or_create(user=user)
            if created:
                record("auth.token.created", actor=user, via="api")
        return Response({"token": token.key})


class Me(APIView):
    @extend_schema(
        responses=inline_serializer(
            "Me",
            {
                "username": serializers.CharField(),
                "nama": serializers.CharField(),
                "roles": serializers.ListField(child=serializers.CharField()),
                "opd": serializers.IntegerField(allow_null=True),
            },
        )
    )
    def get(self, request):
        user = request.user
        return Response(
            {
                "username": user.username,
                "nama": user.display_name,
                "roles": sorted(user.role_keys()),
                "opd": user.opd_id,
            }
        )
