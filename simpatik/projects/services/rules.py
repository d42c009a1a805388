"""Who may act on a step, and what a step still lacks. Read-only: no writes here."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db.models import F
from django.utils.translation import gettext as _

from simpatik.accounts import delegation
from simpatik.core.errors import PermissionDenied, ValidationError
from simpatik.core.precompiled import PrecompiledModels
from simpatik.core.sql import Columns, Read, table
from simpatik.projects.models import Document, Project, ProjectMember, StepRun
from simpatik.projects.services.ownership import blank, ensure_writable
from simpatik.sop import hooks
from simpatik.sop.definition import Requirement, Step


def team_user_ids(project: Project, role_key: str) -> set[int]:
    return set(
        ProjectMember.objects.filter(project=project, role_key=role_key, aktif=True).values_list(
            "user_id", flat=True
        )
    )


def team_members(project_ids) -> dict[tuple[int, str], set[int]]:
    """Active team members of many projects at once: {(project id, role): {user ids}}."""
    teams: dict[tuple[int, str], set[int]] = {}
    rows = ProjectMember.objects.filter(project_id__in=project_ids, aktif=True)
    for project_id, role_key, user_id in rows.values_list("project_id", "role_key", "user_id"):
        teams.setdefault((project_id, role_key), set()).add(user_id)
    return teams


def eligible(user, run: StepRun, teams: dict | None = None) -> bool:
    """The user holds the step's role and, where a team is assigned for that role, is in it
    (or stands in for a member: delegations, simpatik.accounts.delegation).

    `teams` (from team_members) spares a query per run when many runs are checked at once.
    """
    if not user.is_authenticated or not user.is_active or run.role_key not in user.role_keys():
        return False
    if not in_scope(user, run):
        return False
    if run.role_key not in run.project.definition.team_roles:
        return True
    if teams is not None:
        team = teams.get((run.project_id, run.role_key), set())
    else:
        team = team_user_ids(run.project, run.role_key)
    return not team or user.pk in team or bool(delegation.covered(user, run.role_key) & team)


def in_scope(user, run: StepRun) -> bool:
    """A role scoped to the requesting OPD (`lingkup: opd`) acts only on its own OPD's projects,
    and on a step run once per OPD (`untuk_setiap: opd`) only on its own OPD's part."""
    scoped = run.role_key in run.project.definition.opd_roles
    return not scoped or (user.opd_id is not None and user.opd_id == _scope_opd_id(run))


def _scope_opd_id(run: StepRun) -> int:
    return run.opd_id or run.project.opd_id


def ensure_can_act(user, run: StepRun) -> None:
    if run.role_key in user.role_keys() and not in_scope(user, run):
        names = run.project.definition.role_names
        raise PermissionDenied(
            _("Langkah %(n)d hanya dapat dikerjakan oleh %(role)s dari %(opd)s.")
            % {
                "n": run.step_number,
                "role": names.get(run.role_key, run.role_key),
                "opd": (run.opd if run.opd_id else run.project.opd).nama,
            },
            code="wrong_opd",
        )
    if not eligible(user, run):
        names = run.project.definition.role_names
        raise PermissionDenied(
            _("Langkah %(n)d hanya dapat dikerjakan oleh %(role)s.")
            % {"n": run.step_number, "role": names.get(run.role_key, run.role_key)},
            code="wrong_role",
        )
    covering = delegation.covered(user, run.role_key)
    if run.assignee_id and run.assignee_id != user.pk and run.assignee_id not in covering:
        raise PermissionDenied(
            _("Langkah ini sedang dikerjakan oleh %(name)s.") % {"name": run.assignee.display_name},
            code="claimed_by_other",
        )


def role_choices(role_key: str, project: Project | None = None) -> list[tuple[str, str]]:
    users = delegation.holders(role_key).order_by("username")
    if project is not None and role_key in project.definition.opd_roles:
        users = users.filter(opd_id=project.opd_id)  # `lingkup: opd`: the project's OPD only
    return [(user.username, user.display_name) for user in users]


