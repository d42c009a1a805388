"""Reading the dashboard's filters from a query string: strict, with Indonesian messages."""

import datetime as dt
import re

from django.utils.translation import gettext as _

from simpatik.core.errors import ValidationError
from simpatik.oversight.stats import Filters, default_filters

_DIGITS = re.compile(r"^[0-9]{1,9}$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _date(value: str, name: str) -> dt.date:
    if not _DATE.match(value):
        raise ValidationError(
            _("Tanggal %(name)s harus berformat TTTT-BB-HH.") % {"name": name}, code="invalid_date"
        )
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationError(
            _("Tanggal %(name)s tidak ada.") % {"name": name}, code="invalid_date"
        ) from exc


def _number(value: str, name: str) -> int | None:
    if value in ("", None):
        return None
    if not _DIGITS.match(value):
        raise ValidationError(
            _("%(name)s harus berupa angka.") % {"name": name}, code="invalid_number"
        )
    return int(value)


def _sop(value: str) -> str | None:
    """An SOP in force, by its code (unknown codes are refused, not shown as empty figures)."""
    from simpatik.sop.services import version_in_force

    return version_in_force(value).kode if value else None


def filters_from(query) -> Filters:
    default = default_filters()
    start = _date(query["dari"], "dari") if query.get("dari") else default.start
    end = _date(query["sampai"], "sampai") if query.get("sampai") else default.end
    if end < start:
        raise ValidationError(
            _("Tanggal sampai tidak boleh sebelum tanggal dari."), code="invalid_period"
        )
    if (end - start).days > 3660:
        raise ValidationError(_("Periode paling panjang sepuluh tahun."), code="invalid_period")
    return Filters(
        start=start,
        end=end,
        opd_id=_number(query.get("opd", ""), "OPD"),
        sop_version_id=_number(query.get("versi", ""), _("versi SOP")),
        sop=_sop(query.get("sop", "")),
        step=_number(query.get("langkah", ""), _("langkah")),
        user_id=_number(query.get("orang", ""), _("orang")),
    )
