"""Changes to accounts: users, their roles and OPD, API tokens, delegations (services.delegations).
Each one audited."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from knox.models import AuthToken

from simpatik.accounts.models import Opd, Role
from simpatik.accounts.services.delegations import delegate as delegate
from simpatik.accounts.services.delegations import end_delegation as end_delegation
from simpatik.audit.services import record
from simpatik.core.errors import Conflict, ValidationError

KEEP = object()  # "leave the OPD as it is" (None means "no OPD")


def check_password(password: str, user=None) -> None:
    """The installation's password policy, as a domain error with every reason in it."""
    try:
        password_validation.validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationError(" ".join(exc.messages), code="password_policy") from exc


@transaction.atomic
def set_access(user, *, actor=None, roles=None, opd=KEEP, via: str = "") -> bool:
    """Give a user these roles (None: unchanged) and OPD; record what changed."""
    changed = False
    if roles is not None:
        before = set(user.roles.values_list("key", flat=True))
        after = {role.key for role in roles}
        if before != after:
            user.roles.set(roles)
            user.__dict__.pop("_role_keys", None)
            record(
                "account.roles.changed",
                actor=actor,
                obj=user,
                via=via,
                data={"username": user.username, "before": sorted(before), "after": sorted(after)},
            )
            changed = True
    if opd is not KEEP:
        before_opd = (
            get_user_model().objects.filter(pk=user.pk).values_list("opd__kode", flat=True).first()
        )
        after_opd = opd.kode if opd is not None else None
        if before_opd != after_opd:
            user.opd = opd
            user.save(update_fields=["opd"])
            record(
                "account.opd.changed",
                actor=actor,
                obj=user,
                via=via,
                data={"username": user.username, "before": before_opd, "after": after_opd},
            )
            changed = True
    return changed


@dataclass
class SavedUser:
    user: object
    created: bool


def save_user(
    username: str,
    *,
    actor=None,
    password: str | None = None,
    roles: list[Role] | None = None,
    opd: Opd | None = None,
    nip: str = "",
    nama: str = "",
    jabatan: str = "",
    pangkat: str = "",
    via: str = "",
) -> SavedUser:
    """Create or update a user (the `simpatik user` command); the password obeys the policy."""
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username=username).first()
        created = user is None
        if created:
            user = User(username=username)
        first, _sep, last = nama.partition(" ")
        user.first_name, user.last_name = first or user.first_name, last or user.last_name
        user.nip = nip or user.nip
        user.jabatan = jabatan or user.jabatan
        user.pangkat_golongan = pangkat or user.pangkat_golongan
        if password is not None:
            check_password(password, user)
            user.set_password(password)
        elif created:
            user.set_unusable_password()
        user.save()
        record(
            "account.user.saved",
            actor=actor,
            obj=user,
            via=via,
            data={
                "username": username,
                "created": created,
                "password_changed": password is not None,
            },
        )
        keep_roles = list(user.roles.all()) if not created else []
        set_access(
            user,
            actor=actor,
            roles=None if roles is None else sorted({*keep_roles, *roles}, key=lambda r: r.pk),
            opd=KEEP if opd is None else opd,
            via=via,
        )
    return SavedUser(user, created)


def create_api_token(user, *, via: str = "api"):
    """A new API token for the user: (row, the token text shown once). Only its hash is kept."""
    ttl = settings.REST_KNOX["TOKEN_TTL"]
    limit = settings.SIMPATIK_API_TOKENS_PER_USER
    with transaction.atomic():
        AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
        if AuthToken.objects.filter(user=user).count() >= limit:
            raise Conflict(
                _("Anda sudah memiliki %(n)s token aktif. Cabut token yang tidak dipakai dulu.")
                % {"n": limit},
                code="too_many_tokens",
            )
        instance, token = AuthToken.objects.create(user=user, expiry=ttl)
        record(
            "auth.token.created",
            actor=user,
            obj=user,
            via=via,
            data={
                "token_key": instance.token_key,
                "expiry": instance.expiry.isoformat() if instance.expiry else None,
            },
        )
    return instance, token


def revoke_api_token(instance, *, actor, via: str = "api") -> None:
    with transaction.atomic():
        key = instance.token_key
        instance.delete()
        record(
            "auth.token.revoked", actor=actor, obj=instance.user, via=via, data={"token_key": key}
        )


def revoke_all_api_tokens(user, *, reason: str) -> int:
    """Every token of the user dies, e.g. when the password changes."""
    with transaction.atomic():
        count, _detail = AuthToken.objects.filter(user=user).delete()
        if count:
            record(
                "auth.token.revoked",
                obj=user,
                reason=reason,
                data={"username": user.username, "count": count},
            )
    return count
