"""Telling people: in-app notifications written with the change, e-mail and chat sent by jobs.

`notify` runs inside the transaction of the change it reports (like the audit trail), so a
rolled-back action tells nobody. Deliveries go out after commit through the job runner; each
(notification, channel) is one Delivery row, so a retried or duplicated job sends nothing twice
once the first send has been recorded.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from simpatik.core.bulk import insert_ignoring_conflicts
from simpatik.core.errors import NotFound
from simpatik.core.sql import insert
from simpatik.jobs import services as jobs
from simpatik.jobs.registry import job
from simpatik.notifications import chat
from simpatik.notifications.events import EVENTS, title
from simpatik.notifications.models import Delivery, Notification, Preference, RoleChannel

logger = logging.getLogger("simpatik.notifications")


def preference_of(user) -> Preference:
    try:
        return user.notification_preference
    except Preference.DoesNotExist:
        return Preference(user=user)


@dataclass
class Notice:
    """One event to tell some people, for `notify_many`: the arguments of `notify`."""

    event: str
    recipients: list
    key: str
    message: str
    project: object = None
    step_number: int | None = None
    url: str = ""
    role: str | None = None


def notify(
    event: str,
    recipients,
    *,
    key: str,
    message: str,
    project=None,
    step_number: int | None = None,
    url: str = "",
    role: str | None = None,
    email: bool = True,
    new_key: bool = False,
) -> list[Notification]:
    """Write one notification per recipient (skipping any who already had this key).

    email=False for events that send their own message (an invitation with its .ics).
    new_key=True when the key names something made in this transaction (a step just opened):
    nobody can have had it, so nobody is looked up."""
    notice = Notice(event, list(recipients), key, message, project, step_number, url, role)
    return notify_many([notice], email=email, new_key=new_key)


def notify_many(
    notices: list[Notice], *, email: bool = True, new_key: bool = False
) -> list[Notification]:
    """`notify` for many events at once in a fixed number of statements (the deadline sweep).

    Each (key, recipient) is written once: the unique constraint settles a race with another
    worker, and a notification already written sends nothing again."""
    for notice in notices:
        if notice.event not in EVENTS:
            raise ValueError(f"unknown notification event {notice.event!r}")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("notify must be called inside transaction.atomic")
    wanted = {
        (notice.key, user.pk): (notice, user)
        for notice in notices
        for user in notice.recipients
        if user is not None and user.is_active
    }
    if not new_key and wanted:
        already = Notification.objects.filter(key__in={key for key, _user in wanted})
        for found in already.values_list("key", "recipient_id"):
            wanted.pop(found, None)
    if not wanted:
        return []
    if new_key:
        created = insert(
            [
                Notification(
                    recipient=user,
                    event=notice.event,
                    key=notice.key,
                    project=notice.project,
                    step_number=notice.step_number,
                    message=notice.message[:2000],
                    url=notice.url,
                )
                for notice, user in wanted.values()
            ]
        )
    else:
        created = _insert_new(wanted)
    if created:
        users = {user.pk: user for _notice, user in wanted.values()}
        _deliver(created, users, email=email, ignore_conflicts=not new_key)
        told = {notification.key for notification in created}
        _tell_role_groups([n for n in notices if n.role and n.key in told])
    return created


def _insert_new(wanted: dict) -> list[Notification]:
    """Write the wanted (key, recipient) rows; another worker may have written some since the
    check, and the constraint skips those. The rows are read back for their ids."""
    insert_ignoring_conflicts(
        Notification,
        ["recipient", "event", "key", "project", "step_number", "message", "url"],
        [
            (
                user.pk,
                notice.event,
                notice.key,
                notice.project.pk if notice.project is not None else None,
                notice.step_number,
                notice.message[:2000],
                notice.url,
            )
            for notice, user in wanted.values()
        ],
    )
    written = Notification.objects.filter(key__in={key for key, _user in wanted}).only(
        "id", "key", "event", "recipient_id", "project_id"
    )
    return [row for row in written if (row.key, row.recipient_id) in wanted]


def _deliver(created: list[Notification], users: dict, *, email: bool, ignore_conflicts: bool):
    """Each new notification's deliveries by the recipient's preference, and their jobs."""
    preferences = _preferences(list(users.values()))
    deliveries = []
    for notification in created:
        preference = preferences[notification.recipient_id]
        digest = preference.mode == Preference.Mode.HARIAN
        if email and preference.email and users[notification.recipient_id].email:
            deliveries.append((notification.pk, Delivery.Channel.EMAIL, digest))
        if preference.chat and preference.chat_url:
            deliveries.append((notification.pk, Delivery.Channel.CHAT, digest))
    if not deliveries:
        return
    if ignore_conflicts:
        insert_ignoring_conflicts(Delivery, ["notification", "channel", "ringkasan"], deliveries)
        deliveries = Delivery.objects.filter(notification_id__in=[n.pk for n in created])
    else:
        # The database returns the new rows' ids (RETURNING), so they are not read back.
        deliveries = Delivery.objects.bulk_create(
            Delivery(notification_id=pk, channel=channel, ringkasan=digest)
            for pk, channel, digest in deliveries
        )
    projects = {notification.pk: notification.project_id for notification in created}
    jobs.enqueue_many(
        "notifications.deliver",
        [
            {
                "kwargs": {"delivery_id": delivery.pk},
                "key": f"kirim:{delivery.pk}",
                "project_id": projects[delivery.notification_id],
            }
            for delivery in deliveries
            if not delivery.ringkasan and delivery.status == Delivery.Status.MENUNGGU
        ],
    )


def _role_chat_known(notice: Notice) -> bool | None:
    """Whether the notice's role has a chat group, as read with its holders (role_holders)."""
    found = {getattr(user, "role_chat", None) for user in notice.recipients}
    if len(found) == 1 and (value := found.pop()) is not None and value[0] == notice.role:
        return value[1]
    return None


