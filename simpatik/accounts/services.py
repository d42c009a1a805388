"""Changes to accounts: users, their roles and OPD, API tokens, delegations. Each one audited."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from knox.models import AuthToken

from simpatik.accounts import delegation as delegation_queries
from simpatik.accounts.models import Delegation, Opd, Role
from simpatik.audit.services import record
from simpatik.core.errors import Conflict, PermissionDenied, ValidationError, check_lengths

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


MAX_DELEGATION_DAYS = 366  # a longer absence is a new appointment, reviewed again


def delegate(
    from_user,
    *,
    actor,
    to_user,
    role: Role,
    starts_on,
    ends_on,
    reason: str,
    kind: str = Delegation.Kind.PLH,
    via: str = "",
) -> Delegation:
    """Hand a role to another user for a date range: a Plh named by the official on leave (or
    an administrator), or a Plt appointed by an administrator (`from_user` None: a vacant post).
    Ends by itself after `ends_on`; `end_delegation` ends it early."""
    from simpatik.accounts.permissions import can, is_system

    reason = (reason or "").strip()
    if kind not in Delegation.Kind.values:
        raise ValidationError(_("Jenis delegasi tidak dikenal."), code="delegation_kind")
    if kind == Delegation.Kind.PLT and not can(actor, "administrasi"):
        raise PermissionDenied(_("Hanya administrator yang dapat menunjuk Plt."), code="forbidden")
    if from_user is None and kind == Delegation.Kind.PLH:
        raise ValidationError(
            _("Plh. menggantikan seorang pejabat: sebutkan pejabatnya."), code="delegation_official"
        )
    if from_user is not None and not can(actor, "delegasikan_peran", from_user):
        raise PermissionDenied(
            _("Anda hanya dapat mendelegasikan peran Anda sendiri."), code="forbidden"
        )
    if not reason:
        raise ValidationError(
            _("Alasan wajib diisi (misalnya cuti tahunan atau dinas luar)."),
            code="reason_required",
        )
    check_lengths(Delegation, reason=reason)
    _check_dates(starts_on, ends_on)
    if to_user is None or not to_user.is_active or is_system(to_user):
        raise ValidationError(_("Pelaksana harus pengguna yang aktif."), code="delegation_to_user")
    if from_user is not None and from_user.pk == to_user.pk:
        raise ValidationError(
            _("Delegasi tidak dapat diberikan kepada diri sendiri."), code="delegation_to_self"
        )
    with transaction.atomic():
        # One delegation of a role at a time is decided under the role's row lock.
        role = Role.objects.select_for_update().get(pk=role.pk)
        if from_user is not None and not from_user.roles.filter(pk=role.pk).exists():
            raise ValidationError(
                _("%(name)s tidak memegang peran %(role)s.")
                % {"name": from_user.display_name, "role": role.nama},
                code="delegation_role_not_held",
            )
        _refuse_overlap(role, from_user, to_user, starts_on, ends_on)
        delegation = Delegation.objects.create(
            kind=kind,
            role=role,
            from_user=from_user,
            to_user=to_user,
            starts_on=starts_on,
            ends_on=ends_on,
            reason=reason,
            created_by=actor,
        )
        record(
            "account.delegation.created",
            actor=actor,
            obj=to_user,
            reason=reason,
            via=via,
            data=_delegation_data(delegation),
        )
        _tell_about(delegation, ended=False)
    for user in (from_user, to_user, actor):
        if user is not None:
            delegation_queries.forget(user)
    return delegation


def end_delegation(delegation: Delegation, *, actor, via: str = "") -> Delegation:
    """End a delegation before its last day (the official is back); it stays in the record."""
    from simpatik.accounts.permissions import can

    if not can(actor, "akhiri_delegasi", delegation):
        raise PermissionDenied(_("Anda tidak berwenang mengakhiri delegasi ini."), code="forbidden")
    with transaction.atomic():
        delegation = (
            Delegation.objects.select_for_update()
            .select_related("role", "from_user", "to_user")
            .get(pk=delegation.pk)
        )
        if delegation.revoked_at is not None or delegation.ends_on < timezone.localdate():
            raise Conflict(_("Delegasi ini sudah berakhir."), code="delegation_ended")
        delegation.revoked_at, delegation.revoked_by = timezone.now(), actor
        delegation.save(update_fields=["revoked_at", "revoked_by"])
        record(
            "account.delegation.ended",
            actor=actor,
            obj=delegation.to_user,
            via=via,
            data=_delegation_data(delegation),
        )
        _tell_about(delegation, ended=True)
    for user in (delegation.from_user, delegation.to_user, actor):
        if user is not None:
            delegation_queries.forget(user)
    return delegation


def _check_dates(starts_on, ends_on) -> None:
    if not isinstance(starts_on, dt.date) or not isinstance(ends_on, dt.date):
        raise ValidationError(
            _("Tanggal mulai dan sampai wajib diisi (TTTT-BB-HH)."), code="delegation_dates"
        )
    if starts_on < timezone.localdate():
        raise ValidationError(
            _("Tanggal mulai tidak boleh sebelum hari ini."), code="delegation_dates"
        )
    if ends_on < starts_on:
        raise ValidationError(
            _("Tanggal sampai tidak boleh sebelum tanggal mulai."), code="delegation_dates"
        )
    if (ends_on - starts_on).days >= MAX_DELEGATION_DAYS:
        raise ValidationError(
            _("Satu delegasi paling lama %(n)d hari; sesudahnya buat delegasi baru.")
            % {"n": MAX_DELEGATION_DAYS},
            code="delegation_dates",
        )


def _refuse_overlap(role, from_user, to_user, starts_on, ends_on) -> None:
    """No two delegations of a role from one official (or of one vacant post) at once, and no
    chains: the delegate is not away from that role, the official is not covering it."""
    running = Delegation.objects.overlapping(starts_on, ends_on).filter(role=role)
    running = running.select_related("from_user", "to_user")
    if from_user is None:
        clash = running.filter(from_user__isnull=True).first()
    else:
        clash = running.filter(from_user=from_user).first()
    if clash is not None:
        raise ValidationError(
            _(
                "Sudah ada delegasi %(title)s kepada %(name)s pada %(start)s sampai %(end)s, "
                "yang bertumpang tindih dengan rentang ini. Akhiri dulu delegasi itu atau pilih "
                "tanggal lain."
            )
            % {
                "title": clash.title,
                "name": clash.to_user.display_name,
                "start": clash.starts_on.strftime("%d-%m-%Y"),
                "end": clash.ends_on.strftime("%d-%m-%Y"),
            },
            code="delegation_overlap",
        )
    if running.filter(from_user=to_user).exists():
        raise ValidationError(
            _("%(name)s sendiri sedang mendelegasikan peran %(role)s pada rentang itu.")
            % {"name": to_user.display_name, "role": role.nama},
            code="delegation_chain",
        )
    if from_user is not None and running.filter(to_user=from_user).exists():
        raise ValidationError(
            _("%(name)s sedang menjadi pelaksana peran %(role)s pada rentang itu.")
            % {"name": from_user.display_name, "role": role.nama},
            code="delegation_chain",
        )


def _delegation_data(delegation: Delegation) -> dict:
    return {
        "to": delegation.to_user.username,
        "pejabat": delegation.from_user.username if delegation.from_user_id else None,
        "title": delegation.title,
        "kind": delegation.kind,
        "role": delegation.role.key,
        "mulai": delegation.starts_on.isoformat(),
        "sampai": delegation.ends_on.isoformat(),
    }


def _tell_about(delegation: Delegation, *, ended: bool) -> None:
    from simpatik.notifications.services import notify

    words = {
        "title": delegation.title,
        "start": delegation.starts_on.strftime("%d-%m-%Y"),
        "end": delegation.ends_on.strftime("%d-%m-%Y"),
        "name": delegation.from_user.display_name if delegation.from_user_id else "—",
    }
    if ended:
        message = _("Penunjukan Anda sebagai %(title)s (atas nama %(name)s) diakhiri.") % words
    else:
        message = (
            _(
                "Anda ditunjuk sebagai %(title)s (atas nama %(name)s) dari %(start)s sampai "
                "%(end)s: tugas dan pemberitahuan peran ini datang kepada Anda."
            )
            % words
        )
    notify(
        "delegasi",
        [delegation.to_user],
        key=f"delegasi:{delegation.pk}:{'akhir' if ended else 'mulai'}",
        message=message,
        url=reverse("delegations"),
    )
