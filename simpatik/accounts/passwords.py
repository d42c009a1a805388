"""Password rules: ASVS 5.0 by default, BSSN's when SIMPATIK_PASSWORD_POLICY=bssn.

The validators run wherever Django validates a password (allauth's forms, the admin, and
accounts.services for the command line), so there is one policy for every way in.
"""

import string
from datetime import timedelta
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

BREACHED_LIST = Path(__file__).parent / "data" / "breached-passwords.txt"


@lru_cache(maxsize=1)
def _breached() -> frozenset[str]:
    lines = BREACHED_LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )


class BreachedPasswordValidator:
    """Refuses passwords known from published breaches (a list shipped with SIMPATIK: the
    server asks no outside service, so it works offline and leaks nothing)."""

    def validate(self, password, user=None):
        if password.lower() in _breached():
            raise ValidationError(
                _("Kata sandi ini pernah bocor dalam insiden keamanan dan mudah ditebak."),
                code="password_breached",
            )

    def get_help_text(self):
        return _("Kata sandi tidak boleh termasuk kata sandi yang diketahui pernah bocor.")


class CompositionValidator:
    """BSSN rule set: at least one upper-case letter, lower-case letter, digit and symbol."""

    def validate(self, password, user=None):
        classes = [
            any(ch.isupper() for ch in password),
            any(ch.islower() for ch in password),
            any(ch in string.digits for ch in password),
            any(not ch.isalnum() for ch in password),
        ]
        if not all(classes):
            raise ValidationError(
                _("Kata sandi harus memuat huruf besar, huruf kecil, angka, dan simbol."),
                code="password_composition",
            )

    def get_help_text(self):
        return _("Kata sandi harus memuat huruf besar, huruf kecil, angka, dan simbol.")


def expires() -> bool:
    """True under the BSSN rule set (composition and a validity period)."""
    return settings.SIMPATIK_PASSWORD_POLICY == "bssn"


def password_age_days(user) -> int:
    since = user.password_changed_at or user.date_joined
    return (timezone.now() - since) // timedelta(days=1)


def days_until_expiry(user) -> int | None:
    """Days left before the password must be changed (BSSN policy only); 0 or less: expired."""
    if not expires():
        return None
    return settings.SIMPATIK_PASSWORD_MAX_AGE_DAYS - password_age_days(user)
