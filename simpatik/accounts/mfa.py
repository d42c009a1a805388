"""Who must use a second factor, and how long they may still sign in without one."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from simpatik.sop.models import definitions_in_force


def diskominfo_role_keys() -> frozenset[str]:
    """The roles of every active SOP definition: the people who act for Diskominfo (a new SOP
    revision's roles count at once: the versions in force are read every request)."""
    return frozenset(role["key"] for d in definitions_in_force() for role in d.roles)


def mfa_required(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    # Own roles too: an official away on leave (their role delegated) still needs a second factor.
    return bool((user.role_keys() | user.own_role_keys()) & diskominfo_role_keys())


def mfa_enabled(user) -> bool:
    from allauth.mfa.utils import is_mfa_enabled

    return is_mfa_enabled(user)


def grace_days_left(user) -> int:
    """Whole days left before MFA is enforced for this user (0 or less: enforced now)."""
    start = user.mfa_grace_from or user.date_joined
    ends = start + timedelta(days=settings.SIMPATIK_MFA_GRACE_DAYS)
    left = ends - timezone.now()
    return -1 if left <= timedelta(0) else left.days + (1 if left.seconds else 0)


def must_enrol(user) -> bool:
    """Required, not set up, and the grace period is over: password-only doors are closed."""
    return mfa_required(user) and not mfa_enabled(user) and grace_days_left(user) <= 0


def check_code(user, code) -> bool:
    """A TOTP code or an unused recovery code of the user (the API token door's second factor)."""
    from allauth.mfa.models import Authenticator

    if not isinstance(code, str) or not code.strip().isascii() or not code.strip().isalnum():
        return False
    code = code.strip()
    for authenticator in Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES]
    ):
        if authenticator.wrap().validate_code(code):
            authenticator.record_usage()
            return True
    return False
