"""Who sees the oversight dashboard (moves to the SOP's declared capabilities later)."""

from django.conf import settings


def can_view_dashboard(user) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(user.role_keys() & set(settings.SIMPATIK_DASHBOARD_ROLES))
