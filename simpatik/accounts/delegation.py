"""Who holds a role today, delegations (Plh/Plt) included. Read-only: changes are services.

While a delegation runs (its dates, in the installation's zone, WITA; it ends by itself), the
delegate holds the role and the official it names does not: tasks, notifications, the right to
act on the role's steps and the role's `kewenangan` are the delegate's, and the official's come
back the day after it ends or when it is ended early. A Plt of a vacant post names no official.
Everything here is computed per date; nothing needs a job to start or end a delegation.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.utils import timezone

from simpatik.accounts.models import Delegation, Role
from simpatik.core.precompiled import Precompiled

OWN, COVERING, AWAY = 0, 1, 2


def _roles_query(user_id, today):
    """Own roles and the delegations running on `today` both ways, as (key, source, other)."""
    own = (
        Role.objects.filter(users=user_id)
        .annotate(k=F("key"), src=Value(OWN), other=Value(None, output_field=IntegerField()))
        .values_list("k", "src", "other")
        .order_by()
    )
    running = (
        Delegation.objects.in_force(today)
        .filter(Q(to_user=user_id) | Q(from_user=user_id))
        .annotate(
            k=F("role__key"),
            src=Case(When(to_user=user_id, then=Value(COVERING)), default=Value(AWAY)),
            other=Case(
                When(to_user=user_id, then=F("from_user")),
                default=F("to_user"),
                output_field=IntegerField(),
            ),
        )
        .values_list("k", "src", "other")
        .order_by()
    )
    return own.union(running, all=True)


# Asked on every signed-in request: compiled once per process (core.precompiled).
_ROLES = Precompiled(_roles_query, user_id=-424242, today=dt.date(1901, 2, 3))


def load_roles(user) -> set[str]:
    """Fill the user's role cache in one query: own roles and today's delegations both ways."""
    if not user.pk:
        user._own_role_keys, user._away, user._covering, user._role_keys = set(), set(), {}, set()
        return user._role_keys
    mine, away, covering = set(), set(), {}
    for key, source, other in _ROLES.rows(user_id=user.pk, today=timezone.localdate()):
        if source == OWN:
            mine.add(key)
        elif source == AWAY:
            away.add(key)
        else:
            covering.setdefault(key, set()).add(other)
    user._own_role_keys, user._away = mine, away
    user.__dict__.pop("_acting", None)
    user._covering = covering  # role key -> ids of the officials covered (None: a vacant post)
    user._role_keys = (mine - away) | set(covering)
    return user._role_keys


def standing(user) -> tuple:
    """Everything about a user today that decides which steps they may act on and which
    projects they see: who, active, their roles (own and delegated, both ways) and the officials
    they stand in for, their OPD. A key for what is compiled per user (core.precompiled)."""
    loaded(user)
    covering = tuple(
        sorted(
            (key, tuple(sorted(ids, key=lambda pk: pk or 0))) for key, ids in user._covering.items()
        )
    )
    return (
        user.pk,
        user.is_active,
        user.is_superuser,
        user.is_staff,
        user.opd_id,
        tuple(sorted(user._own_role_keys)),
        tuple(sorted(user._away)),
        covering,
    )


def loaded(user):
    """The user with their role cache filled (by `load_roles`, once per object)."""
    if getattr(user, "_role_keys", None) is None or not hasattr(user, "_covering"):
        load_roles(user)
    return user


def forget(user) -> None:
    """Drop what is cached on a user object (roles, capabilities, delegations)."""
    for name in (
        "_role_keys",
        "_own_role_keys",
        "_away",
        "_covering",
        "_acting",
        "_simpatik_capabilities",
    ):
        user.__dict__.pop(name, None)


def covered(user, role_key: str) -> set[int]:
    """Ids of the officials this user stands in for in a role today (empty: none)."""
    if user is None or not user.is_authenticated:
        return set()
    loaded(user)
    return {pk for pk in user._covering.get(role_key, ()) if pk}


def acting_for(user, role_key: str, *, project=None) -> Delegation | None:
    """The delegation under which the user holds `role_key` today, if not in their own right.

    Covering several officials in one role, the one on the project's team comes first."""
    if user is None or not user.is_authenticated or not user.pk:
        return None
    loaded(user)
    in_own_right = role_key in user._own_role_keys and role_key not in user._away
    if role_key not in user._covering or in_own_right:
        return None
    cache = user.__dict__.setdefault("_acting", {})
    if role_key not in cache:
        cache[role_key] = list(
            Delegation.objects.in_force()
            .filter(to_user=user, role__key=role_key)
            .select_related("role", "from_user")
            .order_by("starts_on", "id")
        )
    found = cache[role_key]
    if len(found) > 1 and project is not None:
        from simpatik.projects.services.rules import team_user_ids

        team = team_user_ids(project, role_key)
        found = sorted(found, key=lambda d: d.from_user_id not in team)
    return found[0] if found else None


def on_behalf(actor, *, project=None, step_number=None, authority: str = "") -> dict:
    """What an audit record adds when its actor acts in a role held by delegation: the title
    ("Plh. Kadis Kominfo") and the official (`atas_nama`, a username; None for a vacant post).

    The role is the one the action is done under: the `authority` its audit action names (a
    capability, or "lanjutkan_proyek"), else the role of the record's step."""
    if actor is None or not actor.pk or not actor.is_authenticated:
        return {}
    if not authority and not (project is not None and step_number):
        return {}  # sign-ins, settings…: done as oneself, not in a role
    loaded(actor)
    if not actor._covering:
        return {}  # the common case: no delegation to this person today, no query
    for role_key in _roles_under(actor, project, step_number, authority):
        found = acting_for(actor, role_key, project=project)
        if found is not None:
            return {
                "sebagai": found.title,
                "atas_nama": found.from_user.username if found.from_user_id else None,
            }
    return {}


