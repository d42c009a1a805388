"""A Plh in tests: `delegate` stands in for `official`'s role from today (or `start` days on)."""

import datetime as dt

from django.utils import timezone


def plh(official, delegate, role_key, *, days=5, start=0):
    from simpatik.accounts import services
    from simpatik.accounts.models import Role

    today = timezone.localdate()
    return services.delegate(
        official,
        actor=official,
        to_user=delegate,
        role=Role.objects.get(key=role_key),
        starts_on=today + dt.timedelta(days=start),
        ends_on=today + dt.timedelta(days=start + days),
        reason="Cuti tahunan",
    )
