from django.conf import settings


def simpatik(request):
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "ORGANISATION": settings.SIMPATIK_ORGANISATION,
        "can": _Capabilities(user),
        "unread_notifications": _unread(user) if signed_in else 0,
    }


def _unread(user):
    """Counted lazily: only a template that shows the bell pays for the query."""
    from django.utils.functional import SimpleLazyObject

    from simpatik.notifications.models import Notification

    return SimpleLazyObject(
        lambda: Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    )


class _Capabilities:
    """`{% if can.lihat_dasbor %}`: what the signed-in user may do, asked of the one check."""

    def __init__(self, user):
        self._user = user

    def __getitem__(self, capability):
        from simpatik.accounts.permissions import ACTIONS, can

        if capability not in ACTIONS:
            raise KeyError(capability)
        return can(self._user, capability)
