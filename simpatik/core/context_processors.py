from django.conf import settings


def simpatik(request):
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    role_keys = user.role_keys() if signed_in else set()
    return {
        "ORGANISATION": settings.SIMPATIK_ORGANISATION,
        "user_roles": role_keys,
        "unread_notifications": _unread(user) if signed_in else 0,
        "can_view_dashboard": signed_in and _dashboard(user),
    }


def _unread(user):
    """Counted lazily: only a template that shows the bell pays for the query."""
    from django.utils.functional import SimpleLazyObject

    from simpatik.notifications.models import Notification

    return SimpleLazyObject(
        lambda: Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    )


def _dashboard(user) -> bool:
    from simpatik.oversight.access import can_view_dashboard

    return can_view_dashboard(user)
