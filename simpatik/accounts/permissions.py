"""Who may do what: the one place SIMPATIK decides access.

Roles and what each may do outside the steps come from the SOP definitions in force (`roles`,
their `kewenangan`, and `sistem`); the vocabulary is `simpatik.sop.capabilities.CAPABILITIES`.
Views, the API, commands and jobs ask `can(user, action, obj)` or filter with a queryset's
`visible_to(user)`; nothing else tests a role. Work SIMPATIK does for a step runs as the system
actor (`system_actor()`), whose capabilities the SOP file declares like anyone else's.

Object actions (`can(user, action, obj)`):
- a capability name with no object: the user holds it;
- "lihat" with any object that has a `visible_to` queryset: the object is in it;
- "sunting_dokumentasi" with a project: the capability, or an active member of its team;
- "baca_repositori" / "dorong_repositori" with a repository: the capability, or (to push)
  membership of the project's team in a role that holds `dorong_repositori`;
- "lanjutkan_proyek" with a suspended project: the role its suspending step names (resume_role);
- "ajukan_usulan": OPD staff (staff_opd: not a vendor), or whoever may record one for an OPD
  (`catat_usulan`);
- "kerjakan_langkah" with a step run: its role, and its team where the SOP assigns one; a role
  scoped to the requesting OPD (`lingkup: opd`) only for a user of the project's OPD;
- "ikut_diskusi" with a project: Diskominfo staff (holders of a role) who see the project;
- "administrasi": the installation's administrators (Django staff): SOP versions, background
  jobs, the admin, reassigning any step, appointing a Plt. Not an SOP role: it is who runs the system.
- "delegasikan_peran": without an object, whoever holds an SOP role in their own right (or an
  administrator); with a user, that official themselves or an administrator (a Plh);
- "akhiri_delegasi" with a delegation: the official it names, whoever made it, an administrator.

Roles are those held today: a delegation (Plh/Plt, simpatik.accounts.delegation) gives its role,
and so the role's steps and `kewenangan`, to the delegate and takes it from the official.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from simpatik.sop.capabilities import CAPABILITIES

ACTIONS = frozenset(CAPABILITIES) | {
    "lihat",
    "lanjutkan_proyek",
    "ajukan_usulan",
    "kerjakan_langkah",
    "ikut_diskusi",
    "administrasi",
    "delegasikan_peran",
    "akhiri_delegasi",
}


def definitions():
    """The definitions in force: the active version of every SOP (parsed once per content)."""
    from simpatik.sop.models import definitions_in_force

    return definitions_in_force()


def grants() -> dict[str, frozenset[str]]:
    """Role key -> capabilities, over every SOP in force (a role holds the union)."""
    merged: dict[str, set[str]] = {}
    for definition in definitions():
        for role, granted in definition.grants.items():
            merged.setdefault(role, set()).update(granted)
    return {role: frozenset(granted) for role, granted in merged.items()}


def staff_opd(user) -> int | None:
    """The OPD whose staff `user` is, for what an OPD sees of its own (its projects, usulan and
    inventory): the user's OPD, unless they hold a role an SOP gives a party outside the
    regency's staff (`pihak_ketiga`, a vendor), who sees only the projects whose team it is on."""
    if not user.is_authenticated or not user.opd_id:
        return None
    if user.role_keys() & third_party_roles():
        return None
    return user.opd_id


def third_party_roles() -> frozenset[str]:
    """Roles any stored SOP version gives a party outside the regency's staff (`pihak_ketiga`):
    over every version, not only those in force, so that a vendor on a project of a retired
    version never becomes its OPD's staff."""
    from simpatik.sop.models import definitions_by_version

    return frozenset().union(*(d.third_party_roles for d in definitions_by_version().values()))


def roles_with(capability: str) -> frozenset[str]:
    """The role keys that hold a capability in some SOP in force."""
    return frozenset(role for role, granted in grants().items() if capability in granted)


def is_system(user) -> bool:
    return bool(user is not None and user.username == settings.SIMPATIK_SYSTEM_USERNAME)


