"""How the SOP engine reaches the inventory: hooks named in the SOP definition.

SIMPATIK makes these changes as its system actor (what it may do is the SOP file's `sistem`), so
the history says the system registered the application after the person's step.
The inventory takes every value from the step that recorded it, never from a retyped copy: the
repository from provisioning, the recommendation letter's number from the letter issued for
`surat_rekomendasi`, hosting and server from step 16's fields, integrations from step 5's marks.
The item keys read here (subdomain, lokasi_hosting, server_hosting, aplikasi_integrasi_inventaris,
publikasi_katalog, surat_rekomendasi, pengembang_aplikasi, and those of inventory.autofill) are the
SOP definitions'; a revision that renames them must
rename them here too (the hooks test walks the seed definition).
"""

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from simpatik.accounts.permissions import system_actor
from simpatik.core.input_guard import is_number
from simpatik.inventory import autofill, services
from simpatik.inventory.models import Application, Integration
from simpatik.inventory.similarity import similar


def _project_text(project) -> str:
    parts = [project.nama, project.deskripsi]
    if project.need_id:
        need, text = project.need, ("judul", "latar_belakang", "tujuan")
        if need.get_deferred_fields() & set(text):
            # The project page reads only the usulan's number: its text in one query, not three.
            need.refresh_from_db(fields=text)
        parts += [getattr(need, name) for name in text]
    return " ".join(filter(None, parts))


def similar_choices(project) -> list[tuple[str, str]]:
    """Step 5: the inventory's most similar applications, labelled with score and matched words."""
    if project is None:
        return []
    from simpatik.core.context import memoized

    # Step 5 asks for it by two of its fields: searched once per request (its queries and the
    # search), as the inventory does not change between them.
    return list(memoized(f"inventory.similar:{project.pk}", lambda: _similar_choices(project)))


def _similar_choices(project) -> list[tuple[str, str]]:
    own = Application.objects.filter(project=project).values_list("id", flat=True).first()
    matches = [m for m in similar(_project_text(project), limit=8) if m.id != own]
    opds = dict(
        Application.objects.filter(pk__in=[m.id for m in matches]).values_list("id", "opd__nama")
    )
    options = []
    for match in matches:
        if match.id in opds:
            # The score as the reader writes a decimal (0,47 in Indonesian).
            label = _("%(nama)s (%(opd)s) · skor %(score)s · cocok: %(words)s") % {
                "nama": match.nama,
                "opd": opds[match.id],
                "score": formats.number_format(match.score, 2),
                "words": ", ".join(match.matched),
            }
            options.append((str(match.id), label))
    return options


def application_labels(values) -> dict[str, tuple[str, str]]:
    """Recorded application ids by name and page, for the history (archived ones too)."""
    ids = [int(v) for v in map(str, values) if is_number(v)]  # not "²", nor past 64 bits
    return {
        str(pk): (nama, reverse("inventory:detail", args=[pk]))
        for pk, nama in Application.objects.filter(pk__in=ids).values_list("pk", "nama")
    }


def _linked_or_named(project):
    application = Application.objects.filter(project=project).first()
    if application is None:
        application = (
            Application.objects.active()
            .filter(opd=project.opd, nama__iexact=project.nama, project__isnull=True)
            .first()
        )
    return application


def _all_values(project, run) -> dict:
    from simpatik.projects.services.rules import earlier_values

    return {**earlier_values(project), **(run.values or {})}


def _developer(project, run) -> str:
    """Who builds it: an SOP's `pengembang_aplikasi` field (an OPD, its vendor), else Diskominfo."""
    value = _all_values(project, run).get("pengembang_aplikasi")
    if value in Application.Pengembang.values:
        return value
    return Application.Pengembang.DISKOMINFO


def _register_or_update(project, run, actor, changes: dict, reason: str) -> None:
    """Update the record the project is developing (or an unlinked one of the same name), else create it.

    The SPBE catalogue metadata the steps recorded fills what no person has typed."""
    metadata = autofill.known(project, _all_values(project, run))
    application = _linked_or_named(project)
    if application is None:
        services.register_application(
            actor=system_actor(),
            via="workflow",
            project=project,
            data={
                "nama": project.nama,
                "deskripsi": project.deskripsi,
                "opd": project.opd,
                "pengembang": _developer(project, run),
                **metadata,
                **changes,
            },
        )
        return
    if application.project_id is None:
        Application.objects.filter(pk=application.pk).update(project=project)
    if "tahun_dibangun" in changes and application.tahun_dibangun is not None:
        del changes["tahun_dibangun"]  # an existing application keeps the year it was first built
    changes = {**autofill.to_fill(application, metadata), **changes}
    services.update_application(
        application, actor=system_actor(), changes=changes, via="workflow", reason=reason
    )


