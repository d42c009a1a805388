"""Authentication events into the audit trail, and what a new password ends.

allauth and Django announce these events by signal; each receiver writes its record in its own
transaction, so a login is audited whichever door it came through (web, admin, tests).
"""

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.contrib.auth import get_user_model
from django.contrib.auth import signals as auth_signals
from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from simpatik.accounts import lockout
from simpatik.accounts.context import current_actor
from simpatik.accounts.services import revoke_all_api_tokens
from simpatik.audit.services import record
from simpatik.core.net import client_address

User = get_user_model()


def _address(request):
    return client_address(request) if request is not None else ""


@receiver(auth_signals.user_logged_in)
def logged_in(sender, request, user, **kwargs):
    now = timezone.now()
    if request is not None and hasattr(request, "session"):
        request.session["simpatik_auth_at"] = now.timestamp()
        request.session["simpatik_seen_at"] = now.timestamp()
    with transaction.atomic():
        if user.mfa_grace_from is None:
            # The MFA grace period counts from the first login once MFA is required.
            User.objects.filter(pk=user.pk, mfa_grace_from__isnull=True).update(mfa_grace_from=now)
            user.mfa_grace_from = now
        lockout.succeeded(user.username)
        record(
            "auth.login.succeeded",
            actor=user,
            obj=user,
            via="web",
            data={"address": _address(request)},
        )


@receiver(auth_signals.user_logged_out)
def logged_out(sender, request, user, **kwargs):
    if user is None:
        return
    reason = getattr(request, "simpatik_logout_reason", "")
    with transaction.atomic():
        record(
            "auth.session.expired" if reason else "auth.logout",
            actor=user,
            obj=user,
            via="web",
            reason=reason,
            data={"address": _address(request)},
        )


@receiver(pre_save, sender=User)
def _note_new_password(sender, instance, **kwargs):
    # set_password() keeps the clear text in _password until save(): a new password is coming.
    instance._simpatik_new_password = instance.pk is not None and instance._password is not None
    if instance._password is not None:
        instance.password_changed_at = timezone.now()


@receiver(post_save, sender=User)
def password_changed(sender, instance, created, **kwargs):
    if not getattr(instance, "_simpatik_new_password", False):
        return
    instance._simpatik_new_password = False
    with transaction.atomic():
        User.objects.filter(pk=instance.pk).update(password_changed_at=instance.password_changed_at)
        actor = current_actor()
        record(
            "auth.password.changed",
            actor=actor,
            obj=instance,
            via="web" if actor is not None else "",
            data={"username": instance.username},
        )
        # A stolen token must not outlive the password it was issued under.
        revoke_all_api_tokens(instance, reason="password_changed")


@receiver(account_signals.password_reset)
def password_reset(sender, request, user, **kwargs):
    with transaction.atomic():
        record(
            "auth.password.reset",
            actor=user,
            obj=user,
            via="web",
            data={"address": _address(request)},
        )


def _mfa_event(kind):
    def handler(sender, request, user, authenticator, **kwargs):
        data = {"type": authenticator.type, "address": _address(request)}
        with transaction.atomic():
            # Literal codes, so the audit registry's scan of the source sees each one.
            if kind == "added":
                record("auth.mfa.enabled", actor=user, obj=user, via="web", data=data)
            elif kind == "removed":
                record("auth.mfa.disabled", actor=user, obj=user, via="web", data=data)
            else:
                record("auth.mfa.reset", actor=user, obj=user, via="web", data=data)

    return handler


for _kind, _signal in (
    ("added", mfa_signals.authenticator_added),
    ("removed", mfa_signals.authenticator_removed),
    ("reset", mfa_signals.authenticator_reset),
):
    _signal.connect(_mfa_event(_kind), weak=False, dispatch_uid=f"simpatik-mfa-{_kind}")


@receiver(mfa_signals.authentication_failed)
def mfa_failed(sender, request, user, **kwargs):
    # A wrong second-factor code counts against the account like a wrong password.
    lockout.failed(request, user.username, via="web", reason="mfa_code")