def capabilities(user) -> frozenset[str]:
    """Everything a user may do outside the steps; cached on the user object (one request)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_simpatik_capabilities", None)
    if cached is None:
        if user.is_superuser:
            cached = frozenset(CAPABILITIES)
        elif is_system(user):
            cached = frozenset().union(*(d.system_grants for d in definitions()))
        else:
            table = grants()
            cached = frozenset().union(*(table.get(role, ()) for role in user.role_keys()))
        user._simpatik_capabilities = cached
    return cached


def has(user, capability: str) -> bool:
    if capability not in CAPABILITIES:
        raise ValueError(f"unknown capability {capability!r}")
    return capability in capabilities(user)


def can(user, action: str, obj=None) -> bool:
    """May `user` do `action` (on `obj`)? See the module's docstring for the object actions."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if action == "administrasi":
        return user.is_staff or user.is_superuser
    if action == "lihat":
        return type(obj).objects.visible_to(user).filter(pk=obj.pk).exists()
    if action == "ajukan_usulan":
        return bool(staff_opd(user)) or has(user, "catat_usulan")
    if action == "kerjakan_langkah":
        from simpatik.projects.services.rules import eligible

        return eligible(user, obj)
    if action == "ikut_diskusi":
        holds_role = user.is_superuser or bool(user.role_keys() & set(grants()))
        return holds_role and can(user, "lihat", obj)
    if action in {"delegasikan_peran", "akhiri_delegasi"}:
        return _may_delegate(user, action, obj)
    if action == "lanjutkan_proyek":
        role = resume_role(obj)
        return role is not None and role in user.role_keys()
    if has(user, action):
        return True
    if obj is None:
        return False
    if action == "sunting_dokumentasi":
        return obj.members.filter(user=user, aktif=True).exists()
    if action in {"baca_repositori", "dorong_repositori"}:
        pushers = roles_with("dorong_repositori")
        return obj.project.members.filter(user=user, aktif=True, role_key__in=pushers).exists()
    return False


def _may_delegate(user, action: str, obj) -> bool:
    if user.is_staff or user.is_superuser:
        return True
    if action == "akhiri_delegasi":
        return obj is not None and user.pk in {obj.from_user_id, obj.created_by_id}
    if obj is not None and obj.pk != user.pk:
        return False
    return bool(user.own_role_keys() & set(grants()))


def require(user, action: str, obj=None, message: str | None = None) -> None:
    """`can`, or a PermissionDenied (code `forbidden`) with a message for people."""
    if not can(user, action, obj):
        from django.utils.translation import gettext as _

        from simpatik.core.errors import PermissionDenied

        raise PermissionDenied(
            message or _("Anda tidak berwenang melakukan ini."), code="forbidden"
        )


def resume_role(project) -> str | None:
    """The role that decides on a suspended project: its suspending step's `resume_role`."""
    from simpatik.projects.models import Project, StepRun

    if project is None or project.status != Project.Status.DITANGGUHKAN:
        return None
    last = (
        project.step_runs.filter(status=StepRun.Status.SELESAI)
        .order_by("-completed_at", "-id")
        .first()
    )
    suspend = project.definition.step(last.step_number).suspend if last else None
    return suspend["resume_role"] if suspend else None


def sees_everything(user) -> bool:
    """Oversight: every project and what hangs from it (letters, documents, subdomains)."""
    return has(user, "lihat_semua_proyek")


def system_actor():
    """The user SIMPATIK acts as for a step's follow-up work; made on first use, never signs in."""
    User = get_user_model()
    name = settings.SIMPATIK_SYSTEM_USERNAME
    found = User.objects.filter(username=name).first()
    if found is not None:
        return found
    with transaction.atomic():
        user, created = User.objects.get_or_create(
            username=name, defaults={"first_name": system_name(), "is_active": True}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
    return user


def system_name() -> str:
    for definition in definitions():
        nama = (definition.raw.get("sistem") or {}).get("nama")
        if nama:
            return str(nama)
    return "SIMPATIK (sistem)"


def operator(username: str | None = None):
    """The named administrator a command runs as: `--as USER`, else SIMPATIK_OPERATOR."""
    from simpatik.core.errors import NotFound, ValidationError

    username = username or settings.SIMPATIK_OPERATOR
    if not username:
        raise ValidationError(
            "Sebutkan pengguna yang menjalankan perintah ini dengan --as NAMA_PENGGUNA "
            "(atau atur SIMPATIK_OPERATOR).",
            code="operator_required",
        )
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None or is_system(user):
        raise NotFound(f"Pengguna aktif '{username}' tidak ditemukan.", code="operator_unknown")
    return user