_NUMBER_TEXT = re.compile(r"-?[0-9]{1,15}(?:[.,][0-9]{1,9})?")
_DIGITS = re.compile(r"-?[0-9]+(?:[.,][0-9]+)?")  # digits 0-9, however many
TRUE_WORDS = {"1", "true", "on", "ya", "yes"}
FALSE_WORDS = {"0", "false", "off", "tidak", "no"}


def _check_bounds(item: Requirement, number) -> None:
    if item.min is not None and number < item.min:
        raise ValueError(_("paling sedikit %(n)s") % {"n": item.min})
    if item.max is not None and number > item.max:
        raise ValueError(_("paling banyak %(n)s") % {"n": item.max})


def clean_field(item: Requirement, value, project: Project | None = None):
    """Check one submitted field value by its type; return the value to store."""
    if value is None or (isinstance(value, str) and not value.strip()) or value == []:
        return None
    if item.type == "boolean":
        word = str(value).strip().lower()
        if value is True or word in TRUE_WORDS:
            return True
        if value is False or word in FALSE_WORDS:
            return None  # unticked: nothing to keep
        raise ValueError(_("harus ya atau tidak"))
    if item.type == "text":
        if not isinstance(value, str) or len(value) > 10000:
            raise ValueError(_("harus berupa teks (paling panjang 10.000 huruf)"))
        return value.strip()
    if item.type == "number":
        # Digits 0-9 with a decimal comma or point: Decimal alone also took "1e2" as 100 and
        # "５" or "٣" as numbers (a schedule of 100 working days from "1e2").
        text = str(value).strip()
        # Whole working days where a later step's Waktu is read from the field (2,5 was taken
        # and the deadline silently counted 2).
        whole = project is not None and item.key in project.definition.working_day_fields
        if isinstance(value, bool) or not _NUMBER_TEXT.fullmatch(text):
            if not isinstance(value, bool) and _DIGITS.fullmatch(text):  # all digits, too many
                whole_part = re.split("[.,]", text.lstrip("-"))[0]
                if len(whole_part) <= 15:
                    raise ValueError(_("paling banyak 9 angka di belakang koma"))
                if item.max is not None:
                    raise ValueError(_("paling banyak %(n)s") % {"n": item.max})
                raise ValueError(_("terlalu besar"))
            if whole:
                raise ValueError(_("harus berupa bilangan bulat dengan angka 0-9"))
            raise ValueError(_("harus berupa angka 0-9 (boleh dengan koma desimal)"))
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation as exc:
            raise ValueError(_("harus berupa angka")) from exc
        if not number.is_finite() or number < 0 or number > 10**9:
            raise ValueError(_("harus berupa angka yang wajar"))
        if whole and number != number.to_integral_value():
            raise ValueError(_("harus bilangan bulat (hari kerja utuh)"))
        _check_bounds(item, number)
        return int(number) if number == number.to_integral_value() else float(number)
    if item.type == "date":
        try:
            return dt.date.fromisoformat(str(value)).isoformat()
        except ValueError as exc:
            raise ValueError(_("harus berupa tanggal (TTTT-BB-HH)")) from exc
    if item.type == "choice":
        allowed = {key for key, _label in choice_options(item, project)}
        values = value if isinstance(value, list) else [value]
        if not item.multiple and len(values) > 1:
            raise ValueError(_("hanya satu pilihan"))
        if any(not isinstance(v, str) or v not in allowed for v in values):
            raise ValueError(_("pilihan tidak dikenal"))
        return sorted(set(values)) if item.multiple else values[0]
    raise ValueError(_("tipe isian tidak dikenal"))


def choice_options(item: Requirement, project: Project | None = None) -> list[tuple[str, str]]:
    if item.choices_from:
        return hooks.choices(item.choices_from)(project)
    if item.choices_from_role:
        return role_choices(item.choices_from_role, project)
    named = dict(item.choice_labels)
    return [(str(choice), named.get(str(choice), str(choice))) for choice in item.choices]


