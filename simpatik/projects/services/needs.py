"""Usulan kebutuhan aplikasi: OPD staff (or Diskominfo on their behalf) register a need."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simpatik.audit.services import record
from simpatik.core.errors import Conflict, PermissionDenied, ValidationError
from simpatik.core.sequences import next_number
from simpatik.projects.models import Need

NEED_FIELDS = (
    "judul",
    "latar_belakang",
    "tujuan",
    "pengguna_sasaran",
    "nomor_surat",
    "tanggal_surat",
)
# Diskominfo staff who may register a need received on paper, and who may reject one.
REGISTRARS = {"kadis", "kabid", "kasie"}
DECIDERS = {"kadis", "kabid"}


def can_submit_need(user) -> bool:
    return bool(user.is_authenticated and (user.opd_id or user.role_keys() & REGISTRARS))


def submit_need(*, actor, opd=None, via: str = "", **data) -> Need:
    if actor.opd_id and not (actor.role_keys() & REGISTRARS):
        opd = actor.opd  # OPD staff ask for their own agency only
    elif not (actor.role_keys() & REGISTRARS):
        raise PermissionDenied(_("Anda tidak berwenang mengajukan usulan."), code="forbidden")
    if opd is None:
        raise ValidationError(_("OPD pengusul wajib dipilih."), code="opd_required")
    values = {key: data.get(key) for key in NEED_FIELDS}
    for key in ("judul", "latar_belakang"):
        if not (values[key] or "").strip():
            raise ValidationError(
                _("%(field)s wajib diisi.")
                % {"field": Need._meta.get_field(key).verbose_name.capitalize()},
                code="field_required",
                data={"field": key},
            )
    with transaction.atomic():
        year = timezone.localdate().year
        need = Need.objects.create(
            nomor=f"USL-{year}-{next_number('need', year):04d}",
            opd=opd,
            created_by=actor,
            **{
                k: (v.strip() if isinstance(v, str) else v)
                for k, v in values.items()
                if v is not None
            },
        )
        record(
            "need.submitted",
            actor=actor,
            obj=need,
            via=via,
            data={"nomor": need.nomor, "judul": need.judul, "opd": opd.nama},
        )
    return need


def reject_need(need: Need, *, actor, reason: str, via: str = "") -> Need:
    if not (actor.role_keys() & DECIDERS):
        raise PermissionDenied(_("Anda tidak berwenang menolak usulan."), code="forbidden")
    if not (reason or "").strip():
        raise ValidationError(_("Alasan penolakan wajib diisi."), code="reason_required")
    with transaction.atomic():
        need = Need.objects.select_for_update().get(pk=need.pk)
        if need.status != Need.Status.DIAJUKAN:
            raise Conflict(_("Usulan ini sudah diproses atau ditolak."), code="need_not_open")
        Need.objects.filter(pk=need.pk).update(
            status=Need.Status.DITOLAK, status_reason=reason.strip()
        )
        need.refresh_from_db()
        record("need.rejected", actor=actor, obj=need, reason=reason, via=via)
    return need