def hosting_choices(project) -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in Application.Hosting.choices]


def platform_choices(project) -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in Application.Platform.choices]


def _labelled(choices):
    """The history's labels of a fixed list of choices (register_choice_labels)."""

    def labels(values) -> dict[str, tuple[str, str]]:
        known = dict(choices.choices)
        return {str(v): (str(known[v]), "") for v in values if v in known}

    return labels


hosting_labels, platform_labels = _labelled(Application.Hosting), _labelled(Application.Platform)


def _repository_address(project) -> str:
    from simpatik.provisioning.models import Repository

    repository = Repository.objects.filter(project=project).first()
    if repository is None:
        return ""
    return repository.web_url or repository.clone_url


def _recommendation_number(project) -> str:
    """The number of the valid letter issued for `surat_rekomendasi` (a correction replaces it)."""
    from simpatik.letters.models import Letter

    steps = project.definition.producers.get("surat_rekomendasi", ())
    letters = Letter.objects.filter(
        project=project, step_number__in=steps, replaced_by__isnull=True
    )
    return letters.order_by("-id").values_list("number", flat=True).first() or ""


def sync_integrations(project, application, actor) -> None:
    """The applications marked at step 5 as needing integration become inventory integrations."""
    from simpatik.projects.services.rules import earlier_values

    key = "aplikasi_integrasi_inventaris"
    marked = [int(v) for v in earlier_values(project).get(key) or [] if str(v).isdigit()]
    present = set(
        Integration.objects.filter(source=application, diarsipkan=False).values_list(
            "target_id", flat=True
        )
    )
    steps = project.definition.producers.get(key, ())
    note = f"Ditandai pada analisis langkah {steps[0] if steps else '-'} proyek {project.kode}"
    for target in Application.objects.active().filter(pk__in=marked).exclude(pk=application.pk):
        if target.pk not in present:
            services.add_integration(
                actor=system_actor(),
                source=application,
                target=target,
                data=note,
                arah=Integration.Arah.DUA_ARAH,
                via="workflow",
            )


def register_development(project, run, actor, via):
    """Step 8: the application enters the inventory as `pengembangan`, linked to its project."""
    changes = {"status": Application.Status.PENGEMBANGAN}
    repository = _repository_address(project)
    if repository:
        changes["repositori"] = repository
    _register_or_update(
        project, run, actor, changes, f"Langkah {run.step_number} proyek {project.kode}"
    )
    sync_integrations(project, Application.objects.get(project=project), actor)


def record_repository(project, address: str, actor) -> None:
    """Provisioning made the repository: the inventory keeps the address SIMPATIK created."""
    application = Application.objects.filter(project=project, diarsipkan=False).first()
    if application is not None and address:
        services.update_application(
            application,
            actor=system_actor(),
            changes={"repositori": address},
            via="workflow",
            reason=f"Repositori proyek {project.kode} disediakan",
        )


def _url(subdomain: str) -> str:
    subdomain = (subdomain or "").strip().lower()
    if not subdomain:
        return ""
    if "." in subdomain or "://" in subdomain:
        return subdomain if "://" in subdomain else f"https://{subdomain}"
    return f"https://{subdomain}.{settings.SIMPATIK_APPS_DOMAIN}"


def register_approved(project, run, actor, via):
    """Step 18: the Kadis's approval makes the application `aktif` with its URL and repository."""
    values = _all_values(project, run)
    today = timezone.localdate()
    changes = {
        "status": Application.Status.AKTIF,
        "disetujui_oleh": actor.display_name,
        "tanggal_persetujuan": today,
        "registrasi_ulang": today,
        "tahun_pengembangan": today.year,
        "tahun_dibangun": today.year,
    }
    found = {
        "url": _url(values.get("subdomain", "")),
        "repositori": _repository_address(project),
        "surat_rekomendasi": _recommendation_number(project),
        "server": str(values.get("server_hosting") or "")[:200],
    }
    changes.update({field: value for field, value in found.items() if value})
    if values.get("lokasi_hosting") in Application.Hosting.values:
        changes["hosting"] = values["lokasi_hosting"]
    if values.get("publikasi_katalog") is True:
        changes["publik"] = True  # the Kadis chose to publish it at the approval
    _register_or_update(
        project,
        run,
        actor,
        changes,
        f"Disetujui pada langkah {run.step_number} proyek {project.kode}",
    )
    sync_integrations(project, Application.objects.get(project=project), actor)
