"""Queries compiled once per process answer as the ORM does for every call's own values."""

import datetime as dt

import pytest

from simpatik.accounts.models import Delegation, Role
from simpatik.core.precompiled import Precompiled, PrecompiledModels, forget_pages, values_of


def _running(user_id, today):
    return (
        Delegation.objects.in_force(today)
        .filter(to_user=user_id)
        .values_list("role__key", "from_user")
        .order_by("id")
    )


RUNNING = Precompiled(_running, user_id=-424242, today=dt.date(1901, 2, 3))


def _plh(official, deputy, starts_on, ends_on):
    """`deputy` stands in for `official`'s first role from `starts_on` to `ends_on`: the role."""
    role = Role.objects.get(key=next(iter(official.own_role_keys())))
    Delegation.objects.create(
        kind=Delegation.Kind.PLH,
        role=role,
        from_user=official,
        to_user=deputy,
        starts_on=starts_on,
        ends_on=ends_on,
        reason="cuti",
        created_by=official,
    )
    return role


def test_each_call_gets_its_own_values_in_the_one_compiled_statement(kadis, kabid, kasie):
    role = _plh(kadis, kabid, dt.date(2026, 3, 2), dt.date(2026, 3, 6))
    for user, day in [
        (kabid, dt.date(2026, 3, 4)),  # running
        (kabid, dt.date(2026, 3, 9)),  # ended
        (kasie, dt.date(2026, 3, 4)),  # not theirs
        (kabid, dt.date(2026, 3, 2)),  # first day
    ]:
        expected = [tuple(row) for row in _running(user.pk, day)]
        assert RUNNING.rows(user_id=user.pk, today=day) == expected
    assert RUNNING.rows(user_id=kabid.pk, today=dt.date(2026, 3, 4)) == [(role.key, kadis.pk)]


def test_a_stand_in_that_is_not_a_parameter_is_refused(db):
    unused = Precompiled(lambda user_id: Role.objects.values_list("key"), user_id=-424242)
    with pytest.raises(ValueError, match="user_id"):
        unused.rows(user_id=1)


def _fields(obj):
    return {k: v for k, v in vars(obj).items() if k != "_state"}


def _same(mine, theirs, related):
    """The same instance as the ORM makes: loaded fields, what is deferred, its state and the
    select_related objects in its cache."""
    assert type(mine) is type(theirs)
    assert _fields(mine) == _fields(theirs)
    assert mine.get_deferred_fields() == theirs.get_deferred_fields()
    assert (mine._state.adding, mine._state.db) == (False, theirs._state.db)
    for path in related:
        head, _, rest = path.partition("__")
        assert mine._state.fields_cache.keys() == theirs._state.fields_cache.keys()
        mine_next, theirs_next = getattr(mine, head), getattr(theirs, head)
        if theirs_next is None:
            assert mine_next is None
        else:
            _same(mine_next, theirs_next, [rest] if rest else [])


def test_a_compiled_page_makes_the_instances_the_orm_makes(team, opd, kadis, kasie):
    from simpatik.core.precompiled import forget_pages, models_of
    from simpatik.projects.models import StepRun
    from simpatik.testing.lists import add_projects, step_of_role

    made = add_projects(2, opd=opd, creator=kadis, step=step_of_role(kasie))
    add_projects(1, opd=opd, creator=kadis, step=step_of_role(kadis))
    StepRun.objects.filter(project__in=made).update(assignee=kasie)

    def build():
        return (
            StepRun.objects.select_related("project__opd", "assignee")
            .only("id", "step_number", "project__kode", "project__opd__nama", "assignee__username")
            .order_by("id")[:10]
        )

    forget_pages()
    related = ["project__opd", "assignee"]
    theirs = list(build())
    assert {run.assignee_id is None for run in theirs} == {True, False}
    for _load in range(2):  # compiled, then from the kept statement
        mine = models_of(("test-instances",), build)
        assert len(mine) == len(theirs) == 3
        for one, other in zip(mine, theirs, strict=True):
            _same(one, other, related)
    # A deferred field still loads on first use, as on the ORM's instance.
    assert mine[0].status == theirs[0].status


