"""A supervisor sees a deadline reminder in the header, opens it and lands on the case; switches e-mail off
for deadlines; an office admin finds a failed e-mail in the outbox and sends it again."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases import reminders
from cases.models import Case
from netralitas.notify.models import Channel, Notification, OptOut, Status
from tests.e2e.conftest import sign_in
from tests.factories import TEST_PASSWORD, make_case

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_deadline_reminder_from_the_header_to_the_case(page, offices, pengawas, koordinator):
    case = make_case(office=offices.gunung_mas, actor=pengawas, assignee=pengawas, title="ASN membagikan poster paslon")
    Case.objects.filter(pk=case.pk).update(review_due=timezone.localdate())
    now = timezone.localtime()
    reminders.sweep_case_deadlines(now=now if now.hour >= 7 else now.replace(hour=7) + timedelta(minutes=1))

    sign_in(page, "pengawas", TEST_PASSWORD)
    badge = page.locator("#jumlah-pemberitahuan")
    expect(badge).to_contain_text("1")
    page.get_by_role("link", name=re.compile("Pemberitahuan")).click()
    expect(page.get_by_role("heading", name=re.compile("Hari ini batas kajian awal"))).to_be_visible()
    page.get_by_role("button", name="Buka").click()
    expect(page).to_have_url(re.compile(rf"/perkara/{case.code}/$"))
    expect(page.locator("#jumlah-pemberitahuan .badge")).to_have_count(0)

    # E-mail off for deadline reminders, the inbox kept.
    page.goto("/pemberitahuan/pengaturan/")
    page.get_by_label("Tenggat perkara — E-mail").uncheck()
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Pilihan pemberitahuan disimpan.")).to_be_visible()
    assert list(OptOut.objects.values_list("category", "channel")) == [("tenggat_perkara", "email")]
    expect(page.get_by_label("Tenggat perkara — E-mail")).not_to_be_checked()
    expect(page.get_by_label("Tenggat perkara — Kotak masuk aplikasi")).to_be_checked()


def test_an_office_admin_resends_a_failed_email(page, offices, pengawas, office_admin):
    from netralitas.notify.services import Message, queue

    queue(
        [
            Message(
                template="case_assigned",
                key="uji:gagal",
                context={"number": "", "title": "Uji", "status": "Diterima", "by": "Koordinator", "due": ""},
                users=[pengawas.pk],
                office_id=offices.gunung_mas.pk,
            )
        ]
    )
    Notification.objects.filter(channel=Channel.EMAIL).update(
        status=Status.FAILED, attempts=8, last_error="SMTPConnectError: (421, 'Service not available')"
    )
    sign_in(page, "admin", TEST_PASSWORD)
    page.get_by_role("link", name="Kotak keluar").click()
    expect(page.get_by_text("Service not available")).to_be_visible()
    page.get_by_role("button", name="Kirim ulang", exact=True).click()
    expect(page.get_by_text("1 pesan dikembalikan ke antrean")).to_be_visible()
    assert Notification.objects.get(channel=Channel.EMAIL).status in (Status.PENDING, Status.SENDING, Status.SENT)
