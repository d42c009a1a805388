"""Changes to the inventory: each one audited with its before and after values; nothing is deleted."""

import datetime as dt

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import TextField
from django.utils.text import slugify
from django.utils.translation import gettext as _

from simpatik.accounts.models import Opd
from simpatik.accounts.permissions import can, require
from simpatik.audit.services import record
from simpatik.core.errors import Conflict, ValidationError
from simpatik.inventory.fields import EDITABLE
from simpatik.inventory.matching import initials
from simpatik.inventory.models import Application, Integration, OpdAlias
from simpatik.inventory.similarity import bump_revision, search_text_for
from simpatik.inventory.spreadsheet import normalize_header


def can_edit(user) -> bool:
    return can(user, "kelola_inventaris")


def _ensure_editor(actor):
    """Whoever changes the inventory holds `kelola_inventaris`: a person, the operator a command
    runs as, or SIMPATIK itself acting for a step (its system actor). `via` is only recorded."""
    require(
        actor, "kelola_inventaris", message=_("Anda tidak berwenang mengubah inventaris aplikasi.")
    )


def _plain(value):
    if hasattr(value, "pk"):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _save(application: Application) -> None:
    application.search_text = search_text_for(application)
    if application.opd_id and application.nama and not application.diarsipkan:
        same = Application.objects.active().filter(
            opd_id=application.opd_id, nama__iexact=application.nama.strip()
        )
        if same.exclude(pk=application.pk).exists():
            raise Conflict(
                _("Aplikasi dengan nama ini sudah ada di OPD tersebut."), code="duplicate"
            )
    try:
        application.full_clean(exclude=["search_text"], validate_constraints=False)
    except DjangoValidationError as exc:
        messages = {
            field: "; ".join(str(m) for m in errors) for field, errors in exc.message_dict.items()
        }
    else:
        messages = {}
    # A model check leaves a TextField's max_length to forms: the same limit for every caller.
    for model_field in Application._meta.fields:
        value = getattr(application, model_field.name)
        limit = model_field.max_length
        if isinstance(model_field, TextField) and limit and value and len(value) > limit:
            messages.setdefault(
                model_field.name,
                _("Paling banyak %(limit)d karakter (terisi %(n)d).")
                % {"limit": limit, "n": len(value)},
            )
    if messages:
        raise ValidationError(
            _("Data aplikasi tidak valid: %(errors)s")
            % {"errors": "; ".join(f"{k}: {v}" for k, v in messages.items())},
            code="application_invalid",
            data={"fields": messages},
        )
    try:
        with transaction.atomic():
            application.save()
            bump_revision()
    except IntegrityError as exc:
        raise Conflict(
            _("Aplikasi dengan nama ini sudah ada di OPD tersebut."), code="duplicate"
        ) from exc


def register_application(*, actor, data: dict, via: str = "web", project=None) -> Application:
    _ensure_editor(actor)
    unknown = sorted(set(data) - set(EDITABLE))
    if unknown:
        raise ValidationError(
            _("Kolom tidak dikenal: %(f)s") % {"f": ", ".join(unknown)}, code="unknown_field"
        )
    with transaction.atomic():
        application = Application(project=project, **data)
        _save(application)
        record(
            "inventory.application.created",
            actor=actor,
            obj=application,
            via=via,
            project=project,
            data={"fields": {k: _plain(v) for k, v in data.items()}},
        )
    return application


def update_application(
    application: Application, *, actor, changes: dict, via: str = "web", reason: str = ""
) -> dict:
    """Apply changes; return {field: [before, after]} of what really changed (empty: nothing)."""
    _ensure_editor(actor)
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise ValidationError(
            _("Kolom tidak dikenal: %(f)s") % {"f": ", ".join(unknown)}, code="unknown_field"
        )
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.diarsipkan:
            raise Conflict(_("Aplikasi yang diarsipkan tidak dapat diubah."), code="archived")
        diff = {}
        for field, value in changes.items():
            before = getattr(application, field)
            setattr(application, field, value)
            if _plain(before) != _plain(value):
                diff[field] = [_plain(before), _plain(value)]
        if not diff:
            return {}
        _save(application)
        record(
            "inventory.application.updated",
            actor=actor,
            obj=application,
            via=via,
            reason=reason,
            project=application.project,
            data={"changes": diff},
        )
    return diff


def archive_application(
    application: Application, *, actor, reason: str, via: str = "web"
) -> Application:
    _ensure_editor(actor)
    if not (reason or "").strip():
        raise ValidationError(_("Alasan pengarsipan wajib diisi."), code="reason_required")
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.diarsipkan:
            raise Conflict(_("Aplikasi sudah diarsipkan."), code="archived")
        Application.objects.filter(pk=application.pk).update(
            diarsipkan=True, archived_reason=reason.strip()
        )
        bump_revision()
        application.diarsipkan, application.archived_reason = True, reason.strip()
        record(
            "inventory.application.archived", actor=actor, obj=application, via=via, reason=reason
        )
    return application


