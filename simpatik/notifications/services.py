"""Telling people: in-app notifications written with the change, e-mail and chat sent by jobs.

`notify` runs inside the transaction of the change it reports (like the audit trail), so a
rolled-back action tells nobody. Deliveries go out after commit through the job runner; each
(notification, channel) is one Delivery row, so a retried or duplicated job sends nothing twice
once the first send has been recorded.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from simpatik.core.errors import NotFound
from simpatik.jobs import services as jobs
from simpatik.jobs.registry import job
from simpatik.notifications.events import EVENTS, title
from simpatik.notifications.models import Delivery, Notification, Preference, RoleChannel

logger = logging.getLogger("simpatik.notifications")


def preference_of(user) -> Preference:
    try:
        return user.notification_preference
    except Preference.DoesNotExist:
        return Preference(user=user)


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
    if event not in EVENTS:
        raise ValueError(f"unknown notification event {event!r}")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("notify must be called inside transaction.atomic")
    people = {user.pk: user for user in recipients if user is not None and user.is_active}
    if not people:
        return []
    already = set()
    if not new_key:
        already = set(
            Notification.objects.filter(key=key, recipient_id__in=people).values_list(
                "recipient_id", flat=True
            )
        )
    created = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                event=event,
                key=key,
                project=project,
                step_number=step_number,
                message=message[:2000],
                url=url,
            )
            for pk, user in people.items()
            if pk not in already
        ]
    )
    if not created:
        return []
    preferences = _preferences([notification.recipient for notification in created])
    deliveries = []
    for notification in created:
        preference = preferences[notification.recipient_id]
        digest = preference.mode == Preference.Mode.HARIAN
        if email and preference.email and notification.recipient.email:
            deliveries.append(
                Delivery(notification=notification, channel="email", ringkasan=digest)
            )
        if preference.chat and preference.chat_url:
            deliveries.append(Delivery(notification=notification, channel="chat", ringkasan=digest))
    # The database returns the new rows' ids (RETURNING), so they are not read back.
    Delivery.objects.bulk_create(deliveries)
    for delivery in deliveries:
        if delivery.ringkasan or delivery.status != Delivery.Status.MENUNGGU:
            continue
        jobs.enqueue(
            "notifications.deliver",
            kwargs={"delivery_id": delivery.pk},
            key=f"kirim:{delivery.pk}",
            project=project,
        )
    if role and _role_has_chat(role, people.values()):
        jobs.enqueue(
            "notifications.role_chat",
            kwargs={"role": role, "event": event, "message": message[:2000], "url": url},
            key=f"chat-peran:{role}:{key}"[:200],
            project=project,
        )
    return created


def _role_has_chat(role: str, users) -> bool:
    """Whether the role has a chat group: as read with its holders (role_holders), else asked."""
    known = {getattr(user, "role_chat", None) for user in users}
    if len(known) == 1 and (found := known.pop()) is not None and found[0] == role:
        return found[1]
    return RoleChannel.objects.filter(role_key=role).exists()


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
