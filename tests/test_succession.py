"""A body replaced: a declared succession moves every open referral addressed to the old body in one atomic,
set-based step, history kept, the clock restarted or continued, API visibility moved to the successor's
clients, the offices told; it refuses to run twice and leaves nothing half-done when it fails."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pypdf
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import CaseEvent, CaseSubject, Person, Referral, ReferralResponse, ReferralStatus, Succession
from cases.referrals.succession import succession_declare
from cases.workflow.services import CaseError, PermissionRefused
from netralitas.notify.models import Notification
from tests.api_world import auth
from tests.factories import decided_case

WIB = ZoneInfo("Asia/Jakarta")
BASIS = "UU 20/2023; Perpres 91/2024 dan 92/2024"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def kasn_referrals(case, institutions, n: int, *, start: int = 0) -> list[Referral]:
    """``n`` people of ``case`` each with an open referral to KASN (sent in July 2024; the first third
    recommended, awaiting the PPK), written in bulk: the succession is what is measured here."""
    people = Person.objects.bulk_create(
        Person(name=f"Asn Massal {start + i}", employment_type="pns", region=case.office.region) for i in range(n)
    )
    subjects = CaseSubject.objects.bulk_create(CaseSubject(case=case, person=p, outcome="terbukti") for p in people)
    sent = datetime(2024, 7, 15, 9, tzinfo=WIB)
    rows = Referral.objects.bulk_create(
        Referral(
            case=case,
            subject=s,
            institution=institutions.kasn,
            status=ReferralStatus.AWAITING_PPK if i < n // 3 else ReferralStatus.SENT,
            letter_number=f"{start + i}/PP/VII/2024",
            letter_date=sent.date(),
            sent_at=sent,
            response_due=date(2024, 8, 2),
            recommended_on=date(2024, 7, 25) if i < n // 3 else None,
            ppk_due=date(2024, 8, 8) if i < n // 3 else None,
        )
        for i, s in enumerate(subjects)
    )
    ReferralResponse.objects.bulk_create(
        ReferralResponse(
            referral=r,
            kind="rekomendasi",
            number=f"R-{r.pk}",
            date=date(2024, 7, 25),
            proven=True,
            sanction="teguran_tertulis",
        )
        for r in rows[: n // 3]
    )
    return rows


def test_a_succession_moves_a_thousand_open_referrals_at_once_with_their_history(
    client, offices, pengawas, koordinator, operator, regions, institutions, bkn_client
):
    case = decided_case(offices, pengawas, koordinator, regions)
    old = kasn_referrals(case, institutions, 1000)
    closed = Referral.objects.filter(pk=old[-1].pk)
    closed.update(status=ReferralStatus.CLOSED, closed_as="dilaksanakan", closed_at=datetime(2024, 8, 1, tzinfo=WIB))
    with CaptureQueriesContext(connection) as queries:
        succession = succession_declare(
            actor=operator,
            predecessor=institutions.kasn,
            successor=institutions.bkn,
            effective_on=date(2024, 8, 24),
            legal_basis=BASIS,
        )
    thousand_count = statements(queries)
    assert succession.moved == 999
    moved = Referral.objects.filter(succession=succession)
    assert moved.count() == 999 and set(moved.values_list("institution", flat=True)) == {institutions.bkn.pk}
    assert Referral.objects.filter(institution=institutions.kasn, status=ReferralStatus.TRANSFERRED).count() == 999
    assert Referral.objects.get(pk=old[-1].pk).status == ReferralStatus.CLOSED  # an ended referral stays
    # history: each new row links to its old one, keeps the letter, and its recommendation reads through the link
    first = moved.select_related("transferred_from").get(transferred_from=old[0])
    assert (first.letter_number, first.status, first.ppk_due) == ("0/PP/VII/2024", "awaiting_ppk", date(2024, 8, 8))
    assert ReferralResponse.recommendations(first.pk, first.transferred_from_id).get().number == f"R-{old[0].pk}"
    # the clock: restarted from the succession for those still awaiting the recommendation (14 working days
    # after Sat 24 Aug 2024), the PPK's unchanged
    waiting = moved.get(transferred_from=old[500])
    assert (waiting.status, waiting.response_due) == ("sent", date(2024, 9, 12))
    assert CaseEvent.objects.filter(case=case, action="referral.transferred").count() == 999
    assert CaseEvent.objects.filter(case=case, action="referral.closed", data__closed_as="dialihkan").count() == 999
    institutions.kasn.refresh_from_db()
    assert (institutions.kasn.active_until, institutions.kasn.successor) == (date(2024, 8, 23), institutions.bkn)
    # one message per office, to its case workers
    told = Notification.objects.filter(template="succession_declared", channel="inbox")
    assert {n.recipient.username for n in told} == {"pengawas", "koordinator"}
    assert told.first().context["count"] == 999
    # BKN's token sees them all, KASN's rows are history
    seen, url = set(), "/api/v1/referrals/?page_size=500"
    while url:
        page = client.get(url, **auth(bkn_client)).json()
        seen |= {row["code"] for row in page["results"]}
        url = page["next"]
    assert seen == {str(code) for code in moved.values_list("code", flat=True)}
    # a fixed number of queries, whatever the number of referrals
    assert thousand_count == _declare_count(offices, pengawas, koordinator, operator, regions) == 15


def _declare_count(offices, pengawas, koordinator, operator, regions) -> int:
    """The queries of a declaration moving 3 referrals of another pair of bodies."""
    from netralitas.reference.models import Institution

    old = Institution.objects.create(code="lama", name="Lembaga lama", kind="pengawas_asn")
    new = Institution.objects.create(
        code="baru", name="Lembaga baru", kind="pengawas_asn", active_from=date(2024, 8, 24)
    )
    case = decided_case(offices, pengawas, koordinator, regions, people=(("Asn Lain", "pns", "198503122010011005"),))
    for referral in kasn_referrals(case, type("I", (), {"kasn": old}), 3, start=5000):
        assert referral.institution == old
    fresh = type(operator).objects.get(pk=operator.pk)  # read afresh: its roles are read again
    with CaptureQueriesContext(connection) as queries:
        succession_declare(
            actor=fresh,
            predecessor=old, successor=new, effective_on=date(2024, 8, 24), legal_basis=BASIS,
        )  # fmt: skip
    return statements(queries)


def statements(queries) -> int:
    """The queries run, without the savepoints a test's own transaction adds around an atomic block."""
    return sum(1 for q in queries.captured_queries if "SAVEPOINT" not in q["sql"])


