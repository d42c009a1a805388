"""Delegations (Plh/Plt): made and ended here, audited, the delegate told. Who holds a role on a
given day is simpatik.accounts.delegation (read-only)."""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from simpatik.accounts import delegation as delegation_queries
from simpatik.accounts.models import Delegation, Role
from simpatik.audit.services import record
from simpatik.core.errors import Conflict, PermissionDenied, ValidationError, check_lengths

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
            Delegation.objects.select_for_update(of=("self",))
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