def field_items(step: Step) -> dict[str, Requirement]:
    return {item.key: item for item in step.requirements if item.kind == "field"}


def known_fields(step: Step, fields) -> dict[str, Requirement]:
    """The step's field items, after refusing a submission that is no mapping or names others."""
    if not isinstance(fields, dict):
        raise ValidationError(
            _("Isian harus berupa pemetaan kunci ke nilai."), code="invalid_fields"
        )
    known = field_items(step)
    unknown = sorted(str(key) for key in set(fields) - set(known))
    if unknown:
        raise ValidationError(
            _("Isian tidak dikenal untuk langkah ini: %(keys)s") % {"keys": ", ".join(unknown)},
            code="unknown_field",
            data={"fields": unknown},
        )
    return known


def check_fields(step: Step, fields: dict, project: Project, run=None) -> tuple[dict, dict]:
    """Clean each field on its own: (cleaned non-empty values, {key: message} for bad ones).

    `run`: the step's open run, when the caller holds it (saves looking up its opening)."""
    known = known_fields(step, fields)
    written = [key for key, value in fields.items() if not blank(value)]
    opened = run.opened_at if run is not None and run.is_open else None
    ensure_writable(project, step, written, opened=opened)
    cleaned, errors = {}, {}
    for key, value in fields.items():
        try:
            result = clean_field(known[key], value, project)
            if result is not None and known[key].validate:
                hooks.validator(known[key].validate)(result, project)
        except ValueError as exc:
            errors[key] = f"{known[key].label}: {exc}"
            continue
        if result is not None:
            cleaned[key] = result
    return cleaned, errors


def clean_fields(step: Step, fields: dict, project: Project, run=None) -> dict:
    cleaned, errors = check_fields(step, fields, project, run)
    if errors:
        raise ValidationError(
            _("Isian tidak valid: %(errors)s") % {"errors": "; ".join(errors.values())},
            code="field_invalid",
            data={"fields": errors},
        )
    return cleaned


def draft_errors(run: StepRun) -> dict:
    """What is wrong with the values typed into a step's draft, by field key."""
    if not run.draft:
        return {}
    known = field_items(run.step)
    typed = {key: value for key, value in run.draft.items() if key in known}
    return check_fields(run.step, typed, run.project, run)[1]


_DOCUMENT = Columns(Document, "d")


def documents_read(project_id: int, keys: list[str]) -> Read:
    """The project's documents of these keys, newest version first, each followed by the number
    of the step whose run it was uploaded to or generated by (see with_steps)."""
    return Read(
        columns=f"{_DOCUMENT.sql}, s.step_number",
        source=f"{table(Document)} d JOIN {table(StepRun)} s ON s.id = d.step_run_id",
        condition=f'd.project_id = %s AND d."key" IN ({", ".join(["%s"] * len(keys))})',
        params=[project_id, *keys],
        parts=(_DOCUMENT,),
        order='d."key", d."version" DESC',
    )


def with_steps(rows) -> list[Document]:
    """documents_read's rows as documents, each with `made_at_step`."""
    found = []
    for document, made_at_step in rows:
        document.made_at_step = made_at_step
        found.append(document)
    return found


@dataclass
class RequirementState:
    item: Requirement
    group: str  # "kelengkapan" or "hasil"
    satisfied: bool
    value: object = None
    document: Document | None = None


def earlier_values(project: Project, before: StepRun | None = None, keys=None) -> dict:
    """The latest recorded value of every field in the project's completed steps.

    `keys`: only these (the runs that recorded none of them are not read)."""
    runs = StepRun.objects.filter(project=project, status=StepRun.Status.SELESAI)
    if before is not None:
        runs = runs.exclude(pk=before.pk)
    if keys is not None:
        keys = list(keys)
        runs = runs.filter(values__has_any_keys=keys)
    found: dict = {}
    for values in runs.order_by("completed_at", "id").values_list("values", flat=True):
        found.update(
            {
                k: v
                for k, v in (values or {}).items()
                if v not in (None, "", []) and (keys is None or k in keys)
            }
        )
    return found