def _tell_role_groups(notices: list[Notice]) -> None:
    """A role's chat group (RoleChannel) hears of the events addressed to the role."""
    if not notices:
        return
    known = {n.role: flag for n in notices if (flag := _role_chat_known(n)) is not None}
    grouped = {role for role, flag in known.items() if flag}
    unknown = {n.role for n in notices} - set(known)
    if unknown:
        grouped |= set(
            RoleChannel.objects.filter(role_key__in=unknown).values_list("role_key", flat=True)
        )
    jobs.enqueue_many(
        "notifications.role_chat",
        [
            {
                "kwargs": {
                    "role": n.role,
                    "event": n.event,
                    "message": n.message[:2000],
                    "url": n.url,
                },
                "key": f"chat-peran:{n.role}:{n.key}"[:200],
                "project_id": n.project.pk if n.project is not None else None,
            }
            for n in notices
            if n.role in grouped
        ],
    )


def _preferences(users) -> dict:
    """Each user's preference: the one loaded with them (select_related), else read at once."""
    found, missing = {}, []
    for user in users:
        if get_user_model().notification_preference.is_cached(user):
            found[user.pk] = preference_of(user)
        else:
            missing.append(user.pk)
    if missing:
        for preference in Preference.objects.filter(user_id__in=missing):
            found[preference.user_id] = preference
    return {user.pk: found.get(user.pk) or Preference(user=user) for user in users}


def absolute(url: str) -> str:
    return settings.SIMPATIK_PUBLIC_URL + url if url.startswith("/") else url


