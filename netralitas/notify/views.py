"""The inbox, the preferences page and the admins' outbox."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from netralitas.notify import selectors, services
from netralitas.notify.catalog import CATEGORIES
from netralitas.notify.models import PERSONAL_CHANNELS, Channel, Status

PAGE_SIZE = 30


@login_required
@require_GET
def inbox(request):
    unread_only = request.GET.get("belum") == "1"
    rows = selectors.inbox_page_rows(request.user, unread_only=unread_only)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("hal"))
    items = [(n, *services.render(n, inbox=True)[:2]) for n in page.object_list]
    return render(
        request,
        "notify/inbox.html",
        {"page": page, "items": items, "unread_only": unread_only, "unread": selectors.unread_count(request.user)},
    )


@login_required
@require_GET
def badge(request):
    """The unread count in the page header (htmx polls it, so pages themselves cost no query for it)."""
    return render(request, "notify/_badge.html", {"unread": selectors.unread_count(request.user)})


@login_required
@require_POST
def open_notification(request, code):
    notification = selectors.inbox_item(request.user, code)
    services.mark_read(user=request.user, codes=[str(notification.code)])
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notify:inbox")


@login_required
@require_POST
def read_all(request):
    count = services.mark_read(user=request.user)
    messages.success(
        request, ngettext("%(n)d pesan ditandai dibaca.", "%(n)d pesan ditandai dibaca.", count) % {"n": count}
    )
    return redirect("notify:inbox")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    off = selectors.opted_out(request.user)
    if request.method == "POST":
        enabled = {
            (category, channel)
            for category in CATEGORIES
            for channel in PERSONAL_CHANNELS
            if request.POST.get(f"{category}:{channel}") == "on"
        }
        services.preferences_set(user=request.user, enabled=enabled)
        messages.success(request, _("Pilihan pemberitahuan disimpan."))
        return redirect("notify:preferences")
    rows = [
        {
            "category": category,
            "label": label,
            "help": help_text,
            "channels": [(channel, channel.label, (category, channel) not in off) for channel in PERSONAL_CHANNELS],
        }
        for category, (label, help_text) in CATEGORIES.items()
    ]
    return render(
        request,
        "notify/preferences.html",
        {
            "rows": rows,
            "channels": [(channel.value, channel.label) for channel in PERSONAL_CHANNELS],
            "has_email": bool(request.user.email),
        },
    )


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _outbox_rows(request):
    if not selectors.may_see_outbox(request.user):
        raise PermissionDenied
    return selectors.outbox_visible_to(request.user)


def _narrowing(params) -> dict:
    """The outbox's channel (``saluran``) and API client (``klien``) filters, as given in ``params``."""
    channel = params.get("saluran", "")
    client = params.get("klien", "")
    return {
        "channel": channel if channel in Channel.values else "",
        "client_id": int(client) if client.isdigit() and len(client) < 10 else None,
    }


def _query(narrowing: dict, **more) -> str:
    params = {"saluran": narrowing["channel"], "klien": narrowing["client_id"] or "", **more}
    return urlencode({k: v for k, v in params.items() if v != ""})


@login_required
@require_GET
def outbox(request):
    narrowing = _narrowing(request.GET)
    rows = selectors.outbox_of(_outbox_rows(request), **narrowing)
    counts = selectors.status_counts(rows)
    if "status" in request.GET:
        status = request.GET["status"] if request.GET["status"] in Status.values else ""
    else:  # failures first, when there are any
        status = Status.FAILED if counts.get(Status.FAILED) else ""
    listed = selectors.outbox_listed(rows, status)
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("hal"))
    return render(
        request,
        "notify/outbox.html",
        {
            "page": page,
            "items": [(n, services.subject_of(n)) for n in page.object_list],
            "status": status,
            "statuses": [(value, label, counts.get(value, 0)) for value, label in Status.choices],
            "total": sum(counts.values()),
            "channel": narrowing["channel"],
            "channels": Channel.choices,
            "client_id": narrowing["client_id"] or "",
            "narrowing": _query(narrowing),
        },
    )


@login_required
@require_POST
def retry(request):
    """Send again: the chosen rows (a failed message, or a webhook event the receiver asks for again), or
    every failed one of the page's channel and client."""
    narrowing = _narrowing(request.POST)
    rows = selectors.outbox_of(_outbox_rows(request), **narrowing)
    if "code" in request.POST:
        codes = [c for c in request.POST.getlist("code") if _is_uuid(c)]
        count = services.resend(notifications=selectors.outbox_with_codes(rows, codes))
    else:
        count = services.retry_failed(notifications=rows)
    if count:
        messages.success(
            request,
            ngettext(
                "%(n)d pesan dikembalikan ke antrean dan akan dikirim ulang.",
                "%(n)d pesan dikembalikan ke antrean dan akan dikirim ulang.",
                count,
            )
            % {"n": count},
        )
    else:
        messages.info(request, _("Tidak ada pesan yang dapat dikirim ulang."))
    return redirect(f"{reverse('notify:outbox')}?{_query(narrowing, status=Status.PENDING)}")
