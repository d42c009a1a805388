import threading

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from simpatik.core.precompiled import Precompiled
from simpatik.sop.definition import Definition
from simpatik.sop.validation import build_definition

# Keyed by content hash: the same text is the same definition whatever row holds it.
_cache: dict[str, Definition] = {}
_cache_lock = threading.Lock()
# The definition is parsed once per content hash; hot paths need not fetch the raw columns.
SOP_HEAVY_FIELDS = ("data", "source")


class SopVersion(models.Model):
    """One immutable version of an SOP definition; a revision is a new version."""

    kode = models.SlugField(_("kode SOP"), max_length=80)
    version = models.PositiveIntegerField(_("versi"))
    judul = models.CharField(_("judul"), max_length=300)
    data = models.JSONField(_("definisi"))
    source = models.TextField(_("sumber (YAML)"))
    sha256 = models.CharField(max_length=64)
    berlaku = models.BooleanField(_("berlaku untuk proyek baru"), default=False)
    # A draft revision (made from a monitoring and evaluation recommendation): checked by the
    # loader and stored, but in force only once an administrator loads (activates) it.
    draf = models.BooleanField(_("draf revisi"), default=False)
    loaded_at = models.DateTimeField(_("dimuat"), auto_now_add=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("catatan revisi"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("versi SOP")
        verbose_name_plural = _("versi SOP")
        ordering = ["kode", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kode", "version"], name="sop_version_unique"),
        ]

    def __str__(self):
        return gettext("%(judul)s (versi %(n)d)") % {"judul": self.judul, "n": self.version}

    def save(self, *args, **kwargs):
        # A version is immutable once written; only the berlaku and draf flags may change, and
        # that goes through a queryset update in the service.
        if self.pk is not None:
            raise RuntimeError("SOP versions are immutable; load a revision as a new version")
        super().save(*args, **kwargs)

    @property
    def short_name(self) -> str:
        """What a choice of SOPs shows: Definition.short_name."""
        return self.definition.short_name

    @property
    def definition(self) -> Definition:
        with _cache_lock:
            found = _cache.get(self.sha256)
            if found is None:
                found = build_definition(self.data, strict=False)
                _cache[self.sha256] = found
            return found


VERSIONS = "sop.versions"


def _versions() -> list[tuple[int, str, bool]]:
    """Every stored version as (id, content hash, in force), newest first per SOP: one small
    query per request (permissions, MFA and lists all ask; storing or activating a version
    forgets it)."""
    from simpatik.core.context import memoized

    return memoized(VERSIONS, _VERSIONS.rows)


def _versions_query():
    return SopVersion.objects.values_list("pk", "sha256", "berlaku")


# Read on every signed-in request: compiled once per process (core.precompiled).
_VERSIONS = Precompiled(_versions_query)


def stored_versions() -> tuple:
    """Every stored version as (id, content hash, in force): a key for what depends on them."""
    return tuple(_versions())


def _parsed(rows) -> None:
    """Parse the contents new to this process (the JSON is read only for those)."""
    missing = [pk for pk, sha, _in_force in rows if sha not in _cache]
    if missing:
        for version in SopVersion.objects.filter(pk__in=missing):
            version.definition  # noqa: B018 - parses and caches


def definitions_in_force() -> list[Definition]:
    """The active version of every SOP, each parsed once per content hash."""
    current = [row for row in _versions() if row[2]]
    _parsed(current)
    return [_cache[sha] for _pk, sha, _in_force in current]


def definitions_by_version() -> dict[int, Definition]:
    """Every stored version's definition by its id (projects keep the version they started
    with)."""
    versions = _versions()
    _parsed(versions)
    return {pk: _cache[sha] for pk, sha, _in_force in versions}
