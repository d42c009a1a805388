"""Making and ending delegations: who may, what is refused (in Indonesian, nothing half-saved),
what is audited, and the pages."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from simpatik.accounts import services
from simpatik.accounts.models import Delegation, Role, User
from simpatik.audit.models import AuditRecord
from simpatik.audit.sentences import describe
from simpatik.core.errors import Conflict, PermissionDenied, ValidationError
from simpatik.notifications.models import Notification

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def days(n):
    return TODAY() + dt.timedelta(days=n)


def delegate(official, to_user, role_key="kadis", *, start=0, end=5, actor=None, **extra):
    extra.setdefault("reason", "Cuti tahunan")
    return services.delegate(
        official,
        actor=actor or official,
        to_user=to_user,
        role=Role.objects.get(key=role_key),
        starts_on=days(start) if isinstance(start, int) else start,
        ends_on=days(end) if isinstance(end, int) else end,
        **extra,
    )


@pytest.fixture
def administrator(db):
    return User.objects.create(username="admin-dinas", first_name="Admin", is_staff=True)


def test_a_plh_is_audited_and_the_delegate_is_told(kadis, kabid):
    made = delegate(kadis, kabid, end=4)
    assert made.kind == "plh" and made.title == "Plh. Kadis Kominfo" and made.created_by == kadis
    record = AuditRecord.objects.get(action="account.delegation.created")
    assert record.actor == kadis and record.reason == "Cuti tahunan"
    assert record.data["to"] == "kabid" and record.data["pejabat"] == "kadis"
    assert (
        record.data["mulai"] == TODAY().isoformat() and record.data["sampai"] == days(4).isoformat()
    )
    (entry,) = describe([record])
    assert str(entry.sentence).startswith(
        "Aang Wardiman menunjuk Rahmat Pontoh sebagai Plh. Kadis Kominfo dari "
    )
    assert ("Pejabat yang digantikan", "Aang Wardiman") in [(k, str(v)) for k, v in entry.rows]
    (note,) = Notification.objects.filter(recipient=kabid, event="delegasi")
    assert "Plh. Kadis Kominfo" in note.message and "Aang Wardiman" in note.message


def test_an_overlapping_delegation_of_the_same_role_is_refused_in_indonesian(kadis, kabid, kasie):
    first = delegate(kadis, kabid, start=0, end=5)
    records = AuditRecord.objects.count()
    with pytest.raises(ValidationError) as refused:
        delegate(kadis, kasie, start=3, end=8)
    assert refused.value.code == "delegation_overlap"
    assert "bertumpang tindih" in refused.value.message
    assert (
        "Rahmat Pontoh" in refused.value.message and "Plh. Kadis Kominfo" in refused.value.message
    )
    assert Delegation.objects.count() == 1 and AuditRecord.objects.count() == records
    delegate(kadis, kasie, start=6, end=8)  # the day after the first ends is free
    services.end_delegation(first, actor=kadis)
    delegate(kadis, kasie, start=0, end=2)  # an ended delegation no longer blocks its days


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("to_self", "delegation_to_self"),
        ("role_not_held", "delegation_role_not_held"),
        ("starts_yesterday", "delegation_dates"),
        ("ends_before_start", "delegation_dates"),
        ("over_a_year", "delegation_dates"),
        ("no_reason", "reason_required"),
        ("reason_too_long", "too_long"),
        ("delegate_is_away", "delegation_chain"),
        ("official_is_covering", "delegation_chain"),
        ("inactive_delegate", "delegation_to_user"),
        ("not_dates", "delegation_dates"),
    ],
)
def test_bad_delegations_are_refused_with_a_code_and_nothing_is_saved(
    case, code, kadis, kabid, kasie, teknis
):
    from simpatik.testing.personas import make_user

    colleague = make_user("teknis2", ["teknis"], first_name="Rina")
    if case == "delegate_is_away":  # no chains: the delegate hands the same role on
        delegate(teknis, kasie, "teknis")
    if case == "official_is_covering":
        delegate(colleague, teknis, "teknis")
    before = (Delegation.objects.count(), AuditRecord.objects.count())
    arguments = {
        "to_self": lambda: delegate(kadis, kadis),
        "role_not_held": lambda: delegate(kadis, kabid, "kasie"),
        "starts_yesterday": lambda: delegate(kadis, kabid, start=-1),
        "ends_before_start": lambda: delegate(kadis, kabid, start=3, end=2),
        "over_a_year": lambda: delegate(kadis, kabid, end=366),
        "no_reason": lambda: delegate(kadis, kabid, reason="   "),
        "reason_too_long": lambda: delegate(kadis, kabid, reason="x" * 501),
        "delegate_is_away": lambda: delegate(colleague, teknis, "teknis"),
        "official_is_covering": lambda: delegate(teknis, kasie, "teknis"),
        "inactive_delegate": lambda: delegate(
            kadis, User.objects.create(username="pensiun", is_active=False)
        ),
        "not_dates": lambda: delegate(kadis, kabid, start="2026-12-01"),
    }
    with pytest.raises(ValidationError) as refused:
        arguments[case]()
    assert refused.value.code == code and refused.value.message
    assert (Delegation.objects.count(), AuditRecord.objects.count()) == before


def test_only_the_official_or_an_administrator_names_a_plh_and_only_an_administrator_a_plt(
    kadis, kabid, kasie, administrator
):
    with pytest.raises(PermissionDenied):
        delegate(kadis, kasie, actor=kabid)  # the Kabid cannot hand over the Kadis's role
    with pytest.raises(PermissionDenied):
        delegate(kadis, kasie, actor=kadis, kind="plt")
    made = delegate(kadis, kasie, actor=administrator)  # e.g. the Kadis fell ill suddenly
    assert made.created_by == administrator and made.from_user == kadis
    plt = delegate(kabid, kadis, "kabid", actor=administrator, kind="plt")
    assert plt.title == "Plt. Kabid Aptika"


def test_ending_early_returns_the_role_and_only_the_official_maker_or_admin_may(
    kadis, kabid, kasie, administrator
):
    made = delegate(kadis, kabid)
    with pytest.raises(PermissionDenied):
        services.end_delegation(made, actor=kasie)
    with pytest.raises(PermissionDenied):
        services.end_delegation(made, actor=kabid)  # the delegate cannot drop the post
    services.end_delegation(made, actor=kadis)
    made.refresh_from_db()
    assert made.revoked_by == kadis and made.state() == "diakhiri"
    assert User.objects.get(pk=kadis.pk).role_keys() == {"kadis"}
    with pytest.raises(Conflict) as again:
        services.end_delegation(made, actor=administrator)
    assert again.value.code == "delegation_ended"
    record = AuditRecord.objects.get(action="account.delegation.ended")
    (entry,) = describe([record])
    assert str(entry.sentence) == (
        "Aang Wardiman mengakhiri penunjukan Rahmat Pontoh sebagai Plh. Kadis Kominfo"
    )
    assert Notification.objects.filter(recipient=kabid, event="delegasi").count() == 2


def test_the_database_refuses_a_delegation_to_oneself_or_backwards(kadis):
    role = Role.objects.get(key="kadis")
    base = {"role": role, "kind": "plh", "reason": "x", "created_by": kadis}
    bad = [
        {"from_user": kadis, "to_user": kadis, "starts_on": days(0), "ends_on": days(1)},
        {"from_user": None, "to_user": kadis, "starts_on": days(0), "ends_on": days(1)},
        {"from_user": None, "to_user": kadis, "starts_on": days(2), "ends_on": days(1)},
    ]
    for fields in bad:
        with pytest.raises(IntegrityError), transaction.atomic():
            Delegation.objects.create(**base, **fields)


# Pages ------------------------------------------------------------------------------------------


def form(to_user, role="kadis", start=0, end=5, **extra):
    return {
        "role": Role.objects.get(key=role).pk,
        "to_user": to_user.pk,
        "starts_on": days(start).isoformat(),
        "ends_on": days(end).isoformat(),
        "reason": "Cuti tahunan",
        **extra,
    }


def test_an_official_names_their_plh_on_the_delegasi_page(client, kadis, kabid, kasie):
    client.force_login(kadis)
    page = client.get("/delegasi/")
    assert page.status_code == 200 and "Tunjuk Plh." in page.content.decode()
    response = client.post("/delegasi/", form(kabid))
    assert response.status_code == 302
    assert Delegation.objects.get().to_user == kabid
    refused = client.post("/delegasi/", form(kasie, start=1))
    assert refused.status_code == 400
    assert "bertumpang tindih" in refused.content.decode()
    listed = client.get("/delegasi/").content.decode()
    assert "Rahmat Pontoh" in listed and "<td>berjalan" in listed and ">Akhiri<" in listed
    # The delegate sees it too (without the button); a stranger gets 404 when ending it.
    client.force_login(kabid)
    seen = client.get("/delegasi/").content.decode()
    assert "Plh. Kadis Kominfo" in seen and ">Akhiri<" not in seen
    client.force_login(kasie)
    made = Delegation.objects.get()
    assert client.post(f"/delegasi/{made.pk}/akhiri/").status_code == 404
    client.force_login(kadis)
    assert client.post(f"/delegasi/{made.pk}/akhiri/").status_code == 302
    assert Delegation.objects.get().revoked_at is not None


def test_the_delegasi_page_refuses_what_the_user_may_not_do(client, opd_user, kadis, kabid):
    client.force_login(opd_user)
    page = client.get("/delegasi/")
    assert page.status_code == 200 and "Tunjuk Plh." not in page.content.decode()
    assert client.post("/delegasi/", form(kabid)).status_code == 403
    client.force_login(kadis)
    assert client.post("/delegasi/", form(kabid, role="kabid")).status_code == 400  # not theirs
    assert not Delegation.objects.exists()


def test_administrators_appoint_a_plt_on_their_page(client, administrator, kadis, kasie):
    client.force_login(kadis)
    assert client.get("/delegasi/semua/").status_code == 403
    client.force_login(administrator)
    assert client.get("/delegasi/semua/").status_code == 200
    response = client.post("/delegasi/semua/", form(kasie, kind="plt", from_user=""))
    assert response.status_code == 302
    made = Delegation.objects.get()
    assert made.kind == "plt" and made.from_user is None and made.created_by == administrator
    listed = client.get("/delegasi/semua/").content.decode()
    assert "Plt. Kadis Kominfo" in listed and "(jabatan kosong)" in listed
    missing = client.post("/delegasi/semua/", form(kasie, kind="plh", from_user="", start=40))
    assert missing.status_code == 400 and "sebutkan pejabatnya" in missing.content.decode()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_overlapping_delegations_made_at_once_let_exactly_one_through(kadis, kabid, kasie):
    import threading

    from django.db import connection, connections

    assert connection.vendor == "postgresql"
    barrier, results = threading.Barrier(2), []

    def attempt(to_user):
        try:
            barrier.wait(timeout=10)
            results.append(("ok", delegate(User.objects.get(pk=kadis.pk), to_user)))
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            results.append(("error", exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(user,)) for user in (kabid, kasie)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(kind for kind, _value in results) == ["error", "ok"]
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, ValidationError) and error.code == "delegation_overlap"
    assert Delegation.objects.count() == 1