def restore_application(
    application: Application, *, actor, reason: str = "", via: str = "web"
) -> Application:
    _ensure_editor(actor)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if not application.diarsipkan:
            raise Conflict(_("Aplikasi tidak sedang diarsipkan."), code="not_archived")
        application.diarsipkan = False
        _save(application)
        record(
            "inventory.application.restored", actor=actor, obj=application, via=via, reason=reason
        )
    return application


def add_integration(
    *,
    actor,
    source: Application,
    target: Application,
    data: str,
    arah: str = "kirim",
    metode: str = "api",
    via: str = "web",
) -> Integration:
    _ensure_editor(actor)
    if source.pk == target.pk:
        raise ValidationError(
            _("Aplikasi tidak dapat berintegrasi dengan dirinya sendiri."), code="self_integration"
        )
    if not (data or "").strip():
        raise ValidationError(_("Data yang dipertukarkan wajib diisi."), code="field_required")
    if arah not in Integration.Arah.values or metode not in Integration.Metode.values:
        raise ValidationError(_("Arah atau metode tidak dikenal."), code="invalid_choice")
    with transaction.atomic():
        integration = Integration.objects.create(
            source=source, target=target, data=data.strip(), arah=arah, metode=metode
        )
        record(
            "inventory.integration.added",
            actor=actor,
            obj=integration,
            via=via,
            data={
                "source": source.nama,
                "target": target.nama,
                "data": data,
                "arah": arah,
                "metode": metode,
            },
        )
    return integration


def archive_integration(
    integration: Integration, *, actor, reason: str = "", via: str = "web"
) -> None:
    _ensure_editor(actor)
    with transaction.atomic():
        Integration.objects.filter(pk=integration.pk).update(diarsipkan=True)
        record(
            "inventory.integration.archived", actor=actor, obj=integration, via=via, reason=reason
        )


def create_opd(*, actor, nama: str, singkatan: str = "", via: str = "web") -> Opd:
    """An OPD named in an imported spreadsheet that SIMPATIK did not know, made on confirmation."""
    _ensure_editor(actor)
    nama = " ".join((nama or "").split())
    if not nama or len(nama) > 200:
        raise ValidationError(_("Nama OPD wajib diisi (paling banyak 200 huruf)."), code="opd_name")
    if Opd.objects.filter(nama__iexact=nama).exists():
        raise Conflict(_("OPD %(nama)s sudah ada.") % {"nama": nama}, code="duplicate_opd")
    acronym = initials(nama)
    base = slugify(singkatan or (acronym if len(acronym) >= 3 else nama))[:26] or "opd"
    kode, number = base, 1
    while Opd.objects.filter(kode=kode).exists():
        number += 1
        kode = f"{base}-{number}"
    with transaction.atomic():
        try:
            with transaction.atomic():
                opd = Opd.objects.create(kode=kode, nama=nama, singkatan=singkatan)
        except IntegrityError as exc:  # another import made it a moment ago
            raise Conflict(
                _("OPD %(nama)s sudah ada.") % {"nama": nama}, code="duplicate_opd"
            ) from exc
        record(
            "inventory.opd.created",
            actor=actor,
            obj=opd,
            via=via,
            data={"nama": nama, "kode": kode},
        )
    return opd


def learn_opd_alias(*, actor, opd: Opd, text: str, via: str = "web") -> bool:
    """Keep how a confirmed import wrote an OPD; True when that is new or now names another OPD."""
    _ensure_editor(actor)
    key = normalize_header(text)[:200]
    if not key:
        return False
    with transaction.atomic():
        alias = OpdAlias.objects.select_for_update().filter(key=key).first()
        if alias is not None and alias.opd_id == opd.pk:
            return False
        before = str(alias.opd) if alias is not None else ""
        if alias is None:
            alias = OpdAlias(key=key)
        alias.opd, alias.text = opd, text[:200]
        try:
            with transaction.atomic():
                alias.save()
        except IntegrityError as exc:  # another import learnt the same text a moment ago
            raise Conflict(
                _("Nama lain OPD ini baru saja dicatat oleh impor lain; coba lagi."),
                code="duplicate_alias",
            ) from exc
        record(
            "inventory.opd.alias_learnt",
            actor=actor,
            obj=opd,
            via=via,
            data={"alias": alias.text, "opd": str(opd), "before": before},
        )
    return True
