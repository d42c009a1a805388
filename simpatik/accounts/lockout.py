"""One failure counter for every door that takes a password: web login, git and the API token.

Failures are rows in the database, so every worker process and server sees the same count (the
default installation has no Redis, and a per-process cache would let an attacker spread guesses
over the workers). After too many failures in the window, per account or per client address,
further attempts are refused, the right password included, until the window has passed.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simpatik.accounts.models import AuthFailure
from simpatik.audit.services import record
from simpatik.core.errors import SimpatikError
from simpatik.core.net import client_address


class TooManyFailures(SimpatikError):
    status = 429
    default_code = "too_many_failures"


def clean_name(value) -> str:
    """An attempted user name as it may be stored: text, no NUL or control bytes, bounded."""
    text = value if isinstance(value, str) else ""
    return "".join(ch for ch in text if ch.isprintable())[:150].strip().lower()


def _window() -> timedelta:
    return timedelta(minutes=settings.SIMPATIK_LOGIN_LOCK_MINUTES)


def _keys(request, username: str) -> list[tuple[str, str, int]]:
    keys = [
        (
            AuthFailure.Scope.ADDRESS,
            client_address(request),
            settings.SIMPATIK_LOGIN_MAX_PER_ADDRESS,
        )
    ]
    name = clean_name(username)
    if name:
        keys.append((AuthFailure.Scope.ACCOUNT, name, settings.SIMPATIK_LOGIN_MAX_PER_ACCOUNT))
    return keys


def check(request, username) -> None:
    """Refuse the attempt before the password is even looked at when a counter is full."""
    since = timezone.now() - _window()
    for scope, key, limit in _keys(request, username):
        if AuthFailure.objects.filter(scope=scope, key=key, at__gte=since).count() >= limit:
            raise TooManyFailures(
                _("Terlalu banyak percobaan masuk yang gagal. Coba lagi setelah %(menit)s menit.")
                % {"menit": settings.SIMPATIK_LOGIN_LOCK_MINUTES}
            )


def failed(request, username, *, via: str, reason: str = "invalid_credentials") -> None:
    """Count a failure on both keys and write it to the audit trail, in its own transaction."""
    now = timezone.now()
    keys = _keys(request, username)
    with transaction.atomic():
        AuthFailure.objects.filter(at__lt=now - _window()).delete()  # keep the table small
        AuthFailure.objects.bulk_create(
            [AuthFailure(scope=scope, key=key, at=now) for scope, key, _limit in keys]
        )
        record(
            "auth.login.failed",
            via=via,
            data={
                "username": clean_name(username),
                "address": client_address(request),
                "reason": reason,
            },
        )


def refused(request, username, *, via: str) -> None:
    """An attempt refused because a counter is full: audited, not counted again."""
    with transaction.atomic():
        record(
            "auth.login.refused",
            via=via,
            data={"username": clean_name(username), "address": client_address(request)},
        )


def succeeded(username) -> None:
    """The account's own counter starts again; the address's does not (a guesser with one valid
    account of their own must not be able to wipe the count of their guesses)."""
    AuthFailure.objects.filter(scope=AuthFailure.Scope.ACCOUNT, key=clean_name(username)).delete()