def test_a_succession_runs_once_and_refuses_what_the_law_does_not_allow(
    offices, pengawas, koordinator, operator, regions, institutions
):
    case = decided_case(offices, pengawas, koordinator, regions)
    kasn_referrals(case, institutions, 2)
    with pytest.raises(PermissionRefused):
        succession_declare(
            actor=koordinator, predecessor=institutions.kasn, successor=institutions.bkn,
            effective_on=date(2024, 8, 24), legal_basis=BASIS,
        )  # fmt: skip
    refusals = [
        ({"successor": institutions.kasn}, "harus lembaga lain"),
        ({"successor": institutions.employer}, "harus sejenis"),
        ({"effective_on": date(2024, 8, 1)}, "belum atau tidak lagi aktif"),
        ({"legal_basis": "  "}, "Isi dasar hukum"),
        ({"effective_on": date(2099, 1, 1)}, "tidak boleh di masa depan"),
    ]
    for change, message in refusals:
        arguments = {
            "actor": operator, "predecessor": institutions.kasn, "successor": institutions.bkn,
            "effective_on": date(2024, 8, 24), "legal_basis": BASIS, **change,
        }  # fmt: skip
        with pytest.raises(CaseError, match=message):
            succession_declare(**arguments)
    assert not Succession.objects.exists()
    succession_declare(
        actor=operator, predecessor=institutions.kasn, successor=institutions.bkn,
        effective_on=date(2024, 8, 24), legal_basis=BASIS,
    )  # fmt: skip
    with pytest.raises(CaseError, match="sudah pernah dinyatakan"):
        succession_declare(
            actor=operator, predecessor=institutions.kasn, successor=institutions.bkn,
            effective_on=date(2024, 8, 24), legal_basis=BASIS,
        )  # fmt: skip
    assert Referral.objects.filter(institution=institutions.bkn).count() == 2


