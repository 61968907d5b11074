"""The inbox, the unread count in the header, the preferences page and the admins' outbox."""

import pytest
from django.urls import reverse

from netralitas.notify.models import Channel, Notification, OptOut, Status
from netralitas.notify.services import Message, queue


def tell(users, key, office=None, url="/perkara/"):
    queue(
        [
            Message(
                template="case_deadline",
                key=key,
                context={
                    "stage": "review",
                    "when": "h1",
                    "days_until": 1,
                    "due": "2024-10-17",
                    "days_late": 0,
                    "number": "001/LP",
                    "title": "ASN menyukai unggahan",
                    "office": "Bawaslu Gunung Mas",
                },
                users=[u.pk for u in users],
                url=url,
                office_id=office.pk if office else None,
            )
        ]
    )


def test_inbox_lists_only_ones_own_messages_newest_first(client, pengawas, koordinator):
    tell([pengawas], "a")
    tell([koordinator], "b")
    client.force_login(pengawas)
    response = client.get(reverse("notify:inbox"))
    assert response.status_code == 200
    assert [n.recipient for n, _s, _t in response.context["items"]] == [pengawas]
    body = response.content.decode()
    assert "Besok batas kajian awal — 001/LP" in body
    assert "jatuh pada Kamis, 17 Oktober 2024" in body


def test_header_count_opening_marks_read_and_goes_to_the_page(client, pengawas):
    tell([pengawas], "a", url="/perkara/?tab=saya")
    tell([pengawas], "b")
    client.force_login(pengawas)
    assert ">2<" in client.get(reverse("notify:badge")).content.decode()
    first = Notification.objects.filter(channel=Channel.INBOX).order_by("pk").first()
    response = client.post(reverse("notify:open", args=[first.code]))
    assert response.status_code == 302 and response["Location"] == "/perkara/?tab=saya"
    assert ">1<" in client.get(reverse("notify:badge")).content.decode()
    client.post(reverse("notify:read_all"))
    assert "badge" not in client.get(reverse("notify:badge")).content.decode()
    assert client.get(reverse("notify:inbox") + "?belum=1").context["items"] == []


def test_nobody_opens_anothers_message(client, pengawas, outsider):
    tell([pengawas], "a")
    client.force_login(outsider)
    code = Notification.objects.get(channel=Channel.INBOX).code
    assert client.post(reverse("notify:open", args=[code])).status_code == 404
    assert Notification.objects.get(channel=Channel.INBOX).read_at is None


def test_opening_never_redirects_off_site(client, pengawas):
    tell([pengawas], "a", url="https://jahat.example/")
    client.force_login(pengawas)
    code = Notification.objects.get(channel=Channel.INBOX).code
    assert client.post(reverse("notify:open", args=[code]))["Location"] == reverse("notify:inbox")


def test_the_header_count_is_fetched_by_the_page_not_counted_in_it(client, pengawas):
    client.force_login(pengawas)
    body = client.get(reverse("notify:inbox")).content.decode()
    assert 'hx-get="/pemberitahuan/jumlah/"' in body


@pytest.mark.parametrize("n", [2, 25])
def test_inbox_query_count_does_not_grow(n, client, pengawas, django_assert_num_queries):
    for i in range(n):
        tell([pengawas], f"k{i}")
    client.force_login(pengawas)
    # session, user, memberships (menu), count for paging, the page, unread count
    with django_assert_num_queries(6):
        assert client.get(reverse("notify:inbox")).status_code == 200


