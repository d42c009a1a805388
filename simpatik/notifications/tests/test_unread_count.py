"""The bell's figure is written as SQL (notifications.queries): it must say what the ORM says."""

from django.utils import timezone

from simpatik.notifications.models import Notification
from simpatik.notifications.queries import unread_count
from simpatik.testing.lists import add_notifications


def test_unread_count_counts_only_the_users_unread_notifications(kasie, kabid):
    add_notifications(3, recipient=kasie)
    read = add_notifications(2, recipient=kasie)
    Notification.objects.filter(pk__in=[n.pk for n in read]).update(read_at=timezone.now())
    add_notifications(4, recipient=kabid)
    assert unread_count(kasie) == 3
    assert unread_count(kabid) == 4
    assert unread_count(kasie) == (
        Notification.objects.filter(recipient=kasie, read_at__isnull=True).count()
    )


def test_the_bell_on_every_page_shows_the_count_from_the_database(client, kasie):
    add_notifications(2, recipient=kasie)
    client.force_login(kasie)
    assert 'class="count">2<' in client.get("/proyek/").content.decode()
    Notification.objects.filter(recipient=kasie).update(read_at=timezone.now())
    assert 'class="count"' not in client.get("/proyek/").content.decode()