def _roles_under(actor, project, step_number, authority: str) -> list[str]:
    from simpatik.accounts.permissions import grants

    if authority == "lanjutkan_proyek":
        return sorted(project.definition.resume_roles()) if project is not None else []
    if authority:
        granting = {role for role, granted in grants().items() if authority in granted}
        if granting & (actor._own_role_keys - actor._away):
            return []  # held in the person's own right
        return sorted(granting & set(actor._covering))
    if project is not None and step_number:
        step = project.definition.by_number.get(step_number)
        return [step.role] if step is not None else []
    return []


def holders(role_key: str, on=None):
    """Active users who hold the role on that date (today), delegations applied: one query."""
    return _holding([role_key], on)


def capability_holders(capability: str, on=None):
    """Active users who hold a `kewenangan` through some role on that date, delegations applied
    (a Plh of the Kadis receives what is addressed to the Kadis's capability): one query."""
    from simpatik.accounts.permissions import roles_with

    return _holding(sorted(roles_with(capability)), on)


def _holding(role_keys: list[str], on):
    if not role_keys:
        return get_user_model().objects.none()
    return get_user_model().objects.filter(
        pk__in=RawSQL(*holder_ids(role_keys, on)), is_active=True
    )


def holder_ids(role_keys: list[str], on=None) -> tuple[str, list]:
    """The ids of the roles' holders on that date (today), delegations applied: a subquery and
    its parameters, for a statement written out as SQL (see notifications.workflow)."""
    on = on or timezone.localdate()
    keys = ", ".join(["%s"] * len(role_keys))
    return _HOLDER_IDS.format(keys=keys), [*role_keys, on, on, *role_keys, on, on]


# Who holds the roles on a date, as SQL: each role's own holders not away on a delegation of it
# running that day, and the delegates of those running. Written out because the busiest path
# (every step opened notifies the role) spent more building the same query with the ORM than
# running it.
_IN_FORCE = "d.revoked_at IS NULL AND d.starts_on <= %s AND d.ends_on >= %s"
_HOLDER_IDS = f"""
SELECT ur.user_id FROM accounts_user_roles ur JOIN accounts_role r ON r.id = ur.role_id
WHERE r.key IN ({{keys}}) AND ur.user_id NOT IN (
    SELECT d.from_user_id FROM accounts_delegation d
    WHERE d.role_id = r.id AND d.from_user_id IS NOT NULL AND {_IN_FORCE})
UNION
SELECT d.to_user_id FROM accounts_delegation d JOIN accounts_role r ON r.id = d.role_id
WHERE r.key IN ({{keys}}) AND {_IN_FORCE}
"""


def with_cover(role_key: str, team: set[int], on=None) -> set[int]:
    """A project's team for a role plus whoever stands in for one of its members today."""
    if not team:
        return team
    delegates = Delegation.objects.in_force(on).filter(role__key=role_key, from_user_id__in=team)
    return team | set(delegates.values_list("to_user_id", flat=True))


class Roster:
    """Holders of every role on a date and who covers whom, fetched once (for sweeps)."""

    def __init__(self, on=None):
        running = list(Delegation.objects.in_force(on).select_related("role", "to_user"))
        self.away = {(d.role.key, d.from_user_id) for d in running if d.from_user_id}
        self.cover: dict[tuple[str, int | None], list] = {}
        self.by_role: dict[str, list] = {}
        users = get_user_model().objects.filter(is_active=True, roles__isnull=False).distinct()
        for user in users.prefetch_related("roles"):
            for role in user.roles.all():
                if (role.key, user.pk) not in self.away:
                    self.by_role.setdefault(role.key, []).append(user)
        for d in running:
            if not d.to_user.is_active:
                continue
            self.cover.setdefault((d.role.key, d.from_user_id), []).append(d.to_user)
            people = self.by_role.setdefault(d.role.key, [])
            if all(user.pk != d.to_user_id for user in people):
                people.append(d.to_user)

    def of_role(self, role_key: str) -> list:
        return self.by_role.get(role_key, [])

    def of_team(self, role_key: str, team: set[int] | None) -> list:
        if not team:
            return self.of_role(role_key)
        shown = set(team)
        for member in team:
            shown |= {user.pk for user in self.cover.get((role_key, member), [])}
        return [user for user in self.of_role(role_key) if user.pk in shown]

    def standing_in(self, role_key: str, user) -> list:
        """The person, or whoever covers them while they are away from the role."""
        if (role_key, user.pk) in self.away:
            return self.cover.get((role_key, user.pk), [])
        return [user] if user.is_active else []


def claimed_by_covered(user) -> Q:
    """Steps of a role claimed by an official this user stands in for (for a task list)."""
    condition = Q(pk__in=[])
    loaded(user)
    for role_key in user._covering:
        officials = covered(user, role_key)
        if officials:
            condition |= Q(role_key=role_key, assignee_id__in=officials)
    return condition


def team_covered(user) -> Q:
    """Project memberships of the officials this user stands in for (for `visible_to`)."""
    from simpatik.projects.models import ProjectMember

    condition = Q(pk__in=[])
    loaded(user)
    for role_key in user._covering:
        officials = covered(user, role_key)
        if officials:
            # A subquery, as visible_to's own team condition: a join would need DISTINCT.
            condition |= Q(
                pk__in=ProjectMember.objects.filter(
                    user_id__in=officials, role_key=role_key, aktif=True
                ).values("project_id")
            )
    return condition
