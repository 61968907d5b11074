"""The outbox: one row per message to one recipient on one channel.

A row is written in the same transaction as the change that causes it (or by a reminder sweep), with a
``dedupe_key`` that is unique: a sweep that runs twice, or two workers racing, cannot write the same message
twice. In-app messages are delivered by being written; e-mail and webhook events (posted to an API client's
address) wait in the outbox until a worker sends them, so a broker that is down delays them but loses nothing.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from netralitas.accounts.models import ApiClient
from netralitas.reference.models import Office


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    INBOX = "inbox", _("Kotak masuk aplikasi")
    WEBHOOK = "webhook", _("Webhook klien API")


# The channels a person receives on (and may switch off on the preferences page); webhooks go to systems.
PERSONAL_CHANNELS = (Channel.EMAIL, Channel.INBOX)
# The channels a worker delivers (the in-app inbox is delivered by being written).
SENT_BY_WORKERS = (Channel.EMAIL, Channel.WEBHOOK)


class Status(models.TextChoices):
    PENDING = "pending", _("Menunggu dikirim")
    SENDING = "sending", _("Sedang dikirim")
    SENT = "sent", _("Terkirim")
    FAILED = "failed", _("Gagal")
    SKIPPED = "skipped", _("Tidak dikirim")


class Notification(models.Model):
    code = models.UUIDField(_("kode"), default=uuid.uuid4, unique=True, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("penerima"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    # For a webhook event: the institution's system it is posted to (at its webhook address, signed with its
    # secret, both read when it is sent).
    api_client = models.ForeignKey(
        ApiClient,
        verbose_name=_("klien API"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="webhook_events",
    )
    # For people without an account (an official invited to a session): the address alone.
    email = models.EmailField(_("alamat e-mail"), blank=True)
    office = models.ForeignKey(
        Office,
        verbose_name=_("kantor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Kantor yang dimaksud pesan ini; menentukan admin mana yang melihatnya di kotak keluar."),
    )
    channel = models.CharField(_("saluran"), max_length=8, choices=Channel.choices)
    template = models.CharField(_("templat"), max_length=60)
    context = models.JSONField(_("isi"), default=dict)
    url = models.CharField(_("tautan"), max_length=300, blank=True)
    # unique through Meta.constraints: as a unique field, PostgreSQL would also get a second index for LIKE
    # searches that nothing makes, and every sweep would write both
    dedupe_key = models.CharField(_("kunci unik"), max_length=200)

    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    last_error = models.TextField(_("kesalahan terakhir"), blank=True)
    next_attempt_at = models.DateTimeField(_("percobaan berikutnya"), null=True, blank=True)
    # When the row was last handed to the broker: it is handed again only if still waiting long after.
    queued_at = models.DateTimeField(_("diserahkan ke antrean"), null=True, blank=True)
    # While a worker holds the row (status "sending"); a worker that died leaves it expired, and the row is
    # taken again after this moment.
    lease_until = models.DateTimeField(_("dipegang sampai"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    sent_at = models.DateTimeField(_("terkirim"), null=True, blank=True)
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)

    class Meta:
        verbose_name = _("pemberitahuan")
        verbose_name_plural = _("pemberitahuan")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["dedupe_key"], name="notification_unique_dedupe_key"),
            models.CheckConstraint(
                name="notification_has_recipient",
                condition=Q(recipient__isnull=False)
                | (Q(channel="email") & ~Q(email=""))
                | (Q(channel="webhook") & Q(api_client__isnull=False)),
            ),
            models.CheckConstraint(
                name="notification_sent_has_time", condition=~Q(status="sent") | Q(sent_at__isnull=False)
            ),
        ]
        indexes = [
            # dispatch_pending: e-mail waiting to be handed to a worker, oldest first
            models.Index(
                fields=["next_attempt_at", "created_at"],
                condition=Q(status__in=["pending", "sending"]),
                name="notification_outbox_queue_idx",
            ),
            # the inbox and the unread count in the page header
            models.Index(
                fields=["recipient", "-created_at"], condition=Q(channel="inbox"), name="notification_inbox_idx"
            ),
            # the admins' outbox page, by status
            models.Index(fields=["status", "-created_at"], name="notification_outbox_status_idx"),
            # the delivery log of one API client's webhook
            models.Index(
                fields=["api_client", "-created_at"],
                condition=Q(channel="webhook"),
                name="notification_webhook_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} → {self.recipient or self.email or self.api_client} ({self.channel})"

    @property
    def address(self) -> str:
        return self.email or (self.recipient.email if self.recipient_id else "")


class OptOut(models.Model):
    """A kind of message a user chose not to receive on a channel. Everything is on until switched off."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_optouts")
    category = models.CharField(_("jenis pesan"), max_length=30)
    channel = models.CharField(_("saluran"), max_length=8, choices=Channel.choices)

    class Meta:
        verbose_name = _("pilihan pemberitahuan")
        verbose_name_plural = _("pilihan pemberitahuan")
        constraints = [
            models.UniqueConstraint(fields=["user", "category", "channel"], name="optout_unique_user_category_channel")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.category}/{self.channel}"