def test_a_failure_midway_leaves_everything_as_it_was(
    offices, pengawas, koordinator, operator, regions, institutions, monkeypatch
):
    case = decided_case(offices, pengawas, koordinator, regions)
    kasn_referrals(case, institutions, 5)

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    # the moves are written, then the step after them fails: all of it is undone
    monkeypatch.setattr("cases.referrals.succession.referrals_changed", broken)
    with pytest.raises(RuntimeError):
        succession_declare(
            actor=operator, predecessor=institutions.kasn, successor=institutions.bkn,
            effective_on=date(2024, 8, 24), legal_basis=BASIS,
        )  # fmt: skip
    assert Referral.objects.filter(institution=institutions.kasn, status=ReferralStatus.SENT).count() == 4
    assert not Referral.objects.filter(institution=institutions.bkn).exists()
    assert not Succession.objects.exists()


def test_a_person_already_at_the_successor_is_left_for_a_person_to_settle_and_a_draft_is_readdressed(
    offices, pengawas, koordinator, operator, regions, institutions
):
    case = decided_case(offices, pengawas, koordinator, regions)
    [at_kasn] = kasn_referrals(case, institutions, 1)
    Referral.objects.create(
        case=case, subject=at_kasn.subject, institution=institutions.bkn, status=ReferralStatus.DRAFT
    )
    draft_subject = case.subjects.get(person__name="Asn Satu")
    draft = Referral.objects.create(
        case=case, subject=draft_subject, institution=institutions.kasn, status=ReferralStatus.DRAFT
    )
    succession = succession_declare(
        actor=operator, predecessor=institutions.kasn, successor=institutions.bkn,
        effective_on=date(2024, 8, 24), legal_basis=BASIS,
    )  # fmt: skip
    assert succession.moved == 0
    assert Referral.objects.get(pk=at_kasn.pk).status == ReferralStatus.SENT  # left where it was
    draft.refresh_from_db()
    assert (draft.institution, draft.status) == (institutions.bkn, ReferralStatus.DRAFT)


def test_the_operator_declares_it_from_a_page_and_each_referral_has_its_transfer_note(
    client, offices, pengawas, koordinator, operator, regions, institutions
):
    case = decided_case(offices, pengawas, koordinator, regions)
    kasn_referrals(case, institutions, 3)
    url = reverse("cases:succession_declare")
    client.force_login(koordinator)
    assert client.get(url).status_code == 403
    client.force_login(operator)
    data = {
        "predecessor": institutions.kasn.pk,
        "successor": institutions.bkn.pk,
        "effective_on": "2024-08-24",
        "legal_basis": BASIS,
        "clock": "ulang",
    }
    preview = client.post(url, data)
    html = preview.content.decode()
    assert preview.status_code == 200 and "3 penerusan" in html and "Konfirmasi" in html
    assert not Succession.objects.exists()
    bad = client.post(url, {**data, "effective_on": "2024-08-01", "confirm": "1"})
    assert "belum atau tidak lagi aktif" in bad.content.decode() and BASIS in bad.content.decode()
    done = client.post(url, {**data, "confirm": "1"})
    assert done.status_code == 302
    assert Succession.objects.get().moved == 3
    moved = Referral.objects.filter(succession__isnull=False).first()
    client.force_login(pengawas)
    page = client.get(reverse("cases:referral", kwargs={"code": moved.code})).content.decode()
    assert "Nota pengalihan (PDF)" in page and BASIS in page
    note = client.get(reverse("cases:transfer_note", kwargs={"code": moved.code}))
    assert note.status_code == 200
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(note.content)).pages)
    assert "NOTA PENGALIHAN" in text and "Komisi Aparatur Sipil Negara" in text and moved.letter_number in text
    assert client.get(reverse("cases:transfer_note", kwargs={"code": moved.transferred_from.code})).status_code == 404
    # the transfer is a dated step of the case's timeline: on the succession's day, entered later
    step = CaseEvent.objects.get(action="referral.transferred", data__referral=str(moved.code))
    assert step.occurred_at.astimezone(WIB).date() == date(2024, 8, 24) and step.entered_late