def _earlier_values_of(runs, before: StepRun, keys) -> dict:
    """earlier_values from the project's runs already read (the project page has them all)."""
    done = sorted(
        (r for r in runs if r.status == StepRun.Status.SELESAI and r.pk != before.pk),
        key=lambda r: (r.completed_at, r.pk),
    )
    found: dict = {}
    for r in done:
        found.update(
            {k: v for k, v in (r.values or {}).items() if v not in (None, "", []) and k in keys}
        )
    return found


def earlier_value(project: Project, key: str, before: StepRun | None = None):
    return earlier_values(project, before).get(key)


def project_documents(project: Project) -> list[Document]:
    """Every document of the project, by key and newest version first, each with the step
    that made it (`made_at_step`): the project page reads them once for the focused step's
    requirements and the swimlane, without the columns it does not print."""
    rows = _PROJECT_DOCUMENTS.models(project_id=project.pk)
    # Sorted here rather than by an ORDER BY (a project has a few dozen documents).
    rows.sort(key=lambda document: (document.key, -document.version))
    return rows


def _project_documents(project_id):
    rows = Document.objects.filter(project_id=project_id)
    rows = rows.annotate(made_at_step=F("step_run__step_number"))
    return rows.defer("path", "mime", "uploaded_by").order_by()


_PROJECT_DOCUMENTS = PrecompiledModels(_project_documents, project_id=-424242)


def requirement_states(
    run: StepRun,
    fields: dict | None = None,
    decision: str | None = None,
    *,
    own_values: bool = True,
    project_docs=None,
    project_runs=None,
) -> list[RequirementState]:
    """Each Kelengkapan and Hasil item of the run's step, and whether it is present now.

    own_values=False leaves out what an open run holds so far (its draft), for people who may
    not act on the step: they see only completed values. `project_docs`: every document of the
    project with `made_at_step` (project_documents), and `project_runs` every run of it, when
    the caller read them already.
    """
    step = run.step
    fields = {**((run.values or {}) if own_values else {}), **(fields or {})}
    # An Output shows the latest version its own step made; a Kelengkapan the latest version
    # there was when the run finished (a later round's new version belongs to that round).
    documents, outputs, produced_here = {}, {}, set()
    # Only the documents this step names are read (none when it names none).
    wanted = step.document_keys
    if project_docs is not None:
        rows = sorted(
            (d for d in project_docs if d.key in wanted), key=lambda d: (d.key, -d.version)
        )
    elif wanted:
        rows = with_steps(documents_read(run.project_id, wanted).rows())
    else:
        rows = ()
    for document in rows:
        if document.step_run_id == run.pk:
            produced_here.add(document.key)
        if document.made_at_step == step.number:
            outputs.setdefault(document.key, document)
        if run.completed_at is None or document.uploaded_at <= run.completed_at:
            documents.setdefault(document.key, document)
    prior = None
    states = []
    for group, items in (("kelengkapan", step.kelengkapan), ("hasil", step.hasil)):
        for item in items:
            if decision is not None and not item.applies_to(decision):
                continue
            if item.kind == "document":
                document = (outputs if group == "hasil" else documents).get(item.key)
                ok = item.key in produced_here if group == "hasil" else document is not None
                # A generated Output is made by the completion itself (letters app), never uploaded.
                ok = ok or (group == "hasil" and bool(item.generate))
                states.append(RequirementState(item, group, ok or item.optional, document=document))
                continue
            value = fields.get(item.key)
            if value in (None, "", []) and group == "kelengkapan":
                if prior is None:
                    asked = [i.key for i in step.kelengkapan if i.kind == "field"]
                    prior = (
                        _earlier_values_of(project_runs, run, asked)
                        if project_runs is not None
                        else earlier_values(run.project, before=run, keys=asked)
                    )
                value = prior.get(item.key)
            present = value not in (None, "", [])
            states.append(RequirementState(item, group, present or item.optional, value=value))
    return states