def test_a_model_with_an_init_receiver_is_made_by_django(team, opd, kadis):
    from django.db.models.signals import post_init

    from simpatik.core.precompiled import forget_pages, models_of
    from simpatik.projects.models import Project
    from simpatik.testing.lists import add_projects, step_of_role

    add_projects(1, opd=opd, creator=kadis, step=step_of_role(kadis))
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance)

    post_init.connect(receiver, sender=Project)
    try:
        forget_pages()
        found = models_of(("test-receiver",), lambda: Project.objects.order_by("id")[:5])
    finally:
        post_init.disconnect(receiver, sender=Project)
    assert seen == found and len(found) == 1


def _runs_of(project_id):
    from django.db.models import Exists, OuterRef

    from simpatik.projects.models import Document, StepRun

    documents = Document.objects.filter(step_run=OuterRef("pk"))
    return (
        StepRun.objects.filter(project_id=project_id)
        .select_related("project__opd", "assignee")
        .defer("values", "project__deskripsi")
        .annotate(has_documents=Exists(documents))
        .order_by("id")
    )


RUNS = PrecompiledModels(_runs_of, project_id=-424242)


def test_compiled_models_are_the_instances_the_queryset_gives(project, django_assert_num_queries):
    from simpatik.projects.models import StepRun

    expected = list(_runs_of(project.pk))
    with django_assert_num_queries(1):
        found = RUNS.models(project_id=project.pk)
        # Related objects come with the row; annotations are set; deferred stays deferred.
        seen = [(run.project.opd.nama, run.assignee_id, run.has_documents) for run in found]
    assert [run.pk for run in found] == [run.pk for run in expected]
    assert seen == [(run.project.opd.nama, run.assignee_id, run.has_documents) for run in expected]
    for mine, theirs in zip(found, expected, strict=True):
        assert isinstance(mine, StepRun) and mine.get_deferred_fields() == {"values"}
        _same(mine, theirs, ["project__opd", "assignee"])
    assert RUNS.models(project_id=project.pk + 1000) == []


def test_compiled_models_refuse_prefetching(db):
    prefetching = PrecompiledModels(
        lambda pk: Role.objects.filter(pk=pk).prefetch_related("users"), pk=-424242
    )
    with pytest.raises(ValueError, match="prefetch_related"):
        prefetching.models(pk=1)


def test_values_come_through_the_databases_converters(kadis, kabid):
    _plh(kadis, kabid, dt.date(2026, 3, 2), dt.date(2026, 3, 6))
    dates = Precompiled(
        lambda user_id: Delegation.objects.filter(to_user=user_id).values_list(
            "starts_on", "ends_on"
        ),
        user_id=-424242,
    )
    assert dates.values(user_id=kabid.pk) == [(dt.date(2026, 3, 2), dt.date(2026, 3, 6))]
    assert dates.values(user_id=kadis.pk) == []


def test_a_page_of_values_is_read_afresh_through_its_one_statement(kadis, kabid):
    forget_pages()

    def made(day):
        _plh(kadis, kabid, day, day)
        return Delegation.objects.filter(to_user=kabid).latest("pk")

    def page():
        return values_of(
            ("delegations", kabid.pk),
            lambda: Delegation.objects.filter(to_user=kabid).values_list("pk", "starts_on"),
        )

    first = made(dt.date(2026, 3, 2))
    assert page() == [(first.pk, dt.date(2026, 3, 2))]
    second = made(dt.date(2026, 3, 9))
    assert sorted(page()) == [(first.pk, dt.date(2026, 3, 2)), (second.pk, dt.date(2026, 3, 9))]
