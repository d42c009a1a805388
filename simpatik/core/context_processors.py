from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

# The menu of every page (base.html). Its URLs never change while the process runs, so they are
# reversed once per URL configuration instead of fourteen `{% url %}` tags on every page.
NAV = {
    "tasks": "projects:tasks",
    "needs": "projects:needs",
    "projects": "projects:projects",
    "inventory": "inventory:list",
    "catalogue": "inventory:catalogue",
    "verify": "letters:verify-lookup",
    "dashboard": "oversight:dashboard",
    "sop": "sop:versions",
    "dns": "provisioning:registry",
    "jobs": "jobs:list",
    "admin": "admin:index",
    "notifications": "notifications:list",
    "security": "mfa_index",
    "password": "account_change_password",
    "delegations": "delegations",
    "login": "account_login",
    "logout": "account_logout",
    "language": "set_language",
}


@lru_cache(maxsize=8)
def _nav(prefix: str, urlconf) -> dict[str, str]:
    return {key: reverse(name) for key, name in NAV.items()}


def simpatik(request):
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "ORGANISATION": settings.SIMPATIK_ORGANISATION,
        "can": _Capabilities(user),
        "unread_notifications": _unread(user) if signed_in else 0,
        "nav": _nav(get_script_prefix(), get_urlconf()),
    }


def _unread(user):
    """Counted lazily: only a template that shows the bell pays for the query."""
    from django.utils.functional import SimpleLazyObject

    from simpatik.notifications.queries import unread_count

    return SimpleLazyObject(lambda: unread_count(user))


class _Capabilities:
    """`{% if can.lihat_dasbor %}`: what the signed-in user may do, asked of the one check."""

    def __init__(self, user):
        self._user = user

    def __getitem__(self, capability):
        from simpatik.accounts.permissions import ACTIONS, can

        if capability not in ACTIONS:
            raise KeyError(capability)
        return can(self._user, capability)