def send_email(user, subject: str, items: list[Notification]) -> None:
    context = {"user": user, "items": items, "subject": subject, "absolute": absolute}
    for item in items:
        item.link = absolute(item.url) if item.url else ""
        item.title = title(item.event)
    message = EmailMultiAlternatives(
        subject=f"[SIMPATIK] {subject}",
        body=render_to_string("notifications/email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )
    message.attach_alternative(render_to_string("notifications/email.html", context), "text/html")
    message.send()


def send_chat(url: str, subject: str, body: str) -> None:
    import apprise

    problem = chat.refusal(url)  # again before each message: saved earlier, or resolved anew
    if problem:
        raise ValueError(problem)
    sender = apprise.Apprise()
    if not sender.add(url):
        raise ValueError(_("Alamat chat tidak dikenali oleh apprise."))
    if not sender.notify(title=subject, body=body):
        raise RuntimeError(_("Layanan chat menolak pesan."))


def _text(items: list[Notification]) -> str:
    lines = []
    for item in items:
        line = f"• {title(item.event)}: {item.message}"
        if item.url:
            line += f"\n  {absolute(item.url)}"
        lines.append(line)
    return "\n".join(lines)


@job("notifications.deliver", title="Mengirim notifikasi", max_attempts=6)
def deliver(delivery_id: int) -> str:
    delivery = Delivery.objects.select_related(
        "notification__recipient__notification_preference"
    ).get(pk=delivery_id)
    if delivery.status == Delivery.Status.TERKIRIM:
        return "sudah terkirim"
    notification = delivery.notification
    user = notification.recipient
    Delivery.objects.filter(pk=delivery.pk).update(attempts=delivery.attempts + 1)
    try:
        if delivery.channel == Delivery.Channel.EMAIL:
            send_email(user, title(notification.event), [notification])
        else:
            send_chat(
                preference_of(user).chat_url, title(notification.event), _text([notification])
            )
    except Exception as exc:
        Delivery.objects.filter(pk=delivery.pk).update(error=f"{type(exc).__name__}: {exc}"[:1000])
        raise
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.TERKIRIM, sent_at=timezone.now(), error=""
    )
    return "terkirim"


@job("notifications.role_chat", title="Mengirim pesan ke grup peran", max_attempts=6)
def role_chat(role: str, event: str, message: str, url: str = "") -> None:
    channel = RoleChannel.objects.get(role_key=role)
    body = message + (f"\n{absolute(url)}" if url else "")
    send_chat(channel.chat_url, title(event), body)


@job("notifications.digest", title="Ringkasan notifikasi harian", max_attempts=3)
def send_digests() -> int:
    """One message per person and channel with everything waiting for the daily digest."""
    pending = (
        Delivery.objects.filter(ringkasan=True, status=Delivery.Status.MENUNGGU)
        .select_related("notification__recipient__notification_preference")
        .order_by("notification__recipient_id", "channel", "notification__created_at")
    )
    groups: dict[tuple[int, str], list[Delivery]] = {}
    for delivery in pending:
        groups.setdefault((delivery.notification.recipient_id, delivery.channel), []).append(
            delivery
        )
    sent = 0
    for (_user_id, channel), deliveries in groups.items():
        user = deliveries[0].notification.recipient
        items = [d.notification for d in deliveries]
        subject = _("Ringkasan harian: %(n)d pemberitahuan") % {"n": len(items)}
        try:
            if channel == Delivery.Channel.EMAIL:
                send_email(user, subject, items)
            else:
                send_chat(preference_of(user).chat_url, subject, _text(items))
        except Exception as exc:
            logger.warning("Ringkasan untuk %s gagal: %s", user, exc)
            Delivery.objects.filter(pk__in=[d.pk for d in deliveries]).update(
                error=f"{type(exc).__name__}: {exc}"[:1000]
            )
            continue
        Delivery.objects.filter(pk__in=[d.pk for d in deliveries]).update(
            status=Delivery.Status.TERKIRIM, sent_at=timezone.now(), error=""
        )
        sent += 1
    return sent


def mark_read(user, notification_id: int) -> Notification:
    notification = Notification.objects.filter(recipient=user, pk=notification_id).first()
    if notification is None:
        raise NotFound(_("Notifikasi tidak ditemukan."), code="notification_not_found")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def mark_all_read(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def save_preference(
    user, *, email: bool, chat: bool, chat_url: str | None, mode: str
) -> Preference:
    """chat_url None keeps the stored address (the form never shows a secret back)."""
    from simpatik.audit.services import record

    with transaction.atomic():
        preference, _created = Preference.objects.select_for_update().get_or_create(user=user)
        preference.email, preference.chat, preference.mode = email, chat, mode
        if chat_url is not None:
            preference.chat_url = chat_url
        preference.save()
        record(
            "notification.preference_changed",
            actor=user,
            obj=preference,
            data={
                "email": email,
                "chat": chat,
                "mode": mode,
                "chat_url_changed": chat_url is not None,
            },
        )
    return preference
