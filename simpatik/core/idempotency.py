"""`Idempotency-Key` for state-changing API calls: a retry returns the first answer, never acts twice.

The action, and the stored response that a replay returns, commit in one transaction: after a
crash either both exist or neither does, so a client that lost the connection can always retry.
While the first call runs, a duplicate gets 409 `idempotency_in_progress` (PostgreSQL: a
transaction-scoped advisory lock; SQLite has one writer at a time, so the duplicate waits for the
first to commit and then gets its replay).
"""

import hashlib
import re
from datetime import timedelta

from django.db import connection, transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.settings import api_settings

from simpatik.core.models import IdempotencyKey

HEADER = "Idempotency-Key"
LIFETIME = timedelta(hours=24)
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
EXCLUDED = frozenset({"/api/v1/auth/token/"})  # issuing a token changes nothing to replay
_VALID_KEY = re.compile(r"[\x21-\x7e]{1,255}")


def applies(request) -> bool:
    return (
        request.method in UNSAFE
        and request.path.startswith("/api/v1/")
        and request.path not in EXCLUDED
        and HEADER in request.headers
    )


def _error(code, detail, status):
    return JsonResponse({"code": code, "detail": detail}, status=status)


def api_user(request):
    """The user the API would see (token or session), or None; the view itself answers a 401."""
    drf_request = Request(
        request, authenticators=[cls() for cls in api_settings.DEFAULT_AUTHENTICATION_CLASSES]
    )
    try:
        user = drf_request.user
    except APIException:
        return None
    return user if user is not None and user.is_authenticated else None


def request_hash(request) -> str:
    """SHA-256 of what the call asks for; uploads are hashed from their files in chunks."""
    digest = hashlib.sha256(f"{request.method} {request.get_full_path()}\n".encode())
    if request.content_type == "multipart/form-data":
        for name, values in sorted(request.POST.lists()):
            digest.update(repr((name, values)).encode())
        for name, files in sorted(request.FILES.lists()):
            for upload in files:
                digest.update(repr((name, upload.name, upload.size)).encode())
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
    else:
        digest.update(f"{request.content_type}\n".encode())
        digest.update(request.body)
    return digest.hexdigest()


def _lock_key(user_id: int, key: str) -> int:
    raw = hashlib.sha256(f"idempotency:{user_id}:{key}".encode()).digest()[:8]
    return int.from_bytes(raw, "big", signed=True)


def try_lock(user_id: int, key: str) -> bool:
    """Hold the key until the end of the transaction; False when another call holds it."""
    if connection.vendor != "postgresql":
        return True  # SQLite: the IMMEDIATE transaction already excludes other writers
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_lock_key(user_id, key)])
        return cursor.fetchone()[0]


def _replay(stored: IdempotencyKey) -> HttpResponse:
    response = HttpResponse(bytes(stored.body), status=stored.status)
    if stored.content_type:
        response["Content-Type"] = stored.content_type
    response["Idempotent-Replayed"] = "true"
    return response


def _storable(response) -> bool:
    # A server error or a throttle is not an answer to the request: the client should retry.
    return response.status_code < 500 and response.status_code != 429 and not response.streaming


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not applies(request):
            return self.get_response(request)
        key = request.headers[HEADER]
        if not _VALID_KEY.fullmatch(key):
            return _error(
                "idempotency_key_invalid",
                _("Idempotency-Key harus 1-255 karakter ASCII yang terlihat."),
                400,
            )
        user = api_user(request)
        if user is None:
            return self.get_response(request)
        fingerprint = request_hash(request)
        with transaction.atomic():
            if not try_lock(user.pk, key):
                return _error(
                    "idempotency_in_progress",
                    _("Permintaan dengan Idempotency-Key ini masih diproses; coba lagi nanti."),
                    409,
                )
            now = timezone.now()
            IdempotencyKey.objects.filter(user=user, created_at__lt=now - LIFETIME).delete()
            stored = IdempotencyKey.objects.filter(user=user, key=key).first()
            if stored is not None:
                if stored.request_hash != fingerprint:
                    return _error(
                        "idempotency_key_reused",
                        _("Idempotency-Key ini sudah dipakai untuk permintaan yang berbeda."),
                        409,
                    )
                return _replay(stored)
            response = self.get_response(request)
            if response.status_code >= 500:
                transaction.set_rollback(True)  # whatever the failed call wrote goes too
            elif _storable(response):
                IdempotencyKey.objects.create(
                    user=user,
                    key=key,
                    request_hash=fingerprint,
                    status=response.status_code,
                    content_type=response.get("Content-Type", ""),
                    body=response.content,
                    created_at=now,
                )
            return response
