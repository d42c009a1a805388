"""Usulan kebutuhan aplikasi: OPD staff (or Diskominfo on their behalf) register a need.

The OPD may change or withdraw its usulan until the Kadis takes it up; a withdrawn usulan is kept
(status `ditarik`), never deleted. The documents the SOP asks of the OPD (`usulan.lampiran`, the
daftar kebutuhan) are attached here and become the project's documents when it starts.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from simpatik.accounts.permissions import can, has, staff_opd
from simpatik.audit.services import record
from simpatik.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from simpatik.core.files import check_upload
from simpatik.core.sequences import next_number
from simpatik.projects.models import Need, NeedAttachment
from simpatik.projects.services.documents import store_file
from simpatik.sop.services import active_version

NEED_FIELDS = (
    "judul",
    "latar_belakang",
    "tujuan",
    "pengguna_sasaran",
    "nomor_surat",
    "tanggal_surat",
)


def can_submit_need(user) -> bool:
    return can(user, "ajukan_usulan")


def attachment_items():
    """The documents the active SOP asks an OPD to attach to its usulan."""
    try:
        return active_version().definition.usulan_lampiran
    except NotFound:
        return ()


def can_change_need(user, need: Need) -> bool:
    """The requesting OPD (or whoever registered it) may change it until it is taken up."""
    if not user.is_authenticated or need.status != Need.Status.DIAJUKAN:
        return False
    return need.created_by_id == user.pk or bool(staff_opd(user) and user.opd_id == need.opd_id)


def _checked_attachments(attachments) -> list[tuple[str, bytes, str, str, str]]:
    """Read and check every upload before anything is written: one bad file changes nothing."""
    items = {item.key: item for item in attachment_items()}
    checked = []
    max_bytes = settings.SIMPATIK_MAX_UPLOAD_MB * 1024 * 1024
    for key, uploaded in (attachments or {}).items():
        if uploaded is None:
            continue
        if key not in items:
            raise ValidationError(
                _("Lampiran '%(key)s' tidak diminta untuk usulan.") % {"key": key},
                code="unknown_attachment",
            )
        try:
            content, name, extension, mime = check_upload(uploaded, max_bytes=max_bytes)
        except ValidationError as error:
            raise ValidationError(
                f"{items[key].label}: {error.message}",
                code=error.code,
                data={"field": key, "reason": error.message},
            ) from error
        checked.append((key, content, name, extension, mime))
    return checked


def _store_attachments(need: Need, checked, actor) -> list[str]:
    names = []
    for key, content, name, extension, mime in checked:
        digest, path = store_file("usulan", content, extension)  # before the row commits
        NeedAttachment.objects.create(
            need=need,
            key=key,
            name=name,
            mime=mime,
            size=len(content),
            sha256=digest,
            path=path,
            uploaded_by=actor,
        )
        names.append(name)
    return names


NEED_TEXT_LIMIT = 10000  # a page or two of text; an usulan's detail goes in its attachments
FIRST_LETTER_YEAR = 2000


def _clean_values(data: dict) -> dict:
    values = {key: data.get(key) for key in NEED_FIELDS if key in data}
    for key in ("judul", "latar_belakang"):
        if key in values and not (values[key] or "").strip():
            raise ValidationError(
                _("%(field)s wajib diisi.")
                % {"field": capfirst(Need._meta.get_field(key).verbose_name)},
                code="field_required",
                data={"field": key},
            )
    for key in ("latar_belakang", "tujuan"):
        if len(values.get(key) or "") > NEED_TEXT_LIMIT:
            raise ValidationError(
                _("%(field)s terlalu panjang: paling banyak %(n)d huruf.")
                % {"field": capfirst(Need._meta.get_field(key).verbose_name), "n": NEED_TEXT_LIMIT},
                code="field_too_long",
                data={"field": key},
            )
    day = values.get("tanggal_surat")
    if day is not None and not FIRST_LETTER_YEAR <= day.year <= timezone.localdate().year + 1:
        raise ValidationError(
            _("Tanggal surat harus antara tahun %(first)d dan %(last)d.")
            % {"first": FIRST_LETTER_YEAR, "last": timezone.localdate().year + 1},
            code="date_out_of_range",
            data={"field": "tanggal_surat"},
        )
    return {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}


def submit_need(*, actor, opd=None, attachments=None, via: str = "", **data) -> Need:
    if staff_opd(actor) and not has(actor, "catat_usulan"):
        opd = actor.opd  # OPD staff ask for their own agency only (a vendor is not its staff)
    elif not has(actor, "catat_usulan"):
        raise PermissionDenied(_("Anda tidak berwenang mengajukan usulan."), code="forbidden")
    if opd is None:
        raise ValidationError(_("OPD pengusul wajib dipilih."), code="opd_required")
    values = _clean_values({"judul": "", "latar_belakang": "", **data})
    checked = _checked_attachments(attachments)
    with transaction.atomic():
        year = timezone.localdate().year
        need = Need.objects.create(
            nomor=f"USL-{year}-{next_number('need', year):04d}",
            opd=opd,
            created_by=actor,
            **{k: v for k, v in values.items() if v is not None},
        )
        names = _store_attachments(need, checked, actor)
        record(
            "need.submitted",
            actor=actor,
            obj=need,
            via=via,
            data={"nomor": need.nomor, "judul": need.judul, "opd": opd.nama, "attachments": names},
        )
        from simpatik.notifications import workflow as notifications
        from simpatik.sop.services import active_version

        notifications.need_submitted(need, definition=active_version().definition)
    return need


def _lock_open_need(need: Need, actor) -> Need:
    need = Need.objects.select_for_update().get(pk=need.pk)
    if need.status != Need.Status.DIAJUKAN:
        raise Conflict(
            _("Usulan ini sudah diproses, ditolak atau ditarik: tidak dapat diubah lagi."),
            code="need_not_open",
        )
    if not can_change_need(actor, need):
        raise PermissionDenied(
            _("Hanya OPD pengusul yang dapat mengubah usulan ini."), code="forbidden"
        )
    return need


def update_need(need: Need, *, actor, attachments=None, via: str = "", **data) -> Need:
    """Change an usulan before it is taken up; a new attachment is kept beside the old one."""
    values = _clean_values(data)
    checked = _checked_attachments(attachments)
    with transaction.atomic():
        need = _lock_open_need(need, actor)
        changes = {}
        for key, value in values.items():
            before = getattr(need, key)
            if before != value and not (before in (None, "") and value in (None, "")):
                changes[key] = [_plain(before), _plain(value)]
                empty = None if Need._meta.get_field(key).null else ""
                setattr(need, key, value if value is not None else empty)
        names = _store_attachments(need, checked, actor)
        if not changes and not names:
            return need
        if changes:
            need.save(update_fields=list(changes))
        record(
            "need.updated",
            actor=actor,
            obj=need,
            via=via,
            data={"nomor": need.nomor, "changes": changes, "attachments": names},
        )
    return need


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def withdraw_need(need: Need, *, actor, reason: str = "", via: str = "") -> Need:
    """The OPD no longer asks: the usulan stays on record as `ditarik`."""
    with transaction.atomic():
        need = _lock_open_need(need, actor)
        Need.objects.filter(pk=need.pk).update(
            status=Need.Status.DITARIK, status_reason=(reason or "").strip()
        )
        need.refresh_from_db()
        record(
            "need.withdrawn",
            actor=actor,
            obj=need,
            reason=reason,
            via=via,
            data={"nomor": need.nomor},
        )
    return need


def reject_need(need: Need, *, actor, reason: str, via: str = "") -> Need:
    if not has(actor, "putuskan_usulan"):
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
        from simpatik.notifications import workflow as notifications

        notifications.need_rejected(need)
    return need


def latest_attachments(need: Need) -> dict[str, NeedAttachment]:
    found: dict[str, NeedAttachment] = {}
    for attachment in need.attachments.all():  # newest first per key (Meta.ordering)
        found.setdefault(attachment.key, attachment)
    return found
