from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from knox.models import AuthToken
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from simpatik.accounts import lockout, mfa, services
from simpatik.accounts.permissions import capabilities
from simpatik.core.errors import NotFound, PermissionDenied, ValidationError


class TokenInfo(serializers.Serializer):
    id = serializers.CharField(help_text="awal token, untuk mencabutnya")
    created = serializers.DateTimeField()
    expiry = serializers.DateTimeField(allow_null=True)
    current = serializers.BooleanField(help_text="token yang dipakai permintaan ini")


def _credentials(request):
    values = [request.data.get(name) for name in ("username", "password")]
    if not all(isinstance(value, str) and value for value in values):
        raise ValidationError(
            _("Nama pengguna dan kata sandi wajib diisi."), code="credentials_required"
        )
    return values


class ObtainToken(APIView):
    """POST username and password (and `code` when the account uses MFA): a new API token for
    `Authorization: Token ...`, valid until `expiry`. Only its hash is kept."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=inline_serializer(
            "TokenRequest",
            {
                "username": serializers.CharField(),
                "password": serializers.CharField(),
                "code": serializers.CharField(
                    required=False, help_text="kode TOTP atau kode pemulihan"
                ),
            },
        ),
        responses=inline_serializer(
            "TokenResponse",
            {"token": serializers.CharField(), "expiry": serializers.DateTimeField()},
        ),
    )
    def post(self, request):
        username, password = _credentials(request)
        try:
            lockout.check(request, username)
        except lockout.TooManyFailures:
            lockout.refused(request, username, via="api")
            raise
        user = None
        if "\x00" not in username + password:
            user = authenticate(request, username=username, password=password)
        if user is None:
            lockout.failed(request, username, via="api")
            raise ValidationError(
                _("Nama pengguna atau kata sandi salah."), code="invalid_credentials"
            )
        if mfa.must_enrol(user):
            raise PermissionDenied(
                _("Peran Anda mewajibkan verifikasi dua langkah: aktifkan dulu di SIMPATIK (web)."),
                code="mfa_enrolment_required",
            )
        if mfa.mfa_enabled(user) and not mfa.check_code(user, request.data.get("code")):
            lockout.failed(request, username, via="api", reason="mfa_code")
            raise ValidationError(
                _(
                    "Akun ini memakai verifikasi dua langkah: kirim kode dari aplikasi autentikator di `code`."
                ),
                code="mfa_code_required",
            )
        lockout.succeeded(username)
        instance, token = services.create_api_token(user, via="api")
        return Response({"token": token, "expiry": instance.expiry})


def _info(instance, current):
    return {
        "id": instance.token_key,
        "created": instance.created,
        "expiry": instance.expiry,
        "current": current is not None and instance.pk == current.pk,
    }


class TokenList(APIView):
    """Your API tokens (not their secrets); `id` names one for revocation."""

    @extend_schema(responses=TokenInfo(many=True))
    def get(self, request):
        current = request.auth if isinstance(request.auth, AuthToken) else None
        tokens = AuthToken.objects.filter(user=request.user).order_by("-created")
        return Response([_info(token, current) for token in tokens])


class TokenDetail(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request, key):
        token = AuthToken.objects.filter(user=request.user, token_key=key).first()
        if token is None:
            raise NotFound(_("Token tidak ditemukan."), code="token_not_found")
        services.revoke_api_token(token, actor=request.user, via="api")
        return Response(status=status.HTTP_204_NO_CONTENT)


class Logout(APIView):
    """Revoke the token this request was made with."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        if not isinstance(request.auth, AuthToken):
            raise ValidationError(_("Permintaan ini tidak memakai token API."), code="no_token")
        services.revoke_api_token(request.auth, actor=request.user, via="api")
        return Response(status=status.HTTP_204_NO_CONTENT)


class Me(APIView):
    @extend_schema(
        responses=inline_serializer(
            "Me",
            {
                "username": serializers.CharField(),
                "nama": serializers.CharField(),
                "roles": serializers.ListField(child=serializers.CharField()),
                "capabilities": serializers.ListField(child=serializers.CharField()),
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
                # What the SOP files in force let this user do outside the steps.
                "capabilities": sorted(capabilities(user)),
                "opd": user.opd_id,
            }
        )