def test_preferences_are_saved_per_category_and_channel(client, pengawas):
    client.force_login(pengawas)
    page = client.get(reverse("notify:preferences"))
    assert page.status_code == 200 and "Tenggat perkara" in page.content.decode()
    form = {
        f"{c}:{ch}": "on"
        for c in ["perkara", "tenggat_perkara", "penerusan", "sosialisasi", "notulen", "apel", "keutuhan_bukti"]
        for ch in ["email", "inbox"]
    }
    del form["tenggat_perkara:email"], form["apel:inbox"]
    assert client.post(reverse("notify:preferences"), form).status_code == 302
    assert sorted(OptOut.objects.filter(user=pengawas).values_list("category", "channel")) == [
        ("apel", "inbox"),
        ("tenggat_perkara", "email"),
    ]
    tell([pengawas], "a")
    assert list(Notification.objects.values_list("channel", flat=True)) == ["inbox"]
    form["tenggat_perkara:email"] = "on"
    client.post(reverse("notify:preferences"), form)
    assert list(OptOut.objects.filter(user=pengawas).values_list("category", flat=True)) == ["apel"]


def test_pemkab_reads_their_inbox(client, pemkab):
    tell([pemkab], "a")
    client.force_login(pemkab)
    assert client.get(reverse("notify:inbox")).status_code == 200


def test_outbox_is_for_admins_of_the_region(client, offices, pengawas, office_admin, outsider):
    tell([pengawas], "gumas", office=offices.gunung_mas)
    tell([outsider], "palangka", office=offices.palangka_raya)
    Notification.objects.filter(channel=Channel.EMAIL, recipient=pengawas).update(
        status=Status.FAILED, attempts=8, last_error="SMTPServerDisconnected: Connection unexpectedly closed"
    )
    client.force_login(pengawas)
    assert client.get(reverse("notify:outbox")).status_code == 403
    assert client.post(reverse("notify:retry")).status_code == 403
    client.force_login(office_admin)
    response = client.get(reverse("notify:outbox"))
    assert response.status_code == 200
    assert response.context["status"] == "failed"  # failures first, when there are any
    listed = list(response.context["page"])
    assert [n.recipient for n in listed] == [pengawas]
    assert "Connection unexpectedly closed" in response.content.decode()
    counts = {value: n for value, _label, n in response.context["statuses"]}
    assert counts == {"pending": 0, "sending": 0, "sent": 1, "failed": 1, "skipped": 0}  # Palangka Raya not counted


def test_admin_retries_failed_email(client, offices, pengawas, office_admin, django_capture_on_commit_callbacks):
    tell([pengawas], "gumas", office=offices.gunung_mas)
    Notification.objects.filter(channel=Channel.EMAIL).update(status=Status.FAILED, attempts=8, last_error="x")
    client.force_login(office_admin)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("notify:retry"), follow=True)
    assert "1 pesan dikembalikan ke antrean" in response.content.decode()
    row = Notification.objects.get(channel=Channel.EMAIL)
    assert (row.status, row.attempts) == (Status.PENDING, 0)
    assert len(callbacks) == 1


def test_admin_cannot_retry_another_regions_email(client, offices, outsider, office_admin):
    tell([outsider], "palangka", office=offices.palangka_raya)
    Notification.objects.filter(channel=Channel.EMAIL).update(status=Status.FAILED)
    client.force_login(office_admin)
    client.post(reverse("notify:retry"), {"code": [str(Notification.objects.get(channel="email").code)]})
    assert Notification.objects.get(channel=Channel.EMAIL).status == Status.FAILED


def test_pages_need_sign_in(client):
    for name in ["notify:inbox", "notify:badge", "notify:preferences", "notify:outbox"]:
        assert client.get(reverse(name)).status_code == 302


def test_outbox_all_tab_is_reachable_with_failures_and_bad_codes_are_ignored(client, offices, pengawas, office_admin):
    tell([pengawas], "gumas", office=offices.gunung_mas)
    Notification.objects.filter(channel=Channel.EMAIL).update(status=Status.FAILED)
    client.force_login(office_admin)
    response = client.get(reverse("notify:outbox") + "?status=")
    assert response.context["status"] == "" and len(response.context["items"]) == 2
    assert client.post(reverse("notify:retry"), {"code": ["bukan-uuid"]}).status_code == 302
    assert Notification.objects.get(channel=Channel.EMAIL).status == Status.FAILED
